"""Shared set-up for the kiosk tests: a demo database, a fake clock, a fixed day, a cheap PIN hash."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone
from pathlib import Path

from installment_tui.kiosk.app import KioskApp
from installment_tui.kiosk.config import KioskConfig, hash_pin
from installment_tui.kiosk.flow import FLOW
from installment_tui.kiosk.steps import Step
from plans.demo_data import documented_cases
from plans.policy import default_policy
from plans.store import open_store
from waiting import until

TODAY = date(2026, 12, 1)
SIZE = (120, 40)
PIN = "246810"
#: A real PBKDF2 hash with few iterations, so tests stay fast.
PIN_HASH = hash_pin(PIN, salt=b"kiosk-test-salt!", iterations=1000)
#: The documented demo identities (plans.demo_data): reference, ID last four, birth date.
ZHANG = ("DEMO-0001", "1234", "1985-03-12")
EMILY = ("DEMO-0002", "5678", "1990-07-04")
WANG = ("DEMO-0005", "802X", "1995-05-20")
KENJI = ("DEMO-0004", "1357", "1982-01-15")
#: A situation that gives DEMO-0001 four kiosk offers (a step plan among them: a new job expected in six
#: months, with a household income of 14,000.00 from then on).
SITUATION = {
    "adults": "2",
    "children": "1",
    "income": "10320",
    "housing": "3500",
    "food": "2100",
    "other_spending": "1400",
    "other_debts": "800",
    "savings": "0",
    "reason": "unemployment",
    "recovery": "6",
    "income_after": "14000",
}


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def store_clock() -> datetime:
    return datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)


def make_db(path: Path) -> Path:
    store = open_store(path, actor="test", role="system", clock=store_clock)
    cases = documented_cases()
    store.upsert_accounts([c.account for c in cases], profiles={c.account.ref: c.profile for c in cases if c.profile})
    store.close()
    return path


def make_app(
    db: Path,
    spool: Path,
    *,
    clock: FakeClock | None = None,
    config: KioskConfig | None = None,
    policy=None,
    fixed_store_clock: bool = True,
    busy_timeout: float | None = None,
    retry: float = 5.0,
) -> KioskApp:
    config = config or KioskConfig(kiosk_id="test-01", spool_dir=str(spool), pin_hash=PIN_HASH)
    store = open_store(
        db,
        actor=config.actor,
        role="kiosk",
        busy_timeout=busy_timeout,
        **({"clock": store_clock} if fixed_store_clock else {}),
    )
    return KioskApp(
        store,
        policy or default_policy(),
        config,
        today=TODAY,
        clock=clock or FakeClock(),
        db_path=db,
        tick=3600,
        retry=retry,
    )


async def identify(app: KioskApp, pilot, who: tuple[str, str, str]) -> None:
    screen = app.screen
    for field, value in zip(("ref", "last4", "birth"), who):
        screen.query_one(f"#{field}").value = value
    screen.query_one("#continue").press()
    await settle(app, pilot)


async def fill_situation(app: KioskApp, pilot, answers: dict[str, str] = SITUATION) -> None:
    from textual.widgets import RadioButton

    from installment_tui.kiosk.screens.situation import SituationScreen

    await wait_for_screen(app, pilot, SituationScreen)  # on a loaded machine it may still be composing
    screen = app.screen
    for _ in range(400):
        if screen.query("#adults") and screen.query("#next"):
            break
        await pilot.pause(0.05)
    for key, value in answers.items():
        if key in ("reason", "recovery"):
            screen.query_one(f"#{key}-{value}", RadioButton).value = True
        else:
            screen.query_one(f"#{key}").value = value
    await pilot.pause()
    screen.query_one("#next").press()
    await settle(app, pilot)


async def settle(app: KioskApp, pilot, timeout: float = 20.0) -> None:
    """Pause until the workers are done and the same screen, mounted, is on top for two pauses in
    a row: what a button press leads to (the next screen, or an error on this one) is then there."""
    import time

    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        now = (id(app.screen), app.screen.is_mounted)
        if now == seen and now[1]:
            return
        seen = now


async def wait_for_screen(app: KioskApp, pilot, screen_class: type, timeout: float = 20.0) -> None:
    """Pause until the current screen is a mounted ``screen_class`` and the workers are done.

    Some screens compute offers while they compose; on a loaded machine one ``pilot.pause()`` is not
    always enough for them to be on the stack.  A screen that does not come fails with what is there.
    """
    await until(
        pilot, lambda: isinstance(app.screen, screen_class) and app.screen.is_mounted, timeout, screen_class.__name__
    )
    await app.workers.wait_for_complete()
    await pilot.pause()


async def to_plans(app: KioskApp, pilot, who: tuple[str, str, str]) -> None:
    """From the welcome screen, in English: identify ``who``, go on past what is owed, answer
    the questionnaire; the visit is then at "choose a plan"."""
    await pilot.press("3")
    await pilot.pause()
    await identify(app, pilot, who)
    await pilot.click("#next")
    await pilot.pause()
    await fill_situation(app, pilot)
    from installment_tui.kiosk.screens.plans import PlansScreen

    await wait_for_screen(app, pilot, PlansScreen)


#: The steps :func:`start_at` can put a visit at, in the order of a visit.
VISIT_STEPS = (
    Step.IDENTIFY,
    Step.OWE,
    Step.AGENT,
    Step.COMPLAINT,
    Step.SITUATION,
    Step.PLANS,
    Step.CONFIRM,
    Step.PRINT,
    Step.DONE,
)


async def start_at(
    app: KioskApp,
    pilot,
    step: Step,
    lang: str = "en",
    who: tuple[str, str, str] = ZHANG,
    answers: dict[str, str] = SITUATION,
    choice: int = 0,
) -> None:
    """Put the kiosk at ``step`` of ``who``'s visit in ``lang`` without walking the screens before it.

    The visit is what the walk would have made of it, by the same calls the screens make (the app's
    ``start_visit``, the session's ``identify``, ``set_situation``, ``make_offers``, ``choose`` and
    ``accept``, the app's ``end_visit``); then the app shows ``step`` from its flow table.  The screens
    before it are never built, so a test of one step pays for that step only.  The walk itself, screen
    by screen, is the flow tests': ``test_happy_path_in_each_language`` walks every step of a plan in
    three languages, ``test_account_in_another_currency_goes_to_an_agent`` and the authority tests go
    to an agent from the debt and the plans, ``test_a_complaint_is_recorded_and_acknowledged`` to a
    complaint from the debt.
    """
    if step not in VISIT_STEPS:
        raise ValueError(f"start_at cannot start a visit at {step}")
    at = VISIT_STEPS.index
    app.start_visit(lang)  # what the welcome screen's language buttons do: the identify step
    session = app.session
    assert session is not None
    if step != Step.IDENTIFY:
        assert session.identify(*who).ok, who
        # as the identify step asks: who has a plan in force sees it (Step.PLAN), and makes no other here
        assert session.agreement() is None, f"{who[0]} has a plan in force: start_at is for making one"
    if at(step) >= at(Step.PLANS):
        session.set_situation(answers)
    if at(step) >= at(Step.CONFIRM):
        session.make_offers()
        session.choose(choice)
    if at(step) >= at(Step.PRINT):
        session.accept(app.config.receipt_width)
    if step == Step.DONE:
        app.end_visit("completed", show_done=True)  # what Finish on the receipt does
    elif step == Step.AGENT:
        app.goto(step, "asked on the debt screen")
    elif step != Step.IDENTIFY:
        app.goto(step)
    await wait_for_screen(app, pilot, FLOW[step].screen)
    if step == Step.PRINT:
        await app.screen.wait_printed()
        await pilot.pause()


def screen_text(app: KioskApp) -> str:
    """Every piece of text on the current screen (statics, labels, buttons, input values, tables)."""
    from rich.console import Console
    from textual.content import Content
    from textual.widgets import Button, Input, Static

    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Static):
            content = widget.content
            if isinstance(content, str):
                parts.append(content)
            elif isinstance(content, Content):
                parts.append(content.plain)
            else:
                console.print(content)
    parts.append(console.export_text())
    return "\n".join(parts)
