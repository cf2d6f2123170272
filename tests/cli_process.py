"""The real `installment` command line, each command in a process of its own, started warm.

Starting Python and importing the command line and the packages its commands load costs more CPU than
most commands' own work, and the end-to-end tests run a few hundred commands.  So each test process starts
one *zygote* once: a fresh interpreter, started as the ``installment`` script is, that imports the command
line and those packages and then only waits.  Every command is a process forked from it: a new process
with its own memory, working folder, environment, standard streams and exit status, that runs
``installment_tui.cli.main`` as the script does (``sys.exit(main())``: an uncaught exception prints its
traceback, the exit handlers run) — everything an end-to-end test looks at — without starting the
interpreter and importing again.  Nothing the test process did (a language set, a cache filled) reaches
it: the zygote never runs anything but imports.  What it imported is frozen (``gc.freeze``) before the first
fork: a command's collector then never walks those objects, and so never writes to (and copies) the pages it
shares with the zygote; that halved the CPU a forked command took (``installment offers``: 0.13 -> 0.07 s).

Settings that Python reads once at start-up (``PYTHON*``, the locale variables) cannot change in a forked
process: a command asked for with other values than the zygote's is started cold (:func:`run`).  The
documentation examples (``tests/test_docs_examples.py``) start every command cold, through the installed
script, as a user does.
"""

from __future__ import annotations

import atexit
import json
import locale
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

#: Read by the interpreter when it starts (or by the C library's locale), so a forked process cannot take
#: other values than its zygote's.
START_UP = ("PYTHON", "LC_", "LANG")

#: Imported by the zygote beyond what building the parser imports: what the commands import when they run.
PRELOAD = (
    "plans.offers",
    "plans.negotiation",
    "plans.store",
    "plans.summary",
    "plans.summary.pdf",
    "plans.servicing",
    "plans.conduct",
    "plans.demo_data",
    "plans.batch",
    "rich.console",
    "rich.table",
)

_ZYGOTE = r"""
import importlib, json, os, socket, struct, sys
from installment_tui.cli import build_parser, main
build_parser()
for name in sys.argv[2:]:
    importlib.import_module(name)
import gc
gc.collect()
gc.freeze()  # what was imported is never collected in a command: its collector leaves those pages unwritten
control = socket.socket(fileno=int(sys.argv[1]))
control.sendall(b"R")  # ready
while True:
    header = control.recv(4, socket.MSG_WAITALL)
    if len(header) < 4:
        os._exit(0)
    size, = struct.unpack("!I", header)
    body, fds, _, _ = socket.recv_fds(control, size, 3, socket.MSG_WAITALL)
    request = json.loads(body)
    pid = os.fork()
    if pid == 0:
        control.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]
        del control, header, size, body, fds, request, pid
        sys.exit(main())
    for fd in fds:
        os.close(fd)
    control.sendall(struct.pack("!i", pid))
    _, status = os.waitpid(pid, 0)
    control.sendall(struct.pack("!i", os.waitstatus_to_exitcode(status)))
"""


class _Zygote:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.start_up = _start_up(env)
        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE, str(theirs.fileno()), *PRELOAD],
            pass_fds=[theirs.fileno()],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        if ours.recv(1) != b"R":
            raise RuntimeError(f"the command-line zygote did not start (exit {self.proc.wait()})")

    def run(
        self, argv: list[str], cwd: str, env: Mapping[str, str], stdin: bytes | None, timeout: float | None
    ) -> tuple[int, bytes, bytes]:
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        body = json.dumps({"argv": argv, "cwd": cwd, "env": dict(env)}).encode()
        try:
            self.control.sendall(struct.pack("!I", len(body)))
            socket.send_fds(self.control, [body], [in_r, out_w, err_w])
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        (pid,) = struct.unpack("!i", self.control.recv(4, socket.MSG_WAITALL))
        try:
            out, err = _communicate(pid, in_w, out_r, err_r, stdin or b"", timeout)
        finally:  # also after a timeout (the command is killed): the zygote reports every exit status
            (code,) = struct.unpack("!i", self.control.recv(4, socket.MSG_WAITALL))
        return code, out, err

    def close(self) -> None:
        self.control.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _communicate(pid: int, in_w: int, out_r: int, err_r: int, data: bytes, timeout: float | None):
    """Feed ``data`` to the command and read both its outputs to their end (as ``Popen.communicate``)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
    sel = selectors.DefaultSelector()
    if data:
        os.set_blocking(in_w, False)
        sel.register(in_w, selectors.EVENT_WRITE)
    else:
        os.close(in_w)
    for fd in chunks:
        sel.register(fd, selectors.EVENT_READ)
    view = memoryview(data)
    try:
        while sel.get_map():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                os.kill(pid, signal.SIGKILL)
                raise subprocess.TimeoutExpired(["installment"], timeout or 0)
            for key, _ in sel.select(left):
                fd = key.fd
                if fd == in_w:
                    try:
                        view = view[os.write(fd, view[:65536]) :]
                    except BrokenPipeError:
                        view = view[:0]
                    if not view:
                        sel.unregister(fd)
                        os.close(fd)
                    continue
                chunk = os.read(fd, 65536)
                if chunk:
                    chunks[fd].append(chunk)
                else:
                    sel.unregister(fd)
                    os.close(fd)
    finally:
        for key in list(sel.get_map().values()):
            os.close(key.fd)
        sel.close()
    return b"".join(chunks[out_r]), b"".join(chunks[err_r])


def _start_up(env: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(START_UP)}


_zygotes: dict[tuple, _Zygote] = {}


def _zygote_for(env: Mapping[str, str]) -> _Zygote:
    key = tuple(sorted(_start_up(env).items()))
    if key not in _zygotes:
        _zygotes[key] = _Zygote(env)
    return _zygotes[key]


def stop_zygotes() -> None:
    while _zygotes:
        _zygotes.popitem()[1].close()


def run(
    args: Sequence[object],
    *,
    cwd: os.PathLike | str | None = None,
    env: Mapping[str, str] | None = None,
    input: str | bytes | None = None,
    text: bool = True,
    timeout: float | None = 120,
) -> subprocess.CompletedProcess:
    """``installment ARGS...`` as ``subprocess.run(..., capture_output=True)`` runs it, in a process forked
    from a warm zygote with the same start-up settings (see the module's text)."""
    env = dict(os.environ if env is None else env)
    argv = ["installment", *map(str, args)]
    data = input.encode("utf-8") if isinstance(input, str) else input
    code, out, err = _zygote_for(env).run(argv, os.fspath(cwd or os.getcwd()), env, data, timeout)
    if text:  # as subprocess decodes text: the locale's encoding, universal newlines
        encoding = locale.getpreferredencoding(False)
        return subprocess.CompletedProcess(argv, code, _text(out, encoding), _text(err, encoding))
    return subprocess.CompletedProcess(argv, code, out, err)


def _text(data: bytes, encoding: str) -> str:
    return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


atexit.register(stop_zygotes)
