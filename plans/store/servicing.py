"""The store's servicing rules: schedules, payments, status transitions, cancellation and breach.

A part of :class:`plans.store.Store` kept in a module of its own (``Store`` inherits
it).  Like the rest of the store it knows no SQL (that is in
``plans.store.sqlite_servicing``) and every change is one write transaction with its
audit entry.  What a status *is* on a date is decided by ``plans.servicing``; the
store records what was decided and who did what.

* **Schedules** are saved with the agreement (``Store.create_agreement(...,
  schedule=)``) and never change.
* **Payments** are recorded one by one (``record_payment``, the console; audited
  each) or in bulk (``add_payments``, ``installment payments import``: short
  transactions, one audit entry each).  A payment's ``reference`` is unique: the
  same payment given again is recognised and skipped, a different payment under a
  used reference is refused.  A payment goes to the account's agreement in force,
  else to its latest agreement (a broken or cancelled plan's payments still count
  towards what a re-plan starts from).
* **Transitions** record every status change with the day it took effect.  Those
  that a record makes (a breach, a cancellation, a re-plan) come with that
  record; the rest are recorded by the monitor (``record_transitions``).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Iterable, Sequence

from calc.errors import InvalidInput
from plans.vocabulary import OfferStatus

from .audit_log import AuditLog
from .records import (
    AgreementRecord,
    InvalidTransition,
    NotAllowed,
    NotFound,
    PaymentImport,
    PaymentRecord,
    TransitionRecord,
)

#: Roles that may cancel an agreement or approve an offer.
SUPERVISOR_ROLES = ("supervisor", "admin")
#: The longest payment reference accepted.
MAX_REFERENCE = 64


def check_reference(reference: object, field: str = "reference") -> str:
    """A payment reference: 1 to 64 printable characters (no control characters), trimmed."""
    text = reference.strip() if isinstance(reference, str) else ""
    if not text:
        raise InvalidInput("is empty; give the payment's unique reference (e.g. the bank's transaction number)", field)
    if len(text) > MAX_REFERENCE:
        raise InvalidInput(f"is {len(text)} characters; at most {MAX_REFERENCE}", field)
    if not text.isprintable():
        raise InvalidInput("contains control characters; a reference is printable text", field)
    return text


class ServicingStore(AuditLog):
    """Servicing methods of :class:`plans.store.Store` (see the module docstring)."""

    # -- who may do what, and the write transaction ----------------------------------------
    def _require_supervisor(self, doing: str) -> None:
        """The one authority check of the store: approving, rejecting and cancelling need a supervisor."""
        if self.role not in SUPERVISOR_ROLES:
            raise NotAllowed(f"only a supervisor may {doing} (acting as {self.role})", "role")

    # -- agreements and schedules ---------------------------------------------------------
    def agreement(self, agreement_id: int) -> AgreementRecord:
        """One agreement record (``active`` when it is in force: no record has ended it)."""
        with self.backend.read() as tx:
            row = tx.get_agreement(agreement_id) if isinstance(agreement_id, int) else None
            if row is None:
                raise NotFound(f"no agreement {agreement_id}", "agreement_id")
            ended = row["kind"] != "agreement" or any(
                r["supersedes"] == agreement_id for r in tx.agreements(row["account_ref"])
            )
        return AgreementRecord(**row, active=not ended)

    def schedule(self, agreement_id: int):
        """The agreement's :class:`plans.servicing.schedule.AgreementSchedule`, or None when it was
        made before schedules were saved (``plans.servicing`` then computes it from its offer)."""
        from plans.servicing.schedule import AgreementSchedule

        with self.backend.read() as tx:
            row = tx.get_schedule(agreement_id)
        return None if row is None else AgreementSchedule.from_row(row)

    def save_schedule(self, agreement_id: int, schedule) -> bool:
        """Save the schedule of an agreement made before schedules were kept; False when it has one."""
        now = self._now()
        with self._write() as tx:
            ag = tx.get_agreement(agreement_id)
            if ag is None or ag["kind"] != "agreement":
                raise NotFound(f"no agreement {agreement_id}", "agreement_id")
            if tx.get_schedule(agreement_id) is not None:
                return False
            _check_schedule(ag["terms"], schedule)
            tx.insert_schedule(agreement_id, schedule.to_row())
            self._audit(
                tx,
                now,
                "agreement.schedule",
                "agreement",
                str(agreement_id),
                None,
                {"total": schedule.total, "installments": schedule.installments_total},
            )
        return True

    # -- payments ----------------------------------------------------------------------
    def payment_targets(self) -> dict[str, tuple[int, str]]:
        """``{account_ref: (agreement id, currency)}``: where each account's payments go, its latest
        agreement (the one in force, or else the last one, broken or cancelled: payments still count
        towards what a re-plan starts from).  Accounts without an agreement are absent."""
        latest: dict[str, tuple[int, str]] = {}
        with self.backend.read() as tx:
            for agreement_id, ref, currency in tx.agreement_currencies():  # by id: a re-plan comes later
                latest[ref] = (agreement_id, currency)
        return latest

    def has_account(self, ref: str) -> bool:
        with self.backend.read() as tx:
            return tx.get_account(ref) is not None

    def record_payment(
        self, agreement_id: int, paid_on: date, amount: int, channel: str, reference: str, source: str = "console"
    ) -> PaymentRecord:
        """Record one payment to an agreement (audited)."""
        from plans.servicing.vocabulary import Channel

        reference = check_reference(reference)
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise InvalidInput("must be more than zero", "amount")
        if channel not in set(Channel):
            raise InvalidInput(f"unknown channel {channel!r}; use {', '.join(Channel)}", "channel")
        if not isinstance(paid_on, date):
            raise InvalidInput("must be a date", "paid_on")
        now = self._now()
        with self._write() as tx:
            ag = tx.get_agreement(agreement_id)
            if ag is None or ag["kind"] != "agreement":
                raise NotFound(f"no agreement {agreement_id}", "agreement_id")
            old = tx.payments_with_references([reference]).get(reference)
            if old is not None:
                raise InvalidInput(
                    f"{reference!r} is already recorded (payment {old['id']} of "
                    f"{old['paid_on']}); each payment has its own reference",
                    "reference",
                )
            batch = tx.insert_payment_batch(now, self.actor, source)
            row = dict(
                reference=reference,
                account_ref=ag["account_ref"],
                agreement_id=agreement_id,
                paid_on=paid_on.isoformat(),
                amount=amount,
                currency=ag["terms"]["currency"],
                channel=str(channel),
                batch_id=batch,
            )
            payment_id = tx.insert_payment(row)
            self._audit(tx, now, "payment.create", "payment", str(payment_id), None, row)
        return _payment(dict(row, id=payment_id, recorded_at=now, actor=self.actor, source=source))

    def add_payments(
        self, rows: Sequence[tuple[str, str, int, str, int, str, str, int]], source: str, unique: bool = False
    ) -> tuple[PaymentImport, list[tuple[int, str]]]:
        """Record payments in one transaction (``installment payments import`` calls this per chunk).

        ``rows`` are ``(reference, account_ref, agreement_id, paid_on ISO, amount, currency, channel, line)``
        already checked one by one (``unique``: no reference twice among them).  A reference recorded
        before for the same payment (account, day, amount) is skipped as already recorded; one recorded
        for another payment, or given twice here, is refused: those come back as ``(line, reason)``.  The chunk is one ``payment_batches`` row (who,
        when, from which file) and one audit entry (counts, totals and a SHA-256 over the rows recorded).
        """
        rejects: list[tuple[int, str]] = []
        if not unique:  # (the import checks its whole file itself and says so)
            seen: dict[str, int] = {}
            kept = []
            for r in rows:
                first = seen.setdefault(r[0], r[7])
                if first != r[7]:
                    rejects.append((r[7], f"reference {r[0]!r} is given twice (first on line {first})"))
                else:
                    kept.append(r)
            rows = kept
        now = self._now()
        with self._write() as tx:
            before = tx.last_payment_id()
            batch = tx.insert_payment_batch(now, self.actor, source)
            # most rows of an import are new: insert them all, and only when some were there already
            # (the unique reference) read those back to tell "the same payment" from "another one"
            added = tx.insert_payments([(*r[:7], batch) for r in rows], ignore=True)
            new, already = rows, 0
            if added != len(rows):
                existing = tx.payments_with_references([r[0] for r in rows])
                new = []
                for r in rows:
                    old = existing[r[0]]
                    if old["id"] > before:
                        new.append(r)
                    elif (old["account_ref"], old["paid_on"], old["amount"]) == (r[1], r[3], r[4]):
                        already += 1
                    else:
                        rejects.append(
                            (
                                r[7],
                                f"reference {r[0]!r} is already recorded for another payment "
                                f"({old['account_ref']}, {old['paid_on']})",
                            )
                        )
            totals: dict[str, int] = {}
            for r in new:
                totals[r[5]] = totals.get(r[5], 0) + r[4]
            # every chunk is a batch, audited even when nothing in it was new (a file imported again)
            self._audit(
                tx,
                now,
                "payment.import",
                "payments",
                source,
                None,
                {
                    "batch": batch,
                    "payments": len(new),
                    "already": already,
                    "refused": len(rejects),
                    "first_id": before + 1 if new else None,
                    "totals": totals,
                    "sha256": hashlib.sha256(repr(new).encode()).hexdigest(),
                },
            )
        return PaymentImport(len(new), already, tuple(sorted(totals.items()))), rejects

    def payments(self, agreement_id: int) -> list[PaymentRecord]:
        """The agreement's payments, by day."""
        with self.backend.read() as tx:
            return [_payment(r) for r in tx.payments(agreement_id)]

    # -- transitions and the records that end an agreement -----------------------------------
    def transitions(self, agreement_id: int) -> list[TransitionRecord]:
        with self.backend.read() as tx:
            return [_transition(r) for r in tx.transitions(agreement_id)]

    def successor(self, agreement_id: int) -> int | None:
        """The re-plan that replaced the agreement, if any."""
        with self.backend.read() as tx:
            return tx.successor(agreement_id)

    def record_transitions(
        self, rows: Iterable[tuple[int, str | None, str, date | str]], as_of: date, policy_version: str
    ) -> int:
        """Record status changes the payments decided (the monitor): ``(agreement_id, from, to, day)``
        (the day a date or ISO text).

        One already recorded is skipped, so a run for the same date records nothing new.  One
        audit entry names the run and holds a SHA-256 over the changes it added.
        """
        now = self._now()
        digest = hashlib.sha256()
        out = []
        for agreement_id, old, new, day in rows:
            day = day if isinstance(day, str) else day.isoformat()
            out.append((agreement_id, old, new, day, None, now, self.actor))
            digest.update(f"{agreement_id}\x1f{old}\x1f{new}\x1f{day}\n".encode())
        with self._write() as tx:
            added = tx.insert_transitions(out)
            if added:
                self._audit(
                    tx,
                    now,
                    "agreement.transitions",
                    "monitor",
                    as_of.isoformat(),
                    None,
                    {
                        "as_of": as_of.isoformat(),
                        "policy_version": policy_version,
                        OfferStatus.OFFERED: len(out),
                        "added": added,
                        "sha256": digest.hexdigest(),
                    },
                )
        return added

    def record_breach(
        self, agreement_id: int, on: date | None, reason: str, from_status: str | None = None
    ) -> AgreementRecord | None:
        """Record that the agreement broke on ``on`` (default today; a ``breach`` record and its transition).

        Returns None when a breach is already recorded for it (so the monitor may call it on every run).
        """
        return self._end(agreement_id, "breach", reason, on, from_status)

    def cancel_agreement(self, agreement_id: int, reason: str, on: date | None = None) -> AgreementRecord:
        """Cancel an agreement in force (a supervisor's decision, with a reason), from ``on``
        (default today; a cancellation decided earlier may be recorded with its own date)."""
        self._require_supervisor("cancel an agreement")
        if on is not None and on.isoformat() > self._now()[:10]:
            raise InvalidInput(f"{on.isoformat()} is in the future; a cancellation takes effect when it is made", "on")
        record = self._end(agreement_id, "cancellation", reason, on, None)
        assert record is not None
        return record

    def record_breaches(self, rows: Sequence[tuple[int, date, str | None, str]]) -> int:
        """:meth:`record_breach` for many agreements in one transaction (the monitor):
        ``(agreement_id, day, from status, reason)``.  Returns how many were recorded."""
        now = self._now()
        done = 0
        with self._write() as tx:
            for agreement_id, on, from_status, reason in rows:
                done += self._end_in(tx, now, agreement_id, "breach", reason, on, from_status) is not None
        return done

    def _end(
        self, agreement_id: int, kind: str, reason: str, on: date | None, from_status: str | None
    ) -> AgreementRecord | None:
        now = self._now()
        with self._write() as tx:
            return self._end_in(tx, now, agreement_id, kind, reason, on, from_status)

    def _end_in(
        self, tx, now: str, agreement_id: int, kind: str, reason: str, on: date | None, from_status: str | None
    ) -> AgreementRecord | None:
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInput("is empty; say why the agreement ends", "reason")
        reason = reason.strip()
        if len(reason) > 1000:
            raise InvalidInput(f"is {len(reason)} characters; at most 1000", "reason")
        old = tx.get_agreement(agreement_id)
        if old is None or old["kind"] != "agreement":
            raise NotFound(f"no agreement {agreement_id}", "agreement_id")
        ended = {r["supersedes"]: r for r in tx.agreements(old["account_ref"]) if r["supersedes"] is not None}
        if agreement_id in ended:
            if kind == "breach" and ended[agreement_id]["kind"] == "breach":
                return None
            raise InvalidTransition(
                f"agreement {agreement_id} is not in force (it has a {ended[agreement_id]['kind']} record)",
                "agreement_id",
            )
        row = dict(
            offer_id=old["offer_id"],
            account_ref=old["account_ref"],
            kind=kind,
            supersedes=agreement_id,
            created_at=now,
            actor=self.actor,
            role=self.role,
            reason=reason,
            terms=old["terms"],
        )
        new_id = tx.insert_agreement(row)
        status = "broken" if kind == "breach" else "cancelled"
        day = (on or date.fromisoformat(now[:10])).isoformat()
        tx.insert_transitions([(agreement_id, from_status, status, day, new_id, now, self.actor)])
        self._audit(
            tx,
            now,
            f"agreement.{kind}",
            "agreement",
            str(agreement_id),
            {"in_force": True},
            {"in_force": False, "record": new_id, "reason": reason, "effective_on": day},
        )
        return AgreementRecord(id=new_id, **row)

    def _start_servicing(self, tx, now: str, offer: dict, new_id: int, schedule, replaces: int | None) -> None:
        """What making an agreement adds (called by ``Store.create_agreement`` inside its transaction):
        the schedule, the ``current`` transition from its start, and for a re-plan the old agreement's
        ``superseded`` transition."""
        if schedule is not None:
            _check_schedule(offer, schedule)
            tx.insert_schedule(new_id, schedule.to_row())
            start = schedule.start.isoformat()
        else:
            start = (offer.get("inputs") or {}).get("terms", {}).get("start") or now[:10]
        rows: list[tuple[int, str | None, str, str, int | None, str, str]] = [
            (new_id, None, "current", start, None, now, self.actor)
        ]
        if replaces is not None:  # replaced from the new agreement's own date
            rows.append((replaces, None, "superseded", min(start, now[:10]), new_id, now, self.actor))
        tx.insert_transitions(rows)

    def _replacing(self, tx, offer: dict, active: set[int]) -> int | None:
        """Check that an offer may become an agreement on its account: with an agreement in force only
        as its re-plan; a re-plan only of the account's latest agreement, not yet replaced."""
        ref, replaces = offer["account_ref"], offer.get("replan_of")
        if active and replaces not in active:
            raise InvalidTransition(
                f"account {ref} has agreement {min(active)} in force; a new plan for it can "
                "only be a re-plan of that agreement",
                "offer_id",
            )
        if replaces is not None:
            old = tx.get_agreement(replaces)
            if old is None or old["kind"] != "agreement" or old["account_ref"] != ref:
                raise InvalidTransition(
                    f"offer {offer['id']} re-plans agreement {replaces}, which is not an agreement of account {ref}",
                    "offer_id",
                )
            later = tx.successor(replaces)
            if later is not None:
                raise InvalidTransition(f"agreement {replaces} was already re-planned by agreement {later}", "offer_id")
        return replaces

    def _check_replan_offer(self, tx, ref: str, replan_of: int | None, active: set[int]) -> None:
        """Saving an offer: on an account with an agreement in force only as a re-plan of it."""
        if active and replan_of not in active:
            raise InvalidTransition(
                f"account {ref} has agreement {min(active)} in force; a new offer for it can "
                "only be a re-plan of that agreement",
                "offer",
            )
        if replan_of is not None:
            old = tx.get_agreement(replan_of)
            if old is None or old["kind"] != "agreement" or old["account_ref"] != ref:
                raise InvalidInput(f"agreement {replan_of} is not an agreement of account {ref}", "replan_of")


def _check_schedule(offer: dict, schedule) -> None:
    """The schedule must be the offer's: same currency, total and number of installments."""
    from calc.money import format_amount

    headline = offer.get("headline") or {}
    if schedule.currency != offer.get("currency"):
        raise InvalidInput(f"the schedule is in {schedule.currency}, the offer in {offer.get('currency')}", "schedule")
    expected = headline.get("total_repayable")
    if expected is not None and format_amount(schedule.total, schedule.currency) != expected:
        raise InvalidInput(
            f"the schedule totals {format_amount(schedule.total, schedule.currency)}, the offer "
            f"{expected}: it is not this offer's schedule",
            "schedule",
        )
    months = headline.get("months")
    if months is not None and months != schedule.installments_total:
        raise InvalidInput(
            f"the schedule has {schedule.installments_total} installments, the offer {months}", "schedule"
        )


def _payment(r: dict) -> PaymentRecord:
    return PaymentRecord(
        r["id"],
        r["reference"],
        r["account_ref"],
        r["agreement_id"],
        date.fromisoformat(r["paid_on"]),
        r["amount"],
        r["currency"],
        r["channel"],
        r["recorded_at"],
        r["actor"],
        r["source"],
    )


def _transition(r: dict) -> TransitionRecord:
    return TransitionRecord(
        r["id"],
        r["agreement_id"],
        r["from_status"],
        r["to_status"],
        date.fromisoformat(r["effective_on"]),
        r["record_id"],
        r["recorded_at"],
        r["actor"],
    )


__all__ = ["MAX_REFERENCE", "SUPERVISOR_ROLES", "ServicingStore", "check_reference"]
