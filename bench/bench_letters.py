"""Benchmark of letters and SMS for a whole portfolio (issue 19).

    .venv/bin/python bench/bench_letters.py                  # 100,000 accounts, the three cases
    .venv/bin/python bench/bench_letters.py 20000 --case txt --workers 2 --keep /tmp/letters

Cases (``--case``, repeatable; default all), each a real ``installment batch`` run in a
subprocess on the deterministic portfolio of bench/bench_batch.py (``random.Random(7)``)
with ``phone`` and ``language`` columns added (a third of the accounts in English, a
sixth in traditional Chinese, one in ten without a phone):

* ``txt``: ``--letters txt`` (one text file per letter, sharded folders);
* ``html``: ``--letters html`` (the same, HTML);
* ``pdf``: ``--letters pdf --letters-bundle 1000`` (print files of 1,000 letters);
* ``sms``: ``--sms`` (sms.csv).

Prints, for each: wall seconds, letters (or messages) a second, CPU time per letter (user +
system of the run and its workers: on a shared machine the wall figure depends on the others'
load, this one much less), bytes per letter,
the largest folder (entries), and peak memory of the run and its workers (sum of
resident set sizes, and of proportional set sizes: bench_batch's sampler).  Quote
the machine load (printed) with the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import HEADER, rows, run_batch

CASES = {
    "txt": ["--letters", "txt"],
    "html": ["--letters", "html"],
    "pdf": ["--letters", "pdf", "--letters-bundle", "1000"],
    "sms": ["--sms"],
}


def generate(path: Path, n: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER + ["income_after_recovery", "phone", "language"])
        for i, row in enumerate(rows(n)):
            phone = "" if i % 10 == 9 else f"+86138{i:08d}"
            lang = "en" if i % 3 == 1 else "zh_TW" if i % 6 == 2 else ""
            w.writerow(row + ["", phone, lang])


def largest_folder(root: Path) -> int:
    return max((len(os.listdir(d)) for d, _, _ in os.walk(root)), default=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--case", action="append", choices=tuple(CASES))
    ap.add_argument("--workers", type=int)
    ap.add_argument("--keep", metavar="DIR", help="keep the portfolio and outputs here")
    args = ap.parse_args()
    scratch = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-letters-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        portfolio = scratch / f"portfolio-{args.n}.csv"
        if not portfolio.exists():
            generate(portfolio, args.n)
        print(
            f"{args.n:,} accounts; load average before: {os.getloadavg()[0]:.2f} "
            f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; {os.cpu_count()} cores"
        )
        for case in args.case or list(CASES):
            out = scratch / f"out-{case}"
            shutil.rmtree(out, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall, (rss, pss), summary = run_batch(portfolio, out, args.workers, CASES[case])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
            cpu = user + system
            if case == "sms":
                count = summary["sms_written"]
                size = (out / "sms.csv").stat().st_size
                folder = 0
            else:
                count = summary["letters_written"]
                letters = out / "letters"
                size = sum(p.stat().st_size for p in letters.rglob("*") if p.is_file() and p.name != "index.csv")
                folder = largest_folder(letters)
            print(
                f"{case:4} {wall:7.1f} s  {count / wall:9,.0f} a second  {count:,} written  "
                f"CPU {cpu:.1f} s = {cpu / max(count, 1) * 1e6:,.0f} µs each "
                f"({system / max(count, 1) * 1e6:,.0f} µs of it in the system)  "
                f"{size / max(count, 1):8,.0f} bytes each  largest folder {folder:,} entries  "
                f"peak RSS {rss / 2**20:,.0f} MiB (PSS {pss / 2**20:,.0f} MiB)  "
                f"load {os.getloadavg()[0]:.2f}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
