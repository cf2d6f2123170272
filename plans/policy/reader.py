"""Reading a policy's TOML data, collecting every problem with its dotted key.

Used by ``plans.policy.load`` (:func:`plans.policy.check_policy`, :func:`plans.policy.load_policy`);
the rules for each key are documented in ``plans/policy/default_policy.toml``.
"""

from __future__ import annotations

from decimal import Decimal

from calc.dates import CONVENTIONS
from calc.debt import BUCKETS
from calc.errors import InvalidInput, Problem, Problems
from calc.money import check_currency, is_percent, parse_amount, parse_percent
from calc.numerals import number_text
from calc.terms import ABSOLUTE_MAX_MONTHS, FEE_BASES, MAX_FEE_RATE, REMAINDERS, FeeBasis, Remainder

from ..conduct.settings import check_zone, read_conduct
from .calendars import CALENDARS
from .model import AUTHORITIES, AuthorityLimits, Creditor, Region, Servicing

_MISSING = object()
_TOP = (
    "version",
    "currency",
    "creditor",
    "terms",
    "first_due",
    "standard",
    "step",
    "settlement",
    "authority",
    "affordability",
    "regions",
    "servicing",
    "conduct",
)
_TERMS = (
    "min_months",
    "max_months",
    "min_installment",
    "min_down_payment",
    "fee_rate",
    "fee_basis",
    "remainder",
    "round_to",
    "business_days",
    "calendar",
)
_AFFORD = ("contingency_share", "tight_share", "max_dti", "food_alert_ratio", "default_region")
_SERVICING = (
    "grace_days",
    "break_after_missed",
    "restore_on_break",
    "reminder_days_before",
    "replans_allowed",
    "payment_methods",
)


def _kind(value: object) -> str:
    return {
        bool: "true/false",
        int: "an integer",
        float: "a decimal number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


class _Reader(Problems):
    """Reads the TOML data, collecting every problem (named by its dotted key) instead of stopping at the first."""

    def __init__(self) -> None:
        super().__init__()
        self.currency = "CNY"

    def table(self, parent: dict, name: str, key: str, known: tuple[str, ...] | None, required: bool = True) -> dict:
        if name not in parent:
            if required:
                self.add(key, f"is missing; add a [{key}] table")
            return {}
        value = parent[name]
        if not isinstance(value, dict):
            self.add(key, f"must be a table, got {_kind(value)}")
            return {}
        if known is not None:
            for k in value:
                if k not in known:
                    self.add(f"{key}.{k}", f"unknown key; [{key}] takes {', '.join(known)}")
        return value

    def get(self, table: dict, name: str, key: str, convert, default=_MISSING):
        if name not in table:
            if default is _MISSING:
                self.add(key, "is missing")
            return None if default is _MISSING else default
        try:
            return convert(table[name], key)
        except InvalidInput as exc:
            self.add(key, exc.message)
            return None

    # converters: (value, key) -> value, raising InvalidInput
    @staticmethod
    def text(value, key):
        if not isinstance(value, str) or not value.strip():
            got = "empty text" if isinstance(value, str) else _kind(value)
            raise InvalidInput(f"must be non-empty text, got {got}", key)
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
        return parse_amount(value, self.currency, key)

    @staticmethod
    def percent(value, key, maximum: Decimal = Decimal(100)):
        if not isinstance(value, str) or not is_percent(value):
            raise InvalidInput(f'must be a percentage as text such as "50%", got {_kind(value)}', key)
        # normalized, so "50%" and "50.0%" are the same figure (and give the same offer ids)
        return parse_percent(value, key, maximum=maximum).normalize()

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
        number = Decimal(value if isinstance(value, int) else number_text(value, key, example="2"))
        if not number.is_finite() or number <= 0:
            raise InvalidInput(f"must be a number above zero, got {value!r}", key)
        return number


def _max_months(value, key):
    if isinstance(value, int) and not isinstance(value, bool) and value > ABSOLUTE_MAX_MONTHS:
        raise InvalidInput(
            f"{value} is above {ABSOLUTE_MAX_MONTHS}, the legal ceiling of five years of monthly installments", key
        )
    return _Reader.integer(1, ABSOLUTE_MAX_MONTHS)(value, key)


def _waiver_table(r: _Reader, parent: dict, key: str, required: bool = False) -> dict[str, Decimal]:
    table = r.table(parent, "waivers", key, BUCKETS, required)
    out = {}
    for bucket in BUCKETS:
        value = r.get(table, bucket, f"{key}.{bucket}", r.percent, Decimal(0))
        out[bucket] = value if value is not None else Decimal(0)
    return out


def read_policy(data: dict) -> tuple[tuple[Problem, ...], dict]:
    """Check parsed TOML ``data``; returns (problems, the keyword arguments of Policy)."""
    r = _Reader()
    for k in data:
        if k not in _TOP:
            r.add(k, f"unknown key; a policy takes {', '.join(_TOP)}")
    f: dict = {}
    f["version"] = r.get(data, "version", "version", r.text)

    def currency(value, key):
        if not isinstance(value, str):
            raise InvalidInput(f"must be an ISO 4217 code as text, got {_kind(value)}", key)
        try:
            return check_currency(value)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, key) from None

    f["currency"] = r.get(data, "currency", "currency", currency)
    r.currency = f["currency"] or "CNY"

    cred = r.table(data, "creditor", "creditor", ("name", "contact", "complaints", "reply"))
    f["creditor"] = Creditor(
        r.get(cred, "name", "creditor.name", r.text) or "",
        r.get(cred, "contact", "creditor.contact", r.lines) or (),
        r.get(cred, "complaints", "creditor.complaints", r.lines) or (),
        r.get(cred, "reply", "creditor.reply", r.lines, ()) or (),
    )

    t = r.table(data, "terms", "terms", _TERMS)
    f["min_months"] = r.get(t, "min_months", "terms.min_months", r.integer(1, ABSOLUTE_MAX_MONTHS), 1)
    f["max_months"] = r.get(t, "max_months", "terms.max_months", _max_months, ABSOLUTE_MAX_MONTHS)
    f["min_installment"] = r.get(t, "min_installment", "terms.min_installment", r.amount, 0)

    def down(value, key):
        if isinstance(value, str) and is_percent(value):
            return r.percent(value, key, Decimal(99))
        return r.amount(value, key)

    d = r.get(t, "min_down_payment", "terms.min_down_payment", down, 0)
    f["min_down_fraction"] = d if isinstance(d, Decimal) else None
    f["min_down_amount"] = d if isinstance(d, int) else (None if isinstance(d, Decimal) else 0)
    f["fee_rate"] = r.get(t, "fee_rate", "terms.fee_rate", lambda v, k: r.percent(v, k, MAX_FEE_RATE * 100), Decimal(0))
    basis = r.get(t, "fee_basis", "terms.fee_basis", r.choice(FEE_BASES), FeeBasis.FLAT)
    remainder = r.get(t, "remainder", "terms.remainder", r.choice(REMAINDERS), Remainder.FIRST)
    f["fee_basis"] = None if basis is None else FeeBasis(basis)  # None: a problem already reported
    f["remainder"] = None if remainder is None else Remainder(remainder)
    f["round_to"] = r.get(t, "round_to", "terms.round_to", r.amount, 1)
    if f["round_to"] == 0:
        r.add("terms.round_to", "must be above zero (the smallest is one minor unit)")
    elif f["remainder"] is Remainder.SPREAD and f["round_to"] not in (None, 1):
        r.add("terms.remainder", '"spread" needs round_to to be one minor unit')
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
    f["step_min_months_after"] = r.get(
        sp, "min_months_after", "step.min_months_after", r.integer(1, ABSOLUTE_MAX_MONTHS - 1), 6
    )
    se = r.table(data, "settlement", "settlement", ("pay_within_days",), required=False)
    f["settlement_pay_within_days"] = r.get(se, "pay_within_days", "settlement.pay_within_days", r.integer(1, 366), 30)

    auth = r.table(data, "authority", "authority", AUTHORITIES)
    authorities = []
    for name in AUTHORITIES:
        key = f"authority.{name}"
        a = r.table(auth, name, key, ("max_months", "settlement_discount", "waivers"), required=True)
        authorities.append(
            AuthorityLimits(
                name,
                r.get(a, "max_months", f"{key}.max_months", r.integer(1, ABSOLUTE_MAX_MONTHS)) or 0,
                r.get(
                    a,
                    "settlement_discount",
                    f"{key}.settlement_discount",
                    lambda v, k: r.percent(v, k, Decimal(99)),
                    Decimal(0),
                )
                or Decimal(0),
                tuple(_waiver_table(r, a, f"{key}.waivers").items()),
            )
        )
    f["authorities"] = tuple(authorities)

    af = r.table(data, "affordability", "affordability", _AFFORD)
    f["contingency_share"] = r.get(
        af, "contingency_share", "affordability.contingency_share", r.percent, Decimal("0.10")
    )
    f["tight_share"] = r.get(af, "tight_share", "affordability.tight_share", r.percent, Decimal("0.80"))
    f["max_dti"] = r.get(af, "max_dti", "affordability.max_dti", r.percent, Decimal("0.50"))
    f["food_alert_ratio"] = r.get(af, "food_alert_ratio", "affordability.food_alert_ratio", r.ratio, Decimal(2))
    f["default_region"] = r.get(af, "default_region", "affordability.default_region", r.text)

    regions_table = r.table(data, "regions", "regions", None)
    regions = []
    for name in regions_table:
        key = f"regions.{name}"
        rt = r.table(regions_table, name, key, ("reserve_per_person", "food_per_person", "time_zone", "label"))
        if not rt:
            continue
        reserve = r.get(rt, "reserve_per_person", f"{key}.reserve_per_person", r.amount)
        food = r.get(rt, "food_per_person", f"{key}.food_per_person", r.amount, None)
        if food == 0:
            r.add(f"{key}.food_per_person", "must be above zero, or left out")
        tz = r.get(rt, "time_zone", f"{key}.time_zone", check_zone, None)
        labels = r.get(rt, "label", f"{key}.label", _labels, ())
        regions.append(Region(name, reserve or 0, food or None, tz, labels or ()))
    f["regions"] = tuple(regions)
    f["servicing"] = _servicing(r, data)
    f["conduct"] = read_conduct(r, data)

    _cross_checks(r, f, std_waivers)
    return r.as_tuple(), f


#: Longest region label read.
MAX_LABEL = 40


def _labels(value, key) -> tuple[tuple[str, str], ...]:
    """``label = { zh_CN = "北京", zh_TW = "北京", en = "Beijing" }``: a name per language, plain text."""
    from plans.text.i18n import LANGS

    example = '{ zh_CN = "北京", zh_TW = "北京", en = "Beijing" }'
    if not isinstance(value, dict) or not value:
        raise InvalidInput(f"must be a table of names by language, e.g. {example}, got {_kind(value)}", key)
    out = []
    for lang, text in value.items():
        if lang not in LANGS:
            raise InvalidInput(f"{lang!r} is not a language; use {', '.join(LANGS)}", key)
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(f"{lang} must be non-empty text, got {_kind(text)}", key)
        if len(text) > MAX_LABEL or any(not ch.isprintable() for ch in text):
            raise InvalidInput(f"{lang} must be one line of at most {MAX_LABEL} printable characters", key)
        out.append((lang, text.strip()))
    return tuple(out)


def _buckets(value, key) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise InvalidInput(f'must be a list of debt buckets, e.g. ["interest", "late_fees"], got {_kind(value)}', key)
    unknown = [x for x in value if x not in BUCKETS]
    if unknown:
        raise InvalidInput(f"{unknown[0]!r} is not a debt bucket; buckets are {', '.join(BUCKETS)}", key)
    if len(set(value)) != len(value):
        raise InvalidInput("names a bucket twice", key)
    return tuple(b for b in BUCKETS if b in value)


def _servicing(r: _Reader, data: dict) -> Servicing:
    """``[servicing]`` (optional; every key defaults to :class:`plans.policy.Servicing`'s value)."""
    sv = r.table(data, "servicing", "servicing", _SERVICING, required=False)
    d = Servicing()
    values = {
        "grace_days": r.get(sv, "grace_days", "servicing.grace_days", r.integer(0, 90), d.grace_days),
        "break_after_missed": r.get(
            sv, "break_after_missed", "servicing.break_after_missed", r.integer(1, 60), d.break_after_missed
        ),
        "restore_on_break": r.get(sv, "restore_on_break", "servicing.restore_on_break", _buckets, d.restore_on_break),
        "reminder_days_before": r.get(
            sv, "reminder_days_before", "servicing.reminder_days_before", r.integer(0, 31), d.reminder_days_before
        ),
        "replans_allowed": r.get(
            sv, "replans_allowed", "servicing.replans_allowed", r.integer(0, 12), d.replans_allowed
        ),
        "payment_methods": r.get(sv, "payment_methods", "servicing.payment_methods", r.lines, d.payment_methods),
    }
    return Servicing(**{k: getattr(d, k) if v is None else v for k, v in values.items()})


def _cross_checks(r: _Reader, f: dict, std_waivers: dict[str, Decimal]) -> None:
    """Limits that contradict each other."""
    lo, hi = f["min_months"], f["max_months"]
    if lo and hi and lo > hi:
        r.add("terms.min_months", f"{lo} is more than terms.max_months ({hi})")
    prev = None
    for a in f["authorities"]:
        key = f"authority.{a.name}"
        if a.max_months and hi and a.max_months > hi:
            r.add(f"{key}.max_months", f"{a.max_months} is more than terms.max_months ({hi})")
        if a.max_months and lo and a.max_months < lo:
            r.add(f"{key}.max_months", f"{a.max_months} is less than terms.min_months ({lo})")
        if prev is not None:
            if a.max_months and prev.max_months and a.max_months < prev.max_months:
                r.add(
                    f"{key}.max_months",
                    f"{a.max_months} is less than {prev.name}'s {prev.max_months}; "
                    "each authority must allow at least what the one before it allows",
                )
            if a.settlement_discount < prev.settlement_discount:
                r.add(
                    f"{key}.settlement_discount",
                    f"{a.settlement_discount:.2%} is less than {prev.name}'s {prev.settlement_discount:.2%}",
                )
            for (bucket, limit), (_, before) in zip(a.waivers, prev.waivers):
                if limit < before:
                    r.add(f"{key}.waivers.{bucket}", f"{limit:.2%} is less than {prev.name}'s {before:.2%}")
        prev = a
    top = f["authorities"][-1]
    for bucket, limit in std_waivers.items():
        if limit > top.waiver_limit(bucket):
            r.add(
                f"standard.waivers.{bucket}",
                f"{limit:.2%} is more than even a supervisor may waive ({top.waiver_limit(bucket):.2%})",
            )
    sm = f["standard_months"]
    if sm and lo and hi and not lo <= sm <= hi:
        r.add("standard.months", f"{sm} is outside terms.min_months..terms.max_months ({lo}..{hi})")
    elif sm and top.max_months and sm > top.max_months:
        r.add(
            "standard.months",
            f"{sm} is more than even a supervisor may offer (authority.supervisor.max_months = {top.max_months})",
        )
    if f["first_due_min_days"] and f["first_due_max_days"] and f["first_due_min_days"] > f["first_due_max_days"]:
        r.add(
            "first_due.min_days",
            f"{f['first_due_min_days']} is more than first_due.max_days ({f['first_due_max_days']})",
        )
    if f["contingency_share"] is not None and f["contingency_share"] >= 1:
        r.add("affordability.contingency_share", "must be below 100%")
    if f["tight_share"] is not None and f["tight_share"] == 0:
        r.add("affordability.tight_share", "must be above 0%")
    if f["max_dti"] is not None and f["max_dti"] == 0:
        r.add("affordability.max_dti", "must be above 0%")
    names = [reg.name for reg in f["regions"]]
    if not names:
        r.add("regions", "needs at least one [regions.NAME] table with reserve_per_person")
    default = f["default_region"]
    if default and names and default not in names:
        r.add("affordability.default_region", f"{default!r} is not in [regions]; known: {', '.join(names)}")
