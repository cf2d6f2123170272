"""Sign in: who is using the console.  The role (agent or supervisor) comes from the user's account.

The password is checked in a worker (600,000 PBKDF2 iterations take a moment) and
both outcomes are audited (``Store.authenticate``); a wrong name or password says
nothing about which was wrong, and the next try waits a second.  On success the
app opens the store as that user (:meth:`AgentApp.signed_in`).
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, Static

from calc.errors import InstallmentError
from installment_tui.widgets.footer import TranslatedFooter
from plans.demo_data import DEMO_PASSWORD
from plans.store import NotAllowed

from .base import AgentScreen

#: Seconds a failed sign-in waits before it answers (guessing is slow).
FAILURE_DELAY = 1.0


class SignInScreen(AgentScreen):
    BINDINGS: ClassVar[list[BindingType]] = []  # Tab and Shift+Tab move between the fields, as everywhere
    AUTO_FOCUS = "#signin-name"

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.prefill = name

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin-box", classes="dialog"):
            yield Label("", id="signin-title", classes="section")
            yield Label("", id="signin-name-label")
            yield Input(self.prefill, id="signin-name", max_length=40)
            yield Label("", id="signin-password-label")
            yield Input(id="signin-password", password=True, max_length=128)
            yield Static("", id="status")
            yield Static("", id="signin-hint")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        super().on_mount()
        if self.prefill:
            self.query_one("#signin-password", Input).focus()

    def apply_language(self) -> None:
        t = self.t
        self.query_one("#signin-title", Label).update(t("Sign in — Enter confirms"))
        self.query_one("#signin-name-label", Label).update(t("Name"))
        self.query_one("#signin-password-label", Label).update(t("Password"))
        store = self.app.store
        try:
            users, demo = store.users(), store.demo_users()
        except InstallmentError as exc:
            self.show_error(exc)
            return
        hint = ""
        if not users:
            hint = t(
                "No users yet: add one with `installment users add NAME --role supervisor` (or build the "
                "demo database with `installment demo-data`)."
            )
        elif demo:  # the demo users' password is in the README; a demo database may say it too
            hint = t(
                "Demo database: sign in as {names}, password {password}.", names=", ".join(demo), password=DEMO_PASSWORD
            )
        self.query_one("#signin-hint", Static).update(hint)

    @on(Input.Submitted, "#signin-name")
    def _name_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#signin-password", Input).focus()

    @on(Input.Submitted, "#signin-password")
    def _password_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.sign_in()

    def sign_in(self) -> None:
        name = self.query_one("#signin-name", Input).value.strip()
        password_field = self.query_one("#signin-password", Input)
        password = password_field.value
        password_field.value = ""
        if not name or not password:
            self.show_error(self.t("Type your name and your password."))
            return
        store = self.app.store

        def job():
            try:
                return store.authenticate(name, password, where="console")
            except NotAllowed:
                time.sleep(FAILURE_DELAY)
                raise

        def done(user) -> None:
            self.app.signed_in(user)

        self.show_status(self.t("Checking…"))
        self.run_job("sign-in", job, done)

    def error_text(self, exc: BaseException) -> str:
        if isinstance(exc, NotAllowed):
            return self.t("Wrong name or password.")
        return super().error_text(exc)
