"""Snapshots of the agent console's main screens at a fixed size, in zh_CN and en.

Deterministic: a fixed demo seed, a fixed day (2026-12-01) and a fixed store clock.
Update with ``pytest tests/tui/test_agent_snapshots.py --snapshot-update`` after a
deliberate change of the look (and look at the SVGs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from installment_tui.agent.terms_form import TermsForm

from agent_helpers import SIZE, make_app, make_db, open_account, settle, still


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
    agent = make_app(db)

    async def save_escalation():
        async with agent.run_test(size=SIZE) as pilot:
            ws = await open_account(agent, pilot, "DEMO-0003")
            ws.query_one(TermsForm).field("months").value = "60"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(agent, pilot)

    import asyncio

    asyncio.run(save_escalation())
    app = make_app(db, role="supervisor", user="li.supervisor")

    async def run_before(pilot):
        await pilot.press("f10")
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
