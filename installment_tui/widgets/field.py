"""An input that validates as you type and says what is wrong beside it.

``ValidatedField(name, label, check, value=...)``: ``check(text)`` returns None
when the text is fine, else the message to show beside the field.  Every change
posts :class:`ValidatedField.Changed` (name, value, error) upward; the text typed
is kept as it is, valid or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Label, Static

from installment_tui.faults import KeepRunning


class ValidatedField(KeepRunning, Horizontal):
    DEFAULT_CSS = """
    ValidatedField { height: auto; width: 1fr; }
    ValidatedField > .field--label { width: 18; padding: 1 1 0 0; text-align: right; }
    ValidatedField > Input { width: 22; }
    ValidatedField > .field--message { width: 1fr; padding: 1 0 0 1; color: $text-muted; }
    ValidatedField.-invalid > .field--message { color: $error; text-style: bold; }
    ValidatedField.-invalid > Input { border: tall $error; }
    ValidatedField.-stacked { layout: vertical; }
    ValidatedField.-stacked > .field--label { width: 1fr; padding: 0; text-align: left; }
    ValidatedField.-stacked > Input { width: 1fr; }
    ValidatedField.-stacked > .field--message { width: 1fr; padding: 0; height: auto; }
    """

    @dataclass
    class Changed(Message):
        field: "ValidatedField"
        name: str
        value: str
        error: str | None

        @property
        def control(self) -> "ValidatedField":
            return self.field

    label: reactive[str] = reactive("")
    hint: reactive[str] = reactive("")
    error: reactive[str | None] = reactive(None)

    def __init__(
        self,
        name: str,
        label: str,
        check: Callable[[str], str | None],
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(id=id or f"field-{name.replace('.', '-')}", classes=classes)
        self.field_name = name
        self._compact = compact
        self.check = check
        self._value = value
        self._placeholder = placeholder
        self.set_reactive(ValidatedField.label, label)
        self.set_reactive(ValidatedField.hint, hint)

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field--label", markup=False)
        yield Input(self._value, placeholder=self._placeholder, id=f"{self.id}-input", compact=self._compact)
        yield Static("", classes="field--message", markup=False)

    def on_mount(self) -> None:
        self.error = self.check(self._value)
        self._show()

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    @property
    def valid(self) -> bool:
        return self.error is None

    def revalidate(self) -> str | None:
        self.error = self.check(self.value)
        return self.error

    def watch_label(self, text: str) -> None:
        if self.is_mounted:
            self.query_one(".field--label", Label).update(text)

    def watch_hint(self) -> None:
        self._show()

    def watch_error(self) -> None:
        self._show()

    def _show(self) -> None:
        # Not ``is_mounted``: that is still False while ``on_mount`` runs, and a message
        # skipped there would never show (setting the same error again does not call the watcher).
        for message in self.query(".field--message").results(Static):
            self.set_class(self.error is not None, "-invalid")
            message.update(self.error or self.hint)
            # a stacked field's message line takes no row while there is nothing to say
            message.display = bool(self.error or self.hint) or not self.has_class("-stacked")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.error = self.check(event.value)
        self.post_message(self.Changed(self, self.field_name, event.value, self.error))
