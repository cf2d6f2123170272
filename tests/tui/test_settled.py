"""tests/tui/settled.py keeps its promise: a pilot's wait skips only widgets with nothing to do, and still
waits for a widget that has a message queued or in hand."""

from __future__ import annotations

import asyncio

from settled import idle
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static


class Slow(Static):
    class Work(Message):
        pass

    done = 0

    async def on_slow_work(self, _: Work) -> None:
        await asyncio.sleep(0.05)  # in hand for a while: the widget is not waiting for its next message
        self.done += 1


class One(App):
    def compose(self) -> ComposeResult:
        yield Slow("slow", id="slow")
        yield Static("idle", id="still")


async def test_a_wait_waits_for_a_busy_widget_and_skips_only_idle_ones():
    app = One()
    async with app.run_test() as pilot:
        slow, still = app.query_one("#slow", Slow), app.query_one("#still")
        await pilot.pause()
        assert idle(slow) and idle(still)
        for _ in range(3):
            slow.post_message(Slow.Work())
        assert not idle(slow) and idle(still)  # queued
        await pilot.pause()
        assert slow.done == 3 and idle(slow)
        slow.post_message(Slow.Work())
        await asyncio.sleep(0.01)  # now in hand, none queued
        assert not idle(slow)
        await pilot.press("x")
        assert slow.done == 4
        asked: list[str] = []  # whom a wait asks: not the widget with nothing to do
        for widget in (slow, still):
            ask = widget.call_later
            widget.call_later = lambda *a, _ask=ask, _id=widget.id, **k: asked.append(_id) or _ask(*a, **k)
        slow.post_message(Slow.Work())
        await pilot.pause()
        assert asked == ["slow"] and slow.done == 5
