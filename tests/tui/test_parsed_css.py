"""Stylesheets parsed once per test process (``parsed_css``): each app still gets its own theme's colours."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Static


class Themed(App):
    CSS = "#swatch { background: $primary; color: $text; }"

    def compose(self) -> ComposeResult:
        yield Static("swatch", id="swatch")


@pytest.mark.parametrize("first, second", [("textual-dark", "textual-light"), ("nord", "gruvbox")])
async def test_apps_of_different_themes_get_their_own_colours(first, second):
    seen = {}
    for theme in (first, second, first):
        app = Themed()
        app.theme = theme
        async with app.run_test(size=(20, 3)) as pilot:
            await pilot.pause()
            colour = app.query_one("#swatch").styles.background
            assert app.theme == theme and colour == Color.parse(app.get_css_variables()["primary"])
            seen.setdefault(theme, colour)
            assert seen[theme] == colour  # the same theme again: the same colour
    assert seen[first] != seen[second]
