"""Every verdict judges the whole plan, and the words follow the findings, in every language.

Checked from outside the engine: each installment of the built schedule (calc.schedule) is judged
with calc.affordability against the budget in force on its due date (today's before the recovery
date, the one with the income after recovery from it), the down payment against the savings.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.affordability import assess, budget
from calc.debt import BUCKETS
from plans.case import parse_case
from plans.text.i18n import LANGS, translator
from plans.offers import generate_offers
from plans.offers.words import finding_text
from plans.text.formatting import formats
from plans.policy import AUTHORITIES

from batch_helpers import policy_variant

POLICIES = [
    policy_variant(),
    policy_variant(min_down_payment='"10%"', fee_rate='"0.6%"', fee_basis='"declining"', round_to='"1.00"'),
    policy_variant(
        min_down_payment='"300.00"',
        remainder='"last"',
        min_installment='"50.00"',
        max_dti='"33.337%"',
        tight_share='"75.5%"',
    ),
    policy_variant(fee_rate='"0.3%"', remainder='"spread"', business_days='"following"', calendar='"cn"'),
]
FITS = (
    "Every installment fits the {available} the household has available each month.",
    "Every installment fits: the {now} the household has available each month until {date}, and the "
    "{after} available from then on.",
)


@st.composite
def cases(draw):
    start = draw(st.dates(date(2024, 1, 1), date(2030, 12, 31)))
    money = lambda lo, hi: f"{draw(st.integers(lo, hi)) / 100:.2f}"
    debt = {b: money(0, 500_000) for b in BUCKETS}
    debt["principal"] = money(100_000, 30_000_000)
    profile = {
        "adults": draw(st.integers(1, 3)),
        "children": draw(st.integers(0, 2)),
        "region": draw(st.sampled_from(["beijing", "national", "elsewhere"])),
        "income": {"salary": money(0, 4_000_000)},
        "spending": {"housing": money(0, 800_000), "food": money(0, 500_000)},
        "other_debt_payments": money(0, 500_000),
        "savings": money(0, 3_000_000),
    }
    if draw(st.booleans()):
        profile["recovery_date"] = (start + timedelta(days=draw(st.integers(-200, 1500)))).isoformat()
        if draw(st.booleans()):
            profile["income_after_recovery"] = {"salary": money(0, 6_000_000)}
    return parse_case({"start": start.isoformat(), "debt": debt, "profile": profile})


def judged_from_outside(offer, policy) -> str:
    """The plan's verdict, each installment and the down payment judged with calc alone."""
    p = offer.case.profile
    params = policy.affordability_params(offer.case.region)
    now = budget(p, params)
    after = budget(p, params, p.total_income_after_recovery) if p.income_after_recovery is not None else now
    order = ("affordable", "tight", "unaffordable")
    if offer.is_settlement:
        return "affordable" if offer.total_repayable <= p.savings else "unaffordable"
    worst = 0
    for due, amount in zip(offer.plan.dues, offer.plan.amounts):
        b = after if p.recovery_date is not None and due >= p.recovery_date else now
        worst = max(worst, order.index(assess(b, amount, params).verdict))
    if offer.plan.down_payment > p.savings:
        worst = 2
    return order[worst]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.sampled_from(range(len(POLICIES))), st.sampled_from(AUTHORITIES))
def test_verdicts_judge_every_installment_and_fits_is_said_only_when_all_fit(case, which, authority):
    policy = POLICIES[which]
    for offer in generate_offers(case, policy, authority, include_escalations=True):
        truth = judged_from_outside(offer, policy)
        assert offer.verdict == offer.assessment.verdict == truth, (offer.kind, offer.months)
        for lang in LANGS:
            t = translator(lang)
            text = offer.explain(lang)
            said = any(t(template).split("{")[0] in text for template in FITS)
            assert said == (truth == "affordable" and not offer.is_settlement), (lang, text)
            # every finding reads as a sentence in every language
            f = formats(lang)
            for finding in offer.assessment.findings:
                assert finding_text(t, f, finding, case.currency)


def test_the_issue_example_no_longer_says_a_rising_plan_fits():
    """1,620.00 available, a recovery date: no plan whose later installments are above it says it fits."""
    from case_data import EXAMPLE

    case = parse_case(EXAMPLE)
    policy = POLICIES[0]
    for offer in generate_offers(case, policy, "supervisor", include_escalations=True):
        if max(offer.plan.amounts) > 162000 * Decimal("0.8"):
            assert offer.verdict != "affordable"
            assert "Every installment fits" not in offer.explanation
