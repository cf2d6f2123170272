"""Waiting, in a console test, for what an action leads to: a screen, a state."""

from __future__ import annotations

import time
from typing import Callable


async def until(pilot, condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Pause until ``condition()`` holds.  On a loaded machine what an action leads to (a screen that
    computes offers while it composes, a retry) can take several pauses; what does not come within
    ``timeout`` seconds fails here, saying ``what`` was awaited and which screen is there instead."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            awaited = f"{what} did not come" if what else "not"
            raise AssertionError(f"{awaited} within {timeout}s; the screen is {type(pilot.app.screen).__name__}")
        await pilot.pause(0.05)


__all__ = ["until"]
