"""After the agreement: payments, status as of a date, breach, re-plans, reminders and the monitor.

The pure core (no store, no clock):

* :mod:`.vocabulary` -- ``Status``, ``Mark``, ``Channel``, ``WorkReason`` (``enum.StrEnum``);
* :mod:`.schedule` -- ``AgreementSchedule``, what an agreement obliges, fixed when it is made;
* :mod:`.standing` -- ``standing()``: payments applied in due order, the status on a date and
  every status change up to it;
* :mod:`.replan` -- ``replan_basis()``: what is still owed of each bucket and what a breach restores.

With the store: :mod:`.agreements` (accept, load, record a payment, bring up to date),
:mod:`.payments_input` (``installment payments import``) and :mod:`.monitor`
(``installment monitor``).  Summaries of an agreement are in :mod:`plans.summary.statement`.

``[servicing]`` in the policy (``plans.policy.Servicing``) sets the grace days, when an
agreement breaks, what a breach restores, reminders, re-plans and how to pay.
"""

from __future__ import annotations

from .replan import PAYDOWN_ORDER, ReplanBasis, replan_basis
from .schedule import AgreementSchedule, Obligation
from .standing import Ending, Payment, Standing, Transition, marks, standing
from .vocabulary import Channel, Mark, ReminderChannel, Status, WorkReason

__all__ = [
    "AgreementSchedule",
    "Channel",
    "Ending",
    "Mark",
    "Obligation",
    "PAYDOWN_ORDER",
    "Payment",
    "ReminderChannel",
    "ReplanBasis",
    "Standing",
    "Status",
    "Transition",
    "WorkReason",
    "marks",
    "replan_basis",
    "standing",
]
