"""Case files: one debtor's debt and hardship profile, as JSON.

    {"currency": "CNY", "start": "2025-12-01",
     "account": {"ref": "CC-0001", "name": "...", "region": "beijing"},
     "debt": {"principal": "48000.00", "interest": "3200.00", "penalty_interest": "1500.00",
              "late_fees": "600.00", "annual_fees": "0", "other_fees": "0"},
     "profile": {"adults": 2, "children": 1, "region": "beijing",
                 "income": {"salary": "9000.00", "other": "500.00"},
                 "spending": {"housing": "2500.00", "food": "2200.00", ...},
                 "other_debt_payments": "1200.00", "savings": "3000.00",
                 "hardship_reason": "illness", "recovery_date": "2026-06-01",
                 "income_after_recovery": {"salary": "12000.00", "other": "500.00"}}}

``start`` (the agreement date; today when left out), ``account`` and ``profile``
are optional; so are the debt buckets (zero when left out) and every profile key
but the household (``adults`` defaults to 1, ``children`` to 0).  Income sources
are free names; spending categories are those of
``calc.affordability.SPENDING_CATEGORIES``.  Amounts are JSON text ("48000.00") or
integers; a JSON number with a fraction (a binary float) is refused.  Text
follows the one rule for typed numbers (``calc.numerals``: grouping commas only
in groups of three, no decimal commas or underscores) and dates must lie in
``calc.dates.MIN_DATE``..``MAX_DATE``.  The file is read within the limits of
``plans.input_limits`` (size, nesting); a key given twice is refused by its path.

The loader checks everything and reports every bad field by its JSON path
(``profile.income.salary``) in one :class:`CaseError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from calc.affordability import HARDSHIP_REASONS, MAX_HOUSEHOLD, SPENDING_CATEGORIES, Profile
from calc.dates import parse_date
from calc.debt import BUCKETS, Debt
from calc.errors import InvalidInput, InvalidInputs, Problem, Problems
from calc.money import check_currency, format_amount, parse_amount

from .input_limits import LimitError, json_document, read_document

__all__ = ["CaseAccount", "Case", "CaseError", "case_document", "load_case", "parse_case"]


class CaseError(InvalidInputs):
    """A case with problems; ``problems`` lists every bad field, named by its JSON path."""


@dataclass(frozen=True, slots=True)
class CaseAccount:
    """The account a case file names (all optional): its reference, the holder and the region."""

    ref: str | None = None
    name: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A debtor's case: the debt, the agreement date, and optionally account and profile."""

    currency: str
    start: date
    debt: Debt
    account: CaseAccount = CaseAccount()
    profile: Profile | None = None

    @property
    def ref(self) -> str | None:
        return self.account.ref

    @property
    def name(self) -> str | None:
        return self.account.name

    @property
    def region(self) -> str | None:
        """The profile's region, else the account's."""
        if self.profile is not None and self.profile.region:
            return self.profile.region
        return self.account.region


_TOP = ("currency", "start", "account", "debt", "profile")
_ACCOUNT = ("ref", "name", "region")
_PROFILE = (
    "adults",
    "children",
    "region",
    "income",
    "spending",
    "other_debt_payments",
    "savings",
    "hardship_reason",
    "recovery_date",
    "income_after_recovery",
)


def _kind(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


class _Reader(Problems):
    """The case's problems, with readers of each kind of value that note a bad one and go on."""

    def __init__(self) -> None:
        super().__init__()
        self.currency = "CNY"

    def obj(self, value: object, path: str, known: tuple[str, ...] | None) -> dict:
        if not isinstance(value, dict):
            self.add(path or "case", f"must be an object {{...}}, got {_kind(value)}")
            return {}
        if known is not None:
            for k in value:
                if k not in known:
                    self.add(f"{path}.{k}" if path else k, f"unknown field; allowed: {', '.join(known)}")
        return value

    def amount(self, value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(path, f'must be an amount as text such as "1200.00", got {_kind(value)}')
            return 0
        try:
            return parse_amount(value, self.currency, path)
        except InvalidInput as exc:
            self.add(path, exc.message)
            return 0

    def text(self, value: object, path: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(path, f"must be text, got {_kind(value)}")
            return None
        return value.strip() or None

    def date(self, value: object, path: str) -> date | None:
        if not isinstance(value, str):
            self.add(path, f"must be a date as text (YYYY-MM-DD), got {_kind(value)}")
            return None
        try:
            return parse_date(value, path)
        except InvalidInput as exc:
            self.add(path, exc.message)
            return None

    def count(self, value: object, path: str, lo: int) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(path, f"must be a whole number from {lo} to {MAX_HOUSEHOLD}, got {_kind(value)}")
            return None
        if not lo <= value <= MAX_HOUSEHOLD:
            self.add(path, f"must be from {lo} to {MAX_HOUSEHOLD}, got {value}")
            return None
        return value


def _income(r: _Reader, data: object, path: str) -> list[tuple[str, int]]:
    income = []
    for source, value in r.obj(data, path, None).items():
        if not source.strip():
            r.add(path, "an income source needs a name")
        income.append((source, r.amount(value, f"{path}.{source}")))
    return income


def _profile(r: _Reader, data: object, currency: str) -> Profile | None:
    p = r.obj(data, "profile", _PROFILE)
    if not p:
        return None
    adults = r.count(p.get("adults", 1), "profile.adults", 1)
    children = r.count(p.get("children", 0), "profile.children", 0)
    income = _income(r, p.get("income", {}), "profile.income")
    spending = [
        (cat, r.amount(value, f"profile.spending.{cat}"))
        for cat, value in r.obj(p.get("spending", {}), "profile.spending", SPENDING_CATEGORIES).items()
        if cat in SPENDING_CATEGORIES
    ]
    other = r.amount(p.get("other_debt_payments", "0"), "profile.other_debt_payments")
    savings = r.amount(p.get("savings", "0"), "profile.savings")
    reason = r.text(p.get("hardship_reason"), "profile.hardship_reason")
    if reason is not None and reason not in HARDSHIP_REASONS:
        r.add("profile.hardship_reason", f"unknown reason {reason!r}; use {', '.join(HARDSHIP_REASONS)}")
        reason = None
    recovery = None
    if p.get("recovery_date") is not None:
        recovery = r.date(p["recovery_date"], "profile.recovery_date")
    after = None
    if p.get("income_after_recovery") is not None:
        after = tuple(_income(r, p["income_after_recovery"], "profile.income_after_recovery"))
        if p.get("recovery_date") is None:
            r.add("profile.income_after_recovery", "needs a recovery_date: the date from which it is expected")
    region = r.text(p.get("region"), "profile.region")
    if r or adults is None or children is None:
        return None
    return Profile(
        currency, adults, children, region, tuple(income), tuple(spending), other, savings, reason, recovery, after
    )


def parse_case(data: object, today: date | None = None) -> Case:
    """A case from parsed JSON ``data``; raises CaseError listing every bad field.

    ``today`` is the agreement date used when ``start`` is left out (default: today).
    """
    r = _Reader()
    top = r.obj(data, "", _TOP)
    if not isinstance(data, dict):
        r.raise_if_any(CaseError)
    currency = top.get("currency", "CNY")
    if not isinstance(currency, str):
        r.add("currency", f"must be an ISO 4217 code as text, got {_kind(currency)}")
    else:
        try:
            r.currency = check_currency(currency)
        except InvalidInput as exc:
            r.add("currency", exc.message)
    start = r.date(top["start"], "start") if "start" in top else (today or date.today())
    acc = r.obj(top.get("account", {}), "account", _ACCOUNT)
    account = CaseAccount(
        r.text(acc.get("ref"), "account.ref"),
        r.text(acc.get("name"), "account.name"),
        r.text(acc.get("region"), "account.region"),
    )
    if "debt" not in top:
        r.add("debt", 'is missing; give the debt by bucket, e.g. {"principal": "48000.00"}')
    d = r.obj(top.get("debt", {}), "debt", BUCKETS)
    amounts = {b: r.amount(d[b], f"debt.{b}") for b in BUCKETS if b in d}
    if "debt" in top and not r and sum(amounts.values()) == 0:
        r.add("debt", "every bucket is zero; there is nothing to repay")
    profile = _profile(r, top["profile"], r.currency) if top.get("profile") is not None else None
    # (the keys are bucket names: none of them fills Debt's currency, which is all mypy objects to)
    r.raise_if_any(CaseError)
    return Case(r.currency, start, Debt(r.currency, **amounts), account, profile)  # type: ignore[arg-type]


def load_case(path: str | Path, today: date | None = None) -> Case:
    """Read and check the case file at ``path`` (UTF-8 JSON)."""
    text = read_document(path, str(path), "case", "case", encoding="utf-8-sig")
    try:
        data = json_document(text, str(path), "case")
    except LimitError as exc:
        if exc.problem_path:  # a key given twice: reported like every other bad field, by its JSON path
            raise CaseError(
                [Problem(exc.problem_path, "appears twice; give each key once (JSON would silently keep the last)")]
            ) from None
        raise
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", "case"
        ) from None
    return parse_case(data, today)


def case_document(case: Case) -> dict:
    """The case as JSON-ready data in the case-file format (``parse_case`` reads it back exactly)."""
    cur = case.currency
    doc: dict = {"currency": cur, "start": case.start.isoformat()}
    acc = {
        k: v
        for k, v in (("ref", case.account.ref), ("name", case.account.name), ("region", case.account.region))
        if v is not None
    }
    if acc:
        doc["account"] = acc
    doc["debt"] = {b: format_amount(getattr(case.debt, b), cur) for b in BUCKETS}
    p = case.profile
    if p is not None:
        prof: dict = {"adults": p.adults, "children": p.children}
        if p.region is not None:
            prof["region"] = p.region
        prof["income"] = {s: format_amount(v, cur) for s, v in p.income}
        prof["spending"] = {c: format_amount(v, cur) for c, v in p.spending}
        prof["other_debt_payments"] = format_amount(p.other_debt_payments, cur)
        prof["savings"] = format_amount(p.savings, cur)
        if p.hardship_reason is not None:
            prof["hardship_reason"] = p.hardship_reason
        if p.recovery_date is not None:
            prof["recovery_date"] = p.recovery_date.isoformat()
        if p.income_after_recovery is not None:
            prof["income_after_recovery"] = {s: format_amount(v, cur) for s, v in p.income_after_recovery}
        doc["profile"] = prof
    return doc
