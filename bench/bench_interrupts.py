"""Interrupting `installment batch` at random moments: does it ever hang, or leave files behind?

    .venv/bin/python bench/bench_interrupts.py                 # 100 trials on a 300,000-row portfolio
    .venv/bin/python bench/bench_interrupts.py --trials 20 --rows 50000 --keep /tmp/trials

Each trial starts a real `installment batch` (in its own session, as a terminal or a
service manager would run it) and, after a random delay spread over a whole run,
sends SIGINT or SIGTERM either to the batch process alone or to its whole process
group (Ctrl+C in a terminal, ``systemctl stop``); in half the trials a second signal
follows within half a second.  Outputs vary (CSV, CSV with schedules, JSON Lines).

A trial *hangs* when the batch has not exited 60 s after the last signal (its
threads' stacks are then written to the ``--keep`` folder and it is killed).  It
*leaves files* when anything but the older file of the output folder remains
(``.*.tmp`` files or folders, or the output folder a run created), or when a worker
process outlives the batch.  A run that finished before the signal arrived must
exit 0 with its files; an interrupted one must exit 130, or die of the signal
when it came while Python itself was starting or exiting (when Python's own default
handlers are in place; a SIGINT while Python imports its ``site`` module ends it with
"Fatal Python error: init_import_site" and exit status 1 instead) and left nothing behind.  The script prints one line
per trial (with how long the run took to exit after the signal) and the totals;
it exits 1 if any trial hung or left something behind.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import generate

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = ([], ["--schedules"], ["--format", "jsonl"])
OLD = "an older run\n"
#: The batch with a handler that dumps every thread's stack on SIGUSR1 (to diagnose a hang).
LAUNCH = (
    "import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1, all_threads=True); "
    "from installment_tui.cli import main; sys.exit(main(sys.argv[1:]))"
)


def group_alive(pgid: int) -> list[int]:
    """Processes still in the process group ``pgid``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    alive.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                pass
    return alive


def run_once(portfolio: Path, work: Path, n: int, rng: random.Random, full: float, keep: Path) -> dict:
    out = work / f"out{n}"
    precreated = rng.random() < 0.5  # half the runs write into an existing folder with an older file
    if precreated:
        out.mkdir()
        (out / "offers.csv").write_text(OLD)
    options = rng.choice(OPTIONS)
    sig = rng.choice((signal.SIGINT, signal.SIGTERM))
    to_group = rng.random() < 0.5
    delay = rng.uniform(0.0, full * 1.1)
    second = rng.uniform(0.0, 0.5) if rng.random() < 0.5 else None
    stderr = keep / f"trial{n}.stderr"
    with open(stderr, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "batch", str(portfolio), "-o", str(out), "--start", "2026-12-01", *options],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        time.sleep(delay)

        def send(s):
            try:
                os.killpg(proc.pid, s) if to_group else os.kill(proc.pid, s)
            except ProcessLookupError:
                pass

        send(sig)
        signalled = time.perf_counter()
        if second is not None:
            time.sleep(second)
            send(rng.choice((signal.SIGINT, signal.SIGTERM)))
        hung = False
        took = None
        try:
            code = proc.wait(timeout=60)
            took = time.perf_counter() - signalled
        except subprocess.TimeoutExpired:
            hung = True
            os.kill(proc.pid, signal.SIGUSR1)  # stacks into the trial's stderr file
            time.sleep(1)
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
    time.sleep(0.05)
    survivors = group_alive(proc.pid)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    if out.exists():
        left = sorted(p.name for p in out.iterdir())
    else:
        left = None
    if code == 0:  # finished before the signal: the files are there
        ok_files = left is not None and "offers.csv" in left and not any(x.endswith(".tmp") for x in left)
        leftovers = [] if ok_files else [f"files after success: {left}"]
    else:
        expected = ["offers.csv"] if precreated else None
        leftovers = [] if left == expected else [f"left {left}"]
        if precreated and left == expected and (out / "offers.csv").read_text() != OLD:
            leftovers.append("the older offers.csv was changed")
    if survivors:
        leftovers.append(f"{len(survivors)} processes outlived the batch")
    # before Python set its handlers, or during its exit; or Python's own start-up cut short by Ctrl+C before
    # it ran any of the batch's code ("Fatal Python error: init_import_site", exit status 1)
    early = code in (-signal.SIGINT, -signal.SIGTERM) or (
        code == 1 and stderr.read_text(errors="replace").startswith("Fatal Python error: init_import_site")
    )
    if code not in (0, 130) and not hung and not early:
        leftovers.append(f"exit status {code}")
    shutil.rmtree(out, ignore_errors=True)
    if not hung and not leftovers:
        stderr.unlink()
    return {
        "n": n,
        "signal": signal.Signals(sig).name,
        "to": "group" if to_group else "process",
        "delay": delay,
        "second": second,
        "options": " ".join(options) or "csv",
        "code": code,
        "hung": hung,
        "leftovers": leftovers,
        "early": early,
        "took": took,
    }


def took(r: dict) -> str:
    return f"exited {r['took']:5.2f} s after" if r["took"] is not None else " " * 19


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--keep", type=Path, help="folder for the stacks and stderr of failed trials")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-interrupts-") as tmp:
        work = Path(tmp)
        keep = args.keep or work / "failed"
        keep.mkdir(parents=True, exist_ok=True)
        portfolio = work / "portfolio.csv"
        generate(portfolio, args.rows)
        began = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "installment_tui.cli",
                "batch",
                str(portfolio),
                "-o",
                str(work / "full"),
                "--start",
                "2026-12-01",
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        full = time.perf_counter() - began
        shutil.rmtree(work / "full")
        print(f"{args.rows:,} rows; an uninterrupted run takes {full:.1f} s; load average {os.getloadavg()[0]:.2f}")
        hangs = leftover = finished = early = 0
        stops: list[float] = []  # seconds from the signal to the exit of each interrupted run
        for n in range(1, args.trials + 1):
            r = run_once(portfolio, work, n, rng, full, keep)
            hangs += r["hung"]
            leftover += bool(r["leftovers"])
            finished += r["code"] == 0
            early += r["early"]
            if r["code"] != 0 and r["took"] is not None:
                stops.append(r["took"])
            second = f" + second after {r['second']:.2f} s" if r["second"] is not None else ""
            clean = "clean (died of the signal while Python started or exited)" if r["early"] else "clean"
            verdict = "HUNG" if r["hung"] else ("; ".join(r["leftovers"]) or clean)
            print(
                f"trial {n:3}: {r['signal']:7} to {r['to']:7} at {r['delay']:5.2f} s{second:25} "
                f"{r['options']:14} exit {r['code']:4}  {took(r)}  {verdict}",
                flush=True,
            )
        print(
            f"\n{args.trials} trials: {hangs} hangs, {leftover} with leftovers ({finished} runs had finished "
            f"before the signal; {early} died of it while Python started or exited, leaving nothing); "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        if stops:
            stops.sort()
            print(
                f"an interrupted run exited {stops[len(stops) // 2]:.2f} s after the signal (median), "
                f"{stops[-1]:.2f} s at most ({len(stops)} runs)"
            )
        if hangs or leftover:
            print(f"stacks and stderr of the failed trials: {keep}")
            if args.keep is None:
                shutil.copytree(keep, Path(tempfile.gettempdir()) / "bench-interrupts-failed", dirs_exist_ok=True)
    return 1 if hangs or leftover else 0


if __name__ == "__main__":
    sys.exit(main())
