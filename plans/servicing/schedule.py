"""What an agreement obliges the debtor to pay: its schedule, fixed when the agreement is made.

An agreement never changes, and neither does its schedule: it is computed from the
accepted offer (``offer.plan``) at acceptance and saved beside the agreement, so the
agreement can be serviced under any later policy version.  Obligations are the down
payment (``n = 0``, due at the agreement date, only when there is one) and then the
installments ``1..N`` in due order.

``buckets`` keeps what the plan repays of each debt bucket (owed, waived), so that a
breach can restore waivers and a re-plan can say what is still owed of each bucket.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Any, NamedTuple

from calc.debt import BUCKETS
from calc.errors import InvalidInput
from calc.money import check_currency


class Obligation(NamedTuple):
    """One payment the schedule asks for: the down payment (``n = 0``) or installment ``n``."""

    n: int
    due: date
    amount: int
    principal: int
    fee: int


@dataclass(frozen=True, slots=True)
class AgreementSchedule:
    currency: str
    start: date
    obligations: tuple[Obligation, ...]
    #: ``(bucket, owed, waived)`` for every bucket of ``calc.debt.BUCKETS``, in that order.
    buckets: tuple[tuple[str, int, int], ...]

    def __post_init__(self) -> None:
        check_currency(self.currency)
        if not self.obligations:
            raise InvalidInput("a schedule needs at least one installment", "schedule")
        previous = None
        for o in self.obligations:
            if o.amount <= 0 or o.principal < 0 or o.fee < 0 or o.principal + o.fee != o.amount:
                raise InvalidInput(f"obligation {o.n}: amount must be principal + fee, above zero", "schedule")
            if previous is not None and o.due < previous:
                raise InvalidInput(f"obligation {o.n} falls due before the one before it", "schedule")
            previous = o.due
        if tuple(b for b, _, _ in self.buckets) != BUCKETS:
            raise InvalidInput("the buckets must be listed in the order of calc.debt.BUCKETS", "schedule")
        if self.plan_balance != sum(o.principal for o in self.obligations):
            raise InvalidInput("the principal parts do not add up to the plan balance", "schedule")

    # -- figures ----------------------------------------------------------------------
    @property
    def total(self) -> int:
        """Everything the schedule asks for: down payment plus installments (fees included)."""
        return sum(o.amount for o in self.obligations)

    @property
    def plan_balance(self) -> int:
        return sum(owed - waived for _, owed, waived in self.buckets)

    @property
    def down_payment(self) -> int:
        first = self.obligations[0]
        return first.amount if first.n == 0 else 0

    @property
    def installments(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.n > 0)

    @property
    def installments_total(self) -> int:
        return sum(1 for o in self.obligations if o.n > 0)

    @property
    def last_due(self) -> date:
        return self.obligations[-1].due

    def waived(self, bucket: str) -> int:
        return next(w for b, _, w in self.buckets if b == bucket)

    def cumulative(self) -> list[int]:
        return list(accumulate(o.amount for o in self.obligations))

    # -- from a plan, to and from the store ----------------------------------------------
    @classmethod
    def from_plan(cls, plan: Any) -> "AgreementSchedule":
        """The schedule of a ``calc.schedule.Plan`` (e.g. ``offer.plan``)."""
        obligations = []
        if plan.down_payment:
            obligations.append(Obligation(0, plan.start, plan.down_payment, plan.down_payment, 0))
        obligations += [Obligation(i.n, i.due, i.amount, i.principal, i.fee) for i in plan.installments]
        owed, waived = plan.debt.amounts(), plan.waived
        return cls(
            plan.currency, plan.start, tuple(obligations), tuple((b, owed[b], waived.get(b, 0)) for b in BUCKETS)
        )

    def to_row(self) -> dict[str, Any]:
        """The columns the store keeps (lists as compact JSON text)."""
        o = self.obligations
        return {
            "currency": self.currency,
            "start": self.start.isoformat(),
            "total": self.total,
            "numbers": _dump([x.n for x in o]),
            "dues": _dump([x.due.isoformat() for x in o]),
            "amounts": _dump([x.amount for x in o]),
            "fees": _dump([x.fee for x in o]),
            "buckets": _dump({b: [owed, waived] for b, owed, waived in self.buckets}),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "AgreementSchedule":
        numbers, dues = json.loads(row["numbers"]), json.loads(row["dues"])
        amounts, fees = json.loads(row["amounts"]), json.loads(row["fees"])
        buckets = json.loads(row["buckets"])
        return cls(
            row["currency"],
            date.fromisoformat(row["start"]),
            tuple(
                Obligation(n, date.fromisoformat(d), a, a - f, f) for n, d, a, f in zip(numbers, dues, amounts, fees)
            ),
            tuple((b, *buckets[b]) for b in BUCKETS),
        )


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


__all__ = ["AgreementSchedule", "Obligation"]
