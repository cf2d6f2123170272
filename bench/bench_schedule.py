"""Schedules and headline figures per second on one core.

    .venv/bin/python bench/bench_schedule.py            # or: make bench

Targets (one core of a 2-core machine): a 36-month schedule with dates in 20 µs
or less; headline figures in 5 µs or less.  "fresh dates" varies the agreement
date on every plan so the due-date cache never helps; "repeated dates" is a
portfolio run where every account shares the agreement date.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from calc import Debt, NoPlanFits, Terms, build_plan, headline
from calc.dates import due_dates

N = 20000


def _cases(months: int, fee: str, fresh: bool):
    rng = random.Random(months)
    base = date(2025, 1, 1)
    out = []
    for i in range(N):
        debt = Debt(
            "CNY",
            principal=rng.randint(100_000, 20_000_000),
            interest=rng.randint(0, 500_000),
            late_fees=rng.randint(0, 50_000),
        )
        start = base + timedelta(days=i) if fresh else base
        out.append((debt, Terms(start=start, months=months, fee_rate=Decimal(fee))))
    return out


def _rate(fn, cases) -> float:
    due_dates.cache_clear()
    t0 = time.perf_counter()
    for debt, terms in cases:
        fn(debt, (), terms)
    return (time.perf_counter() - t0) / len(cases)


def main() -> None:
    print(f"{'what':44} {'µs each':>9} {'per second':>12}")
    for fee in ("0", "0.006"):
        for months in (12, 36, 60):
            for fresh in (True, False):
                cases = _cases(months, fee, fresh)
                per = _rate(build_plan, cases)
                label = f"schedule {months:2}m fee {fee:5} {'fresh' if fresh else 'repeated'} dates"
                print(f"{label:44} {per * 1e6:9.2f} {1 / per:12,.0f}")
        for months in (12, 36, 60):
            cases = _cases(months, fee, True)
            per = _rate(headline, cases)
            label = f"headline {months:2}m fee {fee:5} (incl. APR)"
            print(f"{label:44} {per * 1e6:9.2f} {1 / per:12,.0f}")
    # APR solved on demand: what a caller pays to read plan.apr on a fee plan
    cases = _cases(36, "0.006", True)
    plans = [build_plan(d, (), t) for d, t in cases]
    t0 = time.perf_counter()
    for p in plans:
        p.apr  # noqa: B018
    per = (time.perf_counter() - t0) / len(plans)
    print(f"{'APR of a built 36m fee schedule':44} {per * 1e6:9.2f} {1 / per:12,.0f}")
    # the term for a payment ("the debtor can pay X"): the shortest whose largest installment fits; when
    # none within 60 months does, the search goes on (up to 100 years) to say how many months it would need
    for basis in ("flat", "declining"):
        for label, share in (("fits", 30), ("fits none", 80)):
            cases = []
            for debt, terms in _cases(36, "0.006", True)[:2000]:
                pay = debt.total // share
                cases.append((debt, replace(terms, months=None, payment=pay, max_months=60, fee_basis=basis)))
            per = _rate(_term_for, cases)
            print(f"{'term for a payment, ' + basis + ', ' + label:44} {per * 1e6:9.2f} {1 / per:12,.0f}")


def _term_for(debt, waivers, terms) -> None:
    try:
        build_plan(debt, waivers, terms)
    except NoPlanFits:
        pass


if __name__ == "__main__":
    main()
