"""An ordered, bounded parallel map over worker processes that can always be stopped.

``ordered_map`` hands items to ``workers`` forked processes, one at a time each,
and yields the results in input order.  At most ``workers * 2 + 1`` items are in
flight or waiting to be yielded, so memory stays flat however long the input is.

Each worker has a pipe of its own to the main process, and nothing else is shared:
no queue, no lock.  That is what makes stopping safe.  ``multiprocessing.Pool``
shares its task and result queues, whose locks are POSIX semaphores; a worker
killed while holding one (a SIGTERM sent to the whole process group, as
``systemctl stop`` does, reaches the workers too) never releases it, and
``Pool.terminate()`` then waited for it forever (found by ``bench/bench_interrupts.py``).
Here a run that stops for any reason kills its workers (SIGKILL: they hold nothing
worth saving; their partial files are in the run's temporary folder) and reaps them.

Workers ignore SIGINT: Ctrl+C is for the main process, which stops the run and
cleans up; SIGTERM has its default action in the workers, whatever the main process
does with it.  SIGINT and SIGTERM are held off while the workers are started
(:class:`_HeldSignals`), so that a signal never leaves a worker nobody knows about;
it takes effect once they all exist, and stops them like any other.  A worker that
dies of a signal is taken as the run being stopped (``KeyboardInterrupt``).
With one worker everything runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import Any, Callable, Generator, Iterable


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
        self.previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            self.previous = {
                sig: signal.signal(sig, self._note) for sig in _HELD if signal.getsignal(sig) is not None
            }  # None: a handler not set from Python
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


@contextmanager
def undisturbed():
    """SIGINT and SIGTERM ignored for a moment (in the main thread, where signals are handled):
    stopping the workers, publishing the files, cleaning up after a stop.  A second signal then
    cannot cut the work short and leave workers or half the temporary files behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {sig: signal.signal(sig, signal.SIG_IGN) for sig in _HELD if signal.getsignal(sig) is not None}
    try:
        yield
    finally:
        for sig, previous in held.items():
            signal.signal(sig, previous)


def _start_worker(init: Callable, args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the main process to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # how the main process stops its workers
    if hasattr(signal, "pthread_sigmask"):  # forked while the workers were being started: signals held
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    init(*args)


def _serve(conn, func: Callable, init: Callable, initargs: tuple, others: tuple = ()) -> None:
    """A worker: ``(n, item)`` in, ``(n, True, result)`` or ``(n, False, error)`` out; None ends it.

    ``others``: the main process's ends of this worker's pipe and of those forked before it, which a
    fork copies; closed here, so that when the main process is gone (even killed) every worker reads
    the end of its pipe and exits."""
    for other in others:
        other.close()
    _start_worker(init, initargs)
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the main process is gone
            return
        if task is None:
            return
        n, item = task
        try:
            reply = (n, True, func(item))
        except Exception as exc:  # noqa: BLE001 - sent back, raised in the main process
            reply = (n, False, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - an error that cannot be pickled
            conn.send((n, False, RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx, func: Callable, init: Callable, initargs: tuple, others: tuple | None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        others = () if others is None else (*others, self.conn)
        self.process = ctx.Process(target=_serve, args=(child, func, init, initargs, others), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None  # the item it is working on

    def died(self) -> BaseException:
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and -code in _HELD:  # SIGTERM to the process group: the run is being stopped
            return KeyboardInterrupt()
        return RuntimeError(f"a worker process stopped unexpectedly (exit status {code})")


def _stop(workers: list[_Worker], finished: bool) -> None:
    """End the workers: politely after a complete run, at once (SIGKILL) otherwise; never waits on a lock."""
    with undisturbed():
        _end(workers, finished)


def _end(workers: list[_Worker], finished: bool) -> None:
    for w in workers:
        if finished:
            try:
                w.conn.send(None)
            except OSError:
                pass
        else:
            w.process.kill()
    for w in workers:
        w.process.join(5 if finished else None)
        if w.process.is_alive():  # pragma: no cover - a worker that ignored its end
            w.process.kill()
            w.process.join()
        w.conn.close()


def forks() -> bool:
    """Whether the workers are forked (they start with a copy of the calling process), not spawned."""
    return "fork" in multiprocessing.get_all_start_methods()


#: While the workers compute, how often ``ordered_map`` calls its ``check`` (seconds).
CHECK_EVERY = 0.05


def ordered_map(
    func: Callable,
    items: Iterable,
    workers: int,
    init: Callable,
    initargs: tuple = (),
    max_inflight: int | None = None,
    check: Callable[[], None] | None = None,
) -> Generator[Any, None, None]:
    """``check`` is called every :data:`CHECK_EVERY` seconds while the main process waits for the workers;
    an exception it raises stops the workers at once and leaves the map (a stop asked for by a signal
    takes effect then, not after a chunk that may take seconds).  With one worker it is not called: the
    caller checks between items."""
    if workers <= 1:
        init(*initargs)
        for item in items:
            yield func(item)
        return
    method = "fork" if forks() else "spawn"
    ctx = multiprocessing.get_context(method)
    limit = max_inflight or workers * 2 + 1
    pool: list[_Worker] = []
    done: dict[int, object] = {}
    source = iter(items)
    sent = returned = 0
    exhausted = finished = False
    try:
        with _HeldSignals():  # a signal that comes meanwhile is raised on leaving, with every worker known
            for _ in range(workers):
                others = tuple(w.conn for w in pool) if method == "fork" else None
                pool.append(_Worker(ctx, func, init, initargs, others))
        while True:
            # One item at a time per worker, sent only while it waits for one: a worker sending a big
            # result never blocks on a main process that is itself blocked sending it the next item.
            while not exhausted and sent - returned < limit:
                free = next((w for w in pool if w.task is None), None)
                if free is None:
                    break
                item = next(source, _END)
                if item is _END:
                    exhausted = True
                    break
                try:
                    free.conn.send((sent, item))
                except OSError:  # it died (a SIGTERM to the process group): not a file's error
                    raise free.died() from None
                free.task = sent
                sent += 1
            if returned in done:
                yield done.pop(returned)
                returned += 1
                continue
            if exhausted and returned == sent:
                break
            busy = {w.conn: w for w in pool if w.task is not None}
            ready = wait(list(busy), None if check is None else CHECK_EVERY)
            if check is not None:
                check()
            for conn in ready:
                w = busy[conn]
                try:
                    n, ok, value = w.conn.recv()
                except (EOFError, OSError):
                    raise w.died() from None
                w.task = None
                if not ok:
                    raise value
                done[n] = value
        finished = True
    finally:
        _stop(pool, finished)


_END = object()
