"""What ``frames`` promises the console tests: no frame is drawn while a test runs, layout still follows
every change, a picture is drawn whole, and the last screen of every app is drawn before it stops."""

from __future__ import annotations

import pytest
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.markup import MarkupError
from textual.widgets import Input, Static


class Fussy(Static):
    """A widget of a fixed size (laying it out never builds its content) that cannot be drawn once told so."""

    DEFAULT_CSS = "Fussy { width: 20; height: 1; }"
    broken = False

    def render(self):
        if self.broken:
            raise RuntimeError("this widget cannot be drawn")
        return "fussy"


class Tiny(App):
    def compose(self) -> ComposeResult:
        yield Input(id="typed")
        yield Static("one line", id="grows")
        yield Fussy(id="fussy")


@pytest.fixture
def drawn(monkeypatch):
    """Every render of a whole screen or of its changes: whether it was whole."""
    calls: list[bool] = []
    render_update = Compositor.render_update

    def counting(self, full=False, screen_stack=None, simplify=False):
        calls.append(full)
        return render_update(self, full=full, screen_stack=screen_stack, simplify=simplify)

    monkeypatch.setattr(Compositor, "render_update", counting)
    return calls


async def test_no_frame_is_drawn_while_the_test_runs_and_the_last_screen_is_drawn_whole(drawn):
    app = Tiny()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.press(*"hello", "tab")
        await pilot.pause()
        assert drawn == []
    assert drawn == [True]


async def test_layout_follows_every_change_without_a_frame(drawn):
    app = Tiny()
    async with app.run_test(size=(40, 10)) as pilot:
        grows = app.query_one("#grows", Static)
        assert grows.region.height == 1
        grows.update("one\ntwo\nthree")
        await pilot.pause()
        assert grows.region.height == 3
        assert app.query_one("#fussy").region.y == grows.region.bottom
        assert drawn == []


async def test_a_screenshot_draws_the_whole_screen_as_it_is_now():
    app = Tiny()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.press(*"typed_just_now")
        assert "typed_just_now" in app.export_screenshot()


async def test_a_widget_that_cannot_be_drawn_fails_the_test_that_reached_it():
    app = Tiny()
    with pytest.raises(RuntimeError, match="cannot be drawn"):
        async with app.run_test(size=(40, 10)) as pilot:
            fussy = app.query_one(Fussy)
            fussy.broken = True
            fussy.refresh()
            await pilot.pause()


async def test_content_that_cannot_be_built_fails_as_soon_as_it_is_laid_out(drawn):
    app = Tiny()
    with pytest.raises(MarkupError):
        async with app.run_test(size=(40, 10)) as pilot:
            app.query_one("#grows", Static).update("[/not-a-tag]")
            await pilot.pause()
    assert drawn == []  # laying the widget out built its content: no frame was needed to find the error
