"""The agent console after the agreement (Pilot): the agreement in force with its schedule marked,
recording a payment, cancelling (a supervisor, with a reason), re-planning from what is still owed
with the restored amounts shown, statements; and snapshots of the new screens.

The demo database carries the seven servicing cases of ``plans.demo_data`` (one agreement in each
status, as of 2026-12-01, the tests' day).
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static

from installment_tui.agent.screens.agreement import AgreementScreen
from installment_tui.agent.screens.payment import PaymentScreen
from plans.demo_data import add_demo_servicing, generate, servicing_accounts
from plans.store import open_store

from agent_helpers import SIZE, TODAY, make_app, make_db, open_account, settle, show_for_account, still, store_clock
from db_templates import set_up_once

SMALL = (80, 24)


def text_of(widget) -> str:
    from rich.text import Text

    content = widget.render()
    return content.plain if isinstance(content, Text) else str(content)


def agreements_in_every_status(path) -> None:
    make_db(path, accounts=24)
    store = open_store(path, actor="test", role="system", clock=store_clock)
    add_demo_servicing(store, generate(24, 2025))
    store.close()


db = set_up_once(agreements_in_every_status, backends=("sqlite",))


def ref_of(status: str) -> str:
    return next(c.account.ref for sc, c in servicing_accounts(generate(24, 2025)) if sc.status == status)


async def open_agreement(app, pilot, status: str) -> AgreementScreen:
    """F11 in the workspace of the account whose agreement is in ``status``."""
    await open_account(app, pilot, ref_of(status))
    await pilot.press("f11")
    await pilot.pause()
    assert isinstance(app.screen, AgreementScreen)
    return app.screen


async def agreement_of(app, pilot, status: str) -> AgreementScreen:
    """The screen :func:`open_agreement` goes to, shown for the account without its workspace under it."""
    screen = await show_for_account(app, pilot, ref_of(status), lambda session: AgreementScreen())
    assert screen.session.agreement is not None  # what F11 in the workspace asks first
    return screen


def cells(table: DataTable) -> list[list[str]]:
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_agreement_in_force_with_its_schedule_marked(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, ref_of("in_arrears"))
        strip = text_of(ws.query_one("#agreement-strip", Static))
        assert "in arrears" in strip and "overdue CN¥12,613.70" in strip and "Ctrl+N" in strip
        # the agreement is in force: no other offer is saved until the agent chooses to re-plan
        assert ws.check_action("save", ()) is None and ws.check_action("mark", ("accepted",)) is None
        await pilot.press("f11")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        head = text_of(screen.query_one("#agreement-head", Static))
        assert "● in arrears" in head and "since October 21, 2026" in head
        figures = text_of(screen.query_one("#agreement-figures", Static))
        assert "Overdue now CN¥12,613.70" in figures and "Missed 2" in figures and "5 of 18" in figures
        states = [row[-1] for row in cells(screen.query_one("#agreement-schedule", DataTable))]
        assert states[:8] == ["paid"] * 5 + ["missed", "missed", "due"]
        pays = cells(screen.query_one("#agreement-payments", DataTable))
        assert pays[-1][1] == "CN¥6,306.88" and any(p[1] == "CN¥12,613.70" for p in pays)  # paid twice in June
        # the schedule's cursor starts on the first installment not paid in full
        assert screen.query_one("#agreement-schedule", DataTable).cursor_row == 5


async def test_recording_a_payment_brings_the_plan_back_to_current(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await agreement_of(app, pilot, "in_arrears")
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PaymentScreen)
        assert dialog.query_one("#paid_on", Input).value == TODAY.isoformat()
        # a decimal comma is refused beside its field, nothing is saved
        await pilot.press(*"12,50")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and dialog.query_one("#amount-row").has_class("-invalid")
        assert "Amount" in text_of(dialog.query_one("#status", Static))
        dialog.query_one("#amount", Input).value = "12613.70"
        dialog.query_one("#reference", Input).value = "BANK-0042"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "● current" in text_of(screen.query_one("#agreement-head", Static))
        assert "Payment recorded: CN¥12,613.70 on December 1, 2026." in text_of(screen.query_one("#status", Static))
        payment = app.session.store.payments(app.session.agreement.id)[-1]
        assert (payment.reference, payment.amount, payment.actor) == ("BANK-0042", 1261370, "wang.agent")
        assert app.session.store.audit_log("payment", str(payment.id))[-1].action == "payment.create"
        # the same reference again is refused where it is typed
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#amount", Input).value = "10"
        app.screen.query_one("#reference", Input).value = "BANK-0042"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.query_one("#reference-row").has_class("-invalid")
        assert "already recorded" in text_of(app.screen.query_one("#status", Static))


async def test_only_a_supervisor_cancels_and_a_reason_is_required(db):
    agent = make_app(db)
    async with agent.run_test(size=SIZE) as pilot:
        screen = await agreement_of(agent, pilot, "current")
        assert screen.check_action("cancel_agreement", ()) is None
        await pilot.press("c")
        await pilot.pause()
        assert agent.screen is screen  # nothing happens for an agent
    boss = make_app(db, role="supervisor", user="li.supervisor")
    async with boss.run_test(size=SIZE) as pilot:
        screen = await agreement_of(boss, pilot, "current")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "A reason is needed to cancel an agreement." in text_of(boss.screen.query_one("#status", Static))
        await pilot.press(*"debtor disputes")
        await pilot.press("enter")
        await settle(boss, pilot)
        assert boss.screen is screen
        assert "● cancelled" in text_of(screen.query_one("#agreement-head", Static))
        entry = boss.session.store.audit_log("agreement", str(boss.session.agreement.id))[-1]
        assert (entry.action, entry.actor, entry.after["reason"]) == (
            "agreement.cancellation",
            "li.supervisor",
            "debtor disputes",
        )


async def test_replanning_a_broken_plan_shows_the_restored_amounts_and_replaces_it(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, ref_of("broken"))
        old = app.session.agreement
        basis = old.replan
        assert basis.after_breach and basis.restored_total > 0
        strip = text_of(ws.query_one("#agreement-strip", Static))
        assert "● broken" in strip and "+ restored" in strip and "Penalty interest" in strip
        assert "Still owed by bucket" in text_of(ws.query_one("#debt-title"))
        # the offers start from the debt to re-plan: what is still owed plus the restored waivers
        assert app.session.case.debt == basis.debt
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Re-planning: accepting an offer replaces agreement" in text_of(ws.query_one("#agreement-strip", Static))
        await pilot.press("ctrl+o")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = app.session.saved[-1]
        assert saved.replan_of == old.id and saved.status == "draft"
        await pilot.press("f8")
        await settle(app, pilot)
        store = app.session.store
        new = [r for r in store.agreements(old.record.account_ref) if r.kind == "agreement"][-1]
        assert new.supersedes == old.id and store.successor(old.id) == new.id
        assert app.session.agreement.id == new.id and str(app.session.agreement.status) == "current"
        assert [t.to_status for t in store.transitions(old.id)][-1] == "superseded"


async def test_a_second_replan_after_a_breach_needs_a_supervisor(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, ref_of("superseded"))  # its re-plan is the account's latest agreement
        view = app.session.agreement
        assert view.replan.replans_after_breach == 1
        # the re-plan breaks later: another re-plan is beyond what an agent may grant (replans_allowed = 1)
        app.session.today = view.schedule.last_due
        app.session.reload_history()
        app.session.rebuild_case()
        assert app.session.agreement.replan.needs_supervisor
        app.session.start_replan()
        offer = app.session.offers[0]
        rec = app.session.save(offer)
        assert rec.status == "needs_approval" and rec.replan_of == view.id


async def test_the_statement_is_written_and_audited(db, tmp_path):
    app = make_app(db, lang="zh_CN", out=tmp_path / "exports")
    async with app.run_test(size=SIZE) as pilot:
        await agreement_of(app, pilot, "in_grace")
        await pilot.press("s")
        await settle(app, pilot)
        files = sorted(p.name for p in (tmp_path / "exports").iterdir())
        ag = app.session.agreement.id
        assert files == [f"statement-{ag}-2026-12-01-zh_CN.pdf", f"statement-{ag}-2026-12-01-zh_CN.txt"]
        text = (tmp_path / "exports" / files[1]).read_text(encoding="utf-8")
        assert "还款协议对账单" in text and "宽限期内" in text and "剩余还款计划" in text
        assert app.session.store.audit_log("agreement", str(ag))[-1].action == "agreement.statement"


async def test_a_paid_off_plan_offers_nothing_more(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, ref_of("completed"))
        assert app.session.offers == [] and "completed" in str(app.session.problem)
        assert "Paid off: nothing is left to plan." in text_of(ws.query_one("#agreement-strip", Static))
        assert ws.check_action("replan", ()) is False


async def test_the_language_switches_on_the_agreement_screen(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(app, pilot, "broken")
        await pilot.press("f2")
        await pilot.pause()
        assert "● 已违约" in text_of(screen.query_one("#agreement-head", Static))
        assert "＋恢复收取" in text_of(screen.query_one("#agreement-replan", Static))


# -- snapshots of the new screens ------------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "160x48"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_agreement_screen(snap_compare, db, lang, size):
    app = make_app(db, lang=lang)

    async def run_before(pilot):
        await agreement_of(app, pilot, "in_arrears")
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "160x48"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_workspace_replanning_a_broken_plan(snap_compare, db, lang, size):
    app = make_app(db, lang=lang)

    async def run_before(pilot):
        await open_account(app, pilot, ref_of("broken"))
        await pilot.press("ctrl+n")
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_payment_dialog(snap_compare, db, lang):
    app = make_app(db, lang=lang)

    async def run_before(pilot):
        await agreement_of(app, pilot, "in_grace")
        await pilot.press("p")
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
