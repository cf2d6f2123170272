"""Business-day calendars by name: ``weekends`` and ``cn`` (mainland China).

The ``cn`` calendar takes official holidays and make-up working days (调休) from
the maintained ``chinese_calendar`` package.  Its data reaches only the years the
State Council has published; after ``known_until`` only weekends count.
"""

from __future__ import annotations

from functools import lru_cache

from calc.dates import WEEKENDS, Calendar
from calc.errors import InvalidInput

CALENDARS = ("weekends", "cn")


@lru_cache(maxsize=None)
def china() -> Calendar:
    from chinese_calendar import constants

    holidays = frozenset(constants.holidays)
    return Calendar("cn", holidays, frozenset(constants.workdays), known_until=max(holidays))


def calendar(name: str) -> Calendar:
    if name == "weekends":
        return WEEKENDS
    if name == "cn":
        return china()
    raise InvalidInput(f"unknown calendar {name!r}; use {' or '.join(CALENDARS)}", "calendar")
