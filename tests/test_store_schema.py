"""Schema versions: a new file is created at the latest version, and every earlier version upgrades."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from plans.store import StoreError, open_store
from plans.store import schema
from plans.store.audit_log import KEYED_SCHEMA
from plans.store.sqlite import connect

V1_DATA = [
    "INSERT INTO accounts (ref, name, id_last4, birth_date, currency, principal, interest, created_at, updated_at) "
    "VALUES ('OLD-1', '陈静', '4321', '1970-02-03', 'CNY', 5000000, 12345, '2025-01-01T00:00:00+00:00', "
    "'2025-01-01T00:00:00+00:00')",
    "INSERT INTO profiles VALUES ('OLD-1', 1, '2025-01-01T00:00:00+00:00', 'agent', "
    '\'{"currency":"CNY","adults":1,"children":0,"income":[["salary",600000]],"spending":[]}\')',
    "INSERT INTO offers (id, account_ref, kind, status, authority, policy_version, currency, inputs, headline, "
    "created_at, updated_at, actor) VALUES ('of-old', 'OLD-1', 'standard', 'offered', 'agent', 'p-0', 'CNY', '{}', "
    "'{\"months\":24}', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00', 'agent')",
]
V2_DATA = [
    "INSERT INTO notes (account_ref, created_at, actor, role, text) "
    "VALUES ('OLD-1', '2025-02-01T00:00:00+00:00', 'agent', 'agent', 'old note')"
]


def make_old(path, version: int) -> None:
    """A database as an earlier release left it: migrated only to ``version``, with data
    (a SQLite file, or a PostgreSQL database when ``path`` is a URL)."""
    from plans.store import Store

    data = (V1_DATA if version >= 1 else []) + (V2_DATA if version >= 2 else [])
    if isinstance(path, str):  # PostgreSQL: the same steps, in its dialect
        from plans.store.location import PostgresUrl
        from plans.store.postgres import PostgresBackend

        backend = PostgresBackend(PostgresUrl(path), migrate=False)
        backend._migrate(target=version)
        with backend.write() as tx:
            for sql in data:
                tx._c.execute(sql)
    else:
        conn = connect(path)
        schema.migrate(conn, target=version)
        for sql in data:
            conn.execute(sql)
        conn.close()
        from plans.store.sqlite import SqliteBackend

        backend = SqliteBackend(path, migrate=False)
    store = Store(backend)
    if version >= KEYED_SCHEMA:  # the release that made it anchored its audit log when it created the file
        store.anchor()
    store.close()


def test_a_new_database_is_at_the_latest_version(tmp_path):
    s = open_store(tmp_path / "new.db")
    assert s.backend.schema_version == schema.LATEST
    assert s.backend.migrated_from == 0
    tables = {r[0] for r in s.backend._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "accounts",
        "profiles",
        "offers",
        "agreements",
        "audit",
        "notes",
        "kiosk_attempts",
        "meta",
        "users",
        "kiosk_failures",
        "kiosk_pauses",
        "payments",
        "agreement_schedules",
        "agreement_transitions",
    } <= tables


@pytest.mark.parametrize("old", range(schema.LATEST))
def test_upgrade_from_every_earlier_version_keeps_the_data(db, old):
    path = db  # a SQLite file or a PostgreSQL URL (conftest.py)
    make_old(path, old)
    s = open_store(path, actor="agent.li", role="agent")
    assert s.backend.migrated_from == old
    assert s.backend.schema_version == schema.LATEST
    if old >= 1:
        acc = s.get_account("OLD-1")
        assert (acc.name, acc.debt.principal, acc.id_last4) == ("陈静", 5000000, "4321")
        assert s.profiles("OLD-1")[0].profile.total_income == 600000
        assert s.get_offer("of-old").headline == {"months": 24}
        # what later versions added works on the upgraded file
        s.add_note("OLD-1", "after upgrade")
        assert [n.text for n in s.notes("OLD-1")] == (["old note"] if old >= 2 else []) + ["after upgrade"]
        assert not s.identify("OLD-1", "0000", "1970-02-03").ok
        s.set_offer_status("of-old", "accepted")
        s.add_user("li.super", "supervisor", "correct horse")
        assert s.authenticate("li.super", "correct horse").role == "supervisor"
        report = s.verify_audit()
        assert report.intact and report.anchor is not None and report.anchor.seq == report.entries
    s.close()
    # opening again does not migrate again
    again = open_store(path)
    assert again.backend.migrated_from == schema.LATEST
    again.close()


def test_opening_an_up_to_date_database_never_waits_for_another_writer(tmp_path):
    """A console or kiosk starts while an import holds the write lock: nothing to migrate, no lock taken."""
    path = tmp_path / "busy.db"
    open_store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        s = open_store(path, busy_timeout=0.1)
        assert s.count_accounts() == 0
        s.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(path)
    with pytest.raises(StoreError, match="newer"):
        open_store(path, existing=True)


def test_a_failed_migration_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "v1.db"
    make_old(path, 1)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1] + ("CREATE TABLE notes (x);", "BROKEN SQL;"))
    conn = connect(path)
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn, target=3)
    assert schema.version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'notes'").fetchone()[0] == 0
    conn.close()


def _open_and_count(path: str, queue) -> None:
    s = open_store(path)
    queue.put(s.backend.schema_version)
    s.close()


def test_two_processes_opening_a_new_file_at_once_both_get_the_latest_schema(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    path = str(tmp_path / "race.db")
    procs = [ctx.Process(target=_open_and_count, args=(path, queue)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert sorted(queue.get() for _ in procs) == [schema.LATEST, schema.LATEST]


def test_postgresql_schema_is_sqlites_translated(pg_server):
    """Same tables and columns on both backends (PostgreSQL's one addition: offers.rowid, the save order)."""
    import psycopg

    url = pg_server.new_database()
    open_store(url).close()
    lite = open_store(pg_server.folder / "same.db")
    sqlite_columns = {
        (t, c)
        for (t,) in lite.backend._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        for (c,) in [(r[1],) for r in lite.backend._conn.execute(f"PRAGMA table_info({t})")]
    }
    lite.close()
    with psycopg.connect(url) as conn:
        pg_columns = {
            tuple(r)
            for r in conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name != 'installment_schema'"
            )
        }
    assert pg_columns - sqlite_columns == {("offers", "rowid")}
    assert sqlite_columns - pg_columns == set()


def test_two_processes_opening_a_new_postgresql_database_at_once_migrate_it_once(pg_server):
    url = pg_server.new_database()
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_open_and_count, args=(url, queue)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert sorted(queue.get(timeout=5) for _ in procs) == [schema.LATEST] * 3
