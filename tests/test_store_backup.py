"""`installment db backup FILE`: a consistent, self-contained copy while the database is in use."""

from __future__ import annotations

import cli_process
import os
import sqlite3

from calc.debt import Debt
from plans.store import Account, open_store


def run(*args, db):
    env = dict(os.environ, INSTALLMENT_DB=str(db))
    return cli_process.run(args, env=env, timeout=60)


def filled(path, n=20):
    s = open_store(path, actor="agent.li", role="agent")
    s.upsert_accounts([Account(f"CC-{i}", "CNY", Debt("CNY", principal=(i + 1) * 100_00)) for i in range(n)])
    return s


def test_backup_while_in_use_copies_committed_data_only(tmp_path):
    db, copy = tmp_path / "live.db", tmp_path / "copy.db"
    s = filled(db)  # stays open: its changes sit in the WAL, not yet in the main file
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another console mid-transaction
    other.execute(
        "INSERT INTO notes (account_ref, created_at, actor, role, text) "
        "VALUES ('CC-1', 't', 'x', 'agent', 'uncommitted')"
    )
    done = run("db", "backup", str(copy), db=db)
    other.execute("ROLLBACK")
    other.close()
    assert done.returncode == 0, done.stderr
    assert "20 accounts" in done.stdout
    assert not (tmp_path / "copy.db-wal").exists()
    b = open_store(copy, existing=True)
    assert b.count_accounts() == 20 and b.notes("CC-1") == []
    report = b.verify_audit()
    assert report.intact and report.entries == 20
    assert b.get_account("CC-19").debt.principal == 2000_00
    b.close()
    s.close()


def test_backup_replaces_an_older_copy_and_leaves_no_temporary_files(tmp_path):
    db, copy = tmp_path / "live.db", tmp_path / "copy.db"
    filled(db, 2).close()
    assert run("db", "backup", str(copy), db=db).returncode == 0
    filled(db, 5).close()
    assert run("db", "backup", str(copy), "--db", str(db), db=tmp_path / "other.db").returncode == 0
    b = open_store(copy, existing=True)
    assert b.count_accounts() == 5
    b.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.db"]


def test_backup_refuses_bad_targets_without_traceback(tmp_path):
    db = tmp_path / "live.db"
    filled(db).close()
    onto_itself = run("db", "backup", str(db), db=db)
    assert onto_itself.returncode == 2 and "database itself" in onto_itself.stderr
    no_folder = run("db", "backup", str(tmp_path / "nowhere" / "c.db"), db=db)
    assert no_folder.returncode == 2 and "does not exist" in no_folder.stderr
    no_db = run("db", "backup", str(tmp_path / "c.db"), db=tmp_path / "absent.db")
    assert no_db.returncode == 2 and "no database" in no_db.stderr
    a_folder = run("db", "backup", str(tmp_path), db=db)
    assert a_folder.returncode == 2 and "is a folder" in a_folder.stderr
    unwritable = run("db", "backup", "/proc/copy.db", db=db)  # even root cannot create files there
    assert unwritable.returncode == 2 and "cannot write the copy /proc/copy.db" in unwritable.stderr
    for done in (onto_itself, no_folder, no_db, a_folder, unwritable):
        assert "Traceback" not in done.stderr
