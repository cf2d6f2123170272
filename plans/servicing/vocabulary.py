"""The words of servicing, defined once: statuses, installment marks, payment channels, work reasons.

Each is an ``enum.StrEnum`` whose values are the public strings (CSV columns, JSON,
the database), so ``Status.IN_GRACE == "in_grace"``.  What they are called in each
language is in one table of :mod:`plans.summary.servicing_words`.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """An agreement's status as of a date."""

    CURRENT = "current"  # nothing overdue
    IN_GRACE = "in_grace"  # a due date has passed, still within the grace days
    IN_ARREARS = "in_arrears"  # an installment is missed (its grace days are over)
    BROKEN = "broken"  # break_after_missed installments missed at once: the plan has ended
    COMPLETED = "completed"  # paid in full
    CANCELLED = "cancelled"  # ended by a supervisor's cancellation
    SUPERSEDED = "superseded"  # replaced by a re-plan

    @property
    def in_force(self) -> bool:
        """The plan still runs: payments fall due under it."""
        return self in (Status.CURRENT, Status.IN_GRACE, Status.IN_ARREARS)

    @property
    def final(self) -> bool:
        """Nothing changes it any more (for a fixed history of payments and records)."""
        return not self.in_force


#: Statuses from the best to the worst while a plan runs (for "only gets worse without payments").
SEVERITY = {Status.CURRENT: 0, Status.IN_GRACE: 1, Status.IN_ARREARS: 2, Status.BROKEN: 3}


class Mark(StrEnum):
    """One installment (or the down payment) of a schedule as of a date."""

    PAID = "paid"  # paid in full
    PARTLY_PAID = "partly_paid"  # partly paid, not yet overdue
    DUE = "due"  # nothing paid yet, not yet overdue (due today or later)
    OVERDUE = "overdue"  # past its due date, not paid in full, within the grace days
    MISSED = "missed"  # past its grace days, not paid in full


class Channel(StrEnum):
    """How a payment reached the creditor."""

    BANK_TRANSFER = "bank_transfer"
    DIRECT_DEBIT = "direct_debit"
    MOBILE_PAYMENT = "mobile_payment"
    COUNTER = "counter"
    OTHER = "other"


class WorkReason(StrEnum):
    """Why an account is on the work queue, most urgent first."""

    BROKEN = "broken"
    IN_ARREARS = "in_arrears"
    CREDIT_TO_REVIEW = "credit_to_review"
    REMINDER_DUE = "reminder_due"

    @property
    def priority(self) -> int:
        """1 is the most urgent."""
        return list(WorkReason).index(self) + 1


class ReminderChannel(StrEnum):
    SMS = "sms"
    LETTER = "letter"


__all__ = ["Channel", "Mark", "ReminderChannel", "SEVERITY", "Status", "WorkReason"]
