"""Kiosk-only widgets: the idle countdown and an on-screen keypad for touch screens."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button, Checkbox, Input, Static


class Countdown(Static):
    """'Time left: 87 s': how long until the session resets for lack of activity."""

    WARN_AT = 30

    def show(self, text: str, seconds: int) -> None:
        self.update(text)
        self.set_class(seconds <= self.WARN_AT, "warning")


class KeyButton(Button, can_focus=False):
    """A keypad key: pressing it types into the focused field without taking the focus.

    Every tap counts.  Textual's Button ignores a click during its 0.2 s "pressed" flash, so a debtor
    tapping the same key twice quickly (the two zeros of "100", the second "-" of a date) lost a
    character."""

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.press()


KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "-")
#: Only what a PIN takes.
PIN_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0")
#: What counts and amounts take (3500.50).
AMOUNT_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0")
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class Keypad(Grid):
    """Digits, X (ID cards), '-' (dates and references), delete and clear for the focused field.

    With ``letters=True`` (account numbers such as ``CC-000123``) an ``ABC`` key switches
    to the letters A-Z and ``123`` back, so a touch screen without a keyboard can type them.
    ``keys`` are the other keys: only what the screen's fields accept (:data:`PIN_KEYS` for a PIN).
    """

    def __init__(
        self, delete_label: str, clear_label: str, *, letters: bool = False, keys: tuple[str, ...] = KEYS, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._labels = (delete_label, clear_label)
        self._letters = letters
        self._keys = keys

    def compose(self) -> ComposeResult:
        for key in self._keys:
            yield KeyButton(key, classes="key digit", name=key)
        if self._letters:
            for key in LETTERS:
                yield KeyButton(key, classes="key letter", name=f"letter-{key}")
        yield KeyButton(self._labels[0], classes="key wide", name="delete")
        yield KeyButton(self._labels[1], classes="key wide", name="clear")
        if self._letters:
            yield KeyButton("ABC", classes="key wide", name="mode")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = event.button.name or ""
        if name == "mode":
            letters = not self.has_class("-letters")
            self.set_class(letters, "-letters")
            event.button.label = "123" if letters else "ABC"
            return
        target = self.screen.focused
        if not isinstance(target, Input):
            return
        if name == "delete":
            target.action_delete_left()
        elif name == "clear":
            target.clear()
        else:
            target.insert_text_at_cursor(name.removeprefix("letter-"))


class TickBox(Checkbox):
    """A checkbox whose state shows without colour: an empty box unticked, a tick mark ticked."""

    @property
    def _button(self):  # Textual's ToggleButton draws BUTTON_INNER in both states, only the colour differs
        self.BUTTON_INNER = "✔" if self.value else " "
        return super()._button
