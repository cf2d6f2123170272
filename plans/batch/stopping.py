"""A stop asked for by SIGINT or SIGTERM, acted on at safe points.

Python raises KeyboardInterrupt wherever the main thread happens to be when the
signal comes, and some places swallow it: a signal handled during an import that
a C extension makes on its own (pyarrow's compute functions import modules on
first use) or in a weak-reference callback is reported as "Exception ignored" and
lost, and the run then goes on to the end as if nothing had happened.  So while a
batch runs, the signals only note that a stop was asked (:func:`stop_on_signals`),
and the run stops at the next safe point (:func:`check_stop`: after every chunk and every
slice of PDF letters, before the files are published, and every twentieth of a second
while the main process waits for its workers) by raising KeyboardInterrupt itself.  pyarrow's
own handling of Ctrl+C (which cancels a read with ``ArrowCancelled``) is turned off
for the same reason: one mechanism decides when a run stops.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_asked: list[int] = []


def _note(signum, frame) -> None:
    _asked.append(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM note a stop for :func:`check_stop` while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    import pyarrow

    pyarrow.enable_signal_handlers(False)
    _asked.clear()
    previous = {sig: signal.signal(sig, _note) for sig in _SIGNALS if signal.getsignal(sig) is not None}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def check_stop() -> None:
    """Raise KeyboardInterrupt when a stop was asked for (see :func:`stop_on_signals`)."""
    if _asked:
        raise KeyboardInterrupt


__all__ = ["check_stop", "stop_on_signals"]
