"""Snapshots of the agent console's main screens at a fixed size, in zh_CN and en.

Deterministic: a fixed demo seed, a fixed day (2026-12-01) and a fixed store clock.
Update with ``pytest tests/tui/test_agent_snapshots.py --snapshot-update`` after a
deliberate change of the look (and look at the SVGs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from installment_tui.agent.terms_form import TermsForm

from agent_helpers import SIZE, make_app, make_db, open_account, still


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "demo.db", accounts=12)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_search_screen(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def run_before(pilot):
        await pilot.pause()
        still(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_workspace_with_negotiated_offer(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def run_before(pilot):
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("pay").value = "1500"
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_workspace_beyond_authority(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def run_before(pilot):
        ws = await open_account(app, pilot, "DEMO-0003")
        ws.query_one(TermsForm).field("pay").value = "2000"
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_profile_form_with_errors(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def run_before(pilot):
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#field-adults").value = "0"
        app.screen.query_one("#field-spending-food").value = "abc"
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_schedule_zh_cn(snap_compare, db):
    app = make_app(db, lang="zh_CN")

    async def run_before(pilot):
        await open_account(app, pilot, "DEMO-0002")
        await pilot.press("f4")
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_export_preview_zh_cn(snap_compare, db):
    app = make_app(db, lang="zh_CN", out=Path("out"))  # the folder is shown: keep it the same

    async def run_before(pilot):
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f6")
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_supervisor_queue_en(snap_compare, db):
    # an agent saves DEMO-0003 over 60 months (beyond an agent's authority: it waits for approval), with the
    # calls the workspace makes for Ctrl+S on the terms it negotiated; the screens are test_agent_flows'
    agent = make_app(db).session
    agent.open("DEMO-0003")
    offer = agent.negotiate(agent.draft.with_field("months", "60")).offer
    assert offer is not None and agent.needs_approval(offer)
    agent.save(offer)
    agent.store.close()
    app = make_app(db, role="supervisor", user="li.supervisor")

    async def run_before(pilot):
        await pilot.press("f10")
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
