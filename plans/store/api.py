"""What the interfaces use of the store: the :class:`StoreApi` protocol.

The agent console, the kiosk, the command line, the batch and servicing call the
store through this protocol, so what they may rely on is written down in one place
and mypy checks every call against it.  :class:`plans.store.Store` (on SQLite and on
PostgreSQL, :mod:`.backend`) implements it; ``tests/test_store_backends.py`` checks
that on both backends, at run time and (through the assignment below) with mypy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from plans.vocabulary import OfferStatus

from .backend import Backend, Watch

if TYPE_CHECKING:
    from calc.affordability import Profile
    from plans.audit.chain import AuditEntry, Report
    from plans.conduct.complaints import Complaint
    from plans.conduct.contact_rules import ContactDecision
    from plans.conduct.settings import Conduct
    from plans.conduct.vocabulary import (
        Channel,
        ComplaintCategory,
        ComplaintChannel,
        Direction,
        Flag,
        Outcome,
        Party,
        Purpose,
        Resolution,
    )

    from .audit_log import AuditSeal
    from .conduct import ContactRecord, FlagRecord, Override, SentImport
    from .records import (
        Account,
        AgreementRecord,
        Identification,
        Note,
        OfferRecord,
        PaymentImport,
        PaymentRecord,
        ProfileVersion,
        TransitionRecord,
        UpsertResult,
    )
    from .users import User


@runtime_checkable
class StoreApi(Protocol):
    """The store as the console, kiosk, command line, batch and servicing use it.

    ``actor`` and ``role`` are recorded on every change; ``clock`` gives the current time
    (UTC); ``path`` is where the database is (a file, or a PostgreSQL URL that prints
    without its password).
    """

    backend: Backend
    actor: str
    role: str
    clock: Callable[[], datetime]
    seal: AuditSeal

    @property
    def path(self) -> Any: ...

    def __enter__(self) -> StoreApi: ...

    def __exit__(self, *exc: object) -> None: ...

    # -- accounts, profiles, offers, agreements, notes -------------------------------------------
    def add_note(self, ref: str, text: str) -> Note: ...

    def agreements(self, ref: str) -> list[AgreementRecord]: ...

    def as_actor(self, actor: str, role: str) -> StoreApi: ...

    def check_available(self) -> None: ...

    def close(self) -> None: ...

    def count_accounts(self) -> int: ...

    def create_agreement(
        self, offer_id: str, reason: str | None = None, *, schedule: Any = None
    ) -> AgreementRecord: ...

    def find_accounts(self, query: str, limit: int = 50) -> list[Account]: ...

    def get_account(self, ref: str) -> Account: ...

    def get_offer(self, offer_id: str) -> OfferRecord: ...

    def latest_profile(self, ref: str) -> ProfileVersion | None: ...

    def notes(self, ref: str) -> list[Note]: ...

    def offers(self, ref: str) -> list[OfferRecord]: ...

    def save_offer(
        self, offer: Any, account_ref: str | None = None, status: str = OfferStatus.DRAFT, replan_of: int | None = None
    ) -> OfferRecord: ...

    def save_profile(self, ref: str, profile: Profile) -> int: ...

    def set_offer_status(self, offer_id: str, status: str, reason: str | None = None) -> OfferRecord: ...

    def supervisor_queue(self, limit: int = 200) -> list[OfferRecord]: ...

    def recently_decided(self, limit: int = 10) -> list[OfferRecord]: ...

    def upsert_accounts(
        self,
        items: Iterable[Account | tuple[Account, Profile | None]],
        profiles: Mapping[str, Profile] | None = None,
        merge: Callable[[Account, Account], Account] | None = None,
        *,
        lock_seconds: float = ...,
    ) -> UpsertResult: ...

    def watch_changes(self) -> Watch: ...

    # -- the audit log ---------------------------------------------------------------------------
    def anchor(self) -> bool: ...

    def audit(self, action: str, entity: str, entity_id: str, before: Any = None, after: Any = None) -> AuditEntry: ...

    def audit_log(self, entity: str | None = None, entity_id: str | None = None) -> list[AuditEntry]: ...

    def verify_audit(self) -> Report: ...

    # -- users -----------------------------------------------------------------------------------
    def add_user(
        self,
        name: str,
        role: str,
        password: str,
        *,
        authorized_by: User | None = None,
        iterations: int = ...,
    ) -> User: ...

    def authenticate(self, name: str, password: str, where: str = "console") -> User: ...

    def demo_users(self) -> list[str]: ...

    def set_active(self, name: str, active: bool, *, authorized_by: User | None = None) -> None: ...

    def set_password(self, name: str, password: str, *, authorized_by: User | None = None) -> None: ...

    def users(self) -> list[User]: ...

    # -- kiosk identification --------------------------------------------------------------------
    def identify(self, ref: str, id_last4: str, birth_date: date | str) -> Identification: ...

    # -- servicing: schedules, payments, statuses ------------------------------------------------
    def add_payments(
        self, rows: Sequence[tuple[str, str, int, str, int, str, str, int]], source: str, unique: bool = False
    ) -> tuple[PaymentImport, list[tuple[int, str]]]: ...

    def agreement(self, agreement_id: int) -> AgreementRecord: ...

    def cancel_agreement(self, agreement_id: int, reason: str, on: date | None = None) -> AgreementRecord: ...

    def has_account(self, ref: str) -> bool: ...

    def payment_targets(self) -> dict[str, tuple[int, str]]: ...

    def payments(self, agreement_id: int) -> list[PaymentRecord]: ...

    def record_breach(
        self, agreement_id: int, on: date, reason: str, from_status: str | None = None
    ) -> AgreementRecord | None: ...

    def record_breaches(self, rows: Sequence[tuple[int, date, str | None, str]]) -> int: ...

    def record_payment(
        self, agreement_id: int, paid_on: date, amount: int, channel: str, reference: str, source: str = "console"
    ) -> PaymentRecord: ...

    def record_transitions(
        self, rows: Iterable[tuple[int, str | None, str, date | str]], as_of: date, policy_version: str
    ) -> int: ...

    def save_schedule(self, agreement_id: int, schedule) -> bool: ...

    def schedule(self, agreement_id: int): ...

    def successor(self, agreement_id: int) -> int | None: ...

    def transitions(self, agreement_id: int) -> list[TransitionRecord]: ...

    # -- collection conduct: contacts, flags, complaints -----------------------------------------
    def acknowledge_complaint(self, complaint_id: int, conduct: Conduct) -> Complaint: ...

    def add_complaint(
        self,
        ref: str,
        conduct: Conduct,
        channel: ComplaintChannel | str,
        category: ComplaintCategory | str,
        text: str,
        lang: str,
        *,
        acknowledged: bool = False,
    ) -> Complaint: ...

    def complaint(self, complaint_id: int, conduct: Conduct) -> Complaint: ...

    def complaints(self, conduct: Conduct, ref: str | None = None) -> list[Complaint]: ...

    def contact_decision(
        self,
        ref: str,
        policy,
        channel: Channel | str = ...,
        party: Party | str = ...,
        now: datetime | None = None,
    ) -> ContactDecision: ...

    def contact_flags(self, ref: str) -> frozenset[Flag]: ...

    def contacts(self, ref: str) -> list[ContactRecord]: ...

    def contacts_between(self, start: datetime, end: datetime) -> list[ContactRecord]: ...

    def extend_complaint(
        self, complaint_id: int, conduct: Conduct, reason: str, *, approved_by: Any = None
    ) -> Complaint: ...

    def flag_history(self, ref: str) -> list[FlagRecord]: ...

    def flagged_accounts(self) -> dict[str, frozenset[Flag]]: ...

    def import_sent(self, rows, policy) -> SentImport: ...

    def log_contact(
        self,
        ref: str,
        policy,
        channel: Channel | str,
        outcome: Outcome | str,
        *,
        direction: Direction | str = ...,
        party: Party | str = ...,
        purpose: Purpose | str = ...,
        note: str = "",
        override: Override | None = None,
    ) -> ContactRecord: ...

    def resolve_complaint(self, complaint_id: int, policy, outcome: Resolution | str, reply: str) -> Complaint: ...

    def set_flag(self, ref: str, flag: Flag | str, on: bool, reason: str) -> FlagRecord: ...

    def sms_other_than_reminders(self, day: date) -> dict[str, list[datetime]]: ...


__all__ = ["StoreApi"]
