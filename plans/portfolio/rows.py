"""Portfolio rows: the columns, and one row's values into a PortfolioRow or a Reject.

The format is described in plans.portfolio.reader (and the README, "Batch
export"); this module holds what turns one row into values: amounts (a fast
path for plain "1234.56" text, else ``calc.money.parse_amount`` with its exact
errors), the household, the hardship reason and the recovery date.  Every
problem becomes a Reject whose reason names the column: "field: what is
wrong; what is allowed".
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from calc.affordability import HARDSHIP_REASONS, MAX_HOUSEHOLD
from calc.dates import parse_date
from calc.debt import BUCKETS, Debt
from calc.errors import InstallmentError, InvalidInput
from calc.money import exponent, parse_amount
from calc.numerals import NumberFormatError, parse_whole
from plans.text.i18n import check_lang

REQUIRED = ("account_ref", "currency", *BUCKETS)
OPTIONAL = (
    "name",
    "region",
    "monthly_income",
    "essential_spending",
    "other_debt_payments",
    "household",
    "savings",
    "hardship_reason",
    "recovery_date",
    "income_after_recovery",
    "phone",
    "language",
)
COLUMNS = REQUIRED + OPTIONAL
MAX_REF_LENGTH = 64
_I_REF, _I_CUR = 0, 1
_I_BUCKETS = range(2, 8)


class PortfolioRow(NamedTuple):
    """One good input row.  Amounts are int minor units of ``currency``; None = not given."""

    line: int
    account_ref: str
    currency: str
    buckets: tuple  # six ints in calc.debt.BUCKETS order
    name: str | None = None
    region: str | None = None
    monthly_income: int | None = None
    essential_spending: int | None = None
    other_debt_payments: int | None = None
    adults: int | None = None
    children: int | None = None
    savings: int | None = None
    hardship_reason: str | None = None
    recovery_date: date | None = None
    income_after_recovery: int | None = None
    #: Mobile number for ``--sms`` (digits, optionally after "+"); None: not given.
    phone: str | None = None
    #: Language of the account's letters and SMS (plans.text.i18n canonical name); None: the run's ``--lang``.
    language: str | None = None

    def debt(self) -> Debt:
        return Debt(self.currency, *self.buckets)

    @property
    def total(self) -> int:
        return sum(self.buckets)


class Reject(NamedTuple):
    """One input row that cannot be used, and why ("field: what is wrong; what is allowed")."""

    line: int
    account_ref: str
    reason: str


# -- amounts --------------------------------------------------------------------

_POW10 = tuple(10**i for i in range(8))
_WIDE_PLUS = str.maketrans({"＋": "+"})


def fast_amount(text, currency: str, field: str, exp: int | None = None) -> int:
    """``calc.money.parse_amount`` with a fast path for plain "1234.56" text; same results and errors."""
    if text.__class__ is str and text.isascii():
        if exp is None:
            exp = exponent(currency)
        if text.isdigit():
            if len(text) <= 12:  # below MAX_MAJOR
                return int(text) * _POW10[exp]
        else:
            whole, dot, frac = text.partition(".")
            if dot and 0 < len(frac) <= exp and len(whole) <= 12 and whole.isdigit() and frac.isdigit():
                return int(whole) * _POW10[exp] + int(frac) * _POW10[exp - len(frac)]
    return parse_amount(text, currency, field)


# -- building rows --------------------------------------------------------------


def _text(value, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"expected text, got {type(value).__name__}", field)
    value = value.strip()
    return value or None


def _not_bool(value, field: str):
    """JSON true/false is not an amount (calc.money would call it a binary float)."""
    if value.__class__ is bool:
        raise InvalidInput(f"{str(value).lower()} is not an amount; give digits such as 1234.56", field)
    return value


def _optional_amount(value, currency: str, field: str, exp: int) -> int | None:
    if value is None or (value.__class__ is str and not value.strip()):
        return None
    return fast_amount(_not_bool(value, field), currency, field, exp)


def _household(value) -> tuple[int | None, int | None]:
    if value.__class__ is str and value.isascii():  # the common "3" and "2+1", without the general rule
        a, plus, c = value.partition("+")
        if a.isdigit() and 1 <= int(a) <= MAX_HOUSEHOLD:
            if not plus:
                return int(a), 0
            if c.isdigit() and int(c) <= MAX_HOUSEHOLD:
                return int(a), int(c)
    text = _text(value if not isinstance(value, int) or isinstance(value, bool) else str(value), "household")
    if text is None:
        return None, None
    parts = text.translate(_WIDE_PLUS).split("+")
    shape = f"{text!r} is not a household; give the number of people (3) or adults+children (2+1)"
    if len(parts) > 2 or not all(p.strip() for p in parts):
        raise InvalidInput(shape, "household")
    # each part by the one rule for whole numbers (calc.numerals): no other scripts' digits, no underscores
    try:
        adults = parse_whole(parts[0], "household", 1, MAX_HOUSEHOLD)
        children = parse_whole(parts[1], "household", 0, MAX_HOUSEHOLD) if len(parts) == 2 else 0
    except NumberFormatError as exc:
        if exc.kind == "not_a_number":
            raise InvalidInput(shape, "household") from None
        raise
    return adults, children


_PHONE = re.compile(r"\+?[0-9]{5,15}")
_PHONE_SPACING = str.maketrans("", "", " -")


def _phone(value) -> str | None:
    """A mobile number: digits (5 to 15, E.164's longest), optionally after "+"; spaces and hyphens dropped."""
    text = _text(value, "phone")
    if text is None:
        return None
    plain = text.translate(_PHONE_SPACING)
    if not _PHONE.fullmatch(plain):
        raise InvalidInput(
            "must be 5 to 15 digits, optionally after a + (spaces and hyphens allowed), such as +8613800138000", "phone"
        )
    return plain


def _language(value) -> str | None:
    text = _text(value, "language")
    if text is None:
        return None
    try:
        return check_lang(text)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, "language") from None


def build_account(line: int, values: list) -> PortfolioRow | Reject:
    """A PortfolioRow from ``values`` aligned with COLUMNS (None = column absent), or a Reject."""
    ref = values[_I_REF]
    ref = ref.strip() if ref.__class__ is str else ref
    shown = ref if ref.__class__ is str else ""
    try:
        if not ref:
            if not any(v.strip() if v.__class__ is str else v is not None for v in values):
                return Reject(line, "", "blank line: every field is empty; every row must be an account")
            raise InvalidInput("is empty; every row needs an account reference", "account_ref")
        if ref.__class__ is not str:
            raise InvalidInput(f"expected text, got {type(ref).__name__}", "account_ref")
        if len(ref) > MAX_REF_LENGTH or not ref.isprintable():
            raise InvalidInput(f"must be at most {MAX_REF_LENGTH} printable characters", "account_ref")
        cur = values[_I_CUR]
        if cur.__class__ is not str or not cur.strip():
            raise InvalidInput("is empty; give an ISO 4217 code such as CNY, USD, JPY", "currency")
        cur = cur.strip().upper()
        exp = exponent(cur)
        buckets = []
        for i, name in zip(_I_BUCKETS, BUCKETS):
            v = values[i]
            if v.__class__ is str:
                buckets.append(fast_amount(v, cur, name, exp) if v else 0)
            elif v is None:
                buckets.append(0)
            else:
                buckets.append(parse_amount(_not_bool(v, name), cur, name))
        if len(values) == len(REQUIRED) or not any(v is not None for v in values[len(REQUIRED) :]):
            return PortfolioRow(line, ref, cur, tuple(buckets))
        (name, region, income, spending, other, household, savings, reason, recovery, after, phone, language) = values[
            len(REQUIRED) :
        ]
        adults, children = _household(household)
        reason = _text(reason, "hardship_reason")
        if reason is not None:
            reason = reason.lower()
            if reason not in HARDSHIP_REASONS:
                raise InvalidInput(f"unknown reason {reason!r}; use {', '.join(HARDSHIP_REASONS)}", "hardship_reason")
        recovery = _text(recovery, "recovery_date")
        region = _text(region, "region")
        return PortfolioRow(
            line,
            ref,
            cur,
            tuple(buckets),
            _text(name, "name"),
            region.lower() if region else None,
            _optional_amount(income, cur, "monthly_income", exp),
            _optional_amount(spending, cur, "essential_spending", exp),
            _optional_amount(other, cur, "other_debt_payments", exp),
            adults,
            children,
            _optional_amount(savings, cur, "savings", exp),
            reason,
            parse_date(recovery, "recovery_date") if recovery else None,
            _optional_amount(after, cur, "income_after_recovery", exp),
            _phone(phone),
            _language(language),
        )
    except InstallmentError as exc:
        return Reject(line, shown, str(exc))


__all__ = ["COLUMNS", "OPTIONAL", "REQUIRED", "PortfolioRow", "Reject", "build_account", "fast_amount"]
