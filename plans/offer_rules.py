"""Policy rules an offer must obey, and the authority it needs.

:func:`check` judges one offer's terms, waivers and figures against a policy for a
requested authority.  It returns the rules broken at that authority and the least
authority that may grant the offer as it stands (None when it breaks a rule that no
authority may waive: the term limits, the minimum installment, the minimum down
payment, the first-due window).

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
from datetime import timedelta
from decimal import Decimal
from typing import Sequence

from calc.debt import BUCKETS, Debt, Waiver, waived_amounts
from calc.money import amount_formatter, percent_of
from calc.schedule import Headline
from calc.terms import Terms

from .policy import AUTHORITIES, Policy, authority_rank


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
        return {"rule": self.rule, "limit": self.limit, "value": self.value,
                "authority": self.authority, "message": self.message}


def pct_text(fraction: Decimal) -> str:
    """Decimal("0.125") -> "12.5%" (exact, no trailing zeros)."""
    text = format((fraction * 100).normalize(), "f")
    return f"{text}%"


def _least(policy: Policy, allowed) -> str | None:
    for a in policy.authorities:
        if allowed(a):
            return a.name
    return None


def check(policy: Policy, debt: Debt, terms: Terms, waivers: Sequence[Waiver], head: Headline, kind: str,
          discount: int | None, authority: str) -> tuple[tuple[Violation, ...], str | None]:
    """(violations at ``authority``, the least authority that may grant the offer)."""
    cur = debt.currency
    fmt = amount_formatter(cur)
    own = policy.authority(authority)
    found: list[Violation] = []  # every broken rule, at any authority
    months = head.months

    def add(rule: str, limit: str, value: str, least: str | None, message: str) -> None:
        found.append(Violation(rule, limit, value, least, message))

    if kind != "settlement" and months < policy.min_months:
        add("min_months", str(policy.min_months), str(months), None,
            f"{months} installments is fewer than the policy minimum of {policy.min_months}.")
    if months > own.max_months:
        least = _least(policy, lambda a: a.max_months >= months)
        add("max_months", str(own.max_months), str(months), least,
            f"{months} months is longer than the {own.max_months} months {authority} authority allows"
            + (f"; it needs {least} approval." if least else "; no authority may grant it."))
    smallest = min(head.first_installment, head.regular_installment, head.last_installment)
    if smallest < policy.min_installment:
        add("min_installment", fmt(policy.min_installment), fmt(smallest), None,
            f"An installment of {fmt(smallest)} {cur} is below the policy minimum of "
            f"{fmt(policy.min_installment)} {cur}.")
    if kind == "settlement":
        latest = terms.start + timedelta(days=policy.settlement_pay_within_days)
        if head.first_due > latest:
            add("settlement_due", latest.isoformat(), head.first_due.isoformat(), None,
                f"The lump sum falls due on {head.first_due}, after the latest allowed date {latest}.")
    else:
        least_down = policy.min_down_payment(head.plan_balance)
        if head.down_payment < least_down:
            add("min_down_payment", fmt(least_down), fmt(head.down_payment), None,
                f"A down payment of {fmt(head.down_payment)} {cur} is below the policy minimum of "
                f"{fmt(least_down)} {cur}.")
        lo, hi = policy.first_due_window(terms.start)
        if not lo <= head.first_due <= hi:
            add("first_due", f"{lo.isoformat()}..{hi.isoformat()}", head.first_due.isoformat(), None,
                f"The first installment falls on {head.first_due}, outside the allowed window "
                f"{lo} to {hi}.")
    if discount is not None:
        per_bucket = policy.standard_waiver_list()
        base = head.plan_balance + discount
        if discount > percent_of(base, own.settlement_discount):
            least = _least(policy, lambda a: discount <= percent_of(base, a.settlement_discount))
            value = pct_text((Decimal(discount) / Decimal(base)).quantize(Decimal("0.0001")))
            add("settlement_discount", pct_text(own.settlement_discount), value, least,
                f"A settlement discount of {fmt(discount)} {cur} ({value} of {fmt(base)} {cur}) is more than "
                f"the {pct_text(own.settlement_discount)} {authority} authority allows"
                + (f"; it needs {least} approval." if least else "; no authority may grant it."))
    else:
        per_bucket = waivers
    waived = waived_amounts(debt, tuple(per_bucket))
    for bucket in BUCKETS:
        amount = waived[bucket]
        if not amount:
            continue
        whole = getattr(debt, bucket)
        if amount <= percent_of(whole, own.waiver_limit(bucket)):
            continue
        least = _least(policy, lambda a: amount <= percent_of(whole, a.waiver_limit(bucket)))
        value = pct_text((Decimal(amount) / Decimal(whole)).quantize(Decimal("0.0001")))
        add(f"waiver.{bucket}", pct_text(own.waiver_limit(bucket)), value, least,
            f"Waiving {fmt(amount)} {cur} ({value}) of {bucket.replace('_', ' ')} is more than the "
            f"{pct_text(own.waiver_limit(bucket))} {authority} authority allows"
            + (f"; it needs {least} approval." if least else "; no authority may grant it."))
    rank = authority_rank(authority)
    if any(v.authority is None for v in found):
        needed = None
    else:
        needed = _least(policy, lambda a: _allows(a, debt, months, per_bucket, discount, head))
    at_request = tuple(v for v in found if v.authority is None or authority_rank(v.authority) > rank)
    return at_request, needed


def _allows(a, debt: Debt, months: int, waivers: Sequence[Waiver], discount: int | None, head: Headline) -> bool:
    """True when authority ``a`` grants the authority-dependent parts of an offer."""
    if months > a.max_months:
        return False
    if discount is not None and discount > percent_of(head.plan_balance + discount, a.settlement_discount):
        return False
    waived = waived_amounts(debt, tuple(waivers))
    return all(waived[b] <= percent_of(getattr(debt, b), a.waiver_limit(b)) for b in BUCKETS if waived[b])


__all__ = ["AUTHORITIES", "Violation", "check", "pct_text"]
