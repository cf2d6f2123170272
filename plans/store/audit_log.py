"""The store's audit log: entries sealed with the key, the anchor advanced after every change, verification.

:class:`AuditSeal` holds what a database's audit log needs from outside it (the key
file and the anchor store, :mod:`plans.audit.keys` and :mod:`plans.audit.anchors`);
:class:`AuditLog` is the part of :class:`plans.store.Store` that writes and checks
the log.  Every change is one write transaction (:meth:`AuditLog._write`) that
appends its audit entry; once it is committed, the anchor moves to that entry.

The database records its random id and how many entries predate the key
(``meta``) and, on the first write, the key's id: a program with another key
file is refused (the entries it sealed could never be verified).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from calc.errors import InvalidInput

from plans.audit.chain import GENESIS, Anchor, AnchorStore, AuditEntry, Report, check_anchor, first_break, seal
from plans.audit.anchors import FileAnchors, anchors_path
from plans.audit.keys import KEY_ENV, AuditKey, load_key

from .backend import Backend
from .records import AuditKeyMismatch, StoreError

#: The first schema with a keyed audit log (``meta`` table).
KEYED_SCHEMA = 5


class AuditSeal:
    """The key and the anchors of one database's audit log (shared by a store and its ``as_actor`` copies).

    The key file is read (or made) on first use, so opening a database only to read or
    back it up needs no key.
    """

    def __init__(
        self,
        key_path: str | os.PathLike | None = None,
        anchors: str | os.PathLike | AnchorStore | None = None,
        *,
        create_key: bool = True,
    ) -> None:
        self._key_path = key_path
        self._anchors = anchors
        self._create_key = create_key
        self._key: AuditKey | None = None
        self._store: AnchorStore | None = anchors if hasattr(anchors, "advance") else None  # type: ignore[assignment]  # an AnchorStore: it advances
        self.db_id: str | None = None
        self.legacy_until = 0
        self.checked = False
        self.keyed: bool | None = None  # the database's schema has a keyed log (read once)
        #: Why the last anchor could not be written (None: it was), for ``audit verify`` to mention.
        self.anchor_error: str | None = None

    @property
    def key(self) -> AuditKey:
        if self._key is None:
            self._key = load_key(self._key_path, create=self._create_key)
        return self._key

    @property
    def anchors(self) -> AnchorStore:
        if self._store is None:
            # (not an AnchorStore here: a path or None, which anchors_path takes)
            self._store = FileAnchors(anchors_path(self._anchors, self.key.path))  # type: ignore[arg-type]
        return self._store

    def anchor_for(self, seq: int, head: str, at: str) -> Anchor:
        return Anchor(self.db_id or "", seq, head, self.legacy_until, self.key.id, at).sealed(self.key.secret)


class AuditLog:
    """Writing and checking the audit log: the base of the parts of :class:`plans.store.Store`
    (users, kiosk identification, servicing, conduct), which all change the store through
    :meth:`_write` and :meth:`_audit`.  ``Store.__init__`` sets the attributes declared here."""

    backend: Backend
    actor: str
    role: str
    clock: Callable[[], datetime]
    seal: AuditSeal

    def _now(self) -> str:
        return self.clock().astimezone(timezone.utc).isoformat(timespec="microseconds")

    # -- writing --------------------------------------------------------------------------
    def _keyed(self) -> bool:
        if self.seal.keyed is None:
            self.seal.keyed = self.backend.schema_version >= KEYED_SCHEMA
        return self.seal.keyed

    def _check_key(self, tx) -> None:
        """Read the database's id and legacy count; record the key's id, or refuse another key."""
        s = self.seal
        if s.checked:
            return
        meta = tx.meta()
        s.db_id, s.legacy_until = meta.get("db_id"), int(meta.get("audit_legacy_until") or 0)
        known = meta.get("audit_key_id")
        if known is None:  # the first keyed write records the key (checked again on the next one)
            tx.set_meta("audit_key_id", s.key.id)
        elif known != s.key.id:
            raise AuditKeyMismatch(
                f"this database's audit log is sealed with another key (id {known}); the key file "
                f"{s.key.path} has id {s.key.id}: set {KEY_ENV} to the database's key file",
                "audit_key",
            )
        else:
            s.checked = True

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """A write transaction; after it commits, the anchor moves to the last entry it appended."""
        with self.backend.write() as tx:
            tx.last_entry = None
            yield tx
            entry = tx.last_entry
        if entry is not None and self._keyed():
            self._advance(entry)

    def _advance(self, entry: AuditEntry) -> None:
        try:
            self.seal.anchors.advance(self.seal.anchor_for(entry.seq, entry.hash, entry.at))
            self.seal.anchor_error = None
        except (OSError, ValueError) as exc:  # the change is saved; verification reports the lag
            self.seal.anchor_error = str(exc)

    def _audit(
        self, tx, now: str, action: str, entity: str, entity_id: str | int, before: Any, after: Any
    ) -> AuditEntry:
        key = None
        if self._keyed():
            self._check_key(tx)
            key = self.seal.key.secret
        seq, head = tx.audit_head()
        entry = seal(
            seq + 1,
            now,
            self.actor,
            self.role,
            action,
            entity,
            str(entity_id),
            _norm(before),
            _norm(after),
            head or GENESIS,
            key,
        )
        tx.insert_audit(entry)
        tx.last_entry = entry
        return entry

    def audit(self, action: str, entity: str, entity_id: str, before: Any = None, after: Any = None) -> AuditEntry:
        """Record something that is not a store change (a summary printed, an account viewed)."""
        for name, value in (("action", action), ("entity", entity), ("entity_id", entity_id)):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput("is empty", name)
        now = self._now()
        with self._write() as tx:
            return self._audit(tx, now, action, entity, entity_id, before, after)

    def anchor(self) -> bool:
        """Record the log's head as the anchor when the database has none (a new or upgraded
        database; after ``audit verify`` reports a lost one).  False when one exists."""
        if not self._keyed():
            raise StoreError(
                "this database predates the keyed audit log; open it once with this program to upgrade it", "db"
            )
        with self.backend.write() as tx:  # under the write lock: no entry is added meanwhile
            self._check_key(tx)
            seq, head = tx.audit_head()
            return self.seal.anchors.create(self.seal.anchor_for(seq, head or GENESIS, self._now()))

    # -- reading and checking ----------------------------------------------------------------
    def audit_log(self, entity: str | None = None, entity_id: str | None = None) -> list[AuditEntry]:
        with self.backend.read() as tx:
            return list(tx.audit_entries(entity, entity_id))

    def verify_audit(self) -> Report:
        """Check every entry's seal and the chain, then the log's end against the anchor."""
        report = Report()
        with self.backend.read() as tx:
            report.last_seq, _ = tx.audit_head()
            if not self._keyed():
                report.keyed = False
                broken, report.entries, report.head = first_break(tx.audit_entries())
                if broken is not None:
                    report.problems.append(f"BROKEN at entry {broken.seq}: {broken.reason}")
                report.notes.append(
                    "this database predates the keyed audit log: entries are checked with plain "
                    "SHA-256 and its end is not anchored; open it once with this program to upgrade it"
                )
                return report
            meta = tx.meta()
            key = self.seal.key
            db_id = meta.get("db_id") or ""
            report.legacy_until = int(meta.get("audit_legacy_until") or 0)
            known = meta.get("audit_key_id")
            if known is not None and known != key.id:
                report.problems.append(
                    f"the log is sealed with another key (id {known}); the key file {key.path} has "
                    f"id {key.id}: nothing can be checked with it"
                )
                return report
            broken, report.entries, report.head = first_break(tx.audit_entries(), key.secret, report.legacy_until)
            if broken is not None:
                report.problems.append(f"BROKEN at entry {broken.seq}: {broken.reason}")
            anchors = self.seal.anchors
            report.anchor_where = anchors.where(db_id)
            try:
                anchor = anchors.read(db_id)
            except ValueError:
                anchor = None
            check_anchor(report, anchor, key.secret, key.id, report.legacy_until, tx.audit_seal)
        if self.seal.anchor_error:
            report.notes.append(f"the last anchor could not be written: {self.seal.anchor_error}")
        return report


def _norm(value: Any) -> Any:
    """A JSON round trip, so what is sealed or compared equals what is read back (tuples -> lists).
    Key order is kept."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, allow_nan=False))


__all__ = ["AuditLog", "AuditSeal", "KEYED_SCHEMA"]
