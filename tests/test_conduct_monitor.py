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
        ("DEMO-0005", "complaint_overdue", "0", "2026-11-17"), ("DEMO-0001", "complaint_due_soon", "0", "2026-12-14")]
    assert work[2]["priority"] != "0"
