"""Creditor policy: what offers may contain and who may grant them.

A policy is a TOML file (``plans/default_policy.toml`` ships with the package and
documents every key).  :func:`load_policy` reads one into an immutable
:class:`Policy`; :func:`check_policy` lists every problem with its TOML key
(``terms.max_months``, ``authority.agent.waivers.interest``) instead of stopping at
the first one.

Amounts are held as int minor units of ``Policy.currency``; percentages as
``Decimal`` fractions (``"50%"`` -> ``Decimal("0.5")``).

Authorities grant increasing limits: ``kiosk`` < ``agent`` < ``supervisor``
(:data:`AUTHORITIES`).  Each has a longest term, a largest settlement discount and
a largest waiver per debt bucket (a fraction of that bucket).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from calc.affordability import AffordabilityParams
from calc.dates import CONVENTIONS, Calendar, add_months
from calc.debt import BUCKETS, Debt, Waiver
from calc.errors import InvalidInput
from calc.terms import ABSOLUTE_MAX_MONTHS, FEE_BASES, MAX_FEE_RATE, REMAINDERS

from .calendars import CALENDARS, calendar

#: Authorities from the least to the most powerful.
AUTHORITIES = ("kiosk", "agent", "supervisor")

__all__ = [
    "AUTHORITIES", "Authority", "Creditor", "Policy", "PolicyError", "PolicyProblem", "Region",
    "authority_rank", "check_policy", "default_policy", "default_policy_text", "load_policy", "parse_policy",
]


class PolicyError(InvalidInput):
    """A policy file with problems; ``problems`` lists every one with its TOML key."""

    def __init__(self, problems: list[PolicyProblem], source: str = "policy") -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        super().__init__(f"{source}: {first.key}: {first.message}{more}", "policy")

    def __str__(self) -> str:
        return "policy: " + "; ".join(f"{p.key}: {p.message}" for p in self.problems)


def authority_rank(authority: str) -> int:
    """0 for kiosk, 1 for agent, 2 for supervisor; raises for an unknown name."""
    try:
        return AUTHORITIES.index(authority)
    except ValueError:
        raise InvalidInput(
            f"unknown authority {authority!r}; use {', '.join(AUTHORITIES)}", "authority"
        ) from None


@dataclass(frozen=True, slots=True)
class Creditor:
    name: str
    contact: tuple[str, ...]
    complaints: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Authority:
    """What one authority may grant."""

    name: str
    max_months: int
    settlement_discount: Decimal
    #: Largest waivable fraction of each bucket, for every bucket in BUCKETS order.
    waivers: tuple[tuple[str, Decimal], ...]

    def waiver_limit(self, bucket: str) -> Decimal:
        for name, limit in self.waivers:
            if name == bucket:
                return limit
        raise InvalidInput(f"unknown bucket {bucket!r}; buckets are {', '.join(BUCKETS)}", "waive")


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    reserve_per_person: int
    food_per_person: int | None = None


@dataclass(frozen=True, eq=False)
class Policy:
    """An immutable creditor policy.  Build with :func:`load_policy` or :func:`parse_policy`."""

    version: str
    currency: str
    creditor: Creditor
    min_months: int
    max_months: int
    min_installment: int
    #: Minimum down payment: an amount (minor units) or a fraction of the plan balance; one is None.
    min_down_amount: int | None
    min_down_fraction: Decimal | None
    fee_rate: Decimal
    fee_basis: str
    remainder: str
    round_to: int
    business_days: str
    calendar_name: str
    first_due_min_days: int
    first_due_max_days: int
    standard_months: int
    standard_waivers: tuple[tuple[str, Decimal], ...]
    step_min_months_after: int
    settlement_pay_within_days: int
    authorities: tuple[Authority, ...]
    contingency_share: Decimal
    tight_share: Decimal
    max_dti: Decimal
    food_alert_ratio: Decimal
    default_region: str
    regions: tuple[Region, ...]
    #: The TOML text the policy was read from (for `policy show` and audit records).
    source_text: str = ""

    # -- authorities ------------------------------------------------------------
    def authority(self, name: str) -> Authority:
        return self.authorities[authority_rank(name)]

    @property
    def contact(self) -> tuple[str, ...]:
        return self.creditor.contact

    @property
    def complaint_channels(self) -> tuple[str, ...]:
        return self.creditor.complaints

    def max_waivers(self, authority: str) -> tuple[Waiver, ...]:
        """The largest waiver of every bucket ``authority`` may grant (buckets with 0% left out)."""
        return tuple(Waiver(b, fraction=f) for b, f in self.authority(authority).waivers if f > 0)

    def standard_waiver_list(self) -> tuple[Waiver, ...]:
        return tuple(Waiver(b, fraction=f) for b, f in self.standard_waivers if f > 0)

    # -- affordability ----------------------------------------------------------
    def region(self, name: str | None) -> Region:
        """The region called ``name``, or the default region when ``name`` is None or unknown."""
        table = self._regions()
        return table.get(name or self.default_region) or table[self.default_region]

    def knows_region(self, name: str | None) -> bool:
        return name is not None and name in self._regions()

    def affordability_params(self, region: str | None = None) -> AffordabilityParams:
        """`calc.affordability.AffordabilityParams` for ``region`` (the default region if unknown)."""
        return _params(self, self.region(region).name)

    def _regions(self) -> dict[str, Region]:
        return {r.name: r for r in self.regions}

    # -- dates ------------------------------------------------------------------
    @property
    def calendar(self) -> Calendar:
        return calendar(self.calendar_name)

    def first_due(self, start: date) -> date | None:
        """The first due date offers use: None (one month after ``start``, the terms' default)
        when that lies within the first-due window, else the last day of the window."""
        month_later = add_months(start, 1)
        days = (month_later - start).days
        if self.first_due_min_days <= days <= self.first_due_max_days:
            return None
        return start + timedelta(days=self.first_due_max_days)

    def first_due_window(self, start: date) -> tuple[date, date]:
        return start + timedelta(days=self.first_due_min_days), start + timedelta(days=self.first_due_max_days)

    def settlement_due(self, start: date) -> date:
        return start + timedelta(days=self.settlement_pay_within_days)

    # -- down payment -----------------------------------------------------------
    def min_down_payment(self, plan_balance: int) -> int:
        """The least down payment for ``plan_balance`` (minor units)."""
        from calc.money import percent_of

        if self.min_down_fraction is not None:
            return percent_of(plan_balance, self.min_down_fraction)
        return self.min_down_amount or 0

    def check_currency(self, currency: str, field: str = "currency") -> None:
        if currency != self.currency:
            raise InvalidInput(
                f"the case is in {currency} but the policy {self.version!r} is for {self.currency}; "
                f"use a policy written for {currency}",
                field,
            )

    def check_debt(self, debt: Debt) -> None:
        self.check_currency(debt.currency)


@lru_cache(maxsize=256)
def _params(policy: Policy, region: str) -> AffordabilityParams:
    r = policy.region(region)
    return AffordabilityParams(
        reserve_per_person=r.reserve_per_person,
        contingency_share=policy.contingency_share,
        tight_share=policy.tight_share,
        max_dti=policy.max_dti,
        food_per_person=r.food_per_person,
        food_alert_ratio=policy.food_alert_ratio,
    )


# -- loading --------------------------------------------------------------------

def default_policy_text() -> str:
    """The shipped default policy, as TOML text (what `installment policy show` prints)."""
    return resources.files("plans").joinpath("default_policy.toml").read_text(encoding="utf-8")


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}", "policy") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a policy file", "policy") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", "policy") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", "policy") from None


def _problems_and_policy(text: str) -> tuple[list[PolicyProblem], Policy | None]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [PolicyProblem("(file)", f"not valid TOML: {exc}")], None
    problems, fields = read_policy(data)
    if problems:
        return problems, None
    return [], Policy(**fields, source_text=text)


def parse_policy(text: str) -> Policy:
    """A policy from TOML text; raises PolicyError listing every problem."""
    problems, policy = _problems_and_policy(text)
    if problems:
        raise PolicyError(problems)
    assert policy is not None
    return policy


def check_policy(path: str | Path) -> list[PolicyProblem]:
    """Every problem of the policy file at ``path`` (an empty list when it is valid).

    Each problem has ``key`` (the dotted TOML key, e.g. ``terms.max_months``) and ``message``.
    A file that cannot be read raises InvalidInput.
    """
    return _problems_and_policy(_read_text(path))[0]


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The policy shipped with the package (cached: it never changes within a run)."""
    return parse_policy(default_policy_text())


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy at ``path``, or the shipped default when ``path`` is None."""
    if path is None:
        return default_policy()
    problems, policy = _problems_and_policy(_read_text(path))
    if problems:
        raise PolicyError(problems, str(path))
    assert policy is not None
    return policy



# -- reading and checking -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """One problem of a policy file: the dotted TOML key and what is wrong with it."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


_MISSING = object()
_TOP = ("version", "currency", "creditor", "terms", "first_due", "standard", "step", "settlement",
        "authority", "affordability", "regions")
_TERMS = ("min_months", "max_months", "min_installment", "min_down_payment", "fee_rate", "fee_basis",
          "remainder", "round_to", "business_days", "calendar")
_AFFORD = ("contingency_share", "tight_share", "max_dti", "food_alert_ratio", "default_region")


def _kind(value: object) -> str:
    return {bool: "true/false", int: "an integer", float: "a decimal number", str: "text",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


class _Reader:
    """Reads the TOML data, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[PolicyProblem] = []
        self.currency = "CNY"

    def bad(self, key: str, message: str) -> None:
        self.problems.append(PolicyProblem(key, message))

    def table(self, parent: dict, name: str, key: str, known: tuple[str, ...] | None, required: bool = True) -> dict:
        if name not in parent:
            if required:
                self.bad(key, f"is missing; add a [{key}] table")
            return {}
        value = parent[name]
        if not isinstance(value, dict):
            self.bad(key, f"must be a table, got {_kind(value)}")
            return {}
        if known is not None:
            for k in value:
                if k not in known:
                    self.bad(f"{key}.{k}", f"unknown key; [{key}] takes {', '.join(known)}")
        return value

    def get(self, table: dict, name: str, key: str, convert, default=_MISSING):
        if name not in table:
            if default is _MISSING:
                self.bad(key, "is missing")
            return None if default is _MISSING else default
        try:
            return convert(table[name], key)
        except InvalidInput as exc:
            self.bad(key, exc.message)
            return None

    # converters: (value, key) -> value, raising InvalidInput
    @staticmethod
    def text(value, key):
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"must be non-empty text, got {_kind(value)}", key)
        return value

    @staticmethod
    def lines(value, key):
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            raise InvalidInput('must be a list of non-empty text lines, e.g. ["Call 400-000-0000"]', key)
        return tuple(value)

    @staticmethod
    def integer(lo: int, hi: int):
        def convert(value, key):
            if not isinstance(value, int) or isinstance(value, bool):
                raise InvalidInput(f"must be an integer from {lo} to {hi}, got {_kind(value)}", key)
            if not lo <= value <= hi:
                raise InvalidInput(f"must be from {lo} to {hi}, got {value}", key)
            return value
        return convert

    def amount(self, value, key):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InvalidInput(f'must be an amount as text such as "100.00", got {_kind(value)}', key)
        from calc.money import parse_amount
        return parse_amount(value, self.currency, key)

    @staticmethod
    def percent(value, key, maximum: Decimal = Decimal(100)):
        if not isinstance(value, str) or not value.strip().endswith("%"):
            raise InvalidInput(f'must be a percentage as text such as "50%", got {_kind(value)}', key)
        from calc.money import parse_percent
        return parse_percent(value, key, maximum=maximum)

    @staticmethod
    def choice(options: tuple[str, ...]):
        def convert(value, key):
            if value not in options:
                raise InvalidInput(f"must be one of {', '.join(options)}, got {value!r}", key)
            return value
        return convert

    @staticmethod
    def ratio(value, key):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InvalidInput(f'must be a number as text such as "2", got {_kind(value)}', key)
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            raise InvalidInput(f"{value!r} is not a number", key) from None
        if not number.is_finite() or number <= 0:
            raise InvalidInput(f"must be a number above zero, got {value!r}", key)
        return number


def _max_months(value, key):
    if isinstance(value, int) and not isinstance(value, bool) and value > ABSOLUTE_MAX_MONTHS:
        raise InvalidInput(f"{value} is above {ABSOLUTE_MAX_MONTHS}, the legal ceiling of five years of "
                           "monthly installments", key)
    return _Reader.integer(1, ABSOLUTE_MAX_MONTHS)(value, key)


def _waiver_table(r: _Reader, parent: dict, key: str, required: bool = False) -> dict[str, Decimal]:
    table = r.table(parent, "waivers", key, BUCKETS, required)
    out = {}
    for bucket in BUCKETS:
        value = r.get(table, bucket, f"{key}.{bucket}", r.percent, Decimal(0))
        out[bucket] = value if value is not None else Decimal(0)
    return out


def read_policy(data: dict) -> tuple[list[PolicyProblem], dict]:
    """Check parsed TOML ``data``; returns (problems, the keyword arguments of Policy)."""
    r = _Reader()
    for k in data:
        if k not in _TOP:
            r.bad(k, f"unknown key; a policy takes {', '.join(_TOP)}")
    f: dict = {}
    f["version"] = r.get(data, "version", "version", r.text)
    from calc.money import check_currency

    def currency(value, key):
        if not isinstance(value, str):
            raise InvalidInput(f"must be an ISO 4217 code as text, got {_kind(value)}", key)
        try:
            return check_currency(value)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, key) from None

    f["currency"] = r.get(data, "currency", "currency", currency)
    r.currency = f["currency"] or "CNY"

    cred = r.table(data, "creditor", "creditor", ("name", "contact", "complaints"))
    f["creditor"] = Creditor(
        r.get(cred, "name", "creditor.name", r.text) or "",
        r.get(cred, "contact", "creditor.contact", r.lines) or (),
        r.get(cred, "complaints", "creditor.complaints", r.lines) or (),
    )

    t = r.table(data, "terms", "terms", _TERMS)
    f["min_months"] = r.get(t, "min_months", "terms.min_months", r.integer(1, ABSOLUTE_MAX_MONTHS), 1)
    f["max_months"] = r.get(t, "max_months", "terms.max_months", _max_months, ABSOLUTE_MAX_MONTHS)
    f["min_installment"] = r.get(t, "min_installment", "terms.min_installment", r.amount, 0)

    def down(value, key):
        if isinstance(value, str) and value.strip().endswith("%"):
            return r.percent(value, key, Decimal(99))
        return r.amount(value, key)

    d = r.get(t, "min_down_payment", "terms.min_down_payment", down, 0)
    f["min_down_fraction"] = d if isinstance(d, Decimal) else None
    f["min_down_amount"] = d if isinstance(d, int) else (None if isinstance(d, Decimal) else 0)
    f["fee_rate"] = r.get(t, "fee_rate", "terms.fee_rate", lambda v, k: r.percent(v, k, MAX_FEE_RATE * 100), Decimal(0))
    f["fee_basis"] = r.get(t, "fee_basis", "terms.fee_basis", r.choice(FEE_BASES), "flat")
    f["remainder"] = r.get(t, "remainder", "terms.remainder", r.choice(REMAINDERS), "first")
    f["round_to"] = r.get(t, "round_to", "terms.round_to", r.amount, 1)
    if f["round_to"] == 0:
        r.bad("terms.round_to", "must be above zero (the smallest is one minor unit)")
    elif f["remainder"] == "spread" and f["round_to"] not in (None, 1):
        r.bad("terms.remainder", '"spread" needs round_to to be one minor unit')
    f["business_days"] = r.get(t, "business_days", "terms.business_days", r.choice(CONVENTIONS), "none")
    f["calendar_name"] = r.get(t, "calendar", "terms.calendar", r.choice(CALENDARS), "weekends")

    fd = r.table(data, "first_due", "first_due", ("min_days", "max_days"), required=False)
    f["first_due_min_days"] = r.get(fd, "min_days", "first_due.min_days", r.integer(1, 366), 1)
    f["first_due_max_days"] = r.get(fd, "max_days", "first_due.max_days", r.integer(1, 366), 45)

    st = r.table(data, "standard", "standard", ("months", "waivers"))
    f["standard_months"] = r.get(st, "months", "standard.months", r.integer(1, ABSOLUTE_MAX_MONTHS))
    std_waivers = _waiver_table(r, st, "standard.waivers")
    f["standard_waivers"] = tuple(std_waivers.items())

    sp = r.table(data, "step", "step", ("min_months_after",), required=False)
    f["step_min_months_after"] = r.get(sp, "min_months_after", "step.min_months_after", r.integer(1, ABSOLUTE_MAX_MONTHS - 1), 6)
    se = r.table(data, "settlement", "settlement", ("pay_within_days",), required=False)
    f["settlement_pay_within_days"] = r.get(se, "pay_within_days", "settlement.pay_within_days", r.integer(1, 366), 30)

    auth = r.table(data, "authority", "authority", AUTHORITIES)
    authorities = []
    for name in AUTHORITIES:
        key = f"authority.{name}"
        a = r.table(auth, name, key, ("max_months", "settlement_discount", "waivers"), required=True)
        authorities.append(Authority(
            name,
            r.get(a, "max_months", f"{key}.max_months", r.integer(1, ABSOLUTE_MAX_MONTHS)) or 0,
            r.get(a, "settlement_discount", f"{key}.settlement_discount", lambda v, k: r.percent(v, k, Decimal(99)), Decimal(0)) or Decimal(0),
            tuple(_waiver_table(r, a, f"{key}.waivers").items()),
        ))
    f["authorities"] = tuple(authorities)

    af = r.table(data, "affordability", "affordability", _AFFORD)
    f["contingency_share"] = r.get(af, "contingency_share", "affordability.contingency_share", r.percent, Decimal("0.10"))
    f["tight_share"] = r.get(af, "tight_share", "affordability.tight_share", r.percent, Decimal("0.80"))
    f["max_dti"] = r.get(af, "max_dti", "affordability.max_dti", r.percent, Decimal("0.50"))
    f["food_alert_ratio"] = r.get(af, "food_alert_ratio", "affordability.food_alert_ratio", r.ratio, Decimal(2))
    f["default_region"] = r.get(af, "default_region", "affordability.default_region", r.text)

    regions_table = r.table(data, "regions", "regions", None)
    regions = []
    for name in regions_table:
        key = f"regions.{name}"
        rt = r.table(regions_table, name, key, ("reserve_per_person", "food_per_person"))
        if not rt:
            continue
        reserve = r.get(rt, "reserve_per_person", f"{key}.reserve_per_person", r.amount)
        food = r.get(rt, "food_per_person", f"{key}.food_per_person", r.amount, None)
        if food == 0:
            r.bad(f"{key}.food_per_person", "must be above zero, or left out")
        regions.append(Region(name, reserve or 0, food or None))
    f["regions"] = tuple(regions)

    _cross_checks(r, f, std_waivers)
    return r.problems, f


def _cross_checks(r: _Reader, f: dict, std_waivers: dict[str, Decimal]) -> None:
    """Limits that contradict each other."""
    lo, hi = f["min_months"], f["max_months"]
    if lo and hi and lo > hi:
        r.bad("terms.min_months", f"{lo} is more than terms.max_months ({hi})")
    prev = None
    for a in f["authorities"]:
        key = f"authority.{a.name}"
        if a.max_months and hi and a.max_months > hi:
            r.bad(f"{key}.max_months", f"{a.max_months} is more than terms.max_months ({hi})")
        if a.max_months and lo and a.max_months < lo:
            r.bad(f"{key}.max_months", f"{a.max_months} is less than terms.min_months ({lo})")
        if prev is not None:
            if a.max_months and prev.max_months and a.max_months < prev.max_months:
                r.bad(f"{key}.max_months", f"{a.max_months} is less than {prev.name}'s {prev.max_months}; "
                      "each authority must allow at least what the one before it allows")
            if a.settlement_discount < prev.settlement_discount:
                r.bad(f"{key}.settlement_discount",
                      f"{a.settlement_discount:.2%} is less than {prev.name}'s {prev.settlement_discount:.2%}")
            for (bucket, limit), (_, before) in zip(a.waivers, prev.waivers):
                if limit < before:
                    r.bad(f"{key}.waivers.{bucket}", f"{limit:.2%} is less than {prev.name}'s {before:.2%}")
        prev = a
    top = f["authorities"][-1]
    for bucket, limit in std_waivers.items():
        if limit > top.waiver_limit(bucket):
            r.bad(f"standard.waivers.{bucket}",
                  f"{limit:.2%} is more than even a supervisor may waive ({top.waiver_limit(bucket):.2%})")
    sm = f["standard_months"]
    if sm and lo and hi and not lo <= sm <= hi:
        r.bad("standard.months", f"{sm} is outside terms.min_months..terms.max_months ({lo}..{hi})")
    if f["first_due_min_days"] and f["first_due_max_days"] and f["first_due_min_days"] > f["first_due_max_days"]:
        r.bad("first_due.min_days", f"{f['first_due_min_days']} is more than first_due.max_days ({f['first_due_max_days']})")
    if f["contingency_share"] is not None and f["contingency_share"] >= 1:
        r.bad("affordability.contingency_share", "must be below 100%")
    if f["tight_share"] is not None and f["tight_share"] == 0:
        r.bad("affordability.tight_share", "must be above 0%")
    if f["max_dti"] is not None and f["max_dti"] == 0:
        r.bad("affordability.max_dti", "must be above 0%")
    names = [reg.name for reg in f["regions"]]
    if not names:
        r.bad("regions", "needs at least one [regions.NAME] table with reserve_per_person")
    default = f["default_region"]
    if default and names and default not in names:
        r.bad("affordability.default_region", f"{default!r} is not in [regions]; known: {', '.join(names)}")
