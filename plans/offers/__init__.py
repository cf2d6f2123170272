"""Offers: fully computed plan proposals, from one engine for one case and for a whole portfolio.

:func:`generate_offers` returns a short ranked list of :class:`Offer` values for a
case, one per kind that applies (``plans.offers.kinds`` says how each kind chooses
its terms): ``shortest_affordable``, ``standard``, ``lowest_payment``, ``step``,
``settlement``.  Offers computed for terms given by hand (:func:`offer_for_terms`,
``plans.negotiation``) have the kind ``negotiated``.

Every verdict judges the whole plan (``plans.offers.judge``): each installment
against the budget in force on its due date (today's, or from the recovery date
the budget with the income expected after recovery), the down payment against the
savings available now; the worst of them is the verdict, and the findings say
which installments do not fit and by how much.  Explanations are composed from
those findings, in zh_CN, zh_TW or en (``plans.offers.words``).

Ranking: affordable first (then tight, then unaffordable, then offers without a
profile), then shorter terms, then the less authority needed, then the kind order
of :data:`KINDS`, the total repayable and the id.  The same plan made by two kinds
is listed once (the earlier kind in :data:`KINDS` wins).

The engine (``plans.offers.engine``) computes the offers of many accounts at
once in numpy arrays; ``generate_offers`` runs it for one case and the batch
(``plans.batch``) for a chunk of a portfolio: the same functions decide every
rule.  An offer's ``id`` is a hash of one canonical document of every input
(``plans.offers.ids``); ``inputs`` holds them as JSON-ready data and
:func:`rebuild` makes the same offer again.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .generate import (
        OFFERS_SCHEMA,
        VERDICT_ORDER,
        generate_offers,
        offer_document,
        offer_for_terms,
        offers_document,
        rank_key,
        rebuild,
    )
    from .kinds import DISCOUNT_ORDER, KINDS
    from .model import Offer, terms_document
    from .rules import Violation, pct_text

#: Where each name of the package is defined.  They are imported when first used, so that importing
#: a light module of the package (``plans.offers.words``: the summaries use it) does not load the
#: engine and numpy.
_HOMES = {
    "DISCOUNT_ORDER": "kinds",
    "KINDS": "kinds",
    "OFFERS_SCHEMA": "generate",
    "Offer": "model",
    "VERDICT_ORDER": "generate",
    "Violation": "rules",
    "generate_offers": "generate",
    "offer_document": "generate",
    "offer_for_terms": "generate",
    "offers_document": "generate",
    "pct_text": "rules",
    "rank_key": "generate",
    "rebuild": "generate",
    "terms_document": "model",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DISCOUNT_ORDER",
    "KINDS",
    "OFFERS_SCHEMA",
    "Offer",
    "VERDICT_ORDER",
    "Violation",
    "generate_offers",
    "offer_document",
    "offer_for_terms",
    "offers_document",
    "pct_text",
    "rank_key",
    "rebuild",
    "terms_document",
]
