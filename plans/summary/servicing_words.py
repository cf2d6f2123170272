"""The words of servicing in every language: status, mark, channel and work-reason names,
the terms ``[servicing]`` sets, and reminder messages.

One table per vocabulary of ``plans.servicing.vocabulary`` (message ids are English,
translated through the catalogs); the consoles use the same tables.  Sentences about
what happens after a missed installment are built from the policy's own figures, so
what a summary promises is what ``installment monitor`` does.
"""

from __future__ import annotations

from datetime import date

from plans.text.formatting import Formats, formats
from plans.text.i18n import N_, Translate, Translator, translator
from plans.vocabulary import bucket_name

STATUS_NAMES = {
    "current": N_("current"),
    "in_grace": N_("in grace period"),
    "in_arrears": N_("in arrears"),
    "broken": N_("broken"),
    "completed": N_("paid off"),
    "cancelled": N_("cancelled"),
    "superseded": N_("replaced by a re-plan"),
}
MARK_NAMES = {
    "paid": N_("paid"),
    "partly_paid": N_("partly paid"),
    "due": N_("due"),
    "overdue": N_("overdue"),
    "missed": N_("missed"),
}
CHANNEL_NAMES = {
    "bank_transfer": N_("bank transfer"),
    "direct_debit": N_("direct debit"),
    "mobile_payment": N_("mobile payment"),
    "counter": N_("at a branch counter"),
    "other": N_("other"),
}
WORK_REASON_NAMES = {
    "broken": N_("plan broken"),
    "in_arrears": N_("in arrears"),
    "credit_to_review": N_("credit to review"),
    "reminder_due": N_("reminder due"),
}


def name(table: dict[str, str], t: Translate, value: str) -> str:
    """``value``'s name in ``t``'s language (the value itself if the table does not know it)."""
    return t(table[value]) if value in table else str(value)


def _lower(t: Translator, text: str) -> str:
    """A bucket name inside an English sentence ("Late fees" -> "late fees")."""
    return text[:1].lower() + text[1:] if t.lang == "en" else text


def missed_paragraph(t: Translator, servicing, restored: tuple[tuple[str, str], ...] = ()) -> str:
    """What happens after a missed installment under ``servicing`` (``plans.policy.Servicing``);
    ``restored`` lists ``(bucket, formatted amount)`` of this plan's waivers a breach charges again."""
    grace, brk = servicing.grace_days, servicing.break_after_missed
    if grace:
        parts = [t("An installment not paid in full {days} days after its due date counts as missed.", days=grace)]
    else:
        parts = [t("An installment not paid in full on its due date counts as missed.")]
    parts.append(
        t(
            "While an installment is missed the account is in arrears; paying what is overdue brings the "
            "plan back to current."
        )
    )
    if brk == 1:
        parts.append(t("A missed installment breaks the agreement."))
    else:
        parts.append(t("When {n} installments are missed at the same time, the agreement is broken.", n=brk))
    parts.append(t("The plan then ends and everything still owed under it falls due at once."))
    if restored:
        parts.append(
            t(
                "What was waived of {items} is charged again.",
                items=t(", ").join(
                    t("{bucket} ({amount})", bucket=_lower(t, bucket_name(t, b)), amount=a) for b, a in restored
                ),
            )
        )
    parts.append(
        t(
            "A new plan (a re-plan) can then be made for what is still owed; the creditor may report the "
            "overdue payments to the credit reference system."
        )
    )
    return ("" if t.lang.startswith("zh") else " ").join(parts)


def reminder_text(
    t: Translator, f: Formats, creditor: str, account: str, n: int, due: date, amount: int, arrears: int, currency: str
) -> str:
    """A reminder that a payment falls due (``n`` 0 is the down payment); ``account`` is already masked."""
    m = lambda v: f.money(v, currency)
    head = t("[{creditor}]", creditor=creditor.split(" (")[0].strip())
    if n:
        body = t(
            "Installment {n} of your repayment plan for account {account}, {amount}, is due on {date}.",
            n=n,
            account=account,
            amount=m(amount),
            date=f.date(due),
        )
    else:
        body = t(
            "The down payment of your repayment plan for account {account}, {amount}, is due on {date}.",
            account=account,
            amount=m(amount),
            date=f.date(due),
        )
    parts = [head, body]
    if arrears:
        parts.append(t("{amount} from earlier installments is overdue.", amount=m(arrears)))
    return ("" if t.lang.startswith("zh") else " ").join(parts)


def reminder_formatter(lang: str):
    """``(translator, formats)`` of ``lang`` for :func:`reminder_text` (built once per run)."""
    return translator(lang), formats(lang)


__all__ = [
    "CHANNEL_NAMES",
    "MARK_NAMES",
    "STATUS_NAMES",
    "WORK_REASON_NAMES",
    "missed_paragraph",
    "name",
    "reminder_formatter",
    "reminder_text",
]
