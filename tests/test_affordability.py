"""calc.affordability on its own: the budget formula, the three verdicts at their exact edges, the
findings, and the int rule agreeing with assess() (docs/design.md section 8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from calc.affordability import (
    VERDICTS,
    AffordabilityParams,
    Profile,
    Verdict,
    affordable_cap,
    assess,
    budget,
    verdict_code,
)
from calc.errors import InvalidInput

PARAMS = AffordabilityParams(reserve_per_person=132000)  # Beijing: 1,320.00 a person


def household(**changes) -> Profile:
    """The worked example of docs/design.md section 8: 3 people, 9,500.00 in, 6,500.00 essential
    spending, 1,200.00 a month to other creditors."""
    values = dict(
        currency="CNY",
        adults=2,
        children=1,
        region="beijing",
        income=(("salary", 950000),),
        spending=(("housing", 400000), ("food", 250000)),
        other_debt_payments=120000,
    )
    values.update(changes)
    return Profile(**values)


def test_the_worked_example_of_the_design():
    b = budget(household(), PARAMS)
    assert (b.income, b.essential_spending, b.living_floor, b.surplus, b.contingency, b.available) == (
        950000,
        650000,
        396000,
        180000,
        18000,
        162000,
    )
    assert assess(b, 120000, PARAMS).verdict is Verdict.AFFORDABLE
    assert assess(b, 140000, PARAMS).verdict is Verdict.TIGHT
    assert assess(b, 170000, PARAMS).verdict is Verdict.UNAFFORDABLE


def test_verdicts_at_their_exact_edges():
    b = budget(household(), PARAMS)
    tight_from = 162000 * 8 // 10 + 1  # more than 80% of what is available
    assert assess(b, tight_from - 1, PARAMS).verdict == "affordable"
    assert assess(b, tight_from, PARAMS).verdict == "tight"
    assert assess(b, 162000, PARAMS).verdict == "tight"
    assert assess(b, 162001, PARAMS).verdict == "unaffordable"


def test_a_high_debt_to_income_ratio_is_tight_even_when_the_money_is_there():
    rich = household(income=(("salary", 2000000),), other_debt_payments=950000)
    b = budget(rich, PARAMS)
    a = assess(b, 60000, PARAMS)  # (9,500 + 600) / 20,000 = 50.5% > 50%
    assert a.verdict == "tight" and "high_dti" in {f.code for f in a.findings}
    assert a.dti == Decimal("0.5050")


def test_spending_below_the_floor_uses_the_floor_and_says_so():
    b = budget(household(spending=(("food", 100000),)), PARAMS)
    assert b.surplus == 950000 - 396000 - 120000
    assert "spending_below_floor" in {f.code for f in b.findings}


def test_no_income_and_no_surplus_are_findings():
    none = budget(household(income=()), PARAMS)
    assert {f.code for f in none.findings} >= {"no_income"} and none.available == 0
    short = budget(household(income=(("salary", 500000),)), PARAMS)
    assert "no_surplus" in {f.code for f in short.findings} and short.available == 0
    assert assess(short, 1, PARAMS).verdict == "unaffordable"


def test_the_budget_after_recovery_uses_the_income_given():
    p = household(recovery_date=date(2026, 6, 1), income_after_recovery=(("salary", 1200000),))
    assert budget(p, PARAMS, income=1200000).available > budget(p, PARAMS).available


@pytest.mark.parametrize(
    "changes, field",
    [
        (dict(adults=0), "adults"),
        (dict(children=-1), "children"),
        (dict(spending=(("yachts", 1),)), "spending"),
        (dict(hardship_reason="boredom"), "hardship_reason"),
        (dict(income_after_recovery=(("salary", 1),)), "income_after_recovery"),
    ],
)
def test_bad_profiles_name_the_field(changes, field):
    with pytest.raises(InvalidInput) as err:
        household(**changes)
    assert err.value.field == field


def test_the_vocabulary_is_the_public_strings_in_code_order():
    assert VERDICTS == ("affordable", "tight", "unaffordable")
    assert [VERDICTS[c] for c in (0, 1, 2)] == list(Verdict)


@given(
    income=st.integers(0, 10**8), spending=st.integers(0, 10**8), other=st.integers(0, 10**7), m=st.integers(1, 10**8)
)
def test_the_integer_rule_is_the_verdict_of_assess(income, spending, other, m):
    p = household(income=(("salary", income),), spending=(("housing", spending),), other_debt_payments=other)
    b = budget(p, PARAMS)
    cap = affordable_cap(b.income, b.available, b.other_debt_payments, (4, 5), (1, 2))
    assert VERDICTS[verdict_code(m, b.available, cap)] == assess(b, m, PARAMS).verdict
