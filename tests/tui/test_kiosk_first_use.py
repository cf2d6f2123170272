"""What a first-time debtor hit at the kiosk (issue 14): each item reproduced with Pilot."""

from __future__ import annotations

import pytest
from kiosk_helpers import (
    SITUATION,
    WANG,
    identify,
    make_app,
    make_db,
    screen_text,
    start_at,
)

from installment_tui.kiosk.offer_words import title, waived_total
from installment_tui.kiosk.screens.confirm import ConfirmScreen
from installment_tui.kiosk.screens.owe import OweScreen
from installment_tui.kiosk.screens.plans import PlansScreen
from installment_tui.kiosk.screens.printing import PrintScreen
from installment_tui.kiosk.steps import Step
from plans.text.formatting import formats

SMALL = (80, 24)


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "kiosk.db")


@pytest.fixture
def spool(tmp_path):
    return tmp_path / "spool"


# -- 8. every kiosk sentence is true ------------------------------------------------------------------
async def test_debt_screen_waivers_are_what_the_plans_waive(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SMALL) as pilot:
        await start_at(app, pilot, Step.OWE)
        assert isinstance(app.screen, OweScreen)
        text = screen_text(app)
        assert "at most" not in text and "Waived in the plans here" in text
        offers = app.session._kiosk_offers()
        most = max(sum(o.plan.waived.values()) for o in offers)
        f = formats("en")
        assert f.money(most, "CNY") in text
        penalty = app.session.account.debt.penalty_interest  # the policy's kiosk limit would waive half of it
        assert f.money(penalty // 2, "CNY") not in text


async def test_only_plans_the_budget_carries_are_offered_and_the_rest_are_explained(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_at(app, pilot, Step.PLANS)  # the standard plan would be more than this budget allows
        assert isinstance(app.screen, PlansScreen)
        s = app.session
        assert s.offers and all(o.verdict in ("affordable", "tight") for o in s.offers)
        assert "More than your budget allows" not in screen_text(app)
        everything = s._kiosk_offers()
        hidden = [o for o in everything if o.verdict == "unaffordable"]
        assert hidden and s.hidden == len(hidden)
        assert "1 more plan is not shown: your budget could not carry it." in screen_text(app)


async def test_settlement_sentence_says_what_is_waived(db, spool):
    app = make_app(db, spool)
    rich = dict(SITUATION, savings="80000")
    async with app.run_test(size=(120, 40)) as pilot:
        await start_at(app, pilot, Step.PLANS, who=WANG, answers=rich)
        settlement = next(o for o in app.session.offers if o.kind == "settlement")
        text = screen_text(app)
        assert "the rest of your debt is waived" not in text
        f = formats("en")
        assert f"{f.money(waived_total(settlement), 'CNY')} is waived and your debt is settled" in text
        assert waived_total(settlement) == sum(settlement.plan.waived.values())


async def test_receipt_names_the_plan_as_its_card_and_claims_no_approval(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_at(app, pilot, Step.CONFIRM, choice=0)
        offer = app.session.offers[0]
        assert isinstance(app.screen, ConfirmScreen) and app.session.chosen is offer
        app.screen.query_one("#agree").value = True
        await pilot.pause()
        app.screen.query_one("#accept").press()
        await pilot.pause()
        assert isinstance(app.screen, PrintScreen)
        receipt = app.session.receipt
        assert title(offer, app.t) in receipt
        assert "Approval needed" not in receipt


# -- 6. references are compared as the debtor means them ------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "demo-0005",
        " DEMO-0005 ",
        "DEMO - 0005",
        "ＤＥＭＯ－０００５",
        "demo－0005",
        "Demo‐0005",
        "ｄｅｍｏ－　０００５",
    ],
)
async def test_reference_case_spaces_and_full_width_forms_are_the_same_account(db, spool, typed):
    app = make_app(db, spool)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await identify(app, pilot, (typed, WANG[1].lower(), WANG[2]))
        assert app.session.account is not None and app.session.account.ref == "DEMO-0005"


async def test_lockout_counts_per_normalised_reference(db, spool):
    from plans.store.kiosk import MAX_FAILURES

    app = make_app(db, spool)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("3")
        await pilot.pause()
        for typed in ["demo-0005", "DEMO-0005", "ｄｅｍｏ-0005", " DEMO - 0005", "Demo-0005"][:MAX_FAILURES]:
            await identify(app, pilot, (typed, "0000", WANG[2]))
        text = screen_text(app)
        assert "locked after too many tries" in text
        await identify(app, pilot, WANG)  # the right details, but the account is locked for now
        assert app.session.account is None


# -- 7. the agree step: state without colour, an obvious keyboard path, Back to the chosen plan ------------
async def test_agree_step_keyboard_path_and_visible_tick(db, spool):
    from installment_tui.kiosk.widgets import TickBox

    app = make_app(db, spool)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_at(app, pilot, Step.PLANS)
        assert len(app.session.offers) >= 2
        app.screen.query_one("#choose-1").press()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        box = screen.query_one("#agree", TickBox)
        assert "✔" not in box._button.plain
        screen.query_one("#accept").press()  # not ticked yet: says what to do, agrees to nothing
        await pilot.pause()
        assert "Please tick the box first" in screen_text(app) and app.session.agreement_id is None
        assert app.focused is box
        await pilot.press("space")  # ticks it, and the next step has the focus
        await pilot.pause()
        await pilot.pause()
        assert box.value and "✔" in box._button.plain and app.focused.id == "accept"
        box.value = False
        await pilot.pause()
        assert "✔" not in box._button.plain
        screen.query_one("#back").press()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen) and app.session.agreement_id is None
        assert app.focused is not None and app.focused.id == "choose-1"


async def test_tab_from_the_tick_reaches_agree_and_print(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_at(app, pilot, Step.CONFIRM)
        app.screen.query_one("#agree").focus()
        await pilot.press("tab")
        assert app.focused.id == "accept"
        await pilot.press("shift+tab", "enter", "enter")  # tick, then agree
        await pilot.pause()
        assert isinstance(app.screen, PrintScreen)


# -- 10. the kiosk at 80x24: every field and the step's button above the footer --------------------------
async def test_identify_step_fits_80x24(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("3")
        await pilot.pause()
        footer_top = app.screen.query_one(".footer").region.y
        for widget in ("#ref", "#last4", "#birth", "#continue"):
            assert app.screen.query_one(widget).region.bottom <= footer_top, widget


async def test_staff_pin_keypad_offers_only_digits(db, spool):
    from installment_tui.kiosk.widgets import KeyButton

    app = make_app(db, spool)
    async with app.run_test(size=(120, 40)) as pilot:
        from installment_tui.kiosk.screens.staff import StaffScreen
        from installment_tui.kiosk.steps import Step

        app.goto(Step.STAFF)
        await pilot.pause()
        assert isinstance(app.screen, StaffScreen)
        names = {k.name for k in app.screen.query(KeyButton)}
        assert "X" not in names and "-" not in names and {str(d) for d in range(10)} <= names
