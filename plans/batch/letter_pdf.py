"""PDF offer letters: many letters in one file, one embedded font subset per file.

:func:`render_letters` lays out letters (the ``(style, text)`` lines of
:meth:`plans.batch.letter_kit.LetterKit.lines`) on A4 pages, each letter starting on
a new page with its own "page n of N" folio, into one PDF with the font of the
summaries (``plans.summary.pdf``: WenQuanYi Micro Hei, embedded, so Chinese prints on
a machine without Chinese fonts).  reportlab embeds one subset of the font per file
holding the glyphs the file uses, so a bundle of 1,000 letters carries one subset,
not 1,000.  Returns the PDF and the pages of each letter (for ``letters/index.csv``).
"""

from __future__ import annotations

import io

from plans.summary.pdf import _fast_streams, font_name

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4
LEFT, TOP, BOTTOM = 56.0, 48.0, 60.0
WIDTH = PAGE_W - 2 * LEFT
#: style -> (size, bold, grey, indent, space before)
STYLES = {
    "title": (14.0, True, 0.0, 0.0, 0.0),
    "small": (8.0, False, 0.35, 0.0, 0.0),
    "p": (10.0, False, 0.0, 0.0, 2.0),
    "h": (12.0, True, 0.0, 0.0, 8.0),
    "h2": (10.5, True, 0.0, 0.0, 6.0),
    "kv": (10.0, False, 0.0, 14.0, 0.0),
    "li": (10.0, False, 0.0, 14.0, 0.0),
    "blank": (6.0, False, 0, 0, 0),
}
LEADING = 1.32


class _Layout:
    def __init__(self, font: str) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.font, self._width = font, stringWidth
        self._cache: dict = {}

    def width(self, text: str, size: float) -> float:
        w = self._cache.get(text)
        if w is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            w = self._cache[text] = self._width(text, self.font, 1.0)
        return w * size

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        if self.width(text, size) <= width:
            return [text]
        out, line = [], ""
        for ch in text:  # greedy, by character; Latin text breaks at its last space
            if self.width(line + ch, size) > width and line:
                cut = line.rfind(" ")
                if cut > len(line) // 2 and ch != " ":
                    out.append(line[:cut])
                    line = line[cut + 1 :]
                else:
                    out.append(line)
                    line = ""
            line += ch
        out.append(line)
        return out

    def pages(self, lines: list[tuple[str, str]]) -> list[list[tuple]]:
        """The letter's text operations, page by page: (x, y, text, size, bold, grey)."""
        pages: list[list[tuple]] = [[]]
        y = PAGE_H - TOP
        for style, text in lines:
            size, bold, grey, indent, before = STYLES[style]
            if style == "blank":
                y -= size
                continue
            y -= before
            x = LEFT + indent
            for k, piece in enumerate(self.wrap(text, WIDTH - indent, size)):
                y -= size * LEADING
                if y < BOTTOM:
                    pages.append([])
                    y = PAGE_H - TOP - size * LEADING
                if style == "li" and k == 0:
                    pages[-1].append((x - 9, y, "•", size, False, grey))
                pages[-1].append((x, y, piece, size, bold, grey))
        return pages


def render_letters(letters: list[list[tuple[str, str]]], title: str, font_path=None) -> tuple[bytes, list[int]]:
    """One PDF of ``letters`` and the number of pages of each."""
    from reportlab.pdfgen.canvas import Canvas

    font = font_name(font_path)
    layout = _Layout(font)
    buf = io.BytesIO()
    counts = []
    with _fast_streams():
        c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1, initialFontName=font)
        c.setTitle(title)
        c.setCreator("installment-planner")
        for lines in letters:
            pages = layout.pages(lines)
            counts.append(len(pages))
            for n, ops in enumerate(pages, 1):
                to = c.beginText()
                state: tuple = ()
                for x, y, text, size, bold, grey in ops:
                    if (size, bold, grey) != state:
                        to.setFont(font, size)
                        to.setFillGray(grey)
                        to.setTextRenderMode(2 if bold else 0)  # no bold face: fill and stroke the outlines
                        state = (size, bold, grey)
                    to.setTextOrigin(x, y)
                    to.textOut(text)
                folio = f"{n} / {len(pages)}"
                to.setFont(font, 8.0)
                to.setFillGray(0.35)
                to.setTextRenderMode(0)
                to.setTextOrigin(PAGE_W - LEFT - layout.width(folio, 8.0), BOTTOM - 30)
                to.textOut(folio)
                c.setLineWidth(0.3)
                c.drawText(to)
                c.showPage()
        c.save()
    return buf.getvalue(), counts


__all__ = ["render_letters"]
