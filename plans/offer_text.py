"""One plain paragraph explaining an offer (English; summaries translate by kind and rule code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from calc.money import amount_formatter

if TYPE_CHECKING:  # pragma: no cover
    from .offers import Offer
    from .policy import Policy

_OPENING = {
    "shortest_affordable": "The shortest plan the household budget can carry:",
    "lowest_payment": "The lowest monthly installment the policy allows:",
    "step": "Lower installments until the expected recovery, then level ones:",
    "settlement": "Settle the whole debt with one payment:",
    "standard": "The creditor's standard plan:",
    "negotiated": "The plan for the proposed terms:",
}


def _money(fmt, cur: str, minor: int) -> str:
    return f"{fmt(minor)} {cur}"


def explain(offer: "Offer", policy: "Policy") -> str:
    h = offer.headline
    cur = offer.currency
    fmt = amount_formatter(cur)
    m = lambda v: _money(fmt, cur, v)  # noqa: E731
    parts = [_OPENING.get(offer.kind, "A plan:")]
    if offer.kind == "settlement":
        parts.append(f"pay {m(h.total_repayable)} by {h.last_due} instead of the {m(offer.case.debt.total)} owed.")
    else:
        tiers = offer.terms.tiers
        if tiers:
            fees = " plus fees" if h.total_fees else ""
            steps = ", ".join(f"{count} installments of {m(amount)}{fees}" for count, amount in tiers)
            parts.append(f"{steps}, then {h.months - offer.terms.tier_months} of about "
                         f"{m(h.regular_installment)},")
        elif h.first_installment != h.regular_installment:
            parts.append(f"{h.months} monthly installments of {m(h.regular_installment)} "
                         f"(the first {m(h.first_installment)}),")
        else:
            parts.append(f"{h.months} monthly installments of {m(h.regular_installment)},")
        parts.append(f"from {h.first_due} to {h.last_due}.")
        if h.down_payment:
            parts.append(f"A down payment of {m(h.down_payment)} is due on the agreement date "
                         f"{offer.terms.start}.")
    waived = offer.case.debt.total - h.plan_balance
    if waived:
        parts.append(f"The creditor waives {m(waived)}.")
    parts.append(f"Total repayable {m(h.total_repayable)}"
                 + (f", including fees of {m(h.total_fees)} (APR {h.apr_nominal:.2%})." if h.total_fees else
                    ", with no interest or fees."))
    a = offer.assessment
    if a is not None:
        b = a.budget
        if offer.kind == "settlement":
            parts.append("Savings cover the lump sum." if a.verdict == "affordable"
                         else "Savings do not cover the lump sum.")
        elif a.verdict == "affordable":
            parts.append(f"It fits the {m(b.available)} the household has available each month.")
        elif a.verdict == "tight":
            parts.append(f"It fits, but only just, in the {m(b.available)} available each month.")
        else:
            parts.append(f"It is more than the {m(b.available)} the household has available each month.")
    if offer.violations:
        parts.append(" ".join(v.message for v in offer.violations))
    else:
        parts.append(f"Within {offer.requested_authority} authority.")
    return " ".join(parts)
