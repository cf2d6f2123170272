"""`installment import FILE`: insert or update accounts from the batch input format."""

from __future__ import annotations

import cli_process
import os
import subprocess
import sys
import time
from datetime import date

from calc.debt import Debt
from plans.store import Account, StoreError, open_store

HEADER = (
    "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,"
    "name,region,monthly_income,essential_spending,household,savings,hardship_reason\n"
)
GOOD = [
    "CC-1,CNY,10000.00,500.00,120.50,0,0,0,张伟,beijing,,,,,\n",
    "CC-2,CNY,25000,0,0,100,300,0,Emily Chen,shanghai,9800.00,4200.00,2+1,5000,illness\n",
    "JP-1,JPY,1250000,86400,0,3000,0,0,Kenji Watanabe,tokyo,,,,,\n",
]
BAD = [
    "CC-3,CNY,12.345,0,0,0,0,0,Bad Decimals,,,,,,\n",  # line 5: too many decimals
    "CC-4,ABC,100,0,0,0,0,0,Bad Currency,,,,,,\n",  # line 6: unknown currency
    "CC-1,CNY,1,0,0,0,0,0,Duplicate,,,,,,\n",  # line 7: duplicate reference
    "\n",  # line 8: blank line
    "CC-5,CNY,-5,0,0,0,0,0,Negative,,,,,,\n",  # line 9: negative amount
]


def run(*args, db):
    env = dict(os.environ, INSTALLMENT_DB=str(db))
    return cli_process.run(args, env=env, timeout=60)


def write(path, lines, encoding="utf-8"):
    path.write_bytes("".join(lines).encode(encoding))
    return path


def snapshot(db):
    s = open_store(db)
    accounts = s.list_accounts(limit=100)
    out = ([(a, a.updated_at) for a in accounts], {a.ref: len(s.profiles(a.ref)) for a in accounts}, len(s.audit_log()))
    s.close()
    return out


def test_good_rows_imported_bad_rows_reported_with_line_numbers(tmp_path):
    db = tmp_path / "i.db"
    src = write(tmp_path / "p.csv", [HEADER] + GOOD + BAD)
    done = run("import", str(src), db=db)
    assert done.returncode == 1
    assert "3 new" in done.stdout and "5 rows skipped" in done.stdout
    lines = done.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["line 5", "line 6", "line 7", "line 8", "line 9"]
    assert "decimal" in lines[0] and "ABC" in lines[1] and "duplicate" in lines[2] and "Traceback" not in done.stderr
    s = open_store(db)
    assert s.get_account("CC-1").debt == Debt("CNY", principal=10000_00, interest=500_00, penalty_interest=120_50)
    assert s.get_account("CC-1").name == "张伟"
    assert s.get_account("JP-1").debt.principal == 1_250_000
    profile = s.latest_profile("CC-2").profile
    assert (
        profile.adults,
        profile.children,
        profile.total_income,
        profile.essential_spending,
        profile.savings,
        profile.hardship_reason,
    ) == (2, 1, 9800_00, 4200_00, 5000_00, "illness")
    assert s.profiles("CC-1") == []
    assert s.verify_audit().intact
    s.close()


def test_running_the_same_file_twice_changes_nothing(tmp_path):
    db = tmp_path / "i.db"
    src = write(tmp_path / "p.csv", [HEADER] + GOOD)
    assert run("import", str(src), db=db).returncode == 0
    before = snapshot(db)
    second = run("import", str(src), db=db)
    assert second.returncode == 0
    assert "0 new, 0 updated, 3 unchanged, 0 new profiles" in second.stdout
    assert snapshot(db) == before


def test_update_changes_only_what_the_file_carries(tmp_path):
    db = tmp_path / "i.db"
    s = open_store(db)
    s.upsert_accounts(
        [
            Account(
                "CC-1",
                "CNY",
                Debt("CNY", principal=1_00),
                name="张伟",
                id_last4="1234",
                birth_date=date(1985, 3, 12),
                phone="10012340001",
                region="beijing",
                days_overdue=90,
            )
        ]
    )
    s.close()
    src = write(tmp_path / "p.csv", [HEADER, "CC-1,CNY,20000,10,0,0,0,0,,,,,,,\n"])
    done = run("import", str(src), db=db)
    assert done.returncode == 0 and "1 updated" in done.stdout
    s = open_store(db)
    acc = s.get_account("CC-1")
    assert acc.debt.principal == 20000_00 and acc.debt.interest == 10_00
    assert (acc.name, acc.id_last4, acc.birth_date, acc.phone, acc.region, acc.days_overdue) == (
        "张伟",
        "1234",
        date(1985, 3, 12),
        "10012340001",
        "beijing",
        90,
    )
    entry = s.audit_log("account", "CC-1")[-1]
    assert entry.role == "batch" and entry.before["principal"] == 1_00 and entry.after["principal"] == 20000_00
    s.close()


def test_a_changed_profile_adds_a_version(tmp_path):
    db = tmp_path / "i.db"
    row = "CC-2,CNY,25000,0,0,0,0,0,Emily Chen,shanghai,{income},4200.00,1,0,illness\n"
    run("import", str(write(tmp_path / "a.csv", [HEADER, row.format(income="9800")])), db=db)
    run("import", str(write(tmp_path / "b.csv", [HEADER, row.format(income="7000")])), db=db)
    s = open_store(db)
    assert [p.profile.total_income for p in s.profiles("CC-2")] == [9800_00, 7000_00]
    s.close()


def test_gb18030_and_json_lines(tmp_path):
    db = tmp_path / "i.db"
    src = write(tmp_path / "gb.csv", [HEADER, GOOD[0]], encoding="gb18030")
    assert run("import", str(src), "--encoding", "gb18030", db=db).returncode == 0
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text(
        '{"account_ref": "CC-9", "currency": "CNY", "principal": "300.00", "interest": "0", '
        '"penalty_interest": "0", "late_fees": "0", "annual_fees": "0", "other_fees": "0", '
        '"name": "王芳"}\n',
        encoding="utf-8",
    )
    assert run("import", str(jsonl), db=db).returncode == 0
    other = tmp_path / "export.txt"  # JSON Lines under another name: --input-format says so
    other.write_text(jsonl.read_text(encoding="utf-8").replace("CC-9", "CC-10"), encoding="utf-8")
    assert run("import", str(other), "--input-format", "jsonl", db=db).returncode == 0
    s = open_store(db)
    assert s.get_account("CC-1").name == "张伟" and s.get_account("CC-9").debt.principal == 300_00
    assert s.get_account("CC-10").name == "王芳"
    s.close()


def test_a_file_that_cannot_be_read_is_an_input_error_and_writes_nothing(tmp_path):
    db = tmp_path / "i.db"
    missing = run("import", str(tmp_path / "absent.csv"), db=db)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    bad_header = run("import", str(write(tmp_path / "h.csv", ["ref,amount\n", "A,1\n"])), db=db)
    assert bad_header.returncode == 2 and "account_ref" in bad_header.stderr
    s = open_store(db)
    assert s.count_accounts() == 0 and s.audit_log() == []
    s.close()


# -- short transactions ------------------------------------------------------------------------


def big_file(path, rows: int):
    lines = [HEADER]
    for i in range(rows):
        profile = "9800.00,4200.00,2+1,5000,illness" if i % 2 else ",,,,"
        lines.append(f"BIG-{i:06d},CNY,{10000 + i}.00,0,0,0,0,0,Name {i},beijing,{profile}\n")
    return write(path, lines)


def start_import(src, db):
    env = dict(os.environ, INSTALLMENT_DB=str(db))
    return subprocess.Popen(
        [sys.executable, "-m", "installment_tui.cli", "import", str(src)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for_accounts(db, at_least: int, proc) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None and time.monotonic() < deadline, "the import ended too soon"
        if db.exists():
            try:
                s = open_store(db, busy_timeout=1)
                n = s.count_accounts()
                s.close()
                if n >= at_least:
                    return
            except StoreError:
                pass
        time.sleep(0.05)


def test_other_writers_are_not_held_up_by_an_import(tmp_path):
    """A long import commits in short transactions: a console saving a note meanwhile, with a
    busy timeout of 2 s (the default is 30), never finds the database locked."""
    db = tmp_path / "big.db"
    s = open_store(db)
    s.upsert_accounts([Account("NOTE-1", "CNY", Debt("CNY", principal=100_00))])
    s.close()
    proc = start_import(big_file(tmp_path / "big.csv", 40000), db)
    wait_for_accounts(db, 500, proc)
    console = open_store(db, actor="agent.li", role="agent", busy_timeout=2)
    saved = 0
    while proc.poll() is None and saved < 40:
        console.add_note("NOTE-1", f"call {saved}")  # raises StoreError if it waited 2 s
        saved += 1
        time.sleep(0.05)
    console.close()
    proc.communicate(timeout=120)
    assert saved >= 10 and proc.returncode == 0
    s = open_store(db)
    assert s.count_accounts() == 40001 and len(s.notes("NOTE-1")) == saved
    assert s.verify_audit().intact
    s.close()


def test_a_killed_import_leaves_whole_rows_and_a_rerun_completes_it(tmp_path):
    db = tmp_path / "big.db"
    src = big_file(tmp_path / "big.csv", 20000)
    proc = start_import(src, db)
    wait_for_accounts(db, 2000, proc)
    proc.kill()
    proc.communicate()
    s = open_store(db)
    accounts = s.list_accounts(limit=100000)
    assert 2000 <= len(accounts) < 20000
    created = {e.entity_id for e in s.audit_log("account") if e.action == "account.create"}
    assert created == {a.ref for a in accounts}  # every account with its audit entry, no entry without it
    for a in accounts:  # and with its profile when its row has one
        assert len(s.profiles(a.ref)) == int(a.ref[-1]) % 2
    report = s.verify_audit()
    assert report.intact, report.problems
    s.close()
    done = run("import", str(src), db=db)
    assert done.returncode == 0, done.stderr
    assert f"{20000 - len(accounts)} new" in done.stdout and f"{len(accounts)} unchanged" in done.stdout
    s = open_store(db)
    assert s.count_accounts() == 20000 and s.verify_audit().intact
    s.close()
