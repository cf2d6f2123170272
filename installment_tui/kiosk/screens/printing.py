"""Step 7: print the receipt (printer command or spool folder) and show it on screen too."""

from __future__ import annotations

from textual import on, work
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

    def on_mount(self) -> None:
        self.print_receipt()

    @work(thread=True, exclusive=True, group="kiosk-print")
    def print_receipt(self) -> None:
        s = self.kiosk.session
        if s is None or s.receipt is None:
            return
        result = deliver(s.receipt, self.kiosk.config, self.kiosk.db_path, s.agreement_id)
        self.app.call_from_thread(self.printed, result)

    def printed(self, result: Delivery) -> None:
        s = self.kiosk.session
        if s is None or not self.is_attached:
            return
        status = self.query_one("#status", Static)
        self.query_one("#again", Button).disabled = False
        if result.ok:
            status.remove_class("error")
            status.update(self.t("Please take your receipt."))
            s.store.audit("kiosk.receipt_printed", "agreement", str(s.agreement_id), None,
                          {"to": "printer" if self.kiosk.config.printer_command else "spool"})
        else:
            status.add_class("error")
            status.update(self.t("The receipt could not be printed. Your plan is saved. Please ask a member "
                                 "of staff for a copy."))
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
