"""A panel of Rich text as tall as its text, which repaints without a new layout while its height holds.

``Static.update`` asks for a layout of the whole screen; a panel whose text changes
on every keystroke (the reasons beside the offers) usually keeps its number of lines
and then only needs a repaint.  When the wrapped text needs more or fewer lines, the
panel asks for a layout once, so nothing is ever cut off (the pane around it scrolls).
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from installment_tui.faults import KeepRunning


class TextPanel(KeepRunning, Widget):
    DEFAULT_CSS = """
    TextPanel { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()
        self._lines = 0

    @property
    def text(self) -> Text:
        return self._text

    def show(self, text: Text | str) -> None:
        self._text = text if isinstance(text, Text) else Text(text)
        lines = self._line_count(self.content_region.width)
        self.refresh(layout=lines != self._lines)
        self._lines = lines

    def _line_count(self, width: int) -> int:
        if width <= 0:
            return -1  # not laid out yet: the first layout measures it
        return len(self._text.wrap(self.app.console, width))

    def get_content_height(self, container, viewport, width: int) -> int:
        self._lines = self._line_count(width)
        return max(self._lines, 1)

    def render(self) -> Text:
        return self._text
