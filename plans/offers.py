"""Offers: fully computed plan proposals for one case under one policy.

:func:`generate_offers` returns a short ranked list of :class:`Offer` values, one
per kind that applies:

``shortest_affordable``
    the shortest term whose installment the household budget rates ``affordable``
    (needs a profile with income);
``lowest_payment``
    the lowest installment: the authority's longest term, shortened only as far as
    the minimum installment requires;
``step``
    lower installments until the expected recovery date, then level ones (needs a
    profile with a recovery date); the low installment is what the budget rates
    affordable now;
``settlement``
    one lump sum at the authority's settlement discount, due within
    ``settlement.pay_within_days``, offered when the savings cover it;
``standard``
    the policy's standard term.

Offers computed for terms given by hand (:func:`offer_for_terms`, and
``plans.negotiation``) have the kind ``negotiated``.

Every installment offer applies the policy's standard waivers and asks for the
policy's minimum down payment.  A settlement is a one-month plan whose waivers are
the standard waivers plus the discount: the discount is a share of the plan balance
after the standard waivers, taken from the buckets in :data:`DISCOUNT_ORDER`
(penalties and fees before interest, principal last).  So a settlement renders and
saves like any other plan.

Ranking: affordable first (then tight, then unaffordable, then offers without a
profile), then shorter terms, then the less authority needed, then the kind order
above.  Offers with the same terms and waivers are shown once (the earlier kind in
:data:`KINDS` wins).

An offer's ``id`` is a hash of every input (the case, the kind, the exact terms and
waivers) and the policy version: the same inputs give the same id.  ``inputs``
holds them as JSON-ready data and :func:`rebuild` makes the same offer again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from calc.debt import Waiver
from calc.errors import InvalidInput
from calc.money import amount_formatter
from calc.terms import Terms

from .case import Case, parse_case
from .documents import affordability_document
from .offer_kinds import DISCOUNT_ORDER, affordable_cap, candidates
from .offer_model import KINDS, Offer, _Context, _terms_key, make_offer, offer_id, terms_document
from .offer_rules import Violation
from .policy import AUTHORITIES, Policy, authority_rank

VERDICT_ORDER = {"affordable": 0, "tight": 1, "unaffordable": 2, None: 3}
OFFERS_SCHEMA = "installment.offers/1"

__all__ = [
    "DISCOUNT_ORDER", "KINDS", "OFFERS_SCHEMA", "Offer", "Violation", "affordable_cap", "generate_offers",
    "make_offer", "offer_document", "offer_for_terms", "offer_id", "offers_document", "rank_key", "rebuild",
    "terms_document",
]


def rank_key(offer: Offer) -> tuple:
    """Sort key of the ranking: verdict, term, authority needed, kind, total, id.

    Works for any offer, so a list mixing generated and negotiated offers sorts the same way.
    """
    a = offer.authority
    kind = KINDS.index(offer.kind) if offer.kind in KINDS else len(KINDS)
    return (VERDICT_ORDER.get(offer.verdict, 3), offer.months,
            authority_rank(a) if a is not None else len(AUTHORITIES), kind, offer.total_repayable, offer.id)


def generate_offers(case: Case, policy: Policy, authority: str = "agent",
                    include_escalations: bool = False) -> list[Offer]:
    """The ranked offers for ``case`` within ``authority`` (plus, with ``include_escalations``,
    those that need a higher authority or break a rule; their ``violations`` say why)."""
    ctx = _Context(case, policy, authority)
    seen: dict[str, Offer] = {}
    for offer in candidates(ctx, include_escalations):
        if not include_escalations and not offer.within_authority:
            continue
        key = _terms_key(offer.terms, offer.waivers)
        kept = seen.get(key)
        if kept is None or KINDS.index(offer.kind) < KINDS.index(kept.kind):
            seen[key] = offer
    return sorted(seen.values(), key=rank_key)


def offer_for_terms(case: Case, policy: Policy, kind: str, terms: Terms, waivers: Sequence[Waiver],
                    authority: str = "agent", discount: int | None = None) -> Offer:
    """One offer for given terms and waivers (used by negotiation and :func:`rebuild`)."""
    if kind not in KINDS and kind != "negotiated":
        raise InvalidInput(f"unknown offer kind {kind!r}; use negotiated or {', '.join(KINDS)}", "kind")
    return make_offer(_Context(case, policy, authority), kind, terms, waivers, discount=discount)


# -- documents -----------------------------------------------------------------------

def offer_document(offer: Offer) -> dict:
    """One entry of the ``installment.offers/1`` document (amounts as in `installment quote`)."""
    h = offer.headline
    fmt = amount_formatter(offer.currency)
    waived = offer.case.debt.total - h.plan_balance
    return {
        "id": offer.id,
        "kind": offer.kind,
        "months": h.months,
        "down_payment": fmt(h.down_payment),
        "installment": fmt(h.largest_installment),
        "first_installment": fmt(h.first_installment),
        "regular_installment": fmt(h.regular_installment),
        "last_installment": fmt(h.last_installment),
        "plan_balance": fmt(h.plan_balance),
        "waived": fmt(waived),
        "financed": fmt(h.financed),
        "total_fees": fmt(h.total_fees),
        "total_repayable": fmt(h.total_repayable),
        "first_due": h.first_due.isoformat(),
        "last_due": h.last_due.isoformat(),
        "apr": {"nominal": str(h.apr_nominal), "effective": str(h.apr_effective)},
        "verdict": offer.verdict,
        "authority": offer.authority,
        "within_authority": offer.within_authority,
        "violations": [v.document() for v in offer.violations],
        "explanation": offer.explanation,
        "settlement_discount": None if offer.settlement_discount is None else fmt(offer.settlement_discount),
        "affordability": None if offer.assessment is None else affordability_document(offer.assessment, fmt),
        "terms": terms_document(offer.terms, offer.waivers, offer.currency),
    }


def offers_document(offers: Sequence[Offer], case: Case, policy: Policy, authority: str = "agent") -> dict:
    """The ``installment.offers/1`` document for a ranked list of offers of one case."""
    return {
        "schema": OFFERS_SCHEMA,
        "policy_version": policy.version,
        "currency": case.currency,
        "account": case.account.ref,
        "authority": authority,
        "offers": [offer_document(o) for o in offers],
    }


def rebuild(inputs: dict, policy: Policy) -> Offer:
    """The offer described by ``inputs`` (an :attr:`Offer.inputs`), computed again under ``policy``.

    Raises InvalidInput when the policy version differs from the one the offer was made under.
    """
    from calc.dates import parse_date
    from calc.money import parse_amount, parse_percent

    if inputs.get("policy_version") != policy.version:
        raise InvalidInput(f"the offer was made under policy {inputs.get('policy_version')!r}, "
                           f"not {policy.version!r}; load that policy to reproduce it", "policy_version")
    case = parse_case(inputs["case"])
    cur = case.currency
    t = inputs["terms"]
    down = t.get("down_payment")
    down_amount = down_fraction = None
    if isinstance(down, str) and down.endswith("%"):
        down_fraction = parse_percent(down, "terms.down_payment")
    elif down is not None:
        down_amount = parse_amount(down, cur, "terms.down_payment")
    from .calendars import calendar

    terms = Terms(
        start=parse_date(t["start"], "terms.start"), months=t["months"], max_months=policy.max_months,
        down_amount=down_amount, down_fraction=down_fraction,
        first_due=parse_date(t["first_due"], "terms.first_due") if t.get("first_due") else None,
        due_day=t.get("due_day"), fee_rate=Decimal(t["fee_rate"]), fee_basis=t["fee_basis"],
        remainder=t["remainder"], round_to=parse_amount(t["round_to"], cur, "terms.round_to"),
        tiers=tuple((x["count"], parse_amount(x["amount"], cur, "terms.tiers")) for x in t.get("tiers", ())),
        business_days=t["business_days"], calendar=calendar(t["calendar"]),
    )
    waivers = tuple(Waiver.parse(b, v, cur) for b, v in t.get("waivers", {}).items())
    discount = inputs.get("settlement_discount")
    return offer_for_terms(case, policy, inputs["kind"], terms, waivers, inputs.get("authority", "agent"),
                           None if discount is None else parse_amount(discount, cur, "settlement_discount"))
