"""Complaints on the work queue: overdue ones at the very top, then those about to fall due.

The rows have the work queue's columns (``account_ref, reason, priority, since``, as
``installment monitor`` writes ``work_queue.csv``): priority 0 comes before every
servicing reason (whose priorities start at 1), and the queue sorts by
``(priority, since, account_ref, reason)``.  ``since`` is the day the complaint
became overdue (the day after its due date); a complaint about to fall due is listed
with the day it would become overdue, which is after today, so every overdue
complaint comes first.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Iterable

from .complaints import Complaint

#: An open complaint due within this many days is listed as due soon.
DUE_SOON_DAYS = 3
PRIORITY = 0


class ComplaintWork(StrEnum):
    COMPLAINT_OVERDUE = "complaint_overdue"
    COMPLAINT_DUE_SOON = "complaint_due_soon"
    #: A reminder the conduct rules held back (a flag, or a phrase the message check refuses).
    REMINDER_WITHHELD = "reminder_withheld"


def complaint_work(
    complaints: Iterable[Complaint], today: date, soon_days: int = DUE_SOON_DAYS
) -> list[tuple[str, str, int, str]]:
    """Work-queue rows for the open complaints that are overdue or due within ``soon_days`` (sorted)."""
    rows = []
    for c in complaints:
        if not c.open:
            continue
        became = c.due_on + timedelta(days=1)
        if c.overdue(today):
            rows.append((c.record.account_ref, str(ComplaintWork.COMPLAINT_OVERDUE), PRIORITY, became.isoformat()))
        elif (c.due_on - today).days <= soon_days:
            rows.append((c.record.account_ref, str(ComplaintWork.COMPLAINT_DUE_SOON), PRIORITY, became.isoformat()))
    return sorted(rows, key=lambda r: (r[2], r[3], r[0], r[1]))


__all__ = ["ComplaintWork", "DUE_SOON_DAYS", "complaint_work"]
