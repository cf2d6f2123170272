"""Store figures: demo load, offer saves (one and two processes), audit verification, backup.

Run: .venv/bin/python bench/bench_store.py [ACCOUNTS]   (default 20000; prints figures, checks nothing)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from plans.demo_data import generate
from plans.store import open_store

OFFERS = 1000
WRITER = textwrap.dedent("""
    import sys
    from plans.store import open_store
    path, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = open_store(path, actor=name, role="agent")
    for i in range(n):
        s.save_offer({"id": f"{name}-{i}", "account_ref": f"CC-{6 + i % 500:06d}", "kind": "standard",
                      "policy_version": "bench", "authority": "agent", "currency": "CNY",
                      "inputs": {"i": i}, "headline": {"months": 24}}, status="offered")
    s.close()
""")


def timed(label: str, count: int, unit: str, fn) -> None:
    t = time.perf_counter()
    fn()
    dt = time.perf_counter() - t
    print(f"{label:<44} {dt:7.2f} s  {count / dt:>10,.0f} {unit}/s")


def main() -> None:
    accounts = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        cases = []
        timed(f"generate {accounts:,} demo accounts", accounts, "accounts", lambda: cases.extend(generate(accounts, 1)))
        store = open_store(db, actor="bench", role="system")
        timed(
            f"insert {accounts:,} accounts + profiles (1 tx)",
            accounts,
            "accounts",
            lambda: store.upsert_accounts((c.account, c.profile) for c in cases),
        )
        timed(
            f"re-run the same {accounts:,} (no change)",
            accounts,
            "accounts",
            lambda: store.upsert_accounts((c.account, c.profile) for c in cases),
        )

        def one():
            for i in range(OFFERS):
                store.save_offer(
                    {
                        "id": f"solo-{i}",
                        "account_ref": f"CC-{6 + i % 500:06d}",
                        "kind": "standard",
                        "policy_version": "bench",
                        "authority": "agent",
                        "currency": "CNY",
                        "inputs": {"i": i},
                        "headline": {"months": 24},
                    },
                    status="offered",
                )

        timed(f"save {OFFERS:,} offers, one process (1 tx each)", OFFERS, "offers", one)

        def two():
            procs = [
                subprocess.Popen([sys.executable, "-c", WRITER, str(db), name, str(OFFERS)]) for name in ("a", "b")
            ]
            for p in procs:
                if p.wait() != 0:
                    raise SystemExit("a writer failed")

        timed(f"save {2 * OFFERS:,} offers, two processes at once", 2 * OFFERS, "offers", two)

        entries = store.verify_audit()[1]
        timed(f"verify audit chain ({entries:,} entries)", entries, "entries", store.verify_audit)
        timed(
            f"online backup ({db.stat().st_size / 1e6:.1f} MB)",
            1,
            "backups",
            lambda: store.backend.backup(Path(tmp) / "copy.db"),
        )
        store.close()


if __name__ == "__main__":
    main()
