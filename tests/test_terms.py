"""calc.terms on its own: what a Terms accepts, the field named in each refusal, the vocabulary it
holds, and the 60-month ceiling (docs/design.md section 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from calc.errors import InvalidInput
from calc.terms import ABSOLUTE_MAX_MONTHS, FEE_BASES, REMAINDERS, FeeBasis, Remainder, Terms

START = date(2025, 12, 1)


def test_the_defaults_and_the_vocabulary_it_holds():
    t = Terms(START, months=12)
    assert (t.fee_basis, t.remainder, t.max_months) == (FeeBasis.FLAT, Remainder.FIRST, ABSOLUTE_MAX_MONTHS)
    words = Terms(START, months=12, fee_basis="declining", remainder="spread")
    assert words.fee_basis is FeeBasis.DECLINING and words.remainder is Remainder.SPREAD
    assert FEE_BASES == ("flat", "declining") and REMAINDERS == ("first", "last", "spread")


def test_the_ceiling_is_sixty_months_and_a_lower_maximum_holds():
    assert ABSOLUTE_MAX_MONTHS == 60
    assert Terms(START, months=60).months == 60
    for bad in (dict(months=61), dict(months=13, max_months=12), dict(months=0), dict(months=1, max_months=61)):
        with pytest.raises(InvalidInput):
            Terms(START, **bad)


@pytest.mark.parametrize(
    "changes, field",
    [
        (dict(months=None), "months"),  # neither months nor payment
        (dict(payment=100000), "months"),  # both
        (dict(months=None, payment=0), "payment"),
        (dict(down_amount=100, down_fraction=Decimal("0.1")), "down"),
        (dict(down_fraction=Decimal(1)), "down"),
        (dict(due_day=32), "due_day"),
        (dict(fee_rate=Decimal("0.0501")), "fee_rate"),
        (dict(fee_basis="compound"), "fee_basis"),
        (dict(remainder="middle"), "remainder"),
        (dict(round_to=0), "round_to"),
        (dict(remainder="spread", round_to=100), "remainder"),
        (dict(tiers=((0, 100),)), "tier"),
        (dict(business_days="sometimes"), "business_days"),
    ],
)
def test_each_refusal_names_its_field(changes, field):
    values = dict(months=12)
    values.update(changes)
    with pytest.raises(InvalidInput) as err:
        Terms(START, **values)
    assert err.value.field == field


def test_a_payment_driven_term_and_tiers():
    t = Terms(START, payment=150000, tiers=((6, 20000),))
    assert t.months is None and t.tier_months == 6


def test_terms_are_values():
    assert Terms(START, months=12) == Terms(START, months=12)
    with pytest.raises(AttributeError):
        Terms(START, months=12).months = 24  # type: ignore[misc]
