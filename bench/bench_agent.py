"""Agent console: cold start to the first screen, and keystroke to updated offers.

    .venv/bin/python bench/bench_agent.py            # or: make bench

Targets (a 2-core machine): cold start 1.5 s or less; keystroke to updated offers
16 ms or less in its handler (one frame at 60 Hz).

* cold start: a fresh Python process (``python -m installment_tui.cli``-like: the
  console's own imports, opening the store and the policy) until the search screen
  has been composed, mounted and painted once (headless, as under ``run_test``),
  measured from just before the process is started.  Three runs; min and median.
* keystroke: on DEMO-0001's workspace, one key typed into "can pay / month" until
  every figure on screen is updated: ``recompute`` (negotiate the draft, field
  messages, offers table, reasons, budget picture, debt table).  Timed around the
  handler for 200 keystrokes, and end to end with ``Pilot.press`` (which also waits
  for the screen to be idle, so it is an upper bound).
* screens: CPU time of opening DEMO-0001's workspace, its profile (F3) and going
  back (Escape), 10 rounds in a fresh process, with Python's default garbage
  collector and with the pace the consoles set (``installment_tui.collector``).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

CHILD = r"""
import asyncio, sys, time
start = float(sys.argv[1])
from plans.policy import load_policy
from plans.store import open_store
from installment_tui.agent.app import AgentApp

async def main():
    app = AgentApp(open_store(sys.argv[2], "bench", "agent"), load_policy(None), "agent", "zh_CN",
                   load_user_keymap=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#results").row_count > 0
        print(time.time() - start)

asyncio.run(main())
"""


SCREENS = r"""
import asyncio, sys, time
from datetime import date
from plans.policy import default_policy
from plans.store import open_store
from installment_tui.agent.app import AgentApp
from installment_tui.collector import pace_for_console

async def main():
    app = AgentApp(open_store(sys.argv[1], "bench", "agent"), default_policy(), "agent", "zh_CN",
                   today=date(2026, 12, 1), load_user_keymap=False)
    if sys.argv[2] == "paced":
        pace_for_console()
    rounds = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        search = app.screen
        for _ in range(10):
            t0 = time.process_time()
            search.open_account("DEMO-0001")
            await pilot.pause()
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
            rounds.append(time.process_time() - t0)
    print(" ".join(map(str, rounds)))

asyncio.run(main())
"""


def make_db(folder: Path) -> Path:
    from plans.demo_data import generate
    from plans.store import open_store

    db = folder / "bench.db"
    store = open_store(db, "bench", "system")
    cases = generate(200, 2025)
    store.upsert_accounts((c.account for c in cases), profiles={c.account.ref: c.profile for c in cases if c.profile})
    store.close()
    return db


def cold_start(db: Path, runs: int = 3) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.time()
        res = subprocess.run(
            [sys.executable, "-c", CHILD, repr(start), str(db)], capture_output=True, text=True, check=True
        )
        out.append(float(res.stdout.strip().splitlines()[-1]))
    return out


async def keystrokes(db: Path, n: int = 200) -> tuple[list[float], list[float]]:
    from installment_tui.agent.app import AgentApp
    from installment_tui.agent.terms_form import TermsForm
    from plans.policy import default_policy
    from plans.store import open_store

    app = AgentApp(
        open_store(db, "bench", "agent"),
        default_policy(),
        "agent",
        "zh_CN",
        today=date(2026, 12, 1),
        load_user_keymap=False,
    )
    handler, pressed = [], []
    async with app.run_test(size=(160, 48)) as pilot:
        app.screen.open_account("DEMO-0001")
        await pilot.pause()
        ws = app.screen
        form = ws.query_one(TermsForm)
        pay = form.field("pay")
        values = [str(v) for v in range(1200, 1200 + n)]
        for v in values:  # the handler alone: what one keystroke costs the console
            form.draft = form.draft.with_field("pay", v)
            t0 = time.perf_counter()
            ws.recompute()
            handler.append(time.perf_counter() - t0)
        pay.value = "15"
        pay.input.focus()
        await pilot.pause()
        for i in range(30):  # end to end: key press to idle screen
            key = "backspace" if i % 2 else "0"
            t0 = time.perf_counter()
            await pilot.press(key)
            pressed.append(time.perf_counter() - t0)
    return handler, pressed


async def bare_input_press(n: int = 30) -> list[float]:
    """Pilot.press on an app with one Input: the Pilot's own wait, to compare against."""
    from textual.app import App
    from textual.widgets import Input

    class Bare(App):
        def compose(self):
            yield Input()

    app, out = Bare(), []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for i in range(n):
            t0 = time.perf_counter()
            await pilot.press("backspace" if i % 2 else "0")
            out.append(time.perf_counter() - t0)
    return out


def screens(db: Path, pace: str) -> list[float]:
    res = subprocess.run([sys.executable, "-c", SCREENS, str(db), pace], capture_output=True, text=True, check=True)
    return [float(x) for x in res.stdout.split()]


def ms(values: list[float]) -> str:
    v = sorted(values)
    return (
        f"median {statistics.median(v) * 1000:.1f} ms, p95 {v[int(len(v) * 0.95) - 1] * 1000:.1f} ms, "
        f"max {v[-1] * 1000:.1f} ms"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = make_db(Path(tmp))
        starts = cold_start(db)
        print(
            f"cold start to first screen (target <= 1.5 s): min {min(starts):.2f} s, "
            f"median {statistics.median(starts):.2f} s over {len(starts)} runs"
        )
        handler, pressed = asyncio.run(keystrokes(db))
        print(f"keystroke to updated offers, handler (target <= 16 ms): {ms(handler)} over {len(handler)} keys")
        print(f"keystroke to idle screen via Pilot.press (upper bound): {ms(pressed)} over {len(pressed)} keys")
        bare = asyncio.run(bare_input_press())
        print(
            f"  the same Pilot.press on a bare one-Input app: {ms(bare)}; the console adds "
            f"{(statistics.median(pressed) - statistics.median(bare)) * 1000:.1f} ms (handler and repaint)"
        )
        for pace in ("default", "paced"):
            rounds = screens(db, pace)
            print(
                f"workspace, profile and back, CPU a round ({pace} collector): {ms(rounds)} over {len(rounds)} rounds"
            )


if __name__ == "__main__":
    main()
