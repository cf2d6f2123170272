"""Kiosk-only widgets: the idle countdown and an on-screen keypad for touch screens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button, Input, Static


class Countdown(Static):
    """'Time left: 87 s': how long until the session resets for lack of activity."""

    WARN_AT = 30

    def show(self, text: str, seconds: int) -> None:
        self.update(text)
        self.set_class(seconds <= self.WARN_AT, "warning")


class KeyButton(Button, can_focus=False):
    """A keypad key: pressing it types into the focused field without taking the focus."""


KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "-")


class Keypad(Grid):
    """Digits, X (ID cards), '-' (dates and references), delete and clear for the focused field."""

    def __init__(self, delete_label: str, clear_label: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._labels = (delete_label, clear_label)

    def compose(self) -> ComposeResult:
        for key in KEYS:
            yield KeyButton(key, classes="key", name=key)
        yield KeyButton(self._labels[0], classes="key wide", name="delete")
        yield KeyButton(self._labels[1], classes="key wide", name="clear")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        target = self.screen.focused
        if not isinstance(target, Input):
            return
        name = event.button.name or ""
        if name == "delete":
            target.action_delete_left()
        elif name == "clear":
            target.clear()
        else:
            target.insert_text_at_cursor(name)
