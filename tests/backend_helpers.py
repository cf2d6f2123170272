"""Reaching under the store in tests, on either backend: raw SQL that the database itself must refuse."""

from __future__ import annotations

import sqlite3


class Refused(Exception):
    """The database refused a statement (a trigger, a constraint, a missing privilege)."""


def raw_sql(store, sql: str, params: tuple = ()) -> None:
    """Run ``sql`` on the store's database directly (bypassing the store); Refused if the database says no."""
    if store.backend.name == "sqlite":
        try:
            store.backend._conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise Refused(str(exc)) from None
        return
    import psycopg

    with store.backend._pool.connection() as conn:
        try:
            conn.execute(sql.replace("?", "%s"), params)
        except psycopg.Error as exc:
            raise Refused(str(exc)) from None


def is_postgres(store) -> bool:
    return store.backend.name == "postgresql"


def fetch_value(store, sql: str, params: tuple = ()):
    """The first column of the first row ``sql`` reads, on either backend."""
    if store.backend.name == "sqlite":
        return store.backend._conn.execute(sql, params).fetchone()[0]
    with store.backend._pool.connection() as conn:
        return conn.execute(sql.replace("?", "%s"), params).fetchone()[0]
