"""Step 2: identify with the account number, the last four characters of the ID card and the birth date.

Wrong answers never say which part was wrong.  Five in a row lock the account for
15 minutes in the store (``Store.identify``), so restarting the kiosk does not help.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from calc.errors import InvalidInputs

from ..widgets import Keypad
from ..steps import Step
from .base import KioskScreen

FIELDS = ("ref", "last4", "birth")


class IdentifyScreen(KioskScreen):
    STEP = 2
    TITLE_ID = "Tell us who you are"
    AUTO_FOCUS = "#ref"

    def compose(self) -> ComposeResult:
        t = self.t
        yield from self.header()
        with Horizontal(classes="body"):
            with Vertical(classes="form"):
                yield Static(t("We need three things to find your account. Nobody else can see them."), classes="lead")
                yield Label(t("Account number (on your card or letter)"), classes="field-label")
                yield Input(id="ref", max_length=64, placeholder="CC-000000")
                yield Label("", id="ref-error", classes="field-error")
                yield Label(t("Last 4 characters of your ID card"), classes="field-label")
                yield Input(id="last4", max_length=4, password=True, restrict=r"[0-9xX]*", placeholder="····")
                yield Label("", id="last4-error", classes="field-error")
                yield Label(t("Birth date (year-month-day)"), classes="field-label")
                yield Input(id="birth", max_length=10, restrict=r"[0-9./-]*", placeholder=t("e.g. 1990-01-31"))
                yield Label("", id="birth-error", classes="field-error")
                yield Static("", id="result", classes="result")
                yield Button(t("Continue"), id="continue", classes="big primary")
            yield Keypad(t("Delete"), t("Clear"), letters=True, classes="keypad")
        yield from self.footer()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        index = FIELDS.index(event.input.id or "ref")
        if index + 1 < len(FIELDS):
            self.query_one(f"#{FIELDS[index + 1]}", Input).focus()
        else:
            self.submit()

    @on(Button.Pressed, "#continue")
    def _continue(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        t = self.t
        values = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
        for f in FIELDS:
            self.query_one(f"#{f}-error", Label).update("")
        result = self.query_one("#result", Static)
        result.remove_class("error")
        try:
            outcome = self.session.identify(values["ref"], values["last4"], values["birth"])
        except InvalidInputs as exc:
            for p in exc.problems:
                self.query_one(f"#{p.field}-error", Label).update(t(p.message))
            self.query_one(f"#{exc.problems[0].field}", Input).focus()
            return
        if outcome.ok:
            view = self.session.agreement()  # a plan already: how it stands, not a new one
            if view is not None:
                self.kiosk.goto(Step.PLAN, view)
            else:
                self.kiosk.go_next(self)
            return
        # Wrong or locked: clear the secret parts and say nothing about which part was wrong.
        self.query_one("#last4", Input).clear()
        self.query_one("#birth", Input).clear()
        result.add_class("error")
        if outcome.paused_minutes:
            result.update(
                t(
                    "This kiosk cannot check details for a few minutes. Please try again in {minutes} "
                    "minutes, or go to the counter.",
                    minutes=outcome.paused_minutes,
                )
            )
        elif outcome.locked_minutes:
            result.update(
                t(
                    "For your safety, this account is locked after too many tries. Please try again "
                    "in {minutes} minutes, or talk to an agent.",
                    minutes=outcome.locked_minutes,
                )
            )
        else:
            result.update(
                t(
                    "We could not confirm these details. Please check them and try again. Tries left: {n}.",
                    n=outcome.tries_left,
                )
            )
        self.query_one("#ref", Input).focus()
