"""An offer in words: the explanation and the findings, in zh_CN, zh_TW or en, through the catalogs.

Every sentence is composed from the offer's figures and from the findings of its
whole-plan assessment (``plans.offers.judge``), never from the verdict alone: the
sentence "it fits the ... available" appears only when the assessment found every
installment within the budget in force on its due date and the down payment within
the savings (tests/test_offer_words.py checks this on random cases and policies in
every language).  :func:`finding_text` is the one place a finding becomes a
sentence: summaries, the agent console and the kiosk use it too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from calc.schedule import Headline
from calc.terms import Terms

from ..case import Case
from ..text.formatting import Formats, formats
from ..text.i18n import N_, Translator, translator
from ..vocabulary import AUTHORITY_NAMES, OfferKind, Verdict

if TYPE_CHECKING:  # the engine's types, for the annotations only: the summaries import these words without numpy
    from .judge import PlanAssessment
    from .rules import Violation


class Explained(Protocol):
    """What an explanation reads of an offer (:class:`plans.offers.model.Offer` has all of it).

    The words depend on these facts, not on the offer class, so that the offer can explain itself
    (``Offer.explain``) without the two modules importing each other.
    """

    @property
    def kind(self) -> str: ...
    @property
    def case(self) -> Case: ...
    @property
    def currency(self) -> str: ...
    @property
    def terms(self) -> Terms: ...
    @property
    def headline(self) -> Headline: ...
    @property
    def total_repayable(self) -> int: ...
    @property
    def is_settlement(self) -> bool: ...
    @property
    def assessment(self) -> PlanAssessment | None: ...
    @property
    def requested_authority(self) -> str: ...
    @property
    def violations(self) -> tuple[Violation, ...]: ...


OPENINGS: dict[str, str] = {
    OfferKind.SHORTEST_AFFORDABLE: N_("The shortest plan the household budget can carry."),
    OfferKind.LOWEST_PAYMENT: N_("The lowest monthly installment the policy allows."),
    OfferKind.STEP: N_("Lower installments until the expected recovery, then level ones."),
    OfferKind.SETTLEMENT: N_("Settle the whole debt with one payment."),
    OfferKind.STANDARD: N_("The creditor's standard plan."),
    OfferKind.NEGOTIATED: N_("The plan for the proposed terms."),
}
BUCKET_WORDS = {
    "principal": N_("principal"),
    "interest": N_("interest"),
    "penalty_interest": N_("penalty interest"),
    "late_fees": N_("late fees"),
    "annual_fees": N_("annual fees"),
    "other_fees": N_("other fees"),
}
FINDINGS = {
    "no_income": N_("No income is recorded."),
    "spending_below_floor": N_(
        "Declared essential spending ({spending}) is below the living floor of "
        "{floor} for {people} people; the floor is used instead."
    ),
    "food_high": N_("Food spending ({food}) is far above the regional guideline of {guideline}."),
    "no_surplus": N_("Income does not cover essential spending and other debts (short by {shortfall})."),
    "region_default": N_(
        "Region {region} is not in the policy; the living floor of the default region {default} is used."
    ),
    "recovery_passed": N_(
        "The expected recovery date {recovery_date} is not after the agreement date: no step "
        "plan is offered, and every installment is judged against the budget after recovery."
    ),
    "down_above_savings": N_(
        "The down payment of {down_payment} due today is {short} more than the savings of {savings}."
    ),
    "settlement_from_savings": N_("The lump sum of {lump_sum} is paid from savings of {savings}."),
    "savings_short": N_("The lump sum of {lump_sum} is more than the savings of {savings}."),
    "step_rises": N_("The installment rises after {low_months} low installments, from {rises_on}."),
    "relies_on_recovery": N_(
        "It relies on income recovering: from {since} its installments are more than the budget after recovery allows."
    ),
}
#: Findings about one installment judged alone (``installment quote``).
SINGLE_FINDINGS = {
    "above_available": N_("The installment of {installment} is more than the {available} available each month."),
    "near_available": N_("The installment of {installment} uses most of the {available} available each month."),
    "high_dti": N_("Debt payments would take {dti} of income, above the {max_dti} maximum."),
}
#: Findings about runs of installments: (one amount, amounts that vary).
RUN_FINDINGS = {
    "above_available": (
        N_("{which}: {amount}, {excess} more than {budget}."),
        N_("{which}: up to {amount}, up to {excess} more than {budget}."),
    ),
    "near_available": (
        N_("{which}: {amount}, more than {share} of {budget}."),
        N_("{which}: up to {amount}, more than {share} of {budget}."),
    ),
    "high_dti": (
        N_("{which}: debt payments would take {dti} of income, above the {max_dti} maximum."),
        N_("{which}: debt payments would take up to {dti} of income, above the {max_dti} maximum."),
    ),
}
RULES = {
    "min_months": N_("{value} installments is fewer than the policy minimum of {limit}."),
    "max_months": N_("{value} months is longer than the {limit} months {authority} authority allows."),
    "min_installment": N_("An installment of {value} is below the policy minimum of {limit}."),
    "min_down_payment": N_("A down payment of {value} is below the policy minimum of {limit}."),
    "first_due": N_("The first installment falls on {value}, outside the allowed window {limit}."),
    "settlement_due": N_("The lump sum falls due on {value}, after the latest allowed date {limit}."),
    "settlement_discount": N_(
        "A settlement discount of {value} is more than the {limit} {authority} authority allows."
    ),
    "waiver": N_("Waiving {value} of {bucket} is more than the {limit} {authority} authority allows."),
}


def _value(t: Translator, f: Formats, key: str, value, currency: str) -> str:
    if isinstance(value, Decimal):
        return f.percent(value, 0)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value) if key in ("people", "low_months", "first", "last") else f.money(value, currency)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f.date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _which(t: Translator, first: int, last: int) -> str:
    return (
        t("Installment {n}", n=first) if first == last else t("Installments {first} to {last}", first=first, last=last)
    )


def _budget(t: Translator, f: Formats, available: int, since: str | None, currency: str) -> str:
    if since is None:
        return t("the {available} available each month", available=f.money(available, currency))
    return t(
        "the {available} available each month from {date}",
        available=f.money(available, currency),
        date=f.date(date.fromisoformat(since)),
    )


def finding_text(t: Translator, f: Formats, finding, currency: str) -> str:
    """One finding as a sentence in ``t``'s language (its English message when there is no template)."""
    code = getattr(finding, "code", "")
    values = getattr(finding, "values", None) or {}
    if code in SINGLE_FINDINGS and "first" not in values:
        return t(SINGLE_FINDINGS[code], **{k: _value(t, f, k, v, currency) for k, v in values.items()})
    if code in RUN_FINDINGS:
        one, varying = RUN_FINDINGS[code]
        template = one if values.get("installment") == values.get("smallest") else varying
        filled = {k: _value(t, f, k, v, currency) for k, v in values.items()}
        filled["which"] = _which(t, values["first"], values["last"])
        filled["amount"] = f.money(values["installment"], currency)
        filled["budget"] = _budget(t, f, values["available"], values.get("since"), currency)
        return t(template, **filled)
    sentence = FINDINGS.get(code)
    if sentence is None:
        return getattr(finding, "message", str(finding))
    try:
        return t(sentence, **{k: _value(t, f, k, v, currency) for k, v in values.items()})
    except (KeyError, IndexError):
        return getattr(finding, "message", sentence)


def violation_text(t: Translator, v, requested: str) -> str:
    """A rule broken at the ``requested`` authority, in words (figures as the rule records them)."""
    who = t(AUTHORITY_NAMES.get(requested, requested))
    if v.rule.startswith("waiver."):
        bucket = v.rule.split(".", 1)[1]
        text = t(
            RULES["waiver"], value=v.value, limit=v.limit, bucket=t(BUCKET_WORDS.get(bucket, bucket)), authority=who
        )
    elif v.rule in RULES:
        text = t(RULES[v.rule], value=v.value, limit=v.limit, authority=who)
    else:
        return v.message
    if v.rule in ("max_months", "settlement_discount") or v.rule.startswith("waiver."):
        text += " " + (
            t("It needs {authority} approval.", authority=t(AUTHORITY_NAMES[v.authority]))
            if v.authority
            else t("No authority may grant it.")
        )
    return text


def explain(offer: Explained, lang: str = "en") -> str:
    t, f = translator(lang), formats(lang)
    h = offer.headline
    cur = offer.currency
    m = lambda v: f.money(v, cur)
    parts = [t(OPENINGS.get(offer.kind, N_("A plan.")))]
    if offer.is_settlement:
        parts.append(
            t(
                "Pay {amount} by {date} instead of the {owed} owed.",
                amount=m(h.total_repayable),
                date=f.date(h.last_due),
                owed=m(offer.case.debt.total),
            )
        )
    else:
        span = dict(start=f.date(h.first_due), end=f.date(h.last_due))
        tiers = offer.terms.tiers
        if tiers:
            step = (
                N_("{count} installments of {amount} plus fees")
                if h.total_fees
                else N_("{count} installments of {amount}")
            )
            steps = t("; ").join(  # tier clauses (", " joins the items of a list)
                t(step, count=c, amount=m(a)) for c, a in tiers
            )
            parts.append(
                t(
                    "{steps}, then {count} installments of about {amount}, from {start} to {end}.",
                    steps=steps,
                    count=h.months - offer.terms.tier_months,
                    amount=m(h.regular_installment),
                    **span,
                )
            )
        elif h.first_installment != h.regular_installment:
            parts.append(
                t(
                    "{count} monthly installments of {amount} (the first {first}), from {start} to {end}.",
                    count=h.months,
                    amount=m(h.regular_installment),
                    first=m(h.first_installment),
                    **span,
                )
            )
        else:
            parts.append(
                t(
                    "{count} monthly installments of {amount}, from {start} to {end}.",
                    count=h.months,
                    amount=m(h.regular_installment),
                    **span,
                )
            )
        if h.down_payment:
            parts.append(
                t(
                    "A down payment of {amount} is due on the agreement date, {date}.",
                    amount=m(h.down_payment),
                    date=f.date(offer.terms.start),
                )
            )
    waived = offer.case.debt.total - h.plan_balance
    if waived:
        parts.append(t("The creditor waives {amount}.", amount=m(waived)))
    if h.total_fees:
        parts.append(
            t(
                "Total repayable {total}, including fees of {fees} (APR {apr}).",
                total=m(h.total_repayable),
                fees=m(h.total_fees),
                apr=f.percent(h.apr_nominal),
            )
        )
    else:
        parts.append(t("Total repayable {total}, with no interest or fees.", total=m(h.total_repayable)))
    a = offer.assessment
    if a is not None:
        parts += _affordability(offer, a, t, f)
    if offer.violations:
        parts += [violation_text(t, v, offer.requested_authority) for v in offer.violations]
    else:
        parts.append(
            t(
                "Within {authority} authority.",
                authority=t(AUTHORITY_NAMES.get(offer.requested_authority, offer.requested_authority)),
            )
        )
    return ("" if t.lang.startswith("zh") else " ").join(p for p in parts if p)


#: Findings the explanation puts into words; the others are about the case (summaries list them apart).
_PLAN_CODES = (
    "above_available",
    "near_available",
    "high_dti",
    "down_above_savings",
    "relies_on_recovery",
    "step_rises",
)


def _affordability(offer: Explained, a, t: Translator, f: Formats) -> list[str]:
    cur = offer.currency
    m = lambda v: f.money(v, cur)
    said = [x for x in a.findings if x.code in _PLAN_CODES]
    if offer.is_settlement:
        return [
            t("Savings cover the lump sum.")
            if a.verdict == Verdict.AFFORDABLE
            else t("Savings do not cover the lump sum of {amount}.", amount=m(offer.total_repayable))
        ]
    out = []
    if a.verdict == Verdict.AFFORDABLE:
        later = any(r.after_recovery for r in a.runs) and a.budget_after is not None
        earlier = any(not r.after_recovery for r in a.runs)
        if later and earlier:
            out.append(
                t(
                    "Every installment fits: the {now} the household has available each month until {date}, "
                    "and the {after} available from then on.",
                    now=m(a.budget_now.available),
                    after=m(a.budget_after.available),
                    date=f.date(a.recovery_date),
                )
            )
        else:
            b = a.budget_after if later else a.budget_now
            out.append(
                t(
                    "Every installment fits the {available} the household has available each month.",
                    available=m(b.available),
                )
            )
    elif a.verdict == Verdict.TIGHT:
        out.append(t("It fits, but only just:"))
    else:
        out.append(t("It does not fit the household budget:"))
    out += [finding_text(t, f, x, cur) for x in said]
    return out


PLAN_CODES = _PLAN_CODES

__all__ = [
    "FINDINGS",
    "OPENINGS",
    "PLAN_CODES",
    "RULES",
    "RUN_FINDINGS",
    "SINGLE_FINDINGS",
    "explain",
    "finding_text",
    "violation_text",
]
