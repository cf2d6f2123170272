"""An agreement statement: where an agreement stands on a date, in every format and language.

It states who and what (creditor, account, agreement, dates), the status, what has been
paid and what is left, arrears and missed installments, the next payment, the remaining
schedule (what is left of each obligation not yet paid in full, and how it stands), the
payments received, what happens after a missed installment under the policy (and, for a broken
plan, what a re-plan would start from), how to pay, and the complaint channels.

Build one with :func:`statement_of` from a ``plans.servicing.agreements.AgreementView``
and print it with :func:`render_statement` (the same renderers as offer summaries; SMS
gives a short text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, overload

from plans.text.formatting import formats
from plans.text.i18n import DEFAULT_LANG, check_lang, translator
from plans.vocabulary import bucket_name

from .agreement_terms import payment_methods, servicing_of
from .blocks import Document, Fields, Items, Paragraph, Table
from .model import SummaryAccount, Creditor, mask_name, mask_reference
from .servicing_words import CHANNEL_NAMES, MARK_NAMES, STATUS_NAMES, _lower, missed_paragraph, name


@dataclass(frozen=True, slots=True)
class StatementLine:
    n: int  # 0: the down payment
    due: date
    amount: int
    paid: int
    mark: str


@dataclass(frozen=True, slots=True)
class Statement:
    """An agreement on ``statement_date``.  Amounts are minor units of ``currency``."""

    creditor: Creditor
    account: str
    holder: str | None
    agreement_id: int
    agreement_date: date
    statement_date: date
    currency: str
    status: str
    status_since: date
    total: int
    paid: int
    outstanding: int
    credit: int
    arrears: int
    missed: int
    installments_paid: int
    installments_total: int
    next_due: date | None
    next_amount: int
    lines: tuple[StatementLine, ...]
    payments: tuple[tuple[date, int, str], ...]
    #: The waived amounts a breach charges again (``[servicing] restore_on_break``), by bucket.
    restorable: tuple[tuple[str, int], ...] = ()
    #: For a broken plan: the debt a re-plan would start from.
    replan_debt: int | None = None
    successor: int | None = None


def statement_of(view: Any, policy: Any, account: SummaryAccount) -> Statement:
    """The statement of ``view`` (a ``plans.servicing.agreements.AgreementView``) on its date."""
    st, schedule = view.standing, view.schedule
    lines = tuple(
        StatementLine(o.n, o.due, o.amount, got, str(mark))
        for o, got, mark in zip(schedule.obligations, st.applied, view.marks)
    )
    basis = view.replan
    return Statement(
        creditor=Creditor.from_policy(policy),
        account=mask_reference(account.reference),
        holder=mask_name(account.holder) if account.holder else None,
        agreement_id=view.id,
        agreement_date=schedule.start,
        statement_date=st.as_of,
        currency=schedule.currency,
        status=str(st.status),
        status_since=st.since,
        total=schedule.total,
        paid=st.paid,
        outstanding=st.outstanding,
        credit=st.credit,
        arrears=st.arrears,
        missed=st.missed,
        installments_paid=st.installments_paid,
        installments_total=st.installments_total,
        next_due=st.next_due,
        next_amount=st.next_amount,
        lines=lines,
        payments=tuple((p.paid_on, p.amount, p.channel) for p in view.payments if p.paid_on <= st.as_of),
        restorable=tuple(
            (b, waived) for b, _, waived in schedule.buckets if waived and b in view.servicing.restore_on_break
        ),
        replan_debt=basis.debt.total if basis is not None and not st.in_force else None,
        successor=view.successor,
    )


def statement_document(s: Statement, lang: str = DEFAULT_LANG) -> Document:
    t, f = translator(lang), formats(lang)
    m = lambda v: f.money(v, s.currency)
    who = [(t("Creditor"), s.creditor.name)]
    who += [(t("Contact") if n == 0 else "", line) for n, line in enumerate(s.creditor.contact)]
    who.append((t("Account"), s.account or t("not given")))
    if s.holder:
        who.append((t("Account holder"), s.holder))
    who += [
        (t("Agreement number"), str(s.agreement_id)),
        (t("Agreement date"), f.date(s.agreement_date)),
        (t("Statement date"), f.date(s.statement_date)),
    ]
    blocks: list = [Fields(None, tuple(who))]

    where = [
        (t("Status"), t("{status}, since {date}", status=name(STATUS_NAMES, t, s.status), date=f.date(s.status_since))),
        (t("Total of the plan"), m(s.total)),
        (t("Paid to date"), m(s.paid)),
        (t("Still to pay"), m(s.outstanding)),
        (t("Installments paid"), t("{paid} of {total}", paid=s.installments_paid, total=s.installments_total)),
    ]
    if s.arrears:
        where.append((t("Overdue now"), m(s.arrears)))
    if s.missed:
        where.append((t("Missed installments"), str(s.missed)))
    if s.next_due is not None:
        where.append((t("Next payment"), t("{amount} by {date}", amount=m(s.next_amount), date=f.date(s.next_due))))
    if s.credit:
        where.append((t("Credit"), t("{amount} paid beyond the total, kept for you", amount=m(s.credit))))
    blocks.append(Fields(t("Where the plan stands"), tuple(where)))

    left = [x for x in s.lines if x.paid < x.amount]
    if s.status in ("current", "in_grace", "in_arrears") and left:
        rows = tuple(
            (
                t("Down") if x.n == 0 else str(x.n),
                f.date_medium(x.due),
                m(x.amount),
                m(x.amount - x.paid),
                name(MARK_NAMES, t, x.mark),
            )
            for x in left
        )
        blocks.append(
            Table(
                t("Remaining schedule"),
                (t("No."), t("Due date"), t("Amount"), t("Still to pay"), t("State")),
                ("r", "l", "r", "r", "l"),
                rows,
                (t("Total"), "", "", m(s.outstanding), ""),
                narrow=(0, 1, 3, 4),
            )
        )
    if s.payments:
        blocks.append(
            Table(
                t("Payments received"),
                (t("Date"), t("Amount"), t("How")),
                ("l", "r", "l"),
                tuple((f.date(d), m(a), name(CHANNEL_NAMES, t, c)) for d, a, c in s.payments),
                (t("Total"), m(sum(a for _, a, _ in s.payments)), ""),
            )
        )
    else:
        blocks.append(Paragraph(t("Payments received"), t("No payment has been received yet.")))

    restored = tuple((b, m(a)) for b, a in s.restorable)
    sep = "" if t.lang.startswith("zh") else " "
    if s.status == "broken":
        text = [t("This plan is broken: it has ended and what is still owed under it is due.")]
        if restored:
            text.append(
                t(
                    "What was waived of {items} is charged again.",
                    items=t(", ").join(
                        t("{bucket} ({amount})", bucket=_lower(t, bucket_name(t, b)), amount=a) for b, a in restored
                    ),
                )
            )
        if s.replan_debt is not None:
            text.append(t("A new plan can be made for {amount}: please contact us.", amount=m(s.replan_debt)))
        blocks.append(Paragraph(t("The plan is broken"), sep.join(text)))
    elif s.status == "superseded" and s.successor:
        blocks.append(Paragraph(t("Replaced"), t("This plan was replaced by agreement {n}.", n=s.successor)))
    elif s.status == "cancelled":
        blocks.append(
            Paragraph(t("Cancelled"), t("This agreement was cancelled; please contact us about what is still owed."))
        )
    elif s.status == "completed":
        blocks.append(Paragraph(t("Paid off"), t("This plan is paid off. Thank you.")))
    else:
        blocks.append(
            Paragraph(
                t("If an installment is missed"),
                s.creditor.missed_payment or missed_paragraph(t, servicing_of(s), restored),
            )
        )
        blocks.append(Fields(t("Repayment method"), tuple(payment_methods(s.creditor, t))))
    channels = s.creditor.complaints or (t("Ask the creditor's customer service for its complaint procedure."),)
    blocks.append(Items(t("Complaints"), tuple(channels)))
    return Document(
        t.lang,
        t("Agreement statement"),
        t("Agreement {n}", n=s.agreement_id),
        tuple(blocks),
        t("This statement shows the payments recorded up to its date."),
    )


def statement_sms(s: Statement, lang: str = DEFAULT_LANG) -> str:
    t, f = translator(lang), formats(lang)
    m = lambda v: f.money(v, s.currency)
    parts = [
        t("[{creditor}]", creditor=s.creditor.name.split(" (")[0].strip()),
        t(
            "Agreement {n} ({account}): {status}. Paid {paid} of {total}.",
            n=s.agreement_id,
            account=s.account,
            status=name(STATUS_NAMES, t, s.status),
            paid=m(s.paid),
            total=m(s.total),
        ),
    ]
    if s.arrears and s.status != "broken":
        parts.append(t("Overdue now: {amount}.", amount=m(s.arrears)))
    if s.next_due is not None:
        parts.append(t("Next: {amount} by {date}.", amount=m(s.next_amount), date=f.date(s.next_due)))
    if s.status == "broken":
        parts.append(t("The plan is broken; please contact us for a new plan."))
    if s.creditor.contact:
        parts.append(s.creditor.contact[0])
    return ("" if t.lang.startswith("zh") else " ").join(parts)


@overload
def render_statement(
    s: Statement,
    fmt: Literal["text", "receipt", "md", "html", "sms", "terminal"],
    lang: str = ...,
    *,
    width: int | None = ...,
    font_path=...,
) -> str: ...
@overload
def render_statement(
    s: Statement, fmt: Literal["pdf"], lang: str = ..., *, width: int | None = ..., font_path=...
) -> bytes: ...
@overload
def render_statement(
    s: Statement, fmt: str, lang: str = ..., *, width: int | None = ..., font_path=...
) -> str | bytes: ...
def render_statement(
    s: Statement, fmt: str, lang: str = DEFAULT_LANG, *, width: int | None = None, font_path=None
) -> str | bytes:
    """The statement in ``fmt`` (text, receipt, md, html, pdf, sms, terminal) and ``lang``."""
    from . import render_document

    lang = check_lang(lang)
    if fmt == "sms":
        return statement_sms(s, lang) + "\n"
    return render_document(statement_document(s, lang), fmt, width=width, font_path=font_path)


__all__ = ["Statement", "StatementLine", "render_statement", "statement_document", "statement_of", "statement_sms"]
