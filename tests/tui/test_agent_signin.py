"""Signing in to the agent console: the role comes from the user's account; the audit names who signed in."""

from __future__ import annotations

import pytest
from db_templates import set_up_once
from textual.widgets import Input, Static

from installment_tui.agent.app import AgentApp
from installment_tui.agent.screens import signin
from installment_tui.agent.screens.queue import QueueScreen
from installment_tui.agent.screens.search import SearchScreen
from installment_tui.agent.screens.signin import SignInScreen
from plans.demo_data import DEMO_PASSWORD, add_demo_users
from plans.store import open_store

from agent_helpers import POLICY, SIZE, TODAY, make_db, settle, store_clock, text_of


@pytest.fixture(autouse=True)
def no_wait(monkeypatch):
    monkeypatch.setattr(signin, "FAILURE_DELAY", 0)


def five_accounts_and_the_demo_users(path) -> None:
    make_db(path, accounts=5)
    s = open_store(path, actor="test", role="system", clock=store_clock)
    add_demo_users(s)
    s.close()


demo_db = set_up_once(five_accounts_and_the_demo_users, backends=("sqlite",))


def console(db, name: str = "") -> AgentApp:
    store = open_store(db, actor="login.wang", role="agent", clock=store_clock)
    return AgentApp(store, POLICY, None, "en", today=TODAY, load_user_keymap=False, user_name=name)


async def done_checking(app, pilot) -> None:
    """Wait for the sign-in worker (which may fail: a wrong password) and the messages it posts."""
    for _ in range(100):
        await pilot.pause(0.02)
        if not any(w.is_running for w in app.workers):
            break
    await pilot.pause()
    await pilot.pause()


async def sign_in(app, pilot, name: str, password: str) -> None:
    screen = app.screen
    screen.query_one("#signin-name", Input).value = name
    screen.query_one("#signin-password", Input).value = password
    await pilot.pause()
    screen.sign_in()
    await done_checking(app, pilot)


async def test_a_wrong_password_is_refused_without_saying_which_part(demo_db):
    app = console(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen) and app.session is None
        assert "Demo database: sign in as demo.agent, demo.supervisor" in text_of(app.screen.query_one("#signin-hint"))
        await pilot.press("f10")  # nothing before signing in
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await sign_in(app, pilot, "demo.supervisor", "not the password")
        assert isinstance(app.screen, SignInScreen) and app.session is None
        assert "Wrong name or password." in text_of(app.screen.query_one("#status", Static))
        assert app.screen.query_one("#signin-password", Input).value == ""
        await sign_in(app, pilot, "nobody.here", DEMO_PASSWORD)
        assert "Wrong name or password." in text_of(app.screen.query_one("#status", Static))


async def test_an_agent_signs_in_and_cannot_approve(demo_db):
    app = console(demo_db, name="demo.agent")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#signin-name", Input).value == "demo.agent"
        assert app.focused is app.screen.query_one("#signin-password", Input)
        await pilot.press(*DEMO_PASSWORD, "enter")  # typed, as an agent would
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        assert (app.role, app.session.authority, app.session.store.actor) == ("agent", "agent", "demo.agent")
        assert app.sub_title == "Agent console · demo.agent · agent"
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen) and app.screen.records
        assert app.screen.check_action("decide", ("approved",)) is None  # greyed out


async def test_a_supervisor_approves_and_the_audit_names_them(demo_db):
    app = console(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(app, pilot, "demo.supervisor", DEMO_PASSWORD)
        assert app.session.authority == "supervisor"
        await pilot.press("f10")
        await pilot.pause()
        queued = app.screen.records[0]
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        entry = [e for e in app.session.store.audit_log("offer", queued.id) if e.action == "offer.approved"][0]
        assert (entry.actor, entry.role) == ("demo.supervisor", "supervisor")
        signed = [e for e in app.session.store.audit_log("user") if e.action == "user.sign_in"][-1]
        assert (signed.entity_id, signed.actor) == ("demo.supervisor", "login.wang")  # who, at which login


async def test_a_database_without_users_says_how_to_add_one(tmp_path):
    db = make_db(tmp_path / "empty.db", accounts=5)
    app = console(db)
    async with app.run_test(size=SIZE):
        assert "installment users add NAME --role supervisor" in text_of(app.screen.query_one("#signin-hint"))
