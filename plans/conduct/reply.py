"""The reply letter to a complaint, in the debtor's language.

It states the complaint (when and how it was received, what about), the outcome and
the reply written by whoever resolved it, and the further channels open to a debtor
who is not satisfied: verification (核实), mediation (调解), arbitration (仲裁) and
litigation (诉讼), with the creditor's complaint lines from the policy.  The letter is
plain text (``.txt``), cleaned of control characters, and passes the message checker
(:func:`plans.conduct.messages.require_clean`) before it is given out.
"""

from __future__ import annotations

from datetime import date

from plans.text.i18n import translator
from plans.text.sanitize import clean

from .complaints import Complaint
from .words import COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, RESOLUTIONS, name


def _(message: str) -> str:  # marks the letter's sentences for the catalogs (translated in reply_letter)
    return message


FURTHER = (
    _("Verification (核实): ask us to look at your complaint again, through the complaint lines below."),
    _("Mediation (调解): apply to a banking dispute mediation body or the consumer association."),
    _("Arbitration (仲裁): apply to an arbitration commission where you and we have agreed to arbitration."),
    _("Litigation (诉讼): bring a civil action before the people's court."),
)


def reply_letter(complaint: Complaint, policy, today: date, masked_ref: str) -> str:
    """The reply letter of a resolved complaint in its language (``complaint.record.lang``)."""
    from plans.text.formatting import formats

    r = complaint.record
    t = translator(r.lang)
    f = formats(r.lang)
    lines = [
        clean(policy.creditor_name),
        f.date(today),
        "",
        t("Reply to your complaint {number}", number=f"C-{r.id}"),
        t("Account: {ref}", ref=clean(masked_ref)),
        "",
        t("Dear customer,"),
        t(
            "We received your complaint on {date} by {channel}, about {category}.",
            date=f.date(r.received_on),
            channel=name(COMPLAINT_CHANNELS, t, r.channel),
            category=name(COMPLAINT_CATEGORIES, t, r.category),
        ),
    ]
    if complaint.outcome is not None:
        lines.append(t("Our conclusion: {outcome}.", outcome=name(RESOLUTIONS, t, complaint.outcome)))
    if complaint.reply:
        lines += ["", clean(complaint.reply, multiline=True)]
    lines += ["", t("If you are not satisfied with this reply, you may seek:")]
    lines += [f"  {n}. {t(m)}" for n, m in enumerate(FURTHER, 1)]
    if policy.complaint_channels:
        lines += ["", t("Complaint lines:")] + [f"  {clean(line)}" for line in policy.complaint_channels]
    lines += ["", t("Yours sincerely,"), clean(policy.creditor_name), ""]
    return "\n".join(lines)


__all__ = ["FURTHER", "reply_letter"]
