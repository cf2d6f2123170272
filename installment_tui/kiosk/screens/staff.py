"""Staff exit: the only way to leave the kiosk, with the PIN whose salted hash is in the configuration.

Five wrong PINs in a row disable the staff exit for 15 minutes (kept in memory:
restarting needs the machine anyway).  Every attempt is recorded in the audit log;
when the database cannot record it (the kiosk is unavailable), the attempt is logged
instead and the staff exit still works, so staff can stop a kiosk whose database fails.
"""

from __future__ import annotations

import logging

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from installment_tui.faults import describe

from ..config import verify_pin
from ..widgets import PIN_KEYS, Keypad
from .base import KioskScreen

log = logging.getLogger("installment.kiosk")

MAX_PIN_FAILURES = 5
PIN_LOCK_SECONDS = 15 * 60


class StaffScreen(KioskScreen):
    TITLE_ID = "Staff"
    AUTO_FOCUS = "#pin"

    def compose(self) -> ComposeResult:
        yield Static("Staff · 工作人员", classes="title")
        with Horizontal(classes="body"):
            with Vertical(classes="form"):
                if not self.kiosk.config.staff_exit:
                    yield Static(
                        "No staff PIN is configured: the kiosk cannot be left from here. 未配置工作人员密码。",
                        classes="result error",
                    )
                yield Label("PIN · 密码", classes="field-label")
                yield Input(id="pin", password=True, max_length=32, restrict=r"[0-9]*")
                yield Static("", id="result", classes="result")
                with Horizontal(classes="actions"):
                    yield Button("Exit kiosk · 退出", id="exit", classes="big danger")
                    yield Button("Cancel · 取消", id="cancel", classes="big primary")
            yield Keypad("⌫", "C", keys=PIN_KEYS, classes="keypad")
        with Horizontal(classes="footer"):
            yield Static("", id="countdown")

    def _audit(self, action: str, after: dict | None) -> None:
        app = self.kiosk
        try:
            app.store.audit(action, "kiosk", app.config.kiosk_id, None, after)
        except Exception as exc:  # noqa: BLE001 - the staff exit works while the database does not
            log.error("%s not recorded in the audit log: %s", action, describe(exc))

    def show_countdown(self, seconds: int) -> None:
        self.query_one("#countdown", Static).update(f"{seconds} s")

    @on(Input.Submitted, "#pin")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.try_exit()

    @on(Button.Pressed, "#exit")
    def _exit(self, event: Button.Pressed) -> None:
        event.stop()
        self.try_exit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.end_visit("staff cancelled")

    def try_exit(self) -> None:
        app = self.kiosk
        pin_input = self.query_one("#pin", Input)
        pin = pin_input.value
        pin_input.clear()
        result = self.query_one("#result", Static)
        result.add_class("error")
        now = app.clock()
        if now < app.staff_locked_until:
            minutes = int((app.staff_locked_until - now) // 60) + 1
            result.update(f"Locked: try again in {minutes} min · 已锁定")
            return
        if verify_pin(pin, app.config.pin_hash):
            app.staff_failures = 0
            self._audit("kiosk.staff_exit", None)
            app.exit()
            return
        app.staff_failures += 1
        self._audit("kiosk.staff_pin_failed", {"failures": app.staff_failures})
        if app.staff_failures >= MAX_PIN_FAILURES:
            app.staff_failures = 0
            app.staff_locked_until = now + PIN_LOCK_SECONDS
            result.update("Too many wrong PINs: locked for 15 min · 已锁定 15 分钟")
        else:
            result.update("Wrong PIN · 密码错误")
