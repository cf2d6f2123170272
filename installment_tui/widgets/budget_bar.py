"""A small picture of the household budget: income against spending, other debts and the installment.

One stacked bar as wide as the widget, scaled to the income, then a legend with
the amounts.  The installment segment turns red (and the legend says "short")
when it does not fit what is left.  Colour is never the only cue: every segment
has its own fill character and a legend line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from rich.text import Text
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class BudgetPicture:
    """Monthly amounts in minor units: ``spending`` is the larger of declared spending and the living floor."""

    income: int
    spending: int
    other_debts: int
    installment: int
    available: int


#: segment -> (fill character, style)
SEGMENTS = {
    "spending": ("█", "blue"),
    "other_debts": ("▓", "magenta"),
    "installment": ("▒", "yellow"),
    "left": ("░", "green"),
    "short": ("!", "bold red"),
}
#: Legend keys, in order; the labels dict translates them.
LABELS = ("income", "spending", "other_debts", "installment", "left", "short", "no_profile")


class BudgetBar(Widget):
    DEFAULT_CSS = """
    BudgetBar { height: 7; min-width: 30; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.picture: BudgetPicture | None = None
        self.money: Callable[[int], str] = str
        self.labels: Mapping[str, str] = {k: k.replace("_", " ") for k in LABELS}

    def show(self, picture: BudgetPicture | None, money: Callable[[int], str],
             labels: Mapping[str, str] | None = None) -> None:
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
        total = max(p.income, p.spending + p.other_debts + p.installment, 1)
        left = p.income - p.spending - p.other_debts - p.installment
        parts = [("spending", p.spending), ("other_debts", p.other_debts), ("installment", p.installment)]
        if left > 0:
            parts.append(("left", left))
        bar = Text()
        used = 0
        for i, (name, amount) in enumerate(parts):
            cells = round(amount * width / total) if i < len(parts) - 1 else width - used
            cells = max(0, min(cells, width - used))
            char, style = SEGMENTS[name]
            if name == "installment" and p.installment > max(p.available, 0):
                char, style = "▒", "bold red"
            bar.append(char * cells, style=style)
            used += cells
        income_cells = round(p.income * width / total)
        ruler = Text("┬" + "─" * max(0, income_cells - 2) + "┤", style="dim") if income_cells >= 2 else Text("")
        out = Text()
        out.append(f"{self.labels['income']} {self.money(p.income)}\n", style="bold")
        out.append(ruler)
        out.append("\n")
        out.append(bar)
        out.append("\n")
        legend = [("spending", p.spending), ("other_debts", p.other_debts), ("installment", p.installment)]
        for name, amount in legend:
            char, style = SEGMENTS[name]
            if name == "installment" and p.installment > max(p.available, 0):
                style = "bold red"
            out.append(f"{char} ", style=style)
            out.append(f"{self.labels[name]} {self.money(amount)}\n",
                       style="bold" if name == "installment" else "")
        if left >= 0:
            out.append(f"{SEGMENTS['left'][0]} ", style="green")
            out.append(f"{self.labels['left']} {self.money(left)}")
        else:
            out.append("! ", style="bold red")
            out.append(f"{self.labels['short']} {self.money(-left)}", style="bold red")
        return out
