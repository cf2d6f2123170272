"""The store's conduct records: the contact log, account flags and the complaints register.

A part of :class:`plans.store.Store` kept in a module of its own (``Store`` inherits
it).  It knows no SQL (that is in ``plans.store.sqlite_conduct``); what the rules
decide is in :mod:`plans.conduct`.  Every change is one write transaction with its
audit entry, and every table here is history (append-only):

* **Contacts** - :meth:`ConductStore.log_contact` decides an outbound contact by the
  rules *inside* the write transaction (two consoles cannot both make the sixth
  call), then records it.  A contact the rules refuse is recorded as a refusal and
  :class:`ContactRefused` is raised, unless a supervisor overrides it with a reason
  (:class:`Override`, an authenticated user checked again here); inbound contacts
  and kiosk visits are always recorded.
* **Flags** - ``written_only``, ``represented``, ``disputed`` and ``deceased`` are set
  and cleared with a reason; ``complaint_open`` is read from the complaints register
  (an open collection-conduct complaint), never set by hand.
* **Complaints** - received, acknowledged, extended (the second extension needs a
  supervisor), resolved; the reply must pass the message checker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, TypeVar

from calc.errors import InvalidInput

from plans.conduct.complaints import (
    MAX_TEXT,
    Complaint,
    ComplaintRecord,
    EventRecord,
    complaint_state,
    local_day,
    next_extension,
)
from plans.conduct.contact_rules import ContactDecision, Earlier, decide, debtor_zone
from plans.conduct.settings import Conduct
from plans.conduct.vocabulary import (
    MANUAL_FLAGS,
    Channel,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintEvent,
    ComplaintState,
    Decision,
    Direction,
    Flag,
    Outcome,
    Party,
    Purpose,
    Resolution,
)

from calc.errors import InstallmentError

from .audit_log import AuditLog
from .records import NotAllowed, NotFound

MAX_NOTE = 2000
MAX_REASON = 500


class ContactRefused(InstallmentError):
    """The rules refuse an outbound contact (the refusal is recorded); ``decision`` says why."""

    def __init__(self, decision: ContactDecision) -> None:
        self.decision = decision
        super().__init__("not allowed now: " + "; ".join(b.english() for b in decision.breaches), "contact")


@dataclass(frozen=True, slots=True)
class Override:
    """A supervisor's override of the contact rules: the supervisor (a :class:`plans.store.User` who has
    just authenticated) and the reason."""

    supervisor: Any
    reason: str


@dataclass(frozen=True, slots=True)
class ContactRecord:
    id: int
    account_ref: str
    at: str
    channel: Channel
    direction: Direction
    party: Party
    purpose: Purpose
    outcome: Outcome | None
    decision: Decision
    rules: tuple[str, ...]
    actor: str
    role: str
    override_by: str | None
    override_reason: str | None
    note: str

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def earlier(self) -> Earlier:
        return Earlier(self.when, self.channel, self.direction, self.party, self.decision)


@dataclass
class SentImport:
    """What :meth:`ConductStore.import_sent` did: messages recorded, those already in the log, and those sent
    against the contact rules as ``(line, account_ref, ContactDecision)``."""

    recorded: int = 0
    already: int = 0
    against_rules: list = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FlagRecord:
    id: int
    account_ref: str
    flag: Flag
    is_set: bool
    at: str
    actor: str
    role: str
    reason: str


def _contact(row: dict) -> ContactRecord:
    return ContactRecord(
        row["id"],
        row["account_ref"],
        row["at"],
        Channel(row["channel"]),
        Direction(row["direction"]),
        Party(row["party"]),
        Purpose(row["purpose"]),
        None if row["outcome"] is None else Outcome(row["outcome"]),
        Decision(row["decision"]),
        tuple(row["rules"]),
        row["actor"],
        row["role"],
        row["override_by"],
        row["override_reason"],
        row["note"],
    )


def _complaint_record(row: dict) -> ComplaintRecord:
    return ComplaintRecord(
        row["id"],
        row["account_ref"],
        row["received_at"],
        date.fromisoformat(row["received_on"]),
        ComplaintChannel(row["channel"]),
        ComplaintCategory(row["category"]),
        row["text"],
        row["lang"],
        row["received_by"],
        row["role"],
    )


def _event(row: dict) -> EventRecord:
    return EventRecord(
        row["id"],
        row["complaint_id"],
        ComplaintEvent(row["kind"]),
        row["at"],
        row["actor"],
        row["role"],
        date.fromisoformat(row["due_on"]) if row["due_on"] else None,
        row["approved_by"],
        row["reason"],
        Resolution(row["outcome"]) if row["outcome"] else None,
    )


def _text(value: object, field: str, limit: int, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise InvalidInput("is empty; say what happened", field)
    if len(text) > limit:
        raise InvalidInput(f"is {len(text)} characters; at most {limit}", field)
    return text


_E = TypeVar("_E", bound=StrEnum)


def _choice(enum: type[_E], value: str, field: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(f"must be one of {', '.join(enum)}, got {value!r}", field) from None


class ConductStore(AuditLog):
    """Conduct methods of :class:`plans.store.Store` (see the module docstring)."""

    # -- flags -------------------------------------------------------------------------
    def _flags(self, tx, ref: str, conduct: Conduct | None = None, at: str | None = None) -> frozenset[Flag]:
        """The account's flags now, or at the time ``at`` (UTC ISO text) when given."""
        current: dict[str, bool] = {}
        for r in tx.flag_history(ref):
            if at is None or r["at"] <= at:
                current[r["flag"]] = bool(r["is_set"])
        flags = {Flag(f) for f, on in current.items() if on}
        for row in tx.complaints(ref):
            if row["category"] != ComplaintCategory.COLLECTION_CONDUCT or (at is not None and row["received_at"] > at):
                continue
            events = [e for e in tx.complaint_events([row["id"]]) if at is None or e["at"] <= at]
            if self._complaint(tx, row, conduct or Conduct(), events).open:
                flags.add(Flag.COMPLAINT_OPEN)
        return frozenset(flags)

    def contact_flags(self, ref: str) -> frozenset[Flag]:
        """The account's flags now (``complaint_open`` while a collection-conduct complaint is open)."""
        with self.backend.read() as tx:
            return self._flags(tx, ref)

    def flag_history(self, ref: str) -> list[FlagRecord]:
        with self.backend.read() as tx:
            return [
                FlagRecord(
                    r["id"],
                    r["account_ref"],
                    Flag(r["flag"]),
                    bool(r["is_set"]),
                    r["at"],
                    r["actor"],
                    r["role"],
                    r["reason"],
                )
                for r in tx.flag_history(ref)
            ]

    def set_flag(self, ref: str, flag: Flag | str, on: bool, reason: str) -> FlagRecord:
        """Set (``on``) or clear a manual flag, with a reason; audited.  Setting a flag already set (or
        clearing one that is not) is refused, so the history says only what changed."""
        flag = _choice(Flag, flag, "flag")
        if flag not in MANUAL_FLAGS:
            raise InvalidInput(
                f"{flag} is set by the complaints register, not by hand; flags set by hand are "
                f"{', '.join(MANUAL_FLAGS)}",
                "flag",
            )
        reason = _text(reason, "reason", MAX_REASON)
        now = self._now()
        with self._write() as tx:
            if tx.get_account(ref) is None:
                raise NotFound(f"no account {ref!r}", "account_ref")
            if (flag in self._flags(tx, ref)) == on:
                raise InvalidInput(f"{flag} is {'already set' if on else 'not set'} on {ref}", "flag")
            row = dict(
                account_ref=ref, flag=str(flag), is_set=int(on), at=now, actor=self.actor, role=self.role, reason=reason
            )
            new_id = tx.insert_flag(row)
            self._audit(
                tx, now, "flag.set" if on else "flag.clear", "account", ref, None, {"flag": str(flag), "reason": reason}
            )
        return FlagRecord(new_id, ref, flag, on, now, self.actor, self.role, reason)

    def flagged_accounts(self) -> dict[str, frozenset[Flag]]:
        """Every account with a manual flag set now (for batch letters: read once per run)."""
        out: dict[str, set[Flag]] = {}
        with self.backend.read() as tx:
            for ref, flag, is_set in tx.flagged_accounts():
                if is_set:
                    out.setdefault(ref, set()).add(Flag(flag))
            resolved = {e["complaint_id"] for e in tx.complaint_events() if e["kind"] == ComplaintEvent.RESOLVED}
            for row in tx.complaints():
                if row["category"] == ComplaintCategory.COLLECTION_CONDUCT and row["id"] not in resolved:
                    out.setdefault(row["account_ref"], set()).add(Flag.COMPLAINT_OPEN)
        return {ref: frozenset(flags) for ref, flags in out.items()}

    # -- contacts ----------------------------------------------------------------------
    def contacts(self, ref: str) -> list[ContactRecord]:
        """The account's contact log, oldest first (refusals included)."""
        with self.backend.read() as tx:
            return [_contact(r) for r in tx.contacts(ref)]

    def contacts_between(self, start: datetime, end: datetime) -> list[ContactRecord]:
        with self.backend.read() as tx:
            return [_contact(r) for r in tx.contacts_between(_iso(start), _iso(end))]

    def sms_other_than_reminders(self, day: date) -> dict[str, list[datetime]]:
        """When each account's debtor was sent an SMS around ``day`` (two days either side, UTC), reminders
        left out: the monitor's reminders of a day are checked against the day's limit with these, so that
        importing what it sent (``import_sent``) leaves a second run for the day unchanged."""
        lo = datetime.combine(day - _two_days, datetime.min.time(), timezone.utc)
        out: dict[str, list[datetime]] = {}
        with self.backend.read() as tx:
            for r in tx.contacts_between(_iso(lo), _iso(lo + 2 * _two_days + timedelta(days=1))):
                if (
                    r["channel"] == Channel.SMS
                    and r["direction"] == Direction.OUTBOUND
                    and r["party"] == Party.DEBTOR
                    and r["decision"] != Decision.REFUSED
                    and r["purpose"] != Purpose.REMINDER
                ):
                    out.setdefault(r["account_ref"], []).append(datetime.fromisoformat(r["at"]))
        return out

    def _decide(
        self,
        tx,
        ref: str,
        policy,
        channel: Channel,
        party: Party,
        direction: Direction,
        now: datetime,
        earlier: list[Earlier] | None = None,
        flags_at: str | None = None,
    ) -> ContactDecision:
        """The rules' decision at ``now``; ``earlier`` contacts (default: the log's around ``now``) and the flags
        at ``flags_at`` (default: now) may be given for a contact made in the past."""
        account = tx.get_account(ref)
        if account is None:
            raise NotFound(f"no account {ref!r}", "account_ref")
        tz = debtor_zone(policy.conduct, policy.region(account["region"]).time_zone)
        if earlier is None:
            since = _iso(
                now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) - _two_days
            )  # a local day begins at most 14 hours before or after UTC midnight
            earlier = [_contact(r).earlier() for r in tx.contacts(ref, since)]
        return decide(
            policy.conduct,
            tz,
            self._flags(tx, ref, policy.conduct, flags_at),
            channel,
            now,
            earlier,
            party=party,
            direction=direction,
        )

    def contact_decision(
        self,
        ref: str,
        policy,
        channel: Channel | str = Channel.CALL,
        party: Party | str = Party.DEBTOR,
        now: datetime | None = None,
    ) -> ContactDecision:
        """Whether an outbound contact by ``channel`` with ``party`` is allowed now (nothing is recorded)."""
        channel, party = _choice(Channel, channel, "channel"), _choice(Party, party, "party")
        now = now or self.clock()
        with self.backend.read() as tx:
            return self._decide(tx, ref, policy, channel, party, Direction.OUTBOUND, now)

    def log_contact(
        self,
        ref: str,
        policy,
        channel: Channel | str,
        outcome: Outcome | str,
        *,
        direction: Direction | str = Direction.OUTBOUND,
        party: Party | str = Party.DEBTOR,
        purpose: Purpose | str = Purpose.COLLECTION,
        note: str = "",
        override: Override | None = None,
    ) -> ContactRecord:
        """Record a contact (see the module docstring); raises :class:`ContactRefused` after recording a
        refusal.  ``override`` is used only when the rules would refuse the contact."""
        channel, outcome = _choice(Channel, channel, "channel"), _choice(Outcome, outcome, "outcome")
        direction, party = _choice(Direction, direction, "direction"), _choice(Party, party, "party")
        purpose = _choice(Purpose, purpose, "purpose")
        note = _text(note, "note", MAX_NOTE, required=False)
        if channel is Channel.KIOSK and direction is Direction.OUTBOUND:
            raise InvalidInput("a kiosk visit is inbound: the debtor comes to the kiosk", "direction")
        if override is not None:
            _text(override.reason, "reason", MAX_REASON)
        now_dt = self.clock()
        now = self._now()
        refused = None
        with self._write() as tx:
            decision = self._decide(tx, ref, policy, channel, party, direction, now_dt)
            row: dict[str, Any] = dict(
                account_ref=ref,
                at=now,
                channel=str(channel),
                direction=str(direction),
                party=str(party),
                purpose=str(purpose),
                outcome=str(outcome),
                decision=str(Decision.ALLOWED),
                rules=decision.codes,
                actor=self.actor,
                role=self.role,
                override_by=None,
                override_reason=None,
                note=note,
            )
            if not decision.allowed and override is None:
                row.update(outcome=None, decision=str(Decision.REFUSED))
                refused = decision
            elif not decision.allowed and override is not None:
                self._check_supervisor(tx, override.supervisor)
                row.update(
                    decision=str(Decision.OVERRIDDEN),
                    override_by=override.supervisor.name,
                    override_reason=override.reason.strip(),
                )
            row["id"] = tx.insert_contact(row)
            action = {"refused": "contact.refused", "overridden": "contact.override"}.get(
                row["decision"], "contact.log"
            )
            self._audit(tx, now, action, "account", ref, None, {k: v for k, v in row.items() if k != "account_ref"})
        if refused is not None:
            raise ContactRefused(refused)
        return _contact(row)

    def import_sent(self, rows, policy) -> "SentImport":
        """Record the messages a sender sent (``plans.conduct.sent_input.SentRow``, from its ``sent.csv``) as
        outbound contacts with the debtor, outcome ``sent``, at the time each was sent; in one transaction,
        all or nothing.  A message already in the log (same account, channel, purpose and time) is not
        recorded again, so importing a file twice changes nothing.  Each is decided by the rules at its
        time, with the flags of that time and only the contacts made before it.  One sent against a rule
        (outside the hours, over the day's SMS limit, against a flag) is still recorded, because it was
        sent and counts toward the limits, with the rules it broke and an audit entry ``contact.breach``;
        they are returned in ``against_rules``.  An unknown account or a time in the future (beyond a few minutes of clock
        skew) refuses the whole file."""
        from plans.conduct.sent_input import SentFileError

        now_dt = self.clock()
        result = SentImport()
        problems: list[tuple[int, str]] = []
        with self._write() as tx:
            for row in sorted(rows, key=lambda r: (r.sent_at.astimezone(timezone.utc), r.line)):
                if tx.get_account(row.account_ref) is None:
                    problems.append((row.line, f"no account {row.account_ref!r}"))
                    continue
                if row.sent_at > now_dt + _clock_skew:
                    problems.append((row.line, f"sent_at {row.sent_at.isoformat()} is in the future"))
                    continue
                at = _iso(row.sent_at)
                earlier = [_contact(r) for r in tx.contacts(row.account_ref, _iso(row.sent_at - _two_days))]
                if any(
                    c.at == at
                    and c.channel == row.channel
                    and c.purpose == row.purpose
                    and c.direction is Direction.OUTBOUND
                    for c in earlier
                ):
                    result.already += 1
                    continue
                decision = self._decide(
                    tx,
                    row.account_ref,
                    policy,
                    row.channel,
                    Party.DEBTOR,
                    Direction.OUTBOUND,
                    row.sent_at,
                    [c.earlier() for c in earlier if c.at < at],
                    flags_at=at,
                )
                record = dict(
                    account_ref=row.account_ref,
                    at=at,
                    channel=str(row.channel),
                    direction=str(Direction.OUTBOUND),
                    party=str(Party.DEBTOR),
                    purpose=str(row.purpose),
                    outcome=str(Outcome.SENT),
                    decision=str(Decision.ALLOWED),
                    rules=decision.codes,
                    actor=self.actor,
                    role=self.role,
                    override_by=None,
                    override_reason=None,
                    note=row.text,
                )
                record["id"] = tx.insert_contact(record)
                self._audit(
                    tx,
                    self._now(),
                    "contact.breach" if decision.codes else "contact.log",
                    "account",
                    row.account_ref,
                    None,
                    {k: v for k, v in record.items() if k != "account_ref"},
                )
                result.recorded += 1
                if decision.codes:
                    result.against_rules.append((row.line, row.account_ref, decision))
            if problems:
                raise SentFileError(sorted(problems))
        return result

    def _check_supervisor(self, tx, user) -> None:
        """``user`` is an active supervisor in this database (the override's authority)."""
        name = getattr(user, "name", None)
        row = tx.get_user(name) if isinstance(name, str) else None
        if row is None or not row["active"] or row["role"] != "supervisor" or getattr(user, "role", "") != "supervisor":
            raise NotAllowed("only a supervisor who signed in may override the contact rules", "supervisor")

    # -- complaints --------------------------------------------------------------------
    def _complaint(self, tx, row: dict, conduct: Conduct, events: list[dict] | None = None) -> Complaint:
        if events is None:
            events = tx.complaint_events([row["id"]])
        return complaint_state(_complaint_record(row), [_event(e) for e in events], conduct)

    def complaints(self, conduct: Conduct, ref: str | None = None) -> list[Complaint]:
        """Complaints (of one account, or all), oldest first, with their state."""
        with self.backend.read() as tx:
            rows = tx.complaints(ref)
            by_id: dict[int, list[dict]] = {}
            for e in tx.complaint_events([r["id"] for r in rows] if ref is not None else None):
                by_id.setdefault(e["complaint_id"], []).append(e)
            return [self._complaint(tx, r, conduct, by_id.get(r["id"], [])) for r in rows]

    def complaint(self, complaint_id: int, conduct: Conduct) -> Complaint:
        with self.backend.read() as tx:
            row = tx.get_complaint(complaint_id) if isinstance(complaint_id, int) else None
            if row is None:
                raise NotFound(f"no complaint {complaint_id}", "complaint")
            return self._complaint(tx, row, conduct)

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
    ) -> Complaint:
        """Receive a complaint (and acknowledge it at once with ``acknowledged``: told on the call)."""
        from plans.text.i18n import check_lang

        channel = _choice(ComplaintChannel, channel, "channel")
        category = _choice(ComplaintCategory, category, "category")
        text = _text(text, "complaint", MAX_TEXT)
        lang = check_lang(lang)
        at = self.clock()
        now = self._now()
        with self._write() as tx:
            if tx.get_account(ref) is None:
                raise NotFound(f"no account {ref!r}", "account_ref")
            row: dict[str, Any] = dict(
                account_ref=ref,
                received_at=now,
                received_on=local_day(at, conduct).isoformat(),
                channel=str(channel),
                category=str(category),
                text=text,
                lang=lang,
                received_by=self.actor,
                role=self.role,
            )
            row["id"] = tx.insert_complaint(row)
            self._audit(tx, now, "complaint.receive", "complaint", row["id"], None, row)
            if acknowledged:
                self._complaint_event(tx, now, row["id"], ComplaintEvent.ACKNOWLEDGED)
            return self._complaint(tx, row, conduct)

    def _complaint_event(self, tx, now: str, complaint_id: int, kind: ComplaintEvent, **values) -> None:
        row = dict(complaint_id=complaint_id, kind=str(kind), at=now, actor=self.actor, role=self.role, **values)
        tx.insert_complaint_event(row)
        self._audit(
            tx,
            now,
            f"complaint.{kind}",
            "complaint",
            complaint_id,
            None,
            {k: v for k, v in row.items() if k != "complaint_id"},
        )

    def _open_complaint(self, tx, complaint_id: int, conduct: Conduct) -> Complaint:
        row = tx.get_complaint(complaint_id) if isinstance(complaint_id, int) else None
        if row is None:
            raise NotFound(f"no complaint {complaint_id}", "complaint")
        c = self._complaint(tx, row, conduct)
        if not c.open:
            raise InvalidInput(f"complaint {complaint_id} is resolved already", "complaint")
        return c

    def acknowledge_complaint(self, complaint_id: int, conduct: Conduct) -> Complaint:
        now = self._now()
        with self._write() as tx:
            c = self._open_complaint(tx, complaint_id, conduct)
            if c.state is not ComplaintState.RECEIVED:
                raise InvalidInput(f"complaint {complaint_id} is acknowledged already", "complaint")
            self._complaint_event(tx, now, complaint_id, ComplaintEvent.ACKNOWLEDGED)
            return self._complaint(tx, tx.get_complaint(complaint_id), conduct)

    def extend_complaint(
        self, complaint_id: int, conduct: Conduct, reason: str, *, approved_by: Any = None
    ) -> Complaint:
        """Extend the due date: first to ``extended_to_days`` after receipt (a reason), then once more by
        ``approved_extension_days`` (a reason and ``approved_by``, a supervisor who authenticated)."""
        reason = _text(reason, "reason", MAX_REASON)
        now = self._now()
        with self._write() as tx:
            c = self._open_complaint(tx, complaint_id, conduct)
            ext = next_extension(c, conduct)
            if ext is None:
                raise InvalidInput(
                    f"complaint {complaint_id} has been extended twice; it must be resolved by {c.due_on.isoformat()}",
                    "complaint",
                )
            approver = None
            if ext.needs_supervisor:
                if approved_by is None:
                    raise NotAllowed("a second extension needs a supervisor's approval", "supervisor")
                self._check_supervisor(tx, approved_by)
                approver = approved_by.name
            self._complaint_event(
                tx,
                now,
                complaint_id,
                ComplaintEvent.EXTENDED,
                due_on=ext.due_on.isoformat(),
                approved_by=approver,
                reason=reason,
            )
            return self._complaint(tx, tx.get_complaint(complaint_id), conduct)

    def resolve_complaint(self, complaint_id: int, policy, outcome: Resolution | str, reply: str) -> Complaint:
        """Resolve with an outcome and the reply to the debtor; the reply must pass the message checker
        (it goes into the reply letter)."""
        from plans.conduct.messages import MessageBlocked, check_message

        outcome = _choice(Resolution, outcome, "outcome")
        reply = _text(reply, "reply", MAX_TEXT)
        now_dt = self.clock()
        now = self._now()
        with self._write() as tx:
            c = self._open_complaint(tx, complaint_id, policy.conduct)
            findings = check_message(reply, c.record.lang, policy)
            if findings:
                raise InvalidInput(MessageBlocked(findings, "the reply").message, "reply")
            self._complaint_event(
                tx,
                now,
                complaint_id,
                ComplaintEvent.RESOLVED,
                due_on=local_day(now_dt, policy.conduct).isoformat(),
                reason=reply,
                outcome=str(outcome),
            )
            return self._complaint(tx, tx.get_complaint(complaint_id), policy.conduct)


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


_two_days = timedelta(days=2)
#: How far a sender's clock may run ahead of ours.
_clock_skew = timedelta(minutes=5)

__all__ = ["ConductStore", "ContactRecord", "ContactRefused", "FlagRecord", "Override", "SentImport"]
