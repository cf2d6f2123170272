"""Figures several kiosk screens show alike: the debt buckets' names and a two-column table of figures."""

from __future__ import annotations

from rich.table import Table

from plans.vocabulary import BUCKET_NAMES

#: The debt buckets' names (message ids named once, in plans.vocabulary; the kiosk's catalog words them for
#: a debtor: "违约金" rather than the agent's "违约金/滞纳金").
BUCKET_IDS = BUCKET_NAMES


def figures_table(rows: list[tuple[str, str]]) -> Table:
    """Labels on the left, figures (bold) on the right."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column()
    table.add_column(justify="right", style="bold")
    for label, value in rows:
        table.add_row(label, value)
    return table
