"""An ordered, bounded parallel map over worker processes.

``ordered_map`` hands items to ``workers`` forked processes and yields the
results in input order.  At most ``workers * 2 + 1`` items are in flight, so
memory stays flat however long the input is (``multiprocessing.Pool.imap``
would read the whole input ahead).  Workers ignore SIGINT: Ctrl+C reaches the
main process, which stops the pool and cleans up; the workers are terminated
(SIGTERM, with its default action in the workers whatever the main process does with it).
With one worker everything runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from typing import Callable, Iterable, Iterator


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(init: Callable, args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the main process to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # how the main process stops its workers
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
    pool = ctx.Pool(workers, initializer=_start_worker, initargs=(init, initargs))
    pending: deque = deque()
    limit = max_inflight or workers * 2 + 1
    ok = False
    try:
        for item in items:
            pending.append(pool.apply_async(func, (item,)))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        ok = True
    finally:
        if ok:
            pool.close()
        else:
            pool.terminate()
        pool.join()
