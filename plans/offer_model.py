"""One offer: its value type, its id, and how one is computed from terms and waivers.

:func:`make_offer` computes an offer's headline figures, affordability, the authority
it needs, the rules it breaks (``plans.offer_rules``) and its explanation
(``plans.offer_text``).  ``plans.offers`` decides which offers to make and ranks them.

An offer's ``id`` is a hash of every input (the case, the kind, the exact terms and
waivers, a settlement's discount) and the policy version: the same inputs give the
same id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Sequence

from calc.affordability import Assessment, Budget, Finding, assess, budget
from calc.dates import add_months
from calc.debt import Waiver
from calc.money import amount_formatter, fraction_text
from calc.schedule import Headline, Plan, balance, build_plan, choose_months, headline
from calc.terms import Terms

from .case import Case, case_document
from .offer_rules import Violation, check, pct_text
from .offer_text import explain
from .policy import Policy, authority_rank

#: Offer kinds, in the order that breaks ties in the ranking and wins among identical plans.
KINDS = ("shortest_affordable", "standard", "lowest_payment", "step", "settlement")


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

def _norm(fraction: Decimal | None) -> Decimal | None:
    """0.500 -> 0.5: equal figures written differently give the same id."""
    return None if fraction is None else fraction.normalize()


def _terms_key(terms: Terms, waivers: Sequence[Waiver]) -> str:
    w = ",".join(f"{x.bucket}={x.amount if x.fraction is None else str(_norm(x.fraction)) + 'f'}" for x in waivers)
    return (f"{terms.start}|{terms.months}|{terms.payment}|{terms.max_months}|{terms.down_amount}|"
            f"{_norm(terms.down_fraction)}|{terms.first_due}|{terms.due_day}|{_norm(terms.fee_rate)}|"
            f"{terms.fee_basis}|"
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
