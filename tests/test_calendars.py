"""Mainland China's holidays beyond the published years, and the warnings that say so."""

from __future__ import annotations

import cli_process
import json
from datetime import date
from decimal import Decimal

import pytest

from calc.debt import Debt
from calc.errors import InvalidInput
from calc.schedule import build_plan
from calc.terms import Terms
from plans.policy.calendars import china, date_warnings
from plans.summary import SummaryAccount, Creditor, build_summary, render


def test_published_years_come_with_make_up_working_days():
    cal = china()
    assert cal.known_until == date(cal.known_until.year, 12, 31) and cal.known_until.year >= 2026
    assert not cal.is_business_day(date(2026, 10, 1))
    assert cal.is_business_day(date(2026, 1, 4))  # a Sunday worked in lieu (调休)


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 1, 1),
        date(2027, 10, 1),
        date(2027, 10, 4),  # New Year's Day, National Day and its lieu day
        date(2027, 2, 5),
        date(2027, 2, 8),  # Spring Festival eve and days (lunar)
        date(2030, 6, 5),
        date(2030, 9, 12),
        date(2045, 5, 1),  # Dragon Boat, Mid-Autumn (lunar), Labour Day
    ],
)
def test_statutory_holidays_after_the_published_years_are_computed(day):
    cal = china()
    assert day > cal.known_until
    assert not cal.is_business_day(day)


def test_due_dates_move_off_computed_holidays_and_say_they_may_move():
    start = date(2026, 11, 1)
    terms = Terms(start=start, months=12, first_due=date(2027, 1, 1), business_days="following", calendar=china())
    plan = build_plan(Debt("CNY", principal=1_200_000), [], terms)
    assert plan.dues[0] == date(2027, 1, 4)  # New Year's Day 2027 is a Friday, then the weekend
    assert plan.dues[9] == date(2027, 10, 6)  # National Day 1-3 October, the weekend in lieu on 4-5
    assert plan.provisional_from == date(2027, 1, 4)
    (warning,) = date_warnings(plan.provisional_from, terms.calendar)
    assert warning["code"] == "provisional_dates" and warning["from"] == "2027-01-04"
    for lang, words in (("en", "Due dates may move"), ("zh_CN", "到期日可能调整"), ("zh_TW", "到期日可能調整")):
        text = render([build_summary(plan, Creditor("Bank"), SummaryAccount("1234"))], "text", lang)
        assert words in text


def test_nothing_is_provisional_without_adjustment_or_before_the_end_of_the_data():
    start = date(2026, 1, 5)
    plain = build_plan(Debt("CNY", principal=1_200_000), [], Terms(start=start, months=24, calendar=china()))
    assert plain.provisional_from is None
    early = build_plan(
        Debt("CNY", principal=1_200_000), [], Terms(start=start, months=6, business_days="following", calendar=china())
    )
    assert early.provisional_from is None


def test_beyond_the_rules_the_calendar_says_so():
    terms = Terms(start=date(2101, 1, 10), months=3, business_days="following", calendar=china())
    with pytest.raises(InvalidInput) as exc:
        build_plan(Debt("CNY", principal=100_000), [], terms)
    assert exc.value.field == "calendar" and "2100-12-31" in exc.value.message


def test_quote_document_has_warnings_and_the_exact_fee_rate():
    done = cli_process.run(
        [
            "quote",
            "--principal",
            "10000",
            "--months",
            "24",
            "--start",
            "2026-06-01",
            "--business-days",
            "following",
            "--calendar",
            "cn",
            "--fee-rate",
            "0.055%",
            "--format",
            "json",
        ]
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    doc = json.loads(out)
    assert [w["code"] for w in doc["warnings"]] == ["provisional_dates"]
    assert Decimal(doc["fee_rate"]) == Decimal("0.00055") and doc["fee_rate"] == "0.00055"
