"""The one rule for typed numbers (calc.numerals), dates in range, and currencies in circulation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from calc.dates import MAX_DATE, MIN_DATE, parse_date
from calc.errors import InvalidInput, UnknownCurrency
from calc.money import circulating, exact_fraction_text, exponent, parse_amount, parse_percent
from calc.numerals import NumberFormatError, number_text, parse_whole


@pytest.mark.parametrize(
    "text,plain",
    [
        ("1234.56", "1234.56"),
        ("48,000.50", "48000.50"),
        ("1,234,567", "1234567"),
        ("999", "999"),
        ("１２００", "1200"),
        ("１２，０００．５", "12000.5"),
        (" 7 ", "7"),
        (".5", ".5"),
        ("5.", "5."),
        ("-3", "-3"),
    ],
)
def test_good_numbers(text, plain):
    assert number_text(text, "x") == plain


@pytest.mark.parametrize(
    "text,kind,advice",
    [
        ("12,50", "decimal_comma", "write 12.50"),
        ("48000,5", "decimal_comma", "write 48000.5"),
        ("1,0000", "grouping", "10000"),
        ("12,345,67", "grouping", "1234567"),
        (",100", "grouping", "100"),
        ("1_000", "underscore", "1000"),
        ("1 000", "space", "1000"),
        ("1\u00a0000", "space", "1000"),
        ("١٢", "script", "0-9"),
        ("१२", "script", "0-9"),
        ("12²", "script", "0-9"),
        ("1e3", "scientific", "in digits"),
        ("", "empty", "such as"),
        ("abc", "not_a_number", "digits"),
        ("NaN", "not_a_number", "finite"),
        ("9" * 100, "not_a_number", "at most"),
    ],
)
def test_refused_numbers_say_what_to_write(text, kind, advice):
    with pytest.raises(NumberFormatError) as exc:
        number_text(text, "principal")
    assert exc.value.kind == kind and exc.value.field == "principal"
    assert advice in exc.value.message


@given(st.integers(0, 10**12 - 1), st.integers(0, 99))
def test_grouped_and_plain_amounts_agree(whole, cents):
    grouped = f"{whole:,}.{cents:02d}"
    assert parse_amount(grouped, "CNY") == parse_amount(f"{whole}.{cents:02d}", "CNY") == whole * 100 + cents


@given(st.integers(1, 999), st.integers(1, 2))
def test_a_decimal_comma_is_never_read_as_thousands(whole, places):
    text = f"{whole},{'5' * places}"
    with pytest.raises(NumberFormatError):
        parse_amount(text, "CNY")


def test_whole_numbers():
    assert parse_whole("６０", "months", 1, 60) == 60
    assert parse_whole(12, "months", 1, 60) == 12
    for bad in ("6_0", "١٢", "1.5", "0", "61", "", True, 1.0):
        with pytest.raises(InvalidInput) as exc:
            parse_whole(bad, "months", 1, 60)
        assert exc.value.field == "months"


def test_percentages_follow_the_same_rule():
    assert parse_percent("０．６％") == Decimal("0.006")
    with pytest.raises(NumberFormatError):
        parse_percent("0,6%")


def test_dates_in_range():
    assert parse_date("２０２５-０１-３１", "start") == date(2025, 1, 31)
    assert parse_date(MIN_DATE.isoformat(), "d") == MIN_DATE and parse_date(MAX_DATE.isoformat(), "d") == MAX_DATE
    for bad in (
        "9999-12-31",
        "1899-12-31",
        "2200-01-01",
        "20250131",
        "2025-W05-1",
        "٢٠٢٥-٠١-٣١",
        "2025-02-29",
        "",
        date(2300, 1, 1),
    ):
        with pytest.raises(InvalidInput) as exc:
            parse_date(bad, "start")
        assert exc.value.field == "start"


def test_only_currencies_in_circulation():
    for code in ("CNY", "USD", "EUR", "JPY", "KWD", "HKD", "TWD", "XOF", "XAF", "XCD"):
        assert code in circulating()
        exponent(code)
    for code in (
        "XXX",
        "XTS",
        "XAU",
        "XAG",
        "XPD",
        "XPT",
        "XDR",
        "XBA",
        "XSU",
        "XUA",
        "BOV",
        "CLF",
        "USN",
        "DEM",
        "HRK",
    ):
        with pytest.raises(UnknownCurrency) as exc:
            exponent(code)
        assert exc.value.field == "currency" and "not a currency in circulation" in exc.value.message


def test_rates_are_shown_exactly():
    assert exact_fraction_text(Decimal("0.00055")) == "0.00055"
    assert exact_fraction_text(Decimal("0.006")) == "0.0060"
    assert exact_fraction_text(Decimal(0)) == "0.0000"
