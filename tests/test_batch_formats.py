"""Each output format reads back to the same rows; CSV is byte for byte what Python's csv writes."""

from __future__ import annotations

import cli_process
import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.batch.outputs import OFFER_COLUMNS, SCHEDULE_COLUMNS, encode_rows

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "portfolio.csv"


def batch(*args) -> None:
    proc = cli_process.run(["batch", *args], cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr


def as_text(rows: list[dict]) -> list[dict]:
    """Every value as the text CSV holds (lists joined as in the CSV violations column)."""
    return [{k: "; ".join(v) if isinstance(v, list) else str(v) for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("formats")
    for fmt in ("csv", "jsonl", "parquet"):
        batch(
            EXAMPLE,
            "-o",
            base / fmt,
            "--start",
            "2026-01-15",
            "--format",
            fmt,
            "--schedules",
            "--include-escalations",
            "--authority",
            "kiosk",
        )
    return base


@pytest.mark.parametrize("name, columns", [("offers", OFFER_COLUMNS), ("schedules", SCHEDULE_COLUMNS)])
def test_every_format_reads_back_to_the_same_rows(outputs, name, columns):
    with open(outputs / "csv" / f"{name}.csv", newline="", encoding="utf-8") as f:
        from_csv = list(csv.DictReader(f))
    with open(outputs / "jsonl" / f"{name}.jsonl", encoding="utf-8") as f:
        from_jsonl = [json.loads(line) for line in f]
    from_parquet = pq.read_table(outputs / "parquet" / f"{name}.parquet").to_pylist()
    assert from_csv and tuple(from_csv[0]) == columns
    assert tuple(from_jsonl[0]) == columns and tuple(from_parquet[0]) == columns
    assert as_text(from_jsonl) == from_csv
    assert as_text(from_parquet) == from_csv
    if name == "offers":  # escalations: some offers carry violations, a list in JSON and Parquet
        assert any(row["violations"] for row in from_jsonl)
        assert all(isinstance(row["violations"], list) for row in from_jsonl + from_parquet)
        assert all(isinstance(row["rank"], int) and isinstance(row["months"], int) for row in from_parquet)


def test_rejects_and_summary_do_not_depend_on_the_format(outputs):
    for name in ("rejects.csv",):
        assert (
            (outputs / "csv" / name).read_bytes()
            == (outputs / "jsonl" / name).read_bytes()
            == (outputs / "parquet" / name).read_bytes()
        )
    summaries = [json.loads((outputs / fmt / "summary.json").read_text()) for fmt in ("csv", "jsonl", "parquet")]
    for s in summaries:
        s.pop("wall_seconds")
    assert summaries[0] == summaries[1] == summaries[2]


def test_schedules_add_up_to_the_offers(outputs):
    with open(outputs / "csv" / "offers.csv", newline="", encoding="utf-8") as f:
        offers = list(csv.DictReader(f))
    with open(outputs / "csv" / "schedules.csv", newline="", encoding="utf-8") as f:
        schedules = list(csv.DictReader(f))
    from decimal import Decimal

    for offer in offers:
        rows = [r for r in schedules if r["offer_id"] == offer["offer_id"] and r["account_ref"] == offer["account_ref"]]
        assert len(rows) == int(offer["months"])
        paid = sum(Decimal(r["amount"]) for r in rows) + Decimal(offer["down_payment"])
        assert paid == Decimal(offer["total_repayable"])
        assert rows[0]["due"] == offer["first_due"] and rows[-1]["due"] == offer["last_due"]


texts = st.text(alphabet=st.sampled_from('ab,"\r\n 中;'), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts, st.integers(0, 99), texts, texts, st.integers(1, 60), *[texts] * 10), max_size=6))
def test_csv_encoding_is_what_the_csv_module_writes(rows):
    expected = io.StringIO()
    csv.writer(expected).writerows(rows)
    assert encode_rows("csv", OFFER_COLUMNS, rows) == expected.getvalue().encode()
