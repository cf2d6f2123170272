from datetime import date
from decimal import Decimal

import pytest

from calc import Debt, InvalidInput, NoPlanFits, Terms, Waiver, build_plan, headline
from calc.apr import monthly_irr
from calc.dates import WEEKENDS
from plans.policy.calendars import calendar

START = date(2025, 1, 15)


def cny(principal="1000.00", **buckets):
    return Debt.parse("CNY", {"principal": principal, **buckets})


def plan(debt=None, waivers=(), **terms):
    terms.setdefault("start", START)
    return build_plan(debt or cny(), list(waivers), Terms(**terms))


def test_remainder_first_is_the_default():
    p = plan(cny("100.00"), months=3)
    assert p.amounts == (3334, 3333, 3333)


def test_remainder_last_and_spread():
    assert plan(cny("100.00"), months=3, remainder="last").amounts == (3333, 3333, 3334)
    assert plan(cny("100.05"), months=3, remainder="spread").amounts == (3335, 3335, 3335)
    assert plan(cny("100.04"), months=3, remainder="spread").amounts == (3335, 3335, 3334)


def test_rounding_unit_puts_the_rest_into_the_remainder_installment():
    p = plan(cny("1000.00"), months=3, round_to=1000)  # whole 10.00 installments
    assert p.amounts == (34000, 33000, 33000)
    p = plan(cny("1000.00"), months=3, round_to=100, remainder="last")
    assert p.amounts == (33300, 33300, 33400)


def test_spread_needs_the_minor_unit():
    with pytest.raises(InvalidInput, match="spread"):
        Terms(start=START, months=3, remainder="spread", round_to=100)


def test_too_small_to_split():
    with pytest.raises(InvalidInput, match="cannot be split"):
        plan(cny("0.05"), months=12)
    with pytest.raises(InvalidInput, match=r"^months: 10000\.00 cannot be split into 12 installments of at least 1000"):
        plan(cny("10000"), months=12, round_to=100000)  # in amounts of the currency, not minor units
    with pytest.raises(InvalidInput, match=r"^months: 0\.05 cannot be split"):
        headline(cny("0.05"), [], Terms(start=date(2025, 1, 1), months=12))


def test_flat_fee_on_every_installment():
    p = plan(cny("10000.00"), months=12, fee_rate=Decimal("0.006"))
    assert set(p.fees) == {6000}
    assert p.total_fees == 72000
    assert p.amounts[1] == 83333 + 6000


def test_declining_fee_on_outstanding_principal():
    p = plan(cny("1200.00"), months=3, fee_rate=Decimal("0.01"), fee_basis="declining")
    assert p.principals == (40000, 40000, 40000)
    assert p.fees == (1200, 800, 400)


def test_fee_rounds_half_up():
    p = plan(cny("0.50"), months=1, fee_rate=Decimal("0.01"))  # 0.5 fen -> 1 fen
    assert p.fees == (1,)


def test_zero_fee_plan_has_zero_apr():
    p = plan(cny("12345.67"), months=24)
    assert p.apr == (Decimal("0.0000"), Decimal("0.0000"))
    assert p.total_fees == 0


def test_apr_of_twelve_months_at_a_flat_point_six_percent():
    nominal, effective = plan(cny("10000.00"), months=12, fee_rate=Decimal("0.006")).apr
    assert nominal == Decimal("0.1303")  # docs/design.md section 7: nominal 13.03%
    assert effective == Decimal("0.1384")


def test_irr_of_a_textbook_annuity():
    # 10,000 at 1% a month over 12 months is repaid by 12 x 888.49 (standard annuity tables).
    r = monthly_irr(1000000, [88849] * 12, 1.0)
    assert abs(r - 0.01) < 1e-5
    # 24 x 470.73 repays 10,000 at 1% a month
    assert abs(monthly_irr(1000000, [47073] * 24, 1.0) - 0.01) < 1e-5


def test_irr_against_an_independent_bisection():
    amounts = [91234, 87000, 87000, 87000, 87000, 87000, 87000, 87000, 87000, 87000, 87000, 87000]
    financed, t1 = 1000000, 0.5

    def pv(r):
        return sum(a / (1 + r) ** (t1 + k) for k, a in enumerate(amounts))

    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if pv(mid) > financed else (lo, mid)
    assert abs(monthly_irr(financed, amounts, t1) - lo) < 1e-9


def test_waivers_by_amount_and_percentage():
    d = cny("1000.00", interest="100.00", penalty_interest="50.01")
    p = plan(d, [Waiver.parse("penalty_interest", "50%", "CNY"), Waiver.parse("interest", "40", "CNY")], months=2)
    assert p.waived["penalty_interest"] == 2501  # 25.005 rounds half up
    assert p.waived["interest"] == 4000
    assert p.plan_balance == 115001 - 2501 - 4000


def test_waiver_above_the_bucket_is_refused():
    with pytest.raises(InvalidInput, match="more than"):
        plan(cny("1000.00", interest="10"), [Waiver.parse("interest", "10.01", "CNY")], months=2)
    with pytest.raises(InvalidInput):
        Waiver.parse("interest", "101%", "CNY")


def test_down_payment_amount_and_percentage():
    p = plan(cny("1000.00"), months=2, down_fraction=Decimal("0.105"))
    assert p.down_payment == 10500 and p.financed == 89500
    p = plan(cny("1000.00"), months=2, down_amount=20000)
    assert p.financed == 80000
    with pytest.raises(InvalidInput, match="less than the plan balance"):
        plan(cny("1000.00"), months=2, down_amount=100000)


def test_tiers_are_paid_first_then_the_rest_is_split():
    p = plan(cny("3000.00"), months=12, tiers=((6, 20000),))
    assert p.principals[:6] == (20000,) * 6
    assert p.principals[6:] == (30000,) * 6
    with pytest.raises(InvalidInput, match="tiers"):
        plan(cny("1000.00"), months=12, tiers=((6, 20000),))
    with pytest.raises(InvalidInput, match="months"):
        plan(cny("3000.00"), months=6, tiers=((6, 20000),))


def test_payment_driven_picks_the_shortest_term_that_fits():
    p = plan(cny("10000.00"), payment=100000)
    assert p.months == 10
    p = plan(cny("10000.00"), payment=99999)
    assert p.months == 11
    assert max(p.amounts) <= 99999


def test_payment_too_small_reports_months_needed_and_smallest_payment():
    with pytest.raises(NoPlanFits) as exc:
        plan(cny("10000.00"), payment=10000)
    assert exc.value.months_needed == 100
    assert exc.value.min_payment == 16706  # 10000 / 60 -> 166.66, plus the 0.40 remainder in the first
    with pytest.raises(NoPlanFits) as exc:
        plan(cny("10000.00"), payment=6000, fee_rate=Decimal("0.006"))  # the fee alone is 60.00
    assert exc.value.months_needed is None


def test_business_days_move_due_dates():
    p = plan(cny("1000.00"), months=3, start=date(2025, 4, 1), first_due=date(2025, 5, 31), business_days="following")
    assert p.dues[0] == date(2025, 6, 2)
    p = plan(
        cny("1000.00"),
        months=1,
        start=date(2025, 9, 1),
        first_due=date(2025, 10, 1),
        business_days="following",
        calendar=calendar("cn"),
    )
    assert p.dues == [date(2025, 10, 9)] or p.dues == (date(2025, 10, 9),)


def test_jpy_has_no_minor_units():
    p = build_plan(Debt.parse("JPY", {"principal": "100000"}), [], Terms(start=START, months=3))
    assert p.amounts == (33334, 33333, 33333)


def test_installment_rows_and_balance_after():
    p = plan(cny("100.00"), months=3)
    rows = p.installments
    assert [r.n for r in rows] == [1, 2, 3]
    assert [r.balance_after for r in rows] == [6666, 3333, 0]
    assert rows[0].due == date(2025, 2, 15)


def test_headline_matches_the_full_schedule():
    for terms in (
        dict(months=12, fee_rate=Decimal("0.006")),
        dict(months=7, remainder="last", fee_rate=Decimal("0.0075")),
        dict(months=9, remainder="spread"),
        dict(months=12, tiers=((3, 5000),), fee_rate=Decimal("0.01"), fee_basis="declining"),
        dict(payment=20000, business_days="modified_following", calendar=WEEKENDS),
    ):
        d = cny("1234.56", interest="10.01")
        full = plan(d, **terms)
        h = headline(d, [], Terms(start=START, **terms))
        assert h.months == full.months
        assert h.first_installment == full.amounts[0]
        assert h.last_installment == full.amounts[-1]
        assert h.largest_installment == max(full.amounts)
        assert h.total_repayable == full.total_repayable
        assert h.total_fees == full.total_fees
        assert (h.first_due, h.last_due) == (full.dues[0], full.dues[-1])
        assert (h.apr_nominal, h.apr_effective) == full.apr


def test_a_plan_is_a_value_that_cannot_change():
    from dataclasses import FrozenInstanceError

    p = plan(fee_rate=Decimal("0.006"), months=12, fee_basis="declining", start=date(2026, 1, 15))
    assert isinstance(p.principals, tuple) and isinstance(p.fees, tuple) and isinstance(p.amounts, tuple)
    assert isinstance(p.dues, tuple)
    for name in ("months", "principals", "fees", "amounts", "dues", "terms", "balance", "apr", "new_name"):
        with pytest.raises(FrozenInstanceError):
            setattr(p, name, None)
        with pytest.raises(FrozenInstanceError):
            delattr(p, name)
    with pytest.raises(TypeError):
        p.waived["interest"] = 0  # type: ignore[index]
    assert p.apr is p.apr  # solved once, kept
    assert sum(p.amounts) == p.total_installments and p.months == 12
