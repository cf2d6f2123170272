"""The keyed, anchored audit chain (the store keeps the entries; this module seals and checks them).

Every audit entry carries the seal of the entry before it (``prev_hash``) and its own
(``hash``): HMAC-SHA256, under a key kept outside the database
(:mod:`plans.audit.keys`), of the canonical JSON of its fields (keys sorted, no
spaces, UTF-8, ``prev_hash`` included).  Changing, removing or reordering an entry
breaks the chain there, and nobody without the key can compute new seals for
edited entries.  What a chain cannot show on its own, entries cut off its end or
all of them deleted, the *anchor* shows: after every change the newest entry's
number and seal are recorded outside the database (:mod:`plans.audit.anchors`),
sealed with the key too.

Entries written before the log was keyed (databases of schema 4 and earlier) keep
their plain SHA-256 hashes: the store records how many there were
(``legacy_until``) and so does the anchor, and :func:`first_break` checks them with
SHA-256, the rest with the key.  ``key=None`` checks every entry with SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol

GENESIS = "0" * 64

#: The fields an entry's seal covers, in the order the store keeps them.
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


def _body(fields: dict[str, Any]) -> bytes:
    return canonical({name: fields[name] for name in HASHED_FIELDS}).encode("utf-8")


def entry_hash(fields: dict[str, Any]) -> str:
    """Plain SHA-256 (hex) of an entry's fields: entries from before the log was keyed."""
    return hashlib.sha256(_body(fields)).hexdigest()


def entry_mac(key: bytes, fields: dict[str, Any]) -> str:
    """HMAC-SHA256 (hex) of an entry's fields under ``key``."""
    return hmac.new(key, _body(fields), hashlib.sha256).hexdigest()


def seal(
    seq: int,
    at: str,
    actor: str,
    role: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
    key: bytes | None = None,
) -> AuditEntry:
    """A new entry chained to ``prev_hash``, sealed with ``key`` (plain SHA-256 without one)."""
    fields = dict(
        seq=seq,
        at=at,
        actor=actor,
        role=role,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        prev_hash=prev_hash,
    )
    return AuditEntry(**fields, hash=entry_mac(key, fields) if key is not None else entry_hash(fields))


def first_break(
    entries: Iterable[AuditEntry], key: bytes | None = None, legacy_until: int = 0
) -> tuple[Broken | None, int, str]:
    """Walk the chain in ``seq`` order; entries up to ``legacy_until`` are checked with plain
    SHA-256, the rest with ``key`` (every entry with SHA-256 when ``key`` is None).

    Returns ``(broken, count, head)``: the first broken entry (None when the chain
    is intact), how many entries were read, and the seal of the last good entry.
    """
    prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            what = "missing" if entry.seq > expected_seq else "out of order"
            return (
                Broken(entry.seq, f"sequence jumps from {expected_seq - 1} to {entry.seq} (entries {what})"),
                count,
                prev,
            )
        if entry.prev_hash != prev:
            return (
                Broken(
                    entry.seq,
                    "previous-entry hash does not match the entry before it (an entry was changed, removed or moved)",
                ),
                count,
                prev,
            )
        fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
        keyed = key is not None and entry.seq > legacy_until
        try:
            digest = entry_mac(key, fields) if keyed and key is not None else entry_hash(fields)
        except (TypeError, ValueError):  # not JSON (Unreadable, NaN): written by something else
            unreadable = [n for n in ("before", "after") if isinstance(fields[n], Unreadable)]
            what = " and ".join(unreadable) or "a field"
            return Broken(entry.seq, f"{what} is not valid JSON (the entry was changed)"), count, prev
        if not hmac.compare_digest(digest.encode(), str(entry.hash).encode("utf-8", "surrogatepass")):
            seal_kind = "keyed seal" if keyed else "hash"
            return (
                Broken(entry.seq, f"contents do not match the entry's {seal_kind} (the entry was changed)"),
                count,
                prev,
            )
        prev = entry.hash
        expected_seq += 1
    return None, count, prev


# -- the anchor ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Anchor:
    """The newest entry known to have been written, recorded outside the database."""

    db_id: str
    seq: int
    head: str
    legacy_until: int
    key_id: str
    at: str
    mac: str = ""

    def body(self) -> dict:
        return {
            "db_id": self.db_id,
            "seq": self.seq,
            "head": self.head,
            "legacy_until": self.legacy_until,
            "key_id": self.key_id,
            "at": self.at,
        }

    def sealed(self, key: bytes) -> "Anchor":
        mac = hmac.new(key, canonical(self.body()).encode("utf-8"), hashlib.sha256).hexdigest()
        return Anchor(**self.body(), mac=mac)

    def valid(self, key: bytes) -> bool:
        try:
            return hmac.compare_digest(self.sealed(key).mac.encode(), str(self.mac).encode("utf-8", "surrogatepass"))
        except (TypeError, ValueError):
            return False


class AnchorStore(Protocol):
    """Where anchors are kept, out of the database's reach (a folder of files: plans.audit.anchors).

    ``create`` records the first anchor of a new (or newly keyed) database and never
    replaces one; ``advance`` moves an existing anchor forward only (a missing one
    stays missing: verification then reports it); ``where`` names the place for messages.
    """

    def read(self, db_id: str) -> Anchor | None: ...

    def create(self, anchor: Anchor) -> bool: ...

    def advance(self, anchor: Anchor) -> None: ...

    def where(self, db_id: str) -> str: ...


# -- verification ------------------------------------------------------------------------


@dataclass
class Report:
    """What ``installment audit verify`` found.  ``problems`` empty: the log is intact."""

    entries: int = 0
    head: str = GENESIS
    last_seq: int = 0
    legacy_until: int = 0
    keyed: bool = True
    anchor: Anchor | None = None
    anchor_where: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def check_anchor(
    report: Report,
    anchor: Anchor | None,
    key: bytes,
    key_id: str,
    db_legacy_until: int,
    seal_at: Callable[[int], str | None],
) -> None:
    """Compare the end of the log (``report.last_seq``; ``seal_at(n)``: entry n's stored seal) with its anchor."""
    where = report.anchor_where or "the anchor folder"
    if anchor is None:
        report.problems.append(
            f"no anchor for this database in {where}: its newest entries cannot be checked "
            "(the anchor was deleted, or the database's id in its meta table was changed)"
        )
        return
    report.anchor = anchor
    if not anchor.valid(key):
        report.problems.append(f"the anchor {where} does not match its keyed seal (it was changed)")
        return
    if anchor.key_id != key_id:
        report.problems.append(f"the anchor was sealed with another key (id {anchor.key_id}, this key {key_id})")
    if anchor.legacy_until != db_legacy_until:
        report.problems.append(
            f"the database says its first {db_legacy_until} entries predate the key, the anchor "
            f"says {anchor.legacy_until} (the meta table was changed)"
        )
    last = report.last_seq
    if anchor.seq > last:
        if last == 0:
            report.problems.append(
                f"the log is empty, but the anchor recorded {anchor.seq} entries (written "
                f"{anchor.at}): the log was emptied"
            )
        else:
            report.problems.append(
                f"the log ends at entry {last}, but the anchor recorded entry {anchor.seq} "
                f"(written {anchor.at}): entries {last + 1} to {anchor.seq} were deleted "
                "from the end"
            )
    elif anchor.seq and seal_at(anchor.seq) != anchor.head:
        report.problems.append(
            f"entry {anchor.seq} is not the one the anchor recorded (written {anchor.at}): the log was rewritten"
        )
    elif last > anchor.seq:
        report.notes.append(
            f"{last - anchor.seq} entries are newer than the anchor (a program stopped between "
            "saving and anchoring, or the anchor folder could not be written)"
        )
