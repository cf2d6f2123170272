"""A console test waits only for the widgets that have something to do.

Textual's pilot waits, after every key press and every ``pause()``, until each widget on the screen has
handled every message it had then: it posts a callback to each one (the app and some 100 to 300 widgets)
and waits for all of them to run.  A widget with nothing to do still wakes for it, handles it and then
handles an idle event: about 60 µs each, some 6 ms of CPU per wait on the workspace, and about 180,000 of
them in the console tests (about 11 s of CPU).

:func:`install` changes that for the tests only (the consoles never wait like this): the callback goes to
the widgets that are busy, and a widget counts as done when it is waiting for its next message with none
queued, none in hand and nothing left to run after its idle step.  Such a widget has already handled
everything it had; a widget given work by another (a refresh, a style update) is given a message with it
(Textual's ``check_idle``), so it is busy, and is waited for as before.  ``tests/tui/test_settled.py`` checks
that a wait still waits for a busy widget.
"""

from __future__ import annotations

import asyncio

from textual.app import ScreenStackError, UnknownModeError
from textual.message_pump import MessagePump
from textual.pilot import Pilot, WaitForScreenTimeout


def idle(pump: MessagePump) -> bool:
    """``pump`` is waiting for its next message (its task waits on its queue's event), with none queued or
    in hand and nothing left to run after its idle step."""
    queue = pump._message_queue
    return (
        not queue.values
        and pump._pending_message is None
        and not pump._next_callbacks
        and any(not waiter.done() for waiter in queue.ready_event._waiters)
    )


async def _wait_for_busy_widgets(self: Pilot, timeout: float = 30.0) -> bool:
    """Textual's ``Pilot._wait_for_screen``, asking only the widgets that are not :func:`idle`."""
    try:
        screen = self.app.screen
    except (ScreenStackError, UnknownModeError):  # no screen yet (or any more): nothing to wait for
        return False
    count = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            done.set()

    for pump in (self.app, *screen.walk_children(with_self=True)):
        if not idle(pump) and pump.call_later(one_done):
            count += 1
    if count:
        waits = [asyncio.create_task(done.wait()), asyncio.create_task(self.app._exception_event.wait())]
        _, pending = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if len(pending) == len(waits):
            raise WaitForScreenTimeout("Timed out while waiting for widgets to process pending messages.")
        if count > 0:
            return False
    return True


def install() -> None:
    Pilot._wait_for_screen = _wait_for_busy_widgets
