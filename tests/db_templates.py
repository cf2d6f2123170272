"""Store databases set up once per test module and backend, copied fresh for each test.

Adding a user costs a PBKDF2 hash (about 0.13 s of CPU, on purpose: :mod:`plans.passwords`), and so does
every check of a password.  A module whose tests all start from the same store (accounts, users signed in,
...) sets it up once per backend with :func:`set_up_once` and each test gets a copy of its own: SQLite
through the store's own backup, PostgreSQL with ``CREATE DATABASE ... TEMPLATE``
(:meth:`pg_server.PgServer.new_real_database`).  A test never sees another test's changes.

A copy is its template exactly (the same rows, audit chain and timestamps, made with the module's fake
clock) but for one value: the database's id (``meta.db_id``), with the audit anchor for it.  Anchors are
kept outside the database, one file per id (:mod:`plans.audit.anchors`): copies sharing an id would share an
anchor, which one test's changes move past the end of another copy's log.  Every database the old fixtures
made had an id and an anchor of its own; so does every copy.
"""

from __future__ import annotations

import dataclasses
import secrets
from pathlib import Path
from typing import Callable

import pytest
from backend_helpers import fetch_value, raw_sql
from pg_server import PgServer

from plans.store import open_store

#: The store tests run on both: a SQLite file, and a database of the session's PostgreSQL server.
BACKENDS = ("sqlite", "postgresql")

#: Sets up the store database it is given (a SQLite path or a PostgreSQL URL), and closes what it opened
#: (what it returns is not used).
SetUp = Callable[[str | Path], object]


class Templates:
    """The databases one test module set up, by (set-up, backend), and the copies made of them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._built: dict[tuple[SetUp, str], str | Path] = {}

    def copy(self, set_up: SetUp, backend: str, folder: Path, pg: PgServer | None) -> str | Path:
        """A new copy, in ``folder`` (SQLite) or on ``pg``, of the database ``set_up`` makes on ``backend``."""
        template = self._built.get((set_up, backend))
        if template is None:
            template = self._built[(set_up, backend)] = self._build(set_up, backend, pg)
        if backend == "sqlite":
            dest: str | Path = folder / "store.db"
            source = open_store(template, actor="test", role="system", existing=True)
            try:
                source.backend.backup(dest)
            finally:
                source.close()
        else:
            assert pg is not None
            dest = pg.new_real_database(template=str(template))
        _own_identity(dest)
        return dest

    def _build(self, set_up: SetUp, backend: str, pg: PgServer | None) -> str | Path:
        if backend == "sqlite":
            where: str | Path = self.folder / f"template-{len(self._built)}.db"
        else:
            assert pg is not None
            where = pg.new_real_database()
        set_up(where)  # closes its store: a PostgreSQL template must have no connection while it is copied
        return where


def _own_identity(db: str | Path) -> None:
    """Give the copy ``db`` an id of its own and the template's anchor under that id (see the module's doc)."""
    store = open_store(db, actor="test", role="system", existing=True)
    try:
        template_id = fetch_value(store, "SELECT value FROM meta WHERE key = 'db_id'")
        anchor = store.seal.anchors.read(template_id)
        if anchor is None:
            raise RuntimeError(f"the template of {db} has no audit anchor: its set-up must open it as a new store")
        own_id = secrets.token_hex(16)
        raw_sql(store, "UPDATE meta SET value = ? WHERE key = 'db_id'", (own_id,))
        store.seal.anchors.create(dataclasses.replace(anchor, db_id=own_id).sealed(store.seal.key.secret))
    finally:
        store.close()


def set_up_once(set_up: SetUp, backends: tuple[str, ...] = BACKENDS):
    """A fixture for a test module (assign it to the name the tests ask for): the database ``set_up`` makes,
    set up once per module and backend, a fresh copy for each test; on each of ``backends``."""

    def copied(request, db_templates: Templates, tmp_path: Path) -> str | Path:
        backend = getattr(request, "param", backends[0])
        pg = request.getfixturevalue("pg_server") if backend == "postgresql" else None
        return db_templates.copy(set_up, backend, tmp_path, pg)

    copied.__doc__ = f"A fresh copy of the database {set_up.__name__} sets up (tests/db_templates.py)."
    return pytest.fixture(params=backends)(copied) if len(backends) > 1 else pytest.fixture(copied)
