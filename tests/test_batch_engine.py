"""The batch's column reader and CSV writer give exactly what the per-row reader and csv module give."""

from __future__ import annotations

import random

import pytest

from plans.batch import work
from plans.batch.engine import Engine
from plans.batch.outputs import OFFER_COLUMNS, encode_rows
from plans.batch.work import WorkerConfig, init_worker, process_chunk
from plans.portfolio.reader import Portfolio

from batch_helpers import HEADER, POLICIES, START, csv_row, json_row, random_account

#: Rows the column reader must leave to the per-row reader (each is fine or rejected there).
ODD = [
    "X{n},cny,1000.00,0,0,0,0,0,,,,,,,,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,,Beijing,5000,,,,,,,",
    "X{n},CNY,1e3,0,0,0,0,0,,,,,,,,,,",
    "X{n},CNY, 1000.00,0,0,0,0,0,,,,,,,,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,张三\u3000,,,,,,,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,,,4000,,,02,,,,",
    "X{n},CNY,1000.00,0,0,0,0,0,,,4000,,,,,Illness,,",
    "X{n},CNY,50000.00,0,0,0,0,0,,,4000,,,,,,2026-02-30,",
    "X{n},CNY,50000.00,0,0,0,0,0,,,4000,,,,,,2025-12-01,",
    "X{n},CNY,50000.00,0,0,0,0,0,,,4000,,,,,,1850-06-01,",
    "X{n},CNY,50000.00,0,0,0,0,0,,,4000,,,,,,2300-06-01,",
    "X{n},CNY,0,0,0,0,0,0,,,,,,,,,,",
    "X{n},CNY,12x,0,0,0,0,0,,,,,,,,,,",
    "X{n},USD,1000.00,0,0,0,0,0,,,,,,,,,,",
    "X{n},CNY,99999999999.00,0,0,0,0,0,,,,,,,,,,",
    "X{n} ,CNY,1000.00,0,0,0,0,0,,,,,,,,,,",
    "X{n}\\b,CNY,1000.00,0,0,0,0,0,,,,,,,,,,",
    "X{n},CNY,5000.00,0,0,0,0,0,,,,,,,,,,4000.00",  # an income after recovery without a recovery date
    "R00002,CNY,5000.00,0,0,0,0,0,,,,,,,,,,",  # a duplicate of the first row: found by the main process
]


def portfolio(tmp_path, seed: int, fmt: str = "csv", rows: int = 600, odd: bool = True):
    rng = random.Random(seed)
    accounts = [
        random_account(rng, n)._replace(account_ref=f"R{n:05d}", name=rng.choice([None, "张三", "Li Si"]))
        for n in range(2, rows + 2)
    ]
    if fmt == "jsonl":
        lines = [json_row(a) for a in accounts]
        if odd:
            lines[20] = '{"account_ref": "J1", "currency": "CNY", "principal": 100.5}'  # a JSON number
            lines[40] = lines[40].replace('"CNY"', '"cny"')
        path = tmp_path / f"p{seed}.jsonl"
    else:
        lines = [HEADER] + [csv_row(a) for a in accounts]
        if odd:
            for n in range(23, len(lines), 23):
                lines[n] = ODD[(n // 23) % len(ODD)].format(n=n)
        path = tmp_path / f"p{seed}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def both_ways(path, policy, authority="agent", escalations=False):
    """Every chunk's result with the column reader, and with every row read one by one."""
    with Portfolio(str(path), chunk_bytes=8192) as p:
        chunks = list(p.chunks())
        layout = p.layout
    init_worker(WorkerConfig(layout, policy, authority, START, "csv", False, None, None, "en", escalations))
    read = [work._worker.reader.read(c) for c in chunks]
    fast = [process_chunk(c) for c in chunks]
    work._worker.reader.read = lambda chunk: None
    slow = [process_chunk(c) for c in chunks]
    return read, fast, slow


@pytest.mark.parametrize("name", ["default", "fees", "spread", "declining"])
@pytest.mark.parametrize("authority", ["kiosk", "supervisor"])
def test_the_column_reader_gives_what_reading_row_by_row_gives(tmp_path, name, authority):
    read, fast, slow = both_ways(
        portfolio(tmp_path, hash((name, authority)) % 1000), POLICIES[name], authority, escalations=authority == "kiosk"
    )
    assert all(r is not None for r in read)  # every chunk read as columns (odd rows one by one)
    assert sum(int((~r.plain).sum()) for r in read) >= len(ODD)
    assert fast == slow


def test_json_lines_and_chunks_the_reader_does_not_take(tmp_path):
    read, fast, slow = both_ways(portfolio(tmp_path, 4, "jsonl"), POLICIES["default"])
    assert sum(r is None for r in read) == 1  # the chunk with a JSON number goes row by row
    assert fast == slow
    path = portfolio(tmp_path, 5, odd=False, rows=120)
    text = path.read_text(encoding="utf-8").splitlines()
    text[5] = '"Q1",CNY,100.00,0,0,0,0,0,,,,,,,,,,'  # quotes: the whole chunk goes row by row
    text[9] = ""  # a blank line too
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    read, fast, slow = both_ways(path, POLICIES["default"])
    assert read[0] is None and fast == slow


def test_gb18030_chunks_are_read_as_columns(tmp_path):
    rng = random.Random(6)
    accounts = [random_account(rng, n)._replace(name="张三丰") for n in range(2, 300)]
    path = tmp_path / "gb.csv"
    path.write_bytes(("\n".join([HEADER] + [csv_row(a) for a in accounts]) + "\n").encode("gb18030"))
    with Portfolio(str(path), "gb18030", chunk_bytes=8192) as p:
        chunks, layout = list(p.chunks()), p.layout
    init_worker(WorkerConfig(layout, POLICIES["default"], "agent", START, "csv", False, None, None, "en"))
    assert all(work._worker.reader.read(c) is not None for c in chunks)
    fast = [process_chunk(c) for c in chunks]
    work._worker.reader.read = lambda chunk: None
    assert fast == [process_chunk(c) for c in chunks]


def test_offer_csv_is_what_the_csv_module_writes(tmp_path):
    rng = random.Random(8)
    rows = [random_account(rng, n) for n in range(2, 300)]
    rows[3] = rows[3]._replace(account_ref='A,"quoted"')
    from plans.batch.accounts import accounts_of

    acc = accounts_of(rows, "CNY", START)
    for escalations in (False, True):
        csv_engine = Engine(POLICIES["fees"], "kiosk", START, escalations, "csv")
        rows_engine = Engine(POLICIES["fees"], "kiosk", START, escalations, "jsonl")
        got = csv_engine.run(acc).offers
        from plans.offers.engine import offer_table

        t = offer_table(csv_engine.rules, acc, escalations)
        refs = [acc.ref[a] for a in t.acc.tolist()]
        want = encode_rows("csv", OFFER_COLUMNS, rows_engine.rows(t, refs, rows_engine._violations(t, acc)))
        assert got == want and (b'"A,""quoted"""' in got)


def test_crlf_line_ends_blank_lines_and_lone_carriage_returns(tmp_path):
    path = portfolio(tmp_path, 7, odd=False, rows=120)
    lines = path.read_text(encoding="utf-8").splitlines()
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    read, fast, slow = both_ways(crlf, POLICIES["default"])
    assert all(r is not None for r in read) and fast == slow  # CRLF files are read as columns
    for bad in (
        "\r\n".join(lines[:30] + [""] + lines[30:]) + "\r\n",  # a blank line
        "\n".join(lines[:30] + [lines[30].replace(",CNY,", ",C\rNY,")] + lines[31:]) + "\n",
    ):  # a lone CR
        other = tmp_path / "odd.csv"
        other.write_bytes(bad.encode())
        read, fast, slow = both_ways(other, POLICIES["default"])
        assert read[0] is None and fast == slow


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_letter_facts_are_the_figures_of_each_offers_schedule(tmp_path, name):
    """What a letter states of each offer (plans.batch.letter_facts, read from the engine's table) is what
    the offer itself says, materialized the slow way: its kind, months, down payment, the runs of its
    schedule's amounts, its due dates, fees and total; within the authority, best first."""
    from calc.schedule import runs_of
    from plans.batch.columns import ColumnReader
    from plans.batch.letter_facts import OfferFacts
    from plans.offers.engine import offer_table
    from plans.vocabulary import Verdict

    policy = POLICIES[name]
    with Portfolio(str(portfolio(tmp_path, 11, rows=400, odd=False))) as p:
        chunks, layout = list(p.chunks()), p.layout
    engine = Engine(policy, "kiosk", START, include_escalations=True, letters=True)
    reader = ColumnReader(layout, policy.currency, START)
    verdicts = [Verdict.AFFORDABLE, Verdict.TIGHT, Verdict.UNAFFORDABLE, None]
    seen = 0
    for chunk in chunks:
        acc = reader.read(chunk).accounts
        t = offer_table(engine.rules, acc, True)
        facts = engine.facts.read(t, acc.n)
        expected: list[list] = [[] for _ in range(acc.n)]
        for j, (a, offer) in enumerate(zip(t.acc.tolist(), engine._offers(t, acc))):
            if t.blocked[j]:  # an escalation: never in a letter
                continue
            plan, h = offer.plan, offer.headline
            expected[a].append(
                (
                    len(expected[a]) + 1,
                    offer.kind,
                    offer.kind == "settlement",
                    h.months,
                    h.down_payment,
                    runs_of(plan.amounts),
                    plan.dues[0].toordinal(),
                    plan.dues[-1].toordinal(),
                    plan.balance.waived_total,
                    h.total_fees,
                    h.total_repayable,
                    verdicts.index(offer.verdict),
                )
            )
        assert [[tuple(o) for o in mine] for mine in facts] == expected
        assert all(type(o) is OfferFacts for mine in facts for o in mine)
        seen += sum(map(len, facts))
    assert seen > 300
