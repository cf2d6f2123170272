"""Offer generation: every kind, ranking, ids, authority and violations, documents, and properties."""

import copy
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from calc.debt import BUCKETS, waived_amounts
from calc.errors import InvalidInput
from calc.money import percent_of
from plans.case import parse_case
from plans.offers import (
    KINDS,
    OFFERS_SCHEMA,
    generate_offers,
    offer_document,
    offers_document,
    rank_key,
    rebuild,
)
from plans.policy import AUTHORITIES, default_policy, default_policy_text, parse_policy

from case_data import EXAMPLE

POLICY = default_policy()


def case_with(savings=None, drop_profile=False, **profile):
    data = copy.deepcopy(EXAMPLE)
    if drop_profile:
        del data["profile"]
    else:
        data["profile"].update(profile)
        if savings is not None:
            data["profile"]["savings"] = savings
    return parse_case(data)


def kinds(offers):
    return [o.kind for o in offers]


AFTER = {"salary": "12000.00", "other": "500.00"}


def test_the_example_gets_shortest_affordable_lowest_payment_and_standard():
    offers = generate_offers(case_with(), POLICY)
    assert kinds(offers) == ["shortest_affordable", "lowest_payment", "standard"]
    by = {o.kind: o for o in offers}
    # shortest affordable: the shortest term whose every installment the budget rates affordable
    sa = by["shortest_affordable"]
    b = sa.assessment.budget
    assert sa.verdict == "affordable" and sa.months == 41 and b.available == 162000 and b.cap == 129600
    assert max(sa.plan.amounts) <= b.cap
    assert headline_of(sa, months=40).largest_installment > b.cap
    # lowest payment: the agent's longest term
    assert by["lowest_payment"].months == POLICY.authority("agent").max_months == 48
    # standard: the policy's standard term, unaffordable here, still shown
    assert by["standard"].months == POLICY.standard_months and by["standard"].verdict == "unaffordable"
    # every installment offer applies the standard waivers
    for o in offers:
        assert o.plan.waived["late_fees"] == 60000 and sum(o.plan.waived.values()) == 60000


def headline_of(offer, months):
    from dataclasses import replace

    from calc.schedule import headline

    return headline(offer.case.debt, offer.waivers, replace(offer.terms, months=months))


def test_no_step_plan_when_its_later_installments_would_need_more_than_the_budget_has():
    # The issue's case: 1,620.00 available, a recovery date and no income after recovery. A step plan's
    # later installments are judged against the same budget, so a level plan that fits is as low.
    offers = generate_offers(case_with(), POLICY, "agent", include_escalations=True)
    assert "step" not in kinds(offers)
    for o in offers:  # no offer says it fits when an installment does not
        if o.verdict == "affordable":
            assert max(o.plan.amounts) <= o.assessment.budget_now.cap
        assert ("fits the" in o.explanation) == (o.verdict == "affordable")


def test_step_plan_sized_so_later_installments_fit_the_income_after_recovery():
    case = case_with(income_after_recovery=AFTER)
    step = next(o for o in generate_offers(case, POLICY) if o.kind == "step")
    plan, a = step.plan, step.assessment
    low = [i for i in plan.installments if i.due < date(2026, 6, 1)]
    assert len(low) == 5 and step.terms.tiers == ((5, 129600),)
    assert all(i.amount == 129600 <= a.budget_now.cap for i in low)
    later = plan.installments[5:]
    assert a.budget_after.available == 432000 and all(i.amount <= a.budget_after.cap for i in later)
    assert step.verdict == "affordable" and "step_rises" in {f.code for f in a.findings}
    # the shortest such term within authority: one month less and the later installments do not fit
    shorter = headline_of(step, months=step.months - 1)
    assert shorter.largest_installment > a.budget_after.cap
    assert step.months >= 5 + POLICY.step_min_months_after


def test_step_plan_that_relies_on_income_recovering_is_offered_with_its_true_verdict():
    # 270.00 available now, 1,170.00 after recovery: too little for the later installments even over 48 months
    case = case_with(income={"salary": "8000.00"}, income_after_recovery={"salary": "9000.00"})
    step = next(o for o in generate_offers(case, POLICY) if o.kind == "step")
    assert step.months == POLICY.authority("agent").max_months  # nothing fits: the longest term
    assert step.verdict == "unaffordable"
    codes = {f.code for f in step.assessment.findings}
    assert {"relies_on_recovery", "above_available"} <= codes
    assert "fits the" not in step.explanation and "relies on income recovering" in step.explanation


def test_a_recovery_date_in_the_past_gives_no_step_offer_but_a_finding():
    case = case_with(recovery_date="2025-06-01", income_after_recovery=AFTER)
    offers = generate_offers(case, POLICY)
    assert offers and "step" not in kinds(offers)
    for o in offers:
        assert "recovery_passed" in {f.code for f in o.assessment.findings}
        # every installment falls after the recovery date: judged against the budget after recovery
        assert all(r.after_recovery for r in o.assessment.runs)


def test_a_down_payment_the_savings_do_not_cover_is_unaffordable():
    policy = parse_policy(default_policy_text().replace('min_down_payment = "0"', 'min_down_payment = "10%"'))
    offers = generate_offers(case_with(savings="0"), policy, "agent", include_escalations=True)
    assert offers
    for o in offers:
        assert o.down_payment == 527000 and o.verdict == "unaffordable"
        finding = next(f for f in o.assessment.findings if f.code == "down_above_savings")
        assert finding.values == {"down_payment": 527000, "savings": 0, "short": 527000}
        assert "fits the" not in o.explanation
    assert "shortest_affordable" not in kinds(offers)


def test_every_installment_is_judged_and_the_findings_say_which_and_by_how_much():
    std = next(o for o in generate_offers(case_with(), POLICY) if o.kind == "standard")
    (run,) = std.assessment.runs
    assert (run.first, run.last, run.largest, run.verdict) == (1, 24, 219591, "unaffordable")
    finding = next(f for f in std.assessment.findings if f.code == "above_available")
    assert finding.values["first"] == 1 and finding.values["last"] == 24
    assert finding.values["installment"] == 219591 and finding.values["excess"] == 219591 - 162000
    assert "Installments 1 to 24: up to CN¥2,195.91, up to CN¥575.91 more than" in std.explanation


def test_settlement_when_savings_cover_it():
    case = case_with(savings="50000.00")
    offers = generate_offers(case, POLICY)
    assert offers[0].kind == "settlement"  # affordable and one month: ranked first
    s = offers[0]
    plan = s.plan
    assert plan.months == 1 and s.is_settlement
    balance = case.debt.total - 60000
    assert s.settlement_discount == percent_of(balance, Decimal("0.10"))
    assert plan.total_repayable == balance - s.settlement_discount == 4743000
    assert plan.first_due == date(2025, 12, 31)  # settlement.pay_within_days = 30
    assert sum(plan.waived.values()) == 60000 + s.settlement_discount
    assert plan.waived["penalty_interest"] == 150000  # penalties go first, principal last
    assert s.verdict == "affordable" and s.authority == "agent" and not s.violations
    assert "settlement_from_savings" in {f.code for f in s.assessment.findings}


def test_no_settlement_when_savings_fall_short_unless_a_higher_authority_covers_it():
    case = case_with(savings="42000.00")
    assert "settlement" not in kinds(generate_offers(case, POLICY, "agent"))
    offers = generate_offers(case, POLICY, "agent", include_escalations=True)
    s = next(o for o in offers if o.kind == "settlement")
    assert s.plan.total_repayable == 4200000  # just what the savings cover
    assert s.authority == "supervisor" and s.escalation
    (v,) = s.violations
    assert (v.rule, v.limit, v.value, v.authority) == ("settlement_discount", "10%", "20.3%", "supervisor")
    assert "settlement" in kinds(generate_offers(case, POLICY, "supervisor"))
    assert "settlement" not in kinds(generate_offers(case_with(savings="10000.00"), POLICY, "supervisor", True))


def test_without_a_profile_only_standard_and_lowest_payment_without_verdicts():
    offers = generate_offers(case_with(drop_profile=True), POLICY)
    assert kinds(offers) == ["standard", "lowest_payment"]  # no verdicts: shorter first
    assert all(o.assessment is None and o.verdict is None for o in offers)


def test_ranking_puts_affordable_first_then_shorter_terms():
    offers = generate_offers(case_with(savings="50000.00"), POLICY, "supervisor", include_escalations=True)
    keys = [rank_key(o) for o in offers]
    assert keys == sorted(keys)
    order = {"affordable": 0, "tight": 1, "unaffordable": 2}
    verdicts = [order[o.verdict] for o in offers]
    assert verdicts == sorted(verdicts)
    affordable = [o.months for o in offers if o.verdict == "affordable"]
    assert affordable == sorted(affordable)


def test_identical_plans_are_listed_once():
    # a budget whose shortest affordable term is the standard term: one offer, kept as shortest_affordable
    case = case_with(income={"salary": "14000.00"}, recovery_date=None, other_debt_payments="0")
    offers = generate_offers(case, POLICY)
    keys = [(o.months, o.terms.tiers, o.waivers) for o in offers]
    assert len(keys) == len(set(keys))


def test_authority_limits_and_escalations_are_flagged():
    case = case_with()
    kiosk = generate_offers(case, POLICY, "kiosk")
    assert all(o.within_authority and o.months <= 36 for o in kiosk)
    assert all(AUTHORITIES.index(o.authority) <= 0 for o in kiosk)
    wider = generate_offers(case, POLICY, "kiosk", include_escalations=True)
    escalated = [o for o in wider if o.escalation]
    assert {o.authority for o in escalated} == {"agent", "supervisor"}
    for o in escalated:
        (v,) = o.violations
        assert v.rule == "max_months" and v.limit == "36" and v.value == str(o.months)
        assert v.authority == o.authority and o.authority in v.message
        assert o.authority in o.explanation
    assert {o.id for o in kiosk} <= {o.id for o in wider}


def test_rules_no_authority_can_waive():
    tiny = parse_case({"debt": {"principal": "150.00"}, "start": "2025-01-10"})
    assert generate_offers(tiny, POLICY, "supervisor") == []
    offers = generate_offers(tiny, POLICY, "supervisor", include_escalations=True)
    assert offers and all(o.authority is None for o in offers)
    for o in offers:
        v = next(v for v in o.violations if v.rule == "min_installment")
        assert v.limit == "100.00" and v.authority is None and "no authority" not in v.message


def test_policy_minimum_down_payment_and_fee_are_applied():
    text = (
        default_policy_text()
        .replace('min_down_payment = "0"', 'min_down_payment = "10%"')
        .replace('fee_rate = "0%"', 'fee_rate = "0.6%"')
    )
    policy = parse_policy(text)
    for o in generate_offers(case_with(), policy):
        assert o.down_payment == percent_of(o.headline.plan_balance, Decimal("0.1"))
        assert o.plan.total_fees > 0 and o.headline.apr_nominal > 0
        assert not o.violations


def test_ids_are_deterministic_and_depend_on_inputs_and_policy_version():
    a = generate_offers(case_with(), POLICY)
    b = generate_offers(case_with(), POLICY)
    assert [o.id for o in a] == [o.id for o in b]
    assert len({o.id for o in a}) == len(a)
    other = parse_policy(default_policy_text().replace('version = "default-2025.1"', 'version = "v2"'))
    assert not {o.id for o in a} & {o.id for o in generate_offers(case_with(), other)}
    moved = generate_offers(case_with(savings="3000.01"), POLICY)
    assert not {o.id for o in a} & {o.id for o in moved}


def test_offers_reproduce_exactly_from_their_inputs():
    for o in generate_offers(case_with(savings="50000.00"), POLICY, "kiosk", include_escalations=True):
        inputs = json.loads(json.dumps(o.inputs))
        again = rebuild(inputs, POLICY)
        assert again.id == o.id and again.kind == o.kind
        assert again.headline == o.headline and again.plan.amounts == o.plan.amounts
        assert again.violations == o.violations and again.explanation == o.explanation
    other = parse_policy(default_policy_text().replace('version = "default-2025.1"', 'version = "v2"'))
    with pytest.raises(InvalidInput, match=r"default-2025\.1"):
        rebuild(o.inputs, other)


def test_currency_must_match_the_policy():
    with pytest.raises(InvalidInput) as err:
        generate_offers(parse_case({"currency": "JPY", "debt": {"principal": "500000"}}), POLICY)
    assert err.value.field == "currency" and "CNY" in err.value.message


def test_unknown_authority():
    with pytest.raises(InvalidInput, match="kiosk, agent, supervisor"):
        generate_offers(case_with(), POLICY, "boss")


def test_offer_and_offers_documents():
    case = case_with(savings="50000.00")
    offers = generate_offers(case, POLICY, "kiosk", include_escalations=True)
    doc = offers_document(offers, case, POLICY, "kiosk")
    assert doc["schema"] == OFFERS_SCHEMA == "installment.offers/1"
    assert doc["policy_version"] == "default-2025.1" and doc["account"] == "CC-0001"
    entry = doc["offers"][0]
    for key in (
        "id",
        "kind",
        "months",
        "down_payment",
        "installment",
        "total_repayable",
        "first_due",
        "last_due",
        "apr",
        "verdict",
        "authority",
        "violations",
        "explanation",
        "terms",
    ):
        assert key in entry
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
    settlement = next(e for e in doc["offers"] if e["kind"] == "settlement")
    assert settlement["months"] == 1 and settlement["settlement_discount"] == "2700.00"
    assert settlement["violations"][0]["rule"] == "settlement_discount"
    std = offer_document(next(o for o in offers if o.kind == "standard"))
    assert std["installment"] == "2195.91" and std["total_repayable"] == "52700.00"
    assert std["terms"]["waivers"] == {"late_fees": "100%"} and std["terms"]["fee_rate"] == "0.0000"
    assert std["apr"] == {"nominal": "0.0000", "effective": "0.0000"}


def test_unknown_region_uses_the_default_and_says_so():
    case = case_with(region="atlantis")
    o = generate_offers(case, POLICY)[0]
    assert o.assessment.budget.living_floor == 80000 * 3
    assert "region_default" in {f.code for f in o.assessment.findings}


def test_every_kind_is_named_as_the_issue_asks():
    assert set(KINDS) == {"shortest_affordable", "lowest_payment", "step", "settlement", "standard"}
    seen = set()
    for savings in ("3000.00", "50000.00"):
        seen |= set(
            kinds(generate_offers(case_with(savings=savings, income_after_recovery=AFTER), POLICY, "supervisor", True))
        )
    assert seen == set(KINDS)


# -- properties ----------------------------------------------------------------------

POLICIES = [
    POLICY,
    parse_policy(
        default_policy_text()
        .replace('min_down_payment = "0"', 'min_down_payment = "5%"')
        .replace('fee_rate = "0%"', 'fee_rate = "0.6%"')
        .replace('fee_basis = "flat"', 'fee_basis = "declining"')
        .replace('round_to = "0.01"', 'round_to = "1.00"')
        .replace("months = 24", "months = 12")
    ),
    parse_policy(
        default_policy_text()
        .replace('min_down_payment = "0"', 'min_down_payment = "300.00"')
        .replace('remainder = "first"', 'remainder = "last"')
        .replace('min_installment = "100.00"', 'min_installment = "50.00"')
    ),
    parse_policy(
        default_policy_text()
        .replace('max_dti = "50%"', 'max_dti = "33.33337%"')
        .replace('tight_share = "80%"', 'tight_share = "75.5%"')
        .replace('business_days = "none"', 'business_days = "following"')
        .replace('calendar = "weekends"', 'calendar = "cn"')
    ),
]


@st.composite
def cases(draw):
    start = draw(st.dates(date(2024, 1, 1), date(2030, 12, 31)))
    debt = {b: str(draw(st.integers(0, 80_000_00 if b == "principal" else 5_000_00)) / 100) for b in BUCKETS}
    debt["principal"] = f"{draw(st.integers(1_000_00, 300_000_00)) / 100:.2f}"
    debt = {k: f"{Decimal(v):.2f}" for k, v in debt.items()}
    data = {"start": start.isoformat(), "debt": debt}
    if draw(st.booleans()):
        money = lambda lo, hi: f"{draw(st.integers(lo, hi)) / 100:.2f}"
        profile = {
            "adults": draw(st.integers(1, 3)),
            "children": draw(st.integers(0, 3)),
            "region": draw(st.sampled_from(["beijing", "national", "elsewhere"])),
            "income": {"salary": money(0, 40_000_00)},
            "spending": {"housing": money(0, 8_000_00), "food": money(0, 5_000_00)},
            "other_debt_payments": money(0, 5_000_00),
            "savings": money(0, 300_000_00),
        }
        if draw(st.booleans()):
            profile["recovery_date"] = (start + timedelta(days=draw(st.integers(-400, 2000)))).isoformat()
            if draw(st.booleans()):
                profile["income_after_recovery"] = {"salary": money(0, 60_000_00)}
        data["profile"] = profile
    return parse_case(data)


def assert_obeys(offer, policy, authority):
    """The offer obeys every rule of ``policy`` at ``authority``, checked from the built plan."""
    plan, a = offer.plan, policy.authority(authority)
    debt = offer.case.debt
    assert min(plan.amounts) >= policy.min_installment
    if offer.kind == "settlement":
        assert plan.months == 1 and plan.down_payment == 0
        assert plan.first_due <= offer.terms.start + timedelta(days=policy.settlement_pay_within_days)
        standard = waived_amounts(debt, policy.standard_waiver_list())
        base = debt.total - sum(standard.values())
        assert plan.plan_balance + offer.settlement_discount == base
        assert offer.settlement_discount <= percent_of(base, a.settlement_discount)
        waived = standard
    else:
        assert policy.min_months <= plan.months <= a.max_months <= policy.max_months
        assert plan.down_payment >= policy.min_down_payment(plan.plan_balance)
        lo, hi = policy.first_due_window(offer.terms.start)
        assert lo <= plan.first_due <= hi
        waived = plan.waived
    for bucket in BUCKETS:
        assert waived[bucket] <= percent_of(getattr(debt, bucket), a.waiver_limit(bucket))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.sampled_from(POLICIES), st.sampled_from(AUTHORITIES), st.booleans())
def test_every_offer_obeys_the_policy_it_claims_and_conserves_money(case, policy, authority, escalations):
    offers = generate_offers(case, policy, authority, escalations)
    assert [rank_key(o) for o in offers] == sorted(rank_key(o) for o in offers)
    for o in offers:
        if not escalations:
            assert o.within_authority
        if o.within_authority:
            assert_obeys(o, policy, authority)
        if o.authority is not None:
            assert_obeys(o, policy, o.authority)
            assert AUTHORITIES.index(o.authority) <= AUTHORITIES.index(authority) or o.violations
        else:
            assert any(v.authority is None for v in o.violations)
        p = o.plan
        assert case.debt.total == sum(p.waived.values()) + p.down_payment + sum(p.principals)
        assert sum(p.amounts) == sum(p.principals) + sum(p.fees)
        assert p.total_repayable == o.total_repayable == p.down_payment + sum(p.amounts)
        assert (p.months, p.largest_installment, p.first_due, p.last_due) == (
            o.months,
            o.installment,
            o.headline.first_due,
            o.headline.last_due,
        )
        if o.kind == "shortest_affordable":
            assert o.verdict == "affordable"
        if o.assessment is not None:  # the verdict the engine ranked by is the one the findings give
            assert o.verdict == o.assessment.verdict
        assert o.explanation and "\n" not in o.explanation
    assert [o.id for o in generate_offers(case, policy, authority, escalations)] == [o.id for o in offers]


def test_equal_percentages_written_differently_give_the_same_ids():
    plain = generate_offers(case_with(), POLICY)
    padded = parse_policy(default_policy_text().replace('late_fees = "100%"', 'late_fees = "100.00%"', 1))
    assert [o.id for o in generate_offers(case_with(), padded)] == [o.id for o in plain]


def test_a_negotiated_offer_reproduces_exactly():
    from calc.debt import Waiver
    from plans.negotiation import negotiate

    answer = negotiate(
        case_with(), POLICY, pay=200000, waivers=[Waiver.parse("interest", "12.50%", "CNY")], down=Decimal("0.050")
    )
    offer = answer.offer
    again = rebuild(json.loads(json.dumps(offer.inputs)), POLICY)
    assert again.id == offer.id and again.headline == offer.headline and again.kind == "negotiated"


def test_negotiated_offers_rank_with_generated_ones():
    from plans.offers import offer_for_terms

    generated = generate_offers(case_with(), POLICY)
    hand = offer_for_terms(case_with(), POLICY, "negotiated", generated[1].terms, generated[1].waivers)
    ranked = sorted([*generated, hand], key=rank_key)
    assert ranked.index(hand) == 2 and hand.id != generated[1].id  # same plan, after the generated kind
    with pytest.raises(InvalidInput, match="unknown offer kind"):
        offer_for_terms(case_with(), POLICY, "bargain", generated[1].terms, generated[1].waivers)


def test_an_offer_is_a_value_that_cannot_change():
    from dataclasses import FrozenInstanceError

    from plans.text.i18n import LANGS
    from plans.offers.model import _EXPLAINED

    offer = generate_offers(case_with(), POLICY, "agent")[0]
    for name in ("kind", "verdict", "plan", "assessment", "explanation", "_text_en", "anything"):
        with pytest.raises(FrozenInstanceError):
            setattr(offer, name, None)
    assert not hasattr(offer, "_cache")
    assert isinstance(offer.plan.principals, tuple) and offer.plan is offer.plan
    assert offer.assessment is offer.assessment
    # every language's explanation is composed once and kept, and is the one explain() gives
    assert {f"_text_{lang}" for lang in LANGS} == _EXPLAINED
    for lang in LANGS:
        assert offer.explain(lang) is offer.explain(lang)
    assert offer.explanation == offer.explain("en") == offer.explain()
