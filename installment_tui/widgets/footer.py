"""A footer whose key descriptions follow the app's language.

The app gives a callable ``translate(text) -> text`` (for the agent console,
``app.t``); bindings keep English descriptions, shown translated here.  Switching
language only needs ``screen.refresh_bindings()``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class TranslatedFooter(Footer):
    def compose(self) -> ComposeResult:
        translate = getattr(self.app, "t", None)
        for widget in super().compose():
            if translate is not None and isinstance(widget, FooterKey) and widget.description:
                widget.description = translate(widget.description)
            yield widget
