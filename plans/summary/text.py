"""Fixed-width layouts: plain text (80 columns by default) and narrow receipts.

Widths are display columns: a Chinese character takes two.  No line is ever
wider than the width asked for: a table that does not fit keeps its narrow
columns, and if even those do not fit each row is printed as a small list of
"label value" lines; long values and paragraphs wrap; a single word wider than
the line is broken.
"""

from __future__ import annotations

from plans.text.formatting import display_width as dw
from plans.text.formatting import pad, wrap

from .blocks import Document, Fields, Heading, Items, PageBreak, Paragraph, Table

RECEIPT_WIDTHS = (32, 42, 48)
TEXT_WIDTH = 80
GAP = 2


class Layout:
    """Lays a :class:`Document` out in ``width`` columns; ``receipt`` picks the narrow style."""

    def __init__(self, width: int, receipt: bool) -> None:
        if width < 20:
            raise ValueError("width must be at least 20 columns")
        self.width = width
        self.receipt = receipt
        self.lines: list[str] = []

    # -- small pieces ---------------------------------------------------------------
    def rule(self, ch: str = "-") -> None:
        self.lines.append(ch * self.width)

    def para(self, text: str, indent: int = 0, first: str = "") -> None:
        lead = first or " " * indent
        for n, line in enumerate(wrap(text, self.width - len(lead))):
            self.lines.append((lead if n == 0 else " " * len(lead)) + line)

    def section(self, title: str | None) -> None:
        if not title:
            return
        if self.receipt:
            self.rule("-")
            self.para(title)
        else:
            self.lines.append("")
            for line in wrap(title, self.width):
                self.lines.append(line)
            self.lines.append("-" * min(self.width, max(dw(x) for x in wrap(title, self.width))))

    # -- blocks ---------------------------------------------------------------------
    def title(self, doc: Document) -> None:
        if self.receipt:
            self.rule("=")
            for text in filter(None, (doc.title, doc.subtitle)):
                for line in wrap(text, self.width):
                    self.lines.append(pad(line, self.width, "center").rstrip())
            self.rule("=")
        else:
            self.para(doc.title)
            self.lines.append("=" * min(self.width, dw(doc.title)))
            if doc.subtitle:
                self.para(doc.subtitle)

    def fields(self, block: Fields) -> None:
        self.section(block.title)
        if self.receipt:
            for label, value in block.rows:
                if dw(label) + GAP + dw(value) <= self.width:
                    self.lines.append(label + " " * (self.width - dw(label) - dw(value)) + value)
                else:
                    if label:
                        self.para(label)
                    for line in wrap(value, self.width):
                        self.lines.append(pad(line, self.width, "right"))
            return
        lw = max(dw(label) for label, _ in block.rows)
        lw = min(lw, self.width // 3)
        for label, value in block.rows:
            if dw(label) > lw:
                self.para(label)
                self.para(value, indent=GAP * 2)
                continue
            vlines = wrap(value, self.width - lw - GAP)
            self.lines.append(pad(label, lw) + " " * GAP + vlines[0])
            self.lines.extend(" " * (lw + GAP) + v for v in vlines[1:])

    def _grid(self, table: Table) -> list[str] | None:
        """The table as aligned columns, or None when it cannot fit.  A left-aligned
        first column (row labels) may wrap onto several lines to make room."""
        cells = [table.headers, *table.rows] + ([table.footer] if table.footer else [])
        widths = [max(dw(row[i]) for row in cells) for i in range(len(table.headers))]
        rest = sum(widths[1:]) + GAP * (len(widths) - 1)
        if widths[0] + rest > self.width:
            longest_word = max((dw(w) for row in cells for w in row[0].split()), default=0)
            room = self.width - rest
            if table.aligns[0] != "l" or room < max(8, min(longest_word, 12)):
                return None
            widths[0] = room

        def fmt(row) -> list[str]:
            first = wrap(row[0], widths[0]) if dw(row[0]) > widths[0] else [row[0]]
            lines = []
            for k, head in enumerate(first):
                cols = [head] + [c if k == 0 else "" for c in row[1:]]
                lines.append(
                    (" " * GAP)
                    .join(pad(c, w, "right" if a == "r" else "left") for c, w, a in zip(cols, widths, table.aligns))
                    .rstrip()
                )
            return lines

        total = sum(widths) + GAP * (len(widths) - 1)
        out = [*fmt(table.headers), "-" * total]
        for r in table.rows:
            out += fmt(r)
        if table.footer:
            out += ["-" * total, *fmt(table.footer)]
        return out

    def table(self, block: Table) -> None:
        self.section(block.title)
        tries = [block.only(block.narrow)] if (self.receipt and block.narrow) else [block]
        if not self.receipt and block.narrow and block.narrow != tuple(range(len(block.headers))):
            tries.append(block.only(block.narrow))
        for candidate in tries:
            grid = self._grid(candidate)
            if grid is not None:
                self.lines.extend(grid)
                return
        self._stacked(tries[-1])

    def _stacked(self, table: Table) -> None:
        rows = list(table.rows) + ([table.footer] if table.footer else [])
        for row in rows:
            self.lines.append("")
            self.para(row[0])
            pairs = tuple((h, c) for h, c in zip(table.headers[1:], row[1:]) if c)
            for label, value in pairs:
                if GAP + dw(label) + GAP + dw(value) <= self.width:
                    self.lines.append(" " * GAP + label + " " * (self.width - GAP - dw(label) - dw(value)) + value)
                else:
                    self.para(label, indent=GAP)
                    for line in wrap(value, self.width - GAP * 2):
                        self.lines.append(pad(line, self.width, "right"))

    def items(self, block: Items) -> None:
        self.section(block.title)
        for item in block.items:
            self.para(item, first="- ")

    def paragraph(self, block: Paragraph) -> None:
        self.section(block.title)
        self.para(block.text)

    def heading(self, block: Heading) -> None:
        if not self.receipt:
            self.lines.append("")
        self.rule("=")
        self.para(block.text)
        self.rule("=")

    def render(self, doc: Document) -> str:
        self.title(doc)
        for block in doc.blocks:
            if isinstance(block, Fields):
                self.fields(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Items):
                self.items(block)
            elif isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, PageBreak):
                self.lines.append("")
        if doc.footer:
            self.rule("=" if self.receipt else "-")
            self.para(doc.footer)
        if self.receipt:
            self.rule("=")
        return "\n".join(line.rstrip() for line in self.lines) + "\n"


def render_text(doc: Document, width: int = TEXT_WIDTH) -> str:
    """Plain text, ``width`` columns (80 by default)."""
    return Layout(width, receipt=False).render(doc)


def render_receipt(doc: Document, width: int = 42) -> str:
    """A narrow receipt for a 32-, 42- or 48-column printer."""
    if width not in RECEIPT_WIDTHS:
        from calc.errors import InvalidInput

        raise InvalidInput(f"must be one of {', '.join(map(str, RECEIPT_WIDTHS))} columns, got {width}", "width")
    return Layout(width, receipt=True).render(doc)
