"""The kiosk's flow table: which screen shows each step, and which step its "next" and "Back" go to.

The one place the order of a visit is written down.  A screen asks the app for a step by name
(:class:`~installment_tui.kiosk.steps.Step`): ``goto(Step.AGENT, reason)`` where the debtor chose
a branch, ``go_next()`` and ``go_back()`` where the table decides.  Who has an agreement already
goes from identification to their plan instead of to what they owe: that choice is the identify
screen's (it knows what it found), and both steps are named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .screens.agent import AgentScreen
from .screens.base import KioskScreen
from .screens.complaint import ComplaintDoneScreen, ComplaintScreen
from .screens.confirm import ConfirmScreen
from .screens.done import DoneScreen
from .screens.identify import IdentifyScreen
from .screens.owe import OweScreen
from .screens.plan import PlanScreen
from .screens.plans import PlansScreen
from .screens.printing import PrintScreen
from .screens.situation import SituationScreen
from .screens.staff import StaffScreen
from .screens.unavailable import UnavailableScreen
from .screens.welcome import WelcomeScreen
from .steps import Step


@dataclass(frozen=True, slots=True)
class StepRule:
    """One row of the table: the screen class, and the steps "next" and "Back" lead to (None: none)."""

    screen: type[KioskScreen]
    next: Step | None = None
    back: Step | None = None


FLOW: dict[Step, StepRule] = {
    Step.WELCOME: StepRule(WelcomeScreen, next=Step.IDENTIFY),
    Step.IDENTIFY: StepRule(IdentifyScreen, next=Step.OWE),
    Step.OWE: StepRule(OweScreen, next=Step.SITUATION),
    Step.PLAN: StepRule(PlanScreen),
    Step.SITUATION: StepRule(SituationScreen, next=Step.PLANS, back=Step.OWE),
    Step.PLANS: StepRule(PlansScreen, next=Step.CONFIRM, back=Step.SITUATION),
    Step.CONFIRM: StepRule(ConfirmScreen, next=Step.PRINT, back=Step.PLANS),
    Step.PRINT: StepRule(PrintScreen),
    Step.DONE: StepRule(DoneScreen),
    Step.AGENT: StepRule(AgentScreen),
    Step.COMPLAINT: StepRule(ComplaintScreen, next=Step.COMPLAINT_DONE, back=Step.OWE),
    Step.COMPLAINT_DONE: StepRule(ComplaintDoneScreen),
    Step.STAFF: StepRule(StaffScreen),
    Step.UNAVAILABLE: StepRule(UnavailableScreen),
}


def screen_for(step: Step, *args: Any) -> KioskScreen:
    """A fresh screen for ``step`` (screens are never kept), built with ``args``."""
    return FLOW[step].screen(*args)


def step_of(screen: object) -> Step | None:
    """The step ``screen`` shows (None for a screen that is not in the table)."""
    for step, rule in FLOW.items():
        if type(screen) is rule.screen:
            return step
    return None


def next_step(step: Step) -> Step:
    """Where "next" goes from ``step``; a step without one is a programming error."""
    following = FLOW[step].next
    if following is None:
        raise LookupError(f"the kiosk's step {step} has no next step")
    return following


def back_step(step: Step) -> Step:
    """Where "Back" goes from ``step``; a step without one is a programming error."""
    before = FLOW[step].back
    if before is None:
        raise LookupError(f"the kiosk's step {step} has no step before it")
    return before


__all__ = ["FLOW", "StepRule", "back_step", "next_step", "screen_for", "step_of"]
