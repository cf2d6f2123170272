"""What the store accepts as an offer, and how it reads one.

The store keeps, for every offer, what is needed to reproduce it exactly::

    {
      "id": "OF-...",                 # the offer's own id (unique)
      "account_ref": "CC-0001",       # may instead be passed to Store.save_offer
      "kind": "shortest_affordable",  # what sort of offer (from plans.offers)
      "policy_version": "2026.1",
      "authority": "agent",           # who may grant it: kiosk, agent, supervisor (or None)
      "currency": "CNY",
      "inputs":   {...},              # every input: debt, waivers, terms, profile, ...
      "headline": {...}               # the figures shown: months, installments, totals, APR
    }

``inputs`` and ``headline`` must be JSON-ready (text, numbers as int or text,
lists, dicts).

A :class:`plans.offers.Offer` may be given as it is: its ``inputs`` (what
:func:`plans.offers.rebuild` needs) are saved as ``inputs``, its
:func:`plans.offers.offer_document` (every figure shown, the terms, the
affordability verdict, violations and explanation) as ``headline``, its
``authority`` (the least authority that may grant it) as ``authority`` and its
case's account reference as ``account_ref``.  Offer ids are a hash of every
input, so saving the same offer twice gives the one saved record.

Any other object may be given when it has a ``record()``, ``to_dict()`` or
``as_dict()`` method returning the dict form, or the same names as attributes.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from calc.errors import InvalidInput
from calc.money import check_currency

REQUIRED = ("id", "kind", "policy_version", "currency", "inputs", "headline")


def _as_mapping(offer: Any) -> Mapping[str, Any]:
    if isinstance(offer, Mapping):
        return offer
    if hasattr(offer, "case") and hasattr(offer, "terms") and not isinstance(getattr(offer, "headline", None), Mapping):
        from plans.offers import offer_document

        return {
            "id": offer.id,
            "account_ref": offer.case.ref,
            "kind": offer.kind,
            "policy_version": offer.policy_version,
            "authority": offer.authority,
            "currency": offer.currency,
            "inputs": offer.inputs,
            "headline": offer_document(offer),
        }
    for method in ("record", "to_dict", "as_dict"):
        fn = getattr(offer, method, None)
        if callable(fn):
            result = fn()
            if isinstance(result, Mapping):
                return result
    names = REQUIRED + ("account_ref", "authority")
    return {n: getattr(offer, n) for n in names if hasattr(offer, n)}


def offer_fields(offer: Any, account_ref: str | None = None) -> dict[str, Any]:
    """The columns the store saves for ``offer`` (validated)."""
    m = _as_mapping(offer)
    missing = [k for k in REQUIRED if m.get(k) in (None, "")]
    if missing:
        raise InvalidInput(f"missing {', '.join(missing)}; an offer needs {', '.join(REQUIRED)}", "offer")
    ref = account_ref or m.get("account_ref")
    if not ref:
        raise InvalidInput("no account reference for the offer", "account_ref")
    if m.get("account_ref") and account_ref and m["account_ref"] != account_ref:
        raise InvalidInput(f"offer is for {m['account_ref']!r}, not {account_ref!r}", "account_ref")
    for name in ("inputs", "headline"):
        value = m[name]
        if not isinstance(value, Mapping):
            raise InvalidInput(f"must be a dict of JSON values, got {type(value).__name__}", name)
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"is not JSON-ready ({exc}); give amounts as int or text", name) from None
    authority = m.get("authority")
    return {
        "id": str(m["id"]),
        "account_ref": str(ref),
        "kind": str(m["kind"]),
        "authority": None if authority is None else str(authority),
        "policy_version": str(m["policy_version"]),
        "currency": check_currency(m["currency"]),
        "inputs": dict(m["inputs"]),
        "headline": dict(m["headline"]),
    }
