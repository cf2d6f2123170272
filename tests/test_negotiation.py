"""Negotiation: "the debtor can pay X", what would make a plan fit, and what-if waivers and down payments."""

import copy
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from calc.debt import Waiver
from calc.errors import InvalidInput
from plans.case import parse_case
from plans.negotiation import merge_waivers, negotiate
from plans.policy import AUTHORITIES, default_policy

from case_data import EXAMPLE

POLICY = default_policy()
CASE = parse_case(EXAMPLE)


def option(answer, kind):
    return next(o for o in answer.options if o.kind == kind)


def test_a_payment_that_fits_gives_the_shortest_plan_within_it():
    a = negotiate(CASE, POLICY, pay=200000)
    assert a.fits and a.offer is not None and a.authority == "kiosk"
    assert a.offer.months == 27 and a.offer.installment <= 200000
    assert a.reasons == () and a.options == ()
    assert a.offer.plan.waived["late_fees"] == 60000  # standard waivers apply
    assert a.explanation == a.offer.explanation


def test_a_payment_needing_a_longer_term_than_the_authority_allows():
    a = negotiate(CASE, POLICY, pay=100000, authority="agent")
    assert not a.fits and a.offer.months == 53 and a.authority == "supervisor"
    assert any("48 months" in r for r in a.reasons)
    longer = option(a, "longer_term")
    assert (longer.months, longer.authority) == (53, "supervisor")
    higher = option(a, "higher_payment")
    assert higher.amount == 109823 and higher.months == 48
    down = option(a, "down_payment")
    assert down.authority == "agent" and down.months == 48  # 48 months is beyond a kiosk
    again = negotiate(CASE, POLICY, pay=100000, down=down.amount, authority="agent")
    assert again.fits and again.offer.months <= 48 and again.offer.installment <= 100000
    # one minor unit less down payment is not enough at 48 months
    short = negotiate(CASE, POLICY, pay=100000, down=down.amount - 1, authority="agent")
    assert not short.fits
    # the same payment fits at supervisor authority
    assert negotiate(CASE, POLICY, pay=100000, authority="supervisor").fits


def test_the_waiver_option_names_the_authority_it_needs_and_works():
    a = negotiate(CASE, POLICY, pay=100000, authority="agent")
    waiver = option(a, "waiver")
    assert waiver.authority == "supervisor" and waiver.amount == 470846
    again = negotiate(CASE, POLICY, pay=100000, waivers=waiver.waivers, authority="supervisor")
    assert again.fits and again.offer.months <= 48


def test_a_waiver_with_a_higher_authoritys_longer_term():
    # 800.00 a month: no authority's waivers close the gap at the agent's 48 months, but a
    # supervisor's 60 months with supervisor waivers do
    a = negotiate(CASE, POLICY, pay=80000, authority="agent")
    waiver = option(a, "waiver")
    assert (waiver.authority, waiver.months) == ("supervisor", 60)
    assert "in 60 months; it needs supervisor approval" in waiver.description
    again = negotiate(CASE, POLICY, pay=80000, waivers=waiver.waivers, authority="supervisor")
    assert again.fits and again.offer.months == 60 and again.offer.installment <= 80000


def test_a_payment_no_term_can_reach():
    a = negotiate(CASE, POLICY, pay=50000)
    assert not a.fits and a.offer is None and a.authority is None
    assert "106 months" in a.reasons[0] and "60-month" in a.reasons[0]
    longer = option(a, "longer_term")
    assert longer.months == 106 and longer.authority is None
    assert option(a, "higher_payment").amount == 109823
    down = option(a, "down_payment")
    assert negotiate(CASE, POLICY, pay=50000, down=down.amount).fits


def test_a_payment_below_the_minimum_installment():
    a = negotiate(CASE, POLICY, pay=9999)
    assert not a.fits and a.offer is None
    assert "100.00" in a.reasons[0]
    assert [o.kind for o in a.options] == ["higher_payment"] and a.options[0].amount == 10000


def test_what_if_a_waiver_beyond_the_authority():
    a = negotiate(CASE, POLICY, waivers=[Waiver("interest", fraction=Decimal("0.5"))], authority="agent")
    assert not a.fits and a.authority == "supervisor"
    assert a.offer.months == POLICY.standard_months
    (v,) = a.offer.violations
    assert (v.rule, v.limit, v.value, v.authority) == ("waiver.interest", "20%", "50%", "supervisor")
    assert option(a, "waiver").authority == "supervisor"
    ok = negotiate(CASE, POLICY, waivers=[Waiver("interest", fraction=Decimal("0.2"))], authority="agent")
    assert ok.fits and ok.authority == "agent"
    assert ok.offer.plan.waived["interest"] == 64000 and ok.offer.plan.waived["late_fees"] == 60000


def test_a_proposed_waiver_replaces_the_standard_one_of_its_bucket():
    merged = merge_waivers(
        POLICY.standard_waiver_list(), [Waiver("late_fees", amount=100), Waiver("interest", amount=5)]
    )
    assert [(w.bucket, w.amount) for w in merged] == [("interest", 5), ("late_fees", 100)]
    with pytest.raises(InvalidInput, match="twice"):
        merge_waivers((), [Waiver("interest", amount=1), Waiver("interest", amount=2)])
    a = negotiate(CASE, POLICY, pay=200000, waivers=[Waiver("late_fees", amount=0)])
    assert a.offer.plan.waived["late_fees"] == 0


def test_what_if_a_down_payment():
    plain = negotiate(CASE, POLICY, pay=150000)
    more = negotiate(CASE, POLICY, pay=150000, down=1000000)
    assert more.fits and more.offer.down_payment == 1000000 and more.offer.months < plain.offer.months
    pct = negotiate(CASE, POLICY, months=24, down=Decimal("0.2"))
    assert pct.offer.down_payment == 1054000 and pct.offer.months == 24


def test_a_fixed_term_beyond_every_authority_and_below_the_minimum():
    a = negotiate(CASE, POLICY, months=2)
    assert not a.fits and a.authority is None
    assert a.offer.violations[0].rule == "min_months"


def test_bad_requests():
    with pytest.raises(InvalidInput):
        negotiate(CASE, POLICY, pay=1000, months=12)
    with pytest.raises(InvalidInput):
        negotiate(CASE, POLICY, pay=0)
    with pytest.raises(InvalidInput, match="more than the interest bucket"):
        negotiate(CASE, POLICY, pay=200000, waivers=[Waiver("interest", amount=10**9)])
    with pytest.raises(InvalidInput):
        negotiate(CASE, POLICY, pay=200000, authority="boss")


def test_the_answer_document():
    doc = negotiate(CASE, POLICY, pay=100000).document()
    assert doc["schema"] == "installment.negotiation/1" and doc["fits"] is False
    assert doc["authority"] == "supervisor" and doc["requested_authority"] == "agent"
    kinds = {o["kind"] for o in doc["options"]}
    assert {"longer_term", "higher_payment", "down_payment"} <= kinds
    assert doc["offer"]["months"] == 53
    assert option(negotiate(CASE, POLICY, pay=100000), "down_payment").document("CNY")["amount"] == "4708.46"


@settings(max_examples=120, deadline=None)
@given(st.integers(10000, 6_000_000), st.sampled_from(AUTHORITIES))
def test_every_answer_is_consistent(pay, authority):
    a = negotiate(CASE, POLICY, pay=pay, authority=authority)
    if a.fits:
        assert a.offer.within_authority and a.offer.installment <= pay
        assert a.offer.months <= POLICY.authority(authority).max_months
    else:
        assert a.reasons and a.explanation
    for o in a.options:
        if o.kind == "down_payment":
            assert negotiate(CASE, POLICY, pay=pay, down=o.amount, authority=authority).fits
        if o.kind == "higher_payment":
            assert negotiate(CASE, POLICY, pay=o.amount, authority=authority).fits
        if o.kind == "longer_term" and o.authority is not None:
            assert negotiate(CASE, POLICY, pay=pay, authority=o.authority).fits


def test_start_date_defaults_do_not_leak_between_cases():
    other = copy.deepcopy(EXAMPLE)
    other["start"] = "2026-01-31"
    a = negotiate(parse_case(other), POLICY, pay=200000)
    assert a.offer.plan.first_due == date(2026, 2, 28)


@st.composite
def random_cases(draw):
    money = lambda lo, hi: f"{draw(st.integers(lo, hi)) / 100:.2f}"
    data = {
        "start": draw(st.dates(date(2024, 1, 1), date(2030, 12, 31))).isoformat(),
        "debt": {
            "principal": money(1_000_00, 300_000_00),
            "interest": money(0, 20_000_00),
            "penalty_interest": money(0, 10_000_00),
            "late_fees": money(0, 2_000_00),
        },
    }
    if draw(st.booleans()):
        data["profile"] = {
            "income": {"salary": money(0, 30_000_00)},
            "savings": money(0, 100_000_00),
            "other_debt_payments": money(0, 3_000_00),
        }
    return parse_case(data)


@settings(max_examples=80, deadline=None)
@given(random_cases(), st.integers(10000, 3_000_000), st.sampled_from(AUTHORITIES))
def test_options_that_claim_to_work_do_work_for_any_case(case, pay, authority):
    a = negotiate(case, POLICY, pay=pay, authority=authority)
    assert a.fits == (a.offer is not None and a.offer.within_authority)
    for o in a.options:
        if o.kind == "down_payment":
            again = negotiate(case, POLICY, pay=pay, down=o.amount, authority=o.authority)
            assert again.fits and again.offer.installment <= pay
        elif o.kind == "waiver" and o.amount is not None:
            again = negotiate(case, POLICY, pay=pay, waivers=o.waivers, authority=o.authority)
            assert again.fits and again.offer.installment <= pay
        elif o.kind == "longer_term" and o.authority is not None:
            assert negotiate(case, POLICY, pay=pay, authority=o.authority).fits
        elif o.kind == "higher_payment":
            assert negotiate(case, POLICY, pay=o.amount, authority=authority).fits or o.amount == POLICY.min_installment
