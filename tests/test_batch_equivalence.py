"""The batch's rows are generate_offers' rows: every policy, input encoding, output format, with and without
schedules.

Expected rows are built here from ``generate_offers`` on the case of each portfolio row
(``plans.batch.accounts.to_case``) and ``calc.schedule.build_plan``; the batch runs for real (in this
process for the property, as the command line for the end-to-end matrix).
"""

from __future__ import annotations

import cli_process
import csv
import json
import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.money import amount_formatter
from plans.batch import BatchOptions, run_batch
from plans.batch.accounts import problem, to_case
from plans.batch.engine import violation_text
from plans.offers import generate_offers
from plans.policy import default_policy_text, parse_policy

from batch_helpers import HEADER, START, csv_row, json_row, policy_variant, random_account

ROOT = Path(__file__).resolve().parent.parent


def expected(accounts, policy, authority="agent", escalations=False, schedules=False):
    """(offer rows, schedule rows) as text, from generate_offers on each account's case."""
    fmt = amount_formatter(policy.currency)
    offers, sched = [], []
    for a in accounts:
        if problem(a, policy) is not None:
            continue
        for rank, o in enumerate(generate_offers(to_case(a, START), policy, authority, escalations), 1):
            h = o.headline
            offers.append(
                [
                    a.account_ref,
                    str(rank),
                    o.id,
                    o.kind,
                    str(h.months),
                    fmt(h.down_payment),
                    fmt(h.first_installment),
                    fmt(h.regular_installment),
                    fmt(h.total_repayable),
                    h.first_due.isoformat(),
                    h.last_due.isoformat(),
                    str(h.apr_nominal),
                    o.verdict or "",
                    o.authority or "",
                    "; ".join(violation_text(v) for v in o.violations),
                ]
            )
            if schedules:
                sched += [
                    [
                        a.account_ref,
                        o.id,
                        str(i.n),
                        i.due.isoformat(),
                        fmt(i.amount),
                        fmt(i.principal),
                        fmt(i.fee),
                        fmt(i.balance_after),
                    ]
                    for i in o.plan.installments
                ]
    return offers, sched


def read_rows(path: Path) -> list[list[str]]:
    """Rows of an output file as text (lists joined as in CSV), header left out."""
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.reader(f))[1:]
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        rows = pq.read_table(path).to_pylist()
    return [["; ".join(v) if isinstance(v, list) else str(v) for v in row.values()] for row in rows]


def write_portfolio(path: Path, accounts, encoding: str) -> None:
    if path.suffix == ".jsonl":
        path.write_text("".join(json_row(a) + "\n" for a in accounts), encoding="utf-8")
    else:
        path.write_bytes(("\n".join([HEADER, *map(csv_row, accounts)]) + "\n").encode(encoding))


# -- random valid policies -----------------------------------------------------------------------


@st.composite
def policies(draw):
    pct = lambda *choices: draw(st.sampled_from(choices))
    top = draw(st.integers(24, 60))
    agent = draw(st.integers(12, top))
    kiosk = draw(st.integers(6, agent))
    remainder = draw(st.sampled_from(["first", "last", "spread"]))
    text = default_policy_text()
    for old, new in (
        ("min_months = 3", f"min_months = {draw(st.integers(1, 6))}"),
        ("max_months = 60\n", f"max_months = {top}\n"),
        ('min_installment = "100.00"', f'min_installment = "{pct("0", "50.00", "100.00", "300.00")}"'),
        ('min_down_payment = "0"', f'min_down_payment = "{pct("0", "500.00", "7.5%", "12.345%")}"'),
        ('fee_rate = "0%"', f'fee_rate = "{pct("0%", "0%", "0.3%", "0.6%", "1.2345%")}"'),
        ('fee_basis = "flat"', f'fee_basis = "{pct("flat", "declining")}"'),
        ('remainder = "first"', f'remainder = "{remainder}"'),
        ('round_to = "0.01"', f'round_to = "{"0.01" if remainder == "spread" else pct("0.01", "1.00", "10.00")}"'),
        ("\nmonths = 24", f"\nmonths = {min(draw(st.integers(6, 36)), kiosk)}"),
        ('late_fees = "100%"\n\n[step]', f'late_fees = "{pct("100%", "55.55%")}"\n\n[step]'),
        ("[authority.kiosk]\nmax_months = 36", f"[authority.kiosk]\nmax_months = {kiosk}"),
        ("[authority.agent]\nmax_months = 48", f"[authority.agent]\nmax_months = {agent}"),
        ('settlement_discount = "10%"', f'settlement_discount = "{pct("10%", "12.5%", "0%")}"'),
        ("[authority.supervisor]\nmax_months = 60", f"[authority.supervisor]\nmax_months = {top}"),
        ('contingency_share = "10%"', f'contingency_share = "{pct("10%", "12.345%", "0%")}"'),
        ('tight_share = "80%"', f'tight_share = "{pct("80%", "75.5%", "100%")}"'),
        ('max_dti = "50%"', f'max_dti = "{pct("50%", "33.337%", "45.6789%")}"'),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_policy(text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(policies(), st.integers(0, 2**32), st.sampled_from(["kiosk", "agent", "supervisor"]), st.booleans())
def test_batch_rows_equal_generate_offers_under_random_policies(tmp_path, policy, seed, authority, escalations):
    rng = random.Random(seed)
    accounts = [random_account(rng, n) for n in range(2, 42)]
    path = tmp_path / f"p{seed}.csv"
    write_portfolio(path, accounts, "utf-8")
    out = tmp_path / f"o{seed}"
    run_batch(
        BatchOptions(
            input=str(path),
            outdir=str(out),
            policy=policy,
            start=START,
            authority=authority,
            workers=1,
            include_escalations=escalations,
            chunk_bytes=2048,
        )
    )
    want, _ = expected(accounts, policy, authority, escalations)
    assert read_rows(out / "offers.csv") == want


# -- every encoding and output format, with and without schedules, as the command line -------------

MATRIX_POLICY = policy_variant(fee_rate='"0.45%"', min_down_payment='"5%"', remainder='"last"', max_dti='"33.337%"')


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    base = tmp_path_factory.mktemp("matrix")
    policy_path = base / "policy.toml"
    policy_path.write_text(MATRIX_POLICY.source_text, encoding="utf-8")
    rng = random.Random(11)
    accounts = [random_account(rng, n) for n in range(2, 162)]
    accounts[7] = accounts[7]._replace(name='逗号, 和引号 "名"')  # a name CSV must quote: read row by row
    inputs = {"utf-8": base / "p.csv", "gb18030": base / "gb.csv", "jsonl": base / "p.jsonl"}
    for enc, path in inputs.items():
        write_portfolio(path, accounts, "utf-8" if enc == "jsonl" else enc)
    return base, policy_path, accounts, inputs


def run_cli(*args) -> None:
    proc = cli_process.run(["batch", *args], cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "jsonl"])
def test_every_encoding_and_format_gives_generate_offers_rows(matrix, encoding):
    base, policy_path, accounts, inputs = matrix
    offers, sched = expected(accounts, MATRIX_POLICY, "agent", True, schedules=True)
    plain = base / f"{encoding}-plain"
    flags = [
        "--start",
        START.isoformat(),
        "--policy",
        policy_path,
        "--include-escalations",
        "--workers",
        "2",
        *([] if encoding == "jsonl" else ["--encoding", encoding]),
    ]
    run_cli(inputs[encoding], "-o", plain, *flags)
    assert read_rows(plain / "offers.csv") == offers
    assert any(row[-1] for row in offers)  # escalations: violations listed
    for fmt in ("csv", "jsonl", "parquet"):
        out = base / f"{encoding}-{fmt}"
        run_cli(inputs[encoding], "-o", out, *flags, "--format", fmt, "--schedules")
        assert read_rows(out / f"offers.{fmt}") == offers, fmt
        assert read_rows(out / f"schedules.{fmt}") == sched, fmt


def test_the_issue_policy_gives_the_same_offers_with_and_without_schedules(tmp_path):
    """A 33.337% max_dti once gave a 27-month tight offer without --schedules and a 28-month one with them."""
    policy = parse_policy(default_policy_text().replace('max_dti = "50%"', 'max_dti = "33.337%"'))
    rng = random.Random(1)
    accounts = [random_account(rng, n) for n in range(2, 2402)]
    path = tmp_path / "p.csv"
    write_portfolio(path, accounts, "utf-8")
    runs = {}
    for schedules in (False, True):
        out = tmp_path / f"o{schedules}"
        run_batch(
            BatchOptions(input=str(path), outdir=str(out), policy=policy, start=START, workers=1, schedules=schedules)
        )
        runs[schedules] = (out / "offers.csv").read_bytes()
    assert runs[False] == runs[True]
    want, _ = expected(accounts, policy)
    assert read_rows(tmp_path / "oFalse" / "offers.csv") == want
    # the shortest affordable offers are affordable, one an account at most, the same either way
    sa = [r for r in want if r[3] == "shortest_affordable"]
    assert sa and all(r[12] == "affordable" for r in sa) and len({r[0] for r in sa}) == len(sa)
