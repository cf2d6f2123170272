"""What every step screen shares: a title with the step number, the idle countdown, Start over."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Static

from installment_tui.screen_styles import StyledOnce

from ..widgets import Countdown

if TYPE_CHECKING:
    from plans.policy import Policy
    from plans.store import StoreApi

    from ..config import KioskConfig
    from ..session import KioskSession
    from ..steps import Step

TOTAL_STEPS = 8


class Kiosk(Protocol):
    """What the screens use of the kiosk app (:class:`installment_tui.kiosk.app.KioskApp`, which mypy
    checks against this): the visit, the configuration, and the way to another step by its name.
    Screens never import the app or one another; the app's flow table decides which screen shows a step."""

    store: StoreApi
    policy: Policy
    config: KioskConfig
    session: KioskSession | None
    lang: str
    db_path: Path | None
    retry_seconds: float
    clock: Callable[[], float]
    staff_failures: int
    staff_locked_until: float

    def t(self, message: str, /, **values: object) -> str: ...
    def goto(self, step: Step, *args: Any) -> None: ...
    def go_next(self, screen: KioskScreen, *args: Any) -> None: ...
    def go_back(self, screen: KioskScreen) -> None: ...
    def start_visit(self, lang: str) -> None: ...
    def end_visit(self, reason: str, show_done: bool = False, receipt: bool = True) -> None: ...
    def fault(self, error: BaseException, lang: str | None = None) -> None: ...
    def recovered(self) -> None: ...
    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None: ...


class KioskScreen(StyledOnce, Screen):
    """A kiosk screen: no minimize on Escape, no maximize, translated text through ``self.t``."""

    ESCAPE_TO_MINIMIZE = False
    #: Whether the idle countdown runs on this screen (not on the welcome screen).
    TIMED = True
    #: Step number shown in the title (0: none).
    STEP = 0
    TITLE_ID = ""

    @property
    def kiosk(self) -> Kiosk:
        return cast(Kiosk, self.app)

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
        """Back to the step before this one in the flow table (screens with a Back button)."""
        self.kiosk.go_back(self)
