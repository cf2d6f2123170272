"""One offer as a value: made from a row of the engine's table (``plans.offers.engine.Table``).

An :class:`Offer` holds what the engine decided (kind, terms, waivers, headline
figures, verdict, the authority it needs, the rules it breaks at the requested
authority, its id).  What only a reader needs is computed on first use and kept:
the full schedule (:attr:`Offer.plan`, ``calc.schedule.build_plan``), the
whole-plan assessment with its findings (:attr:`Offer.assessment`,
``plans.offers.judge.assess_plan``) and the explanation composed from those
findings in any language (:meth:`Offer.explain`, ``plans.offers.words``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Sequence

from calc.affordability import Finding, verdict_code
from calc.debt import BUCKETS, Waiver
from calc.money import amount_formatter, fraction_text
from calc.schedule import Headline, Plan, build_plan
from calc.terms import Terms
from plans.vocabulary import OfferKind, Verdict

from ..case import Case, case_document
from ..policy import Policy
from .judge import NO_VERDICT, VERDICTS, PlanAssessment, assess_plan, case_budgets
from .kinds import KINDS
from .rate import places4
from .rules import Facts, Violation, pct_text, violations
from .setting import Grid, Rules


def _explained(lang: str) -> cached_property[str]:
    """The offer's explanation in ``lang``, composed once (``plans.offers.words.explain``)."""

    def text(offer: Offer) -> str:
        from .words import explain

        return explain(offer, lang)

    text.__doc__ = f"The explanation in {lang}."
    return cached_property(text)


@dataclass(frozen=True, eq=False)
class Offer:
    """One computed offer.  Immutable; the schedule, assessment and explanation are built on first use."""

    id: str
    kind: str
    case: Case
    terms: Terms
    waivers: tuple[Waiver, ...]
    headline: Headline
    #: "affordable", "tight" or "unaffordable" for the whole plan; None without a profile.
    verdict: str | None
    #: The least authority that may grant the offer; None when it breaks a rule no authority may waive.
    authority: str | None
    #: The authority the offer was generated for; ``violations`` are judged against it.
    requested_authority: str
    violations: tuple[Violation, ...]
    policy: Policy = field(repr=False)
    #: Settlement only: the discount in minor units on top of the standard waivers.
    settlement_discount: int | None = None

    # -- figures --------------------------------------------------------------
    @property
    def policy_version(self) -> str:
        return self.policy.version

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
    def within_authority(self) -> bool:
        """True when the requested authority may grant it as it is."""
        return not self.violations

    @property
    def escalation(self) -> bool:
        """True when it needs more than the requested authority (or no authority may grant it)."""
        return not self.within_authority

    @property
    def is_settlement(self) -> bool:
        return self.kind == OfferKind.SETTLEMENT

    @cached_property
    def plan(self) -> Plan:
        """The full schedule (built on first use, then kept)."""
        return build_plan(self.case.debt, self.waivers, self.terms)

    @cached_property
    def assessment(self) -> PlanAssessment | None:
        """The whole-plan verdict with its findings and budgets (None without a profile)."""
        return _assess(self)

    @property
    def findings(self) -> tuple[Finding, ...]:
        a = self.assessment
        return () if a is None else a.findings

    # the explanation in each language of plans.text.i18n.LANGS, composed on first use and kept (see explain())
    _text_zh_CN = _explained("zh_CN")
    _text_zh_TW = _explained("zh_TW")
    _text_en = _explained("en")

    def explain(self, lang: str = "en") -> str:
        """One paragraph explaining the offer, composed from its figures and findings, in ``lang``."""
        name = f"_text_{lang}"
        if name in _EXPLAINED:
            return str(getattr(self, name))
        from .words import explain

        return explain(self, lang)

    @property
    def explanation(self) -> str:
        """The explanation in English (as in the ``installment.offers/1`` document)."""
        return self._text_en

    @property
    def inputs(self) -> dict:
        """Every input, as JSON-ready data: enough for ``plans.offers.rebuild`` to make the same offer."""
        return {
            "policy_version": self.policy_version,
            "kind": self.kind,
            "authority": self.requested_authority,
            "case": case_document(self.case),
            "terms": terms_document(self.terms, self.waivers, self.currency, exact=True),
            "settlement_discount": (
                None if self.settlement_discount is None else amount_formatter(self.currency)(self.settlement_discount)
            ),
        }


#: The names of Offer's kept explanations, one a language.
_EXPLAINED = frozenset(name for name in vars(Offer) if name.startswith("_text_"))


def terms_document(terms: Terms, waivers: Sequence[Waiver], currency: str, exact: bool = False) -> dict:
    """The terms and waivers as JSON-ready data (amounts in ``currency``; percentages as "50%").

    The fee rate has 4 places, as in `installment quote`, unless ``exact``.
    """
    fmt = amount_formatter(currency)
    return {
        "start": terms.start.isoformat(),
        "months": terms.months,
        "down_payment": (
            pct_text(terms.down_fraction)
            if terms.down_fraction is not None
            else (None if terms.down_amount is None else fmt(terms.down_amount))
        ),
        "first_due": None if terms.first_due is None else terms.first_due.isoformat(),
        "due_day": terms.due_day,
        "fee_rate": str(terms.fee_rate) if exact else fraction_text(terms.fee_rate),
        "fee_basis": terms.fee_basis,
        "remainder": terms.remainder,
        "round_to": fmt(terms.round_to),
        "tiers": [{"count": c, "amount": fmt(a)} for c, a in terms.tiers],
        "business_days": terms.business_days,
        "calendar": terms.calendar.name,
        "waivers": {w.bucket: w.match(fmt, pct_text) for w in waivers},
    }


# -- from a table row --------------------------------------------------------------------------


def materialize(table, j: int, case: Case, rules: Rules, grid: Grid, sgrid: Grid) -> Offer:
    """The Offer of row ``j`` of a generated table (``case``: the row's account)."""
    p = rules.policy
    kind = KINDS[int(table.kind[j])]
    months = int(table.months[j])
    if table.settle[j]:
        terms = sgrid.terms(1)
        waivers = tuple(Waiver(b, amount=int(table.waived[i, j])) for i, b in enumerate(BUCKETS) if table.waived[i, j])
        discount = int(table.discount[j])
    else:
        tiers = ((int(table.tier_count[j]), int(table.tier_amount[j])),) if table.tier_count[j] else ()
        terms = grid.terms(months, tiers, p.min_down_amount or None, p.min_down_fraction)
        waivers = p.standard_waiver_list()
        discount = None
    return offer_of_row(table, j, kind, case, terms, waivers, rules, discount)


def offer_of_row(
    table, j: int, kind: str, case: Case, terms: Terms, waivers: Sequence[Waiver], rules: Rules, discount: int | None
) -> Offer:
    h = Headline(
        int(table.months[j]),
        int(table.balance[j]),
        int(table.down[j]),
        int(table.financed[j]),
        int(table.first[j]),
        int(table.regular[j]),
        int(table.last[j]),
        int(table.largest[j]),
        int(table.total_fees[j]),
        int(table.total[j]),
        date.fromordinal(int(table.first_due[j])),
        date.fromordinal(int(table.last_due[j])),
        places4(int(table.apr_nominal[j])),
        places4(int(table.apr_effective[j])),
    )
    code = int(table.verdict[j])
    need = int(table.need[j])
    broken: tuple[Violation, ...] = ()
    if table.blocked[j]:
        facts = Facts(
            case.currency,
            case.start,
            h.months,
            int(table.smallest[j]),
            h.down_payment,
            int(table.least_down[j]),
            h.first_due,
            discount,
            h.plan_balance + (discount or 0),
            tuple(int(x) for x in table.waived[:, j]),
            tuple(getattr(case.debt, b) for b in BUCKETS),
        )
        broken = violations(rules, table.checks, j, facts)
    return Offer(
        table.ids[j],
        kind,
        case,
        terms,
        tuple(waivers),
        h,
        None if code == NO_VERDICT else VERDICTS[code],
        None if need >= rules.n_auth else rules.policy.authorities[need].name,
        rules.authority,
        broken,
        rules.policy,
        discount,
    )


# -- the assessment -------------------------------------------------------------------------


def case_findings(case: Case, policy: Policy) -> tuple[Finding, ...]:
    """Findings about the case itself that every offer's assessment repeats."""
    out = []
    region = case.region
    if region and not policy.knows_region(region):
        out.append(
            Finding(
                "region_default",
                f"Region {region!r} is not in the policy; the living floor of the default region "
                f"{policy.default_region!r} is used.",
                {"region": region, "default": policy.default_region},
            )
        )
    p = case.profile
    if p is not None and p.recovery_date is not None and p.recovery_date <= case.start:
        out.append(
            Finding(
                "recovery_passed",
                f"The expected recovery date {p.recovery_date} is not after the agreement date: no step plan is "
                "offered, and every installment is judged against the budget after recovery.",
                {"recovery_date": p.recovery_date.isoformat()},
            )
        )
    return tuple(out)


def _assess(offer: Offer) -> PlanAssessment | None:
    case = offer.case
    profile = case.profile
    if profile is None:
        return None
    policy = offer.policy
    params = policy.affordability_params(case.region)
    now, after = case_budgets(profile, params, case_findings(case, policy))
    cur = case.currency
    fmt = amount_formatter(cur)
    if offer.is_settlement:
        lump, savings = offer.headline.total_repayable, profile.savings
        ok = lump <= savings
        finding = Finding(
            "settlement_from_savings" if ok else "savings_short",
            (
                f"The lump sum of {fmt(lump)} {cur} is paid from savings of {fmt(savings)} {cur}."
                if ok
                else f"The lump sum of {fmt(lump)} {cur} is more than the savings of {fmt(savings)} {cur}."
            ),
            {"lump_sum": lump, "savings": savings},
        )
        return PlanAssessment(
            Verdict.AFFORDABLE if ok else Verdict.UNAFFORDABLE,
            now.findings + (finding,),
            now,
            after,
            profile.recovery_date,
            (),
            0,
            savings,
            now,
            lump,
        )
    plan = offer.plan
    a = assess_plan(plan, now, after, profile.recovery_date, profile.savings, params)
    notes = []
    if offer.terms.tiers:
        low = offer.terms.tier_months
        rises = plan.dues[low] if low < plan.months else plan.last_due
        notes.append(
            Finding(
                "step_rises",
                f"The installment rises after {low} low installments, from {rises}.",
                {"low_months": low, "rises_on": rises.isoformat()},
            )
        )
        since = profile.recovery_date
        later = a.budget_on(True)
        if (
            offer.kind == OfferKind.STEP
            and since is not None
            and any(
                verdict_code(amount, later.available, later.cap)
                for due, amount in zip(plan.dues, plan.amounts)
                if due >= since
            )
        ):
            notes.append(
                Finding(
                    "relies_on_recovery",
                    f"It relies on income recovering: from {since} its installments are more than the budget "
                    "after recovery allows.",
                    {"since": since.isoformat()},
                )
            )
    if notes:
        a = PlanAssessment(
            a.verdict,
            a.findings + tuple(notes),
            a.budget_now,
            a.budget_after,
            a.recovery_date,
            a.runs,
            a.down_payment,
            a.savings,
            a.budget,
            a.installment,
        )
    return a


__all__ = ["Offer", "case_findings", "materialize", "offer_of_row", "terms_document"]
