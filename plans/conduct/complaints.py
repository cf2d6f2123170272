"""Complaints: due dates, extensions, a complaint's state from its events, and the reply letter.

A complaint is received (channel, category, text, who took it, the debtor's language)
and from then on only events are added: ``acknowledged``, ``extended`` (with the new
due date and a reason; the second extension names the supervisor who approved it)
and ``resolved`` (the outcome and the reply).  :func:`complaint_state` reads the
state from them, so nothing is ever overwritten.

Due dates count calendar days from the day of receipt (in ``[conduct] time_zone``):
a reply is due ``reply_within_days`` (15) after receipt, extendable once, with a
reason, to ``extended_to_days`` (30) after receipt, and once more by
``approved_extension_days`` (30) with a supervisor's approval.  A complaint is
overdue on the day after its due date while unresolved; it was resolved in time when
its resolution fell on or before the due date in force then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from .settings import Conduct
from .vocabulary import ComplaintCategory, ComplaintChannel, ComplaintEvent, ComplaintState, Resolution

MAX_TEXT = 4000


@dataclass(frozen=True, slots=True)
class ComplaintRecord:
    """A complaint as received (never changed)."""

    id: int
    account_ref: str
    received_at: str  # UTC ISO 8601
    received_on: date  # the day of receipt in [conduct] time_zone
    channel: ComplaintChannel
    category: ComplaintCategory
    text: str
    lang: str
    received_by: str
    role: str


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    complaint_id: int
    kind: ComplaintEvent
    at: str
    actor: str
    role: str
    due_on: date | None = None
    approved_by: str | None = None
    reason: str | None = None
    outcome: Resolution | None = None


@dataclass(frozen=True, slots=True)
class Complaint:
    """A complaint with its state as of its events."""

    record: ComplaintRecord
    events: tuple[EventRecord, ...]
    state: ComplaintState
    due_on: date
    extensions: int
    acknowledged_at: str | None
    resolved_at: str | None
    resolved_on: date | None
    outcome: Resolution | None
    reply: str | None

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def open(self) -> bool:
        return self.state is not ComplaintState.RESOLVED

    def overdue(self, today: date) -> bool:
        """Unresolved after its due date."""
        return self.open and today > self.due_on

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_on).days) if self.open else 0

    @property
    def in_time(self) -> bool | None:
        """Resolved on or before the due date (None while open)."""
        return None if self.resolved_on is None else self.resolved_on <= self.due_on

    @property
    def days_to_resolve(self) -> int | None:
        return None if self.resolved_on is None else (self.resolved_on - self.record.received_on).days


def local_day(at: datetime, conduct: Conduct) -> date:
    """The day of ``at`` (aware) in the creditor's time zone (``[conduct] time_zone``)."""
    from .settings import zone

    return at.astimezone(zone(conduct.time_zone)).date()


def first_due(received_on: date, conduct: Conduct) -> date:
    return received_on + timedelta(days=conduct.reply_within_days)


def complaint_state(
    record: ComplaintRecord, events: list[EventRecord] | tuple[EventRecord, ...], conduct: Conduct
) -> Complaint:
    """The complaint's state from its events (in the order they were recorded)."""
    events = tuple(sorted(events, key=lambda e: e.id))
    state = ComplaintState.RECEIVED
    due = first_due(record.received_on, conduct)
    extensions = 0
    acknowledged = resolved_at = reply = None
    resolved_on = outcome = None
    for e in events:
        if e.kind is ComplaintEvent.ACKNOWLEDGED and state is ComplaintState.RECEIVED:
            state, acknowledged = ComplaintState.ACKNOWLEDGED, e.at
        elif e.kind is ComplaintEvent.EXTENDED and e.due_on is not None:
            due, extensions = e.due_on, extensions + 1
        elif e.kind is ComplaintEvent.RESOLVED:
            state, resolved_at, outcome, reply = ComplaintState.RESOLVED, e.at, e.outcome, e.reason
            resolved_on = e.due_on  # the day of resolution (local), kept in due_on of the event
    return Complaint(record, events, state, due, extensions, acknowledged, resolved_at, resolved_on, outcome, reply)


@dataclass(frozen=True, slots=True)
class Extension:
    """The next extension a complaint may have: the new due date and whether a supervisor must approve it."""

    due_on: date
    needs_supervisor: bool


def next_extension(complaint: Complaint, conduct: Conduct) -> Extension | None:
    """The next extension allowed (None: resolved, or both extensions used)."""
    if not complaint.open or complaint.extensions >= 2:
        return None
    if complaint.extensions == 0:
        return Extension(complaint.record.received_on + timedelta(days=conduct.extended_to_days), False)
    return Extension(complaint.due_on + timedelta(days=conduct.approved_extension_days), True)


def median_days(complaints: list[Complaint]) -> float | None:
    days = [c.days_to_resolve for c in complaints if c.days_to_resolve is not None]
    return float(median(days)) if days else None


__all__ = [
    "Complaint",
    "ComplaintRecord",
    "EventRecord",
    "Extension",
    "MAX_TEXT",
    "complaint_state",
    "first_due",
    "local_day",
    "median_days",
    "next_extension",
]
