"""Batch letters and written messages go through the conduct rules: flags from the store hold letters
back, every letter's text passes the message checker, and the one gate (clear_to_send) schedules SMS
within the debtor's contact hours."""

from __future__ import annotations

import cli_process
import csv
import json
import os
from datetime import date, datetime, timezone

import pytest

from calc.debt import Debt
from plans.batch import BatchOptions, run_batch
from plans.conduct.outgoing import Cleared, Withheld, clear_to_send
from plans.conduct.vocabulary import Flag
from plans.policy import default_policy, default_policy_text, parse_policy
from plans.store import Account, open_store

POLICY = default_policy()
HEADER = "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,region"
ROWS = [
    "L-1,CNY,20000.00,1000.00,0,200.00,0,0,beijing",
    "L-2,CNY,15000.00,0,0,0,0,0,beijing",
    "L-3,CNY,8000.00,300.00,0,0,0,0,",
    "L-4,CNY,9000.00,0,0,0,0,0,",
]


@pytest.fixture
def portfolio(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "c.db"
    s = open_store(path, actor="setup", role="admin")
    s.upsert_accounts([Account(r.split(",")[0], "CNY", Debt("CNY", 100)) for r in ROWS])
    s.set_flag("L-1", "deceased", True, "death certificate")
    s.set_flag("L-2", "written_only", True, "asked in writing")
    s.add_complaint("L-3", POLICY.conduct, "phone", "collection_conduct", "shouted at", "zh_CN")
    s.close()
    return path


def test_flags_hold_back_the_letters_they_forbid(portfolio, db, tmp_path):
    s = open_store(db, existing=True)
    flags = s.flagged_accounts()
    s.close()
    assert flags == {"L-1": {Flag.DECEASED}, "L-2": {Flag.WRITTEN_ONLY}, "L-3": {Flag.COMPLAINT_OPEN}}
    out = tmp_path / "out"
    summary, _ = run_batch(
        BatchOptions(
            str(portfolio),
            str(out),
            POLICY,
            date(2026, 12, 1),
            workers=1,
            letters="txt",
            lang="zh_CN",
            contact_flags=flags,
            contact_flags_from=str(db),
        )
    )
    assert sorted(p.name for p in (out / "letters").rglob("*.txt")) == ["L-2.txt", "L-3.txt", "L-4.txt"]
    rows = list(csv.reader((out / "letters_withheld.csv").read_text(encoding="utf-8").splitlines()))
    assert rows == [
        ["line", "account_ref", "reason"],
        ["2", "L-1", "withheld by the contact rules: deceased: no contact"],
    ]
    assert (summary["letters_written"], summary["letters_withheld"]) == (3, 1)
    assert summary["accounts_with_offers"] == 4  # the offers stand: only the letter is held back


@pytest.mark.parametrize("fmt", ["txt", "html", "pdf"])
def test_a_letter_that_fails_the_message_check_is_not_written(portfolio, tmp_path, fmt):
    text = default_policy_text().replace(
        'name = "示例银行信用卡中心 (Example Bank Card Centre)"', 'name = "示例银行催收部：不还就上门"'
    )
    policy = parse_policy(text)
    out = tmp_path / "out"
    summary, _ = run_batch(
        BatchOptions(str(portfolio), str(out), policy, date(2026, 12, 1), workers=1, letters=fmt, lang="zh_CN")
    )
    assert [p.name for p in (out / "letters").rglob("*") if p.is_file()] == ["index.csv"]
    assert (out / "letters" / "index.csv").read_text().splitlines() == ["account_ref,file,first_page,pages"]
    rows = list(csv.reader((out / "letters_withheld.csv").read_text(encoding="utf-8").splitlines()))[1:]
    assert len(rows) == 4 and all("visit.home “上门”" in r[2] for r in rows)
    assert summary["letters_withheld"] == 4 and summary["contact_flags_from"] is None


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_a_letter_whose_own_data_carries_a_forbidden_phrase_is_not_written(tmp_path, fmt):
    """The fixed text of a kit is checked once; what a letter carries of its own (the masked reference
    shows its last four characters) is checked for every letter: a hostile reference is caught."""
    path = tmp_path / "in.csv"
    rows = [ROWS[1], "X上门上门,CNY,15000.00,0,0,0,0,0,beijing"]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary, _ = run_batch(
        BatchOptions(str(path), str(out), POLICY, date(2026, 12, 1), workers=1, letters=fmt, lang="zh_CN")
    )
    written = sorted(p.name for p in (out / "letters").rglob("*") if p.is_file() and p.name != "index.csv")
    assert written == [f"L-2.{fmt}"]
    rows = list(csv.reader((out / "letters_withheld.csv").read_text(encoding="utf-8").splitlines()))[1:]
    assert [r[1] for r in rows] == ["X上门上门"] and "visit.home" in rows[0][2]
    assert (summary["letters_written"], summary["letters_withheld"]) == (1, 1)


def test_the_command_line_reads_flags_from_the_database(portfolio, db, tmp_path):
    env = dict(os.environ)

    def run(*a):
        return cli_process.run(a, env=env, timeout=120)

    out = tmp_path / "cli"
    done = run(
        "batch",
        str(portfolio),
        "-o",
        str(out),
        "--letters",
        "txt",
        "--db",
        str(db),
        "--start",
        "2026-12-01",
        "--workers",
        "1",
    )
    assert done.returncode == 0, done.stderr
    assert "letters: 3 written, 1 held back by the conduct rules (letters_withheld.csv)" in done.stdout
    assert json.loads((out / "summary.json").read_text())["contact_flags_from"] == str(db)
    done = run(
        "batch",
        str(portfolio),
        "-o",
        str(tmp_path / "x"),
        "--letters",
        "txt",
        "--start",
        "2026-12-01",
        "--workers",
        "1",
    )
    assert done.returncode == 0 and "no --db" in done.stderr
    done = run("batch", str(portfolio), "-o", str(tmp_path / "y"), "--db", str(db))
    assert done.returncode == 2 and "--db" in done.stderr


def test_clear_to_send_schedules_an_sms_within_the_contact_hours():
    ok = clear_to_send(POLICY, "sms", "请于12月15日前还款。", "zh_CN", date(2026, 12, 1))
    assert isinstance(ok, Cleared)
    assert (ok.send_from, ok.send_until) == (
        datetime(2026, 12, 1, 0, tzinfo=timezone.utc),
        datetime(2026, 12, 1, 14, tzinfo=timezone.utc),
    )
    text = default_policy_text().replace(
        "[regions.beijing]",
        '[regions.xinjiang]\nreserve_per_person = "900.00"\ntime_zone = "Asia/Urumqi"\n\n[regions.beijing]',
    )
    west = clear_to_send(
        parse_policy(text), "sms", "请于12月15日前还款。", "zh_CN", date(2026, 12, 1), region="xinjiang"
    )
    assert west.send_from == datetime(2026, 12, 1, 2, tzinfo=timezone.utc)
    held = clear_to_send(POLICY, "sms", "请还款", "zh_CN", date(2026, 12, 1), flags={Flag.DISPUTED})
    assert isinstance(held, Withheld) and held.reason == "withheld by the contact rules: debt disputed: only letter"
    assert (
        clear_to_send(POLICY, "sms", "x", "zh_CN", date(2026, 12, 1), sent_that_day=3).reason
        == "withheld by the contact rules: 3 of 3 SMS today"
    )
    bad = clear_to_send(POLICY, "sms", "老赖快还钱", "zh_CN", date(2026, 12, 1))
    assert bad.reason == "blocked by the message check: insult “老赖” at line 1"
