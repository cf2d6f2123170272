"""End to end: the real `installment accept`, `payments import`, `monitor` and `agreement show|cancel`."""

from __future__ import annotations

import json


from cli_helpers import ROOT, copy, rows, run

from plans.demo_data import SERVICING_AS_OF, servicing_accounts, generate


def test_monitor_writes_every_file_and_records_once(demo, tmp_path):
    db = copy(demo, tmp_path)
    first = run("monitor", "--db", db, "--as-of", SERVICING_AS_OF, "-o", tmp_path / "a", "--lang", "en")
    assert first.returncode == 0, first.stderr
    summary = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema"] == "installment.monitor/1" and summary["as_of"] == "2026-12-01"
    assert {s for s, n in summary["by_status"].items() if n} == {
        "current",
        "in_grace",
        "in_arrears",
        "broken",
        "completed",
        "cancelled",
        "superseded",
    }
    assert summary["recorded_now"]["transitions"] > 0 and summary["unserviceable"] == []
    agreements = rows(tmp_path / "a" / "agreements.csv")
    assert list(agreements[0]) == [
        "agreement_id",
        "account_ref",
        "status",
        "installments_paid",
        "installments_total",
        "next_due",
        "next_amount",
        "arrears",
        "missed",
        "paid_to_date",
        "outstanding",
    ]
    cases = {sc.status: c.account.ref for sc, c in servicing_accounts(generate(30, 2025))}
    by_ref = {}
    for row in agreements:
        by_ref.setdefault(row["account_ref"], []).append(row)
    arrears = by_ref[cases["in_arrears"]][0]
    assert (arrears["status"], arrears["missed"], arrears["next_due"]) == ("in_arrears", "2", "2026-12-15")
    # every minor unit: paid + outstanding is the agreement's total, in every row
    from calc.money import parse_amount
    from plans.store import open_store

    store = open_store(db, existing=True)
    for row in agreements:
        total = store.schedule(int(row["agreement_id"])).total
        assert parse_amount(row["paid_to_date"], "CNY") + parse_amount(row["outstanding"], "CNY") == total
    store.close()
    assert [r["status"] for r in by_ref[cases["superseded"]]] == ["superseded", "current"]
    work = rows(tmp_path / "a" / "work_queue.csv")
    assert [(w["account_ref"], w["reason"], w["priority"]) for w in work][:3] == [
        (cases["broken"], "broken", "1"),
        (cases["in_arrears"], "in_arrears", "2"),
        (cases["completed"], "credit_to_review", "3"),
    ]
    # the same date again: nothing new recorded, the same files
    second = run("monitor", "--db", db, "--as-of", SERVICING_AS_OF, "-o", tmp_path / "b", "--lang", "en")
    assert second.returncode == 0
    again = json.loads((tmp_path / "b" / "summary.json").read_text(encoding="utf-8"))
    assert again["recorded_now"] == {"transitions": 0, "breaches": 0}
    for name in ("agreements.csv", "work_queue.csv", "reminders.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_reminders_go_out_the_days_before_a_due_date(demo, tmp_path):
    db = copy(demo, tmp_path)
    cases = {sc.status: c.account for sc, c in servicing_accounts(generate(30, 2025))}
    r = run("monitor", "--db", db, "--as-of", "2026-12-12", "-o", tmp_path / "m", "--lang", "zh_CN")
    assert r.returncode == 0, r.stderr
    reminders = rows(tmp_path / "m" / "reminders.csv")
    current = [x for x in reminders if x["account_ref"] == cases["in_arrears"].ref]
    assert len(current) == 1 and current[0]["send_on"] == "2026-12-12" and current[0]["language"] == "zh_CN"
    text = current[0]["text"]
    assert "第8期" in text and "2026年12月15日" in text and "逾期未还" in text  # October and November still owed
    assert cases["in_arrears"].ref not in text and "****" in text
    assert current[0]["channel"] == "sms"


def test_accept_import_show_cancel(tmp_path):
    db = tmp_path / "s.db"
    case = ROOT / "examples" / "case.json"
    r = run("accept", case, "--kind", "standard", "--db", db)
    assert r.returncode == 0 and r.stdout.strip() == "1", r.stderr
    again = run("accept", case, "--kind", "standard", "--db", db)
    assert again.returncode == 2 and "re-plan" in again.stderr and "Traceback" not in again.stderr
    missing = run("accept", case, "--kind", "settlement", "--db", tmp_path / "other.db")
    assert missing.returncode == 3 and "no settlement offer" in missing.stderr
    bad = run("accept", case, "--kind", "negotiated", "--months", "61", "--db", tmp_path / "other.db")
    assert bad.returncode == 2 and "--months" in bad.stderr
    pay = run("payments", "import", ROOT / "examples" / "payments.csv", "--db", db)
    assert pay.returncode == 0, pay.stderr
    assert "4 recorded (7587.57 CNY)" in pay.stdout
    assert (
        "0 recorded (nothing), 4 already recorded"
        in run("payments", "import", ROOT / "examples" / "payments.csv", "--db", db).stdout
    )
    shown = json.loads(run("agreement", "show", "1", "--db", db, "--as-of", "2026-04-05").stdout)
    assert shown["schema"] == "installment.agreement/1" and shown["status"] == "in_grace"
    assert shown["paid_to_date"] == "7587.57" and shown["installments_paid"] == 3
    assert [p["reference"] for p in shown["payments"]][0] == "BANK-20260101-0001"
    for fmt in ("text", "receipt", "md", "html", "sms"):
        for lang in ("zh_CN", "zh_TW", "en"):
            out = run("agreement", "show", "1", "--db", db, "--as-of", "2026-04-05", "--format", fmt, "--lang", lang)
            assert out.returncode == 0 and out.stdout, (fmt, lang, out.stderr)
    pdf = run("agreement", "show", "1", "--db", db, "--format", "pdf", "-o", tmp_path / "s.pdf")
    assert pdf.returncode == 0 and (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF-")
    assert run("users", "add", "wang.wei", "--role", "agent", "--db", db, input="agent-passphrase\n").returncode == 0
    assert run("users", "add", "li.na", "--role", "supervisor", "--db", db, input="boss-passphrase\n").returncode == 0
    unnamed = run("agreement", "cancel", "1", "--reason", "disputed", "--db", db)
    assert unnamed.returncode == 2 and "--as" in unnamed.stderr
    agent = run(
        "agreement", "cancel", "1", "--reason", "disputed", "--as", "wang.wei", "--db", db, input="agent-passphrase\n"
    )
    assert agent.returncode == 2 and "not a supervisor" in agent.stderr
    wrong = run("agreement", "cancel", "1", "--reason", "disputed", "--as", "li.na", "--db", db, input="guess\n")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    done = run(
        "agreement", "cancel", "1", "--reason", "disputed", "--as", "li.na", "--db", db, input="boss-passphrase\n"
    )
    assert done.returncode == 0 and "cancelled" in done.stdout
    assert json.loads(run("agreement", "show", "1", "--db", db).stdout)["status"] == "cancelled"
    for args, fragment in (
        (("show", "x"), "ID"),
        (("show", "99"), "no agreement 99"),
        (("cancel", "1", "--reason", "", "--as", "li.na"), "--reason"),
    ):
        r = run("agreement", *args, "--db", db)
        assert r.returncode == 2 and fragment in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_bad_payments_file_is_reported_row_by_row(tmp_path):
    db = tmp_path / "s.db"
    assert run("accept", ROOT / "examples" / "case.json", "--kind", "standard", "--db", db).returncode == 0
    path = tmp_path / "p.csv"
    path.write_bytes(
        "account_ref,paid_on,amount,reference\nCC-0001,2026-01-05,100,R1\nCC-0001,2026-01-05,abc,R2\n".encode()
        + b"CC-0001,2026-01-05,1\xff0,R3\n"
        + 'CC-0001,2026-01-05,100,\n"CC-0001",2026-02-30,5,R4\n'.encode()
    )
    r = run("payments", "import", path, "--db", db)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert [x.split(":")[0] for x in lines] == ["line 3", "line 4", "line 5", "line 6"]
    assert "amount" in lines[0] and "UTF-8" in lines[1] and "reference" in lines[2] and "paid_on" in lines[3]
    assert "1 recorded" in r.stdout
    header = tmp_path / "h.csv"
    header.write_text("account,paid_on,amount,reference\n", encoding="utf-8")
    r = run("payments", "import", header, "--db", db)
    assert r.returncode == 2 and "unknown column 'account'" in r.stderr
