"""Ranked offers side by side: one row per offer, the figures an agent reads out on a call.

The table knows nothing about offers: the screen gives :class:`OfferRow` values
(text already formatted and translated) and column titles.  Highlighting a row
posts :class:`OffersTable.Highlighted`, choosing one (enter, click)
:class:`OffersTable.Chosen`; both carry the row key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from installment_tui.faults import KeepRunning

from .verdict import verdict_text

#: Column keys in display order: what decides a call first, so a narrow terminal still shows it.
COLUMNS = ("offer", "months", "installment", "verdict", "authority", "down", "total", "last_due", "apr")
_RIGHT = {"months", "down", "installment", "total", "apr"}


@dataclass(frozen=True, slots=True)
class OfferRow:
    key: str
    offer: str
    months: str
    down: str
    installment: str
    total: str
    last_due: str
    apr: str
    verdict: str | None
    verdict_word: str
    authority: str
    #: False when the offer needs more than the agent's authority (shown with a marker).
    within_authority: bool = True
    #: Marks the negotiated row.
    negotiated: bool = False


class OffersTable(KeepRunning, DataTable):
    DEFAULT_CSS = """
    OffersTable { height: auto; max-height: 12; }
    """
    #: The cells on screen, row by row (set by the first full fill).
    _cells_shown: list[tuple[Text, ...]]

    @dataclass
    class Highlighted(Message):
        table: "OffersTable"
        key: str | None

        @property
        def control(self) -> "OffersTable":
            return self.table

    @dataclass
    class Chosen(Message):
        table: "OffersTable"
        key: str

        @property
        def control(self) -> "OffersTable":
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._titles: dict[str, str] = {c: c for c in COLUMNS}

    def set_titles(self, titles: dict[str, str]) -> None:
        self._titles = {c: titles.get(c, c) for c in COLUMNS}

    def show(self, rows: Sequence[OfferRow], keep: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``keep`` (a row key) when it is still there.

        When only figures change (same rows, same titles, every value fits its column) the cells
        are updated in place, which is what a keystroke in the negotiation fields needs."""
        cells = [self._cells(r) for r in rows]
        keys = [r.key for r in rows]
        if (
            keys == getattr(self, "_keys", None)
            and self._titles == getattr(self, "_shown_titles", None)
            and self._fits(cells)
        ):
            for key, row, old in zip(keys, cells, self._cells_shown):
                for c, new, before in zip(COLUMNS, row, old):
                    if new != before:
                        self.update_cell(key, c, new)
            self._cells_shown = cells
            return
        self._rebuild(rows, cells, keep)

    def _fits(self, cells) -> bool:
        widths = [col.width for col in self.ordered_columns]
        return len(widths) == len(COLUMNS) and all(
            cell.cell_len <= widths[i] for row in cells for i, cell in enumerate(row)
        )

    @staticmethod
    def _cells(r: OfferRow) -> tuple[Text, ...]:
        label = Text(r.offer, style="bold cyan" if r.negotiated else "")
        authority = Text(r.authority, style="" if r.within_authority else "bold magenta")
        if not r.within_authority:
            authority = Text("⇧ ", style="bold magenta") + authority
        return (
            label,
            Text(r.months, justify="right"),
            Text(r.installment, justify="right", style="bold"),
            verdict_text(r.verdict, r.verdict_word),
            authority,
            Text(r.down, justify="right"),
            Text(r.total, justify="right"),
            Text(r.last_due),
            Text(r.apr, justify="right"),
        )

    def _rebuild(self, rows: Sequence[OfferRow], cells, keep: str | None) -> None:
        self.clear(columns=True)
        self._keys = [r.key for r in rows]
        self._shown_titles = dict(self._titles)
        self._cells_shown = cells
        # Explicit widths: every figure is always shown whole, however often the rows change.
        for i, c in enumerate(COLUMNS):
            title = Text(self._titles[c], justify="right" if c in _RIGHT else "left")
            # a little room to spare, so figures that grow by a digit update in place
            width = max([title.cell_len] + [row[i].cell_len for row in cells]) + (c in ("months", "installment"))
            self.add_column(title, width=width, key=c)
        target = 0
        for i, (r, row) in enumerate(zip(rows, cells)):
            self.add_row(*row, key=r.key)
            if r.key == keep:
                target = i
        if rows:
            self.move_cursor(row=target, animate=False)

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - an empty or changing table has no current row
            return None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self, event.row_key.value if event.row_key else None))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key and event.row_key.value:
            self.post_message(self.Chosen(self, event.row_key.value))
