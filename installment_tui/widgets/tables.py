"""Filling a ``DataTable`` with every cell shown whole.

``fill(table, columns, rows)`` replaces the table's columns and rows and sizes each
column to its widest cell (display width, so Chinese counts two columns).  Tables
that are refilled on every keystroke keep exact widths this way.

``drop`` names the columns that may go, in that order, when the table is too narrow for them all
(an 80-column terminal): a :class:`FitTable` is filled again when its width changes, so the same
rows show every column on a wide screen and the ones that fit on a narrow one.
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
    table: DataTable,
    columns: Sequence[tuple[str, str, str]],
    rows: Sequence[tuple[str | None, Sequence[object]]],
    drop: Sequence[str] = (),
) -> None:
    """``columns``: (key, title, "left"|"right"); ``rows``: (row key or None, cells); ``drop``: the keys of
    the columns that may go, first to last, while the columns are wider than the table (once laid out)."""
    table._fill_spec = (columns, rows, drop)  # type: ignore[attr-defined]  # for FitTable.on_resize
    table.clear(columns=True)
    texts = [[cell(v, columns[i][2]) for i, v in enumerate(cells)] for _, cells in rows]
    widths = [max([Text(title).cell_len] + [r[i].cell_len for r in texts]) for i, (_, title, _j) in enumerate(columns)]
    keep = list(range(len(columns)))
    room = table.scrollable_content_region.width
    pad = 2 * table.cell_padding
    for key in drop:
        if not room or sum(widths[i] + pad for i in keep) <= room:
            break
        keep = [i for i in keep if columns[i][0] != key]
    for i in keep:
        key, title, justify = columns[i]
        head = Text(title, justify=justify)  # type: ignore[arg-type]  # "left" or "right", as the docstring says
        table.add_column(head, width=widths[i], key=key)
    for (row_key, _), cells in zip(rows, texts):
        table.add_row(*(cells[i] for i in keep), key=row_key)


class FitTable(DataTable):
    """A table :func:`fill` fills that fills itself again when its width changes (its ``drop`` columns
    go or come back)."""

    _fitted_width = -1

    def on_resize(self) -> None:
        spec = getattr(self, "_fill_spec", None)
        width = self.scrollable_content_region.width
        if spec is not None and width != self._fitted_width:
            self._fitted_width = width
            row = self.cursor_row
            fill(self, *spec)
            if 0 <= row < self.row_count:
                self.move_cursor(row=row, animate=False)
