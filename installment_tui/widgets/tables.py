"""Filling a ``DataTable`` with every cell shown whole.

``fill(table, columns, rows)`` replaces the table's columns and rows and sizes each
column to its widest cell (display width, so Chinese counts two columns).  Tables
that are refilled on every keystroke keep exact widths this way.
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.widgets import DataTable
from plans.text.sanitize import clean


def cell(value: object, justify: str = "left", style: str = "") -> Text:
    """A cell; plain text (which may come from data: a name, a region) is cleaned of escape sequences."""
    if isinstance(value, Text):
        return value
    return Text(clean(value), justify=justify, style=style)  # type: ignore[arg-type]  # "left" or "right" (fill)


def fill(
    table: DataTable, columns: Sequence[tuple[str, str, str]], rows: Sequence[tuple[str | None, Sequence[object]]]
) -> None:
    """``columns``: (key, title, "left"|"right"); ``rows``: (row key or None, cells)."""
    table.clear(columns=True)
    texts = [[cell(v, columns[i][2]) for i, v in enumerate(cells)] for _, cells in rows]
    for i, (key, title, justify) in enumerate(columns):
        head = Text(title, justify=justify)  # type: ignore[arg-type]  # "left" or "right", as the docstring says
        width = max([head.cell_len] + [r[i].cell_len for r in texts])
        table.add_column(head, width=width, key=key)
    for (row_key, _), cells in zip(rows, texts):
        table.add_row(*cells, key=row_key)
