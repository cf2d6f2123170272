"""Money: integer minor units with an ISO 4217 currency.

Amounts enter as text or ``Decimal`` and are parsed once, here.  A ``float`` is
refused (binary fractions cannot hold 0.10 exactly), and so are NaN, infinities,
negative amounts, more decimal places than the currency has and absurd
magnitudes.  Inside the project an amount is an ``int`` of minor units (fen,
cents); the currency travels beside it.  The exponent comes from babel's ISO 4217
data (CNY 2, JPY 0, KWD 3).

Percentages turn into amounts by rounding half up (四舍五入) to the minor unit,
once, in :func:`percent_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.core import get_global
from babel.numbers import get_currency_precision, list_currencies

from .errors import CurrencyMismatch, InvalidInput, UnknownCurrency
from .numerals import number_text

#: Largest amount accepted, in major units (one trillion).  Anything above is a typo.
MAX_MAJOR = 10**12

_KNOWN = frozenset(list_currencies())


@lru_cache(maxsize=1)
def circulating() -> frozenset[str]:
    """ISO 4217 codes of the currencies legal tender somewhere today, by babel's CLDR data.

    This leaves out what ISO 4217 lists but nobody can owe a debt in: the test and
    "no currency" codes (XTS, XXX), precious metals (XAU, XAG, XPD, XPT), funds and
    units of account (XDR, CLF, BOV, XBA...) and withdrawn currencies (DEM, HRK...).
    """
    return frozenset(
        code
        for entries in get_global("territory_currencies").values()
        for code, _start, end, tender in entries
        if end is None and tender
    )


@lru_cache(maxsize=None)
def exponent(currency: str) -> int:
    """Decimal places of ``currency`` (CNY 2, JPY 0, KWD 3); raises for a code that is not a
    currency in circulation."""
    if not isinstance(currency, str) or currency.upper() != currency or currency not in _KNOWN:
        raise UnknownCurrency(
            f"unknown currency {currency!r}; use an ISO 4217 code such as CNY, USD, JPY",
            "currency",
        )
    if currency not in circulating():
        raise UnknownCurrency(
            f"{currency!r} is not a currency in circulation (test, precious-metal, fund and withdrawn "
            "ISO 4217 codes are refused); use one such as CNY, USD, JPY",
            "currency",
        )
    return get_currency_precision(currency)


def check_currency(currency: str) -> str:
    """Return ``currency`` if it is a known ISO 4217 code, else raise UnknownCurrency."""
    exponent(currency)
    return currency


def _to_decimal(value: object, field: str, noun: str = "amount") -> Decimal:
    if isinstance(value, (bool, float)):
        raise InvalidInput(
            f"got a binary float ({value!r}); give amounts as text or Decimal, e.g. '1234.56'",
            field,
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        # the one set of rules for typed numbers (calc.numerals): no decimal commas, no underscores...
        return Decimal(number_text(value, field, noun=noun))
    raise InvalidInput(f"expected an amount as text, got {type(value).__name__}", field)


def parse_amount(value: object, currency: str, field: str = "amount") -> int:
    """Parse ``value`` (text, Decimal or int) into minor units of ``currency``.

    >>> parse_amount("1,234.5", "CNY")
    123450
    >>> parse_amount("5000", "JPY")
    5000
    """
    exp = exponent(currency)
    amount = _to_decimal(value, field)
    if not amount.is_finite():
        raise InvalidInput(f"{value!r} is not a finite amount", field)
    if amount < 0:
        raise InvalidInput(f"{value!r} is negative; amounts must be zero or more", field)
    if amount > MAX_MAJOR:
        raise InvalidInput(f"{value!r} is too large; the most accepted is {MAX_MAJOR:,} {currency}", field)
    scaled = amount.scaleb(exp)
    if scaled != scaled.to_integral_value():
        places = "no decimal places" if exp == 0 else f"at most {exp} decimal places"
        raise InvalidInput(f"{value!r} has too many decimal places; {currency} allows {places}", field)
    return int(scaled)


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units back to a ``Decimal`` with exactly the currency's places."""
    return Decimal(minor).scaleb(-exponent(currency))


@lru_cache(maxsize=16)
def _formatter(exp: int) -> Callable[[int], str]:
    if exp == 0:
        return str
    div = 10**exp

    def fmt(minor: int) -> str:
        sign = "-" if minor < 0 else ""
        q, r = divmod(abs(minor), div)
        return f"{sign}{q}.{r:0{exp}d}"

    return fmt


def format_amount(minor: int, currency: str) -> str:
    """Minor units as a plain decimal string with exactly the currency's digits ("416.82", "5000")."""
    return _formatter(exponent(currency))(minor)


def amount_formatter(currency: str) -> Callable[[int], str]:
    """A fast ``int -> str`` formatter for one currency (for exporters formatting millions of rows)."""
    return _formatter(exponent(currency))


def is_percent(text: str) -> bool:
    """Whether typed text is a percentage ("10%", full-width "10％") rather than an amount."""
    return text.strip().endswith(("%", "％"))


def parse_percent(value: object, field: str = "percent", *, maximum: Decimal = Decimal(100)) -> Decimal:
    """Parse "12.5%" or "12.5" into the fraction Decimal("0.125").

    Refuses floats, NaN, negatives and values above ``maximum`` percent.
    """
    text: object = value
    if isinstance(value, str):
        text = value.strip()
        if is_percent(text):
            text = text[:-1].strip()
    pct = _to_decimal(text, field, noun="percentage")
    if not pct.is_finite() or pct < 0:
        raise InvalidInput(f"{value!r} is not a percentage from 0% to {maximum}%", field)
    if pct > maximum:
        raise InvalidInput(f"{value!r} is above the allowed {maximum}%", field)
    return pct / 100


def percent_of(minor: int, fraction: Decimal) -> int:
    """``fraction`` of ``minor`` units, rounded half up to the minor unit (the one rounding point)."""
    return int((Decimal(minor) * fraction).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_half_up_div(numerator: int, denominator: int) -> int:
    """Integer division rounded half up, for non-negative numerator and positive denominator."""
    return (2 * numerator + denominator) // (2 * denominator)


def floor_to_unit(minor: int, unit: int) -> int:
    return (minor // unit) * unit


def same_currency(a: str, b: str) -> str:
    if a != b:
        raise CurrencyMismatch(f"cannot combine {a} with {b}")
    return a


def fraction_text(fraction: Decimal, places: int = 4) -> str:
    """A rate as a decimal fraction string with ``places`` places ("0.0060")."""
    return str(Decimal(fraction).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def exact_fraction_text(fraction: Decimal, places: int = 4) -> str:
    """A rate exactly as given, with at least ``places`` places: "0.0060", and "0.00055" for 0.055%
    (never rounded: a rate shown must be the rate used)."""
    value = Decimal(fraction)
    exp = value.normalize().as_tuple().exponent  # a letter for NaN and infinity, which show as they are
    shown = -exp if value and isinstance(exp, int) else 0
    return f"{value:.{max(places, shown)}f}"


__all__ = [
    "MAX_MAJOR",
    "ROUND_FLOOR",
    "amount_formatter",
    "check_currency",
    "circulating",
    "exponent",
    "floor_to_unit",
    "exact_fraction_text",
    "format_amount",
    "fraction_text",
    "is_percent",
    "parse_amount",
    "parse_percent",
    "percent_of",
    "round_half_up_div",
    "same_currency",
    "to_decimal",
]
