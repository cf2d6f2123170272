"""Ranked offers side by side: one row per offer, the figures an agent reads out on a call.

The table knows nothing about offers: the screen gives :class:`OfferRow` values
(text already formatted and translated) and column titles.  Highlighting a row
posts :class:`OffersTable.Highlighted`, choosing one (enter, click)
:class:`OffersTable.Chosen`; both carry the row key.

A narrow pane (an 80-column terminal) gets the compact table: only the columns that decide
a call (:data:`COMPACT_COLUMNS`), with the rows' short words and titles, so nothing the agent
needs is past the right edge.  The table picks the full or the compact columns by the width it
has: compact when the full table's essential columns would not fit (:meth:`OffersTable.on_resize`).
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
#: The columns of the compact table (a narrow pane): what the offer is, its installment, its verdict and
#: who may grant it.  The rest (down payment, total, dates, APR) is in the reasons panel and the schedule.
COMPACT_COLUMNS = ("offer", "months", "installment", "verdict", "authority")
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
    #: The same in the compact table's shorter words ("" = as above).
    offer_short: str = ""
    verdict_short: str = ""
    authority_short: str = ""


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
        self._short_titles: dict[str, str] = dict(self._titles)
        self._rows: list[OfferRow] = []
        #: True: the compact columns (set from the width the table has, see :meth:`on_resize`).
        self.compact = False

    @property
    def columns_shown(self) -> tuple[str, ...]:
        return COMPACT_COLUMNS if self.compact else COLUMNS

    def set_titles(self, titles: dict[str, str], short: dict[str, str] | None = None) -> None:
        self._titles = {c: titles.get(c, c) for c in COLUMNS}
        self._short_titles = {c: (short or {}).get(c) or self._titles[c] for c in COLUMNS}

    def essential_width(self, rows: Sequence[OfferRow] | None = None) -> int:
        """Cells the full table's first columns (those of the compact one, in full words) need for
        ``rows`` (the rows shown when None), cell padding included.  The columns after them may be
        reached by scrolling; these must be on screen."""
        n = len(COMPACT_COLUMNS)
        cells = [self._cells(r, False)[:n] for r in (self._rows if rows is None else rows)]
        return self._total_width(self._widths(cells, COMPACT_COLUMNS, self._titles))

    def _total_width(self, widths: Sequence[int]) -> int:
        return sum(widths) + 2 * self.cell_padding * len(widths)

    def _wants_compact(self, rows: Sequence[OfferRow]) -> bool:
        room = self.scrollable_content_region.width
        return bool(room) and self.essential_width(rows) > room

    def on_resize(self) -> None:
        """The full columns when their essential ones fit the width the table has, else the compact ones."""
        if self._rows and self._wants_compact(self._rows) != self.compact:
            self.show(self._rows, keep=self.current_key)

    def show(self, rows: Sequence[OfferRow], keep: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``keep`` (a row key) when it is still there.

        When only figures change (same rows, same titles, every value fits its column) the cells
        are updated in place, which is what a keystroke in the negotiation fields needs."""
        self._rows = list(rows)
        compact = self._wants_compact(rows)
        cells = [self._cells(r, compact) for r in rows]
        keys = [r.key for r in rows]
        if (
            compact == self.compact
            and keys == getattr(self, "_keys", None)
            and self._titles == getattr(self, "_shown_titles", None)
            and self._fits(cells)
        ):
            for key, row, old in zip(keys, cells, self._cells_shown):
                for c, new, before in zip(self.columns_shown, row, old):
                    if new != before:
                        self.update_cell(key, c, new)
            self._cells_shown = cells
            return
        self._rebuild(rows, cells, keep, compact)

    def _fits(self, cells) -> bool:
        widths = [col.width for col in self.ordered_columns]
        return len(widths) == len(self.columns_shown) and all(
            cell.cell_len <= widths[i] for row in cells for i, cell in enumerate(row)
        )

    @staticmethod
    def _cells(r: OfferRow, compact: bool = False) -> tuple[Text, ...]:
        label = Text((compact and r.offer_short) or r.offer, style="bold cyan" if r.negotiated else "")
        authority = Text(
            (compact and r.authority_short) or r.authority, style="" if r.within_authority else "bold magenta"
        )
        if not r.within_authority:
            authority = Text("⇧ ", style="bold magenta") + authority
        shown = (
            label,
            Text(r.months, justify="right"),
            Text(r.installment, justify="right", style="bold"),
            verdict_text(r.verdict, (compact and r.verdict_short) or r.verdict_word),
            authority,
        )
        if compact:
            return shown
        return shown + (
            Text(r.down, justify="right"),
            Text(r.total, justify="right"),
            Text(r.last_due),
            Text(r.apr, justify="right"),
        )

    @staticmethod
    def _widths(cells, columns: Sequence[str], titles: dict[str, str], spare: bool = True) -> list[int]:
        """Each column's width: its title or its widest cell, with a little room to spare (``spare``) in
        the columns whose figures change as the agent types (so a figure that grows by a digit updates
        in place); the compact table has no room to spare."""
        return [
            max([Text(titles[c]).cell_len] + [row[i].cell_len for row in cells])
            + (spare and c in ("months", "installment"))
            for i, c in enumerate(columns)
        ]

    def _rebuild(self, rows: Sequence[OfferRow], cells, keep: str | None, compact: bool) -> None:
        self.clear(columns=True)
        self.compact = compact
        self._keys = [r.key for r in rows]
        self._shown_titles = dict(self._titles)
        self._cells_shown = cells
        titles = self._short_titles if compact else self._titles
        # Explicit widths: every figure is always shown whole, however often the rows change.
        for c, width in zip(self.columns_shown, self._widths(cells, self.columns_shown, titles, not compact)):
            title = Text(titles[c], justify="right" if c in _RIGHT else "left")
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
