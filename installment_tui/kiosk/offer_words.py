"""Each offer in one plain sentence plus its figures, in the debtor's language."""

from __future__ import annotations

from typing import Callable

from plans.text.formatting import Formats
from plans.offers import Offer
from plans.summary.amounts import runs_text
from plans.summary.model import runs_of
from plans.vocabulary import KIND_DEBTOR_NAMES, VERDICT_DEBTOR_WORDS, OfferKind

Tr = Callable[..., str]


def title(offer: Offer, t: Tr) -> str:
    # a kind the vocabulary does not know (an old record) is called what a negotiated plan is: a repayment plan
    return t(KIND_DEBTOR_NAMES.get(offer.kind, KIND_DEBTOR_NAMES[OfferKind.NEGOTIATED]))


def sentence(offer: Offer, t: Tr, f: Formats) -> str:
    h = offer.headline
    cur = offer.currency
    money = lambda v: f.money(v, cur)
    if offer.kind == OfferKind.SETTLEMENT:
        waived = waived_total(offer)
        text = (
            t(
                "Pay {amount} once, by {date}: {waived} is waived and your debt is settled.",
                amount=money(h.total_repayable),
                date=f.date(h.last_due),
                waived=money(waived),
            )
            if waived
            else t(
                "Pay {amount} once, by {date}, and your debt is settled.",
                amount=money(h.total_repayable),
                date=f.date(h.last_due),
            )
        )
    elif offer.terms.tiers:  # a step plan: its runs, as the summaries word them
        text = t(
            "Pay {runs}: {months} monthly payments in all.",
            runs=runs_text(runs_of(offer.plan.amounts), t, money),
            months=h.months,
        )
    elif h.first_installment != h.regular_installment:
        text = t(
            "Pay {amount} a month for {months} months (the first payment is {first}).",
            amount=money(h.regular_installment),
            months=h.months,
            first=money(h.first_installment),
        )
    else:
        text = t("Pay {amount} a month for {months} months.", amount=money(h.regular_installment), months=h.months)
    if h.down_payment:
        text += " " + t("First, a down payment of {amount} today.", amount=money(h.down_payment))
    return text


def waived_total(offer: Offer) -> int:
    """What the plan waives of the debt, in all (the same figure on the card, the sentence and the receipt)."""
    return offer.case.debt.total - offer.headline.plan_balance


def figures(offer: Offer, t: Tr, f: Formats) -> list[tuple[str, str]]:
    """(label, value) pairs: what the debtor pays, when, in total, and what is waived."""
    h = offer.headline
    cur = offer.currency
    money = lambda v: f.money(v, cur)
    waived = waived_total(offer)
    rows = []
    if offer.kind == OfferKind.SETTLEMENT:
        rows.append((t("One payment"), money(h.total_repayable)))
        rows.append((t("Pay by"), f.date(h.last_due)))
    else:
        rows.append((t("Largest monthly payment"), money(h.largest_installment)))
        rows.append((t("Number of payments"), str(h.months)))
        rows.append((t("First payment due"), f.date(h.first_due)))
        rows.append((t("Last payment due"), f.date(h.last_due)))
    if h.down_payment:
        rows.append((t("Down payment today"), money(h.down_payment)))
    rows.append((t("Total you repay"), money(h.total_repayable)))
    rows.append((t("Waived"), money(waived) if waived else t("nothing")))
    if h.total_fees:
        rows.append((t("Fees (yearly rate)"), f"{money(h.total_fees)} ({f.percent(h.apr_nominal)})"))
    else:
        rows.append((t("Interest and fees"), t("none")))
    if offer.verdict is not None:
        rows.append((t("Your budget"), t(VERDICT_DEBTOR_WORDS[offer.verdict])))
        a = offer.assessment
        if a is not None and a.runs:  # what the largest payment leaves of the month's budget
            left = a.budget.left(a.installment)
            rows.append((t("Left each month"), money(left)) if left >= 0 else (t("Short each month by"), money(-left)))
    return rows


def budget_sentence(budget, t: Tr, f: Formats, currency: str, since=None) -> str:
    """The month's budget with every term: income, essentials (or the living minimum), other lenders,
    what is kept aside for the unexpected, and what that leaves for a plan."""
    money = lambda v: f.money(v, currency)
    text = t(
        "Your budget a month: income {income}, minus {essentials} {spending}, minus other lenders {other}, "
        "minus {kept} kept aside for the unexpected, leaves {available} for a plan.",
        income=money(budget.income),
        essentials=t("living minimum") if budget.floor_used else t("essentials"),
        spending=money(budget.spending_used),
        other=money(budget.other_debt_payments),
        kept=money(budget.contingency),
        available=money(budget.available),
    )
    if since is not None:
        text = t("From {date}: {budget}", date=f.date(since), budget=text)
    return text
