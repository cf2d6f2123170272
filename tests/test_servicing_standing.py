"""Payments applied and statuses on a date: examples for every status, and properties over random plans.

The properties (hypothesis) compare :func:`plans.servicing.standing` with a day-by-day
reading of the rules and check the invariants: paid + outstanding = total and paid +
credit = received on every date (no minor unit lost); the status on every earlier day
is the one the later timeline says; broken and completed never change back; without
new payments a running plan only gets worse.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.debt import BUCKETS, Debt, Waiver
from calc.schedule import build_plan
from calc.terms import Terms
from plans.servicing import (
    AgreementSchedule,
    Ending,
    Mark,
    Obligation,
    Payment,
    Status,
    marks,
    replan_basis,
    standing,
)
from plans.servicing.vocabulary import SEVERITY

START = date(2026, 1, 10)


def level(n=6, amount=10000, down=0, fee=0):
    """``n`` monthly installments of ``amount`` due on the 10th from February, optional down payment."""
    obs = [Obligation(0, START, down, down, 0)] if down else []
    obs += [
        Obligation(i, date(2026, 1 + i, 10) if i < 12 else date(2027, i - 11, 10), amount, amount - fee, fee)
        for i in range(1, n + 1)
    ]
    principal = sum(o.principal for o in obs)
    return AgreementSchedule(
        "CNY", START, tuple(obs), tuple((b, principal if b == "principal" else 0, 0) for b in BUCKETS)
    )


def at(schedule, pays, day, grace=5, brk=3, endings=()):
    return standing(schedule, [Payment(d, a) for d, a in pays], day, grace, brk, endings)


# -- every status, by example ---------------------------------------------------------------


def test_current_before_and_on_the_due_date():
    s = level()
    assert at(s, [], date(2026, 2, 10)).status is Status.CURRENT  # due today is not overdue
    st_ = at(s, [(date(2026, 2, 9), 10000)], date(2026, 3, 1))
    assert (st_.status, st_.installments_paid, st_.next_due, st_.next_amount) == (
        Status.CURRENT,
        1,
        date(2026, 3, 10),
        10000,
    )


def test_in_grace_then_in_arrears_then_back_to_current_when_paid():
    s = level()
    assert at(s, [], date(2026, 2, 11)).status is Status.IN_GRACE
    assert at(s, [], date(2026, 2, 15)).status is Status.IN_GRACE  # 5 grace days: the 11th to the 15th
    late = at(s, [], date(2026, 2, 16))
    assert (late.status, late.missed, late.arrears, late.since) == (Status.IN_ARREARS, 1, 10000, date(2026, 2, 16))
    caught_up = at(s, [(date(2026, 2, 20), 10000)], date(2026, 2, 21))
    assert (caught_up.status, caught_up.missed, caught_up.arrears) == (Status.CURRENT, 0, 0)
    assert [(t.on, t.new) for t in caught_up.transitions] == [
        (START, Status.CURRENT),
        (date(2026, 2, 11), Status.IN_GRACE),
        (date(2026, 2, 16), Status.IN_ARREARS),
        (date(2026, 2, 20), Status.CURRENT),
    ]


def test_broken_when_three_are_missed_at_once_and_it_stays_broken():
    s = level()
    assert at(s, [], date(2026, 4, 15)).status is Status.IN_ARREARS  # two missed, the third in grace
    broken = at(s, [], date(2026, 4, 16))
    assert (broken.status, broken.missed, broken.since) == (Status.BROKEN, 3, date(2026, 4, 16))
    assert broken.arrears == broken.outstanding == 60000 and broken.next_due is None
    later = at(s, [(date(2026, 5, 1), 60000)], date(2026, 6, 1))  # paying everything after the breach
    assert later.status is Status.BROKEN and later.paid == 60000 and later.outstanding == 0


def test_paying_late_within_the_break_keeps_the_plan():
    s = level()
    pays = [(date(2026, 4, 14), 20000)]  # two missed installments paid before a third is missed
    r = at(s, pays, date(2026, 4, 20))
    assert (r.status, r.missed, r.arrears) == (Status.IN_ARREARS, 1, 10000)  # only April's is missed now
    assert at(s, pays, date(2026, 4, 14)).status is Status.IN_GRACE


def test_completed_with_a_credit_that_is_kept():
    s = level(n=2)
    st_ = at(s, [(date(2026, 2, 1), 15000), (date(2026, 3, 1), 8000)], date(2026, 3, 2))
    assert (st_.status, st_.paid, st_.outstanding, st_.credit, st_.received) == (
        Status.COMPLETED,
        20000,
        0,
        3000,
        23000,
    )
    assert st_.credit_since == date(2026, 3, 1) and st_.since == date(2026, 3, 1)
    assert at(s, [(date(2026, 2, 1), 15000), (date(2026, 3, 1), 8000)], date(2026, 12, 1)).status is Status.COMPLETED


def test_partial_and_overpayments_and_the_down_payment_first():
    s = level(down=5000)
    st_ = at(s, [(START, 12000)], date(2026, 2, 1))  # down payment, then 7000 of installment 1
    assert st_.applied[:3] == (5000, 7000, 0)
    assert marks(s, st_, 5)[:3] == [Mark.PAID, Mark.PARTLY_PAID, Mark.DUE]
    assert (st_.next_due, st_.next_amount) == (date(2026, 2, 10), 3000)
    odd = at(s, [(START, 12000)], date(2026, 2, 12))
    assert marks(s, odd, 5)[1] is Mark.OVERDUE and odd.arrears == 3000
    assert marks(s, at(s, [(START, 12000)], date(2026, 2, 16)), 5)[1] is Mark.MISSED


def test_records_end_the_agreement_whatever_the_payments_say():
    s = level()
    cancelled = at(s, [], date(2026, 5, 1), endings=[Ending(Status.CANCELLED, date(2026, 2, 1), 7)])
    assert (cancelled.status, cancelled.since, cancelled.arrears) == (Status.CANCELLED, date(2026, 2, 1), 0)
    assert cancelled.transitions[-1].record == 7
    replaced = at(
        s,
        [],
        date(2026, 6, 1),
        endings=[Ending(Status.BROKEN, date(2026, 4, 16), 8), Ending(Status.SUPERSEDED, date(2026, 5, 2), 9)],
    )
    assert [(t.new, t.record) for t in replaced.transitions[-2:]] == [(Status.BROKEN, 8), (Status.SUPERSEDED, 9)]
    assert replaced.status is Status.SUPERSEDED
    # before the record's date the payments decide
    assert (
        at(s, [], date(2026, 1, 20), endings=[Ending(Status.CANCELLED, date(2026, 2, 1), 7)]).status is Status.CURRENT
    )


def test_a_grace_of_zero_and_a_break_after_one():
    s = level()
    assert at(s, [], date(2026, 2, 11), grace=0).status is Status.IN_ARREARS
    assert at(s, [], date(2026, 2, 11), grace=0, brk=1).status is Status.BROKEN


def test_replan_basis_restores_waivers_only_after_a_breach():
    debt = Debt("CNY", principal=100000, interest=20000, penalty_interest=8000, late_fees=3000)
    waivers = (Waiver("late_fees", fraction=Decimal(1)), Waiver("penalty_interest", fraction=Decimal("0.5")))
    plan = build_plan(debt, waivers, Terms(start=START, months=6, fee_rate=Decimal("0.006")))
    s = AgreementSchedule.from_plan(plan)
    first = s.obligations[0].amount
    running = at(s, [(date(2026, 2, 10), first)], date(2026, 3, 1))
    basis = replan_basis(1, s, running, ("penalty_interest", "late_fees"), 0, 1)
    assert basis.restored_total == 0 and not basis.needs_supervisor
    # the first installment's fee went first, then its principal part to other charges before principal
    fee = s.obligations[0].fee
    principal_paid = first - fee
    owed = dict(basis.owed)
    assert owed["penalty_interest"] == max(0, 4000 - principal_paid)
    assert owed["interest"] == 20000 - min(20000, max(0, principal_paid - 4000))
    assert owed["late_fees"] == 0 and owed["principal"] == 100000 - max(0, principal_paid - 24000)
    assert basis.owed_total + basis.fees_dropped == running.outstanding
    broken = at(s, [(date(2026, 2, 10), first)], date(2026, 6, 1))
    assert broken.status is Status.BROKEN
    basis = replan_basis(1, s, broken, ("penalty_interest", "late_fees"), 1, 1)
    assert dict(basis.restored) == {
        "principal": 0,
        "interest": 0,
        "penalty_interest": 4000,
        "late_fees": 3000,
        "annual_fees": 0,
        "other_fees": 0,
    }
    assert basis.needs_supervisor  # one re-plan after a breach already granted; the policy allows one
    assert basis.debt.total == basis.owed_total + 7000
    # unpaid fees of due installments are owed, those not yet due are dropped
    assert dict(basis.owed)["other_fees"] == sum(o.fee for o in s.obligations if o.due <= date(2026, 6, 1)) - fee


# -- properties -------------------------------------------------------------------------------


@st.composite
def plans_and_payments(draw):
    months = draw(st.integers(1, 18))
    debt = Debt(
        "CNY",
        principal=draw(st.integers(months * 100, 5_000_000)),
        interest=draw(st.integers(0, 200_000)),
        late_fees=draw(st.integers(0, 50_000)),
    )
    waivers = (Waiver("late_fees", fraction=Decimal(1)),) if draw(st.booleans()) else ()
    fee = draw(st.sampled_from(["0", "0.006", "0.0075"]))
    down = draw(st.sampled_from([None, Decimal("0.1"), Decimal("0.25")]))
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 60)))
    plan = build_plan(debt, waivers, Terms(start=start, months=months, fee_rate=Decimal(fee), down_fraction=down))
    s = AgreementSchedule.from_plan(plan)
    span = (s.last_due - start).days + 90
    n = draw(st.integers(0, 12))
    pays = [
        (start + timedelta(days=draw(st.integers(-5, span))), draw(st.integers(1, max(2, s.total // 4))))
        for _ in range(n)
    ]
    grace = draw(st.integers(0, 10))
    brk = draw(st.integers(1, 4))
    return s, pays, grace, brk, span


def by_the_rules(s: AgreementSchedule, pays, x: date, grace: int, brk: int) -> Status:
    """The status on day ``x`` read straight from the rules, one day at a time from the start."""
    cum = s.cumulative()
    day = s.start
    while day <= x:
        received = sum(a for d, a in pays if d <= day)
        if received >= cum[-1]:
            return Status.COMPLETED
        unpaid = [o for o, c in zip(s.obligations, cum) if c > received]
        missed = sum(1 for o in unpaid if o.due + timedelta(days=grace) < day)
        if missed >= brk:
            return Status.BROKEN
        day += timedelta(days=1)
    received = sum(a for d, a in pays if d <= x)
    unpaid = [o for o, c in zip(s.obligations, cum) if c > received]
    if any(o.due + timedelta(days=grace) < x for o in unpaid):
        return Status.IN_ARREARS
    if any(o.due < x for o in unpaid):
        return Status.IN_GRACE
    return Status.CURRENT


@settings(max_examples=150, deadline=None)
@given(data=plans_and_payments(), when=st.floats(0, 1))
def test_status_follows_the_rules_day_by_day(data, when):
    s, pays, grace, brk, span = data
    x = s.start + timedelta(days=int(when * span))
    assert at(s, pays, x, grace, brk).status is by_the_rules(s, pays, x, grace, brk)


@settings(max_examples=200, deadline=None)
@given(data=plans_and_payments(), when=st.floats(0, 1))
def test_no_minor_unit_is_lost(data, when):
    s, pays, grace, brk, span = data
    x = s.start + timedelta(days=int(when * span))
    r = at(s, pays, x, grace, brk)
    received = sum(a for d, a in pays if d <= x)
    assert r.received == received
    assert r.paid + r.outstanding == s.total
    assert r.paid + r.credit == received
    assert sum(r.applied) == r.paid
    assert all(0 <= got <= o.amount for got, o in zip(r.applied, s.obligations))
    # in due order: everything before a partly paid obligation is paid, nothing after it
    partial = [i for i, (got, o) in enumerate(zip(r.applied, s.obligations)) if got < o.amount]
    if partial:
        assert all(g == 0 for g in r.applied[partial[0] + 1 :])
    if r.status.in_force or r.status is Status.BROKEN:
        basis = replan_basis(1, s, r, ("interest", "late_fees"), 0, 1)
        assert basis.owed_total + basis.fees_dropped == r.outstanding
        assert basis.debt.total == basis.owed_total + basis.restored_total
        assert (basis.restored_total > 0) <= (r.status is Status.BROKEN)


@settings(max_examples=150, deadline=None)
@given(data=plans_and_payments(), a=st.floats(0, 1), b=st.floats(0, 1))
def test_statuses_are_monotone_in_time(data, a, b):
    s, pays, grace, brk, span = data
    x1, x2 = sorted(s.start + timedelta(days=int(f * span)) for f in (a, b))
    r1, r2 = at(s, pays, x1, grace, brk), at(s, pays, x2, grace, brk)
    assert r2.received >= r1.received and r2.paid >= r1.paid
    if r1.status in (Status.BROKEN, Status.COMPLETED):
        assert r2.status is r1.status  # final
    if not any(x1 < d <= x2 for d, _ in pays):  # no new payment: only gets worse
        assert SEVERITY.get(r2.status, 9) >= SEVERITY.get(r1.status, 9) or r2.status is Status.COMPLETED
        assert r2.missed >= r1.missed or r2.status is Status.BROKEN
    # the later timeline tells the status of every earlier day
    shown = [t for t in r2.transitions if t.on <= x1][-1].new
    assert shown is r1.status


def test_status_names_are_the_public_strings():
    assert [str(s) for s in Status] == [
        "current",
        "in_grace",
        "in_arrears",
        "broken",
        "completed",
        "cancelled",
        "superseded",
    ]
    with pytest.raises(ValueError):
        Status("late")
