"""A new screen is styled once (installment_tui.screen_styles): it carries the breakpoint classes of the
terminal's size from the start, is not styled again when first shown, and still follows a resize."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from installment_tui.screen_styles import BreakpointsFirst, StyledOnce, breakpoint_classes

POINTS = st.lists(st.tuples(st.integers(0, 300), st.sampled_from(["-a", "-b", "-c", "-d"])), max_size=4)


@given(width=st.integers(1, 400), height=st.integers(1, 200), horizontal=POINTS, vertical=POINTS)
def test_breakpoint_classes_follow_textuals_rule(width, height, horizontal, vertical):
    """The classes given before mount are the ones Textual's own resize gives (Screen._get_breakpoint_classes,
    applied the way Screen._on_resize applies it)."""
    expected = dict.fromkeys((name for _, name in horizontal + vertical), False)
    for name in Screen._get_breakpoint_classes(None, width, horizontal):  # type: ignore[arg-type]
        expected[name] = True
    for name in Screen._get_breakpoint_classes(None, height, vertical):  # type: ignore[arg-type]
        expected[name] = True
    assert breakpoint_classes(width, height, horizontal, vertical) == expected


class Page(StyledOnce, Screen):
    AUTO_FOCUS = "#next"  # (focusing the scroll container would style it and all it holds again)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("hello", id="hello")
            for n in range(30):
                yield Static(f"line {n}")
            yield Button("next", id="next")

    def on_mount(self) -> None:
        self.classes_at_mount = set(self.classes)


class Styles(BreakpointsFirst, App[None]):
    CSS = """
    Page.-short #hello { height: 1; }
    Page.-tall #hello { height: 20; }
    """
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]


async def test_a_pushed_screen_has_its_classes_at_mount_is_styled_once_and_follows_a_resize():
    app = Styles()
    async with app.run_test(size=(80, 24)) as pilot:
        applied: list[object] = []
        apply = app.stylesheet.apply

        def counting(node, *args, **kwargs):
            applied.append(node)
            return apply(node, *args, **kwargs)

        app.stylesheet.apply = counting  # type: ignore[method-assign]
        page = Page()
        await app.push_screen(page)
        await pilot.pause()
        await pilot.pause()
        assert {"-short"} <= page.classes_at_mount and "-tall" not in page.classes_at_mount
        hello = page.query_one("#hello")
        assert applied.count(hello) == 1, "a new screen is styled once"
        assert hello.size.height == 1
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert "-tall" in page.classes and "-short" not in page.classes
        assert hello.size.height == 20
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "-short" in page.classes and hello.size.height == 1
