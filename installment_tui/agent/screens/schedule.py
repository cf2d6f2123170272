"""The full schedule of one offer: every installment's date, amount, principal, fee and balance."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from installment_tui.widgets.footer import TranslatedFooter
from installment_tui.widgets.tables import fill
from plans.text.sanitize import clean

from .. import present
from .base import AgentScreen


class ScheduleScreen(AgentScreen):
    BINDINGS = [Binding("escape", "back", "Back", id="schedule.back")]

    def __init__(self, offer) -> None:
        super().__init__()
        self.offer = offer

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="schedule-body"):
            yield Static("", id="schedule-head")
            yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        self.query_one("#schedule", DataTable).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def apply_language(self) -> None:
        t, f, o = self.t, self.app.fmt, self.offer
        cur = o.currency
        try:
            plan = o.plan
        except Exception as exc:  # noqa: BLE001 - shown here
            self.show_error(exc)
            return
        head = Text()
        head.append(f"{clean(o.case.ref or '')}  {present.kind_word(t, o.kind)}\n", style="bold")
        nominal, effective = plan.apr
        for label, value in (
            (t("Plan balance"), f.money(plan.plan_balance, cur)),
            (t("Down payment"), f.money(plan.down_payment, cur)),
            (t("Months"), str(plan.months)),
            (t("Total"), f.money(plan.total_repayable, cur)),
            (t("Fees"), f.money(plan.total_fees, cur)),
            (t("APR"), f"{f.percent(nominal, 2)} / {f.percent(effective, 2)}"),
        ):
            head.append(f"{label} ", style="dim")
            head.append(f"{value}    ", style="bold")
        self.query_one("#schedule-head", Static).update(head)
        rows = [
            (
                str(i.n),
                (
                    str(i.n),
                    i.due.isoformat(),
                    Text(f.money(i.amount, cur), justify="right", style="bold"),
                    f.money(i.principal, cur),
                    f.money(i.fee, cur),
                    f.money(i.balance_after, cur),
                ),
            )
            for i in plan.installments
        ]
        fill(
            self.query_one("#schedule", DataTable),
            [
                ("n", "#", "right"),
                ("due", t("Due date"), "left"),
                ("amount", t("Amount"), "right"),
                ("principal", t("Principal"), "right"),
                ("fee", t("Fee"), "right"),
                ("balance", t("Balance after"), "right"),
            ],
            rows,
        )
