"""Agreements in service, through the store: accept an offer, see where an agreement stands,
record a payment, cancel, bring its recorded status up to date, and what a re-plan starts from.

The consoles and the command line use these functions; the rules are in the pure
modules (:mod:`.standing`, :mod:`.replan`) and the records in :mod:`plans.store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from calc.errors import InstallmentError, InvalidInput
from plans.policy import Policy, Servicing
from plans.store import AgreementRecord, NotFound, PaymentRecord, StoreApi
from plans.vocabulary import OfferStatus

from .replan import ReplanBasis, replan_basis
from .schedule import AgreementSchedule
from .standing import Ending, Payment, Standing, breach_reason, marks, standing
from .vocabulary import Mark, Status

_ENDING = {Status.BROKEN, Status.CANCELLED, Status.SUPERSEDED}


@dataclass(frozen=True)
class AgreementView:
    """One agreement on ``standing.as_of``: its record, schedule, payments and standing."""

    record: AgreementRecord
    schedule: AgreementSchedule
    payments: tuple[PaymentRecord, ...]
    standing: Standing
    marks: tuple[Mark, ...]
    servicing: Servicing
    #: The re-plan that replaced it, if any.
    successor: int | None
    #: What a re-plan of it would start from (None once it is completed, replaced or has a credit).
    replan: ReplanBasis | None

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def status(self) -> Status:
        return self.standing.status

    @property
    def currency(self) -> str:
        return self.schedule.currency


def schedule_of(offer: Any) -> AgreementSchedule:
    """The schedule an agreement made from ``offer`` (a ``plans.offers.Offer``) keeps."""
    return AgreementSchedule.from_plan(offer.plan)


def accept_offer(
    store: StoreApi, offer: Any, reason: str | None = None, replan_of: int | None = None
) -> AgreementRecord:
    """Save ``offer`` (as offered, unless it is saved already) and make it an agreement with its schedule."""
    try:
        record = store.get_offer(offer.id)
    except NotFound:
        record = store.save_offer(offer, offer.case.ref, status=OfferStatus.OFFERED, replan_of=replan_of)
    if record.status == OfferStatus.DRAFT:
        store.set_offer_status(record.id, OfferStatus.OFFERED)
    return store.create_agreement(record.id, reason, schedule=schedule_of(offer))


def agreement_schedule(store: StoreApi, record: AgreementRecord, policy: Policy) -> AgreementSchedule:
    """The agreement's schedule: the one saved with it, or, for an agreement made before schedules were
    saved, its offer's plan computed again under ``policy`` (which must be the offer's policy version)
    and saved from then on."""
    saved = store.schedule(record.id)
    if saved is not None:
        return saved
    from plans.offers import rebuild

    inputs = (record.terms or {}).get("inputs") or {}
    try:
        schedule = schedule_of(rebuild(inputs, policy))
    except (InstallmentError, KeyError, TypeError, ValueError) as exc:
        why = exc.message if isinstance(exc, InstallmentError) else f"its offer cannot be read ({exc})"
        raise InvalidInput(
            f"agreement {record.id} was made before schedules were kept and its schedule cannot "
            f"be computed again: {why}",
            "agreement_id",
        ) from None
    store.save_schedule(record.id, schedule)
    return schedule


def load_agreement(store: StoreApi, agreement_id: int, policy: Policy, as_of: date) -> AgreementView:
    """Where agreement ``agreement_id`` stands on ``as_of`` under ``policy``'s ``[servicing]``."""
    record = store.agreement(agreement_id)
    if record.kind != "agreement":
        raise NotFound(
            f"record {agreement_id} is a {record.kind}, not an agreement; agreement "
            f"{record.supersedes} is the one it ends",
            "agreement_id",
        )
    schedule = agreement_schedule(store, record, policy)
    payments = tuple(store.payments(agreement_id))
    endings = [
        Ending(Status(t.to_status), t.effective_on, t.record_id)
        for t in store.transitions(agreement_id)
        if t.record_id is not None and t.to_status in _ENDING
    ]
    sv = policy.servicing
    st = standing(
        schedule, [Payment(p.paid_on, p.amount) for p in payments], as_of, sv.grace_days, sv.break_after_missed, endings
    )
    successor = store.successor(agreement_id)
    basis = None
    if successor is None and st.status is not Status.COMPLETED and st.outstanding > 0:
        records = store.agreements(record.account_ref)
        breached = {r.supersedes for r in records if r.kind == "breach"}
        replans = sum(1 for r in records if r.kind == "agreement" and r.supersedes in breached)
        basis = replan_basis(agreement_id, schedule, st, sv.restore_on_break, replans, sv.replans_allowed)
    return AgreementView(
        record, schedule, payments, st, tuple(marks(schedule, st, sv.grace_days)), sv, successor, basis
    )


def latest_agreement(store: StoreApi, ref: str, policy: Policy, as_of: date) -> AgreementView | None:
    """The account's latest agreement (the one in force, or the last one made), or None."""
    agreements = [r for r in store.agreements(ref) if r.kind == "agreement"]
    if not agreements:
        return None
    return load_agreement(store, agreements[-1].id, policy, as_of)


def new_reference(agreement_id: int, now: datetime | None = None) -> str:
    """A reference for a payment recorded at the console without one: unique per agreement and moment."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"AG{agreement_id}-{now.strftime('%Y%m%d%H%M%S%f')}"


def record_payment(
    store: StoreApi, agreement_id: int, paid_on: date, amount: int, channel: str, reference: str | None = None
) -> PaymentRecord:
    """Record a payment to the agreement (audited); without a reference one is made up."""
    if paid_on > store.clock().astimezone(timezone.utc).date():
        raise InvalidInput(f"{paid_on.isoformat()} is in the future; record a payment once it is made", "paid_on")
    ref = reference.strip() if reference and reference.strip() else new_reference(agreement_id, store.clock())
    return store.record_payment(agreement_id, paid_on, amount, channel, ref)


def bring_up_to_date(store: StoreApi, view: AgreementView, policy_version: str) -> int:
    """Record the agreement's status changes up to its ``as_of`` (as the monitor does): the changes the
    payments decided, and a breach record when it broke.  Returns how many were added."""
    st = view.standing
    computed = [
        (view.id, None if t.old is None else str(t.old), str(t.new), t.on)
        for t in st.transitions
        if t.record is None and t.new is not Status.BROKEN
    ]
    added = store.record_transitions(computed, st.as_of, policy_version)
    broke = next((t for t in st.transitions if t.new is Status.BROKEN and t.record is None), None)
    if (
        broke is not None
        and store.record_breach(
            view.id, broke.on, breach_reason(view.servicing, broke.on), None if broke.old is None else str(broke.old)
        )
        is not None
    ):
        added += 1
    return added


__all__ = [
    "AgreementView",
    "accept_offer",
    "agreement_schedule",
    "bring_up_to_date",
    "latest_agreement",
    "load_agreement",
    "new_reference",
    "record_payment",
    "schedule_of",
]
