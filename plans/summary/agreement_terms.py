"""What every offer and agreement summary states beyond the figures: the contents article 70 of the
credit-card rules asks of a personalised installment agreement.

1. the balance, its structure and currency (the debt table and the plan, and the currency here);
2. the repayment cycle and method (where and how to pay, from ``[servicing] payment_methods``),
   the dates and amounts (the schedule);
3. whether annual fees, interest or other charges accrue during the plan;
4. the debtor's undertaking not to apply for a credit card at any bank until the plan is paid off;
5. both sides' rights, obligations and liability for breach (from ``[servicing]``, so the summary
   says what ``installment monitor`` will do);
6. other repayment matters (how payments are applied, credits, reminders, re-plans).

The terms come from the creditor's policy (``Creditor.servicing``); without one, the
defaults of ``plans.policy.Servicing`` (what a policy without ``[servicing]`` gets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plans.text.formatting import Formats
from plans.text.i18n import N_, Translator

from .blocks import Fields, Items, Paragraph
from .model import Summary
from .servicing_words import missed_paragraph

if TYPE_CHECKING:
    from .statement import Statement

MISSED_SETTLEMENT = N_(
    "If the settlement amount is not paid in full by the date above, this offer lapses: the waiver "
    "no longer applies, and the whole debt stays due under the original agreement, with interest and fees."
)
UNDERTAKING = N_("Until this plan is paid off, the debtor undertakes not to apply for a credit card at any bank.")


def servicing_of(s: Summary | Statement):
    """The servicing terms of the creditor of a summary or a statement (the defaults without any)."""
    from plans.policy import Servicing

    return getattr(s.creditor, "servicing", None) or Servicing()


def currency_name(t: Translator, currency: str) -> str:
    from babel.numbers import get_currency_name

    from plans.text.i18n import babel_locale

    try:
        name = get_currency_name(currency, locale=babel_locale(t.lang))
    except Exception:  # noqa: BLE001 - a name babel lacks: the code alone
        return currency
    return f"{name} ({currency})" if t.lang == "en" else name


def how_to_pay(s: Summary, t: Translator, f: Formats) -> Fields:
    """(1) the currency and (2) the cycle and where and how to pay."""
    rows = [(t("Currency"), currency_name(t, s.currency))]
    if s.lump_sum:
        rows.append((t("Repayment cycle"), t("one payment, by {date}", date=f.date(s.first_due))))
    else:
        rows.append(
            (
                t("Repayment cycle"),
                t(
                    "monthly, {n} installments from {first} to {last}",
                    n=s.months,
                    first=f.date(s.first_due),
                    last=f.date(s.last_due),
                ),
            )
        )
    return Fields(t("Repayment method"), tuple(rows + payment_methods(s.creditor, t)))


def payment_methods(creditor, t: Translator) -> list[tuple[str, str]]:
    """``("How to pay", line)`` rows: the policy's payment methods, else where to ask."""
    sv = getattr(creditor, "servicing", None)
    methods = (
        (sv.payment_methods if sv is not None else ())
        or tuple(t("Ask the creditor how to pay: {contact}", contact=c) for c in creditor.contact[:1])
        or (t("Ask the creditor how to pay."),)
    )
    return [(t("How to pay") if n == 0 else "", m) for n, m in enumerate(methods)]


def charges(s: Summary, t: Translator, f: Formats) -> Paragraph:
    """(3) what accrues during the plan."""
    if s.lump_sum:
        text = t(
            "No interest, penalty interest, annual fees, late fees or other charges accrue until the "
            "pay-by date: the settlement amount above is all you pay."
        )
    elif s.has_fees:
        text = t(
            "While the plan is kept, no interest, penalty interest, annual fees or late fees accrue. The only "
            "charge is the installment fee of {rate} a month, included in the amounts above ({total} in all).",
            rate=f.percent(s.fee_rate),
            total=f.money(s.total_fees, s.currency),
        )
    else:
        text = t(
            "While the plan is kept, no interest, penalty interest, annual fees, late fees or other charges "
            "accrue: you repay exactly the amounts above."
        )
    return Paragraph(t("Charges during the plan"), text)


def rights(s: Summary, t: Translator) -> Items:
    """(5) rights and obligations (liability for breach follows in its own paragraph)."""
    items = [
        t("The debtor pays each installment in full by its due date, by one of the methods above.")
        if not s.lump_sum
        else t("The debtor pays the settlement amount in full by the date above."),
        t("While the plan is kept, the creditor charges nothing beyond the amounts above and the waivers above stand."),
        t("The debtor may pay early or pay more at no charge."),
    ]
    return Items(t("Rights and obligations"), tuple(items))


def other_matters(s: Summary, t: Translator) -> Items:
    """(6) other repayment matters."""
    sv = servicing_of(s)
    items = [
        t(
            "Payments go to the down payment first, then to the installments in due order; a partial payment "
            "leaves an installment partly paid, and more than is due goes to the next installments."
        ),
        t("Money paid beyond the total is kept as a credit in the debtor's name and refunded on request."),
    ]
    if not s.lump_sum:
        if sv.reminder_days_before:
            items.append(t("A reminder is sent {n} days before each due date.", n=sv.reminder_days_before))
        items.append(
            t("If the debtor's situation changes, the creditor can make a new plan (a re-plan) for what is still owed.")
        )
    return Items(t("Other repayment matters"), tuple(items))


def terms_blocks(s: Summary, t: Translator, f: Formats) -> list:
    """The blocks after the schedule (and the affordability check) of every offer or agreement summary."""
    sv = servicing_of(s)
    restored = tuple(
        (b.bucket, f.money(b.waived, s.currency)) for b in s.buckets if b.waived and b.bucket in sv.restore_on_break
    )
    missed = s.creditor.missed_payment or (t(MISSED_SETTLEMENT) if s.lump_sum else missed_paragraph(t, sv, restored))
    return [
        how_to_pay(s, t, f),
        charges(s, t, f),
        Paragraph(t("Your undertaking"), t(UNDERTAKING)),
        rights(s, t),
        Paragraph(t("If a payment is missed") if s.lump_sum else t("If an installment is missed"), missed),
        other_matters(s, t),
    ]


__all__ = [
    "MISSED_SETTLEMENT",
    "UNDERTAKING",
    "charges",
    "currency_name",
    "how_to_pay",
    "other_matters",
    "payment_methods",
    "rights",
    "servicing_of",
    "terms_blocks",
]
