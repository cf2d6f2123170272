"""Generating the offers of one case, an offer for given terms, and their documents (the engine's
front for one case: ``plans.offers`` re-exports all of it)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Sequence

from calc.debt import Waiver
from calc.errors import InvalidInput
from calc.money import amount_formatter
from calc.schedule import balance, choose_months, headline
from calc.terms import Terms
from plans.vocabulary import Authority, OfferKind, Verdict

from ..case import Case, parse_case
from ..documents import affordability_document
from ..policy import AUTHORITIES, Policy, authority_rank
from .accounts import Accounts
from .engine import offer_table, terms_table
from .kinds import KINDS
from .model import Offer, materialize, offer_of_row, terms_document
from .setting import policy_grid, rules_of, settlement_grid

VERDICT_ORDER: dict[str | None, int] = {Verdict.AFFORDABLE: 0, Verdict.TIGHT: 1, Verdict.UNAFFORDABLE: 2, None: 3}
OFFERS_SCHEMA = "installment.offers/1"

__all__ = [
    "OFFERS_SCHEMA",
    "VERDICT_ORDER",
    "generate_offers",
    "offer_document",
    "offer_for_terms",
    "offers_document",
    "rank_key",
    "rebuild",
]


def rank_key(offer: Offer) -> tuple:
    """Sort key of the ranking: verdict, term, authority needed, kind, total, id.

    Works for any offer, so a list mixing generated and negotiated offers sorts the same way.
    """
    a = offer.authority
    kind = KINDS.index(offer.kind) if offer.kind in KINDS else len(KINDS)
    return (
        VERDICT_ORDER.get(offer.verdict, 3),
        offer.months,
        authority_rank(a) if a is not None else len(AUTHORITIES),
        kind,
        offer.total_repayable,
        offer.id,
    )


def generate_offers(
    case: Case, policy: Policy, authority: str = Authority.AGENT, include_escalations: bool = False
) -> list[Offer]:
    """The ranked offers for ``case`` within ``authority`` (plus, with ``include_escalations``,
    those that need a higher authority or break a rule; their ``violations`` say why)."""
    policy.check_currency(case.currency)
    rules = rules_of(policy, authority)
    table = offer_table(rules, Accounts.of_cases([case]), include_escalations)
    grid, sgrid = policy_grid(policy, case.start), settlement_grid(policy, case.start)
    return [materialize(table, j, case, rules, grid, sgrid) for j in range(len(table))]


def offer_for_terms(
    case: Case,
    policy: Policy,
    kind: str,
    terms: Terms,
    waivers: Sequence[Waiver],
    authority: str = Authority.AGENT,
    discount: int | None = None,
) -> Offer:
    """One offer for given terms and waivers (used by negotiation and :func:`rebuild`).

    A payment-driven term (``terms.payment``) is fixed to the term it chooses, so the offer
    reproduces exactly.  Terms that cannot make a plan raise InvalidInput (or NoPlanFits) naming
    the field, as ``calc.schedule`` does.
    """
    if kind not in KINDS and kind != OfferKind.NEGOTIATED:
        raise InvalidInput(f"unknown offer kind {kind!r}; use negotiated or {', '.join(KINDS)}", "kind")
    policy.check_currency(case.currency)
    rules = rules_of(policy, authority)
    waivers = tuple(waivers)
    if terms.months is None:
        financed = balance(case.debt, waivers, terms).financed
        terms = replace(terms, months=choose_months(financed, terms, case.currency), payment=None)
    headline(case.debt, waivers, terms)  # calc refuses terms that cannot make a plan, naming the field
    table = terms_table(rules, Accounts.of_cases([case]), kind, terms, waivers, discount, case.debt)
    return offer_of_row(table, 0, kind, case, terms, waivers, rules, discount)


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


def offers_document(offers: Sequence[Offer], case: Case, policy: Policy, authority: str = Authority.AGENT) -> dict:
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

    from ..policy.calendars import calendar

    if inputs.get("policy_version") != policy.version:
        raise InvalidInput(
            f"the offer was made under policy {inputs.get('policy_version')!r}, "
            f"not {policy.version!r}; load that policy to reproduce it",
            "policy_version",
        )
    case = parse_case(inputs["case"])
    cur = case.currency
    t = inputs["terms"]
    down = t.get("down_payment")
    down_amount = down_fraction = None
    if isinstance(down, str) and down.endswith("%"):
        down_fraction = parse_percent(down, "terms.down_payment")
    elif down is not None:
        down_amount = parse_amount(down, cur, "terms.down_payment")
    terms = Terms(
        start=parse_date(t["start"], "terms.start"),
        months=t["months"],
        max_months=policy.max_months,
        down_amount=down_amount,
        down_fraction=down_fraction,
        first_due=parse_date(t["first_due"], "terms.first_due") if t.get("first_due") else None,
        due_day=t.get("due_day"),
        fee_rate=Decimal(t["fee_rate"]),
        fee_basis=t["fee_basis"],
        remainder=t["remainder"],
        round_to=parse_amount(t["round_to"], cur, "terms.round_to"),
        tiers=tuple((x["count"], parse_amount(x["amount"], cur, "terms.tiers")) for x in t.get("tiers", ())),
        business_days=t["business_days"],
        calendar=calendar(t["calendar"]),
    )
    waivers = tuple(Waiver.parse(b, v, cur) for b, v in t.get("waivers", {}).items())
    discount = inputs.get("settlement_discount")
    return offer_for_terms(
        case,
        policy,
        inputs["kind"],
        terms,
        waivers,
        inputs.get("authority", Authority.AGENT),
        None if discount is None else parse_amount(discount, cur, "settlement_discount"),
    )
