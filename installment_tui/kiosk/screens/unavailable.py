"""Temporarily unavailable: what the kiosk shows after a fault (a busy or broken database, a full disk).

By the time it shows, the visit is already forgotten (:meth:`KioskApp.fault`).  It
says so calmly in the visit's language (in all three when there was no visit), and
tries the database again every few seconds in a thread; when it works, the welcome
screen comes back.  Staff can still leave the kiosk from here (F12 or Staff).
"""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from installment_tui.i18n import ui_translator
from plans.text.i18n import LANGS

from ..steps import Step
from .base import KioskScreen


class UnavailableScreen(KioskScreen):
    TIMED = False
    TITLE_ID = "Temporarily unavailable"
    BINDINGS = [Binding("f12", "staff", show=False, id="kiosk.staff")]

    def __init__(self, lang: str | None) -> None:
        super().__init__()
        self.lang = lang
        self._checking: asyncio.Task | None = None

    def compose(self) -> ComposeResult:
        langs = (self.lang,) if self.lang else LANGS
        words = [ui_translator("kiosk", lang) for lang in langs]
        yield Static(" · ".join(t("Temporarily unavailable") for t in words), classes="title")
        with VerticalScroll(classes="body"):
            for t in words:
                yield Static(
                    t("This kiosk cannot help you right now. Your details have been cleared from it."), classes="lead"
                )
                yield Static(
                    t("Please try again in a few minutes, or go to the counter. We are sorry for the wait."),
                    classes="note",
                )
        with Horizontal(classes="footer"):
            yield Static("", classes="spacer")
            yield Button("Staff · 工作人员", id="staff", classes="staff")

    def on_mount(self) -> None:
        self.set_interval(self.kiosk.retry_seconds, self.retry, name="kiosk-retry")

    def retry(self) -> None:
        """Try the database in a thread (it may wait for a lock) unless a try is still running."""
        if self._checking is None or self._checking.done():
            self._checking = asyncio.get_running_loop().create_task(self._check())

    async def _check(self) -> None:
        try:
            await asyncio.to_thread(self.kiosk.store.check_available)
        except Exception:  # noqa: BLE001 - still unavailable: try again later
            return
        if self.is_attached:
            self.kiosk.recovered()

    def on_unmount(self) -> None:
        if self._checking is not None and not self._checking.done():
            self._checking.cancel()
        self._checking = None

    @on(Button.Pressed, "#staff")
    def _staff(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_staff()

    def action_staff(self) -> None:
        self.kiosk.goto(Step.STAFF)
