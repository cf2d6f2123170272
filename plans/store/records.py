"""What the store hands back: small immutable records, and the JSON form of a profile.

Records hold money as int minor units beside their currency, dates as ``date``,
and timestamps as UTC ISO 8601 text (as stored).  They are independent of the
backend: a PostgreSQL backend returns the same records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from calc.affordability import Profile
from calc.dates import parse_date
from calc.debt import BUCKETS, Debt
from calc.errors import InstallmentError, InvalidInput

from ..vocabulary import OfferStatus


#: Allowed offer status changes.  ``rejected``, ``accepted``, ``declined`` and
#: ``expired`` are final.  An offer that needs a supervisor's approval goes
#: ``needs_approval -> approved`` (or ``rejected``) before the debtor can accept it.
_S = OfferStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    _S.DRAFT: frozenset({_S.OFFERED, _S.NEEDS_APPROVAL, _S.DECLINED, _S.EXPIRED}),
    _S.OFFERED: frozenset({_S.ACCEPTED, _S.DECLINED, _S.EXPIRED}),
    _S.NEEDS_APPROVAL: frozenset({_S.APPROVED, _S.REJECTED, _S.EXPIRED}),
    _S.APPROVED: frozenset({_S.OFFERED, _S.ACCEPTED, _S.DECLINED, _S.EXPIRED}),
    _S.REJECTED: frozenset(),
    _S.ACCEPTED: frozenset(),
    _S.DECLINED: frozenset(),
    _S.EXPIRED: frozenset(),
}

#: Statuses only a supervisor (or admin) may set.
SUPERVISOR_STATUSES = frozenset({OfferStatus.APPROVED, OfferStatus.REJECTED})
ROLES = ("agent", "supervisor", "kiosk", "batch", "admin", "system")
AGREEMENT_KINDS = ("agreement", "cancellation", "breach")


class StoreError(InstallmentError):
    """The database cannot be opened or used (not a database, newer schema, disk full, locked too long)."""


class AuditKeyMismatch(StoreError):
    """The audit key given is not the one this database's audit log is sealed with: nothing can be
    written until the database's own key is given (not an outage; trying again does not help)."""


class NewerSchema(StoreError):
    """The database was written by a newer version of this program."""


class NotADatabase(StoreError):
    """There is no installment database where one was named (a missing file, another kind of file)."""


class NotFound(InstallmentError):
    """No account, offer or agreement with that reference or id."""


class InvalidTransition(InstallmentError):
    """The requested status change (or agreement record) is not allowed from the current state.
    For an offer's status change, ``current`` and ``wanted`` name the two statuses (interfaces word
    their own message from them)."""

    def __init__(
        self, message: str, field: str | None = None, *, current: str | None = None, wanted: str | None = None
    ) -> None:
        super().__init__(message, field)
        self.current = current
        self.wanted = wanted


class NotAllowed(InstallmentError):
    """The actor's role may not do this."""


@dataclass(frozen=True, slots=True)
class Account:
    """A debtor's account.  ``id_last4`` is only the last four characters of the national ID."""

    ref: str
    currency: str
    debt: Debt
    name: str = ""
    id_last4: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    region: str | None = None
    days_overdue: int = 0
    created_at: str | None = field(default=None, compare=False)
    updated_at: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.ref, str) or not self.ref.strip() or len(self.ref) > 64:
            raise InvalidInput(f"must be 1 to 64 characters, got {self.ref!r}", "account_ref")
        if self.debt.currency != self.currency:
            raise InvalidInput(f"debt is in {self.debt.currency}, account in {self.currency}", "currency")
        if isinstance(self.id_last4, str):  # normalised in place: the frozen-dataclass idiom of __post_init__
            object.__setattr__(self, "id_last4", self.id_last4.strip().upper() or None)
        if self.id_last4 is not None and (
            not isinstance(self.id_last4, str)
            or len(self.id_last4) != 4
            or not self.id_last4.isascii()
            or not self.id_last4.isalnum()
        ):
            raise InvalidInput(
                f"must be the last 4 digits (or X) of the national ID, got {self.id_last4!r}", "id_last4"
            )
        if not isinstance(self.days_overdue, int) or self.days_overdue < 0:
            raise InvalidInput(f"must be a whole number of days, 0 or more, got {self.days_overdue!r}", "days_overdue")

    @property
    def masked_id(self) -> str:
        """The national ID as shown to agents: ``**************1234``."""
        return "*" * 14 + self.id_last4 if self.id_last4 else ""

    def case(self, start: date, profile: Profile | None = None):
        """The :class:`plans.case.Case` for planning this account's debt from ``start``."""
        from plans.case import Case, CaseAccount

        return Case(self.currency, start, self.debt, CaseAccount(self.ref, self.name or None, self.region), profile)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (amounts in minor units), as the audit log records it."""
        out: dict[str, Any] = {
            "ref": self.ref,
            "name": self.name,
            "id_last4": self.id_last4,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "phone": self.phone,
            "region": self.region,
            "currency": self.currency,
            "days_overdue": self.days_overdue,
        }
        out.update(self.debt.amounts())
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Account":
        currency = d["currency"]
        birth = d.get("birth_date")
        return cls(
            ref=d["ref"],
            currency=currency,
            debt=Debt(currency, **{b: int(d.get(b) or 0) for b in BUCKETS}),
            name=d.get("name") or "",
            id_last4=d.get("id_last4"),
            birth_date=parse_date(birth, "birth_date") if isinstance(birth, str) else birth,
            phone=d.get("phone"),
            region=d.get("region"),
            days_overdue=int(d.get("days_overdue") or 0),
            created_at=d.get("created_at"),
            updated_at=d.get("updated_at"),
        )


@dataclass(frozen=True, slots=True)
class ProfileVersion:
    account_ref: str
    version: int
    created_at: str
    actor: str
    profile: Profile


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """A saved offer.  ``inputs`` and ``headline`` are the JSON the offer was saved with."""

    id: str
    account_ref: str
    kind: str
    status: str
    authority: str | None
    policy_version: str
    currency: str
    inputs: dict
    headline: dict
    created_at: str
    updated_at: str
    actor: str
    #: The agreement this offer would replace (a re-plan), or None.
    replan_of: int | None = None


@dataclass(frozen=True, slots=True)
class AgreementRecord:
    """One agreement record; cancellations and breaches are records that ``supersede`` an agreement."""

    id: int
    offer_id: str
    account_ref: str
    kind: str
    supersedes: int | None
    created_at: str
    actor: str
    role: str
    reason: str | None
    terms: dict
    active: bool = False


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    account_ref: str
    created_at: str
    actor: str
    role: str
    text: str


@dataclass(frozen=True, slots=True)
class Identification:
    """Result of a kiosk identification attempt.

    ``account`` is set only when ``ok``; ``locked_until`` (UTC ISO text) when the
    reference is locked; ``paused_until`` when the kiosk itself may identify nobody
    for a while (too many failures there); ``tries_left`` counts the attempts before a lock.
    """

    ok: bool
    account: Account | None = None
    locked_until: str | None = None
    tries_left: int = 0
    paused_until: str | None = None


@dataclass(frozen=True, slots=True)
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    profiles_added: int = 0


def profile_to_json(p: Profile) -> dict[str, Any]:
    """The JSON form of a :class:`calc.affordability.Profile` (amounts in minor units)."""
    return {
        "currency": p.currency,
        "adults": p.adults,
        "children": p.children,
        "region": p.region,
        "income": [[src, amt] for src, amt in p.income],
        "spending": [[cat, amt] for cat, amt in p.spending],
        "other_debt_payments": p.other_debt_payments,
        "savings": p.savings,
        "hardship_reason": p.hardship_reason,
        "recovery_date": p.recovery_date.isoformat() if p.recovery_date else None,
        **(
            {}
            if p.income_after_recovery is None
            else {"income_after_recovery": [[src, amt] for src, amt in p.income_after_recovery]}
        ),
    }


def profile_from_json(data: dict[str, Any] | str) -> Profile:
    d: dict[str, Any] = json.loads(data) if isinstance(data, str) else data
    rec = d.get("recovery_date")
    return Profile(
        currency=d["currency"],
        adults=int(d.get("adults", 1)),
        children=int(d.get("children", 0)),
        region=d.get("region"),
        income=tuple((str(s), int(a)) for s, a in d.get("income", ())),
        spending=tuple((str(c), int(a)) for c, a in d.get("spending", ())),
        other_debt_payments=int(d.get("other_debt_payments", 0)),
        savings=int(d.get("savings", 0)),
        hardship_reason=d.get("hardship_reason"),
        recovery_date=parse_date(rec, "recovery_date") if rec else None,
        income_after_recovery=(
            None
            if d.get("income_after_recovery") is None
            else tuple((str(s), int(a)) for s, a in d["income_after_recovery"])
        ),
    )


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """A payment received (never changed).  ``reference`` is the payer's or bank's unique reference."""

    id: int
    reference: str
    account_ref: str
    agreement_id: int
    paid_on: date
    amount: int
    currency: str
    channel: str
    recorded_at: str
    actor: str
    source: str


@dataclass(frozen=True, slots=True)
class TransitionRecord:
    """A recorded status change of an agreement; ``record_id`` is the agreements record behind it
    (a breach, cancellation or re-plan), None for a change the payments alone decide."""

    id: int
    agreement_id: int
    from_status: str | None
    to_status: str
    effective_on: date
    record_id: int | None
    recorded_at: str
    actor: str


@dataclass(frozen=True, slots=True)
class PaymentImport:
    """What ``Store.add_payments`` did: rows recorded, rows already recorded (the same
    payment imported again), and their total in minor units by currency."""

    recorded: int = 0
    already: int = 0
    totals: tuple[tuple[str, int], ...] = ()
