"""The store's rules: validation, offer status changes, agreements, notes.

Every change is one backend write transaction that also appends its audit entry,
so a change and its audit entry are saved together or not at all.  ``Store`` knows
no SQL; it talks to a backend (:class:`plans.store.sqlite.SqliteBackend`).  The
audit log (:mod:`.audit_log`), users (:mod:`.users`) and kiosk identification
(:mod:`.kiosk`) are parts of ``Store`` kept in modules of their own.
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import islice
from time import perf_counter, sleep
from typing import Any, Callable, Iterable, Mapping

from calc.affordability import Profile
from calc.errors import InvalidInput

from .audit_log import AuditSeal, _norm
from .conduct import ConductStore
from .kiosk import LOCK_TIME, MAX_FAILURES, KioskIdentification
from .offer_form import offer_fields
from .records import (
    ROLES,
    SUPERVISOR_STATUSES,
    TRANSITIONS,
    Account,
    AgreementRecord,
    InvalidTransition,
    Note,
    NotFound,
    OfferRecord,
    ProfileVersion,
    UpsertResult,
    profile_from_json,
    profile_to_json,
)
from ..vocabulary import OFFER_STATUSES, OfferStatus
from .backend import Backend
from .servicing import ServicingStore
from .users import UserAccounts


#: How long one write transaction of a bulk import (``upsert_accounts``) should last, in seconds.
WRITE_SLICE = 0.25
#: How long a bulk import leaves the write lock free between its transactions, in seconds: longer than
#: a waiting writer takes to try again (``plans.store.sqlite.WRITE_POLL_SECONDS``; PostgreSQL queues
#: it), so that it writes next.
HANDOVER = 0.005


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


#: ``Store._save_profile``'s "not read yet".
_UNREAD = object()


def _account_from_row(d: dict) -> Account:
    return Account.from_dict(d)


class Store(UserAccounts, KioskIdentification, ServicingStore, ConductStore):
    """Accounts, profiles, offers, agreements, notes, users, kiosk identification and the audit log
    (servicing: :mod:`.servicing`; conduct: :mod:`.conduct`).

    ``actor`` and ``role`` are recorded on every change (use :meth:`as_actor` for
    another user on the same database).  ``clock`` returns the current time (UTC).
    ``seal`` holds the audit log's key and anchors (:class:`.audit_log.AuditSeal`).
    """

    def __init__(
        self,
        backend: Backend,
        actor: str = "system",
        role: str = "system",
        clock: Callable[[], datetime] = _utc_now,
        seal: AuditSeal | None = None,
    ) -> None:
        if role not in ROLES:
            raise InvalidInput(f"unknown role {role!r}; use {', '.join(ROLES)}", "role")
        if not actor or not actor.strip():
            raise InvalidInput("is empty; name who is acting", "actor")
        self.backend = backend
        self.actor = actor
        self.role = role
        self.clock = clock
        self.seal = seal or AuditSeal()

    def as_actor(self, actor: str, role: str) -> "Store":
        """The same database, acting as someone else."""
        return Store(self.backend, actor, role, self.clock, self.seal)

    @property
    def path(self):
        return self.backend.path

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def watch_changes(self):
        """A watch whose ``poll()`` is true when another console, kiosk or batch has committed a
        change since the last poll (LISTEN/NOTIFY on PostgreSQL, ``PRAGMA data_version`` on SQLite);
        ``close()`` it when done."""
        return self.backend.watch()

    def check_available(self) -> None:
        """Raise StoreError unless the database can be read and its write lock taken now (changes nothing)."""
        with self.backend.read() as tx:
            tx.audit_head()
        with self.backend.write():
            pass

    # accounts ------------------------------------------------------------
    def get_account(self, ref: str) -> Account:
        with self.backend.read() as tx:
            row = tx.get_account(ref)
        if row is None:
            raise NotFound(f"no account {ref!r}", "account_ref")
        return _account_from_row(row)

    def find_accounts(self, query: str, limit: int = 50) -> list[Account]:
        """Accounts whose reference or phone starts with ``query``, phone ends with it, or name contains it."""
        if not query.strip():
            return self.list_accounts(limit)
        with self.backend.read() as tx:
            return [_account_from_row(r) for r in tx.find_accounts(query, limit)]

    def list_accounts(self, limit: int = 50, offset: int = 0) -> list[Account]:
        with self.backend.read() as tx:
            return [_account_from_row(r) for r in tx.list_accounts(limit, offset)]

    def count_accounts(self) -> int:
        with self.backend.read() as tx:
            return tx.count_accounts()

    def upsert_accounts(
        self,
        items: Iterable[Account | tuple[Account, Profile | None]],
        profiles: Mapping[str, Profile] | None = None,
        merge: Callable[[Account, Account], Account] | None = None,
        *,
        lock_seconds: float = WRITE_SLICE,
    ) -> UpsertResult:
        """Insert or update accounts by reference, in short transactions.

        ``items`` are accounts, or ``(account, profile or None)`` pairs; it may be a
        generator, read in chunks *outside* any transaction (reading and checking an
        import file holds no lock).  Each chunk is written in one transaction whose
        size adapts so that it lasts about ``lock_seconds``, and the lock is left free for
        :data:`HANDOVER` between them: other writers (a console saving an offer, a kiosk
        identifying someone) rarely wait longer than one of them.
        An account is written with its profile and audit entries in one transaction,
        so an interrupted run leaves whole accounts only, and running it again
        completes the job.  ``merge(stored, new)`` gives the account to save when one
        with that reference exists (default: ``new``), e.g. to keep fields an import
        file does not carry.  An account whose data is unchanged is not written (nor
        audited), so running the same input twice changes nothing.  A profile (from a
        pair or from ``profiles`` by reference) is saved as a new version only when it
        differs from the latest one.
        """
        counts = [0, 0, 0, 0]  # inserted, updated, unchanged, profiles added
        profiles = profiles or {}
        rows = iter(items)
        size, handover = 32, 0.0
        while chunk := list(islice(rows, size)):
            sleep(handover)
            handover = HANDOVER
            began = perf_counter()
            now = self._now()
            with self._write() as tx:
                # the chunk's stored accounts and latest profiles in two reads (then the writes can go
                # in bulk: PostgreSQL copies them); a reference met twice in a chunk is read again
                refs = list(dict.fromkeys((item[0] if isinstance(item, tuple) else item).ref for item in chunk))
                stored: dict[str, Any] = dict.fromkeys(refs)
                stored.update(tx.accounts_with_refs(refs))
                latest: dict[str, Any] = dict.fromkeys(refs)
                latest.update(tx.latest_profiles(refs))
                for item in chunk:
                    acc, profile = item if isinstance(item, tuple) else (item, profiles.get(item.ref))
                    self._upsert(tx, now, acc, profile, merge, counts, stored, latest)
            took = perf_counter() - began
            if took < lock_seconds / 3:
                size = min(size * 2, 50_000)
            elif took > lock_seconds:
                size = max(size // 2, 1)
        return UpsertResult(*counts)

    def _upsert(
        self,
        tx,
        now: str,
        acc: Account,
        profile: Profile | None,
        merge: Callable[[Account, Account], Account] | None,
        counts: list[int],
        stored: dict[str, Any],
        latest: dict[str, Any],
    ) -> None:
        old_row = stored.pop(acc.ref) if acc.ref in stored else tx.get_account(acc.ref)
        old = None if old_row is None else _account_from_row(old_row)
        if old is not None and merge is not None:
            acc = merge(old, acc)
        new = acc.as_dict()
        if old is None:
            tx.insert_account(new, now)
            self._audit(tx, now, "account.create", "account", acc.ref, None, new)
            counts[0] += 1
        elif old == acc:
            counts[2] += 1
        else:
            tx.update_account(new, now)
            self._audit(tx, now, "account.update", "account", acc.ref, old.as_dict(), new)
            counts[1] += 1
        if profile is not None:
            known = latest.pop(acc.ref) if acc.ref in latest else _UNREAD
            counts[3] += self._save_profile(tx, now, acc.ref, profile, only_if_changed=True, latest=known) > 0

    # profiles ------------------------------------------------------------
    def save_profile(self, ref: str, profile: Profile) -> int:
        """Save ``profile`` as the account's next version (never overwriting one); returns its number."""
        now = self._now()
        with self._write() as tx:
            if tx.get_account(ref) is None:
                raise NotFound(f"no account {ref!r}", "account_ref")
            return self._save_profile(tx, now, ref, profile)

    def _save_profile(
        self, tx, now: str, ref: str, profile: Profile, only_if_changed: bool = False, latest: Any = _UNREAD
    ) -> int:
        """``latest``: the account's latest profile row as read already (None: it has none), or
        ``_UNREAD`` to read it here."""
        if not isinstance(profile, Profile):
            raise InvalidInput(f"expected a Profile, got {type(profile).__name__}", "profile")
        if latest is _UNREAD:
            latest = tx.latest_profile(ref)
        if only_if_changed and latest is not None and profile_from_json(latest["data"]) == profile:
            return 0
        version = 1 if latest is None else latest["version"] + 1
        data = profile_to_json(profile)
        tx.insert_profile(ref, version, now, self.actor, data)
        self._audit(
            tx, now, "profile.create", "profile", f"{ref}/{version}", None if latest is None else latest["data"], data
        )
        return version

    def profiles(self, ref: str) -> list[ProfileVersion]:
        """Every profile version of an account, oldest first."""
        with self.backend.read() as tx:
            rows = tx.profiles(ref)
        return [
            ProfileVersion(r["account_ref"], r["version"], r["created_at"], r["actor"], profile_from_json(r["data"]))
            for r in rows
        ]

    def latest_profile(self, ref: str) -> ProfileVersion | None:
        versions = self.profiles(ref)
        return versions[-1] if versions else None

    # offers --------------------------------------------------------------
    def save_offer(
        self, offer: Any, account_ref: str | None = None, status: str = OfferStatus.DRAFT, replan_of: int | None = None
    ) -> OfferRecord:
        """Save an offer (see :func:`plans.store.offer_form.offer_fields` for what it may be).

        Saving the same offer id again with the same contents returns the saved
        record unchanged; different contents under a saved id are refused.  On an
        account with an agreement in force, an offer is saved only as a re-plan of
        it (``replan_of``, the agreement it would replace).
        """
        if status not in (OfferStatus.DRAFT, OfferStatus.OFFERED, OfferStatus.NEEDS_APPROVAL):
            raise InvalidInput(f"a new offer starts as draft, offered or needs_approval, not {status!r}", "status")
        fields = offer_fields(offer, account_ref)
        now = self._now()
        row = dict(fields, status=status, created_at=now, updated_at=now, actor=self.actor, replan_of=replan_of)
        with self._write() as tx:
            if tx.get_account(row["account_ref"]) is None:
                raise NotFound(f"no account {row['account_ref']!r}", "account_ref")
            old = tx.get_offer(row["id"])
            if old is None:
                self._check_replan_offer(tx, row["account_ref"], replan_of, _active_ids(tx, row["account_ref"]))
            if old is not None:
                same = all(_norm(row[k]) == old[k] for k in fields) and old.get("replan_of") == replan_of
                if not same:
                    raise InvalidInput(f"offer {row['id']!r} is already saved with different contents", "offer_id")
                return OfferRecord(**old)
            row = dict(row, inputs=_norm(row["inputs"]), headline=_norm(row["headline"]))
            tx.insert_offer(row)
            self._audit(tx, now, "offer.create", "offer", row["id"], None, _offer_audit(row))
        return OfferRecord(**row)

    def get_offer(self, offer_id: str) -> OfferRecord:
        with self.backend.read() as tx:
            row = tx.get_offer(offer_id)
        if row is None:
            raise NotFound(f"no offer {offer_id!r}", "offer_id")
        return OfferRecord(**row)

    def offers(self, ref: str) -> list[OfferRecord]:
        with self.backend.read() as tx:
            return [OfferRecord(**r) for r in tx.offers(ref)]

    def supervisor_queue(self, limit: int = 200) -> list[OfferRecord]:
        """Offers waiting for a supervisor's approval, oldest first."""
        with self.backend.read() as tx:
            return [OfferRecord(**r) for r in tx.offers_with_status(OfferStatus.NEEDS_APPROVAL, limit)]

    def recently_decided(self, limit: int = 10) -> list[OfferRecord]:
        """Offers a supervisor has approved or rejected (and nothing has moved on since), the latest first."""
        with self.backend.read() as tx:
            return [
                OfferRecord(**r) for r in tx.offers_last_changed((OfferStatus.APPROVED, OfferStatus.REJECTED), limit)
            ]

    def set_offer_status(self, offer_id: str, status: str, reason: str | None = None) -> OfferRecord:
        now = self._now()
        with self._write() as tx:
            return self._set_status(tx, now, offer_id, status, reason)

    def _set_status(self, tx, now: str, offer_id: str, status: str, reason: str | None) -> OfferRecord:
        if status not in OFFER_STATUSES:
            raise InvalidInput(f"unknown status {status!r}; use {', '.join(OFFER_STATUSES)}", "status")
        if status in SUPERVISOR_STATUSES:
            self._require_supervisor(f"set an offer to {status}")
        old = tx.get_offer(offer_id)
        if old is None:
            raise NotFound(f"no offer {offer_id!r}", "offer_id")
        if status not in TRANSITIONS[old["status"]]:
            allowed = ", ".join(sorted(TRANSITIONS[old["status"]])) or "nothing (it is final)"
            raise InvalidTransition(
                f"offer {offer_id} is {old['status']}; it can become {allowed}, not {status}",
                "status",
                current=old["status"],
                wanted=status,
            )
        tx.set_offer_status(offer_id, status, now, self.actor)
        after = {"status": status} if reason is None else {"status": status, "reason": reason}
        self._audit(tx, now, f"offer.{status}", "offer", offer_id, {"status": old["status"]}, after)
        return OfferRecord(**dict(old, status=status, updated_at=now, actor=self.actor))

    # agreements ----------------------------------------------------------
    def create_agreement(self, offer_id: str, reason: str | None = None, *, schedule: Any = None) -> AgreementRecord:
        """An agreement from an offer: an ``accepted`` offer, or one that may become accepted now
        (``offered`` or ``approved``), which is then accepted in the same transaction.

        ``schedule`` (a :class:`plans.servicing.schedule.AgreementSchedule`, ``offer.plan``'s)
        is saved with it and must be the offer's.  An offer saved as a re-plan makes an
        agreement that supersedes the one it replaces; on an account with an agreement in
        force only a re-plan of it is accepted.
        """
        now = self._now()
        with self._write() as tx:
            offer = tx.get_offer(offer_id)
            if offer is None:
                raise NotFound(f"no offer {offer_id!r}", "offer_id")
            replaces = self._replacing(tx, offer, _active_ids(tx, offer["account_ref"]))
            if offer["status"] != OfferStatus.ACCEPTED:
                offer = _as_row(self._set_status(tx, now, offer_id, OfferStatus.ACCEPTED, None))
            ref = offer["account_ref"]
            terms = {
                k: offer[k] for k in ("id", "kind", "authority", "policy_version", "currency", "inputs", "headline")
            }
            row = dict(
                offer_id=offer_id,
                account_ref=ref,
                kind="agreement",
                supersedes=replaces,
                created_at=now,
                actor=self.actor,
                role=self.role,
                reason=reason,
                terms=terms,
            )
            new_id = tx.insert_agreement(row)
            self._start_servicing(tx, now, offer, new_id, schedule, replaces)
            self._audit(tx, now, "agreement.create", "agreement", new_id, None, dict(row, id=new_id))
        return AgreementRecord(id=new_id, active=True, **row)

    def end_agreement(self, agreement_id: int, kind: str, reason: str) -> AgreementRecord:
        """Record a ``cancellation`` (a supervisor's) or ``breach`` of an agreement in force (a new record)."""
        if kind == "cancellation":
            return self.cancel_agreement(agreement_id, reason)
        if kind == "breach":
            record = self.record_breach(agreement_id, None, reason)
            if record is None:
                raise InvalidTransition(f"agreement {agreement_id} is not in force", "agreement_id")
            return record
        raise InvalidInput(f"must be cancellation or breach, got {kind!r}", "kind")

    def agreements(self, ref: str) -> list[AgreementRecord]:
        """Every agreement record of an account, oldest first; ``active`` marks the one in force."""
        with self.backend.read() as tx:
            rows = tx.agreements(ref)
            active = _active_ids(tx, ref)
        return [AgreementRecord(**r, active=r["id"] in active) for r in rows]

    # notes ---------------------------------------------------------------
    def add_note(self, ref: str, text: str) -> Note:
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            raise InvalidInput("is empty; write what was said or agreed", "note")
        if len(text) > 4000:
            raise InvalidInput(f"is {len(text)} characters; at most 4000", "note")
        now = self._now()
        with self._write() as tx:
            if tx.get_account(ref) is None:
                raise NotFound(f"no account {ref!r}", "account_ref")
            note_id = tx.insert_note(ref, now, self.actor, self.role, text)
            self._audit(tx, now, "note.create", "note", note_id, None, {"account_ref": ref, "text": text})
        return Note(note_id, ref, now, self.actor, self.role, text)

    def notes(self, ref: str) -> list[Note]:
        with self.backend.read() as tx:
            return [Note(**r) for r in tx.notes(ref)]


def _as_row(rec: OfferRecord) -> dict:
    return {name: getattr(rec, name) for name in rec.__slots__}


def _active_ids(tx, ref: str) -> set[int]:
    ended = tx.superseded_ids(ref)
    return {r["id"] for r in tx.agreements(ref) if r["kind"] == "agreement" and r["id"] not in ended}


def _offer_audit(row: dict) -> dict:
    return {k: row[k] for k in ("account_ref", "kind", "status", "authority", "policy_version", "currency", "headline")}


__all__ = ["HANDOVER", "LOCK_TIME", "MAX_FAILURES", "Store", "WRITE_SLICE"]
