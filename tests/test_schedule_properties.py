"""Invariants of every plan over random inputs (docs/design.md section 4)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, example, given, settings, strategies as st

from calc import BUCKETS, Debt, InvalidInput, NoPlanFits, Terms, Waiver, build_plan, headline
from calc.dates import CONVENTIONS, WEEKENDS
from plans.policy.calendars import calendar

amounts = st.integers(min_value=0, max_value=5_000_000_00)


@st.composite
def plans(draw):
    currency = draw(st.sampled_from(["CNY", "JPY", "KWD"]))
    debt = Debt(currency, **{b: draw(amounts if b == "principal" else st.integers(0, 200_000_00)) for b in BUCKETS})
    waivers = []
    for b in draw(st.lists(st.sampled_from(BUCKETS), unique=True, max_size=3)):
        if draw(st.booleans()):
            waivers.append(Waiver(b, fraction=Decimal(draw(st.integers(0, 100))) / 100))
        else:
            waivers.append(Waiver(b, amount=draw(st.integers(0, getattr(debt, b)))))
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    remainder = draw(st.sampled_from(["first", "last", "spread"]))
    round_to = 1 if remainder == "spread" else draw(st.sampled_from([1, 1, 10, 100]))
    max_months = draw(st.integers(1, 60))
    use_payment = draw(st.booleans())
    tiers = ()
    if draw(st.booleans()) and max_months > 3:
        tiers = ((draw(st.integers(1, 3)), draw(st.integers(1, 50_000_00))),)
    terms = dict(
        start=start,
        max_months=max_months,
        first_due=start + timedelta(days=draw(st.integers(1, 60))) if draw(st.booleans()) else None,
        due_day=draw(st.none() | st.integers(1, 31)),
        fee_rate=Decimal(draw(st.integers(0, 150))) / 10000,
        fee_basis=draw(st.sampled_from(["flat", "declining"])),
        remainder=remainder,
        round_to=round_to,
        tiers=tiers,
        business_days=draw(st.sampled_from(CONVENTIONS)),
        calendar=draw(st.sampled_from([WEEKENDS, calendar("cn")])),
        down_fraction=Decimal(draw(st.integers(0, 50))) / 100 if draw(st.booleans()) else None,
    )
    if use_payment:
        terms["payment"] = draw(st.integers(1, 2_000_000_00))
    else:
        terms["months"] = draw(st.integers(1, max_months))
    return debt, waivers, terms


def _build(debt, waivers, terms):
    try:
        return build_plan(debt, waivers, Terms(**terms))
    except (InvalidInput, NoPlanFits):
        assume(False)


@settings(max_examples=400, deadline=None)
@given(plans())
def test_every_minor_unit_is_accounted_for(case):
    debt, waivers, terms = case
    p = _build(debt, waivers, terms)
    assert debt.total == sum(p.waived.values()) + p.down_payment + sum(p.principals)
    assert sum(p.amounts) == sum(p.principals) + sum(p.fees)
    assert p.total_repayable == p.down_payment + sum(p.amounts)
    assert p.installments[-1].balance_after == 0
    for bucket, waived in p.waived.items():
        assert 0 <= waived <= getattr(debt, bucket)


@settings(max_examples=400, deadline=None)
@given(plans())
def test_dates_strictly_increase_after_the_agreement_and_amounts_are_positive(case):
    debt, waivers, terms = case
    p = _build(debt, waivers, terms)
    assert len(p.dues) == p.months == len(p.amounts)
    assert p.dues[0] > p.terms.start
    assert all(a < b for a, b in zip(p.dues, p.dues[1:]))
    assert all(x > 0 for x in p.amounts)
    assert all(x >= 0 for x in p.fees)
    if "payment" in terms:
        assert max(p.amounts) <= terms["payment"]
    if not p.total_fees:
        assert p.apr == (Decimal("0.0000"), Decimal("0.0000"))
    else:
        assert p.apr[0] > 0 and p.apr[1] >= p.apr[0]


@settings(max_examples=300, deadline=None)
@given(plans())
def test_headline_agrees_with_the_full_schedule(case):
    debt, waivers, terms = case
    p = _build(debt, waivers, terms)
    h = headline(debt, waivers, Terms(**terms))
    assert (h.months, h.first_installment, h.last_installment, h.largest_installment) == (
        p.months,
        p.amounts[0],
        p.amounts[-1],
        max(p.amounts),
    )
    assert (h.total_fees, h.total_repayable, h.first_due, h.last_due) == (
        p.total_fees,
        p.total_repayable,
        p.dues[0],
        p.dues[-1],
    )
    assert (h.apr_nominal, h.apr_effective) == p.apr
    assert h.regular_installment in p.amounts


#: A split's figures as the split property tests below draw them (each adds its own tiers).
SPLITS = dict(
    financed=st.integers(1, 5_000_000_00),
    months=st.integers(1, 60),
    fee_rate=st.integers(0, 150),
    fee_basis=st.sampled_from(["flat", "declining"]),
    remainder=st.sampled_from(["first", "last", "spread"]),
    round_to=st.sampled_from([1, 1, 10, 100]),
)
TIER = st.tuples(st.integers(1, 3), st.integers(1, 50_000_00))


def split_terms(months, fee_rate, fee_basis, remainder, round_to, tiers) -> Terms:
    """Terms of a drawn split (the rounding unit is the minor unit when the remainder is spread)."""
    return Terms(
        start=date(2026, 1, 15),
        months=months,
        max_months=60,
        fee_rate=Decimal(fee_rate) / 10000,
        fee_basis=fee_basis,
        remainder=remainder,
        round_to=1 if remainder == "spread" else round_to,
        tiers=tiers,
    )


@settings(max_examples=500, deadline=None)
@given(**SPLITS, tiers=st.none() | TIER)
# a tier of the level amount (one run), and one just above it with a remainder put first
@example(financed=1200, months=12, fee_rate=0, fee_basis="flat", remainder="last", round_to=1, tiers=(2, 100))
@example(financed=1205, months=12, fee_rate=50, fee_basis="flat", remainder="first", round_to=1, tiers=(3, 101))
def test_amount_runs_are_the_split_schedules_runs(financed, months, fee_rate, fee_basis, remainder, round_to, tiers):
    """The O(1) runs of level plans and the grouped split of the others equal the schedule's own runs."""
    from itertools import groupby

    import dataclasses

    from calc.schedule import amount_runs, level_runs, split

    terms = split_terms(
        months, fee_rate, fee_basis, remainder, round_to, (tiers,) if tiers and months > tiers[0] else ()
    )
    try:
        s = split(financed, months, terms)
    except InvalidInput:
        assume(False)
    amounts = [p + f for p, f in zip(s.principals, s.fees)]
    runs = tuple((a, len(list(g))) for a, g in groupby(amounts))
    assert amount_runs(financed, months, terms) == runs
    # level_runs, made once from terms of any term (a batch's grid), gives the same runs or leaves it to split
    # (with the plan's tier given to it, if any: a step plan)
    assert level_runs(terms) is None or not terms.tiers
    level = level_runs(dataclasses.replace(terms, months=1, tiers=()))
    assert (level is None) == bool(terms.fee_rate and fee_basis == "declining")
    if level is not None:
        got = level(financed, months, terms.tiers[0] if terms.tiers else None)
        assert got in (runs, None)
        assert got is not None or remainder == "spread"  # (r >= the level months: split decides)


@settings(max_examples=300, deadline=None)
@given(**SPLITS, tiers=st.lists(TIER, max_size=3))
# declining fees with the remainder last: the last installment (more principal, less fee) may be the largest
@example(financed=100_007, months=3, fee_rate=1, fee_basis="declining", remainder="last", round_to=10, tiers=[])
def test_the_largest_installment_is_the_largest_of_the_split(
    financed, months, fee_rate, fee_basis, remainder, round_to, tiers
):
    """choose_months picks a term by its largest installment, worked out from the runs of principal parts
    without splitting the plan: it is the largest of the split plan's installments, and it refuses exactly
    the terms that cannot be split, for the same reason."""
    from calc.schedule import _largest, split

    terms = split_terms(months, fee_rate, fee_basis, remainder, round_to, tuple(tiers))
    try:
        s = split(financed, months, terms)
    except InvalidInput as exc:
        try:
            _largest(financed, months, terms)
        except InvalidInput as again:
            assert (again.field, str(again)) == (exc.field, str(exc))
        else:
            raise AssertionError(f"split refused ({exc}) but the largest installment was worked out") from None
        return
    assert _largest(financed, months, terms) == max(p + f for p, f in zip(s.principals, s.fees))
