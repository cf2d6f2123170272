"""An ordered, bounded parallel map over worker processes.

``ordered_map`` hands items to ``workers`` forked processes and yields the
results in input order.  At most ``workers * 2 + 1`` items are in flight, so
memory stays flat however long the input is (``multiprocessing.Pool.imap``
would read the whole input ahead).  Workers ignore SIGINT: Ctrl+C reaches the
main process, which stops the pool and cleans up; the workers are terminated
(SIGTERM, with its default action in the workers whatever the main process does with it).
SIGINT and SIGTERM are held off while the pool is built (:class:`_HeldSignals`): a
signal handled in the middle of ``Pool()`` would leave a half-built pool that nothing
terminates, whose worker handler then forks replacements for the workers stopped at exit;
those outlive the run, stuck on the task queue's lock.  The signal takes effect once the
pool exists, and stops it like any other.
With one worker everything runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from typing import Callable, Iterable, Iterator


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_HELD = (signal.SIGINT, signal.SIGTERM)


class _HeldSignals:
    """Holds off SIGINT and SIGTERM for a moment, then acts on the first that came.

    In the main thread the Python handlers are swapped for one that only notes the
    signal (another thread may receive it from the system; Python runs handlers in
    the main thread anyway), and the signals are blocked, so that processes forked
    meanwhile start with them blocked (``_start_worker`` unblocks them once a worker's
    own handlers are set; a SIGTERM sent to it before then still stops it).
    """

    def __enter__(self) -> "_HeldSignals":
        self.caught: list[int] = []
        self.previous = {}
        if threading.current_thread() is threading.main_thread():
            self.previous = {sig: signal.signal(sig, self._note) for sig in _HELD
                             if signal.getsignal(sig) is not None}  # None: a handler not set from Python
        self.mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if hasattr(signal, "pthread_sigmask") else None
        return self

    def _note(self, signum, frame) -> None:
        self.caught.append(signum)

    def __exit__(self, *exc) -> None:
        if self.mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)  # a pending one is noted now
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        if self.caught:
            sig = self.caught[0]
            handler = self.previous[sig]
            if callable(handler):
                handler(sig, None)  # e.g. KeyboardInterrupt
            elif handler == signal.SIG_DFL:
                signal.raise_signal(sig)


def _start_worker(init: Callable, args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the main process to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # how the main process stops its workers
    if hasattr(signal, "pthread_sigmask"):  # forked while the pool was being built: signals held
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    init(*args)


def ordered_map(func: Callable, items: Iterable, workers: int, init: Callable, initargs: tuple = (),
                max_inflight: int | None = None) -> Iterator:
    if workers <= 1:
        init(*initargs)
        for item in items:
            yield func(item)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    pool = None
    pending: deque = deque()
    limit = max_inflight or workers * 2 + 1
    ok = False
    try:
        with _HeldSignals():  # a signal that comes meanwhile is raised on leaving, with the pool known
            pool = ctx.Pool(workers, initializer=_start_worker, initargs=(init, initargs))
        for item in items:
            pending.append(pool.apply_async(func, (item,)))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        ok = True
    finally:
        if pool is not None:
            if ok:
                pool.close()
            else:
                pool.terminate()
            pool.join()
