"""The monitor's reminders are scheduled and checked by the conduct rules, and overdue complaints top its
work queue (the real command line on a demo database with agreements in every status)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from plans.demo_data import generate, servicing_accounts
from plans.policy import default_policy
from plans.store import open_store

from cli_helpers import copy, rows, run


def test_reminders_are_scheduled_withheld_or_moved_to_letters(demo, tmp_path):
    db = copy(demo, tmp_path)
    cases = {sc.status: c.account for sc, c in servicing_accounts(generate(30, 2025))}
    ref = cases["in_arrears"].ref
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "free", "--lang", "zh_CN")
    assert r.returncode == 0, r.stderr
    [free] = [x for x in rows(tmp_path / "free" / "reminders.csv") if x["account_ref"] == ref]
    assert free["channel"] == "sms"
    # 08:00-22:00 on 12 December in the debtor's zone (Asia/Shanghai), as UTC
    assert (free["send_from"], free["send_until"]) == ("2026-12-12T00:00:00+00:00", "2026-12-12T14:00:00+00:00")
    s = open_store(db, clock=lambda: datetime(2026, 12, 1, 2, tzinfo=timezone.utc))
    s.set_flag(ref, "disputed", True, "disputes the late fees")  # letters only
    s.close()
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "disputed", "--lang", "zh_CN")
    [letter] = [x for x in rows(tmp_path / "disputed" / "reminders.csv") if x["account_ref"] == ref]
    assert letter["channel"] == "letter" and letter["text"] == free["text"]
    assert (letter["send_from"], letter["send_until"]) == ("2026-12-11T16:00:00+00:00", "2026-12-12T16:00:00+00:00")
    s = open_store(db, clock=lambda: datetime(2026, 12, 1, 3, tzinfo=timezone.utc))
    s.set_flag(ref, "deceased", True, "death certificate")
    s.close()
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "deceased", "--lang", "zh_CN")
    assert [x for x in rows(tmp_path / "deceased" / "reminders.csv") if x["account_ref"] == ref] == []
    work = [(w["account_ref"], w["reason"]) for w in rows(tmp_path / "deceased" / "work_queue.csv")]
    assert (ref, "reminder_withheld") in work and (ref, "reminder_due") not in work
    summary = json.loads((tmp_path / "deceased" / "summary.json").read_text(encoding="utf-8"))
    assert summary["reminders_withheld"] == 1


def test_overdue_complaints_top_the_work_queue(demo, tmp_path):
    db = copy(demo, tmp_path)
    s = open_store(db, clock=lambda: datetime(2026, 11, 1, 2, tzinfo=timezone.utc))
    s.add_complaint("DEMO-0005", default_policy().conduct, "phone", "collection_conduct", "x", "zh_CN")  # due 11-16
    s.close()
    s = open_store(db, clock=lambda: datetime(2026, 11, 28, 2, tzinfo=timezone.utc))
    s.add_complaint("DEMO-0001", default_policy().conduct, "kiosk", "other", "y", "en")  # due 12-13
    s.close()
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "m", "--lang", "en")
    assert r.returncode == 0, r.stderr
    work = rows(tmp_path / "m" / "work_queue.csv")
    assert [(w["account_ref"], w["reason"], w["priority"], w["since"]) for w in work[:2]] == [
        ("DEMO-0005", "complaint_overdue", "0", "2026-11-17"),
        ("DEMO-0001", "complaint_due_soon", "0", "2026-12-14"),
    ]
    assert work[2]["priority"] != "0"


def _sent_file(path, reminders, sent_at):
    """The monitor's reminders.csv rows as a sender returns them: with the time each was sent."""
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, [*reminders[0], "sent_at"])
        w.writeheader()
        w.writerows(dict(r, sent_at=sent_at) for r in reminders)
    return path


def test_reminders_keep_the_days_sms_limit_and_stay_the_same_once_recorded(demo, tmp_path):
    from plans.conduct.sent_input import read_sent

    db = copy(demo, tmp_path)
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "first", "--lang", "en")
    assert r.returncode == 0, r.stderr
    [reminder] = rows(tmp_path / "first" / "reminders.csv")
    ref = reminder["account_ref"]
    assert reminder["channel"] == "sms"
    # the sender sends it at 09:30 local and reports back; the import puts it in the contact log
    sent = _sent_file(tmp_path / "sent.csv", [reminder], "2026-12-12T09:30:00+08:00")
    s = open_store(db, clock=lambda: datetime(2026, 12, 12, 2, tzinfo=timezone.utc))
    result = s.import_sent(read_sent(sent.read_bytes()), default_policy())
    assert (result.recorded, result.already, result.against_rules) == (1, 0, [])
    [logged] = s.contacts(ref)
    assert (logged.channel, logged.purpose, logged.outcome, logged.at) == (
        "sms",
        "reminder",
        "sent",
        "2026-12-12T01:30:00.000000+00:00",
    )
    assert logged.note == reminder["text"]
    again = s.import_sent(read_sent(sent.read_bytes()), default_policy())  # the same file twice: nothing new
    assert (again.recorded, again.already) == (1 - 1, 1) and len(s.contacts(ref)) == 1
    s.close()
    # the recorded reminder does not hold itself back: the same date gives the same files
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "again", "--lang", "en")
    assert r.returncode == 0, r.stderr
    for name in ("reminders.csv", "work_queue.csv", "agreements.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "first" / name).read_bytes(), name
    # the recorded reminder counts for agents: with max_sms_per_day 3, two more SMS are allowed, not three
    s = open_store(db, clock=lambda: datetime(2026, 12, 12, 3, tzinfo=timezone.utc))
    for _ in range(2):
        s.log_contact(ref, default_policy(), "sms", "sent")
    assert not s.contact_decision(ref, default_policy(), "sms").allowed
    s.close()


def test_a_reminder_over_the_days_sms_limit_goes_by_letter(demo, tmp_path):
    db = copy(demo, tmp_path)
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "free", "--lang", "en")
    [free] = rows(tmp_path / "free" / "reminders.csv")
    ref = free["account_ref"]
    # three SMS at 21:30 on the 11th, the debtor's local day (13:30 UTC): they do not count on the 12th
    s = open_store(db, clock=lambda: datetime(2026, 12, 11, 13, 30, tzinfo=timezone.utc))
    for _ in range(3):
        s.log_contact(ref, default_policy(), "sms", "sent")
    s.close()
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "yesterday", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "yesterday" / "reminders.csv").read_bytes() == (tmp_path / "free" / "reminders.csv").read_bytes()
    # three SMS at 08:30 on the 12th local (00:30 UTC) use up the day: the reminder goes by letter
    s = open_store(db, clock=lambda: datetime(2026, 12, 12, 0, 30, tzinfo=timezone.utc))
    for _ in range(3):
        s.log_contact(ref, default_policy(), "sms", "sent")
    s.close()
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "full", "--lang", "en")
    assert r.returncode == 0, r.stderr
    [letter] = rows(tmp_path / "full" / "reminders.csv")
    assert letter["channel"] == "letter" and letter["text"] == free["text"]
    assert (letter["send_from"], letter["send_until"]) == ("2026-12-11T16:00:00+00:00", "2026-12-12T16:00:00+00:00")
    # with letters forbidden as well, it is withheld
    s = open_store(db, clock=lambda: datetime(2026, 12, 12, 1, tzinfo=timezone.utc))
    s.set_flag(ref, "deceased", True, "death certificate")
    s.close()
    run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "none", "--lang", "en")
    assert rows(tmp_path / "none" / "reminders.csv") == []
