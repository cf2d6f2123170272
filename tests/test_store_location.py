"""--db and INSTALLMENT_DB: one parser names a SQLite file or a PostgreSQL database, and hides passwords."""

from __future__ import annotations

import cli_process
import subprocess
from pathlib import Path

import pytest

from plans.store import PostgresUrl, StoreError, open_store, parse_db, redact, resolve_db_path


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u@db.example:5432/inst",
        "postgres://u@db/inst",
        "POSTGRESQL://u@db/inst",
        "postgresql:///inst?host=/run/postgresql",
    ],
)
def test_postgresql_urls_name_a_postgresql_database(url):
    found = parse_db(url)
    assert isinstance(found, PostgresUrl) and found.url == url
    with pytest.raises(TypeError, match="not a file"):
        Path(found)  # never a folder named "postgresql:"


@pytest.mark.parametrize("value", ["mysql://u@h/inst", "postgress://u@h/inst", "sqlite://x.db", "http://h/x"])
def test_a_url_with_another_scheme_is_refused(value):
    with pytest.raises(StoreError, match="postgresql://"):
        parse_db(value)


def test_a_url_without_a_database_name_is_refused():
    with pytest.raises(StoreError, match="names no database"):
        parse_db("postgresql://u@host:5432")


def test_other_values_are_sqlite_paths(tmp_path, monkeypatch):
    assert parse_db(str(tmp_path / "a.db")) == tmp_path / "a.db"
    assert parse_db("postgresql:x.db") == Path("postgresql:x.db")  # no "//": a (strange) file name
    monkeypatch.setenv("INSTALLMENT_DB", "postgresql://agent@db/inst")
    assert isinstance(parse_db(None), PostgresUrl)
    with pytest.raises(StoreError, match="PostgreSQL database, not a file"):
        resolve_db_path(None)
    monkeypatch.setenv("INSTALLMENT_DB", "ftp://h/x")
    with pytest.raises(StoreError) as err:
        parse_db(None)
    assert err.value.field == "INSTALLMENT_DB"


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://li:s3cret@db:5432/inst", "postgresql://li:***@db:5432/inst"),
        (
            "postgresql://li@db/inst?password=s3cret&sslmode=require",
            "postgresql://li@db/inst?password=***&sslmode=require",
        ),
        ("postgresql://li:p%40ss@db/inst", "postgresql://li:***@db/inst"),
    ],
)
def test_passwords_are_never_shown(url, shown):
    assert redact(url) == shown
    assert str(PostgresUrl(url)) == shown and "s3cret" not in repr(PostgresUrl(url))


def test_cli_never_makes_a_folder_from_a_url_and_never_prints_the_password(tmp_path):
    for url in ("postgress://li:s3cret@localhost/inst", "postgresql://li:s3cret@127.0.0.1:9/inst"):
        done = cli_process.run(["users", "list", "--db", url], cwd=tmp_path, timeout=60)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert "s3cret" not in done.stderr + done.stdout and "***" in done.stderr
        assert list(tmp_path.iterdir()) == []


def test_open_store_on_postgresql(pg_server):
    url = pg_server.new_database()
    with open_store(url, actor="li", role="agent") as store:
        assert store.backend.name == "postgresql" and store.backend.schema_version == 7
    with pytest.raises(StoreError, match="not an installment database"):
        open_store(pg_server.new_database(), existing=True)


def test_backup_of_a_postgresql_database_uses_pg_dump_and_says_so(pg_server, tmp_path):
    url = pg_server.new_real_database()
    done = cli_process.run(["demo-data", "--accounts", "20", "--db", url], timeout=300)
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "inst.dump"
    done = cli_process.run(["db", "backup", copy, "--db", url], timeout=300)
    assert done.returncode == 0, done.stderr
    assert "pg_dump" in done.stdout and "pg_restore" in done.stdout and "20 accounts" in done.stdout
    assert copy.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    listing = subprocess.run(
        [str(pg_server.bindir / "pg_restore"), "--list", str(copy)], capture_output=True, text=True
    )
    assert listing.returncode == 0 and "TABLE DATA" in listing.stdout and " audit " in listing.stdout
