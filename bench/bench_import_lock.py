"""How long other writers wait while `installment import` loads a big portfolio.

    .venv/bin/python bench/bench_import_lock.py            # 600,000 rows
    .venv/bin/python bench/bench_import_lock.py 100000

Imports a deterministic portfolio (bench/bench_batch.py's, about half the rows with a
hardship profile) into a new database with a real `installment import`, while this
process plays a console: every 100 ms it takes the write lock as every store change
does (``SqliteBackend.write``) and commits at once, timing how long it waited.  Prints
the import's wall time and the writer's waits (median, 99th percentile, longest).
Before the import wrote in short transactions, the longest wait was the whole
import (126-138 s for 600,000 rows), and a 30 s busy timeout failed.  While writers
waited with SQLite's own busy handler (a try every 100 ms after the first quarter
second), they missed the import's short gaps between transactions: longest wait
2,333 ms, 99th percentile 531 ms.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import generate

from plans.store.sqlite import SqliteBackend

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 600_000
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        src, db = work / "portfolio.csv", work / "import.db"
        generate(src, rows)
        env = dict(os.environ, INSTALLMENT_DB=str(db), INSTALLMENT_AUDIT_KEY=str(work / "audit.key"))
        subprocess.run(
            [sys.executable, "-m", "installment_tui.cli", "demo-data", "--accounts", "1"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        began = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "installment_tui.cli", "import", str(src)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        backend = SqliteBackend(db, migrate=False, busy_timeout_ms=300_000)
        waits = []
        while proc.poll() is None:
            t = time.perf_counter()
            with backend.write():
                waits.append(time.perf_counter() - t)
            time.sleep(0.1)
        wall = time.perf_counter() - began
        backend.close()
        out = proc.stdout.read().strip()
        waits.sort()
        print(out)
        print(
            f"{rows:,} rows imported in {wall:.1f} s; a writer took the lock {len(waits)} times meanwhile: "
            f"median wait {statistics.median(waits) * 1000:.0f} ms, 99th percentile "
            f"{waits[int(len(waits) * 0.99) - 1] * 1000:.0f} ms, longest {waits[-1] * 1000:.0f} ms; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
