"""What a re-plan starts from: what is still owed of each bucket, and what a breach restores.

Money paid under an agreement goes, within each obligation, to its fee part first and
then to its principal part.  The principal paid reduces the buckets the plan repays
(each bucket's amount less what was waived) in :data:`PAYDOWN_ORDER`: charges
before interest, principal last, as card repayments are usually applied.  So:

* **still owed** of a bucket = what the plan repays of it less the principal paid
  towards it; fees of installments already due and not paid are still owed (as
  ``other_fees``); fees of installments not yet due are not, since the plan ends;
* **restored** (only when the agreement is ``broken``): the waived amounts of the
  buckets ``[servicing] restore_on_break`` names, charged again;
* the **debt to re-plan** is their sum, bucket by bucket: a re-plan is an offer like
  any other made for that debt, whose agreement supersedes the old one.

Every minor unit is accounted for: ``still owed + fees no longer charged ==
outstanding``, and ``debt to re-plan == still owed + restored``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from calc.debt import BUCKETS, Debt

from .schedule import AgreementSchedule
from .standing import Standing
from .vocabulary import Status

#: The order in which principal paid reduces the buckets a plan repays.
PAYDOWN_ORDER = ("other_fees", "annual_fees", "late_fees", "penalty_interest", "interest", "principal")


@dataclass(frozen=True, slots=True)
class ReplanBasis:
    """The debt a re-plan of agreement ``agreement_id`` starts from on ``as_of``."""

    agreement_id: int
    status: Status
    as_of: date
    currency: str
    #: Still owed of each bucket, in ``BUCKETS`` order (unpaid fees of due installments in other_fees).
    owed: tuple[tuple[str, int], ...]
    #: Waived amounts charged again (a broken agreement only), in ``BUCKETS`` order.
    restored: tuple[tuple[str, int], ...]
    #: Fees of installments not yet due, no longer charged once the plan is replaced.
    fees_dropped: int
    #: Re-plans after a breach already granted on the account, and whether this one needs a supervisor.
    replans_after_breach: int
    needs_supervisor: bool

    @property
    def debt(self) -> Debt:
        restored = dict(self.restored)
        return Debt(self.currency, **{b: amount + restored[b] for b, amount in self.owed})

    @property
    def owed_total(self) -> int:
        return sum(a for _, a in self.owed)

    @property
    def restored_total(self) -> int:
        return sum(a for _, a in self.restored)

    @property
    def after_breach(self) -> bool:
        return self.status is Status.BROKEN


def replan_basis(
    agreement_id: int,
    schedule: AgreementSchedule,
    st: Standing,
    restore_on_break: tuple[str, ...],
    replans_after_breach: int,
    replans_allowed: int,
) -> ReplanBasis:
    """The re-plan basis of an agreement standing as ``st`` (see the module docstring)."""
    principal_paid = due_fees = dropped = 0
    for o, got in zip(schedule.obligations, st.applied):
        fee_paid = min(got, o.fee)
        principal_paid += got - fee_paid
        if o.due <= st.as_of:
            due_fees += o.fee - fee_paid
        else:
            dropped += o.fee - fee_paid
    repays = {b: owed - waived for b, owed, waived in schedule.buckets}
    for bucket in PAYDOWN_ORDER:
        part = min(principal_paid, repays[bucket])
        repays[bucket] -= part
        principal_paid -= part
    repays["other_fees"] += due_fees
    broken = st.status is Status.BROKEN
    restored = {b: waived if broken and b in restore_on_break else 0 for b, _, waived in schedule.buckets}
    return ReplanBasis(
        agreement_id,
        st.status,
        st.as_of,
        schedule.currency,
        tuple((b, repays[b]) for b in BUCKETS),
        tuple((b, restored[b]) for b in BUCKETS),
        dropped,
        replans_after_breach,
        broken and replans_after_breach >= replans_allowed,
    )


__all__ = ["PAYDOWN_ORDER", "ReplanBasis", "replan_basis"]
