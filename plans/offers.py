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

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Sequence

from calc.affordability import Assessment, Budget, Finding, assess, budget
from calc.dates import add_months
from calc.debt import BUCKETS, Debt, Waiver
from calc.errors import InvalidInput, NoPlanFits
from calc.money import amount_formatter, fraction_text, percent_of
from calc.schedule import Headline, Plan, build_plan, choose_months, headline
from calc.terms import Terms

from .case import Case, case_document, parse_case
from .documents import affordability_document
from .offer_rules import Violation, check, pct_text
from .offer_text import explain
from .policy import AUTHORITIES, Policy, authority_rank

KINDS = ("shortest_affordable", "standard", "lowest_payment", "step", "settlement")
VERDICT_ORDER = {"affordable": 0, "tight": 1, "unaffordable": 2, None: 3}
DISCOUNT_ORDER = ("penalty_interest", "late_fees", "annual_fees", "other_fees", "interest", "principal")
OFFERS_SCHEMA = "installment.offers/1"

__all__ = [
    "DISCOUNT_ORDER", "KINDS", "OFFERS_SCHEMA", "Offer", "Violation", "generate_offers", "make_offer",
    "offer_document", "offers_document", "rank_key", "rebuild", "terms_document",
]


@dataclass(frozen=True, eq=False)
class Offer:
    """One computed offer.  Immutable; ``plan`` builds the full schedule on first use."""

    id: str
    kind: str
    case: Case
    terms: Terms
    waivers: tuple[Waiver, ...]
    headline: Headline
    #: Affordability of the installment the debtor pays now (the step installment for a
    #: step plan, the lump sum against savings for a settlement); None without a profile.
    assessment: Assessment | None
    #: The least authority that may grant the offer; None when it breaks a rule no authority may waive.
    authority: str | None
    #: The authority the offer was generated for; ``violations`` are judged against it.
    requested_authority: str
    violations: tuple[Violation, ...]
    explanation: str
    policy_version: str
    #: Settlement only: the discount in minor units on top of the standard waivers.
    settlement_discount: int | None = None
    _plan: list = field(default_factory=list, repr=False, compare=False)

    # -- figures --------------------------------------------------------------
    @property
    def currency(self) -> str:
        return self.case.currency

    @property
    def months(self) -> int:
        return self.headline.months

    @property
    def installment(self) -> int:
        """The largest installment."""
        return self.headline.largest_installment

    @property
    def down_payment(self) -> int:
        return self.headline.down_payment

    @property
    def total_repayable(self) -> int:
        return self.headline.total_repayable

    @property
    def verdict(self) -> str | None:
        return None if self.assessment is None else self.assessment.verdict

    @property
    def within_authority(self) -> bool:
        """True when the requested authority may grant it as it is."""
        return not self.violations

    @property
    def escalation(self) -> bool:
        """True when it needs more than the requested authority (or no authority may grant it)."""
        return not self.within_authority

    @property
    def is_settlement(self) -> bool:
        return self.kind == "settlement"

    @property
    def plan(self) -> Plan:
        """The full schedule (built on first use, then kept)."""
        if not self._plan:
            self._plan.append(build_plan(self.case.debt, self.waivers, self.terms))
        return self._plan[0]

    @property
    def inputs(self) -> dict:
        """Every input, as JSON-ready data: enough for :func:`rebuild` to make the same offer."""
        return {
            "policy_version": self.policy_version,
            "kind": self.kind,
            "authority": self.requested_authority,
            "case": case_document(self.case),
            "terms": terms_document(self.terms, self.waivers, self.currency, exact=True),
            "settlement_discount": (None if self.settlement_discount is None
                                    else amount_formatter(self.currency)(self.settlement_discount)),
        }


# -- ids --------------------------------------------------------------------------

def _terms_key(terms: Terms, waivers: Sequence[Waiver]) -> str:
    w = ",".join(f"{x.bucket}={x.amount if x.fraction is None else str(x.fraction) + 'f'}" for x in waivers)
    return (f"{terms.start}|{terms.months}|{terms.payment}|{terms.max_months}|{terms.down_amount}|"
            f"{terms.down_fraction}|{terms.first_due}|{terms.due_day}|{terms.fee_rate}|{terms.fee_basis}|"
            f"{terms.remainder}|{terms.round_to}|{terms.tiers}|{terms.business_days}|{terms.calendar.name}|{w}")


def case_key(case: Case) -> str:
    return json.dumps(case_document(case), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def offer_id(case_digest: str, policy_version: str, kind: str, terms: Terms, waivers: Sequence[Waiver],
             discount: int | None) -> str:
    text = f"installment.offer/1|{policy_version}|{case_digest}|{kind}|{_terms_key(terms, waivers)}|{discount}"
    return "of-" + hashlib.sha256(text.encode()).hexdigest()[:20]


# -- building one offer -------------------------------------------------------------

class _Context:
    """What every offer of one case shares: computed once per generate call."""

    def __init__(self, case: Case, policy: Policy, authority: str) -> None:
        policy.check_currency(case.currency)
        authority_rank(authority)
        self.case, self.policy, self.authority = case, policy, authority
        self.digest = hashlib.sha256(case_key(case).encode()).hexdigest()
        self.params = policy.affordability_params(case.region)
        self.budget: Budget | None = None
        if case.profile is not None:
            self.budget = budget(case.profile, self.params)
            if case.region and not policy.knows_region(case.region):
                self.budget = _with_finding(self.budget, Finding(
                    "region_default",
                    f"Region {case.region!r} is not in the policy; the living floor of the default "
                    f"region {policy.default_region!r} is used.",
                    {"region": case.region, "default": policy.default_region}))
        self.calendar = policy.calendar
        self.first_due = policy.first_due(case.start)

    def terms(self, months: int | None = None, payment: int | None = None, tiers=(), down_amount=None,
              down_fraction=None, first_due: date | None = None, max_months: int | None = None) -> Terms:
        p = self.policy
        if down_amount is None and down_fraction is None:
            down_amount, down_fraction = p.min_down_amount or None, p.min_down_fraction
        return Terms(
            start=self.case.start, months=months, payment=payment,
            max_months=max_months or p.max_months,
            down_amount=down_amount, down_fraction=down_fraction,
            first_due=first_due if first_due is not None else self.first_due,
            fee_rate=p.fee_rate, fee_basis=p.fee_basis, remainder=p.remainder, round_to=p.round_to,
            tiers=tuple(tiers), business_days=p.business_days, calendar=self.calendar,
        )


def _with_finding(b: Budget, finding: Finding) -> Budget:
    return Budget(b.currency, b.income, b.essential_spending, b.living_floor, b.other_debt_payments,
                  b.surplus, b.contingency, b.available, b.findings + (finding,))


def make_offer(ctx: _Context, kind: str, terms: Terms, waivers: Sequence[Waiver], *,
               discount: int | None = None, extra_findings: tuple[Finding, ...] = ()) -> Offer:
    """Compute one offer: figures, affordability, authority, violations and explanation."""
    waivers = tuple(waivers)
    if terms.months is None:  # fix the term so the offer reproduces exactly
        from calc.schedule import balance

        terms = _replace_months(terms, choose_months(balance(ctx.case.debt, waivers, terms).financed, terms))
    head = headline(ctx.case.debt, waivers, terms)
    policy = ctx.policy
    assessment = None
    if ctx.budget is not None:
        if kind == "settlement":
            assessment = _settlement_assessment(ctx, head.largest_installment)
        elif kind == "step" and terms.tiers:
            # judged on the low installments paid during the hardship (the first is the largest of them)
            assessment = assess(ctx.budget, head.first_installment, ctx.params)
            low = terms.tier_months
            rises = add_months(head.first_due, low, terms.anchor_day or head.first_due.day)
            extra_findings = extra_findings + (Finding(
                "step_rises", f"The installment rises after {low} low installments, from {rises}.",
                {"low_months": low, "rises_on": rises.isoformat()}),)
        else:
            assessment = assess(ctx.budget, head.largest_installment, ctx.params)
        if extra_findings:
            assessment = Assessment(assessment.budget, assessment.installment, assessment.dti,
                                    assessment.verdict, assessment.findings + extra_findings)
    at_request, authority = check(policy, ctx.case.debt, terms, waivers, head, kind, discount, ctx.authority)
    oid = offer_id(ctx.digest, policy.version, kind, terms, waivers, discount)
    offer = Offer(oid, kind, ctx.case, terms, waivers, head, assessment, authority, ctx.authority,
                  at_request, "", policy.version, discount)
    object.__setattr__(offer, "explanation", explain(offer, policy))
    return offer


def _replace_months(terms: Terms, months: int) -> Terms:
    from dataclasses import replace

    return replace(terms, months=months, payment=None)


def _settlement_assessment(ctx: _Context, lump: int) -> Assessment:
    b = ctx.budget
    savings = ctx.case.profile.savings  # type: ignore[union-attr]
    fmt = amount_formatter(ctx.case.currency)
    cur = ctx.case.currency
    if lump <= savings:
        verdict, finding = "affordable", Finding(
            "settlement_from_savings",
            f"The lump sum of {fmt(lump)} {cur} is paid from savings of {fmt(savings)} {cur}.",
            {"lump_sum": lump, "savings": savings})
    else:
        verdict, finding = "unaffordable", Finding(
            "savings_short",
            f"The lump sum of {fmt(lump)} {cur} is more than the savings of {fmt(savings)} {cur}.",
            {"lump_sum": lump, "savings": savings})
    return Assessment(b, lump, None, verdict, b.findings + (finding,))  # type: ignore[union-attr]


# -- the kinds ------------------------------------------------------------------------

def affordable_cap(b: Budget, params, other_debt: int) -> int:
    """The largest installment the budget rates ``affordable`` (0 when none)."""
    if b.income <= 0 or b.available <= 0:
        return 0
    tight_num, tight_den = params.tight_share.as_integer_ratio()
    cap = min(b.available, b.available * tight_num // tight_den)
    dti_num, dti_den = params.max_dti.as_integer_ratio()
    cap = min(cap, b.income * dti_num // dti_den - other_debt)
    return max(cap, 0)


def _settlement_waivers(debt: Debt, standard: dict[str, int], discount: int) -> tuple[Waiver, ...]:
    """Standard waivers plus ``discount`` taken from the buckets in DISCOUNT_ORDER."""
    waived = dict(standard)
    left = discount
    for bucket in DISCOUNT_ORDER:
        if not left:
            break
        room = getattr(debt, bucket) - waived[bucket]
        take = min(room, left)
        waived[bucket] += take
        left -= take
    return tuple(Waiver(b, amount=waived[b]) for b in BUCKETS if waived[b])


def _standard_waived(debt: Debt, waivers: Sequence[Waiver]) -> dict[str, int]:
    from calc.debt import waived_amounts

    return waived_amounts(debt, tuple(waivers))


def _candidates(ctx: _Context, include_escalations: bool) -> list[Offer]:
    case, policy = ctx.case, ctx.policy
    std = policy.standard_waiver_list()
    rank = authority_rank(ctx.authority)
    out: list[Offer] = []

    def attempt(kind, terms, waivers=std, **kw):
        try:
            out.append(make_offer(ctx, kind, terms, waivers, **kw))
        except NoPlanFits:
            pass
        except InvalidInput as exc:
            if exc.field not in ("months", "tier", "down", "debt", "payment"):
                raise

    # standard
    attempt("standard", ctx.terms(months=policy.standard_months))

    # lowest payment: the longest term of the requested authority (and, as escalations, of higher ones)
    terms_seen = set()
    for a in policy.authorities[rank:] if include_escalations else policy.authorities[rank:rank + 1]:
        months = _longest_term(ctx, a.max_months, std)
        if months and months not in terms_seen:
            terms_seen.add(months)
            attempt("lowest_payment", ctx.terms(months=months))

    cap = affordable_cap(ctx.budget, ctx.params, case.profile.other_debt_payments) if ctx.budget else 0
    # shortest affordable
    if cap >= max(policy.min_installment, 1):
        try:
            t = ctx.terms(payment=cap)
            bal = _balance(case.debt, std, t)
            months = max(choose_months(bal, t), policy.min_months)
            attempt("shortest_affordable", ctx.terms(months=months))
        except (NoPlanFits, InvalidInput):
            pass

    # step
    profile = case.profile
    if profile is not None and profile.recovery_date is not None and ctx.budget is not None:
        _step(ctx, cap, std, attempt)

    # settlement
    if profile is not None and profile.savings > 0:
        _settlement(ctx, std, include_escalations, attempt)
    return out


def _balance(debt: Debt, waivers, terms: Terms) -> int:
    from calc.schedule import balance

    return balance(debt, waivers, terms).financed


def _longest_term(ctx: _Context, max_months: int, std) -> int | None:
    """The longest term up to ``max_months`` whose smallest installment meets the minimum."""
    policy = ctx.policy
    try:
        financed = _balance(ctx.case.debt, std, ctx.terms(months=1))
    except InvalidInput:
        return None
    months = max_months
    if policy.min_installment:
        months = min(months, max(1, financed // policy.min_installment))
    months = max(months, policy.min_months)
    while months > policy.min_months:
        try:
            h = headline(ctx.case.debt, std, ctx.terms(months=months))
        except InvalidInput:
            months -= 1
            continue
        if min(h.first_installment, h.regular_installment, h.last_installment) >= policy.min_installment:
            break
        months -= 1
    return months


def _step(ctx: _Context, cap: int, std, attempt) -> None:
    policy, case = ctx.policy, ctx.case
    recovery = case.profile.recovery_date  # type: ignore[union-attr]
    base = ctx.terms(months=1)
    first = base.first_due_date
    low = 0
    while low < policy.max_months and add_months(first, low, base.anchor_day) < recovery:
        low += 1
    if low == 0 or low + 1 > policy.max_months:
        return
    months = min(max(policy.standard_months, low + policy.step_min_months_after), policy.max_months)
    try:
        financed = _balance(case.debt, std, base)
    except InvalidInput:
        return
    fee = percent_of(financed, policy.fee_rate) if policy.fee_rate else 0
    unit = policy.round_to
    amount = max(((cap - fee) // unit) * unit, policy.min_installment, unit)
    if amount * low >= financed or amount >= financed // months:
        return  # a level plan is already as low as the step would be
    attempt("step", ctx.terms(months=months, tiers=((low, amount),)))


def _settlement(ctx: _Context, std, include_escalations: bool, attempt) -> None:
    policy, case = ctx.policy, ctx.case
    savings = case.profile.savings  # type: ignore[union-attr]
    waived = _standard_waived(case.debt, std)
    balance = case.debt.total - sum(waived.values())
    if balance <= 0:
        return
    due = policy.settlement_due(case.start)
    rank = authority_rank(ctx.authority)
    own = percent_of(balance, policy.authority(ctx.authority).settlement_discount)
    if balance - own <= savings:
        discount = own
    elif include_escalations:
        needed = balance - savings
        top = policy.authorities[-1]
        if needed > percent_of(balance, top.settlement_discount):
            return
        discount = needed
    else:
        return
    if discount >= balance:
        return
    terms = Terms(start=case.start, months=1, max_months=policy.max_months, first_due=due,
                  business_days=policy.business_days, calendar=ctx.calendar)
    attempt("settlement", terms, _settlement_waivers(case.debt, waived, discount), discount=discount)
    del rank


# -- generation and ranking ---------------------------------------------------------

def rank_key(offer: Offer) -> tuple:
    a = offer.authority
    return (VERDICT_ORDER.get(offer.verdict, 3), offer.months,
            authority_rank(a) if a is not None else len(AUTHORITIES),
            KINDS.index(offer.kind), offer.total_repayable, offer.id)


def generate_offers(case: Case, policy: Policy, authority: str = "agent",
                    include_escalations: bool = False) -> list[Offer]:
    """The ranked offers for ``case`` within ``authority`` (plus, with ``include_escalations``,
    those that need a higher authority or break a rule; their ``violations`` say why)."""
    ctx = _Context(case, policy, authority)
    seen: dict[str, Offer] = {}
    for offer in _candidates(ctx, include_escalations):
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
        raise InvalidInput(f"unknown offer kind {kind!r}; use {', '.join(KINDS)}", "kind")
    return make_offer(_Context(case, policy, authority), kind, terms, waivers, discount=discount)


# -- documents -----------------------------------------------------------------------

def terms_document(terms: Terms, waivers: Sequence[Waiver], currency: str, exact: bool = False) -> dict:
    """The terms and waivers as JSON-ready data (amounts in ``currency``; percentages as "50%").

    The fee rate has 4 places, as in `installment quote`, unless ``exact``.
    """
    fmt = amount_formatter(currency)
    return {
        "start": terms.start.isoformat(),
        "months": terms.months,
        "down_payment": (pct_text(terms.down_fraction) if terms.down_fraction is not None else
                         (None if terms.down_amount is None else fmt(terms.down_amount))),
        "first_due": None if terms.first_due is None else terms.first_due.isoformat(),
        "due_day": terms.due_day,
        "fee_rate": str(terms.fee_rate) if exact else fraction_text(terms.fee_rate),
        "fee_basis": terms.fee_basis,
        "remainder": terms.remainder,
        "round_to": fmt(terms.round_to),
        "tiers": [{"count": c, "amount": fmt(a)} for c, a in terms.tiers],
        "business_days": terms.business_days,
        "calendar": terms.calendar.name,
        "waivers": {w.bucket: fmt(w.amount) if w.fraction is None else pct_text(w.fraction)
                    for w in waivers},
    }


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
