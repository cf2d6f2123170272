"""Talk to an agent: the way out of the kiosk flow when no plan here suits (or none may be offered).

Nothing beyond kiosk authority is ever offered; this screen says how to reach
someone who may offer more, and records the referral in the audit log.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from plans.text.sanitize import clean

from .base import KioskScreen


class AgentScreen(KioskScreen):
    STEP = 0
    TITLE_ID = "Talk to an agent"
    AUTO_FOCUS = "#finish"

    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why

    def on_mount(self) -> None:
        self.session.referred(self.why)

    def compose(self) -> ComposeResult:
        t = self.t
        yield from self.header()
        with Vertical(classes="body"):
            yield Static(
                t(
                    "An agent can look at your case and may be able to offer more than this kiosk can. "
                    "Please go to the counter, or call us:"
                ),
                classes="lead",
            )
            for line in self.kiosk.policy.contact:
                yield Static(clean(line), classes="contact", markup=False)
            yield Static(t("When you press Finish, your details are cleared from this kiosk."), classes="note")
            yield Button(t("Finish"), id="finish", classes="big primary")
        yield from self.footer(start_over=False)

    @on(Button.Pressed, "#finish")
    def _finish(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.end_visit("referred to an agent", show_done=True, receipt=False)
