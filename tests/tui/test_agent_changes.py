"""Consoles see each other's changes: an approval or a new offer made in another console (another
store on the same database) shows in an agent's open queue and workspace without a key press,
on SQLite (PRAGMA data_version) and on PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Static

from installment_tui.agent.screens.queue import QueueScreen
from installment_tui.agent.terms_form import TermsForm
from plans.store import open_store

from agent_helpers import SIZE, make_app, make_db, open_account, settle, store_clock, text_of

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"])


@pytest.fixture
def shared_db(backend, tmp_path, request):
    if backend == "sqlite":
        return make_db(tmp_path / "demo.db")
    return make_db(request.getfixturevalue("pg_server").new_database())


async def until(pilot, check, seconds: float = 5.0) -> float:
    """Wait (the app running) until ``check()`` holds; how long it took.  The console checks every
    second, so it takes up to about two; the limit here allows for a loaded test machine."""
    began = time.monotonic()
    while not check():
        assert time.monotonic() - began < seconds, "the other console's change never showed"
        await pilot.pause(0.1)
    return time.monotonic() - began


async def test_an_approval_in_another_console_shows_in_the_open_workspace_and_queue(shared_db, tmp_path):
    app = make_app(shared_db, out=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("months").value = "60"
        await pilot.pause()
        offer = ws.negotiated.offer
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert ws.check_action("mark", ("offered",)) is None  # waiting for a supervisor
        supervisor = open_store(shared_db, actor="li.supervisor", role="supervisor", clock=store_clock)
        supervisor.set_offer_status(offer.id, "approved", reason="ok")  # in another console, no key pressed here
        await until(pilot, lambda: ws.check_action("mark", ("offered",)) is True)
        assert "approved" in text_of(ws.query_one("#history", Static)).lower()
        await pilot.press("f10")
        await pilot.pause()
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        waiting = {r.id for r in queue.records}
        # another agent escalates an offer: it joins the open queue; a supervisor decides it: it leaves
        other = supervisor.as_actor("zhao.agent", "agent")
        escalated = dict(offer_row(offer, "of-from-zhao"))
        other.save_offer(escalated, status="needs_approval")
        await until(pilot, lambda: "of-from-zhao" in {r.id for r in queue.records})
        supervisor.set_offer_status("of-from-zhao", "rejected", reason="no")
        await until(pilot, lambda: {r.id for r in queue.records} == waiting)
        supervisor.close()


def offer_row(offer, new_id: str) -> dict:
    """A saved offer's fields under another id (another agent's offer on the same account)."""
    return {
        "id": new_id,
        "account_ref": "DEMO-0001",
        "kind": offer.kind,
        "policy_version": "p-1",
        "authority": "supervisor",
        "currency": "CNY",
        "inputs": {"terms": {"months": 60}},
        "headline": {"months": 60},
    }
