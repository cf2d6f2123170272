"""The summary model: figures from the plan, masking, offers and policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.affordability import AffordabilityParams, Profile, assess, budget
from calc.debt import Debt, Waiver
from calc.errors import InvalidInput
from calc.schedule import build_plan
from calc.terms import Terms
from plans.case import parse_case
from plans.offers import generate_offers
from plans.policy import default_policy
from plans.summary import SummaryAccount, Creditor, build_summary, from_offer, mask_name, mask_reference, render

CREDITOR = Creditor("示例银行", ("客服热线 400-000-0000",), ("投诉热线 400-000-0001",), policy_version="p1")


def plan(months=6, fee="0.006", down=100000):
    debt = Debt.parse(
        "CNY", {"principal": "20000", "interest": "1500.50", "penalty_interest": "800", "late_fees": "300"}
    )
    waivers = [Waiver.parse("late_fees", "100%", "CNY"), Waiver.parse("penalty_interest", "50%", "CNY")]
    return build_plan(
        debt, waivers, Terms(start=date(2025, 1, 31), months=months, down_amount=down, fee_rate=Decimal(fee))
    )


def test_masking():
    assert mask_reference("6222 0212 3456 7890") == "****7890"
    assert mask_reference("1234") == "****"
    assert mask_reference("") == ""
    assert mask_name("张三丰") == "张**"
    assert mask_name("John Smith") == "J*** S****"
    assert mask_name("李") == "李"


def test_summary_carries_the_plan_figures_exactly():
    p = plan()
    s = build_summary(p, CREDITOR, SummaryAccount("6222021234567890", "张三丰"), summary_date=date(2025, 2, 1))
    assert s.account == "****7890" and s.holder == "张**"
    assert s.debt_total == p.debt.total and s.waived_total == sum(p.waived.values())
    assert s.plan_balance == p.plan_balance and s.down_payment == p.down_payment == 100000
    assert s.financed == p.financed
    assert tuple(i.amount for i in s.installments) == p.amounts
    assert s.total_repayable == p.total_repayable and s.total_fees == p.total_fees
    assert (s.apr_nominal, s.apr_effective) == p.apr
    assert s.first_amount == p.amounts[0] and s.runs == ((p.amounts[0], 1), (p.amounts[-1], 5))
    assert not s.level and s.has_fees and not s.lump_sum
    assert {b.bucket: b.remaining for b in s.buckets}["late_fees"] == 0
    assert s.summary_date == date(2025, 2, 1) and s.agreement_date == date(2025, 1, 31)


def test_summary_date_defaults_to_today():
    s = build_summary(plan(), CREDITOR, SummaryAccount("x"))
    assert s.summary_date == date.today()


def test_assessment_is_carried():
    params = AffordabilityParams(reserve_per_person=80000)
    prof = Profile("CNY", income=(("salary", 500000),), spending=(("food", 100000),))
    a = assess(budget(prof, params), 360885, params)
    s = build_summary(plan(), CREDITOR, SummaryAccount("x"), assessment=a)
    assert s.verdict == a.verdict and s.findings == a.findings
    assert "还款能力" in render([s], "text", "zh_CN")


def test_creditor_needs_a_name():
    with pytest.raises(InvalidInput):
        Creditor("  ")


def test_creditor_from_the_shipped_policy():
    policy = default_policy()
    c = Creditor.from_policy(policy)
    assert c.name == policy.creditor.name
    assert c.contact == policy.creditor.contact and c.complaints == policy.creditor.complaints
    assert c.policy_version == policy.version


CASE = {
    "currency": "CNY",
    "start": "2025-12-01",
    "account": {"ref": "CC-00012345", "name": "王小明"},
    "debt": {"principal": "48000.00", "interest": "3200.00", "penalty_interest": "1500.00", "late_fees": "600.00"},
    "profile": {
        "adults": 2,
        "children": 1,
        "region": "beijing",
        "income": {"salary": "9000.00"},
        "spending": {"housing": "2500.00", "food": "2200.00"},
        "other_debt_payments": "1200.00",
        "savings": "60000.00",
        "hardship_reason": "illness",
        "recovery_date": "2026-06-01",
    },
}


def test_from_offer_uses_the_offer_case_and_policy():
    policy = default_policy()
    offers = generate_offers(parse_case(CASE), policy, "agent", True)
    kinds = {o.kind for o in offers}
    assert "settlement" in kinds and len(offers) >= 2
    for o in offers:
        s = from_offer(o, policy, summary_date=date(2025, 12, 1))
        assert s.kind == o.kind and s.account == "****2345" and s.holder == "王**"
        assert s.total_repayable == o.total_repayable and s.months == o.months
        assert s.authority == o.authority and s.verdict == o.verdict
        assert s.creditor.policy_version == policy.version
        assert len(s.violations) == len(o.violations)
        assert s.lump_sum == (o.kind == "settlement")


def test_from_offer_needs_a_creditor():
    offers = generate_offers(parse_case(CASE), default_policy())
    with pytest.raises(InvalidInput):
        from_offer(offers[0])
    s = from_offer(offers[0], creditor=CREDITOR, account=SummaryAccount("999988887777"))
    assert s.account == "****7777" and s.creditor is CREDITOR


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("张三丰Ab1 \u3000\t\x1b[\u202e\ufffdǅ\u0301é") | st.characters(), max_size=12))
def test_masks_of_plain_text_are_the_masks_of_any_text(text):
    """mask_reference and mask_name take plain text (ASCII letters and digits; one word of letters)
    without cleaning it: the same masks as cleaning, splitting and masking it."""
    from plans.summary.model import _mask_name, _mask_reference

    assert mask_reference(text) == _mask_reference(text)
    assert mask_name(text) == _mask_name(text)
