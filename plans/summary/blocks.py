"""The layout-neutral blocks every renderer lays out.

:mod:`plans.summary.document` turns a summary into a :class:`Document` of these
blocks, already in the reader's language with every figure formatted; a renderer
(text, receipt, Markdown, HTML, PDF, Rich) only decides how each kind of block looks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from plans.text.sanitize import clean


@dataclass(frozen=True, slots=True)
class Fields:
    """Label/value pairs."""

    title: str | None
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table.  ``aligns`` holds 'l' or 'r' per column; ``narrow`` the columns a
    narrow layout (receipt) keeps; ``footer`` an optional totals row."""

    title: str | None
    headers: tuple[str, ...]
    aligns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[str, ...] | None = None
    narrow: tuple[int, ...] | None = None

    def only(self, columns: tuple[int, ...]) -> "Table":
        pick = lambda row: tuple(row[i] for i in columns)
        return Table(
            self.title,
            pick(self.headers),
            pick(self.aligns),
            tuple(pick(r) for r in self.rows),
            pick(self.footer) if self.footer else None,
        )


@dataclass(frozen=True, slots=True)
class Paragraph:
    title: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Items:
    """A bulleted list."""

    title: str | None
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a document (one per offer when several are printed together)."""

    text: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Where a paged format (PDF, printed HTML) starts a new page: between offers."""


Block = Heading | Fields | Table | Paragraph | Items | PageBreak


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    title: str
    subtitle: str | None
    blocks: tuple[Block, ...]
    footer: str | None = None


def cleaned(doc: Document) -> Document:
    """``doc`` with every text passed through :func:`plans.text.sanitize.clean` (paragraphs and list items
    keep their line breaks): what every renderer lays out, so no format prints data raw."""
    one = lambda text: None if text is None else clean(text)
    row = lambda cells: tuple(clean(c) for c in cells)
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Fields):
            b = Fields(one(b.title), tuple((clean(label), clean(value)) for label, value in b.rows))
        elif isinstance(b, Table):
            b = replace(
                b,
                title=one(b.title),
                headers=row(b.headers),
                rows=tuple(row(r) for r in b.rows),
                footer=row(b.footer) if b.footer else b.footer,
            )
        elif isinstance(b, Paragraph):
            b = Paragraph(one(b.title), clean(b.text, multiline=True))
        elif isinstance(b, Items):
            b = Items(one(b.title), tuple(clean(i, multiline=True) for i in b.items))
        elif isinstance(b, Heading):
            b = Heading(clean(b.text))
        blocks.append(b)
    return Document(doc.lang, clean(doc.title), one(doc.subtitle), tuple(blocks), one(doc.footer))
