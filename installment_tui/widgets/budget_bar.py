"""A small picture of the household budget: income against spending, other debts, the contingency
kept back and the installment.

One stacked bar as wide as the widget, scaled to the income, then a legend with
every term of the budget: spending (or the living floor, when it is higher),
other debts, the contingency (with what is then available), the installment and
what is left.  The installment segment turns red (and the legend says "short")
when it is more than what is available.  Colour is never the only cue: every
segment has its own fill character and a legend line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping

from rich.text import Text
from textual.widget import Widget

from installment_tui.faults import KeepRunning


@dataclass(frozen=True, slots=True)
class BudgetPicture:
    """Monthly amounts in minor units: ``spending`` is the larger of declared spending and the living
    floor (``floor_used`` says which); ``since`` is the date from which this budget holds (after recovery)."""

    income: int
    spending: int
    other_debts: int
    installment: int
    available: int
    contingency: int = 0
    floor_used: bool = False
    since: date | None = None

    @property
    def left(self) -> int:
        return self.income - self.spending - self.other_debts - self.contingency - self.installment


#: segment -> (fill character, style)
SEGMENTS = {
    "spending": ("█", "blue"),
    "other_debts": ("▓", "magenta"),
    "contingency": ("≈", "cyan"),
    "installment": ("▒", "yellow"),
    "left": ("░", "green"),
    "short": ("!", "bold red"),
}
#: Legend keys, in order; the labels dict translates them ("since" takes {date}, "available" {amount}).
LABELS = (
    "income",
    "spending",
    "floor",
    "other_debts",
    "contingency",
    "available",
    "installment",
    "left",
    "short",
    "since",
    "no_profile",
)


class BudgetBar(KeepRunning, Widget):
    DEFAULT_CSS = """
    BudgetBar { height: 8; min-width: 30; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.picture: BudgetPicture | None = None
        self.money: Callable[[int], str] = str
        self.labels: Mapping[str, str] = {k: k.replace("_", " ") for k in LABELS}
        self.labels = {**self.labels, "available": "available {amount}", "since": "from {date}"}

    def show(
        self, picture: BudgetPicture | None, money: Callable[[int], str], labels: Mapping[str, str] | None = None
    ) -> None:
        """Draw ``picture`` (None: no profile yet) with ``money`` formatting amounts and ``labels`` words."""
        self.picture = picture
        self.money = money
        if labels is not None:
            self.labels = {**self.labels, **labels}
        self.refresh()

    def render(self) -> Text:
        p = self.picture
        if p is None:
            return Text(self.labels["no_profile"], style="dim italic")
        width = max(10, self.size.width - 2)
        total = max(p.income, p.spending + p.other_debts + p.contingency + p.installment, 1)
        left = p.left
        short = p.installment > max(p.available, 0)
        parts = [
            ("spending", p.spending),
            ("other_debts", p.other_debts),
            ("contingency", p.contingency),
            ("installment", p.installment),
        ]
        if left > 0:
            parts.append(("left", left))
        bar = Text()
        used = 0
        for i, (name, amount) in enumerate(parts):
            cells = round(amount * width / total) if i < len(parts) - 1 else width - used
            cells = max(0, min(cells, width - used))
            char, style = SEGMENTS[name]
            if name == "installment" and short:
                style = "bold red"
            bar.append(char * cells, style=style)
            used += cells
        income_cells = round(p.income * width / total)
        ruler = Text("┬" + "─" * max(0, income_cells - 2) + "┤", style="dim") if income_cells >= 2 else Text("")
        out = Text()
        out.append(f"{self.labels['income']} {self.money(p.income)}", style="bold")
        if p.since is not None:
            out.append(" " + self.labels["since"].format(date=p.since.isoformat()), style="dim")
        out.append("\n")
        out.append(ruler)
        out.append("\n")
        out.append(bar)
        out.append("\n")
        legend = [
            ("spending", p.spending),
            ("other_debts", p.other_debts),
            ("contingency", p.contingency),
            ("installment", p.installment),
        ]
        for name, amount in legend:
            char, style = SEGMENTS[name]
            if name == "installment" and short:
                style = "bold red"
            label = self.labels["floor"] if name == "spending" and p.floor_used else self.labels[name]
            out.append(f"{char} ", style=style)
            out.append(f"{label} {self.money(amount)}", style="bold" if name == "installment" else "")
            if name == "contingency":
                out.append("  " + self.labels["available"].format(amount=self.money(p.available)), style="dim")
            out.append("\n")
        if left >= 0:
            out.append(f"{SEGMENTS['left'][0]} ", style="green")
            out.append(f"{self.labels['left']} {self.money(left)}")
        else:
            out.append("! ", style="bold red")
            out.append(f"{self.labels['short']} {self.money(-left)}", style="bold red")
        return out
