"""Console tests draw the frames somebody looks at, not every frame.

A console test runs its app headless: Textual lays out and renders a frame up to 60 times a second, and
the headless driver throws each frame away.  Drawing those frames was about a quarter of the CPU of the
console tests (``tests/tui``: about 175 CPU-s with them, 133 without, on 2 cores), and the whole suite is
CPU-bound.  :func:`install` changes that for the tests only (the consoles themselves are untouched):

- a headless app still styles, composes and lays out every change as it happens, and laying out builds
  the content of every widget whose size follows its content (the step where a markup error or a bad
  renderable raises);
- it does not draw the frames nobody reads;
- every picture is drawn whole, as before: each snapshot and each ``export_screenshot()`` renders the
  screen from its widgets;
- and the last screen of every ``run_test()`` app is drawn whole before the app stops, so a widget that
  cannot be drawn still fails the test that reached it.

``tests/tui/test_frames.py`` checks each of these promises, so a Textual upgrade that moves the method
this wraps fails there rather than silently drawing every frame again (or none).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

_draw_every_frame = Screen._compositor_refresh
_run_test = App.run_test


def _draw_when_looked_at(screen: Screen) -> None:
    app = screen.app
    if app.is_headless and not app.is_inline and screen is app.screen:
        # What the frame would have shown is forgotten; the widgets keep what they must redraw.
        screen._compositor._dirty_regions.clear()
        screen._dirty_widgets.clear()
        app._update_mouse_over(screen)
        return
    _draw_every_frame(screen)


def draw_whole_screen(app: App) -> None:
    """Render the app's current screen from its widgets, as a frame (or a screenshot) shows it."""
    app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


@asynccontextmanager
async def _run_test_drawing_the_last_screen(self: App, *args: Any, **kwargs: Any) -> AsyncIterator[Pilot]:
    async with _run_test(self, *args, **kwargs) as pilot:
        yield pilot
        if self.is_running and self._driver is not None:
            draw_whole_screen(self)


def install() -> None:
    Screen._compositor_refresh = _draw_when_looked_at
    App.run_test = _run_test_drawing_the_last_screen
