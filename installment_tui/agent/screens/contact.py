"""Contact and complaints of the open account: may we call now and why not, the contact log, the flags,
the complaints; log a contact (refused when a rule is broken, unless a supervisor overrides it), write an
SMS (checked before it goes), set or clear a flag, take a complaint.

:func:`.contact_texts.contact_line` is the one-line answer the workspace shows under the account.
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from installment_tui.widgets.footer import TranslatedFooter
from installment_tui.widgets.tables import fill
from plans.conduct.vocabulary import MANUAL_FLAGS, Channel, Direction, Flag, Outcome, Party, Purpose
from plans.conduct.words import (
    CHANNELS,
    COMPLAINT_CATEGORIES,
    COMPLAINT_STATES,
    DECISIONS,
    DIRECTIONS,
    FLAGS,
    OUTCOMES,
    PARTIES,
    PURPOSES,
    name,
    names,
)
from plans.text.sanitize import clean

from ..contact import ContactDesk, ContactRefused
from .base import AgentModal, AgentScreen, selected
from .complaints import ComplaintScreen, NewComplaintDialog
from .contact_sms import SmsDialog
from .contact_texts import decision_text, options, warning_text


class ContactScreen(AgentScreen):
    AUTO_FOCUS = "#complaints"
    BINDINGS = [
        Binding("escape", "back", "Back", id="contact.back"),
        Binding("l", "log", "Log contact", id="contact.log"),
        Binding("s", "sms", "Write SMS", id="contact.sms"),
        Binding("f", "flags", "Flags", id="contact.flags"),
        Binding("c", "complaint", "New complaint", id="contact.complaint"),
        Binding("enter", "open_complaint", "Open complaint", id="contact.open", show=False),
    ]

    def __init__(self, desk: ContactDesk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="contact-body"):
            yield Label("", id="contact-title", classes="section")
            yield Static("", id="contact-now")
            yield Static("", id="contact-flags")
            yield Label("", id="log-title", classes="section")
            yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
            yield Label("", id="complaints-title", classes="section")
            yield DataTable(id="complaints", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status")
        yield TranslatedFooter()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.apply_language()

    def apply_language(self) -> None:
        t = self.t
        acc = self.session.open_account
        self.query_one("#contact-title", Label).update(
            escape(t("Contact and complaints — {ref} {name}", ref=clean(acc.ref), name=clean(acc.name)))
        )
        self.query_one("#log-title", Label).update(t("Contact log (debtor's local time)"))
        self.query_one("#complaints-title", Label).update(t("Complaints (Enter opens one)"))
        try:
            self.refresh_all()
        except Exception as exc:  # noqa: BLE001 - a database that cannot be read is shown
            self.show_error(exc)

    def refresh_all(self) -> None:
        t, desk = self.t, self.desk
        now = Text()
        for channel, decision in desk.decisions().items():
            label = name(CHANNELS, t, channel)
            now.append(t("{channel}:", channel=label[:1].upper() + label[1:]) + " ", style="bold")
            now.append(
                ("✔ " if decision.allowed else "✘ ") + decision_text(decision, t) + "\n",
                style="green" if decision.allowed else "red",
            )
        self.query_one("#contact-now", Static).update(now)
        flags = desk.flags()
        shown = Text(t("Flags:") + " ", style="bold")
        shown.append(
            names(FLAGS, t, sorted(flags, key=list(Flag).index)) if flags else t("none"),
            style="bold magenta" if flags else "dim",
        )
        self.query_one("#contact-flags", Static).update(shown)
        tz = next(iter(desk.decisions().values())).local.tzinfo
        rows: list[tuple[str | None, Sequence[object]]] = []
        for c in reversed(desk.contacts()):
            rows.append(
                (
                    str(c.id),
                    (
                        c.when.astimezone(tz).strftime("%m-%d %H:%M"),
                        name(CHANNELS, t, c.channel),
                        name(DIRECTIONS, t, c.direction),
                        name(PARTIES, t, c.party),
                        name(OUTCOMES, t, c.outcome) if c.outcome else "—",
                        Text(
                            name(DECISIONS, t, c.decision),
                            style={"refused": "red", "overridden": "magenta"}.get(c.decision, ""),
                        ),
                        clean(c.actor),
                        clean(c.note[:60]),
                    ),
                )
            )
        fill(
            self.query_one("#contacts", DataTable),
            [
                ("at", t("When"), "left"),
                ("channel", t("Channel"), "left"),
                ("dir", t("Direction"), "left"),
                ("party", t("Party"), "left"),
                ("outcome", t("Outcome"), "left"),
                ("decision", t("Decision"), "left"),
                ("by", t("By"), "left"),
                ("note", t("Note"), "left"),
            ],
            rows,
        )
        today = desk.today()
        rows = []
        for complaint in reversed(desk.complaints()):
            due = complaint.due_on.isoformat()
            if complaint.overdue(today):
                state = Text(t("overdue {n} days", n=complaint.days_overdue(today)), style="bold red")
            else:
                state = Text(name(COMPLAINT_STATES, t, complaint.state), style="green" if not complaint.open else "")
            rows.append(
                (
                    str(complaint.id),
                    (
                        f"C-{complaint.id}",
                        complaint.record.received_on.isoformat(),
                        name(COMPLAINT_CATEGORIES, t, complaint.record.category),
                        state,
                        due,
                    ),
                )
            )
        fill(
            self.query_one("#complaints", DataTable),
            [
                ("id", t("No."), "left"),
                ("received", t("Received"), "left"),
                ("category", t("Category"), "left"),
                ("state", t("State"), "left"),
                ("due", t("Reply due"), "left"),
            ],
            rows,
        )

    def after(self, message: str):
        def done(_result) -> None:
            self.apply_language()
            if _result is not None:
                self.show_status(message)

        return done

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_log(self) -> None:
        self.app.push_screen(LogContactDialog(self.desk), self.after(self.t("Contact logged.")))

    def action_sms(self) -> None:
        self.app.push_screen(SmsDialog(self.desk), self.after(self.t("SMS sent to the outbox.")))

    def action_flags(self) -> None:
        self.app.push_screen(FlagDialog(self.desk), self.after(self.t("Flag changed.")))

    def action_complaint(self) -> None:
        self.app.push_screen(NewComplaintDialog(self.desk), self.after(self.t("Complaint recorded.")))

    def action_open_complaint(self) -> None:
        table = self.query_one("#complaints", DataTable)
        if not table.has_focus or table.row_count == 0:
            return
        self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(DataTable.RowSelected, "#complaints")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        """Open the complaint of a row (each row's key is its complaint's id)."""
        if key is not None:
            self.app.push_screen(ComplaintScreen(self.desk, int(key)), lambda _: self.apply_language())


class LogContactDialog(AgentModal):
    """Log a contact.  An outbound one is decided by the rules; a refusal is recorded and offers an override."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Log contact", id="logcontact.save"),
        Binding("ctrl+o", "override", "Supervisor override", id="logcontact.override"),
        Binding("escape", "cancel", "Cancel", id="logcontact.cancel"),
    ]

    def __init__(self, desk: ContactDesk) -> None:
        super().__init__()
        self.desk = desk
        self.refused = False

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="logcontact-box", classes="dialog"):
            yield Label("", id="logcontact-title", classes="section")
            with Horizontal(classes="select-line"):
                yield Select(
                    options(t, CHANNELS, (Channel.CALL, Channel.SMS, Channel.LETTER)),
                    value="call",
                    allow_blank=False,
                    id="lc-channel",
                )
                yield Select(options(t, DIRECTIONS, Direction), value="outbound", allow_blank=False, id="lc-direction")
                yield Select(options(t, PARTIES, Party), value="debtor", allow_blank=False, id="lc-party")
            with Horizontal(classes="select-line"):
                yield Select(options(t, OUTCOMES, Outcome), value="answered", allow_blank=False, id="lc-outcome")
                yield Select(options(t, PURPOSES, Purpose), value="collection", allow_blank=False, id="lc-purpose")
            yield Input(id="lc-note")
            yield Static("", id="lc-decision")
            yield Static("", id="lc-warning")
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#lc-channel", Select).focus()

    def apply_language(self) -> None:
        self.query_one("#logcontact-title", Label).update(
            escape(self.t("Log a contact with {ref} — Ctrl+S logs it", ref=clean(self.desk.ref)))
        )
        self.query_one("#lc-note", Input).placeholder = self.t("What was said (checked against the conduct rules)")
        self.show_decision()

    def values(self) -> dict:
        return {
            k: self.query_one(f"#lc-{k}", Select).value for k in ("channel", "direction", "party", "outcome", "purpose")
        }

    def show_decision(self) -> None:
        v = self.values()
        box = self.query_one("#lc-decision", Static)
        if v["direction"] == "inbound":
            box.update(Text(self.t("Inbound: always logged."), style="green"))
            return
        try:
            decision = self.desk.decision(Channel(v["channel"]), Party(v["party"]))
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        box.update(
            Text(
                ("✔ " if decision.allowed else "✘ ") + decision_text(decision, self.t),
                style="green" if decision.allowed else "bold red",
            )
        )

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.select.id == "lc-channel":  # a written contact is sent, a call is answered (or not)
            outcome = self.query_one("#lc-outcome", Select)
            written = event.value in (Channel.SMS, Channel.LETTER)
            if written and outcome.value != Outcome.SENT:
                outcome.value = str(Outcome.SENT)
            elif not written and outcome.value == Outcome.SENT:
                outcome.value = str(Outcome.ANSWERED)
        self.refused = False
        self.refresh_bindings()
        self.show_decision()

    @on(Input.Changed, "#lc-note")
    def _note(self, event: Input.Changed) -> None:
        findings = self.desk.check_note(event.value, self.app.lang)
        self.query_one("#lc-warning", Static).update(warning_text(findings, self.t))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "override":
            return self.refused  # shown once the rules have refused the contact
        return True

    def save(self, override=None) -> None:
        v = self.values()
        note = self.query_one("#lc-note", Input).value

        def job():
            return self.desk.log(
                Channel(v["channel"]),
                Outcome(v["outcome"]),
                direction=Direction(v["direction"]),
                party=Party(v["party"]),
                purpose=Purpose(v["purpose"]),
                note=note,
                override=override,
            )

        self.run_job("log-contact", job, self.dismiss)

    def show_error(self, exc) -> None:
        if isinstance(exc, ContactRefused):
            self.refused = True
            self.refresh_bindings()
            reasons = self.t(", ").join(b.words(self.t) for b in exc.decision.breaches)
            exc = self.t("Refused and recorded: {reasons}. Ctrl+O: a supervisor may override it.", reasons=reasons)
        super().show_error(exc)

    def action_save(self) -> None:
        self.save()

    def action_override(self) -> None:
        from .supervisor import SupervisorDialog

        def approved(override) -> None:
            if override is not None:
                self.save(override)

        self.app.push_screen(
            SupervisorDialog(
                self.t("Override the contact rules"), str(self.query_one("#lc-decision", Static).render())
            ),
            approved,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class FlagDialog(AgentModal):
    """Set or clear a flag (with a reason)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Set or clear", id="flag.save"),
        Binding("escape", "cancel", "Cancel", id="flag.cancel"),
    ]

    def __init__(self, desk: ContactDesk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        with Vertical(id="flag-box", classes="dialog"):
            yield Label("", id="flag-title", classes="section")
            yield Select(
                options(self.t, FLAGS, MANUAL_FLAGS), value=str(MANUAL_FLAGS[0]), allow_blank=False, id="flag-which"
            )
            yield Input(id="flag-reason")
            yield Static("", id="flag-now")
            yield Static("", id="status")
        yield TranslatedFooter()

    def apply_language(self) -> None:
        self.query_one("#flag-title", Label).update(self.t("Flags — Ctrl+S sets the flag, or clears it if set"))
        self.query_one("#flag-reason", Input).placeholder = self.t("Reason (required) — Enter confirms")
        flags = self.desk.flags()
        self.query_one("#flag-now", Static).update(
            self.t(
                "Set now: {flags}",
                flags=names(FLAGS, self.t, sorted(flags, key=list(Flag).index)) if flags else self.t("none"),
            )
        )

    @on(Input.Submitted, "#flag-reason")
    def _submit(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        flag = Flag(selected(self.query_one("#flag-which", Select)))
        reason = self.query_one("#flag-reason", Input).value
        on_now = flag not in self.desk.flags()
        self.run_job("flag", lambda: self.desk.set_flag(flag, on_now, reason), self.dismiss)

    def action_cancel(self) -> None:
        self.dismiss(None)
