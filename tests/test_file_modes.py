"""Files holding personal data are created readable by their owner only, whatever the umask.

The database and its -wal/-shm, backups, exported summaries, batch outputs and letters,
kiosk receipts and the kiosk log; ``INSTALLMENT_FILE_MODE=group`` lets the group read
them (and share the database).  Every check runs with umask 000, the worst case.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest

from calc.debt import Debt
from plans.store import Account, open_store

ROOT = Path(__file__).resolve().parent.parent
HEADER = "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,name\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "installment_tui.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
        preexec_fn=lambda: os.umask(0),
    )


def test_the_database_its_wal_and_shm_and_its_folder(tmp_path):
    with umask(0):
        s = open_store(tmp_path / "data" / "a.db")
        s.upsert_accounts([Account("CC-1", "CNY", Debt("CNY", principal=100))])
        files = [tmp_path / "data" / n for n in ("a.db", "a.db-wal", "a.db-shm")]
        assert all(f.exists() for f in files)
        assert [mode(f) for f in files] == [0o600] * 3
        assert mode(tmp_path / "data") == 0o700
        s.close()


def test_an_older_world_readable_database_loses_world_access(tmp_path):
    path = tmp_path / "old.db"
    s = open_store(path)
    s.close()
    path.chmod(0o644)
    open_store(path).close()
    assert mode(path) == 0o640  # others lose access; the group keeps what it had (a shared console host)


def test_the_group_option_for_a_shared_console_host(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTALLMENT_FILE_MODE", "group")
    with umask(0):
        s = open_store(tmp_path / "shared" / "a.db")
        s.upsert_accounts([Account("CC-1", "CNY", Debt("CNY", principal=100))])
        assert mode(tmp_path / "shared" / "a.db") == 0o660 and mode(tmp_path / "shared" / "a.db-wal") == 0o660
        assert mode(tmp_path / "shared") == 0o770
        s.close()
    done = cli(
        "db",
        "backup",
        tmp_path / "copy.db",
        "--db",
        tmp_path / "shared" / "a.db",
        env={"INSTALLMENT_FILE_MODE": "group"},
    )
    assert done.returncode == 0, done.stderr
    assert mode(tmp_path / "copy.db") == 0o660
    monkeypatch.setenv("INSTALLMENT_FILE_MODE", "everyone")
    with pytest.raises(Exception, match="use private"):
        open_store(tmp_path / "x.db")


def test_backups_summaries_and_batch_outputs(tmp_path):
    db = tmp_path / "a.db"
    s = open_store(db)
    s.upsert_accounts([Account("CC-1", "CNY", Debt("CNY", principal=100))])
    s.close()
    assert cli("db", "backup", tmp_path / "copy.db", "--db", db).returncode == 0
    assert mode(tmp_path / "copy.db") == 0o600
    done = cli("quote", "--principal", "1000", "--months", "3", "--format", "receipt", "-o", tmp_path / "q.txt")
    assert done.returncode == 0 and mode(tmp_path / "q.txt") == 0o600
    src = tmp_path / "p.csv"
    src.write_text(HEADER + "CC-1,CNY,12000,0,0,0,0,0,张伟\nBAD,CNY,1x,0,0,0,0,0,\n", encoding="utf-8")
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"out-{fmt}"
        done = cli("batch", src, "-o", out, "--start", "2026-01-01", "--format", fmt, "--schedules", "--letters", "txt")
        assert done.returncode == 0, done.stderr
        assert mode(out) == 0o700 and mode(out / "letters") == 0o700
        made = [p for p in out.rglob("*") if p.is_file()]
        assert len(made) == 7 and {mode(p) for p in made} == {0o600}, [(p.name, oct(mode(p))) for p in made]
        assert {mode(p) for p in out.rglob("*") if p.is_dir()} == {0o700}  # the letters' shard folders too


def test_agent_exports_kiosk_receipts_and_the_kiosk_log(tmp_path):
    from installment_tui.agent.screens.export import write_atomic
    from installment_tui.kiosk.config import KioskConfig
    from installment_tui.kiosk.logmask import setup_logging
    from installment_tui.kiosk.printing import deliver

    with umask(0):
        path = write_atomic(tmp_path / "exports" / "x.txt", "receipt")
        assert mode(path) == 0o600 and mode(tmp_path / "exports") == 0o700
        spooled = deliver(
            "receipt",
            KioskConfig(spool_dir=str(tmp_path / "spool")),
            None,
            7,
            now=datetime(2026, 1, 1, tzinfo=timezone.utc),
        )
        assert spooled.ok and mode(Path(spooled.where)) == 0o600 and mode(tmp_path / "spool") == 0o700
        logger = logging.getLogger("installment.kiosk")
        before = (list(logger.handlers), logger.propagate, logger.level)
        try:
            setup_logging(str(tmp_path / "kiosk.log"))
            logger.info("visit started")
        finally:
            for handler in logger.handlers[len(before[0]) :]:
                handler.close()
            logger.handlers[:], logger.propagate, logger.level = before
        assert mode(tmp_path / "kiosk.log") == 0o600
        assert "visit started" in (tmp_path / "kiosk.log").read_text()


@pytest.mark.parametrize("setting, want", [("private", 0o600), ("group", 0o640)])
@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077, 0o277])
def test_new_files_for_batch_letters_get_their_mode_whatever_the_umask(tmp_path, monkeypatch, setting, want, mask):
    """plans.files.NewFiles reads the umask once and gives the mode at open; a umask that takes bits
    off the mode (077 for a group-readable letter, 277 even for the owner's write) is undone per file."""
    from plans.files import NewFiles, process_umask

    monkeypatch.setenv("INSTALLMENT_FILE_MODE", setting)
    with umask(mask):
        assert process_umask() == mask and os.umask(mask) == mask  # read, not changed
        new = NewFiles()
        new.write(str(tmp_path / "a.txt"), b"letter")
        with pytest.raises(FileExistsError):  # never over an existing file
            new.write(str(tmp_path / "a.txt"), b"other")
        with pytest.raises(FileNotFoundError):
            new.write(str(tmp_path / "no" / "b.txt"), b"letter")
    assert mode(tmp_path / "a.txt") == want and (tmp_path / "a.txt").read_bytes() == b"letter"


def test_new_files_are_written_whole_through_short_writes(tmp_path, monkeypatch):
    """os.write may write less than it is given (a signal, a full pipe): NewFiles writes the rest."""
    from plans.files import NewFiles

    real = os.write
    monkeypatch.setattr("plans.files.os.write", lambda fd, data: real(fd, bytes(data[:7])))
    data = bytes(range(256)) * 3
    NewFiles().write(str(tmp_path / "a.txt"), data)
    assert (tmp_path / "a.txt").read_bytes() == data
