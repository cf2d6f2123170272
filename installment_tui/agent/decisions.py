"""Who decided an offer's status, when and why: read from the audit log, which records every change.

The offers table keeps only the status and the last actor; the reason a supervisor gave for a
rejection (or an agent for a decline) is in the audit entry of that change.
"""

from __future__ import annotations

from dataclasses import dataclass
from plans.vocabulary import OfferStatus

#: Statuses whose decision is worth showing with who made it and why.
DECIDED = (OfferStatus.APPROVED, OfferStatus.REJECTED, OfferStatus.DECLINED)


@dataclass(frozen=True, slots=True)
class Decision:
    status: str
    actor: str
    role: str
    at: str  # UTC ISO time
    reason: str | None


def decisions(store, records) -> dict[str, Decision]:
    """The latest decision on each of ``records`` (``OfferRecord``) whose status is in :data:`DECIDED`."""
    out: dict[str, Decision] = {}
    for rec in records:
        if rec.status not in DECIDED:
            continue
        for entry in reversed(store.audit_log("offer", rec.id)):
            if entry.action == f"offer.{rec.status}":
                after = entry.after if isinstance(entry.after, dict) else {}
                reason = after.get("reason")
                out[rec.id] = Decision(
                    rec.status,
                    entry.actor,
                    entry.role,
                    entry.at,
                    reason if isinstance(reason, str) and reason.strip() else None,
                )
                break
    return out


__all__ = ["DECIDED", "Decision", "decisions"]
