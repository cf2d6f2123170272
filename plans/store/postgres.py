"""The PostgreSQL backend: the SQLite backend's transaction methods, on a psycopg 3 connection pool.

A call centre's consoles, kiosks and batch share one PostgreSQL database (a
``postgresql://`` ``--db``: :mod:`plans.store.location`).  The queries are the
SQLite backend's (:class:`plans.store.sqlite.Tx`, one method per query), run
through :class:`_Conn`, which speaks PostgreSQL's dialect: ``%s`` placeholders,
``ILIKE`` for SQLite's case-insensitive ``LIKE``, ``string_agg`` for
``group_concat``, ``jsonb`` paths for ``json_extract``, ``ON CONFLICT DO NOTHING``
for ``INSERT OR IGNORE`` and ``RETURNING id`` for ``lastrowid``.  The few
queries that differ in more than dialect (bulk inserts by ``COPY``) are methods
of :class:`PgTx`.  Schema and roles: :mod:`plans.store.pg_schema`.

Transactions: a read is one ``REPEATABLE READ READ ONLY`` transaction (one
consistent snapshot); a write is a ``READ COMMITTED`` transaction that first takes
a transaction-level advisory lock, so writes run one at a time as on SQLite
(``BEGIN IMMEDIATE``): a status check and the change it allows cannot interleave
with another writer's, and the audit chain gets one entry at a time, each
chained to the head the last one left.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from plans import files
from plans.audit.chain import AuditEntry, canonical

from . import pg_schema
from .location import PostgresUrl
from .records import NotAllowed, StoreError
from .schema import SchemaTooNew
from .sqlite import _ACCOUNT_COLUMNS, Tx, _dump

# The pool retries a lost connection and logs each try; the store reports what fails to its caller.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())

#: Tables whose ``INSERT`` returns the new row's id (SQLite's ``lastrowid``).
_ID_TABLES = frozenset(
    {
        "agreements",
        "notes",
        "payment_batches",
        "payments",
        "agreement_transitions",
        "contacts",
        "account_flags",
        "complaints",
        "complaint_events",
    }
)
#: From this many rows on, rows put aside are copied in (``COPY``); fewer are inserted.
_COPY_FROM = 16
_AUDIT_COLUMNS = ("seq", "at", "actor", "role", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash")
_INSERT = re.compile(r"^\s*INSERT (?:OR IGNORE )?INTO (\w+)")


class Row(tuple):
    """A row read by index or by column name, like ``sqlite3.Row`` (``dict(row)`` gives the columns)."""

    _index: dict[str, int]

    def keys(self):
        return self._index.keys()

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)


def _row_factory(cursor):
    if cursor.description is None:
        return tuple
    index = {c.name: i for i, c in enumerate(cursor.description)}

    def make(values) -> Row:
        r = Row(values)
        r._index = index
        return r

    return make


def dialect(sql: str) -> str:
    """A query of the SQLite backend in PostgreSQL's dialect (see the module docstring)."""
    s = sql.replace("%", "%%").replace("?", "%s")
    s = re.sub(r"\bLIKE\b", "ILIKE", s)
    s = re.sub(r"group_concat\(([\w.]+)\)", r"string_agg(\1::text, ',')", s)
    s = re.sub(
        r"json_extract\(([\w.]+), '\$\.([\w.]+)'\)",
        lambda m: f"({m.group(1)}::jsonb #>> '{{{m.group(2).replace('.', ',')}}}')",
        s,
    )
    if s.lstrip().startswith("INSERT OR IGNORE"):
        s = s.replace("INSERT OR IGNORE", "INSERT", 1) + " ON CONFLICT DO NOTHING"
    return s


class _Cursor:
    """What the SQLite backend's queries use of a cursor: iteration, fetches and ``lastrowid``."""

    def __init__(self, cur, returning: bool) -> None:
        self._cur, self._returning = cur, returning
        self._id: Any = None

    @property
    def lastrowid(self):
        if self._returning and self._id is None:
            self._id = self._cur.fetchone()[0]
        return self._id

    def fetchone(self):
        return self._cur.fetchone()

    def fetchall(self):
        return self._cur.fetchall()

    def __iter__(self):
        return iter(self._cur)


class _Conn:
    """A psycopg connection seen through ``sqlite3.Connection``'s ``execute``/``executemany``;
    ``before`` runs before every query (to copy in the rows a transaction has put aside)."""

    def __init__(self, conn, before) -> None:
        self.raw, self._before = conn, before

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Cursor:
        self._before()
        s = dialect(sql)
        m = _INSERT.match(sql)
        returning = bool(m and m.group(1) in _ID_TABLES and "RETURNING" not in s)
        if returning:
            s += " RETURNING id"
        return _Cursor(self.raw.execute(s, list(params)), returning)

    def executemany(self, sql: str, rows: Iterable[Any]) -> int:
        self._before()
        cur = self.raw.cursor()
        cur.executemany(dialect(sql), list(rows))
        return max(cur.rowcount, 0)


class PgTx(Tx):
    """One PostgreSQL transaction: the SQLite backend's queries, and bulk inserts by ``COPY``.

    New accounts, profiles and audit entries are put aside and copied in with one ``COPY``
    per table before the next query and before the transaction commits, so an import or
    demo data writes a chunk of thousands of rows in a few statements.  The audit head is
    read once per transaction (which holds the writers' lock) and then follows the entries
    appended.
    """

    def __init__(self, conn) -> None:
        self._pending: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}
        self._head: tuple[int, str | None] | None = None
        super().__init__(_Conn(conn, self.flush))  # type: ignore[arg-type]  # the sqlite Tx's queries on psycopg
        self._raw = conn

    def _later(self, table: str, columns: tuple[str, ...], row: tuple) -> None:
        self._pending.setdefault(table, (columns, []))[1].append(row)

    def flush(self) -> None:
        """Copy in the rows put aside, table by table: accounts before the profiles that refer to them."""
        for table in ("accounts", "profiles", "audit"):
            if table not in self._pending:
                continue
            columns, rows = self._pending.pop(table)
            if len(rows) < _COPY_FROM:  # a console's one or two rows: one pipelined INSERT is quicker
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
                self._raw.cursor().executemany(sql, rows)
                continue
            with self._raw.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def insert_account(self, row: dict, now: str) -> None:
        self._later(
            "accounts",
            _ACCOUNT_COLUMNS + ("created_at", "updated_at"),
            tuple(row[c] for c in _ACCOUNT_COLUMNS) + (now, now),
        )

    def insert_profile(self, ref: str, version: int, now: str, actor: str, data: dict) -> None:
        self._later(
            "profiles",
            ("account_ref", "version", "created_at", "actor", "data"),
            (ref, version, now, actor, _dump(data)),
        )

    def audit_head(self) -> tuple[int, str | None]:
        if self._head is None:
            self._head = super().audit_head()
        return self._head

    def insert_audit(self, e: AuditEntry) -> None:
        self._later(
            "audit",
            _AUDIT_COLUMNS,
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
        self._head = (e.seq, e.hash)

    def _offer(self, r) -> dict:
        row = super()._offer(r)
        row.pop("rowid", None)  # PostgreSQL's column keeping the order offers were saved in
        return row

    def _copy_in(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple], ignore: bool) -> int:
        """Rows copied into ``table`` (``COPY`` into a temporary table, then one ``INSERT``; with
        ``ignore`` a row that conflicts with one saved already is skipped).  How many were added."""
        rows = list(rows)
        if not rows:
            return 0
        stage = f"_stage_{table}"
        cols = ", ".join(columns)
        self._raw.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "
            f"SELECT {cols} FROM {table} WITH NO DATA"
        )
        self._raw.execute(f"TRUNCATE {stage}")
        with self._raw.cursor().copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur = self._raw.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage}" + (" ON CONFLICT DO NOTHING" if ignore else "")
        )
        return cur.rowcount

    def insert_payments(self, rows: Iterable[tuple], ignore: bool = False) -> int:
        from .sqlite_servicing import _PAYMENT_COLUMNS

        return self._copy_in("payments", _PAYMENT_COLUMNS, rows, ignore)

    def insert_transitions(self, rows: Iterable[tuple]) -> int:
        from .sqlite_servicing import _TRANSITION_COLUMNS

        return self._copy_in("agreement_transitions", _TRANSITION_COLUMNS, rows, True)


class PostgresBackend:
    name = "postgresql"

    def __init__(
        self, url: PostgresUrl, *, migrate: bool = True, busy_timeout_ms: int = 30_000, max_size: int = 4
    ) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self.path = url
        self._psycopg = psycopg
        self._timeout_ms = int(busy_timeout_ms)

        def configure(conn) -> None:
            conn.autocommit = True
            conn.row_factory = _row_factory
            conn.execute(f"SET lock_timeout = {self._timeout_ms}")

        try:  # one connection first: a wrong host, user or password is reported at once, by libpq
            psycopg.connect(url.url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {url} ({_redact_text(_cause(exc), url)})", "db") from None
        try:
            self._pool = ConnectionPool(
                url.url,
                min_size=1,
                max_size=max_size,
                configure=configure,
                open=False,
                timeout=max(5.0, busy_timeout_ms / 1000),
                name="installment",
            )
            self._pool.open(wait=True, timeout=10)
        except Exception as exc:  # noqa: BLE001 - psycopg_pool raises its own PoolTimeout with the cause logged
            raise StoreError(f"cannot connect to {url} ({_cause(exc)})", "db") from None
        try:
            self.migrated_from = self._migrate() if migrate else self._check()
        except BaseException:
            self._pool.close()
            raise

    # schema ------------------------------------------------------------------------------
    def _version(self, conn) -> int:
        if conn.execute("SELECT to_regclass('installment_schema')").fetchone()[0] is None:
            return 0
        r = conn.execute("SELECT version FROM installment_schema").fetchone()
        return 0 if r is None else r[0]

    def _check(self) -> int:
        with self._pool.connection() as conn:
            found = self._version(conn)
        if found > pg_schema.LATEST:
            raise SchemaTooNew(f"database schema version {found} is newer than this program's {pg_schema.LATEST}")
        return found

    def _migrate(self, target: int = pg_schema.LATEST) -> int:
        start = self._check()
        if start >= target:
            return start
        with self._pool.connection() as conn:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (pg_schema.MIGRATION_LOCK,))
                start = self._version(conn)  # another process may have migrated meanwhile
                if start > pg_schema.LATEST:
                    raise SchemaTooNew(
                        f"database schema version {start} is newer than this program's {pg_schema.LATEST}"
                    )
                conn.execute(pg_schema.VERSION_TABLE)
                for step in range(start, target):
                    conn.execute(pg_schema.MIGRATIONS[step])
                    conn.execute(
                        "INSERT INTO installment_schema (version) VALUES (%s) ON CONFLICT (one) "
                        "DO UPDATE SET version = excluded.version",
                        (step + 1,),
                    )
        return start

    @property
    def schema_version(self) -> int:
        with self._pool.connection() as conn:
            return self._version(conn)

    # transactions ------------------------------------------------------------------------
    @contextmanager
    def _transaction(self, begin: str, lock: bool) -> Iterator[PgTx]:
        errors = self._psycopg.errors
        try:
            with self._pool.connection() as conn:
                # one round trip: the transaction and, for a write, the writers' lock
                conn.execute(f"{begin}; SELECT pg_advisory_xact_lock({pg_schema.AUDIT_LOCK:d})" if lock else begin)
                try:
                    tx = PgTx(conn)
                    yield tx
                    tx.flush()
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except errors.InsufficientPrivilege as exc:
            raise NotAllowed(f"the database refused: {_cause(exc)}", "role") from None
        except self._psycopg.Error as exc:
            raise StoreError(f"{self.path}: {_cause(exc)}", "db") from exc
        except TimeoutError as exc:  # the pool had no free connection in time
            raise StoreError(f"{self.path}: no connection free ({exc})", "db") from None

    def read(self):
        """A read transaction: one consistent snapshot."""
        return self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", lock=False)

    def write(self):
        """A write transaction; writers take turns (an advisory lock held until it ends)."""
        return self._transaction("BEGIN", lock=True)

    def run_script(self, script: str) -> None:
        """Run statements of :mod:`plans.store.pg_schema` (e.g. the roles) in one transaction."""
        with self._transaction("BEGIN", lock=False) as tx:
            tx._raw.execute(script)

    # change notification -----------------------------------------------------------------
    def watch(self) -> "PgWatch":
        return PgWatch(self.path)

    # backup ------------------------------------------------------------------------------
    def backup(self, dest: str | os.PathLike) -> str:
        """A consistent copy by ``pg_dump`` (custom format, for ``pg_restore``), written atomically.
        Returns the tool's name and version, for the report."""
        dest = Path(dest)
        if dest.is_dir():
            raise StoreError(f"{dest} is a folder; give the name of the copy, e.g. {dest / 'backup.dump'}", "FILE")
        tool = pg_tool("pg_dump")
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        try:
            tmp.unlink(missing_ok=True)
            files.create_private(tmp)  # the copy holds the same personal data
            done = subprocess.run(
                [tool, "--format=custom", "--no-password", f"--file={tmp}", "--dbname", self.path.url],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise StoreError(
                    f"pg_dump failed: {_redact_text(done.stderr.strip(), self.path)}; nothing was written", "FILE"
                )
            os.replace(tmp, dest)
        except OSError as exc:
            raise StoreError(f"cannot write the copy {dest} ({exc}); nothing was written", "FILE") from None
        finally:
            tmp.unlink(missing_ok=True)
        version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
        return version or "pg_dump"

    def close(self) -> None:
        self._pool.close()


class PgWatch:
    """``poll()`` is true when a change was committed since the last poll (``LISTEN``/``NOTIFY``:
    the tables the consoles show notify on every change, :mod:`plans.store.pg_schema`)."""

    def __init__(self, url: PostgresUrl) -> None:
        import psycopg

        try:
            self._conn = psycopg.connect(url.url, autocommit=True)
            self._conn.add_notify_handler(self._heard)
            self._conn.execute(f"LISTEN {pg_schema.CHANNEL}")
        except psycopg.Error as exc:
            raise StoreError(f"{url}: {_cause(exc)}", "db") from None
        self._lock = threading.Lock()
        self._heard_tables: set[str] = set()
        #: The tables changed before the last :meth:`poll` that found changes.
        self.tables: set[str] = set()

    def _heard(self, notify) -> None:
        self._heard_tables.add(notify.payload)

    def poll(self) -> bool:
        with self._lock:
            self._conn.execute("SELECT 1")  # one round trip: notifications that arrived are handled
            heard, self._heard_tables = self._heard_tables, set()
        if heard:
            self.tables = heard
        return bool(heard)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def pg_tool(name: str) -> str:
    """A PostgreSQL client program: on ``PATH``, else in the newest ``/usr/lib/postgresql/*/bin``."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    ):
        if (folder / name).is_file():
            return str(folder / name)
    raise StoreError(
        f"{name} (PostgreSQL's client tools) is not installed; install the postgresql-client package", "db"
    )


def _cause(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text


def _redact_text(text: str, url: PostgresUrl) -> str:
    return text.replace(url.url, str(url))


__all__ = ["PgTx", "PgWatch", "PostgresBackend", "Row", "dialect", "pg_tool"]
