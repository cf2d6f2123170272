"""The contact desk in words, shared by the contact screen and the dialogs it opens: whether a contact
is allowed now and why not (:func:`decision_text`, the workspace's :func:`contact_line`), the conduct
checker's findings (:func:`warning_text`) and a vocabulary as a Select's options (:func:`options`).
"""

from __future__ import annotations

from rich.text import Text

from plans.conduct.vocabulary import Channel, Flag
from plans.conduct.words import FLAGS, name, names
from plans.text.sanitize import clean

from ..contact import ContactDesk


def decision_text(decision, t) -> str:
    """ "allowed now (09:30 local, 2 of 6 today)" or the reasons it is not, and when it will be."""
    local = decision.local.strftime("%H:%M")
    if decision.allowed:
        if decision.limit:
            return t(
                "allowed now ({time} local, {count} of {limit} today)",
                time=local,
                count=decision.today,
                limit=decision.limit,
            )
        return t("allowed now ({time} local)", time=local)
    reasons = t(", ").join(b.words(t) for b in decision.breaches)
    if decision.next_allowed is not None:
        return t(
            "not now ({time} local): {reasons}; allowed from {when}",
            time=local,
            reasons=reasons,
            when=decision.next_allowed.strftime("%m-%d %H:%M"),
        )
    return t("not now ({time} local): {reasons}", time=local, reasons=reasons)


def contact_line(desk: ContactDesk, t, keys: str = "") -> Text:
    """The workspace's line: whether a call is allowed now and why not, the flags, open complaints, and
    ``keys`` (those bound to the contact screen now) to open the rest."""
    call = desk.decision(Channel.CALL)
    line = Text()
    line.append("☎ " + t("Call:") + " ", style="bold")
    line.append(decision_text(call, t), style="green" if call.allowed else "bold red")
    flags = desk.flags()
    if flags:
        line.append("  ⚑ " + names(FLAGS, t, sorted(flags, key=list(Flag).index)), style="bold magenta")
    complaints = [c for c in desk.complaints() if c.open]
    if complaints:
        today = desk.today()
        overdue = sum(c.overdue(today) for c in complaints)
        line.append("  " + t("{n} open complaints", n=len(complaints)), style="bold yellow")
        if overdue:
            line.append(" " + t("({n} overdue)", n=overdue), style="bold red")
    if keys:
        line.append("  " + t("{keys}: contact and complaints", keys=keys), style="dim")
    return line


def options(t, table: dict, values) -> list[tuple[str, str]]:
    """A Select's options: each value of ``values`` under its name in ``table``, in ``t``'s language."""
    return [(name(table, t, v), str(v)) for v in values]


def warning_text(findings, t) -> Text:
    """Findings of the checker, each with its phrase and the lawful wording."""
    out = Text()
    if findings:
        out.append("⚠ " + t("Conduct rules: {n} phrases to change", n=len(findings)) + "\n", style="bold yellow")
    for f in findings[:5]:
        out.append(f"  “{clean(f.quote)}” → ", style="yellow")
        out.append(clean(f.suggestion) + "\n")
    return out
