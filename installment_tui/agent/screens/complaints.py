"""Complaints in the console: take one on the call, open one (its history and due date), acknowledge,
extend (the second time with a supervisor's approval), resolve with a reply checked against the conduct
rules, and write the reply letter in the debtor's language."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Header, Label, Select, Static, TextArea

from installment_tui.i18n import LANGS
from installment_tui.times import local_time
from installment_tui.widgets.footer import TranslatedFooter
from plans.conduct.complaints import next_extension
from plans.conduct.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintState, Resolution
from plans.conduct.words import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_CHANNELS,
    COMPLAINT_STATES,
    RESOLUTIONS,
    name,
)
from plans.text.sanitize import clean, safe_name

from ..contact import ContactDesk
from .base import AgentModal, AgentScreen, selected
from .contact_texts import options, warning_text

LANG_NAMES = {"zh_CN": "简体中文", "zh_TW": "繁體中文", "en": "English"}


class NewComplaintDialog(AgentModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "Record complaint", id="newcomplaint.save"),
        Binding("escape", "cancel", "Cancel", id="newcomplaint.cancel"),
    ]

    def __init__(self, desk: ContactDesk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="complaint-new-box", classes="dialog"):
            yield Label("", id="complaint-new-title", classes="section")
            with Horizontal(classes="select-line"):
                yield Select(
                    options(t, COMPLAINT_CATEGORIES, ComplaintCategory),
                    value="collection_conduct",
                    allow_blank=False,
                    id="cn-category",
                )
                yield Select(
                    options(t, COMPLAINT_CHANNELS, ComplaintChannel), value="phone", allow_blank=False, id="cn-channel"
                )
                yield Select(
                    [(LANG_NAMES[lang], lang) for lang in LANGS], value=self.app.lang, allow_blank=False, id="cn-lang"
                )
            yield TextArea("", id="cn-text", soft_wrap=True)
            yield Static("", id="cn-help")
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#cn-text", TextArea).focus()

    def apply_language(self) -> None:
        t = self.t
        self.query_one("#complaint-new-title", Label).update(
            escape(
                t(
                    "New complaint from {ref} — what it is about, how it came, the debtor's language; Ctrl+S records it",
                    ref=clean(self.desk.ref),
                )
            )
        )
        days = self.desk.policy.conduct.reply_within_days
        self.query_one("#cn-help", Static).update(
            t(
                "Tell the debtor it is recorded and that we reply within {days} days. A conduct complaint limits "
                "contact while it is open.",
                days=days,
            )
        )

    def action_save(self) -> None:
        category = selected(self.query_one("#cn-category", Select))
        channel = selected(self.query_one("#cn-channel", Select))
        lang = selected(self.query_one("#cn-lang", Select))
        text = self.query_one("#cn-text", TextArea).text
        self.run_job("complaint", lambda: self.desk.add_complaint(channel, category, text, lang), self.dismiss)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ComplaintScreen(AgentScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="complaint.back"),
        Binding("a", "acknowledge", "Acknowledge", id="complaint.acknowledge"),
        Binding("e", "extend", "Extend", id="complaint.extend"),
        Binding("r", "resolve", "Resolve", id="complaint.resolve"),
        Binding("p", "letter", "Reply letter", id="complaint.letter"),
    ]

    def __init__(self, desk: ContactDesk, complaint_id: int) -> None:
        super().__init__()
        self.desk = desk
        self.complaint_id = complaint_id
        self.complaint = desk.complaint(complaint_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="complaint-body"):
            yield Label("", id="complaint-title", classes="section")
            yield Static("", id="complaint-details")
        yield Static("", id="status")
        yield TranslatedFooter()

    def reload(self) -> None:
        self.complaint = self.desk.complaint(self.complaint_id)
        self.apply_language()
        self.refresh_bindings()

    def apply_language(self) -> None:
        t, c = self.t, self.complaint
        r = c.record
        today = self.desk.today()
        self.query_one("#complaint-title", Label).update(
            escape(t("Complaint C-{n} — {ref}", n=c.id, ref=clean(r.account_ref)))
        )
        out = Text()

        def row(label: str, value: str, style: str = "") -> None:
            out.append(f"{label}: ", style="bold")
            out.append(value + "\n", style=style)

        row(
            t("Received"),
            t(
                "{date} by {channel}, taken by {who}",
                date=r.received_on.isoformat(),
                channel=name(COMPLAINT_CHANNELS, t, r.channel),
                who=clean(r.received_by),
            ),
        )
        row(t("Category"), name(COMPLAINT_CATEGORIES, t, r.category))
        row(t("Reply language"), LANG_NAMES.get(r.lang, r.lang))
        row(t("State"), name(COMPLAINT_STATES, t, c.state), "green" if not c.open else "")
        if c.overdue(today):
            row(
                t("Reply due"),
                t("{date}: overdue {n} days", date=c.due_on.isoformat(), n=c.days_overdue(today)),
                "bold red",
            )
        elif c.open:
            row(t("Reply due"), t("{date} ({n} days left)", date=c.due_on.isoformat(), n=(c.due_on - today).days))
        elif c.resolved_on is not None:  # (a complaint no longer open is resolved)
            row(
                t("Resolved"),
                t("{date}, {when}", date=c.resolved_on.isoformat(), when=t("in time") if c.in_time else t("late")),
            )
            row(t("Outcome"), name(RESOLUTIONS, t, c.outcome))
        ext = next_extension(c, self.desk.policy.conduct)
        if ext is not None:
            row(
                t("Next extension"),
                t("to {date}", date=ext.due_on.isoformat())
                + (" — " + t("needs a supervisor's approval") if ext.needs_supervisor else ""),
                "dim",
            )
        out.append("\n" + t("What the debtor says") + "\n", style="bold")
        out.append(clean(r.text, multiline=True) + "\n")
        if c.reply:
            out.append("\n" + t("Our reply") + "\n", style="bold")
            out.append(clean(c.reply, multiline=True) + "\n")
        out.append("\n" + t("History") + "\n", style="bold")
        for e in c.events:
            when = local_time(e.at, self.desk.policy.conduct.time_zone)
            line = f"{when}  {clean(e.actor)}  {name(COMPLAINT_STATES, t, e.kind)}"
            if e.kind == "extended" and e.due_on is not None:
                line = f"{when}  {clean(e.actor)}  " + t("extended to {date}", date=e.due_on.isoformat())
                if e.approved_by:
                    line += " (" + t("approved by {name}", name=clean(e.approved_by)) + ")"
            if e.reason and e.kind != "resolved":
                line += f" — {clean(e.reason)}"
            out.append(line + "\n")
        if not c.events:
            out.append(t("none yet") + "\n", style="dim")
        self.query_one("#complaint-details", Static).update(out)

    def check_action(self, action: str, parameters) -> bool | None:
        c = self.complaint
        if action == "acknowledge":
            return True if c.state is ComplaintState.RECEIVED else None
        if action == "extend":
            return True if next_extension(c, self.desk.policy.conduct) is not None else None
        if action == "resolve":
            return True if c.open else None
        if action == "letter":
            return True if not c.open else None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_acknowledge(self) -> None:
        store, conduct = self.desk.store, self.desk.policy.conduct

        def done(_c) -> None:
            self.reload()
            self.show_status(self.t("Acknowledged."))

        self.run_job("ack", lambda: store.acknowledge_complaint(self.complaint_id, conduct), done)

    def action_extend(self) -> None:
        ext = next_extension(self.complaint, self.desk.policy.conduct)
        if ext is None:
            return
        store, conduct = self.desk.store, self.desk.policy.conduct
        title = self.t("Extend the reply to {date}", date=ext.due_on.isoformat())

        def done(_c) -> None:
            self.reload()
            self.show_status(self.t("Extended to {date}.", date=ext.due_on.isoformat()))

        if ext.needs_supervisor:
            from .supervisor import SupervisorDialog

            def approved(override) -> None:
                if override is not None:
                    boss = store.as_actor(override.supervisor.name, "supervisor")
                    self.run_job(
                        "extend",
                        lambda: boss.extend_complaint(
                            self.complaint_id, conduct, override.reason, approved_by=override.supervisor
                        ),
                        done,
                    )

            self.app.push_screen(SupervisorDialog(title, self.t("A second extension needs a supervisor.")), approved)
            return
        from .reason import ReasonScreen

        def reason(text: str | None) -> None:
            if text:
                self.run_job("extend", lambda: store.extend_complaint(self.complaint_id, conduct, text), done)

        self.app.push_screen(ReasonScreen(title, True), reason)

    def action_resolve(self) -> None:
        def done(c) -> None:
            if c is not None:
                self.reload()
                self.show_status(self.t("Resolved. P writes the reply letter."))

        self.app.push_screen(ResolveDialog(self.desk, self.complaint), done)

    def action_letter(self) -> None:
        from plans import files
        from plans.conduct.messages import require_clean
        from plans.conduct.reply import reply_letter
        from plans.summary import mask_reference

        c, desk, out_dir = self.complaint, self.desk, self.app.out_dir
        resolved_on = c.resolved_on
        if resolved_on is None:  # only a resolved complaint has a reply letter (check_action offers it then)
            return

        def job():
            letter = require_clean(
                reply_letter(c, desk.policy, resolved_on, mask_reference(c.record.account_ref)),
                c.record.lang,
                desk.policy,
                what="the reply letter",
            )
            files.make_dir(out_dir)
            path = files.write_atomic(
                out_dir / f"{safe_name(c.record.account_ref)}-C-{c.id}-{c.record.lang}.reply.txt", letter
            )
            desk.store.audit(
                "complaint.reply_letter", "complaint", str(c.id), None, {"file": path.name, "lang": c.record.lang}
            )
            return path

        self.run_job("letter", job, lambda path: self.show_status(self.t("Written: {path}", path=str(path))))


class ResolveDialog(AgentModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "Resolve", id="resolve.save"),
        Binding("escape", "cancel", "Cancel", id="resolve.cancel"),
    ]

    def __init__(self, desk: ContactDesk, complaint) -> None:
        super().__init__()
        self.desk = desk
        self.complaint = complaint

    def compose(self) -> ComposeResult:
        with Vertical(id="resolve-box", classes="dialog"):
            yield Label("", id="resolve-title", classes="section")
            yield Select(
                options(self.t, RESOLUTIONS, Resolution), value="upheld", allow_blank=False, id="resolve-outcome"
            )
            yield TextArea("", id="resolve-reply", soft_wrap=True)
            yield Static("", id="resolve-check")
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#resolve-reply", TextArea).focus()

    def apply_language(self) -> None:
        self.query_one("#resolve-title", Label).update(
            escape(
                self.t(
                    "Resolve C-{n}: the outcome and the reply to the debtor (in {lang}); Ctrl+S resolves",
                    n=self.complaint.id,
                    lang=LANG_NAMES.get(self.complaint.record.lang, self.complaint.record.lang),
                )
            )
        )

    @on(TextArea.Changed, "#resolve-reply")
    def _changed(self, event: TextArea.Changed) -> None:
        from plans.conduct.messages import check_message

        findings = check_message(event.text_area.text, self.complaint.record.lang, self.desk.policy)
        self.query_one("#resolve-check", Static).update(warning_text(findings, self.t))

    def action_save(self) -> None:
        outcome = self.query_one("#resolve-outcome", Select).value
        reply = self.query_one("#resolve-reply", TextArea).text
        store, policy, cid = self.desk.store, self.desk.policy, self.complaint.id
        self.run_job("resolve", lambda: store.resolve_complaint(cid, policy, outcome, reply), self.dismiss)

    def action_cancel(self) -> None:
        self.dismiss(None)
