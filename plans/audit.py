"""The tamper-evident audit chain (pure functions; the store keeps the entries).

Every audit entry carries the hash of the entry before it.  An entry's hash is
SHA-256 over the canonical JSON of its fields (keys sorted, no spaces, UTF-8,
``prev_hash`` included), so changing, removing or reordering any entry breaks
every hash after it.  The first entry's ``prev_hash`` is :data:`GENESIS`.

What a chain cannot show on its own: the newest entries being cut off the end.
``installment audit verify`` prints the head hash so it can be written down
elsewhere (a ticket, a daily report) and compared later.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

GENESIS = "0" * 64

#: The fields an entry's hash covers, in the order the store keeps them.
HASHED_FIELDS = ("seq", "at", "actor", "role", "action", "entity", "entity_id", "before", "after", "prev_hash")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit log entry.  ``before``/``after`` are JSON-ready values (or None)."""

    seq: int
    at: str
    actor: str
    role: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A stored ``before`` or ``after`` that is not JSON (edited outside the program): never verifies."""

    text: object


@dataclass(frozen=True, slots=True)
class Broken:
    """The first entry that does not fit the chain, and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.reason}"


def canonical(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(fields: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's hashed fields."""
    body = {name: fields[name] for name in HASHED_FIELDS}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def seal(seq: int, at: str, actor: str, role: str, action: str, entity: str, entity_id: str,
         before: Any, after: Any, prev_hash: str) -> AuditEntry:
    """A new entry chained to ``prev_hash``."""
    fields = dict(seq=seq, at=at, actor=actor, role=role, action=action, entity=entity,
                  entity_id=entity_id, before=before, after=after, prev_hash=prev_hash)
    return AuditEntry(**fields, hash=entry_hash(fields))


def first_break(entries: Iterable[AuditEntry]) -> tuple[Broken | None, int, str]:
    """Walk the chain in ``seq`` order.

    Returns ``(broken, count, head)``: the first broken entry (None when the chain
    is intact), how many entries were read, and the hash of the last good entry.
    """
    prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            what = "missing" if entry.seq > expected_seq else "out of order"
            return Broken(entry.seq, f"sequence jumps from {expected_seq - 1} to {entry.seq} "
                                     f"(entries {what})"), count, prev
        if entry.prev_hash != prev:
            return Broken(entry.seq, "previous-entry hash does not match the entry before it "
                                     "(an earlier entry was changed or removed)"), count, prev
        fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
        try:
            digest = entry_hash(fields)
        except (TypeError, ValueError):  # not JSON (Unreadable, NaN): written by something else
            unreadable = [n for n in ("before", "after") if isinstance(fields[n], Unreadable)]
            what = " and ".join(unreadable) or "a field"
            return Broken(entry.seq, f"{what} is not valid JSON (the entry was changed)"), count, prev
        if digest != entry.hash:
            return Broken(entry.seq, "contents do not match the entry's hash (the entry was changed)"), count, prev
        prev = entry.hash
        expected_seq += 1
    return None, count, prev
