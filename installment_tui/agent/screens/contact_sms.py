"""Write an SMS to the debtor: checked as it is typed; sending is blocked while the checker finds a harmful
phrase or a figure that is not the account's, and refused (recorded) when the contact rules forbid an SMS
now, unless a supervisor overrides.  A sent SMS is written to the output folder for the gateway and logged."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Label, Static, TextArea

from installment_tui.widgets.footer import TranslatedFooter
from plans.conduct.vocabulary import Channel
from plans.text.sanitize import clean

from ..contact import ContactDesk, ContactRefused, SmsBlocked
from .base import AgentModal
from .contact_texts import decision_text, warning_text


class SmsDialog(AgentModal):
    BINDINGS = [
        Binding("ctrl+s", "send", "Send SMS", id="sms.send"),
        Binding("ctrl+o", "override", "Supervisor override", id="sms.override"),
        Binding("escape", "close", "Close", id="sms.close"),
    ]

    def __init__(self, desk: ContactDesk) -> None:
        super().__init__()
        self.desk = desk
        self.refused = False

    @property
    def drafts(self) -> dict[str, str]:
        return self.session.sms_drafts

    def compose(self) -> ComposeResult:
        with Vertical(id="sms-dialog", classes="dialog"):
            yield Label("", id="sms-heading", classes="section")
            yield TextArea(self.drafts.get(self.desk.ref, ""), id="sms-text", soft_wrap=True)
            yield Static("", id="sms-check")
            yield Static("", id="sms-rule")
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sms-text", TextArea).focus()

    def apply_language(self) -> None:
        self.query_one("#sms-heading", Label).update(
            escape(
                self.t(
                    "SMS to {ref} — checked as you type; Ctrl+S sends, Esc closes (the text is kept)",
                    ref=clean(self.desk.ref),
                )
            )
        )
        self.show_check()
        decision = self.desk.decision(Channel.SMS)
        self.query_one("#sms-rule", Static).update(
            ("✔ " if decision.allowed else "✘ ") + escape(decision_text(decision, self.t))
        )

    @property
    def text(self) -> str:
        return self.query_one("#sms-text", TextArea).text

    def show_check(self) -> tuple:
        findings = self.desk.check(self.text, self.app.lang)
        box = self.query_one("#sms-check", Static)
        if findings:
            out = warning_text(findings, self.t)
            out.append(self.t("Sending is blocked until these are changed."), style="bold red")
            box.update(out)
        else:
            box.update(self.t("No harmful phrasing found.") if self.text.strip() else "")
        return findings

    @on(TextArea.Changed, "#sms-text")
    def _changed(self, event: TextArea.Changed) -> None:
        self.drafts[self.desk.ref] = event.text_area.text
        self.refused = False
        self.refresh_bindings()
        self.show_check()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "override":
            return self.refused  # shown once the rules have refused the SMS
        return True

    def send(self, override=None) -> None:
        if self.show_check():
            self.show_error(self.t("Not sent: change the phrases marked above first."))
            return
        text, lang, out = self.text, self.app.lang, self.app.out_dir

        def done(sent) -> None:
            self.drafts.pop(self.desk.ref, None)
            self.app.notify(escape(self.t("Written: {path}", path=str(sent.path))), timeout=4)
            self.dismiss(sent)

        self.run_job("sms", lambda: self.desk.send_sms(text, lang, out, override), done)

    def show_error(self, exc) -> None:
        if isinstance(exc, ContactRefused):
            self.refused = True
            self.refresh_bindings()
            reasons = self.t(", ").join(b.words(self.t) for b in exc.decision.breaches)
            exc = self.t("Refused and recorded: {reasons}. Ctrl+O: a supervisor may override it.", reasons=reasons)
        elif isinstance(exc, SmsBlocked):
            exc = self.t("Not sent: change the phrases marked above first.")
        super().show_error(exc)

    def action_send(self) -> None:
        self.send()

    def action_override(self) -> None:
        from .supervisor import SupervisorDialog

        def approved(override) -> None:
            if override is not None:
                self.send(override)

        self.app.push_screen(
            SupervisorDialog(self.t("Override the contact rules"), str(self.query_one("#sms-rule", Static).render())),
            approved,
        )

    def action_close(self) -> None:
        self.dismiss(None)
