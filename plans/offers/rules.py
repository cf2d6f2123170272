"""Policy rules an offer must obey, and the least authority that may grant it.

:func:`check` judges arrays of offers against a policy for a requested authority:
for every rule, whether the offer breaks it at that authority and which authority
would allow it (none for the rules no authority may waive: the term limits, the
minimum installment, the minimum down payment, the first-due window, the
settlement's pay-by date).  An offer's authority is the least one that allows
every rule; it is within the requested authority when it breaks none there.
:func:`violations` puts one offer's broken rules into :class:`Violation` records.

Rule codes are stable (for translation and batch files):

=========================  ===================================================
``min_months``             fewer installments than ``terms.min_months``
``max_months``             more installments than the authority allows
``min_installment``        an installment below ``terms.min_installment``
``min_down_payment``       a down payment below ``terms.min_down_payment``
``first_due``              first installment outside the ``[first_due]`` window
``settlement_due``         a settlement due later than ``settlement.pay_within_days``
``settlement_discount``    a discount above the authority's settlement discount
``waiver.<bucket>``        a waiver above the authority's limit for that bucket
=========================  ===================================================

``limit`` and ``value`` are text (amounts with the currency's digits, percentages
like ``"50%"``, months and dates as written), so they print and export as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from calc.debt import BUCKETS
from calc.money import amount_formatter

from .setting import Rules


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule an offer breaks at the requested authority."""

    rule: str
    limit: str
    value: str
    #: The least authority that allows it; None when no authority may.
    authority: str | None
    message: str

    def document(self) -> dict:
        return {
            "rule": self.rule,
            "limit": self.limit,
            "value": self.value,
            "authority": self.authority,
            "message": self.message,
        }


def pct_text(fraction: Decimal) -> str:
    """Decimal("0.125") -> "12.5%" (exact, no trailing zeros)."""
    text = format((fraction * 100).normalize(), "f")
    return f"{text}%"


def least_waiver(rules: Rules, buckets: np.ndarray, waived: np.ndarray) -> np.ndarray:
    """Per bucket and offer, the first authority that may waive ``waived`` of ``buckets``
    (rows in BUCKETS order; 0 where nothing is waived, n_auth where no authority may)."""
    num, den = rules.waiver_limits
    allowed = waived[None] <= (2 * buckets[None] * num + den) // (2 * den)
    least = np.where(allowed.any(axis=0), allowed.argmax(axis=0), rules.n_auth)
    return np.where(waived == 0, 0, least)


def least_discount(rules: Rules, discount: np.ndarray, base: np.ndarray) -> np.ndarray:
    """The first authority whose settlement discount covers ``discount`` of ``base`` (n_auth: none)."""
    num, den = rules.discount_limits
    allowed = discount <= (2 * np.asarray(base)[None] * num + den) // (2 * den)
    return np.where(allowed.any(axis=0), allowed.argmax(axis=0), rules.n_auth)


@dataclass(frozen=True, eq=False)
class Checks:
    """Rule checks of arrays of offers: ``need`` is the least authority's rank (n_auth: none may grant
    it), ``blocked`` whether it breaks a rule at the requested authority."""

    need: np.ndarray
    blocked: np.ndarray
    #: Rules no authority may waive, broken: per rule, a mask.
    fixed: dict
    #: The least authority of the authority-dependent rules, per offer.
    months: np.ndarray
    discount: np.ndarray
    waivers: np.ndarray  # (6, n)


def check(
    rules: Rules,
    settle: bool,
    months,
    smallest,
    down,
    least_down,
    first_ok: bool,
    settle_ok: bool,
    discount,
    base,
    waiver_need,
) -> Checks:
    """Checks of offers (arrays, or scalars broadcasting with them).  ``settle``: settlement offers;
    ``settle``: whether they are settlements (one kind per call); ``first_ok``, ``settle_ok``: whether the
    terms' first due date is within the window, a settlement's within its pay-by days;
    ``discount`` and ``base``: a settlement's discount and the plan balance before it;
    ``waiver_need``: :func:`least_waiver` of each offer's waivers (a settlement's: the standard ones)."""
    p = rules.policy
    no = np.zeros(np.shape(months), dtype=bool)
    if settle:
        fixed = {
            "min_months": no,
            "min_installment": smallest < p.min_installment,
            "settlement_due": no | (not settle_ok),
            "min_down_payment": no,
            "first_due": no,
        }
        ld = least_discount(rules, discount, base)
    else:
        fixed = {
            "min_months": months < p.min_months,
            "min_installment": smallest < p.min_installment,
            "settlement_due": no,
            "min_down_payment": down < least_down,
            "first_due": no | (not first_ok),
        }
        ld = no * 0
    lm = rules.least_for_months(months)
    lw = waiver_need.max(axis=0)
    none = lm >= rules.n_auth
    for mask in fixed.values():
        none = none | mask
    need = np.maximum(np.maximum(lm, ld), lw)
    need = np.where(none | (need >= rules.n_auth), rules.n_auth, need)
    own = rules.own
    blocked = none | (lm > own) | (ld > own) | (lw > own)
    for mask in fixed.values():
        blocked = blocked | mask
    return Checks(need, blocked, fixed, lm, ld, waiver_need)


@dataclass(frozen=True, slots=True)
class Facts:
    """One offer's figures that its rule texts quote."""

    currency: str
    start: date
    months: int
    smallest: int
    down: int
    least_down: int
    first_due: date
    discount: int | None
    base: int
    waived: tuple
    buckets: tuple


def violations(rules: Rules, checks: Checks, i: int, f: Facts) -> tuple[Violation, ...]:
    """The rules offer ``i`` of ``checks`` breaks at the requested authority, in rule order."""
    p, own = rules.policy, rules.own
    cur, fmt = f.currency, amount_formatter(f.currency)
    names = [a.name for a in p.authorities]
    who = rules.authority
    out: list[Violation] = []

    def name(rank: int) -> str | None:
        return names[rank] if rank < rules.n_auth else None

    def needs(least: str | None) -> str:
        return f"; it needs {least} approval." if least else "; no authority may grant it."

    fixed = {k: bool(np.asarray(v).reshape(-1)[i] if np.ndim(v) else v) for k, v in checks.fixed.items()}
    m = f.months
    if fixed["min_months"]:
        out.append(
            Violation(
                "min_months",
                str(p.min_months),
                str(m),
                None,
                f"{m} installments is fewer than the policy minimum of {p.min_months}.",
            )
        )
    lm = int(checks.months[i])
    if lm > own:
        least = name(lm)
        out.append(
            Violation(
                "max_months",
                str(rules.own_max),
                str(m),
                least,
                f"{m} months is longer than the {rules.own_max} months {who} authority allows" + needs(least),
            )
        )
    if fixed["min_installment"]:
        out.append(
            Violation(
                "min_installment",
                fmt(p.min_installment),
                fmt(f.smallest),
                None,
                f"An installment of {fmt(f.smallest)} {cur} is below the policy minimum of "
                f"{fmt(p.min_installment)} {cur}.",
            )
        )
    if fixed["settlement_due"]:
        latest = f.start + timedelta(days=p.settlement_pay_within_days)
        out.append(
            Violation(
                "settlement_due",
                latest.isoformat(),
                f.first_due.isoformat(),
                None,
                f"The lump sum falls due on {f.first_due}, after the latest allowed date {latest}.",
            )
        )
    if fixed["min_down_payment"]:
        out.append(
            Violation(
                "min_down_payment",
                fmt(f.least_down),
                fmt(f.down),
                None,
                f"A down payment of {fmt(f.down)} {cur} is below the policy minimum of {fmt(f.least_down)} {cur}.",
            )
        )
    if fixed["first_due"]:
        lo, hi = p.first_due_window(f.start)
        out.append(
            Violation(
                "first_due",
                f"{lo.isoformat()}..{hi.isoformat()}",
                f.first_due.isoformat(),
                None,
                f"The first installment falls on {f.first_due}, outside the allowed window {lo} to {hi}.",
            )
        )
    ld = int(checks.discount[i])
    if ld > own and f.discount is not None:  # (only a settlement has a discount to check)
        least, base, d = name(ld), f.base, f.discount
        limit = pct_text(p.authorities[own].settlement_discount)
        value = pct_text((Decimal(d) / Decimal(base)).quantize(Decimal("0.0001")))
        out.append(
            Violation(
                "settlement_discount",
                limit,
                value,
                least,
                f"A settlement discount of {fmt(d)} {cur} ({value} of {fmt(base)} {cur}) is more "
                f"than the {limit} {who} authority allows" + needs(least),
            )
        )
    for b, bucket in enumerate(BUCKETS):
        lw = int(checks.waivers[b, i])
        if lw <= own:
            continue
        least, amount, whole = name(lw), f.waived[b], f.buckets[b]
        limit = pct_text(p.authorities[own].waiver_limit(bucket))
        value = pct_text((Decimal(amount) / Decimal(whole)).quantize(Decimal("0.0001")))
        out.append(
            Violation(
                f"waiver.{bucket}",
                limit,
                value,
                least,
                f"Waiving {fmt(amount)} {cur} ({value}) of {bucket.replace('_', ' ')} is more than "
                f"the {limit} {who} authority allows" + needs(least),
            )
        )
    return tuple(out)


__all__ = ["Checks", "Facts", "Violation", "check", "least_discount", "least_waiver", "pct_text", "violations"]
