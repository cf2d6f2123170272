"""What every step screen shares: a title with the step number, the idle countdown, Start over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Static

from ..widgets import Countdown

if TYPE_CHECKING:
    from textual import getters

    from ..app import KioskApp
    from ..session import KioskSession

TOTAL_STEPS = 8


class KioskScreen(Screen):
    """A kiosk screen: no minimize on Escape, no maximize, translated text through ``self.t``."""

    ESCAPE_TO_MINIMIZE = False
    #: Whether the idle countdown runs on this screen (not on the welcome screen).
    TIMED = True
    #: Step number shown in the title (0: none).
    STEP = 0
    TITLE_ID = ""

    if TYPE_CHECKING:  # the kiosk app these screens are shown in (as Textual's MessagePump declares its app)
        app = getters.app(KioskApp)

    @property
    def kiosk(self) -> "KioskApp":
        return self.app

    @property
    def session(self) -> "KioskSession":
        session = self.kiosk.session
        if session is None:
            raise RuntimeError("no visit in progress")
        return session

    def t(self, message: str, /, **values: object) -> str:
        return self.kiosk.t(message, **values)

    def header(self) -> ComposeResult:
        title = self.t(self.TITLE_ID)
        if self.STEP:
            yield Static(self.t("Step {n} of {total}", n=self.STEP, total=TOTAL_STEPS), classes="step")
        yield Static(title, classes="title")

    def footer(self, back: bool = False, start_over: bool = True) -> ComposeResult:
        with Horizontal(classes="footer"):
            if back:
                yield Button(self.t("Back"), id="back", classes="nav")
            yield Countdown("", id="countdown")
            if start_over:
                yield Button(self.t("Start over"), id="start-over", classes="nav danger")

    def show_countdown(self, seconds: int) -> None:
        for widget in self.query(Countdown):
            widget.show(self.t("Time left: {s} s. Touch the screen or press a key to continue.", s=seconds), seconds)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start-over":
            event.stop()
            self.kiosk.end_visit("abandoned")
        elif event.button.id == "back":
            event.stop()
            self.go_back()

    def go_back(self) -> None:
        """Overridden by screens with a Back button."""
