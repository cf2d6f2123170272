"""Figures several kiosk screens show alike: the debt buckets' names and a two-column table of figures."""

from __future__ import annotations

from rich.table import Table

#: The debt buckets under their names in the kiosk's catalog (message ids).
BUCKET_IDS = {
    "principal": "Principal",
    "interest": "Interest",
    "penalty_interest": "Penalty interest",
    "late_fees": "Late fees",
    "annual_fees": "Annual fees",
    "other_fees": "Other fees",
}


def figures_table(rows: list[tuple[str, str]]) -> Table:
    """Labels on the left, figures (bold) on the right."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column()
    table.add_column(justify="right", style="bold")
    for label, value in rows:
        table.add_row(label, value)
    return table
