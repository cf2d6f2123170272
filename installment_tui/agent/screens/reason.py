"""A small dialog asking for a reason (approving or rejecting an offer); returns the text or None.

Closing it with Esc keeps what was typed in ``drafts[key]`` (when the caller gives a
dict), and opening it again for the same key brings the text back: nothing typed is lost.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from .base import AgentModal


class ReasonScreen(AgentModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(
        self,
        title: str,
        required: bool,
        drafts: dict | None = None,
        key: object = None,
        required_message: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.required = required
        self.required_message = required_message
        self.drafts = drafts if drafts is not None else {}
        self.key = key

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box", classes="dialog"):
            yield Label("", id="reason-title", classes="section")
            yield Input(id="reason")
            yield Static("", id="status")

    def on_mount(self) -> None:
        field = self.query_one("#reason", Input)
        field.value = self.drafts.get(self.key, "")
        field.focus()

    def apply_language(self) -> None:
        self.query_one("#reason-title", Label).update(self.title_text)
        self.query_one("#reason", Input).placeholder = (
            self.t("Reason (required) — Enter confirms")
            if self.required
            else self.t("Reason (optional) — Enter confirms")
        )

    @on(Input.Submitted, "#reason")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.query_one("#status", Static).update(
                self.required_message or self.t("A reason is needed to reject an offer.")
            )
            return
        self.drafts.pop(self.key, None)
        self.dismiss(text)

    def action_cancel(self) -> None:
        text = self.query_one("#reason", Input).value
        if text:
            self.drafts[self.key] = text
        else:
            self.drafts.pop(self.key, None)
        self.dismiss(None)
