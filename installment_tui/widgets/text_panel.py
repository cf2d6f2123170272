"""A fixed-size panel of Rich text that repaints without a new layout.

``Static.update`` asks for a layout of the whole screen; a panel whose text changes
on every keystroke (the reasons beside the offers) only needs a repaint.  Give it
a height in CSS; text beyond it is cut at the bottom.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from installment_tui.faults import KeepRunning


class TextPanel(KeepRunning, Widget):
    DEFAULT_CSS = """
    TextPanel { height: 10; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()

    @property
    def text(self) -> Text:
        return self._text

    def show(self, text: Text | str) -> None:
        self._text = text if isinstance(text, Text) else Text(text)
        self.refresh()

    def render(self) -> Text:
        return self._text
