"""calc.debt on its own: buckets, parsing, waivers by amount and by share, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from calc.debt import BUCKETS, Debt, Waiver, waived_amounts
from calc.errors import InvalidInput


def test_buckets_total_and_parse():
    d = Debt.parse("CNY", {"principal": "48,000.00", "interest": "3200", "late_fees": "600.5"})
    assert d.amounts() == {
        "principal": 4800000,
        "interest": 320000,
        "penalty_interest": 0,
        "late_fees": 60050,
        "annual_fees": 0,
        "other_fees": 0,
    }
    assert d.total == 5180050 and tuple(d.amounts()) == BUCKETS
    assert Debt.parse("JPY", {"principal": "5000"}).total == 5000


@pytest.mark.parametrize(
    "amounts, field",
    [
        ({"principle": "1"}, "debt"),
        ({"principal": "-1"}, "principal"),
        ({"principal": "1.001"}, "principal"),
    ],
)
def test_bad_debts_name_the_field(amounts, field):
    with pytest.raises(InvalidInput) as err:
        Debt.parse("CNY", amounts)
    assert err.value.field == field


def test_minor_units_must_be_whole_and_not_negative():
    for bad in (-1, 1.5, True):
        with pytest.raises(InvalidInput):
            Debt("CNY", principal=bad)  # type: ignore[arg-type]


def test_waivers_by_amount_and_by_share_round_half_up():
    d = Debt("CNY", principal=100000, penalty_interest=1001, late_fees=600)
    waived = waived_amounts(
        d, [Waiver.parse("penalty_interest", "50%", "CNY"), Waiver.parse("late_fees", "6.00", "CNY")]
    )
    assert waived["penalty_interest"] == 501 and waived["late_fees"] == 600 and waived["principal"] == 0
    assert Waiver("interest", fraction=Decimal("0.5")).resolve(0) == 0


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Waiver("principle", amount=1), "unknown bucket"),
        (lambda: Waiver("interest"), "either an amount or a percentage"),
        (lambda: Waiver("interest", amount=1, fraction=Decimal("0.1")), "either an amount or a percentage"),
        (lambda: Waiver("late_fees", amount=601).resolve(600, "CNY"), r"more than the late_fees bucket \(6\.00\)"),
        (lambda: waived_amounts(Debt("CNY", late_fees=600), [Waiver("late_fees", amount=1)] * 2), "waived twice"),
    ],
)
def test_bad_waivers_say_what_is_wrong(make, message):
    with pytest.raises(InvalidInput, match=message):
        make()


@given(bucket=st.integers(0, 10**9), pct=st.integers(0, 100))
def test_a_share_never_waives_more_than_the_bucket(bucket, pct):
    got = Waiver("interest", fraction=Decimal(pct) / 100).resolve(bucket)
    assert 0 <= got <= bucket and got == (2 * bucket * pct + 100) // 200


@given(st.sampled_from(BUCKETS), st.integers(0, 10**9), st.booleans())
def test_a_waiver_is_matched_by_what_it_was_given_as(bucket, n, as_fraction):
    waiver = Waiver(bucket, fraction=Decimal(n) / 10**9) if as_fraction else Waiver(bucket, amount=n)
    got = waiver.match(lambda a: ("amount", a), lambda f: ("fraction", f))
    assert got == (("fraction", Decimal(n) / 10**9) if as_fraction else ("amount", n))
