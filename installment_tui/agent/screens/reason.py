"""A small dialog asking for a reason (approving or rejecting an offer); returns the text or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from .base import AgentModal


class ReasonScreen(AgentModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(self, title: str, required: bool) -> None:
        super().__init__()
        self.title_text = title
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box", classes="dialog"):
            yield Label("", id="reason-title", classes="section")
            yield Input(id="reason")
            yield Static("", id="status")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def apply_language(self) -> None:
        self.query_one("#reason-title", Label).update(self.title_text)
        self.query_one("#reason", Input).placeholder = (
            self.t("Reason (required) — Enter confirms") if self.required
            else self.t("Reason (optional) — Enter confirms"))

    @on(Input.Submitted, "#reason")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.query_one("#status", Static).update(self.t("A reason is needed to reject an offer."))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
