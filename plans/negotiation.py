"""Negotiation: "the debtor can pay X a month" and "what if we waive Y", answered at once.

:func:`negotiate` builds the plan for a proposal (a monthly payment, or a term, plus
optional waivers and down payment) under a policy and an authority, and returns an
:class:`Answer`: the offer, whether it fits within the authority, the reasons it
does not, and :class:`Option` values saying what would make it fit:

``down_payment``   the down payment with which the payment fits the authority's longest term;
``waiver``         the extra waivers with which it fits, and the authority they need;
``longer_term``    the term the payment needs, when that is beyond the authority (or the law);
``higher_payment`` the smallest payment that fits the authority's longest term.

Proposed waivers replace the policy's standard waiver of the same bucket; other
standard waivers stay.  Without a down payment the policy's minimum applies.
Everything runs on headline figures, so an answer takes well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Sequence

from calc.debt import BUCKETS, Debt, Waiver, waived_amounts
from calc.errors import InvalidInput, NoPlanFits
from calc.money import amount_formatter, percent_of
from calc.schedule import balance, headline
from calc.terms import Terms
from plans.vocabulary import Authority, OfferKind

from .case import Case
from .offers import DISCOUNT_ORDER, Offer, offer_for_terms
from .offers.rules import pct_text
from .policy import Policy, authority_rank

OPTION_KINDS = ("down_payment", "waiver", "longer_term", "higher_payment")

__all__ = ["Answer", "OPTION_KINDS", "Option", "merge_waivers", "negotiate"]


@dataclass(frozen=True, slots=True)
class Option:
    """One change that would make a plan fit."""

    kind: str
    description: str
    #: The least authority that may grant the plan with this change (None: no authority may).
    authority: str | None
    #: down_payment/higher_payment: the amount; waiver: the extra amount waived (minor units).
    amount: int | None = None
    #: longer_term: the months needed; otherwise the term the changed plan has.
    months: int | None = None
    #: waiver: every waiver of the changed plan.
    waivers: tuple[Waiver, ...] = ()

    def document(self, currency: str) -> dict:
        fmt = amount_formatter(currency)
        return {
            "kind": self.kind,
            "description": self.description,
            "authority": self.authority,
            "amount": None if self.amount is None else fmt(self.amount),
            "months": self.months,
            "waivers": {w.bucket: w.match(fmt, pct_text) for w in self.waivers},
        }


@dataclass(frozen=True)
class Answer:
    #: True when ``offer`` may be granted by the requested authority as it is.
    fits: bool
    #: The plan for the proposal (possibly beyond the authority); None when no plan can be built.
    offer: Offer | None
    #: The least authority that may grant ``offer`` (None: none may, or there is no offer).
    authority: str | None
    requested_authority: str
    reasons: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    explanation: str = ""
    currency: str = "CNY"

    def document(self) -> dict:
        """The ``installment.negotiation/1`` document (used when no plan fits)."""
        from .offers import offer_document

        return {
            "schema": "installment.negotiation/1",
            "fits": self.fits,
            "authority": self.authority,
            "requested_authority": self.requested_authority,
            "reasons": list(self.reasons),
            "options": [o.document(self.currency) for o in self.options],
            "explanation": self.explanation,
            "offer": None if self.offer is None else offer_document(self.offer),
        }


@dataclass(frozen=True)
class _Context:
    """The call: the case, the policy and the authority the agent speaks for."""

    case: Case
    policy: Policy
    authority: str

    def terms(
        self,
        months: int | None = None,
        payment: int | None = None,
        down_amount: int | None = None,
        down_fraction: Decimal | None = None,
    ) -> Terms:
        """Terms on the policy's grid (its minimum down payment unless one is given)."""
        p = self.policy
        if down_amount is None and down_fraction is None:
            down_amount, down_fraction = p.min_down_amount or None, p.min_down_fraction
        return Terms(
            start=self.case.start,
            months=months,
            payment=payment,
            max_months=p.max_months,
            down_amount=down_amount,
            down_fraction=down_fraction,
            first_due=p.first_due(self.case.start),
            fee_rate=p.fee_rate,
            fee_basis=p.fee_basis,
            remainder=p.remainder,
            round_to=p.round_to,
            business_days=p.business_days,
            calendar=p.calendar,
        )


def make_offer(ctx: _Context, kind: str, terms: Terms, waivers) -> Offer:
    return offer_for_terms(ctx.case, ctx.policy, kind, terms, waivers, ctx.authority)


def merge_waivers(standard: Sequence[Waiver], proposed: Sequence[Waiver]) -> tuple[Waiver, ...]:
    """``standard`` with each bucket named in ``proposed`` replaced by the proposed waiver."""
    named = {w.bucket for w in proposed}
    if len(named) != len(proposed):
        raise InvalidInput("a bucket is waived twice; give one waiver per bucket", "waive")
    out = [w for w in standard if w.bucket not in named] + list(proposed)
    return tuple(sorted(out, key=lambda w: BUCKETS.index(w.bucket)))


def negotiate(
    case: Case,
    policy: Policy,
    *,
    pay: int | None = None,
    months: int | None = None,
    waivers: Sequence[Waiver] = (),
    down: int | Decimal | None = None,
    authority: str = Authority.AGENT,
) -> Answer:
    """Answer a proposal: ``pay`` a month (payment-driven), or a term of ``months``, or (neither)
    the policy's standard term; with ``waivers`` and a ``down`` payment (minor units, or a
    Decimal fraction of the plan balance)."""
    if pay is not None and months is not None:
        raise InvalidInput("give a payment or a term, not both", "pay")
    if pay is not None and pay <= 0:
        raise InvalidInput("must be more than zero", "pay")
    policy.check_currency(case.currency)
    authority_rank(authority)
    ctx = _Context(case, policy, authority)
    if pay is not None and pay < policy.min_installment:
        return _below_minimum(ctx, pay)
    all_waivers = merge_waivers(policy.standard_waiver_list(), waivers)
    down_kw = (
        {}
        if down is None
        else ({"down_fraction": down, "down_amount": None} if isinstance(down, Decimal) else {"down_amount": down})
    )
    if down_kw and down == 0:
        down_kw = {"down_amount": None, "down_fraction": Decimal(0)}
    if pay is not None:
        terms = ctx.terms(payment=pay, **down_kw)
    else:
        terms = ctx.terms(months=months or policy.standard_months, **down_kw)
    waived_amounts(case.debt, all_waivers)  # refuse waivers larger than their bucket up front
    cur = case.currency
    try:
        offer = make_offer(ctx, OfferKind.NEGOTIATED, terms, all_waivers)
    except NoPlanFits as exc:
        return _no_plan(ctx, terms, all_waivers, pay or 0, exc)
    reasons = tuple(v.message for v in offer.violations)
    if offer.within_authority:
        return Answer(True, offer, offer.authority, authority, (), (), offer.explanation, cur)
    options: list[Option] = []
    if pay is not None:
        options += _fit_options(ctx, terms, all_waivers, pay, offer.months, offer.authority)
    options += [o for o in _authority_options(ctx, offer) if o.kind not in {x.kind for x in options}]
    text = " ".join(reasons + tuple(o.description for o in options))
    return Answer(False, offer, offer.authority, authority, reasons, tuple(options), text, cur)


def _authority_options(ctx: _Context, offer: Offer) -> list[Option]:
    """When the only trouble is authority: the authority that may grant it."""
    if offer.authority is None or authority_rank(offer.authority) <= authority_rank(ctx.authority):
        return []
    if any(v.rule == "max_months" for v in offer.violations):
        return [
            Option(
                "longer_term",
                f"A {offer.months}-month plan needs {offer.authority} approval.",
                offer.authority,
                months=offer.months,
            )
        ]
    return [
        Option(
            "waiver",
            f"Ask for {offer.authority} approval of these waivers.",
            offer.authority,
            months=offer.months,
            waivers=offer.waivers,
        )
    ]


def _no_plan(ctx: _Context, terms, waivers, pay: int, exc: NoPlanFits) -> Answer:
    policy, cur = ctx.policy, ctx.case.currency
    fmt = amount_formatter(cur)
    if exc.months_needed:
        reason = (
            f"A payment of {fmt(pay)} {cur} would need {exc.months_needed} months, more than the "
            f"{policy.max_months}-month maximum of the policy."
        )
    else:
        reason = f"A payment of {fmt(pay)} {cur} never repays this balance."
    options = _fit_options(ctx, terms, waivers, pay, exc.months_needed, None)
    text = " ".join((reason,) + tuple(o.description for o in options))
    return Answer(False, None, None, ctx.authority, (reason,), tuple(options), text, cur)


def _below_minimum(ctx: _Context, pay: int) -> Answer:
    policy, cur = ctx.policy, ctx.case.currency
    fmt = amount_formatter(cur)
    least = policy.min_installment
    reason = f"A payment of {fmt(pay)} {cur} is below the smallest installment the policy allows, {fmt(least)} {cur}."
    option = Option("higher_payment", f"Installments must be at least {fmt(least)} {cur}.", ctx.authority, amount=least)
    return Answer(False, None, None, ctx.authority, (reason,), (option,), f"{reason} {option.description}", cur)


def _largest(currency: str, financed: int, months: int, terms) -> int | None:
    """The largest installment of splitting ``financed`` over ``months`` under ``terms``' settings."""
    try:
        t = replace(terms, months=months, payment=None, down_amount=None, down_fraction=None, tiers=())
        return headline(Debt(currency, principal=financed), (), t).largest_installment
    except InvalidInput:
        return None


def max_financed(currency: str, pay: int, months: int, terms, upper: int) -> int:
    """The largest financed amount (up to ``upper``) that ``pay`` a month repays in ``months``."""
    lo, hi = 0, upper
    while lo < hi:
        mid = (lo + hi + 1) // 2
        largest = _largest(currency, mid, months, terms)
        if largest is None or largest <= pay:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _fit_options(
    ctx: _Context, terms, waivers, pay: int, needed_months: int | None, needed_authority: str | None
) -> list[Option]:
    """What would make ``pay`` a month fit: each option is checked by building its plan."""
    policy, case, cur = ctx.policy, ctx.case, ctx.case.currency
    fmt = amount_formatter(cur)
    own = policy.authority(ctx.authority)
    m = own.max_months
    fixed = replace(terms, months=m, payment=None)
    bal = balance(case.debt, waivers, fixed)
    options: list[Option] = []
    valid = _longest_valid(ctx, fixed, waivers, m)
    if valid is not None and valid[1] > pay:
        months, smallest = valid
        options.append(
            Option(
                "higher_payment",
                f"A payment of {fmt(smallest)} {cur} fits {months} months.",
                ctx.authority,
                amount=smallest,
                months=months,
            )
        )
    reachable = max_financed(cur, pay, m, fixed, bal.financed)
    short = bal.financed - reachable
    if short > 0 and bal.down_payment + short < bal.plan_balance:
        down = bal.down_payment + short
        offer = _try(ctx, replace(fixed, down_amount=down, down_fraction=None), waivers)
        if offer is not None and offer.authority is not None and offer.headline.largest_installment <= pay:
            options.append(
                Option(
                    "down_payment",
                    f"With a down payment of {fmt(down)} {cur}, {fmt(pay)} {cur} a month fits {m} months.",
                    offer.authority,
                    amount=down,
                    months=m,
                )
            )
    if short > 0:
        extra = None
        for a in policy.authorities[authority_rank(ctx.authority) :]:
            extra = _extra_waivers(case.debt, waivers, short, a)
            if extra is not None:
                break
        if extra is None:
            # no authority's waivers close the gap at this term: a higher authority's longer
            # term together with its waivers may
            for a in policy.authorities[authority_rank(ctx.authority) + 1 :]:
                if a.max_months <= m:
                    continue
                longer = replace(terms, months=a.max_months, payment=None)
                gap = bal.financed - max_financed(cur, pay, a.max_months, longer, bal.financed)
                extra = _extra_waivers(case.debt, waivers, gap, a) if gap > 0 else None
                if extra is not None:
                    m, fixed, short = a.max_months, longer, gap
                    break
        if extra is not None:
            offer = _try(ctx, fixed, extra)
            if offer is not None and offer.authority is not None and offer.headline.largest_installment <= pay:
                who = offer.authority
                options.append(
                    Option(
                        "waiver",
                        f"Waiving {fmt(short)} {cur} more fits {fmt(pay)} {cur} a month in {m} months"
                        + (f"; it needs {who} approval." if who and who != ctx.authority else "."),
                        who,
                        amount=short,
                        months=m,
                        waivers=extra,
                    )
                )
    if needed_months is not None and needed_months > m:
        if needed_months > policy.max_months:
            options.append(
                Option(
                    "longer_term",
                    f"{fmt(pay)} {cur} a month would need {needed_months} "
                    f"months, beyond the {policy.max_months}-month maximum.",
                    None,
                    months=needed_months,
                )
            )
        elif needed_authority is not None:
            options.append(
                Option(
                    "longer_term",
                    f"{fmt(pay)} {cur} a month fits {needed_months} months, which needs {needed_authority} approval.",
                    needed_authority,
                    months=needed_months,
                )
            )
    return options


def _longest_valid(ctx: _Context, terms, waivers, upto: int) -> tuple[int, int] | None:
    """(months, largest installment) of the longest term up to ``upto`` whose installments all
    meet the policy minimum, or None."""
    policy = ctx.policy
    try:
        financed = balance(ctx.case.debt, waivers, terms).financed
    except InvalidInput:
        return None
    months = min(upto, financed // policy.min_installment) if policy.min_installment else upto
    while months >= max(policy.min_months, 1):
        try:
            h = headline(ctx.case.debt, waivers, replace(terms, months=months, payment=None))
        except InvalidInput:
            h = None
        if (
            h is not None
            and min(h.first_installment, h.regular_installment, h.last_installment) >= policy.min_installment
        ):
            return months, h.largest_installment
        months -= 1
    return None


def _try(ctx: _Context, terms, waivers) -> Offer | None:
    try:
        return make_offer(ctx, OfferKind.NEGOTIATED, terms, waivers)
    except InvalidInput:
        return None


def _extra_waivers(debt: Debt, waivers, amount: int, top) -> tuple[Waiver, ...] | None:
    """``waivers`` plus ``amount`` more, from the buckets in DISCOUNT_ORDER within ``top``'s limits."""
    waived = waived_amounts(debt, tuple(waivers))
    left = amount
    for bucket in DISCOUNT_ORDER:
        room = percent_of(getattr(debt, bucket), top.waiver_limit(bucket)) - waived[bucket]
        take = max(0, min(room, left))
        waived[bucket] += take
        left -= take
    if left:
        return None
    return tuple(Waiver(b, amount=waived[b]) for b in BUCKETS if waived[b])
