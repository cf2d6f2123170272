"""The vector lane writes exactly what the per-row fast path writes, row by row merged in order."""

from __future__ import annotations

import random
from datetime import date

import pytest

from calc.affordability import HARDSHIP_REASONS
from plans.batch import work
from plans.batch.work import WorkerConfig, init_worker, process_chunk
from plans.portfolio_input import Portfolio
from test_batch_fast import POLICIES, policy_variant

HEADER = ("account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,"
          "name,region,monthly_income,essential_spending,other_debt_payments,household,savings,"
          "hardship_reason,recovery_date")
#: Rows the lane must hand back to the per-row path (each is fine or rejected there).
ODD = [
    "X{n},cny,1000.00,0,0,0,0,0,,,,,,,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,,Beijing,5000,,,,,,",
    "X{n},CNY,1e3,0,0,0,0,0,,,,,,,,,",
    "X{n},CNY, 1000.00,0,0,0,0,0,,,,,,,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,张三\u3000,,,,,,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,,,4000,,,02,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,,,4000,,,,,Illness,",
    "X{n},CNY,50000.00,0,0,0,0,0,,,4000,,,,,,2026-02-30",
    "X{n},CNY,50000.00,0,0,0,0,0,,,4000,,,,,,2025-12-01",
    "X{n},CNY,0,0,0,0,0,0,,,,,,,,,",
    "X{n},CNY,12x,0,0,0,0,0,,,,,,,,,",
    "X{n},USD,1000.00,0,0,0,0,0,,,,,,,,,",
    "X{n},CNY,99999999999.00,0,0,0,0,0,,,,,,,,,",
    "X{n} ,CNY,1000.00,0,0,0,0,0,,,,,,,,,",
    "X{n}\\b,CNY,1000.00,0,0,0,0,0,,,,,,,,,",
    "R00002,CNY,5000.00,0,0,0,0,0,,,,,,,,,",  # a duplicate of the first row: found by the main process
]


def money(rng: random.Random, minor: int) -> str:
    text = f"{minor // 100}.{minor % 100:02d}"
    if minor % 100 == 0 and rng.random() < 0.5:
        return str(minor // 100)
    if minor % 10 == 0 and rng.random() < 0.5:
        return text[:-1]
    return text


def random_row(rng: random.Random, n: int) -> str:
    def amount(hi: int) -> str:
        return money(rng, rng.choice([0, rng.randint(0, hi), rng.randint(0, hi // 50)]))

    profile = rng.random() < 0.85
    cells = [f"R{n:05d}", "CNY", money(rng, rng.randint(1, 30_000_000)), amount(900_000), amount(400_000),
             amount(80_000), amount(40_000), amount(20_000),
             rng.choice(["", "张三", "Li Si", "O'Brien"]), rng.choice(["", "beijing", "national", "atlantis"])]
    if profile:
        recovery = ""
        if rng.random() < 0.5:
            recovery = f"{rng.choice([2026, 2027, 2029])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if recovery <= "2026-01-15":
                recovery = ""
        cells += [rng.choice(["", money(rng, rng.randint(0, 3_000_000))]),
                  rng.choice(["", money(rng, rng.randint(0, 2_000_000))]),
                  rng.choice(["", "0", money(rng, rng.randint(0, 500_000))]),
                  rng.choice(["", str(rng.randint(1, 4)), f"{rng.randint(1, 3)}+{rng.randint(0, 3)}"]),
                  rng.choice(["", "0", money(rng, rng.randint(0, 40_000_000))]),
                  rng.choice(["", *HARDSHIP_REASONS]), recovery]
    else:
        cells += [""] * 7
    return ",".join(cells)


def portfolio(tmp_path, seed: int, rows: int = 600, odd: bool = True):
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(2, rows + 2):
        if odd and n % 23 == 0:
            lines.append(ODD[(n // 23) % len(ODD)].format(n=n))
        else:
            lines.append(random_row(rng, n))
    path = tmp_path / f"p{seed}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def same(result):
    """A chunk result with its sequences as lists (the lane sends line numbers as a range)."""
    return result._replace(lines=list(result.lines), failures=list(result.failures))


def chunks_both_ways(path, policy, authority="agent"):
    with Portfolio(str(path), chunk_bytes=8192) as p:
        chunks = list(p.chunks())
        layout = p.layout
    init_worker(WorkerConfig(layout, policy, authority, date(2026, 1, 15), "csv", False, None, None, "en"))
    lane = work._STATE["lane"]
    assert lane is not None
    taken = sum(lane.run(c) is not None for c in chunks)
    work._STATE.pop("warned", None)
    vector = [work._vector_chunk(lane, c) for c in chunks]
    assert "warned" not in work._STATE  # no chunk fell back because its first account disagreed
    assert taken == 0 or all(v is not None for v in vector)
    rows = [same(work._row_chunk(c)) for c in chunks]
    return taken, len(chunks), [same(v) for v in vector], rows


@pytest.mark.parametrize("name", ["default", "spread", "down10"])
@pytest.mark.parametrize("authority", ["kiosk", "agent", "supervisor"])
def test_vector_lane_equals_the_fast_path(tmp_path, name, authority):
    policy = POLICIES.get(name) or policy_variant(min_down_payment='"10%"', remainder='"last"',
                                                 round_to='"10.00"', min_installment='"300.00"')
    taken, total, vector, rows = chunks_both_ways(portfolio(tmp_path, hash((name, authority)) % 1000), policy,
                                                  authority)
    assert taken == total  # every chunk went through the lane (odd rows included)
    assert vector == rows


def test_rows_without_profile_columns_and_reordered_columns(tmp_path):
    cols = HEADER.split(",")[:8]
    rng = random.Random(5)
    lines = [",".join(reversed(cols))]
    for n in range(2, 300):
        lines.append(",".join(reversed(random_row(rng, n).split(",")[:8])))
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    taken, total, vector, rows = chunks_both_ways(path, POLICIES["default"])
    assert taken == total and vector == rows


def test_chunks_the_lane_does_not_take(tmp_path):
    path = portfolio(tmp_path, 3, rows=120, odd=False)
    text = path.read_text(encoding="utf-8").splitlines()
    text[5] = '"Q1",CNY,100.00,0,0,0,0,0,,,,,,,,,'  # quotes: the whole chunk goes row by row
    text[9] = ""  # a blank line too
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with Portfolio(str(path)) as p:
        chunks = list(p.chunks())
        layout = p.layout
    init_worker(WorkerConfig(layout, POLICIES["default"], "agent", date(2026, 1, 15), "csv", False, None, None, "en"))
    assert work._STATE["lane"].run(chunks[0]) is None
    assert same(process_chunk(chunks[0])) == same(work._row_chunk(chunks[0]))


def test_lane_is_off_when_it_cannot_apply():
    from plans.batch.fast import FastOffers
    from plans.batch.vector import VectorLane
    from plans.portfolio_input import Layout

    layout = Layout("csv", "utf-8", tuple(range(8)) + (None,) * 9, 8)
    fees = POLICIES["fees"]
    assert VectorLane.create(FastOffers.for_policy(fees, "agent", date(2026, 1, 15)), layout) is None
    default = FastOffers.for_policy(POLICIES["default"], "agent", date(2026, 1, 15))
    assert VectorLane.create(default, Layout("csv", "gb18030", layout.positions, 8)) is None
    assert VectorLane.create(default, Layout("jsonl", "utf-8", (), 0)) is None
    assert VectorLane.create(default, layout) is not None
