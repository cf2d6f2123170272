"""The SQLite queries of servicing (schedules, payments, status transitions), mixed into ``sqlite.Tx``.

Like the rest of the backend, each method is one query taking and returning plain
values; the rules are in :mod:`plans.store.servicing`.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Iterable, Iterator

_SCHEDULE_COLUMNS = ("agreement_id", "currency", "start", "total", "numbers", "dues", "amounts", "fees", "buckets")
_PAYMENT_COLUMNS = ("reference", "account_ref", "agreement_id", "paid_on", "amount", "currency", "channel", "batch_id")
#: A payment as read: its row with who recorded it, when and from where (its batch).
_PAYMENT_SELECT = (
    "SELECT p.*, b.recorded_at, b.actor, b.source FROM payments p JOIN payment_batches b ON b.id = p.batch_id"
)
_TRANSITION_COLUMNS = ("agreement_id", "from_status", "to_status", "effective_on", "record_id", "recorded_at", "actor")


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT through ``cur`` added (sqlite3 sets ``lastrowid`` after every INSERT)."""
    if cur.lastrowid is None:
        raise RuntimeError("sqlite3 reported no row id after an INSERT")
    return cur.lastrowid


def _insert(table: str, columns: tuple[str, ...], verb: str = "INSERT") -> str:
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


class ServicingTx:
    _c: sqlite3.Connection
    _agreement: Any  # sqlite.Tx._agreement: a row with its terms read as JSON

    # schedules -----------------------------------------------------------------------
    def insert_schedule(self, agreement_id: int, row: dict) -> None:
        self._c.execute(
            _insert("agreement_schedules", _SCHEDULE_COLUMNS), [agreement_id] + [row[c] for c in _SCHEDULE_COLUMNS[1:]]
        )

    def get_schedule(self, agreement_id: int) -> dict | None:
        r = self._c.execute("SELECT * FROM agreement_schedules WHERE agreement_id = ?", (agreement_id,)).fetchone()
        return None if r is None else dict(r)

    # agreements as servicing sees them ---------------------------------------------------
    def successor(self, agreement_id: int) -> int | None:
        """The re-plan that replaced the agreement (an ``agreement`` record superseding it)."""
        r = self._c.execute(
            "SELECT id FROM agreements WHERE supersedes = ? AND kind = 'agreement' ORDER BY id LIMIT 1", (agreement_id,)
        ).fetchone()
        return None if r is None else r[0]

    def agreement_currencies(self) -> Iterator[tuple[int, str, str]]:
        """``(id, account_ref, currency)`` of every agreement (not its cancellation or breach records), by id."""
        yield from self._c.execute(
            "SELECT a.id, a.account_ref, coalesce(s.currency, json_extract(a.terms, '$.currency')) "
            "FROM agreements a LEFT JOIN agreement_schedules s ON s.agreement_id = a.id "
            "WHERE a.kind = 'agreement' ORDER BY a.id"
        )

    # payments ------------------------------------------------------------------------
    def insert_payment_batch(self, recorded_at: str, actor: str, source: str) -> int:
        return inserted_id(
            self._c.execute(
                "INSERT INTO payment_batches (recorded_at, actor, source) VALUES (?, ?, ?)",
                (recorded_at, actor, source),
            )
        )

    def insert_payment(self, row: dict) -> int:
        return inserted_id(self._c.execute(_insert("payments", _PAYMENT_COLUMNS), [row[c] for c in _PAYMENT_COLUMNS]))

    def insert_payments(self, rows: Iterable[tuple], ignore: bool = False) -> int:
        """Rows as tuples in the order of ``_PAYMENT_COLUMNS``; with ``ignore`` a row whose reference is
        recorded already is skipped.  Returns how many were added."""
        before = self._c.total_changes
        self._c.executemany(_insert("payments", _PAYMENT_COLUMNS, "INSERT OR IGNORE" if ignore else "INSERT"), rows)
        return self._c.total_changes - before

    def last_payment_id(self) -> int:
        return self._c.execute("SELECT coalesce(max(id), 0) FROM payments").fetchone()[0]

    def payments_with_references(self, references: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for i in range(0, len(references), 500):
            part = references[i : i + 500]
            for r in self._c.execute(f"{_PAYMENT_SELECT} WHERE p.reference IN ({', '.join('?' * len(part))})", part):
                out[r["reference"]] = dict(r)
        return out

    def payments(self, agreement_id: int) -> list[dict]:
        return [
            dict(r)
            for r in self._c.execute(
                f"{_PAYMENT_SELECT} WHERE p.agreement_id = ? ORDER BY p.paid_on, p.id", (agreement_id,)
            )
        ]

    # transitions ---------------------------------------------------------------------
    def insert_transitions(self, rows: Iterable[tuple]) -> int:
        """Rows in the order of ``_TRANSITION_COLUMNS``; one already recorded (same agreement, date and
        status) is skipped.  Returns how many were added."""
        before = self._c.total_changes
        self._c.executemany(_insert("agreement_transitions", _TRANSITION_COLUMNS, "INSERT OR IGNORE"), rows)
        return self._c.total_changes - before

    def transitions(self, agreement_id: int) -> list[dict]:
        return [
            dict(r)
            for r in self._c.execute(
                "SELECT * FROM agreement_transitions WHERE agreement_id = ? ORDER BY effective_on, id", (agreement_id,)
            )
        ]

    def endings(self, agreement_ids: list[int] | None = None) -> Iterator[tuple[int, str, str, int]]:
        """``(agreement_id, to_status, effective_on, record_id)`` of the transitions a record made."""
        sql = (
            "SELECT agreement_id, to_status, effective_on, record_id FROM agreement_transitions "
            "WHERE record_id IS NOT NULL"
        )
        if agreement_ids is None:
            yield from self._c.execute(sql + " ORDER BY agreement_id, effective_on")
            return
        for i in range(0, len(agreement_ids), 500):
            part = agreement_ids[i : i + 500]
            yield from self._c.execute(
                sql + f" AND agreement_id IN ({', '.join('?' * len(part))}) ORDER BY agreement_id, effective_on", part
            )

    def endings_between(self, lo: int, hi: int) -> Iterator[tuple[int, str, str, int]]:
        """:meth:`endings` of the agreements with ``lo <= id < hi``."""
        yield from self._c.execute(
            "SELECT agreement_id, to_status, effective_on, record_id FROM agreement_transitions "
            "WHERE record_id IS NOT NULL AND agreement_id >= ? AND agreement_id < ? "
            "ORDER BY agreement_id, effective_on",
            (lo, hi),
        )

    def recorded_between(self, lo: int, hi: int) -> Iterator[tuple[int, str, str]]:
        """``(agreement_id, effective_on, to_status)`` of the recorded transitions of agreements
        with ``lo <= id < hi``."""
        yield from self._c.execute(
            "SELECT agreement_id, effective_on, to_status FROM agreement_transitions "
            "WHERE agreement_id >= ? AND agreement_id < ?",
            (lo, hi),
        )

    # the monitor's bulk reads ----------------------------------------------------------
    def servicing_rows(self, lo: int, hi: int) -> Iterator[tuple[Any, ...]]:
        """Agreements with ``lo <= id < hi`` that have a schedule: ``(id, account_ref, phone, currency,
        start, numbers, dues, amounts, region)``, by id."""
        yield from self._c.execute(
            "SELECT s.agreement_id, a.account_ref, acc.phone, s.currency, s.start, s.numbers, s.dues, s.amounts, "
            "acc.region "
            "FROM agreement_schedules s JOIN agreements a ON a.id = s.agreement_id "
            "JOIN accounts acc ON acc.ref = a.account_ref "
            "WHERE s.agreement_id >= ? AND s.agreement_id < ? ORDER BY s.agreement_id",
            (lo, hi),
        )

    def payment_columns(self, lo: int, hi: int, as_of: str) -> Iterator[tuple[int, str, str]]:
        """Per agreement with ``lo <= id < hi``: its payments up to ``as_of`` as two comma-separated
        texts, days and amounts (in no particular order)."""
        yield from self._c.execute(
            "SELECT agreement_id, group_concat(paid_on), group_concat(amount) FROM payments "
            "WHERE agreement_id >= ? AND agreement_id < ? AND paid_on <= ? GROUP BY agreement_id",
            (lo, hi, as_of),
        )

    def agreement_id_range(self) -> tuple[int, int]:
        r = self._c.execute("SELECT min(agreement_id), max(agreement_id) FROM agreement_schedules").fetchone()
        return (r[0] or 0, r[1] or 0)

    def unscheduled_agreements(self) -> list[dict]:
        """Agreements (not cancellation or breach records) saved without a schedule (before servicing)."""
        return [
            self._agreement(r)
            for r in self._c.execute(
                "SELECT a.* FROM agreements a LEFT JOIN agreement_schedules s ON s.agreement_id = a.id "
                "WHERE a.kind = 'agreement' AND s.agreement_id IS NULL ORDER BY a.id"
            )
        ]


__all__ = ["ServicingTx"]
