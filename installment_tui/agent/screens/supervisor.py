"""A supervisor's approval in the console: who approves (signing in here, unless the console's user is a
supervisor) and why.  Returns a :class:`plans.store.conduct.Override`, or None when cancelled.

Used to override a contact rule and to approve a complaint's second extension: the
store checks again that the user is an active supervisor, and the audit names them.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Static

from plans.text.sanitize import clean
from plans.store.conduct import Override

from .base import AgentModal


class SupervisorDialog(AgentModal[Override | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="supervisor.cancel")]

    def __init__(self, title: str, why: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.why = why

    @property
    def signed_in_supervisor(self) -> bool:
        return self.app.role == "supervisor"

    def compose(self) -> ComposeResult:
        with Vertical(id="supervisor-box", classes="dialog"):
            yield Label("", id="supervisor-title", classes="section")
            yield Static("", id="supervisor-why")
            if not self.signed_in_supervisor:
                yield Input(id="supervisor-name")
                yield Input(id="supervisor-password", password=True)
            yield Input(id="supervisor-reason")
            yield Static("", id="status")

    def on_mount(self) -> None:
        first = "#supervisor-reason" if self.signed_in_supervisor else "#supervisor-name"
        self.query_one(first, Input).focus()

    def apply_language(self) -> None:
        t = self.t
        self.query_one("#supervisor-title", Label).update(escape(self.title_text))
        who = (
            t("You approve this as supervisor {name}.", name=clean(self.session.store.actor))
            if self.signed_in_supervisor
            else t("A supervisor signs in here to approve it.")
        )
        self.query_one("#supervisor-why", Static).update(escape(clean(self.why) + "\n" + who if self.why else who))
        if not self.signed_in_supervisor:
            self.query_one("#supervisor-name", Input).placeholder = t("Supervisor's name")
            self.query_one("#supervisor-password", Input).placeholder = t("Supervisor's password")
        self.query_one("#supervisor-reason", Input).placeholder = t("Reason (required) — Enter confirms")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "supervisor-name":
            self.query_one("#supervisor-password", Input).focus()
            return
        if event.input.id == "supervisor-password":
            self.query_one("#supervisor-reason", Input).focus()
            return
        reason = self.query_one("#supervisor-reason", Input).value.strip()
        if not reason:
            self.show_error(self.t("A reason is needed."))
            return
        session = self.session
        if self.signed_in_supervisor:
            from plans.store import User

            self.dismiss(Override(User(session.store.actor, "supervisor"), reason))
            return
        name = self.query_one("#supervisor-name", Input).value.strip()
        password = self.query_one("#supervisor-password", Input).value
        from ..contact import ContactDesk

        desk = ContactDesk(session)

        def done(override: Override) -> None:
            self.dismiss(override)

        def failed_clear() -> None:
            self.query_one("#supervisor-password", Input).value = ""

        self._on_error = failed_clear
        self.run_job("supervisor", lambda: desk.supervisor_override(name, password, reason), done)

    def show_error(self, exc) -> None:
        super().show_error(exc)
        hook = getattr(self, "_on_error", None)
        if hook is not None:
            hook()

    def action_cancel(self) -> None:
        self.dismiss(None)
