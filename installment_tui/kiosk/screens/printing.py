"""Step 7: print the receipt (printer command or spool folder) and show it on screen too."""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from ..printing import Delivery, deliver
from .base import KioskScreen


class PrintScreen(KioskScreen):
    STEP = 7
    TITLE_ID = "Your receipt"
    AUTO_FOCUS = "#finish"

    def compose(self) -> ComposeResult:
        t = self.t
        s = self.session
        yield from self.header()
        with Horizontal(classes="body"):
            with VerticalScroll(classes="receipt-box"):
                yield Static(s.receipt or "", classes="receipt", markup=False)
            with VerticalScroll(classes="form"):
                yield Static(t("Your plan is agreed. Agreement number: {n}.", n=s.agreement_id), classes="lead")
                yield Static(t("Printing your receipt ..."), id="status", classes="result")
                yield Button(t("Print again"), id="again", classes="big", disabled=True)
                yield Button(t("Finish"), id="finish", classes="big primary")
        yield from self.footer(start_over=False)

    _printing: asyncio.Task | None = None

    def on_mount(self) -> None:
        self.print_receipt()

    def print_receipt(self) -> None:
        """Deliver the receipt in a thread (a printer command may be slow) without blocking the screen.

        A plain task rather than a Textual worker: a finished worker stays referenced from the
        app's context until the next one starts, and with it this screen and the receipt.
        """
        s = self.kiosk.session
        if s is None or s.receipt is None or (self._printing is not None and not self._printing.done()):
            return
        args = (s.receipt, self.kiosk.config, self.kiosk.db_path, s.agreement_id)
        self._printing = asyncio.get_running_loop().create_task(self._deliver(*args))

    async def _deliver(self, *args) -> None:
        result = await asyncio.to_thread(deliver, *args)
        try:
            self.printed(result)
        except Exception as exc:  # noqa: BLE001 - a plain task: its errors would reach no handler
            self.kiosk.fault(exc)

    async def wait_printed(self) -> None:
        if self._printing is not None:
            await asyncio.shield(self._printing)

    def on_unmount(self) -> None:
        if self._printing is not None and not self._printing.done():
            self._printing.cancel()
        self._printing = None

    def printed(self, result: Delivery) -> None:
        s = self.kiosk.session
        if s is None or not self.is_attached:
            return
        status = self.query_one("#status", Static)
        self.query_one("#again", Button).disabled = False
        if result.ok:
            status.remove_class("error")
            status.update(self.t("Please take your receipt."))
            s.store.audit(
                "kiosk.receipt_printed",
                "agreement",
                str(s.agreement_id),
                None,
                {"to": "printer" if self.kiosk.config.printer_command else "spool"},
            )
        else:
            status.add_class("error")
            status.update(
                self.t("The receipt could not be printed. Your plan is saved. Please ask a member of staff for a copy.")
            )
            s.store.audit("kiosk.receipt_failed", "agreement", str(s.agreement_id), None, {"error": result.error})

    @on(Button.Pressed, "#again")
    def _again(self, event: Button.Pressed) -> None:
        event.stop()
        event.button.disabled = True
        self.query_one("#status", Static).update(self.t("Printing your receipt ..."))
        self.print_receipt()

    @on(Button.Pressed, "#finish")
    def _finish(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.end_visit("completed", show_done=True)
