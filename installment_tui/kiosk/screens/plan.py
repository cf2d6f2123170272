"""Step 3 for a debtor who already has a plan: what is paid, what is due next, anything overdue;
print a statement.  A plan that has ended sends them to an agent, in words that blame no one.

Shown instead of "what you owe" when the identified account has an agreement: the kiosk
never makes a second plan (a new plan for an account with one is a re-plan, an agent's work).
"""

from __future__ import annotations

import asyncio

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from plans.text.formatting import formats
from plans.servicing.vocabulary import Status

from ..printing import Delivery, deliver
from ..steps import Step
from .base import KioskScreen


class PlanScreen(KioskScreen):
    STEP = 3
    TITLE_ID = "Your repayment plan"
    AUTO_FOCUS = "#print, #agent, #finish"

    def __init__(self, view) -> None:
        super().__init__()
        self.view = view
        self._printing: asyncio.Task | None = None

    def compose(self) -> ComposeResult:
        t, s, view = self.t, self.session, self.view
        st = view.standing
        f = formats(s.lang)
        m = lambda v: f.money(v, view.currency)
        yield from self.header()
        with VerticalScroll(classes="body"):
            yield Static(
                t("Your plan (agreement {n}), as of {date}.", n=view.id, date=f.date(st.as_of)), classes="lead"
            )
            table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 4))
            table.add_column()
            table.add_column(justify="right")
            table.add_row(
                t("Paid so far"),
                Text(t("{paid} of {total}", paid=m(st.paid), total=m(view.schedule.total)), style="bold"),
            )
            table.add_row(
                t("Installments paid"), t("{paid} of {total}", paid=st.installments_paid, total=st.installments_total)
            )
            if st.status.in_force and st.next_due is not None:
                table.add_row(
                    t("Next payment"),
                    Text(t("{amount} by {date}", amount=m(st.next_amount), date=f.date(st.next_due)), style="bold"),
                )
            if st.status.in_force and st.arrears:
                table.add_row(Text(t("Overdue now"), style="bold"), Text(m(st.arrears), style="bold"))
            if st.credit:
                table.add_row(t("Paid beyond the total (kept for you)"), m(st.credit))
            yield Static(table, classes="debt")
            yield Static(
                self._message(st), id="plan-message", classes="result" if st.status.in_force else "result error"
            )
            yield Static("", id="status", classes="note")
            with Horizontal(classes="actions"):
                if st.status in (Status.BROKEN, Status.CANCELLED):
                    yield Button(t("Talk to an agent"), id="agent", classes="big primary")
                    yield Button(t("Print a statement"), id="print", classes="big")
                else:
                    yield Button(t("Print a statement"), id="print", classes="big primary")
                    yield Button(t("Talk to an agent"), id="agent", classes="big")
                yield Button(t("Finish"), id="finish", classes="big")
        yield from self.footer()

    def _message(self, st) -> str:
        t = self.t
        if st.status is Status.BROKEN:
            return t(
                "This plan has ended because some installments were not paid in full in time. That can "
                "happen when things get hard. An agent can look at your situation now and make a new plan "
                "with you."
            )
        if st.status is Status.CANCELLED:
            return t("This plan was cancelled. An agent can tell you what happens next and help you with a new plan.")
        if st.status is Status.COMPLETED:
            return t("This plan is paid off. Thank you.")
        if st.status is Status.IN_ARREARS:
            return t(
                "Part of your plan is overdue. Paying the overdue amount puts your plan back on track. "
                "If you cannot pay it, an agent can help."
            )
        if st.status is Status.IN_GRACE:
            return t("An installment is overdue. Please pay it soon to keep your plan on track.")
        return t("Your plan is on track.")

    # -- printing the statement -------------------------------------------------------
    @on(Button.Pressed, "#print")
    def _print(self, event: Button.Pressed) -> None:
        event.stop()
        if self._printing is not None and not self._printing.done():
            return
        s = self.session
        agreement_id, text = s.statement(self.kiosk.config.receipt_width)
        self.query_one("#status", Static).update(self.t("Printing your statement ..."))
        args = (text, self.kiosk.config, self.kiosk.db_path, agreement_id)
        self._printing = asyncio.get_running_loop().create_task(self._deliver(agreement_id, *args))

    async def _deliver(self, agreement_id: int, *args) -> None:
        result: Delivery = await asyncio.to_thread(deliver, *args)
        s = self.kiosk.session
        if s is None or not self.is_attached:
            return
        status = self.query_one("#status", Static)
        if result.ok:
            status.update(self.t("Please take your statement."))
            s.store.audit("kiosk.statement_printed", "agreement", str(agreement_id), None, None)
        else:
            status.update(self.t("The statement could not be printed. Please ask a member of staff."))
            s.store.audit("kiosk.statement_failed", "agreement", str(agreement_id), None, {"error": result.error})

    async def wait_printed(self) -> None:
        if self._printing is not None:
            await asyncio.shield(self._printing)

    def on_unmount(self) -> None:
        if self._printing is not None and not self._printing.done():
            self._printing.cancel()
        self._printing = None

    @on(Button.Pressed, "#agent")
    def _agent(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.goto(Step.AGENT, f"plan {self.view.status}")

    @on(Button.Pressed, "#finish")
    def _finish(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.end_visit("completed", show_done=True, receipt=False)
