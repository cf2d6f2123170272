"""The SQLite backend: every SQL query the store runs is in this module (DDL in ``schema.py``).

A backend opens the database and hands out transactions (:meth:`SqliteBackend.read`,
:meth:`SqliteBackend.write`); a transaction has one small method per query, taking
and returning plain Python values (dicts for rows, dicts/lists for JSON columns).
:class:`plans.store.Store` holds the rules (validation, status changes, audit
entries) and never sees SQL, so a PostgreSQL backend with the same methods can
replace this one without touching callers.

Concurrency: WAL mode lets readers run beside one writer; every write transaction
starts with ``BEGIN IMMEDIATE`` (takes the write lock up front, so two writers
queue instead of failing on a lock upgrade); one connection is shared by the
threads of a process behind a lock.  A writer that finds the lock taken tries again
every :data:`WRITE_POLL_SECONDS` until its busy timeout has passed.  SQLite's own
busy handler backs off to one try every 100 ms: behind an import that takes the
lock again a few milliseconds after each of its transactions
(``Store.upsert_accounts``), a console saving a note missed gap after gap and
waited up to 1.7 s, on a quiet machine, for transactions of a quarter of a second.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from plans import files
from plans.audit.chain import AuditEntry, Unreadable, canonical

from . import schema
from .records import StoreError
from .sqlite_conduct import ConductTx
from .sqlite_servicing import ServicingTx, inserted_id

BUSY_TIMEOUT_MS = 30_000
#: How often a writer waiting for the write lock tries to take it.
WRITE_POLL_SECONDS = 0.002
_ACCOUNT_COLUMNS = (
    "ref",
    "name",
    "id_last4",
    "birth_date",
    "phone",
    "region",
    "currency",
    "principal",
    "interest",
    "penalty_interest",
    "late_fees",
    "annual_fees",
    "other_fees",
    "days_overdue",
)
_OFFER_COLUMNS = (
    "id",
    "account_ref",
    "kind",
    "status",
    "authority",
    "policy_version",
    "currency",
    "inputs",
    "headline",
    "created_at",
    "updated_at",
    "actor",
    "replan_of",
)
_AGREEMENT_COLUMNS = ("offer_id", "account_ref", "kind", "supersedes", "created_at", "actor", "role", "reason", "terms")


def connect(path: str | os.PathLike, wal: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection in autocommit mode with WAL (unless ``wal`` is false), foreign keys and a busy timeout."""
    conn = sqlite3.connect(
        os.fspath(path), timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal" and wal:
        conn.execute("PRAGMA journal_mode = WAL")
    return conn


class SqliteBackend:
    name = "sqlite"

    def __init__(
        self, path: str | os.PathLike, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> None:
        self.path = Path(path)
        if migrate:
            # Created here, readable by the owner only (plans.files), before SQLite opens it: SQLite
            # gives the -wal and -shm files the database file's mode.  An older file loses world access.
            files.make_dir(self.path.parent, database=True)
            if not files.create_private(self.path, database=True):
                for name in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
                    files.no_world_access(name)
        self._conn = connect(self.path, wal=migrate, busy_timeout_ms=busy_timeout_ms)
        self._lock = threading.RLock()
        try:
            self.migrated_from = schema.migrate(self._conn) if migrate else schema.check(self._conn)
        except BaseException:
            self._conn.close()
            raise

    @property
    def schema_version(self) -> int:
        with self._lock:
            return schema.version(self._conn)

    @contextmanager
    def _transaction(self, write: bool) -> Iterator["Tx"]:
        """A transaction; SQLite's errors (locked too long, disk full, read-only or damaged
        file, a trigger refusing a change) become a StoreError naming the file."""
        with self._lock:
            try:
                if write:
                    self._take_write_lock()
                else:
                    self._conn.execute("BEGIN")
                try:
                    yield Tx(self._conn)
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                try:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise StoreError(f"{self.path}: {exc}", "db") from exc

    def _take_write_lock(self) -> None:
        """``BEGIN IMMEDIATE``, tried every :data:`WRITE_POLL_SECONDS` while another connection
        writes, until the busy timeout has passed (then SQLite's "database is locked")."""
        conn = self._conn
        timeout_ms = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        deadline = time.monotonic() + timeout_ms / 1000
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                        raise
                time.sleep(WRITE_POLL_SECONDS)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")

    def read(self):
        """A read transaction: one consistent snapshot."""
        return self._transaction(write=False)

    def write(self):
        """A write transaction holding the database's write lock until it ends."""
        return self._transaction(write=True)

    def backup(self, dest: str | os.PathLike) -> None:
        """A consistent copy through SQLite's online backup API, written atomically."""
        dest = Path(dest)
        if dest.is_dir():
            raise StoreError(f"{dest} is a folder; give the name of the copy, e.g. {dest / 'backup.db'}", "FILE")
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        try:
            for leftover in (tmp, Path(f"{tmp}-journal")):
                leftover.unlink(missing_ok=True)
            files.create_private(tmp, database=True)  # the copy holds the same personal data
            target = sqlite3.connect(os.fspath(tmp), isolation_level=None)
            try:
                with self._lock:
                    self._conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                result = target.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise sqlite3.DatabaseError(f"backup failed its check: {result}")
            finally:
                target.close()
            os.replace(tmp, dest)
        except (sqlite3.Error, OSError) as exc:  # a folder that cannot be written, a full disk
            raise StoreError(f"cannot write the copy {dest} ({exc}); nothing was written", "FILE") from None
        finally:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def watch(self) -> "SqliteWatch":
        return SqliteWatch(self)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class SqliteWatch:
    """``poll()`` is true when another connection (another console, kiosk or batch) committed a
    change since the last poll: ``PRAGMA data_version``, a cheap read of the file's header."""

    def __init__(self, backend: SqliteBackend) -> None:
        self._backend = backend
        self._seen = self._version()
        self.tables: set[str] = set()  # SQLite does not say which

    def _version(self) -> int:
        with self._backend._lock:
            return self._backend._conn.execute("PRAGMA data_version").fetchone()[0]

    def poll(self) -> bool:
        version = self._version()
        changed, self._seen = version != self._seen, version
        return changed

    def close(self) -> None:
        pass


def _row(r: sqlite3.Row | None) -> dict[str, Any] | None:
    return dict(r) if r is not None else None


def _dump(value: Any) -> str:
    """JSON text keeping the order of keys (an offer's inputs may depend on it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _audit_json(text: str | None) -> Any:
    """An audit entry's before/after; text that is not JSON (edited by hand) is kept as Unreadable,
    so that verifying the chain names that entry instead of failing."""
    try:
        return None if text is None else json.loads(text, parse_constant=_not_json)
    except ValueError:
        return Unreadable(text)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Tx(ServicingTx, ConductTx):
    """One transaction's queries.  Row dicts use the column names of ``schema.py``
    (servicing's are in :mod:`plans.store.sqlite_servicing`, conduct's in :mod:`plans.store.sqlite_conduct`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    # accounts ------------------------------------------------------------
    def get_account(self, ref: str) -> dict | None:
        return _row(self._c.execute("SELECT * FROM accounts WHERE ref = ?", (ref,)).fetchone())

    def find_accounts(self, query: str, limit: int) -> list[dict]:
        """Reference or phone starting with ``query``, phone ending with it (the last four digits),
        or name containing it (case-insensitive)."""
        q = _like(query.strip())
        rows = self._c.execute(
            "SELECT * FROM accounts WHERE ref LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\' "
            "OR phone LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' ORDER BY ref LIMIT ?",
            (q + "%", q + "%", "%" + q, "%" + q + "%", limit),
        )
        return [dict(r) for r in rows]

    def accounts_with_refs(self, refs: list[str]) -> dict[str, dict]:
        """The stored accounts among ``refs``, by reference."""
        out: dict[str, dict] = {}
        for i in range(0, len(refs), 500):
            part = refs[i : i + 500]
            for r in self._c.execute(f"SELECT * FROM accounts WHERE ref IN ({', '.join('?' * len(part))})", part):
                out[r["ref"]] = dict(r)
        return out

    def list_accounts(self, limit: int, offset: int) -> list[dict]:
        rows = self._c.execute("SELECT * FROM accounts ORDER BY ref LIMIT ? OFFSET ?", (limit, offset))
        return [dict(r) for r in rows]

    def count_accounts(self) -> int:
        return self._c.execute("SELECT count(*) FROM accounts").fetchone()[0]

    def insert_account(self, row: dict, now: str) -> None:
        cols = _ACCOUNT_COLUMNS + ("created_at", "updated_at")
        self._c.execute(
            f"INSERT INTO accounts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in _ACCOUNT_COLUMNS] + [now, now],
        )

    def update_account(self, row: dict, now: str) -> None:
        cols = _ACCOUNT_COLUMNS[1:]
        self._c.execute(
            f"UPDATE accounts SET {', '.join(c + ' = ?' for c in cols)}, updated_at = ? WHERE ref = ?",
            [row[c] for c in cols] + [now, row["ref"]],
        )

    # profiles ------------------------------------------------------------
    def profiles(self, ref: str) -> list[dict]:
        rows = self._c.execute("SELECT * FROM profiles WHERE account_ref = ? ORDER BY version", (ref,))
        return [dict(r, data=_json(r["data"])) for r in rows]

    def latest_profile(self, ref: str) -> dict | None:
        r = self._c.execute(
            "SELECT * FROM profiles WHERE account_ref = ? ORDER BY version DESC LIMIT 1", (ref,)
        ).fetchone()
        return None if r is None else dict(r, data=_json(r["data"]))

    def latest_profiles(self, refs: list[str]) -> dict[str, dict]:
        """The latest profile of each account among ``refs`` that has one, by reference."""
        out: dict[str, dict] = {}
        for i in range(0, len(refs), 500):
            part = refs[i : i + 500]
            for r in self._c.execute(
                f"SELECT * FROM profiles p WHERE account_ref IN ({', '.join('?' * len(part))}) AND version = "
                "(SELECT max(version) FROM profiles q WHERE q.account_ref = p.account_ref)",
                part,
            ):
                out[r["account_ref"]] = dict(r, data=_json(r["data"]))
        return out

    def insert_profile(self, ref: str, version: int, now: str, actor: str, data: dict) -> None:
        self._c.execute(
            "INSERT INTO profiles (account_ref, version, created_at, actor, data) VALUES (?, ?, ?, ?, ?)",
            (ref, version, now, actor, _dump(data)),
        )

    # offers --------------------------------------------------------------
    def _offer(self, r: sqlite3.Row) -> dict:
        return dict(r, inputs=_json(r["inputs"]), headline=_json(r["headline"]))

    def get_offer(self, offer_id: str) -> dict | None:
        r = self._c.execute("SELECT * FROM offers WHERE id = ?", (offer_id,)).fetchone()
        return None if r is None else self._offer(r)

    def insert_offer(self, row: dict) -> None:
        values = [_dump(row[c]) if c in ("inputs", "headline") else row[c] for c in _OFFER_COLUMNS]
        self._c.execute(
            f"INSERT INTO offers ({', '.join(_OFFER_COLUMNS)}) VALUES ({', '.join('?' * len(_OFFER_COLUMNS))})", values
        )

    def set_offer_status(self, offer_id: str, status: str, now: str, actor: str) -> None:
        self._c.execute(
            "UPDATE offers SET status = ?, updated_at = ?, actor = ? WHERE id = ?", (status, now, actor, offer_id)
        )

    def offers(self, ref: str) -> list[dict]:
        rows = self._c.execute("SELECT * FROM offers WHERE account_ref = ? ORDER BY created_at, rowid", (ref,))
        return [self._offer(r) for r in rows]

    def offers_with_status(self, status: str, limit: int) -> list[dict]:
        rows = self._c.execute(
            "SELECT * FROM offers WHERE status = ? ORDER BY created_at, rowid LIMIT ?", (status, limit)
        )
        return [self._offer(r) for r in rows]

    def offers_last_changed(self, statuses: tuple[str, ...], limit: int) -> list[dict]:
        """Offers now in one of ``statuses``, the latest changed first."""
        marks = ", ".join("?" for _ in statuses)
        rows = self._c.execute(
            f"SELECT * FROM offers WHERE status IN ({marks}) ORDER BY updated_at DESC, rowid DESC LIMIT ?",
            (*statuses, limit),
        )
        return [self._offer(r) for r in rows]

    # agreements ----------------------------------------------------------
    def _agreement(self, r: sqlite3.Row) -> dict:
        return dict(r, terms=_json(r["terms"]))

    def insert_agreement(self, row: dict) -> int:
        values = [_dump(row[c]) if c == "terms" else row[c] for c in _AGREEMENT_COLUMNS]
        cur = self._c.execute(
            f"INSERT INTO agreements ({', '.join(_AGREEMENT_COLUMNS)}) VALUES "
            f"({', '.join('?' * len(_AGREEMENT_COLUMNS))})",
            values,
        )
        return inserted_id(cur)

    def get_agreement(self, agreement_id: int) -> dict | None:
        r = self._c.execute("SELECT * FROM agreements WHERE id = ?", (agreement_id,)).fetchone()
        return None if r is None else self._agreement(r)

    def agreements(self, ref: str) -> list[dict]:
        rows = self._c.execute("SELECT * FROM agreements WHERE account_ref = ? ORDER BY id", (ref,))
        return [self._agreement(r) for r in rows]

    def superseded_ids(self, ref: str) -> set[int]:
        rows = self._c.execute(
            "SELECT supersedes FROM agreements WHERE account_ref = ? AND supersedes IS NOT NULL", (ref,)
        )
        return {r[0] for r in rows}

    # notes ---------------------------------------------------------------
    def insert_note(self, ref: str, now: str, actor: str, role: str, text: str) -> int:
        cur = self._c.execute(
            "INSERT INTO notes (account_ref, created_at, actor, role, text) VALUES (?, ?, ?, ?, ?)",
            (ref, now, actor, role, text),
        )
        return inserted_id(cur)

    def notes(self, ref: str) -> list[dict]:
        return [dict(r) for r in self._c.execute("SELECT * FROM notes WHERE account_ref = ? ORDER BY id", (ref,))]

    # kiosk identification ------------------------------------------------
    def kiosk_attempts(self, ref: str) -> dict | None:
        return _row(self._c.execute("SELECT * FROM kiosk_attempts WHERE account_ref = ?", (ref,)).fetchone())

    def set_kiosk_attempts(self, ref: str, failures: int, last_failure: str | None, locked_until: str | None) -> None:
        self._c.execute(
            "INSERT INTO kiosk_attempts (account_ref, failures, last_failure, locked_until) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (account_ref) DO UPDATE SET failures = excluded.failures, "
            "last_failure = excluded.last_failure, locked_until = excluded.locked_until",
            (ref, failures, last_failure, locked_until),
        )

    def clear_kiosk_attempts(self, ref: str) -> None:
        self._c.execute("DELETE FROM kiosk_attempts WHERE account_ref = ?", (ref,))

    # per-kiosk limit -------------------------------------------------------
    def add_kiosk_failure(self, kiosk: str, now: str, since: str) -> int:
        """Record a failure at ``kiosk``; forget its failures before ``since``; the failures left."""
        self._c.execute("DELETE FROM kiosk_failures WHERE kiosk = ? AND at < ?", (kiosk, since))
        self._c.execute("INSERT INTO kiosk_failures (kiosk, at) VALUES (?, ?)", (kiosk, now))
        return self._c.execute("SELECT count(*) FROM kiosk_failures WHERE kiosk = ?", (kiosk,)).fetchone()[0]

    def clear_kiosk_failures(self, kiosk: str) -> None:
        self._c.execute("DELETE FROM kiosk_failures WHERE kiosk = ?", (kiosk,))

    def kiosk_pause(self, kiosk: str) -> str | None:
        r = self._c.execute("SELECT paused_until FROM kiosk_pauses WHERE kiosk = ?", (kiosk,)).fetchone()
        return None if r is None else r[0]

    def set_kiosk_pause(self, kiosk: str, until: str) -> None:
        self._c.execute(
            "INSERT INTO kiosk_pauses (kiosk, paused_until) VALUES (?, ?) ON CONFLICT (kiosk) "
            "DO UPDATE SET paused_until = excluded.paused_until",
            (kiosk, until),
        )

    # users -----------------------------------------------------------------
    def users(self) -> list[dict]:
        return [dict(r) for r in self._c.execute("SELECT * FROM users ORDER BY name")]

    def get_user(self, name: str) -> dict | None:
        return _row(self._c.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())

    def has_supervisor(self) -> bool:
        return (
            self._c.execute("SELECT 1 FROM users WHERE role = 'supervisor' AND active = 1 LIMIT 1").fetchone()
            is not None
        )

    def insert_user(self, name: str, role: str, password: str, now: str, by: str) -> None:
        self._c.execute(
            "INSERT INTO users (name, role, password, active, created_at, created_by, updated_at) "
            "VALUES (?, ?, ?, 1, ?, ?, ?)",
            (name, role, password, now, by, now),
        )

    def update_user(self, name: str, now: str, **values) -> None:
        cols = [c for c in ("password", "active") if c in values]
        self._c.execute(
            f"UPDATE users SET {', '.join(c + ' = ?' for c in cols)}, updated_at = ? WHERE name = ?",
            [values[c] for c in cols] + [now, name],
        )

    # meta ----------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._c.execute("SELECT key, value FROM meta")}

    def set_meta(self, key: str, value: str) -> None:
        self._c.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # audit ---------------------------------------------------------------
    def audit_seal(self, seq: int) -> str | None:
        r = self._c.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
        return None if r is None else r[0]

    def audit_head(self) -> tuple[int, str | None]:
        r = self._c.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, None) if r is None else (r[0], r[1])

    def insert_audit(self, e: AuditEntry) -> None:
        self._c.execute(
            "INSERT INTO audit (seq, at, actor, role, action, entity, entity_id, before, after, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.seq,
                e.at,
                e.actor,
                e.role,
                e.action,
                e.entity,
                e.entity_id,
                None if e.before is None else canonical(e.before),
                None if e.after is None else canonical(e.after),
                e.prev_hash,
                e.hash,
            ),
        )

    def audit_entries(self, entity: str | None = None, entity_id: str | None = None) -> Iterator[AuditEntry]:
        sql, args = "SELECT * FROM audit", []
        if entity is not None:
            sql += " WHERE entity = ?"
            args.append(entity)
            if entity_id is not None:
                sql += " AND entity_id = ?"
                args.append(entity_id)
        for r in self._c.execute(sql + " ORDER BY seq", args):
            yield AuditEntry(
                r["seq"],
                r["at"],
                r["actor"],
                r["role"],
                r["action"],
                r["entity"],
                r["entity_id"],
                _audit_json(r["before"]),
                _audit_json(r["after"]),
                r["prev_hash"],
                r["hash"],
            )
