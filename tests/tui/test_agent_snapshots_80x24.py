"""Snapshots of the agent console's main screens at 80x24, in zh_CN and en (issue 14: every screen
usable at 80x24 with nothing essential off-screen).  Update with ``--snapshot-update`` after a
deliberate change of the look, and look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from installment_tui.agent.screens.agreement import AgreementScreen
from installment_tui.agent.terms_form import TermsForm

from agent_helpers import make_app, make_db, open_account, settle, show_for_account

SIZE = (80, 24)
LANGS = ["zh_CN", "en"]


def still(app) -> None:
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "demo.db", accounts=12)


def shot(snap_compare, app, steps) -> bool:
    async def run_before(pilot):
        await pilot.pause()
        await steps(pilot)
        await settle(app, pilot)
        still(app)
        await pilot.pause()

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_signin(snap_compare, db, lang):
    from installment_tui.agent.app import AgentApp
    from plans.store import open_store

    from agent_helpers import POLICY, TODAY, store_clock

    app = AgentApp(
        open_store(db, actor="x", role="agent", clock=store_clock),
        POLICY,
        None,
        lang,
        today=TODAY,
        load_user_keymap=False,
    )

    async def steps(pilot):
        pass

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_search(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def steps(pilot):
        pass

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_workspace(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def steps(pilot):
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("pay").value = "1500"
        await pilot.pause()

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_history_with_a_rejected_offer(snap_compare, db, lang):
    """The history pane (scrolled into view) of an account whose offer a supervisor rejected."""
    from plans.store import open_store

    from agent_helpers import store_clock

    store = open_store(db, actor="li.supervisor", role="supervisor", clock=store_clock)
    waiting = store.supervisor_queue()[0]
    store.set_offer_status(waiting.id, "rejected", "income too low")
    store.close()
    app = make_app(db, lang=lang)

    async def steps(pilot):
        ws = await open_account(app, pilot, waiting.account_ref)
        ws.query_one("#history").scroll_visible(animate=False)
        await pilot.pause()

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_profile_form_with_an_error(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def steps(pilot):
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#field-adults-input").value = "②"
        await pilot.pause()

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_notes(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def steps(pilot):
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f5")
        await pilot.pause()
        # what typing it leaves (typing into the notes, key by key, is test_agent_first_use's)
        app.screen.query_one("#note").insert(
            "Debtor asked to call back after 18:00 on Friday; income resumes in March."
        )

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_agreement(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def steps(pilot):  # F11 in DEMO-0002's workspace (test_agent_servicing goes there so)
        screen = await show_for_account(app, pilot, "DEMO-0002", lambda session: AgreementScreen())
        assert screen.session.agreement is not None

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_export_preview(snap_compare, db, lang, monkeypatch):
    # The title names the folder the files go to: a relative one, so the picture does not depend on where
    # the machine keeps temporary files.
    monkeypatch.chdir(db.parent)
    app = make_app(db, lang=lang, out=Path("out"))

    async def steps(pilot):
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("ctrl+o", "f6")
        await pilot.pause()

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_quit_with_unsaved_work(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def steps(pilot):
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("months").value = "24"
        await pilot.pause()
        await pilot.press("ctrl+q")

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_offers_table_in_focus(snap_compare, db, lang):
    """The offers scrolled into view (Ctrl+O): the compact columns, every verdict and authority on screen."""
    app = make_app(db, lang=lang)

    async def steps(pilot):
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("ctrl+o")
        await pilot.pause()

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_schedule(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def steps(pilot):
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("ctrl+o", "f4")
        await pilot.pause()

    assert shot(snap_compare, app, steps)


@pytest.mark.parametrize("lang", LANGS)
def test_approvals_queue_with_a_recent_decision(snap_compare, db, lang):
    from plans.store import open_store

    from agent_helpers import store_clock

    store = open_store(db, actor="li.supervisor", role="supervisor", clock=store_clock)
    waiting = store.supervisor_queue()[0]
    store.set_offer_status(waiting.id, "rejected", "income too low")
    store.close()
    app = make_app(db, role="supervisor", lang=lang, user="li.supervisor")

    async def steps(pilot):
        await pilot.press("f10")
        await pilot.pause()

    assert shot(snap_compare, app, steps)
