from decimal import Decimal

import pytest

from calc.errors import InvalidInput, UnknownCurrency
from calc.money import exponent, format_amount, parse_amount, parse_percent, percent_of


@pytest.mark.parametrize("cur,exp", [("CNY", 2), ("USD", 2), ("JPY", 0), ("KWD", 3)])
def test_exponent_comes_from_iso_4217(cur, exp):
    assert exponent(cur) == exp


@pytest.mark.parametrize(
    "text,cur,minor",
    [
        ("1234.56", "CNY", 123456),
        ("1,234.5", "CNY", 123450),
        ("0", "CNY", 0),
        (" 7 ", "CNY", 700),
        ("5000", "JPY", 5000),
        ("1.234", "KWD", 1234),
        (Decimal("2.10"), "CNY", 210),
        (3, "CNY", 300),
    ],
)
def test_parse_amount(text, cur, minor):
    assert parse_amount(text, cur) == minor


@pytest.mark.parametrize(
    "value,cur,words",
    [
        (1.5, "CNY", "float"),
        ("NaN", "CNY", "finite"),
        ("Infinity", "CNY", "finite"),
        ("-1", "CNY", "negative"),
        ("1.001", "CNY", "decimal places"),
        ("1.5", "JPY", "no decimal places"),
        ("10000000000000", "CNY", "too large"),
        ("1e3", "CNY", "scientific notation"),
        ("2.5E2", "CNY", "scientific notation"),
        ("abc", "CNY", "not an amount"),
        ("", "CNY", "empty"),
        (True, "CNY", "float"),
    ],
)
def test_parse_amount_refuses_with_specific_message(value, cur, words):
    with pytest.raises(InvalidInput) as exc:
        parse_amount(value, cur, "principal")
    assert words in exc.value.message
    assert exc.value.field == "principal"


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrency):
        parse_amount("1", "XYZ")
    with pytest.raises(UnknownCurrency):
        parse_amount("1", "cny")


def test_format_has_exactly_the_currency_digits():
    assert format_amount(41682, "CNY") == "416.82"
    assert format_amount(5, "CNY") == "0.05"
    assert format_amount(5000, "JPY") == "5000"
    assert format_amount(1234, "KWD") == "1.234"
    assert format_amount(-150, "CNY") == "-1.50"


def test_percent_parsing_and_half_up_rounding():
    assert parse_percent("12.5%") == Decimal("0.125")
    assert parse_percent("100") == Decimal(1)
    with pytest.raises(InvalidInput):
        parse_percent("101%")
    with pytest.raises(InvalidInput):
        parse_percent("-1%")
    assert percent_of(5, Decimal("0.5")) == 3  # 2.5 -> 3 (half up, not banker's)
    assert percent_of(15, Decimal("0.5")) == 8  # 7.5 -> 8
    assert percent_of(1001, Decimal("0.1")) == 100
