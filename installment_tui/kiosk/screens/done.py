"""Step 8: done.  By the time this shows, the visit is already forgotten; it returns to welcome."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from installment_tui.i18n import ui_translator

from .base import KioskScreen


class DoneScreen(KioskScreen):
    STEP = 8
    TITLE_ID = "Thank you"
    IS_DONE = True
    AUTO_FOCUS = "#home"

    def __init__(self, lang: str, receipt: bool = True) -> None:
        super().__init__()
        self.lang = lang
        self.receipt = receipt

    def t(self, message: str, /, **values: object) -> str:
        return ui_translator("kiosk", self.lang)(message, **values)

    def compose(self) -> ComposeResult:
        t = self.t
        yield from self.header()
        with Vertical(classes="body"):
            yield Static(t("Your details have been cleared from this kiosk."), classes="lead")
            if self.receipt:  # not after a referral to an agent: nothing was printed
                yield Static(t("Keep your receipt safe. If you have questions, call the number on it."), classes="note")
            yield Button(t("Back to the start"), id="home", classes="big primary")
        yield from self.footer(start_over=False)

    def show_countdown(self, seconds: int) -> None:
        from ..widgets import Countdown

        for widget in self.query(Countdown):
            widget.show(self.t("Back to the start in {s} s.", s=seconds), seconds)

    @on(Button.Pressed, "#home")
    def _home(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.end_visit("done")
