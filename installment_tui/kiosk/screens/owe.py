"""Step 3: what you owe, part by part, and what the plans at this kiosk waive of it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Static

from plans.text.formatting import formats
from plans.summary import mask_name

from ..figures import BUCKET_IDS
from ..steps import Step
from .base import KioskScreen


class OweScreen(KioskScreen):
    STEP = 3
    TITLE_ID = "What you owe"
    AUTO_FOCUS = "#next, #agent"

    def compose(self) -> ComposeResult:
        t = self.t
        s = self.session
        acc = s.account
        assert acc is not None
        f = formats(s.lang)
        cur = acc.currency
        yield from self.header()
        with VerticalScroll(classes="body"):
            yield Static(
                escape(
                    t("Hello {name}. Account {ref}.", name=mask_name(acc.name) if acc.name else "", ref=s.masked_ref)
                ),
                classes="lead",
            )
            if not s.serves_currency():
                yield Static(
                    t("This kiosk cannot make a plan for this account. An agent can help you."), classes="result error"
                )
                yield Button(t("Talk to an agent"), id="agent", classes="big primary")
            else:
                yield from self._debt(t, s, f, cur)
            yield Button(t("Make a complaint"), id="complain", classes="big")
        yield from self.footer()

    def _debt(self, t, s, f, cur) -> ComposeResult:
        table = Table(expand=True, show_edge=False, pad_edge=False, header_style="bold")
        table.add_column(t("Part of the debt"))
        table.add_column(t("You owe"), justify="right")
        table.add_column(t("Waived in the plans here"), justify="right")

        def waived(amount: int, same: bool) -> str:
            if not amount:
                return "-"
            return f.money(amount, cur) if same else t("up to {amount}", amount=f.money(amount, cur))

        lines = s.debt_lines()
        for line in lines:
            table.add_row(t(BUCKET_IDS[line.bucket]), f.money(line.owed, cur), waived(line.waivable, line.same))
        low, high = s.waived_totals()
        table.add_section()
        table.add_row(
            Text(t("Total"), style="bold"),
            Text(f.money(sum(x.owed for x in lines), cur), style="bold"),
            Text(waived(high, low == high), style="bold"),
        )
        yield Static(table, classes="debt")
        yield Static(
            t("Interest stops while you keep to a plan. Each plan on the next pages shows exactly what it waives."),
            classes="note",
        )
        if s.has_agreement():
            yield Static(
                t("You already have a repayment plan in force. To change it, please talk to an agent."),
                classes="result error",
            )
            yield Button(t("Talk to an agent"), id="agent", classes="big primary")
        else:
            with Horizontal(classes="actions"):
                yield Button(t("Next: your situation"), id="next", classes="big primary")
                yield Button(t("Talk to an agent"), id="agent", classes="big")

    @on(Button.Pressed, "#next")
    def _next(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.go_next(self)

    @on(Button.Pressed, "#complain")
    def _complain(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.goto(Step.COMPLAINT)

    @on(Button.Pressed, "#agent")
    def _agent(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.goto(Step.AGENT, "asked on the debt screen")
