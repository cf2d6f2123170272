"""The SQLite queries of conduct (contact log, account flags, complaints), mixed into ``sqlite.Tx``.

Like the rest of the backend, each method is one query taking and returning plain
values; the rules are in :mod:`plans.store.conduct` and :mod:`plans.conduct`.
"""

from __future__ import annotations

import json
import sqlite3

from .sqlite_servicing import inserted_id

_CONTACT_COLUMNS = (
    "account_ref",
    "at",
    "channel",
    "direction",
    "party",
    "purpose",
    "outcome",
    "decision",
    "rules",
    "actor",
    "role",
    "override_by",
    "override_reason",
    "note",
)
_FLAG_COLUMNS = ("account_ref", "flag", "is_set", "at", "actor", "role", "reason")
_COMPLAINT_COLUMNS = (
    "account_ref",
    "received_at",
    "received_on",
    "channel",
    "category",
    "text",
    "lang",
    "received_by",
    "role",
)
_EVENT_COLUMNS = ("complaint_id", "kind", "at", "actor", "role", "due_on", "approved_by", "reason", "outcome")


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], row: dict) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    return inserted_id(conn.execute(sql, [row.get(c) for c in columns]))


def _contact(r: sqlite3.Row) -> dict:
    return dict(r, rules=json.loads(r["rules"]))


class ConductTx:
    _c: sqlite3.Connection

    # contact log -------------------------------------------------------------------
    def insert_contact(self, row: dict) -> int:
        return _insert(self._c, "contacts", _CONTACT_COLUMNS, dict(row, rules=json.dumps(list(row["rules"]))))

    def contacts(self, ref: str, since: str | None = None) -> list[dict]:
        sql, args = "SELECT * FROM contacts WHERE account_ref = ?", [ref]
        if since is not None:
            sql += " AND at >= ?"
            args.append(since)
        return [_contact(r) for r in self._c.execute(sql + " ORDER BY id", args)]

    def contacts_between(self, start: str, end: str) -> list[dict]:
        """Contacts with ``start <= at < end`` (UTC ISO text), in the order they were logged."""
        rows = self._c.execute("SELECT * FROM contacts WHERE at >= ? AND at < ? ORDER BY id", (start, end))
        return [_contact(r) for r in rows]

    # flags ----------------------------------------------------------------------------
    def insert_flag(self, row: dict) -> int:
        return _insert(self._c, "account_flags", _FLAG_COLUMNS, row)

    def flag_history(self, ref: str) -> list[dict]:
        return [
            dict(r) for r in self._c.execute("SELECT * FROM account_flags WHERE account_ref = ? ORDER BY id", (ref,))
        ]

    def flagged_accounts(self) -> list[tuple[str, str, int]]:
        """``(account_ref, flag, is_set)`` of every account's latest row per flag."""
        return [
            tuple(r)
            for r in self._c.execute(
                "SELECT account_ref, flag, is_set FROM account_flags f WHERE id = (SELECT max(id) FROM account_flags g "
                "WHERE g.account_ref = f.account_ref AND g.flag = f.flag)"
            )
        ]

    # complaints -------------------------------------------------------------------------
    def insert_complaint(self, row: dict) -> int:
        return _insert(self._c, "complaints", _COMPLAINT_COLUMNS, row)

    def insert_complaint_event(self, row: dict) -> int:
        return _insert(self._c, "complaint_events", _EVENT_COLUMNS, row)

    def get_complaint(self, complaint_id: int) -> dict | None:
        r = self._c.execute("SELECT * FROM complaints WHERE id = ?", (complaint_id,)).fetchone()
        return None if r is None else dict(r)

    def complaints(self, ref: str | None = None) -> list[dict]:
        if ref is None:
            return [dict(r) for r in self._c.execute("SELECT * FROM complaints ORDER BY id")]
        return [dict(r) for r in self._c.execute("SELECT * FROM complaints WHERE account_ref = ? ORDER BY id", (ref,))]

    def complaint_events(self, complaint_ids: list[int] | None = None) -> list[dict]:
        if complaint_ids is None:
            return [dict(r) for r in self._c.execute("SELECT * FROM complaint_events ORDER BY id")]
        out: list[dict] = []
        for i in range(0, len(complaint_ids), 500):
            part = complaint_ids[i : i + 500]
            out += [
                dict(r)
                for r in self._c.execute(
                    f"SELECT * FROM complaint_events WHERE complaint_id IN ({', '.join('?' * len(part))}) ORDER BY id",
                    part,
                )
            ]
        return out
