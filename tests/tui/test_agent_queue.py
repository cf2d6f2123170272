"""Agent console flows around the supervisor's approval queue: escalation and approval, rejection
with a reason (kept when the dialog is closed with Esc), and an approval made in another console."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from installment_tui.agent.screens.queue import QueueScreen
from installment_tui.agent.terms_form import TermsForm
from plans.store import open_store

from agent_helpers import SIZE, cell_texts, make_app, open_account, settle, text_of


async def test_offer_beyond_authority_goes_to_the_queue_and_a_supervisor_approves(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("months").value = "60"
        await pilot.pause()
        offer = ws.negotiated.offer
        assert offer.authority == "supervisor"
        assert ws.check_action("mark", ("offered",)) is None  # cannot be offered before approval
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.session.store.get_offer(offer.id).status == "needs_approval"
        assert "approval queue" in text_of(ws.query_one("#status", Static))
        await pilot.press("f10")
        await pilot.pause()
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        assert queue.check_action("decide", ("approved",)) is None  # an agent may not approve
        await pilot.press("a")
        await pilot.pause()
        assert app.session.store.get_offer(offer.id).status == "needs_approval"
    sup = make_app(db, role="supervisor", user="li.supervisor")
    async with sup.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        queue = sup.screen
        table = queue.query_one("#queue", DataTable)
        table.move_cursor(row=table.get_row_index(offer.id))
        await pilot.pause()
        row = cell_texts(table)[table.cursor_row]
        assert row[1] == "DEMO-0001" and row[3] == "60" and row[5] == "supervisor" and row[6] == "wang.agent"
        assert "60 months is beyond the 48 months" in text_of(queue.query_one("#queue-details", Static))
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"ok per hardship", "enter")
        await settle(sup, pilot)
        rec = sup.session.store.get_offer(offer.id)
        assert rec.status == "approved" and rec.actor == "li.supervisor"
        assert offer.id not in [r.id for r in sup.session.store.supervisor_queue()]
        entry = sup.session.store.audit_log("offer", offer.id)[-1]
        assert entry.action == "offer.approved" and entry.after["reason"] == "ok per hardship"


async def test_supervisor_rejection_needs_a_reason(db):
    sup = make_app(db, role="supervisor", user="li.supervisor")
    async with sup.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        offer_id = sup.screen.current.id  # the demo data's DEMO-0003 offer waits in the queue
        assert sup.screen.current.account_ref == "DEMO-0003"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # no reason given
        await pilot.pause()
        assert "A reason is needed" in text_of(sup.screen.query_one("#status", Static))
        await pilot.press(*"income too low", "enter")
        await settle(sup, pilot)
        assert sup.session.store.get_offer(offer_id).status == "rejected"


async def test_a_reason_closed_with_escape_is_kept_for_the_next_try(db):
    sup = make_app(db, role="supervisor", user="li.supervisor")
    async with sup.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        offer_id = sup.screen.current.id
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"income too", "escape")
        await pilot.pause()
        assert sup.session.store.get_offer(offer_id).status == "needs_approval"
        await pilot.press("r")
        await pilot.pause()
        assert sup.screen.query_one("#reason", Input).value == "income too"
        await pilot.press(*" low", "enter")
        await settle(sup, pilot)
        assert sup.session.store.get_offer(offer_id).status == "rejected"
        assert sup.session.reason_drafts == {}


async def test_an_approval_from_another_console_shows_when_the_agent_comes_back_to_the_account(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("months").value = "60"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        offer = ws.negotiated.offer
        assert ws.check_action("mark", ("offered",)) is None  # waiting for approval
        supervisor = open_store(db, actor="li.supervisor", role="supervisor", existing=True)
        supervisor.set_offer_status(offer.id, "approved", reason="ok")  # in another console
        supervisor.close()
        await pilot.press("f10")  # the agent looks at the queue, and comes back
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ws and ws.check_action("mark", ("offered",)) is True
        assert "approved" in text_of(ws.query_one("#history", Static))


async def test_a_decided_offer_leaves_the_queue_for_the_recently_decided_list(db):
    """Issue 14, item 5: why an offer was rejected and who decided stays in view after it leaves the queue:
    the latest decision first, with who, when (local time with its zone) and why."""
    sup = make_app(db, role="supervisor", user="li.supervisor")
    async with sup.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        offer_id = sup.screen.current.id
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"income too low", "enter")
        await settle(sup, pilot)
        screen = sup.screen
        assert isinstance(screen, QueueScreen) and offer_id not in [r.id for r in screen.records]
        decided = screen.query_one("#decided", DataTable)
        first = cell_texts(decided)[0]
        assert first[1] == "DEMO-0003" and first[2] == "rejected" and first[3] == "li.supervisor"
        assert first[0] == "2026-12-01 09:30 UTC+8" and first[4] == "income too low"
        assert decided.rows and list(decided.rows)[0].value == offer_id
        assert "Recently decided: " in text_of(screen.query_one("#decided-title"))
