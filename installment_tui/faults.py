"""Unexpected errors in the Textual apps: never a traceback with local variables, never a value in a log.

Textual's default for an unhandled error is to exit and print a Rich traceback with
every frame's local variables: on a kiosk that shows the account number, the ID
card's last four and the birth date the debtor just typed.  :class:`PlainTraceback`
keeps the frames and drops the variables (the agent console); the kiosk goes further
and prints nothing at all (:mod:`installment_tui.kiosk.app`).

:func:`describe` names an error for a log by its type and where it happened, with a
message only for errors whose messages are the program's own words about files and
databases (``StoreError``, ``OSError``): never a value that was typed or read.
:func:`quiet_process` sends what Python itself would print on the terminal (warnings,
errors in threads and asyncio tasks) to a logger instead.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the mixins below are mixed into (at run time they add to it through the MRO)
    from textual.app import App
    from textual.message_pump import MessagePump

    _App = App[Any]
    _MessagePump = MessagePump
else:
    _App = _MessagePump = object


class PlainTraceback(_App):
    """Mixed into a Textual ``App`` (before ``App``): an unhandled error exits with status 1 and a
    traceback *without* local variables."""

    def _fatal_error(self) -> None:  # Textual's hook (textual.app.App._fatal_error)
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        rendered = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(rendered, self.console.options)))
        self._close_messages_no_wait()


class KeepRunning(_MessagePump):
    """Mixed into a screen, widget or app (before the Textual class): an error in one of its handlers
    goes to ``app.fault(error)`` and the widget goes on handling messages.

    Textual's message loop stops a widget for good after an unhandled error in one of its handlers
    (and for the app itself: no key would work again), then ends the app; with this mixin the error
    is reported where it happened and the rest of the console carries on.  An app without ``fault``
    keeps Textual's behaviour.
    """

    async def _dispatch_message(self, message) -> None:  # Textual's hook (MessagePump._dispatch_message)
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            fault = getattr(self.app, "fault", None)
            if fault is None:
                raise
            fault(error)


def where(error: BaseException) -> str:
    """Where ``error`` happened: the innermost frame of the interface (which step, which screen) and,
    when it went deeper, the innermost frame of the program's own code: ``a.py:12 in f (b.py:3 in g)``."""
    frames = traceback.extract_tb(error.__traceback__)

    def name(frame) -> str:
        parts = frame.filename.replace(os.sep, "/").split("/")
        return f"{'/'.join(parts[-3:])}:{frame.lineno} in {frame.name}"

    ours = [f for f in frames if any(p in f.filename.replace(os.sep, "/") for p in _OURS)]
    ui = [f for f in ours if "installment_tui" in f.filename]
    if not frames:
        return "unknown place"
    outer = (ui or ours or frames)[-1]
    inner = (ours or frames)[-1]
    return name(outer) if inner is outer else f"{name(outer)} ({name(inner)})"


_OURS = ("installment_tui/", "/plans/", "/calc/")


def describe(error: BaseException) -> str:
    """What a log may say about ``error``: its type, where, and a message only when it holds no data."""
    from plans.text.sanitize import clean
    from plans.store import StoreError

    name = type(error).__name__
    if isinstance(error, StoreError):
        detail = f": {clean(error.message)}"
    elif isinstance(error, OSError):
        detail = f": {clean(error.strerror or '')}"
    else:
        detail = ""
    return f"{name}{detail} at {where(error)}"


def quiet_process(log: logging.Logger) -> None:
    """Nothing Python would print by itself reaches the terminal (which shows the kiosk): warnings,
    errors in threads, unraisable errors and logging's own last-resort output go to ``log``."""
    logging.captureWarnings(True)
    logging.raiseExceptions = False
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    logging.lastResort = None

    def thread_hook(args) -> None:
        if args.exc_value is not None:
            log.error("error in a thread: %s", describe(args.exc_value))

    def unraisable_hook(args) -> None:
        if args.exc_value is not None:
            log.error("unraisable error: %s", describe(args.exc_value))

    threading.excepthook = thread_hook
    sys.unraisablehook = unraisable_hook


__all__ = ["KeepRunning", "PlainTraceback", "describe", "quiet_process", "where"]
