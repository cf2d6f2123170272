"""Servicing at portfolio scale: `installment payments import` and `installment monitor`.

    .venv/bin/python bench/bench_servicing.py [AGREEMENTS] [PAYMENTS_PER_AGREEMENT] [--keep DIR]

Builds a store with AGREEMENTS agreements (default 200,000; 12 to 60 monthly installments,
made up to 2 x PAYMENTS_PER_AGREEMENT months before 2026-11-30) and a payments file of about
AGREEMENTS x PAYMENTS_PER_AGREEMENT rows (default 20: 4,000,000), paid as people pay: most on time, some
late within or beyond the grace days, some paying twice, some stopping (their plans break),
a few paying it all off.  The agreements are written straight into the schema (a fixture: the
same rows `Store.create_agreement` writes, without the offer engine and an audit entry each);
then, as a user would, the real command line:

1. `installment payments import` of the whole file (rows a second; target 100,000);
2. the same import again (every row already recorded: nothing changes);
3. `installment monitor --as-of 2026-11-30` (target: at most 30 s on 2 cores), which records
   the status changes and breaches;
4. the monitor again for the same date (records nothing new; the files are the same).

Prints each wall time with the machine's load average before it.  The figures depend on the
disk and on other work on the machine: quote the load with them.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calc.dates import add_months  # noqa: E402
from calc.debt import BUCKETS  # noqa: E402
from plans.servicing.schedule import AgreementSchedule, Obligation  # noqa: E402

AS_OF = date(2026, 11, 30)
EXE = str(Path(sys.executable).with_name("installment"))


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def schedule_for(rng: random.Random, start: date) -> AgreementSchedule:
    months = rng.choice((12, 24, 36, 36, 48, 60))
    balance = rng.randrange(300_000, 20_000_000)
    base, rest = divmod(balance, months)
    obs = tuple(
        Obligation(
            n, add_months(start, n, start.day), base + (rest if n == 1 else 0), base + (rest if n == 1 else 0), 0
        )
        for n in range(1, months + 1)
    )
    return AgreementSchedule("CNY", start, obs, tuple((b, balance if b == "principal" else 0, 0) for b in BUCKETS))


def payments_for(rng: random.Random, ref: str, s: AgreementSchedule, per: int) -> list[tuple]:
    """The payments a person with one of a few habits would have made by AS_OF."""
    habit = rng.random()
    out = []
    for o in s.obligations:
        if o.due > AS_OF:
            break
        if habit < 0.08 and o.n > 4:  # stops paying: the plan breaks
            break
        late = rng.choice((0, 0, 0, 2, 9)) if habit < 0.3 else 0
        when = o.due + timedelta(days=late)
        if when > AS_OF:
            break
        if habit > 0.97 and o.n == 2:  # pays twice
            out.append((when, o.amount))
        if habit > 0.99 and o.n == 3:  # pays it all off
            out.append((when, s.total))
            break
        if 0.3 < habit < 0.35 and o.n % 2:  # pays in two halves
            out.append((when, o.amount // 2))
            out.append((when + timedelta(days=1) if when < AS_OF else when, o.amount - o.amount // 2))
        else:
            out.append((when, o.amount))
    return [
        (ref, d.isoformat(), f"{a // 100}.{a % 100:02d}", f"P{ref}-{i}", "bank_transfer")
        for i, (d, a) in enumerate(out)
    ]


def build(folder: Path, n: int, per: int) -> tuple[Path, Path, int]:
    """The database (agreements only) and the payments file; returns their paths and the payment count."""
    from plans.store import open_store

    db, pay = folder / "bench.db", folder / "payments.csv"
    store = open_store(db, actor="bench", role="system")
    conn = store.backend._conn  # the fixture writes rows directly (see the module docstring)
    rng = random.Random(2026)
    now = "2026-11-30T00:00:00.000000+00:00"
    rows = 0
    conn.execute("BEGIN")
    with open(pay, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(("account_ref", "paid_on", "amount", "reference", "channel"))
        for i in range(1, n + 1):
            ref = f"BN-{i:07d}"
            start = AS_OF - timedelta(days=rng.randrange(0, 76 * per))  # about `per` payments each on average
            s = schedule_for(rng, start)
            conn.execute(
                "INSERT INTO accounts (ref, name, currency, principal, created_at, updated_at) "
                "VALUES (?, '', 'CNY', ?, ?, ?)",
                (ref, s.plan_balance, now, now),
            )
            conn.execute(
                "INSERT INTO offers (id, account_ref, kind, status, authority, policy_version, currency, "
                "inputs, headline, created_at, updated_at, actor) VALUES (?, ?, 'standard', 'accepted', "
                "'agent', 'default-2025.1', 'CNY', '{}', '{}', ?, ?, 'bench')",
                (f"of-{i}", ref, now, now),
            )
            conn.execute(
                "INSERT INTO agreements (id, offer_id, account_ref, kind, created_at, actor, role, terms) "
                "VALUES (?, ?, ?, 'agreement', ?, 'bench', 'agent', '{\"currency\":\"CNY\"}')",
                (i, f"of-{i}", ref, now),
            )
            r = s.to_row()
            conn.execute(
                "INSERT INTO agreement_schedules VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    i,
                    r["currency"],
                    r["start"],
                    r["total"],
                    r["numbers"],
                    r["dues"],
                    r["amounts"],
                    r["fees"],
                    r["buckets"],
                ),
            )
            conn.execute(
                "INSERT INTO agreement_transitions (agreement_id, to_status, effective_on, recorded_at, "
                "actor) VALUES (?, 'current', ?, ?, 'bench')",
                (i, r["start"], now),
            )
            pays = payments_for(rng, ref, s, per)
            w.writerows(pays)
            rows += len(pays)
    conn.execute("COMMIT")
    store.close()
    return db, pay, rows


def run(title: str, args: list[str]) -> float:
    before = load()
    began = time.perf_counter()
    done = subprocess.run([EXE, *args], capture_output=True, text=True)
    wall = time.perf_counter() - began
    print(f"{title}: {wall:.1f} s (load before: {before})")
    print("   " + (done.stdout.strip().splitlines() or ["(no output)"])[-1][:300])
    if done.returncode not in (0, 1):
        print(done.stderr[-2000:])
        raise SystemExit(done.returncode)
    return wall


def main() -> None:
    argv = sys.argv[1:]
    keep = None
    if "--keep" in argv:
        keep = argv[argv.index("--keep") + 1]
        del argv[argv.index("--keep") : argv.index("--keep") + 2]
    n = int(argv[0]) if argv else 200_000
    per = int(argv[1]) if len(argv) > 1 else 20
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench-servicing-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print(f"cores: {os.cpu_count()}, load average: {load()}")
        began = time.perf_counter()
        db, pay, rows = build(folder, n, per)
        print(
            f"fixture: {n:,} agreements, {rows:,} payment rows ({pay.stat().st_size / 2**20:.0f} MiB) in "
            f"{time.perf_counter() - began:.0f} s"
        )
        wall = run("payments import", ["payments", "import", str(pay), "--db", str(db), "--user", "bench"])
        print(f"   {rows / wall:,.0f} rows a second (target 100,000)")
        wall = run(
            "payments import again (all already recorded)",
            ["payments", "import", str(pay), "--db", str(db), "--user", "bench"],
        )
        print(f"   {rows / wall:,.0f} rows a second")
        run(
            "monitor (first run: records the changes)",
            ["monitor", "--db", str(db), "--as-of", AS_OF.isoformat(), "-o", str(folder / "out1"), "--user", "bench"],
        )
        run(
            "monitor again, same date (records nothing)",
            ["monitor", "--db", str(db), "--as-of", AS_OF.isoformat(), "-o", str(folder / "out2"), "--user", "bench"],
        )
        same = all(
            (folder / "out1" / f).read_bytes() == (folder / "out2" / f).read_bytes()
            for f in ("agreements.csv", "work_queue.csv", "reminders.csv")
        )
        print(f"   the two runs wrote the same files: {same}")
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
