"""Due dates: month arithmetic from an anchor, and business-day adjustment.

Installment ``i`` (1-based) falls ``i - 1`` months after the first one, computed
from the anchor each time (never by stepping from the previous date, which drifts
to the 28th).  The anchor day is ``due_day`` when given, else the first due
date's day, clamped to each month's last day: 31 Jan -> 28/29 Feb -> 31 Mar.

When ``due_day`` is given, the first installment falls on that day of the first
due date's month, or of the next month when that day is already past.

Month arithmetic uses a month-length table rather than ``relativedelta`` (1.4 µs
against 7-14 µs a date; they agree, tests/test_dates.py checks it).

A calendar is plain data: weekends plus optional holidays and make-up working
days (调休).  ``plans.policy.calendars`` builds mainland China's from a maintained package;
``calc`` never reads files or imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .errors import InvalidInput

CONVENTIONS = ("none", "following", "preceding", "modified_following")

#: The dates plans can use: every date read (agreement, due, recovery, birth...) and every date a
#: plan derives lies in this range.  Far wider than any repayment plan needs, and it keeps month
#: arithmetic away from the limits of ``datetime.date`` (year 9999).
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_WIDE_DATE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "－": "-"})


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_length(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def add_months(d: date, months: int, day: int | None = None) -> date:
    """``d`` moved by ``months`` months, on ``day`` (default ``d.day``) clamped to the month's end."""
    idx = d.year * 12 + d.month - 1 + months
    year, month0 = divmod(idx, 12)
    last = month_length(year, month0 + 1)
    want = d.day if day is None else day
    return date(year, month0 + 1, want if want <= last else last)


@dataclass(frozen=True, slots=True, eq=False)
class Calendar:
    """Weekends are closed unless listed in ``workdays``; ``holidays`` are closed too.

    ``known_until`` is the last date of the published holiday data; the holidays
    after it (up to ``rules_until``) are computed from the holiday rules, so a due
    date after it is provisional: it may move once that year's holidays and
    make-up working days are published (:func:`provisional_after`).  After
    ``rules_until`` no holidays are known at all, and adjusting a date there is an
    error.  Both are None for a calendar of weekends alone.  Calendars compare by
    identity: build each once and reuse it.
    """

    name: str
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    known_until: date | None = None
    rules_until: date | None = None

    def is_business_day(self, d: date) -> bool:
        if d in self.holidays:
            return False
        if d in self.workdays:
            return True
        return d.weekday() < 5

    def check_known(self, d: date) -> None:
        if self.rules_until is not None and d > self.rules_until:
            raise InvalidInput(
                f"the {self.name} calendar knows holidays up to {self.rules_until.isoformat()}, and a due "
                f"date falls on {d.isoformat()}; use the weekends calendar or no business-day "
                "adjustment for such dates",
                "calendar",
            )


def provisional_after(convention: str, cal: Calendar) -> date | None:
    """The date after which business-day-adjusted due dates are provisional (None: none are).

    Dates that are not adjusted (``convention`` "none") never depend on holidays."""
    return None if convention == "none" else cal.known_until


WEEKENDS = Calendar("weekends")


def adjust(d: date, convention: str, cal: Calendar) -> date:
    """Move ``d`` to a business day by ``convention``."""
    if convention == "none" or cal.is_business_day(d):
        return d
    one = timedelta(days=1)
    if convention == "preceding":
        while not cal.is_business_day(d):
            d -= one
        return d
    moved = d
    while not cal.is_business_day(moved):
        moved += one
    if convention == "modified_following" and moved.month != d.month:
        moved = d
        while not cal.is_business_day(moved):
            moved -= one
    return moved


def first_installment_date(first_due: date, due_day: int | None) -> date:
    if due_day is None:
        return first_due
    candidate = add_months(first_due, 0, due_day)
    return candidate if candidate >= first_due else add_months(first_due, 1, due_day)


@lru_cache(maxsize=4096)
def due_dates(
    start: date,
    first_due: date,
    months: int,
    due_day: int | None = None,
    convention: str = "none",
    cal: Calendar = WEEKENDS,
) -> tuple[date, ...]:
    """The ``months`` due dates of a plan, adjusted to business days, strictly increasing.

    Pure in its arguments, so cached: a portfolio run shares a few anchors.
    A date that ``preceding`` would move onto or before the agreement date moves
    forward instead.
    """
    anchor = first_installment_date(first_due, due_day)
    day = anchor.day if due_day is None else due_day
    base = anchor.year * 12 + anchor.month - 1
    out = []
    for i in range(months):
        year, month0 = divmod(base + i, 12)
        last = month_length(year, month0 + 1)
        out.append(date(year, month0 + 1, day if day <= last else last))
    if convention != "none":
        cal.check_known(out[-1])
        adjusted = []
        for d in out:
            a = adjust(d, convention, cal)
            if a <= start:
                a = adjust(d, "following", cal)
            adjusted.append(a)
        out = adjusted
    for prev, nxt in zip(out, out[1:]):
        if nxt <= prev:  # cannot happen with monthly spacing and real calendars; guard anyway
            raise InvalidInput(f"due dates {prev} and {nxt} collide after business-day adjustment", "business_days")
    return tuple(out)


def last_due_date(
    start: date,
    anchor: date,
    months: int,
    day: int | None = None,
    convention: str = "none",
    cal: Calendar = WEEKENDS,
) -> date:
    """The last due date alone (for headline figures), from the first installment's
    unadjusted date ``anchor`` (see :func:`first_installment_date`)."""
    d = add_months(anchor, months - 1, anchor.day if day is None else day)
    if convention != "none":
        cal.check_known(d)
        a = adjust(d, convention, cal)
        d = a if a > start else adjust(d, "following", cal)
    return d


def months_between(start: date, end: date) -> float:
    """Months from ``start`` to ``end`` on the monthly grid: whole months, then the
    leftover days over the length of the month in which they fall (for APR timing)."""
    whole = (end.year - start.year) * 12 + end.month - start.month
    lo = add_months(start, whole)
    if lo == end:
        return float(whole)
    if lo > end:
        whole -= 1
        lo = add_months(start, whole)
    hi = add_months(start, whole + 1)
    return whole + (end - lo).days / (hi - lo).days


def check_date(d: date, field: str) -> date:
    """``d`` if it lies within :data:`MIN_DATE`..:data:`MAX_DATE`, else InvalidInput naming ``field``."""
    if not MIN_DATE <= d <= MAX_DATE:
        raise InvalidInput(
            f"{d.isoformat()} is out of range; dates must be from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}",
            field,
        )
    return d


def parse_date(value: object, field: str) -> date:
    """An ISO date (YYYY-MM-DD; full-width digits read as digits) from text, or a ``date``,
    within :data:`MIN_DATE`..:data:`MAX_DATE`."""
    if isinstance(value, date):
        return check_date(value, field)
    text = str(value).strip().translate(_WIDE_DATE)
    if not _ISO_DATE.fullmatch(text):
        if not text:
            raise InvalidInput("is empty; give a date as YYYY-MM-DD, e.g. 2025-01-31", field)
        raise InvalidInput(f"{str(value)[:40]!r} is not a date; use YYYY-MM-DD, e.g. 2025-01-31", field)
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a date of the calendar (no such day); use YYYY-MM-DD, e.g. 2025-01-31", field
        ) from None
    return check_date(d, field)


def check_horizon(first_due: date, months: int, field: str) -> None:
    """Refuse a plan whose due dates would run past :data:`MAX_DATE`.

    ``first_due`` is the first (unadjusted) due date and ``months`` the longest
    term the plan may take; one month more covers a due day in the next month and
    business-day moves, so every date a plan derives stays within the range."""
    if first_due.year * 12 + first_due.month + months > MAX_DATE.year * 12 + MAX_DATE.month:
        raise InvalidInput(
            f"a plan of up to {months} months due from {first_due.isoformat()} would run past "
            f"{MAX_DATE.isoformat()}, the last date plans can use; use an earlier date",
            field,
        )
