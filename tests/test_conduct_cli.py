"""The real command line: conduct check (0 clean, 1 findings, 2 bad input), allowed, log with refusals and
overrides, flags, complaints from receipt to the reply letter, and the report in every format."""

from __future__ import annotations

import cli_process
import csv
import io
import json
import os

import pytest
from db_templates import set_up_once

from calc.debt import Debt
from plans.store import Account, open_store


def cli(*args, db=None, stdin="", cwd=None):
    env = dict(os.environ)
    if db is not None:
        env["INSTALLMENT_DB"] = str(db)
    return cli_process.run(args, input=stdin, env=env, timeout=60, cwd=cwd)


def an_account_and_a_supervisor(path) -> None:
    s = open_store(path, actor="setup", role="admin")
    s.upsert_accounts([Account("A-1", "CNY", Debt("CNY", 1_000_000), name="张伟")])
    s.add_user("li.super", "supervisor", "correct horse")
    s.close()


db = set_up_once(an_account_and_a_supervisor, backends=("sqlite",))


def test_check_exit_statuses(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("尊敬的客户：\n你这个老赖，再不还钱就等着坐牢！\n", encoding="utf-8")
    done = cli("conduct", "check", str(bad))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{bad}:2:4: insult (侮辱性用语): “老赖” → ")
    assert lines[1].startswith(f"{bad}:2:14: threat.criminal")
    assert "2 findings" in done.stderr
    good = tmp_path / "good.txt"
    good.write_text("\ufeff请于2026年12月15日前还款，如有困难请致电400-000-0000。", encoding="utf-8")
    done = cli("conduct", "check", str(good))
    assert done.returncode == 0 and "clean" in done.stdout
    done = cli("conduct", "check", "-", "--lang", "en", stdin="We will visit your home.")
    assert done.returncode == 1 and "visit.home (threat of a visit)" in done.stdout


def test_check_json(tmp_path):
    done = cli("conduct", "check", "-", "--lang", "zh_TW", "--format", "json", stdin="你這個騙子")
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["clean"] is False
    assert report["findings"][0] == {
        "rule": "insult",
        "category": "insult",
        "line": 1,
        "column": 4,
        "quote": "騙子",
        "suggestion": report["findings"][0]["suggestion"],
    }
    assert "稱呼" in report["findings"][0]["suggestion"]


def test_check_bad_input_exits_2(tmp_path):
    assert cli("conduct", "check", str(tmp_path / "none.txt")).returncode == 2
    assert cli("conduct", "check", str(tmp_path)).returncode == 2
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    done = cli("conduct", "check", str(latin))
    assert done.returncode == 2 and "not UTF-8" in done.stderr and "Traceback" not in done.stderr
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (1 << 20 + 1))
    done = cli("conduct", "check", str(big))
    assert done.returncode == 2 and "at most" in done.stderr
    assert cli("conduct", "check", "x.txt", "--lang", "fr").returncode == 2
    broken = tmp_path / "p.toml"
    broken.write_text("version = 1\n", encoding="utf-8")
    assert cli("conduct", "check", "-", "--policy", str(broken), stdin="x").returncode == 2


def test_allowed_at_a_time(db):
    done = cli("conduct", "allowed", "A-1", "--at", "2026-12-01T07:30+08:00", db=db)
    assert done.returncode == 1 and "not before 08:00" in done.stdout and "allowed from 2026-12-01 08:00" in done.stdout
    done = cli("conduct", "allowed", "A-1", "--at", "2026-12-01T08:00+08:00", db=db)
    assert done.returncode == 0 and "allowed now" in done.stdout and "0 of 6 today" in done.stdout
    assert cli("conduct", "allowed", "A-1", "--at", "2026-12-01T08:00", db=db).returncode == 2
    assert cli("conduct", "allowed", "NOPE", db=db).returncode == 2


def test_log_refusal_override_and_flags(db):
    done = cli(
        "conduct",
        "log",
        "A-1",
        "--channel",
        "call",
        "--outcome",
        "answered",
        "--direction",
        "inbound",
        "--note",
        "debtor called about the plan",
        db=db,
    )
    assert done.returncode == 0 and "contact 1 logged: inbound call" in done.stdout
    assert cli("conduct", "flag", "A-1", "--set", "deceased", db=db).returncode == 2  # no reason
    assert cli("conduct", "flag", "A-1", "--set", "deceased", "--reason", "certificate received", db=db).returncode == 0
    listed = cli("conduct", "flag", "A-1", db=db)
    assert "A-1: deceased" in listed.stdout and "certificate received" in listed.stdout
    refused = cli("conduct", "log", "A-1", "--channel", "letter", "--outcome", "sent", db=db)
    assert refused.returncode == 1 and "deceased: no contact" in refused.stderr
    wrong = cli(
        "conduct",
        "log",
        "A-1",
        "--channel",
        "letter",
        "--outcome",
        "sent",
        "--as",
        "li.super",
        "--reason",
        "estate executor asked for a statement",
        db=db,
        stdin="guess\n",
    )
    assert wrong.returncode == 2 and "wrong name or password" in wrong.stderr
    done = cli(
        "conduct",
        "log",
        "A-1",
        "--channel",
        "letter",
        "--outcome",
        "sent",
        "--as",
        "li.super",
        "--reason",
        "estate executor asked for a statement",
        db=db,
        stdin="correct horse\n",
    )
    assert done.returncode == 0 and "overridden by li.super: flag:deceased" in done.stdout
    assert (
        cli("conduct", "log", "A-1", "--channel", "letter", "--outcome", "sent", "--as", "li.super", db=db).returncode
        == 2
    )  # an override needs a reason
    warned = cli(
        "conduct",
        "log",
        "A-1",
        "--channel",
        "call",
        "--outcome",
        "answered",
        "--direction",
        "inbound",
        "--note",
        "told him he would go to jail",
        db=db,
    )
    assert warned.returncode == 0 and "warning: note 1:" in warned.stderr and "threat.criminal" in warned.stderr
    s = open_store(db, existing=True)
    assert [c.decision for c in s.contacts("A-1")] == ["allowed", "refused", "overridden", "allowed"]
    assert s.verify_audit().intact
    s.close()


def test_complaints_from_receipt_to_reply(db, tmp_path):
    done = cli(
        "complaints",
        "add",
        "A-1",
        "--channel",
        "phone",
        "--category",
        "collection_conduct",
        "--text",
        "催收员深夜来电并辱骂",
        "--acknowledged",
        db=db,
    )
    assert done.returncode == 0 and "complaint C-1 received" in done.stdout
    assert "C-1" in cli("complaints", "list", "--open", db=db).stdout
    assert cli("complaints", "extend", "C-1", "--reason", "调取录音", db=db).returncode == 0
    refused = cli("complaints", "extend", "C-1", "--reason", "再延期", db=db)
    assert refused.returncode == 2 and "supervisor" in refused.stderr
    done = cli("complaints", "extend", "C-1", "--reason", "再延期", "--as", "li.super", db=db, stdin="correct horse\n")
    assert done.returncode == 0, done.stderr
    harmful = cli("complaints", "resolve", "C-1", "--outcome", "not_upheld", "--reply", "再闹就报警抓你", db=db)
    assert harmful.returncode == 2 and "threat.criminal" in harmful.stderr
    assert cli("complaints", "reply", "C-1", db=db).returncode == 2  # not resolved yet
    done = cli(
        "complaints", "resolve", "C-1", "--outcome", "upheld", "--reply", "经核查属实，我们已处理并致歉。", db=db
    )
    assert done.returncode == 0 and "in time" in done.stdout
    shown = cli("complaints", "show", "1", db=db).stdout
    assert "extended to" in shown and "approved by li.super" in shown and "resolved: upheld" in shown
    out = tmp_path / "reply.txt"
    assert cli("complaints", "reply", "C-1", "-o", str(out), db=db).returncode == 0
    letter = out.read_text(encoding="utf-8")
    assert "投诉成立" in letter and "仲裁" in letter and "经核查属实" in letter
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert cli("complaints", "show", "C-x", db=db).returncode == 2
    assert cli("complaints", "show", "99", db=db).returncode == 2


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_report_formats(db, fmt):
    cli("conduct", "log", "A-1", "--channel", "call", "--outcome", "promise", "--direction", "inbound", db=db)
    cli("conduct", "flag", "A-1", "--set", "deceased", "--reason", "x", db=db)
    cli("conduct", "log", "A-1", "--channel", "letter", "--outcome", "sent", db=db)
    cli("complaints", "add", "A-1", "--channel", "kiosk", "--category", "other", "--text", "x", db=db)
    done = cli("conduct", "report", "--from", "2020-01-01", "--to", "2099-12-31", "--format", fmt, db=db)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        r = json.loads(done.stdout)
        assert r["contacts"]["by_channel_and_outcome"]["call"]["promise"] == 1
        assert r["refusals"] == {"total": 1, "by_rule": {"flag:deceased": 1}}
        assert r["complaints"]["opened"] == 1 and r["complaints"]["median_days_to_resolve"] is None
    elif fmt == "csv":
        rows = {(s, n): v for s, n, v in list(csv.reader(io.StringIO(done.stdout)))[1:]}
        assert rows[("contacts", "call.promise")] == "1" and rows[("refusals", "flag:deceased")] == "1"
    else:
        assert "Refusals" in done.stdout and "flag:deceased" in done.stdout
    bad = cli("conduct", "report", "--from", "2026-12-31", "--to", "2026-01-01", db=db)
    assert bad.returncode == 2 and "before --from" in bad.stderr


def test_command_line_times_are_local_with_their_zone_whatever_the_machine_zone(db, monkeypatch):
    """Issue 14: stored UTC times are printed as the console shows them (the policy's zone, labelled),
    not as UTC, and not in whatever zone the machine happens to run in."""
    from installment_tui.times import local_time
    from plans.policy import default_policy

    monkeypatch.setenv("TZ", "America/New_York")
    zone_name = default_policy().conduct.time_zone
    assert cli("conduct", "flag", "A-1", "--set", "disputed", "--reason", "says paid", db=db).returncode == 0
    done = cli(
        "complaints", "add", "A-1", "--channel", "phone", "--category", "collection_conduct",
        "--text", "催收员深夜来电", "--acknowledged", db=db,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    s = open_store(db, existing=True)
    flagged = s.flag_history("A-1")[0].at
    received = s.complaint(1, default_policy().conduct).record.received_at
    s.close()
    listed = cli("conduct", "flag", "A-1", db=db).stdout
    shown = cli("complaints", "show", "1", db=db).stdout
    assert local_time(flagged, zone_name) in listed and "UTC+8" in listed and " UTC " not in listed
    assert local_time(received, zone_name) in shown and " UTC " not in shown
