"""The kiosk for a debtor who already has a plan (Pilot): what is paid, what is due next, anything
overdue, a statement to print; a broken plan sends them to an agent in words that blame no one.
Snapshots of the plan screen at 80x24 and the kiosk's size, in zh_CN and en."""

from __future__ import annotations

import re

import pytest

from db_templates import set_up_once
from kiosk_helpers import SIZE, identify, make_app, screen_text, store_clock, wait_for_screen

from installment_tui.kiosk.screens.agent import AgentScreen
from installment_tui.kiosk.screens.plan import PlanScreen
from plans.demo_data import add_demo_servicing, generate, servicing_accounts
from plans.store import open_store

SMALL = (80, 24)
CASES = {sc.status: c.account for sc, c in servicing_accounts(generate(24, 2025))}


def who(status: str) -> tuple[str, str, str]:
    a = CASES[status]
    return a.ref, a.id_last4, a.birth_date.isoformat()


def agreements_in_every_status(path) -> None:
    store = open_store(path, actor="test", role="system", clock=store_clock)
    cases = generate(24, 2025)
    store.upsert_accounts([c.account for c in cases], profiles={c.account.ref: c.profile for c in cases if c.profile})
    add_demo_servicing(store, cases)
    store.close()


db = set_up_once(agreements_in_every_status, backends=("sqlite",))


@pytest.fixture
def spool(tmp_path):
    return tmp_path / "spool"


async def to_plan(app, pilot, status: str, lang_key: str = "3") -> PlanScreen:
    await pilot.press(lang_key)
    await pilot.pause()
    await identify(app, pilot, who(status))
    assert isinstance(app.screen, PlanScreen)
    return app.screen


async def test_a_plan_in_arrears_shows_what_is_paid_due_and_overdue(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(app, pilot, "in_arrears")
        text = screen_text(app)
        assert "CN¥31,534.28 of CN¥113,523.33" in text and "5 of 18" in text
        assert "Overdue now" in text and "CN¥12,613.70" in text
        assert "CN¥6,306.85 by December 15, 2026" in text
        assert "Part of your plan is overdue." in text
        assert not app.screen.query("#next")  # never a second plan here


async def test_printing_a_statement(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_plan(app, pilot, "in_grace")
        app.screen.query_one("#print").press()
        await pilot.pause()
        await screen.wait_printed()
        await pilot.pause()
        assert "Please take your statement." in screen_text(app)
        printed = list(spool.iterdir())
        assert len(printed) == 1
        body = printed[0].read_text(encoding="utf-8")
        assert "Agreement statement" in body and "in grace period" in body and "Remaining schedule" in body
        assert CASES["in_grace"].ref not in body and CASES["in_grace"].ref[-4:] in body  # masked
        actions = [e.action for e in app.store.audit_log("agreement")]
        assert "kiosk.statement_printed" in actions


@pytest.mark.parametrize("status", ["broken", "cancelled"])
async def test_an_ended_plan_sends_them_to_an_agent_without_blame(db, spool, status):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(app, pilot, status)
        text = screen_text(app)
        assert app.screen.focused.id == "agent"  # the first thing offered
        assert not re.search(r"\byou (failed|did not|didn't|missed)\b", text, re.IGNORECASE)
        if status == "broken":
            assert "some installments were not paid in full in time" in text
            assert "An agent can look at your situation now and make a new plan with you." in text
        app.screen.query_one("#agent").press()
        await wait_for_screen(app, pilot, AgentScreen)
        assert isinstance(app.screen, AgentScreen)
        entry = app.store.audit_log("account", CASES[status].ref)[-1]
        assert entry.action == "kiosk.referred" and entry.after == {"why": f"plan {status}"}


async def test_a_paid_off_plan_says_so(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(app, pilot, "completed")
        text = screen_text(app)
        assert "This plan is paid off. Thank you." in text and "kept for you" in text  # the 50.00 credit


async def test_chinese_words_on_the_plan_screen(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(app, pilot, "broken", lang_key="1")
        text = screen_text(app)
        assert "您的还款计划" in text and "未能按时足额偿还" in text and "联系客服人员" in text


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang,key", [("zh_CN", "1"), ("en", "3")])
@pytest.mark.parametrize("status", ["in_arrears", "broken"])
def test_plan_screen_snapshot(snap_compare, db, spool, lang, key, status, size):
    app = make_app(db, spool)

    async def run_before(pilot):
        from textual.widgets import Button

        await to_plan(app, pilot, status, key)
        for button in app.screen.query(Button):
            button.remove_class("-active")
        app.tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
