"""Business-day calendars by name: ``weekends`` and ``cn`` (mainland China).

The ``cn`` calendar takes the official holidays and make-up working days (调休)
of the years the State Council has published from the maintained
``chinese_calendar`` package.  For the years after them the statutory holidays
still fall by the national holiday rules, fixed dates (New Year's Day, Labour
Day, National Day) and lunar ones (Spring Festival and its eve, Qingming,
Dragon Boat, Mid-Autumn) alike: the maintained ``holidays`` package
(``holidays.China``) computes them, with the usual days off in lieu of those
that fall on a weekend.  Those dates are provisional: make-up working days and
the exact arrangement are only known once that year is published, so
``Calendar.known_until`` marks where the published data ends and due dates
after it say that they may move (``calc.dates.provisional_after``).  The
``holidays`` package computes years up to ``rules_until`` (2100); later dates
cannot be adjusted with this calendar.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from calc.dates import WEEKENDS, Calendar
from calc.errors import InvalidInput

CALENDARS = ("weekends", "cn")


def published_china() -> tuple[frozenset, frozenset, int]:
    """(holidays, make-up working days, last published year) from the State Council's notices."""
    from chinese_calendar import constants

    holidays = frozenset(constants.holidays)
    return holidays, frozenset(constants.workdays), max(holidays).year


def computed_china(first_year: int) -> tuple[frozenset, int]:
    """(statutory holidays by the rules, last year computed) from ``first_year`` on."""
    import holidays

    last = min(getattr(holidays.China, "end_year", 2100), 2100)
    if first_year > last:
        return frozenset(), last
    return frozenset(holidays.China(years=range(first_year, last + 1))), last


@lru_cache(maxsize=None)
def china() -> Calendar:
    published, workdays, last_published = published_china()
    computed, last_computed = computed_china(last_published + 1)
    return Calendar(
        "cn",
        published | computed,
        workdays,
        known_until=date(last_published, 12, 31),
        rules_until=date(last_computed, 12, 31),
    )


def date_warnings(provisional_from: date | None, calendar: Calendar) -> list[dict]:
    """The warnings of a plan whose due dates from ``provisional_from`` on may move (none when None):
    ``[{"code": "provisional_dates", "from": "YYYY-MM-DD", "message": "..."}]``, the ``warnings`` of the
    public documents.  Summaries say the same in their language (plans.summary.document)."""
    if provisional_from is None or calendar.known_until is None:  # (a calendar of weekends alone has no
        return []  # provisional dates)
    return [
        {
            "code": "provisional_dates",
            "from": provisional_from.isoformat(),
            "message": f"due dates from {provisional_from.isoformat()} on rest on holidays computed from the "
            f"holiday rules, not on published ones: the official holidays and make-up working days "
            f"after {calendar.known_until.isoformat()} are not published yet, so these dates may move",
        }
    ]


def calendar(name: str) -> Calendar:
    if name == "weekends":
        return WEEKENDS
    if name == "cn":
        return china()
    raise InvalidInput(f"unknown calendar {name!r}; use {' or '.join(CALENDARS)}", "calendar")
