"""The names of the kiosk's steps: what a screen asks the app to show next (``self.kiosk.goto(Step.OWE)``).

Screens know steps by these names only; which screen shows a step, and which step comes next or
before, is the flow table's business (:mod:`installment_tui.kiosk.flow`), so no screen imports another.
"""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    WELCOME = "welcome"
    IDENTIFY = "identify"
    #: What the debtor owes (no agreement yet).
    OWE = "owe"
    #: The agreement in force (a debtor who has one).
    PLAN = "plan"
    SITUATION = "situation"
    PLANS = "plans"
    CONFIRM = "confirm"
    PRINT = "print"
    DONE = "done"
    AGENT = "agent"
    COMPLAINT = "complaint"
    COMPLAINT_DONE = "complaint_done"
    STAFF = "staff"
    UNAVAILABLE = "unavailable"
