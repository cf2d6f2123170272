"""Offers and negotiation answers per case, on one core.

    .venv/bin/python bench/bench_offers.py

Target: the whole ranked offers list for one case (every kind that applies) in
1 ms or less, because the agent console recomputes on every keystroke.  The
cases are a deterministic mix: with and without a profile, with a recovery date
(step plan) and with savings that cover a settlement.  Offers hold headline
figures; "with schedules" also builds every offer's full schedule, as a summary
or the store would.  Each figure is the median of five runs.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from plans.case import parse_case
from plans.negotiation import negotiate
from plans.offers import generate_offers
from plans.policy import default_policy

N = 400


def _money(rng: random.Random, lo: int, hi: int) -> str:
    return f"{rng.randint(lo, hi) / 100:.2f}"


def cases(n: int = N) -> list:
    rng = random.Random(8)
    out = []
    for i in range(n):
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))
        data = {
            "start": start.isoformat(),
            "account": {"ref": f"CC-{i:05d}"},
            "debt": {
                "principal": _money(rng, 500_000, 20_000_000),
                "interest": _money(rng, 0, 500_000),
                "penalty_interest": _money(rng, 0, 300_000),
                "late_fees": _money(rng, 0, 60_000),
            },
        }
        if i % 4:
            data["profile"] = {
                "adults": rng.randint(1, 2),
                "children": rng.randint(0, 2),
                "region": rng.choice(["beijing", "national"]),
                "income": {"salary": _money(rng, 300_000, 3_000_000)},
                "spending": {"housing": _money(rng, 100_000, 600_000), "food": _money(rng, 100_000, 300_000)},
                "other_debt_payments": _money(rng, 0, 300_000),
                "savings": _money(rng, 0, 15_000_000),
            }
            if i % 2:
                data["profile"]["recovery_date"] = (start + timedelta(days=rng.randint(60, 900))).isoformat()
        out.append(parse_case(data))
    return out


def _time(fn, items) -> float:
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        runs.append((time.perf_counter() - t0) / len(items))
    return statistics.median(runs) * 1e6


def main() -> None:
    policy = default_policy()
    items = cases()
    generate_offers(items[1], policy)  # warm caches (policy params, calendars)
    counts = [len(generate_offers(c, policy, "agent", True)) for c in items]
    kinds = {o.kind for c in items for o in generate_offers(c, policy, "agent", True)}
    print(
        f"{len(items)} cases, {statistics.mean(counts):.1f} offers a case on average, kinds: {', '.join(sorted(kinds))}"
    )
    agent = _time(lambda c: generate_offers(c, policy, "agent"), items)
    esc = _time(lambda c: generate_offers(c, policy, "agent", True), items)
    full = _time(lambda c: [o.plan for o in generate_offers(c, policy, "agent")], items)
    pays = [(c, 50_000 + (i * 7919) % 500_000) for i, c in enumerate(items)]
    nego = _time(lambda cp: negotiate(cp[0], policy, pay=cp[1]), pays)
    print(f"offers for one case (agent authority):            {agent:7.1f} µs per case  (target 1000 µs)")
    print(f"offers for one case with escalations:             {esc:7.1f} µs per case")
    print(f"offers with every schedule built:                 {full:7.1f} µs per case")
    print(f"negotiate 'the debtor can pay X':                 {nego:7.1f} µs per answer")


if __name__ == "__main__":
    main()
