"""Summaries of offers: ``plans.offers.Offer`` -> :class:`~plans.summary.model.Summary`.

Kept apart from the model so that the model needs nothing from the offers code:
an offer is read through its attributes (``plan``, ``kind``, ``assessment``,
``authority``, ``violations``, ``explanation``, ``case.account``), and the
creditor comes from the policy (``Policy.creditor``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .model import SummaryAccount, Creditor, Summary, build_summary


def _text(v: Any) -> str:
    return str(getattr(v, "message", None) or v)


def from_offer(
    offer: Any,
    policy: Any = None,
    *,
    creditor: Creditor | None = None,
    account: SummaryAccount | None = None,
    summary_date: date | None = None,
    label: str | None = None,
) -> Summary:
    """The summary of ``offer``.  The creditor is ``creditor`` or the policy's; the
    account is ``account`` or the offer's case account (masked either way)."""
    if creditor is None:
        if policy is None:
            from calc.errors import InvalidInput

            raise InvalidInput("give the policy or the creditor of the offer", "policy")
        creditor = Creditor.from_policy(policy)
    if account is None:
        acc = getattr(getattr(offer, "case", None), "account", None)
        account = SummaryAccount(getattr(acc, "ref", None) or "", getattr(acc, "name", None))
    return build_summary(
        offer.plan,
        creditor,
        account,
        summary_date=summary_date,
        kind=offer.kind,
        assessment=getattr(offer, "assessment", None),
        label=label,
        authority=getattr(offer, "authority", None),
        violations=tuple(_text(v) for v in getattr(offer, "violations", ()) or ()),
        explanation=getattr(offer, "explanation", None) or None,
        explain=getattr(offer, "explain", None),
    )
