"""A4 PDF summaries with an embedded Chinese font.

Chinese must print on a machine with no Chinese fonts installed, so the font is
embedded: by default WenQuanYi Micro Hei (``plans/fonts/wqy-microhei.ttc``,
Apache-2.0, see ``plans/fonts/LICENSE-wqy-microhei.txt``), through reportlab's
``TTFont``, which embeds only the glyphs each document uses.  Another TrueType
font (``.ttf`` or ``.ttc`` with TrueType outlines) can be used instead by passing
``font_path`` or setting ``INSTALLMENT_PDF_FONT``.  The font is parsed once per
process and reused.

Layout: the document is laid out into pages of drawing operations first, so each
page can say "page n of N"; a long schedule continues onto further pages with its
header row repeated.  Several offers each start a new page.
"""

from __future__ import annotations

import hashlib
import io
import os
import zlib
from contextlib import contextmanager
from pathlib import Path

from calc.errors import InstallmentError

from .blocks import Document, Fields, Heading, Items, PageBreak, Paragraph, Table

FONT_ENV = "INSTALLMENT_PDF_FONT"
DEFAULT_FONT = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 46.0, 44.0, 48.0
CONTENT_W = PAGE_W - 2 * MARGIN_X
BODY, SMALL, SECTION, TITLE = 9.0, 7.5, 11.0, 16.0
LEADING = 1.32
CELL_PAD = 4.0

_FONTS: dict[str, str] = {}
#: Characters every usable font must have (simplified and traditional).
_CHINESE_SAMPLE = "还款方案還"


def font_name(font_path: str | os.PathLike | None = None) -> str:
    """Register the font once per process; returns its reportlab name."""
    path = str(font_path or os.environ.get(FONT_ENV) or DEFAULT_FONT)
    name = _FONTS.get(path)
    if name is not None:
        return name
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "F" + hashlib.sha1(path.encode()).hexdigest()[:10]
    try:
        kwargs = {"subfontIndex": 0} if path.lower().endswith(".ttc") else {}
        pdfmetrics.registerFont(TTFont(name, path, **kwargs))
    except Exception as exc:  # noqa: BLE001 - reportlab raises TTFError, OSError and others for a bad file
        raise InstallmentError(
            f"cannot use {path!r} as the PDF font ({exc}); give a TrueType .ttf/.ttc file with "
            f"Chinese glyphs in {FONT_ENV} or --font",
            "font",
        ) from None
    covered = pdfmetrics.getFont(name).face.charToGlyph
    if any(ord(c) not in covered for c in _CHINESE_SAMPLE):
        # Summaries print Chinese (also the creditor's name in English ones): without the
        # glyphs it would come out as blanks or boxes.
        raise InstallmentError(
            f"cannot use {path!r} as the PDF font: it has no Chinese glyphs (such as {_CHINESE_SAMPLE}); "
            f"give a TrueType .ttf/.ttc file with Chinese glyphs in {FONT_ENV} or --font",
            "font",
        )
    _FONTS[path] = name
    return name


_WIDTHS: dict[str, dict[str, float]] = {}


def _text_widths(font: str) -> dict[str, float]:
    """Per-font cache of text -> width at size 1 (summaries repeat most of their strings)."""
    cache = _WIDTHS.get(font)
    if cache is None or len(cache) > 50_000:
        cache = _WIDTHS[font] = {}
    return cache


def _measure(font: str, text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getFont(font).face
    widths, default = face.charWidths, face.defaultWidth
    return sum(widths.get(ord(c), default) for c in text) / 1000.0


class _Pages:
    """Lays blocks out into pages of drawing operations."""

    def __init__(self, doc: Document, font: str) -> None:
        self.doc, self.font = doc, font
        self._em = _text_widths(font)
        self.pages: list[list[tuple]] = []
        self.repeat: tuple | None = None  # table header to repeat on a new page
        self.new_page()

    def width(self, text: str, size: float) -> float:
        em = self._em.get(text)
        if em is None:
            em = self._em[text] = _measure(self.font, text)
        return em * size

    # -- pages ------------------------------------------------------------------------
    def new_page(self) -> None:
        self.ops: list[tuple] = []
        self.pages.append(self.ops)
        self.y = PAGE_H - MARGIN_TOP
        if len(self.pages) > 1:
            head = self.doc.title + (f" · {self.doc.subtitle}" if self.doc.subtitle else "")
            self.ops.append(("text", MARGIN_X, self.y, head, SMALL, False))
            self.y -= SMALL * 2
            if self.repeat is not None:
                self._row(*self.repeat)

    def need(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM:
            self.new_page()

    # -- text -------------------------------------------------------------------------
    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Lines of ``text`` no wider than ``width`` points (same break rules as plain text)."""
        text = str(text)
        if "\n" not in text and self.width(text, size) <= width:
            return [text]
        from plans.text.formatting import _tokens

        lines: list[str] = []
        for para in text.split("\n"):
            line, used = "", 0.0
            for tok in _tokens(para):
                w = self.width(tok, size)
                if used + w <= width:
                    line, used = line + tok, used + w
                    continue
                if tok == " ":
                    continue
                if line.strip():
                    lines.append(line.rstrip())
                line, used = "", 0.0
                if w > width:  # one word wider than the line: break it
                    for ch in tok:
                        cw = self.width(ch, size)
                        if line and used + cw > width:
                            lines.append(line)
                            line, used = "", 0.0
                        line, used = line + ch, used + cw
                else:
                    line, used = tok, w
            lines.append(line.rstrip())
        return lines

    def lines(self, text: str, x: float, width: float, size: float = BODY, bold: bool = False) -> None:
        for line in self.wrap(text, width, size):
            self.need(size * LEADING)
            self.y -= size * LEADING
            self.ops.append(("text", x, self.y + size * 0.28, line, size, bold))

    def section(self, title: str | None) -> None:
        if not title:
            return
        self.need(SECTION * LEADING * 2 + BODY * LEADING * 2)
        self.y -= SECTION * 0.7
        self.lines(title, MARGIN_X, CONTENT_W, SECTION, bold=True)
        self.ops.append(("line", MARGIN_X, self.y - 1.5, PAGE_W - MARGIN_X, self.y - 1.5, 0.5))
        self.y -= 4

    # -- blocks -----------------------------------------------------------------------
    def fields(self, block: Fields) -> None:
        self.section(block.title)
        lw = CONTENT_W * 0.32
        for label, value in block.rows:
            llines = self.wrap(label, lw - CELL_PAD, BODY)
            vlines = self.wrap(value, CONTENT_W - lw, BODY)
            n = max(len(llines), len(vlines))
            self.need(n * BODY * LEADING)
            top = self.y
            for i in range(n):
                self.y -= BODY * LEADING
                base = self.y + BODY * 0.28
                if i < len(llines):
                    self.ops.append(("text", MARGIN_X, base, llines[i], BODY, False, 0.35))
                if i < len(vlines):
                    self.ops.append(("text", MARGIN_X + lw, base, vlines[i], BODY, False))
            self.y = top - n * BODY * LEADING

    def _widths(self, block: Table, size: float) -> list[float]:
        cells = [block.headers, *block.rows] + ([block.footer] if block.footer else [])
        natural = [max(self.width(row[i], size) for row in cells) + 2 * CELL_PAD for i in range(len(block.headers))]
        total = sum(natural)
        if total <= CONTENT_W:  # spread the room, but keep narrow tables compact
            extra = min((CONTENT_W - total) / len(natural), 48.0)
            return [w + extra for w in natural]
        return [w * CONTENT_W / total for w in natural]

    def _row(self, cells, aligns, widths, size, bold, rule_above=False) -> None:
        right = MARGIN_X + sum(widths)
        wrapped = [self.wrap(c, w - 2 * CELL_PAD, size) for c, w in zip(cells, widths)]
        h = max(len(w) for w in wrapped) * size * LEADING + 2
        self.need(h)
        if rule_above:
            self.ops.append(("line", MARGIN_X, self.y, right, self.y, 0.8))
        x = MARGIN_X
        for lines, w, a in zip(wrapped, widths, aligns):
            for k, line in enumerate(lines):
                base = self.y - (k + 1) * size * LEADING + size * 0.28
                if a == "r":
                    self.ops.append(("rtext", x + w - CELL_PAD, base, line, size, bold))
                else:
                    self.ops.append(("text", x + CELL_PAD, base, line, size, bold))
            x += w
        self.y -= h
        if bold and not rule_above:
            self.ops.append(("line", MARGIN_X, self.y + 1, right, self.y + 1, 0.5))

    def table(self, block: Table) -> None:
        self.section(block.title)
        size = BODY if len(block.headers) <= 5 else SMALL
        widths = self._widths(block, size)
        head = (block.headers, block.aligns, widths, size, True)
        self.need(size * LEADING * 3)
        self._row(*head)
        self.repeat = head
        for row in block.rows:
            self._row(row, block.aligns, widths, size, False)
        self.repeat = None
        if block.footer:
            self._row(block.footer, block.aligns, widths, size, True, rule_above=True)
        self.y -= 4

    def items(self, block: Items) -> None:
        self.section(block.title)
        for item in block.items:
            first = len(self.ops)
            self.lines(item, MARGIN_X + 12, CONTENT_W - 12)
            if len(self.ops) > first:
                op = self.ops[first]
                self.ops.append(("text", MARGIN_X + 2, op[2], "•", BODY, False))

    def layout(self) -> list[list[tuple]]:
        self.lines(self.doc.title, MARGIN_X, CONTENT_W, TITLE, bold=True)
        if self.doc.subtitle:
            self.lines(self.doc.subtitle, MARGIN_X, CONTENT_W, BODY + 1)
        self.y -= 4
        for block in self.doc.blocks:
            if isinstance(block, Fields):
                self.fields(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Paragraph):
                self.section(block.title)
                self.lines(block.text, MARGIN_X, CONTENT_W)
            elif isinstance(block, Items):
                self.items(block)
            elif isinstance(block, Heading):
                self.y -= 6
                self.lines(block.text, MARGIN_X, CONTENT_W, SECTION + 2, bold=True)
            elif isinstance(block, PageBreak):
                self.new_page()
        return self.pages


def render_pdf(doc: Document, font_path: str | os.PathLike | None = None) -> bytes:
    """The PDF bytes of ``doc`` (A4, Chinese font embedded)."""
    with _fast_streams():
        return _render(doc, font_path)


@contextmanager
def _fast_streams():
    """While one PDF is written: binary streams (no ASCII85 pass over every font
    subset) and Flate at level 1 (a fifth faster than level 6, files ~5% larger).
    Restores reportlab's settings afterwards."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    saved = rl_config.useA85, pdfdoc.PDFZCompress
    rl_config.useA85, pdfdoc.PDFZCompress = 0, _FAST_FLATE
    try:
        yield
    finally:
        rl_config.useA85, pdfdoc.PDFZCompress = saved


class _FastFlate:
    pdfname = "FlateDecode"

    def encode(self, text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)

    def decode(self, encoded):
        return zlib.decompress(encoded)


_FAST_FLATE = _FastFlate()


def _render(doc: Document, font_path) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    font = font_name(font_path)
    pages = _Pages(doc, font).layout()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(doc.title + (f" - {doc.subtitle}" if doc.subtitle else ""))
    c.setSubject(doc.subtitle or doc.title)
    c.setCreator("installment-planner")
    total = len(pages)
    for n, ops in enumerate(pages, 1):
        lines = [op for op in ops if op[0] == "line"]
        for op in lines:
            c.setLineWidth(op[5])
            c.line(op[1], op[2], op[3], op[4])
        # One text object per page: far cheaper than a drawString per piece of text.
        to = c.beginText()
        current: tuple = ()
        for op in ops:
            kind = op[0]
            if kind == "line":
                continue
            _, x, y, text, size, bold, *grey = op
            state = (size, bold, grey[0] if grey else 0)
            if state != current:
                to.setFont(font, size)
                to.setFillGray(state[2])
                to.setTextRenderMode(2 if bold else 0)  # no bold face: fill and stroke the outlines
                current = state
            if kind == "rtext":
                x -= _measure(font, text) * size
            to.setTextOrigin(x, y)
            to.textOut(text)
        to.setFont(font, SMALL)
        to.setFillGray(0.35)
        to.setTextRenderMode(0)
        if doc.footer:
            to.setTextOrigin(MARGIN_X, MARGIN_BOTTOM - 24)
            to.textOut(doc.footer)
        folio = f"{n} / {total}"
        to.setTextOrigin(PAGE_W - MARGIN_X - _measure(font, folio) * SMALL, MARGIN_BOTTOM - 24)
        to.textOut(folio)
        c.setLineWidth(0.3)  # stroke width of the "bold" text
        c.drawText(to)
        c.showPage()
    c.save()
    return buf.getvalue()
