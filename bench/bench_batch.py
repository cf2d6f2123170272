"""Benchmark of `installment batch`: a deterministic portfolio to offers.csv.

    .venv/bin/python bench/bench_batch.py                  # 1,000,000 accounts, the four cases
    .venv/bin/python bench/bench_batch.py 100000           # a smaller portfolio
    .venv/bin/python bench/bench_batch.py 100000 --case gb18030 --workers 1 --keep /tmp/bench

Four cases (``--case``, repeatable; default all): ``utf8`` (a UTF-8 CSV under the
shipped policy), ``gb18030`` (the same rows as a GB18030 CSV, ``--encoding
gb18030``), ``jsonl`` (the same rows as JSON Lines, amounts as text) and ``fees``
(the UTF-8 CSV under the shipped policy with a 0.3% monthly fee).  A third of the
rows carry a Chinese name, so the GB18030 file is not plain ASCII.

Prints rows/s, wall seconds, peak memory and the ratio against a baseline: one
process that plainly reads the same input (Python's ``csv`` module, decoding
GB18030 for that case; ``json.loads`` of each line for JSON Lines) and writes as
many rows as the batch wrote to offers.csv (copies of its own rows) with
``csv.writer``.  The batch runs as a real ``installment batch`` command in
a subprocess; peak memory is the largest sum of the resident set sizes of that
process and its workers, sampled every 20 ms from /proc: both the sum of
resident set sizes (which counts pages that forked workers share once per
process, so it over-states) and the sum of proportional set sizes (shared
pages split between their processes: the memory the run really holds).
The portfolio is the same for the same N (random.Random(7)).  The batch and the
baseline each run ``--repeat`` times (default 3), alternating, and the best of
each is compared: other work on the machine only ever slows a run down.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HEADER = [
    "account_ref",
    "currency",
    "principal",
    "interest",
    "penalty_interest",
    "late_fees",
    "annual_fees",
    "other_fees",
    "name",
    "region",
    "monthly_income",
    "essential_spending",
    "other_debt_payments",
    "household",
    "savings",
    "hardship_reason",
    "recovery_date",
]
REASONS = ["unemployment", "illness", "business_failure", "family_change", "reduced_income", "", ""]
REGIONS = ["beijing", "national", "", "shanghai"]
NAMES = ["张伟", "王芳", "李秀英", "刘洋", "陈静", "杨磊"]
CASES = ("utf8", "gb18030", "jsonl", "fees")
FEE_POLICY = ('fee_rate = "0%"', 'fee_rate = "0.3%"')


def cents(rng: random.Random, lo: int, hi: int) -> str:
    v = rng.randint(lo, hi)
    return f"{v // 100}.{v % 100:02d}"


def rows(n: int):
    """The deterministic rows of a portfolio of ``n`` accounts (about 1 in 1000 is bad on purpose)."""
    rng = random.Random(7)
    for i in range(n):
        if i % 997 == 500:
            yield [f"CC{i:08d}", "CNY", "12x", "0", "0", "0", "0", "0"] + [""] * 9
            continue
        income = rng.randint(200000, 2000000)
        month = rng.randint(1, 12)
        reason = rng.choice(REASONS)
        yield [
            f"CC{i:08d}",
            "CNY",
            cents(rng, 100000, 20000000),
            cents(rng, 0, 800000),
            cents(rng, 0, 300000),
            cents(rng, 0, 60000),
            rng.choice(["0", "300.00"]),
            "0",
            NAMES[i % len(NAMES)] if i % 3 == 0 else "",
            rng.choice(REGIONS),
            f"{income // 100}.00",
            cents(rng, 100000, income),
            cents(rng, 0, 200000),
            f"{rng.randint(1, 3)}+{rng.randint(0, 2)}",
            cents(rng, 0, 3000000),
            reason,
            f"2027-{month:02d}-01" if reason and rng.random() < 0.5 else "",
        ]


def generate(path: Path, n: int, encoding: str = "utf-8") -> None:
    """The portfolio as CSV (in ``encoding``) or, for a ``.jsonl`` path, as JSON Lines."""
    with open(path, "w", newline="", encoding=encoding) as f:
        if path.suffix == ".jsonl":
            dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
            for row in rows(n):
                f.write(dumps({k: v for k, v in zip(HEADER, row) if v}) + "\n")
            return
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows(n))


def pss_of(pid: int) -> int:
    """Proportional set size (bytes): shared pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out


def rss_of(pid: int) -> int:
    """Resident set size (bytes) of one process."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_batch(portfolio: Path, outdir: Path, workers: int | None, extra: list[str]) -> tuple[float, int, dict]:
    cmd = [
        sys.executable,
        "-m",
        "installment_tui.cli",
        "batch",
        str(portfolio),
        "-o",
        str(outdir),
        "--start",
        "2026-01-15",
        *extra,
    ]
    if workers:
        cmd += ["--workers", str(workers)]
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        pids: list[int] = []
        ticks = 0
        while not done.is_set():
            if ticks % 25 == 0:  # the workers start once; look for them now and then, not every time
                pids = tree(proc.pid)
            ticks += 1
            peak = max(peak, sum(rss_of(pid) for pid in pids))
            peak_pss = max(peak_pss, sum(pss_of(pid) for pid in pids))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = proc.communicate()
    wall = time.perf_counter() - began
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"installment batch failed ({proc.returncode}): {err.decode()}")
    return wall, (peak, peak_pss), json.loads((outdir / "summary.json").read_text())


def baseline(portfolio: Path, encoding: str, offers_csv: Path, rows: int, scratch: Path) -> float:
    """Plain read of the input (csv, or json.loads per line) plus plain csv write of ``rows``
    offer-shaped rows, one process."""
    with open(offers_csv, newline="", encoding="utf-8") as f:
        sample = [r for _, r in zip(range(1001), csv.reader(f))][1:]
    began = time.perf_counter()
    with open(portfolio, newline="", encoding=encoding) as f:
        if portfolio.suffix == ".jsonl":
            for line in f:
                json.loads(line)
        else:
            for _ in csv.reader(f):
                pass
    with open(scratch / "baseline.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        k = len(sample)
        for i in range(rows):
            w.writerow(sample[i % k])
    return time.perf_counter() - began


def measure(case: str, args, work: Path) -> None:
    n = args.accounts
    encoding = "gb18030" if case == "gb18030" else "utf-8"
    suffix = {"gb18030": ".gb18030.csv", "jsonl": ".jsonl"}.get(case, ".csv")
    portfolio = work / f"portfolio_{n}{suffix}"
    if not portfolio.exists():
        t = time.perf_counter()
        generate(portfolio, n, encoding)
        print(
            f"generated {n:,} accounts ({portfolio.stat().st_size / 1e6:.0f} MB, {portfolio.name}) "
            f"in {time.perf_counter() - t:.1f} s"
        )
    extra = ["--encoding", encoding]
    if case == "fees":
        from plans.policy import default_policy_text

        policy = work / "fee_policy.toml"
        policy.write_text(default_policy_text().replace(*FEE_POLICY), encoding="utf-8")
        extra += ["--policy", str(policy)]
    outdir = work / f"out-{case}"
    walls, bases, peak = [], [], (0, 0)
    for _ in range(max(1, args.repeat)):
        wall, mem, summary = run_batch(portfolio, outdir, args.workers, extra)
        walls.append(wall)
        peak = (max(peak[0], mem[0]), max(peak[1], mem[1]))
        bases.append(baseline(portfolio, encoding, outdir / "offers.csv", summary["offers"], work))
    wall, base = min(walls), min(bases)
    offers = summary["offers"]
    rows_in = summary["input_rows"]
    print(f"== {case}")
    print(
        f"runs (s):            batch {', '.join(f'{w:.2f}' for w in walls)}; "
        f"baseline {', '.join(f'{b:.2f}' for b in bases)}; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"accounts:            {rows_in:,} rows ({summary['accounts_with_offers']:,} with offers, "
        f"{summary['rejects']:,} rejects), {offers:,} offer rows"
    )
    print(f"batch wall:          {wall:.2f} s  (best of {len(walls)})")
    print(f"rate:                {rows_in / wall:,.0f} accounts/s, {offers / wall:,.0f} offer rows/s")
    if rows_in != 1_000_000:
        print(f"scaled to 1M:        {wall * 1_000_000 / rows_in:.1f} s (linear)")
    print(
        f"peak memory:         {peak[0] / 2**20:.0f} MB summing RSS over the process tree "
        f"(shared pages counted in every process), {peak[1] / 2**20:.0f} MB summing PSS"
    )
    print(
        f"baseline (read+csv): {base:.2f} s  (best of {len(bases)}; read {rows_in:,} rows, write {offers:,} rows, "
        "one process)"
    )
    print(f"ratio batch/baseline {wall / base:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("accounts", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--case", action="append", choices=CASES, help="utf8, gb18030, jsonl or fees (default: all)")
    ap.add_argument("--workers", type=int, default=None, help="passed to installment batch (default: all cores)")
    ap.add_argument("--keep", metavar="DIR", help="keep the portfolios and outputs in DIR")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the batch and of the baseline; the best of each counts (default 3)",
    )
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_batch_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for case in args.case or CASES:
            measure(case, args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
