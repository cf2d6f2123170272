import random
from datetime import date

from dateutil.relativedelta import relativedelta

from calc.dates import WEEKENDS, add_months, adjust, due_dates, months_between
from plans.policy.calendars import calendar


def test_add_months_agrees_with_relativedelta():
    rng = random.Random(7)
    for _ in range(20000):
        d = date.fromordinal(rng.randint(date(1990, 1, 1).toordinal(), date(2090, 12, 31).toordinal()))
        k = rng.randint(0, 120)
        assert add_months(d, k) == d + relativedelta(months=k)


def test_month_end_anchor_does_not_drift():
    dues = due_dates(date(2024, 12, 15), date(2025, 1, 31), 4)
    assert dues == (date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30))


def test_leap_year_february():
    dues = due_dates(date(2023, 12, 20), date(2024, 1, 31), 3)
    assert dues[1] == date(2024, 2, 29)
    dues = due_dates(date(2024, 1, 1), date(2024, 2, 29), 13)
    assert dues[12] == date(2025, 2, 28)
    assert dues[1] == date(2024, 3, 29)  # anchor is the first due date's day, 29


def test_due_day_moves_to_the_next_month_when_already_past():
    assert due_dates(date(2025, 1, 10), date(2025, 1, 20), 2, due_day=15) == (date(2025, 2, 15), date(2025, 3, 15))
    assert due_dates(date(2025, 1, 10), date(2025, 1, 20), 2, due_day=25) == (date(2025, 1, 25), date(2025, 2, 25))
    assert due_dates(date(2025, 1, 10), date(2025, 1, 20), 2, due_day=31)[1] == date(2025, 2, 28)


def test_business_day_conventions_over_weekends():
    sat = date(2025, 5, 31)  # a Saturday at a month end
    assert adjust(sat, "none", WEEKENDS) == sat
    assert adjust(sat, "following", WEEKENDS) == date(2025, 6, 2)
    assert adjust(sat, "preceding", WEEKENDS) == date(2025, 5, 30)
    assert adjust(sat, "modified_following", WEEKENDS) == date(2025, 5, 30)
    assert adjust(date(2025, 5, 17), "modified_following", WEEKENDS) == date(2025, 5, 19)


def test_china_calendar_holidays_and_make_up_days():
    cn = calendar("cn")
    assert adjust(date(2025, 10, 1), "following", cn) == date(2025, 10, 9)  # National Day week
    assert adjust(date(2025, 9, 28), "following", cn) == date(2025, 9, 28)  # a Sunday worked (调休)
    assert adjust(date(2025, 9, 28), "following", WEEKENDS) == date(2025, 9, 29)
    assert adjust(date(2025, 1, 29), "preceding", cn) == date(2025, 1, 27)  # Spring Festival


def test_preceding_never_lands_on_or_before_the_agreement():
    # first due on a Sunday the day after a Saturday agreement: preceding would go back to Friday
    dues = due_dates(date(2025, 5, 31), date(2025, 6, 1), 2, convention="preceding", cal=WEEKENDS)
    assert dues[0] == date(2025, 6, 2)
    assert dues[0] > date(2025, 5, 31)


def test_months_between_on_the_monthly_grid():
    assert months_between(date(2025, 1, 15), date(2025, 2, 15)) == 1
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert abs(months_between(date(2025, 1, 1), date(2025, 1, 16)) - 15 / 31) < 1e-12
