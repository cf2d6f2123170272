"""What :class:`plans.store.Store` needs of a backend: the typed interface both backends implement.

A backend opens the database, migrates its schema and hands out transactions; a
transaction has one method per query (the SQLite backend's :class:`plans.store.sqlite.Tx`
defines them; :class:`plans.store.postgres.PgTx` is the same class in PostgreSQL's
dialect).  ``tests/test_store_backends.py`` checks that both backends satisfy
these protocols, and the store test suite runs on both.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Watch(Protocol):
    """Changes other connections committed: ``poll()`` is true when there were some since the last poll."""

    def poll(self) -> bool: ...

    def close(self) -> None: ...


@runtime_checkable
class Backend(Protocol):
    name: str  # "sqlite" or "postgresql"
    migrated_from: int  # the schema version found when it was opened

    @property
    def path(self) -> Any: ...  # the SQLite file, or the PostgresUrl (which prints without its password)

    @property
    def schema_version(self) -> int: ...

    def read(self) -> AbstractContextManager[Any]: ...  # one consistent snapshot

    def write(self) -> AbstractContextManager[Any]: ...  # writers take turns; all or nothing

    def backup(self, dest: str | os.PathLike) -> str | None: ...

    def watch(self) -> Watch: ...

    def close(self) -> None: ...


__all__ = ["Backend", "Watch"]
