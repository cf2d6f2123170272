"""``installment conduct import-sent``: a sender's sent.csv into the contact log (the file reader, and the
real command line on a real database)."""

from __future__ import annotations

import json

import pytest

from plans.conduct.sent_input import SentFileError, read_sent

from cli_helpers import copy, run

HEAD = "account_ref,channel,sent_at,purpose,text\n"


def test_rows_are_read_with_their_lines_and_defaults():
    data = (
        "\ufeffAccount_Ref,SENT_AT,Channel,extra\n"
        "CC-1,2026-01-05T09:30:00+08:00,sms,x\n\n"
        "CC-2,2026-01-05T01:00:00+00:00,LETTER,y\n"
    ).encode()
    a, b = read_sent(data)
    assert (a.line, a.account_ref, a.channel, a.purpose, a.text) == (2, "CC-1", "sms", "reminder", "")
    assert a.sent_at.utcoffset().total_seconds() == 8 * 3600
    assert (b.line, b.channel) == (4, "letter")


@pytest.mark.parametrize(
    "body, expected",
    [
        ("CC-1,call,2026-01-05T09:30:00+08:00,,\n", "line 2: channel 'call' is not a sent message; use sms or letter"),
        ("CC-1,sms,2026-01-05T09:30:00,,\n", "line 2: sent_at '2026-01-05T09:30:00' needs its offset from UTC"),
        ("CC-1,sms,yesterday,,\n", "line 2: sent_at 'yesterday' is not an ISO 8601 time"),
        ("CC-1,sms,2026-01-05T09:30:00+08:00,complaint,\n", "line 2: purpose 'complaint' is not allowed"),
        (",sms,2026-01-05T09:30:00+08:00,,\n", "line 2: account_ref must be 1 to 64 printable characters"),
        ("CC-1,sms,2026-01-05T09:30:00+08:00\n", "line 2: has 3 fields; the header names 5"),
        ("CC-1\x1b[2J,sms,2026-01-05T09:30:00+08:00,,\n", "line 2: account_ref must be 1 to 64 printable"),
        ("CC-1,sms,2026-01-05T09:30:00+08:00,," + "x" * 2001 + "\n", "line 2: text is 2001 characters; at most 2000"),
    ],
)
def test_bad_rows_refuse_the_file_with_every_line(body, expected):
    with pytest.raises(SentFileError) as err:
        read_sent((HEAD + "CC-9,sms,2026-01-05T09:30:00+08:00,,fine\n" + body).encode())
    assert expected.replace("line 2", "line 3") in err.value.message


def test_bad_files_say_what_is_wrong():
    with pytest.raises(SentFileError, match="the header has no channel, sent_at column"):
        read_sent(b"account_ref,when\nCC-1,2026\n")
    with pytest.raises(SentFileError, match="line 2: is not UTF-8"):
        read_sent(HEAD.encode() + "CC-1,sms,2026-01-05T09:30:00+08:00,,催收".encode("gb18030") + b"\n")
    with pytest.raises(SentFileError, match="appears twice"):
        read_sent(b"account_ref,channel,sent_at,channel\n")
    many = HEAD + "".join(f"CC-{i},fax,2026-01-05T09:30:00+08:00,,\n" for i in range(30))
    with pytest.raises(SentFileError) as err:
        read_sent(many.encode())
    assert len(err.value.problems) == 20 and "... and 10 more" in err.value.message


def test_import_sent_on_the_command_line(demo, tmp_path):
    db = copy(demo, tmp_path)
    sent = tmp_path / "sent.csv"
    sent.write_text(
        HEAD + "CC-000009,sms,2026-01-05T09:30:00+08:00,,Installment 3 is due\n"
        "CC-000009,letter,2026-01-05T12:00:00+08:00,,Installment 3 is due\n"
        "CC-000010,sms,2026-01-05T23:10:00+08:00,,late\n",
        encoding="utf-8",
    )
    r = run("conduct", "import-sent", sent, "--db", db)
    assert r.returncode == 1, r.stderr  # one was sent after 22:00: recorded, and said
    assert r.stdout == "3 sent messages recorded in the contact log\n"
    assert r.stderr == ("line 4: CC-000010: sent against the contact rules (recorded): not from 22:00\n")
    r = run("conduct", "import-sent", sent, "--db", db)  # again: nothing new
    assert r.returncode == 1 - 1 and r.stdout == "0 sent messages recorded in the contact log (3 already there)\n"
    r = run("conduct", "report", "--db", db, "--from", "2026-01-05", "--to", "2026-01-05", "--format", "json")
    report = json.loads(r.stdout)
    assert report["contacts"]["by_channel"] == {"call": 0, "sms": 2, "letter": 1, "kiosk": 0}
    assert report["against_rules"] == {"total": 1, "by_rule": {"after_hours": 1}}
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEAD + "CC-000009,sms,2026-01-06T09:30:00+08:00,,\nNOPE,sms,2026-01-06T09:30:00+08:00,,\n"
        "CC-000009,sms,2999-01-01T09:30:00+08:00,,\n",
        encoding="utf-8",
    )
    r = run("conduct", "import-sent", bad, "--db", db)
    assert r.returncode == 2 and r.stdout == ""
    assert (
        "nothing was imported:\n  line 3: no account 'NOPE'\n  line 4: sent_at 2999-01-01T09:30:00+08:00 is in "
        "the future" in r.stderr
    )
    r = run("conduct", "import-sent", tmp_path / "missing.csv", "--db", db)
    assert r.returncode == 2 and "no such file" in r.stderr


def test_a_sent_message_is_judged_by_the_flags_and_contacts_of_its_time(tmp_path):
    from datetime import datetime, timezone

    from plans.demo_data import generate
    from plans.policy import default_policy
    from plans.store import open_store

    policy = default_policy()
    db = tmp_path / "d.db"
    s = open_store(db, clock=lambda: datetime(2026, 1, 5, 3, tzinfo=timezone.utc))  # 11:00 Beijing
    s.upsert_accounts(c.account for c in generate(3, 2025))
    s.set_flag("DEMO-0001", "deceased", True, "certificate received")  # after the 09:30 SMS, before 12:00
    sent = (
        HEAD
        + "DEMO-0001,sms,2026-01-05T09:30:00+08:00,,\nDEMO-0002,sms,2026-01-05T09:00:00+08:00,collection,\n"
        + "".join(f"DEMO-0002,sms,2026-01-05T10:0{i}:00+08:00,collection,\n" for i in range(3))
    ).encode()
    s2 = open_store(db, clock=lambda: datetime(2026, 1, 5, 6, tzinfo=timezone.utc))
    result = s2.import_sent(read_sent(sent), policy)
    # DEMO-0001's SMS went before the flag; DEMO-0002's fourth SMS of the day broke the limit of 3
    assert [(line, ref, d.codes) for line, ref, d in result.against_rules] == [(6, "DEMO-0002", ("sms_per_day",))]
    assert not s2.contact_decision("DEMO-0001", policy, "letter").allowed  # the flag holds from now on
    s.close()
    s2.close()
