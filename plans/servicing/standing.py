"""Where an agreement stands on a date: payments applied, its status and how it got there.

A pure function of the schedule, the payments, ``[servicing]`` and the date (and of
the records that ended the agreement: a breach, a cancellation, a re-plan), so the
same inputs always give the same answer.

**Applying payments.**  Money received up to the date pays the obligations in due
order: the down payment, then installment 1, 2, ...  A partial payment leaves an
obligation partly paid; more than is due goes to the next installments; money beyond
the schedule's total is a *credit* (kept, never lost, and flagged for review).
``paid + outstanding == total`` and ``paid + credit == received`` on every date.

**Status** (``plans.servicing.vocabulary.Status``) on day ``x``:

* an obligation is *overdue* on ``x`` when its due date is before ``x`` and it is not
  paid in full by ``x``; *missed* when also ``x`` is more than ``grace_days`` after
  its due date;
* ``completed`` from the day the whole total is paid; ``broken`` from the first day
  ``break_after_missed`` obligations are missed at once (the plan ends: both are
  final); else ``in_arrears`` while one is missed, ``in_grace`` while one is overdue,
  ``current`` otherwise;
* a record ends the agreement from its date whatever the payments say: a breach
  (``broken``), a cancellation (``cancelled``) or a re-plan (``superseded``).

Without new payments a running plan only gets worse (current < in_grace < in_arrears
< broken), a missed installment stays missed until it is paid, and ``broken`` and
``completed`` never change back.

Days are ``date.toordinal()`` numbers inside (the monitor runs this over hundreds of
thousands of agreements); :func:`standing` takes and returns dates.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from typing import Iterable, NamedTuple, Sequence

from plans.policy import Servicing

from .schedule import AgreementSchedule
from .vocabulary import Mark, Status


class Payment(NamedTuple):
    """A payment as the standing needs it (the store's record has more)."""

    paid_on: date
    amount: int


class Ending(NamedTuple):
    """A record that ended the agreement: ``status`` is broken, cancelled or superseded."""

    status: Status
    on: date
    record: int | None = None


class Transition(NamedTuple):
    on: date
    old: Status | None
    new: Status
    #: The agreements record behind it (a breach, cancellation or re-plan), if any.
    record: int | None = None


@dataclass(frozen=True, slots=True)
class Standing:
    """An agreement on ``as_of``.  Amounts are minor units of the schedule's currency."""

    as_of: date
    status: Status
    #: The day the status began.
    since: date
    #: Everything received up to ``as_of``; ``paid`` went to the schedule, ``credit`` is beyond it.
    received: int
    paid: int
    outstanding: int
    credit: int
    #: The day money first went beyond the total (None without a credit).
    credit_since: date | None
    #: Not yet paid of the obligations due before ``as_of`` (for a broken plan: all that is outstanding).
    arrears: int
    #: Obligations overdue / missed on ``as_of`` (for a broken plan: when it broke).
    overdue: int
    missed: int
    installments_paid: int
    installments_total: int
    #: The next obligation due on or after ``as_of`` with something left to pay, and what is left of it
    #: (None and 0 once the plan no longer runs).
    next_due: date | None
    next_amount: int
    #: What each obligation has received, in schedule order.
    applied: tuple[int, ...]
    #: Every status change up to ``as_of``, the first being the agreement's start as ``current``.
    transitions: tuple[Transition, ...]

    @property
    def in_force(self) -> bool:
        return self.status.in_force


def marks(schedule: AgreementSchedule, standing: Standing, grace_days: int) -> list[Mark]:
    """How each obligation stands on ``standing.as_of``: paid, partly paid, due, overdue or missed."""
    day = standing.as_of.toordinal()
    out = []
    for o, got in zip(schedule.obligations, standing.applied):
        due = o.due.toordinal()
        if got >= o.amount:
            out.append(Mark.PAID)
        elif due < day:
            out.append(Mark.MISSED if due + grace_days < day else Mark.OVERDUE)
        else:
            out.append(Mark.PARTLY_PAID if got else Mark.DUE)
    return out


def standing(
    schedule: AgreementSchedule,
    payments: Iterable[Payment],
    as_of: date,
    grace_days: int,
    break_after_missed: int,
    endings: Sequence[Ending] = (),
) -> Standing:
    """Where the agreement with ``schedule`` stands on ``as_of`` (see the module docstring)."""
    dues = [o.due.toordinal() for o in schedule.obligations]
    pays = sorted((p.paid_on.toordinal(), p.amount) for p in payments if p.paid_on <= as_of)
    ends = sorted((e.on.toordinal(), e.status, e.record) for e in endings if e.on <= as_of)
    r = compute(
        dues,
        schedule.cumulative(),
        1 if schedule.down_payment else 0,
        [d for d, _ in pays],
        [a for _, a in pays],
        schedule.start.toordinal(),
        as_of.toordinal(),
        grace_days,
        break_after_missed,
        ends,
    )
    (
        status,
        since,
        received,
        paid,
        credit,
        credit_since,
        arrears,
        overdue,
        missed,
        inst_paid,
        next_due,
        next_amount,
        applied,
        changes,
    ) = r
    day = date.fromordinal
    return Standing(
        as_of,
        status,
        day(since),
        received,
        paid,
        schedule.total - paid,
        credit,
        day(credit_since) if credit_since else None,
        arrears,
        overdue,
        missed,
        inst_paid,
        schedule.installments_total,
        day(next_due) if next_due else None,
        next_amount,
        tuple(applied),
        tuple(Transition(day(on), old, new, rec) for on, old, new, rec in changes),
    )


def compute(
    dues: Sequence[int],
    cum: Sequence[int],
    downs: int,
    pay_days: Sequence[int],
    pay_amounts: Sequence[int],
    start: int,
    as_of: int,
    grace: int,
    brk: int,
    ends: Sequence[tuple[int, Status, int | None]],
    want_applied: bool = True,
) -> tuple:
    """The standing in plain numbers (the monitor's inner loop; :func:`standing` wraps it).

    ``dues`` and ``cum`` (cumulative amounts) per obligation in due order, ``downs`` 1 when
    the first is a down payment; payments sorted by day, none after ``as_of``; ``ends``
    the ending records on or before ``as_of`` as ``(day, status, record)``, sorted.
    ``applied`` (what each obligation received) is left empty unless ``want_applied``.
    Returns ``(status, since, received, paid, credit, credit_since, arrears, overdue,
    missed, installments_paid, next_due, next_amount, applied, transitions)``.
    """
    m = len(dues)
    total = cum[-1]
    # the day each obligation was paid in full (None: not by as_of)
    covers: list[int | None] = [None] * m
    received = k = 0
    credit_since = None
    for day, amount in zip(pay_days, pay_amounts):
        received += amount
        while k < m and cum[k] <= received:
            covers[k] = day
            k += 1
        if credit_since is None and received > total:
            credit_since = day
    k_paid = k
    completion = covers[-1]
    first_end = ends[0][0] if ends else None
    limit = as_of if first_end is None else min(as_of, first_end - 1)

    status, since = Status.CURRENT, start
    changes: list[tuple[int, Status | None, Status, int | None]] = [(start, None, Status.CURRENT, None)]
    # status changes happen only where an obligation becomes overdue or missed, or is paid
    events: dict[int, list[int]] = {}
    for i in range(m):
        c, d = covers[i], dues[i]
        if c is not None and c <= d:
            continue
        if d + 1 > limit:
            break  # later obligations fall due later still
        _event(events, d + 1, 0, 1)
        if c is not None:
            _event(events, c, 0, -1)
        if c is None or d + grace + 1 < c:
            _event(events, d + grace + 1, 1, 1)
            if c is not None:
                _event(events, c, 1, -1)
    if completion is not None and completion <= limit:
        events.setdefault(completion, [0, 0])
    if events:
        overdue_n = missed_n = 0
        for day in sorted(events):
            if day > limit:
                break
            d_overdue, d_missed = events[day]
            overdue_n += d_overdue
            missed_n += d_missed
            if completion is not None and day >= completion:
                new = Status.COMPLETED
            elif missed_n >= brk:
                new = Status.BROKEN
            elif missed_n:
                new = Status.IN_ARREARS
            elif overdue_n:
                new = Status.IN_GRACE
            else:
                new = Status.CURRENT
            if new is not status:
                changes.append((day, status, new, None))
                status, since = new, day
                if new is Status.BROKEN or new is Status.COMPLETED:
                    break
    for day, ended, record in ends:
        if ended is not status:
            changes.append((day, status, ended, record))
            status, since = ended, day

    paid = received if received < total else total
    credit = received - paid
    applied = [0] * m if want_applied else []
    before = 0
    for i in range(m if want_applied else 0):
        part = paid - before
        if part <= 0:
            break
        amount = cum[i] - before
        applied[i] = amount if part >= amount else part
        before = cum[i]
    inst_paid = k_paid - downs if k_paid > downs else 0
    if status.in_force:
        due_before = bisect_left(dues, as_of)  # obligations due before as_of
        arrears = cum[due_before - 1] - paid if due_before and cum[due_before - 1] > paid else 0
        overdue = due_before - k_paid if due_before > k_paid else 0
        graced = bisect_left(dues, as_of - grace)  # due more than `grace` days before as_of
        missed = graced - k_paid if graced > k_paid else 0
        nxt = max(k_paid, bisect_left(dues, as_of))
        if nxt < m:
            next_due, next_amount = dues[nxt], cum[nxt] - max(paid, cum[nxt - 1] if nxt else 0)
        else:
            next_due, next_amount = None, 0
    else:
        next_due, next_amount = None, 0
        if status is Status.BROKEN:  # as it stood when it broke; everything left is due now
            arrears = total - paid
            paid_then = sum(1 for c in covers if c is not None and c <= since)
            missed = max(0, bisect_left(dues, since - grace) - paid_then)
            overdue = max(0, bisect_left(dues, since) - paid_then)
        else:
            arrears = overdue = missed = 0
    return (
        status,
        since,
        received,
        paid,
        credit,
        credit_since,
        arrears,
        overdue,
        missed,
        inst_paid,
        next_due,
        next_amount,
        applied,
        changes,
    )


def _event(events: dict[int, list[int]], day: int, which: int, delta: int) -> None:
    slot = events.get(day)
    if slot is None:
        slot = events[day] = [0, 0]
    slot[which] += delta


def breach_reason(servicing: Servicing, on: date) -> str:
    """The reason a breach record gives (kept in the database, in English like other reasons)."""
    return (
        f"{servicing.break_after_missed} installment(s) missed at once on {on.isoformat()} "
        f"([servicing] grace_days = {servicing.grace_days}, break_after_missed = {servicing.break_after_missed})"
    )


__all__ = ["Ending", "Payment", "Standing", "Transition", "breach_reason", "compute", "marks", "standing"]
