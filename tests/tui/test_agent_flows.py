"""Agent console flows with run_test() and a Pilot: search, profile, offers, negotiation, saving,
export, notes and language (the approval queue is in test_agent_queue.py).  Values are mostly set directly (fast); a few
paths press the keys an agent would."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from installment_tui.agent.screens.export import ExportScreen
from installment_tui.agent.screens.notes import NotesScreen
from installment_tui.agent.screens.profile import ProfileScreen
from installment_tui.agent.screens.schedule import ScheduleScreen
from installment_tui.agent.screens.search import SearchScreen
from installment_tui.agent.screens.workspace import NEGOTIATED, WorkspaceScreen
from installment_tui.agent.terms_form import TermsForm
from installment_tui.widgets.field import ValidatedField
from installment_tui.widgets.offers_table import OffersTable
from plans.summary.amounts import runs_text
from plans.summary.model import runs_of

from agent_helpers import SIZE, cell_texts, make_app, open_account, settle, text_of


async def test_search_by_reference_name_and_phone_last_four(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        results = screen.query_one("#results", DataTable)
        for query, ref in (
            ("DEMO-0003", "DEMO-0003"),
            ("张伟", "DEMO-0001"),
            ("0004", "DEMO-0004"),
            ("emily", "DEMO-0002"),
        ):
            screen.query_one("#query", Input).value = query
            await pilot.pause()
            refs = [row[0] for row in cell_texts(results)]
            assert ref in refs, (query, refs)
        screen.query_one("#query", Input).value = "no such debtor"
        await pilot.pause()
        assert results.row_count == 0
        assert "No account matches" in text_of(screen.query_one("#status", Static))
        # typed, as on a call: the name, then Enter opens the first match
        screen.query_one("#query", Input).value = ""
        await pilot.click("#query")
        await pilot.press(*"DEMO-0002", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.session.account.ref == "DEMO-0002"
        assert "DEMO-0002" in text_of(app.screen.query_one("#account-strip", Static))
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


async def test_workspace_shows_debt_history_and_ranked_offers(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        strip = text_of(ws.query_one("#account-strip", Static))
        assert "Days overdue 127" in strip and "CN¥56,603.77" in strip
        debt = cell_texts(ws.query_one("#debt", DataTable))
        assert ["Penalty interest", "1,893.40", "—"] in debt  # the title names the currency
        assert debt[-1][:2] == ["Total", "56,603.77"]
        assert text_of(ws.query_one("#debt-title")) == "Debt by bucket (CNY)"
        offers = cell_texts(ws.query_one(OffersTable))
        kinds = [r[0] for r in offers]
        assert "Standard plan" in kinds and "Lowest payment" in kinds
        # every row: months, installment, verdict, authority, down payment, total, last due date, APR
        assert all(len(r) == 9 for r in offers)
        verdicts = {r[3] for r in offers}
        assert "✔ affordable" in verdicts and "✘ unaffordable" in verdicts  # told apart by symbol and word
        assert any(r[4] == "⇧ supervisor" for r in offers)  # beyond the agent's authority, marked
        picture = text_of(ws.query_one("#budget"))
        assert "Income CN¥10,320.00" in picture and "Other debts CN¥800.00" in picture


async def test_negotiation_recomputes_every_figure_and_explains_authority(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        form = ws.query_one(TermsForm)
        form.field("pay").value = "1500"
        await pilot.pause()
        offer = ws.negotiated.offer
        assert offer.months == 38 and offer.installment <= 150000 and offer.verdict == "affordable"
        table = ws.query_one(OffersTable)
        assert table.current_key == NEGOTIATED
        assert cell_texts(table)[0][:2] == ["▶ As negotiated", "38"]
        assert "set by the payment" in text_of(form.field("months").query_one(".field--message"))
        # what if we waive all the interest: beyond the agent, with the reason
        form.field("waive.interest").value = "100%"
        await pilot.pause()
        offer = ws.negotiated.offer
        assert offer.authority == "supervisor" and offer.escalation
        details = str(ws.query_one("#details").text)
        assert "Needs supervisor approval" in details
        assert "Waiving 100% of Interest is above the 20% this role may grant." in details
        debt = cell_texts(ws.query_one("#debt", DataTable))
        assert ["Interest", "5,120.37", "5,120.37"] in debt
        # a payment no term fits: says so and what would make it fit
        form.field("waive.interest").value = ""
        form.field("pay").value = "200"
        await pilot.pause()
        details = str(ws.query_one("#details").text)
        assert "No term up to 60 months fits that payment" in details
        assert "What would make it fit:" in details
        # bad values: the message is beside the field, nothing typed is lost
        form.field("pay").value = ""
        form.field("months").value = "7x"
        form.field("tiers").value = "six of 200"
        await pilot.pause()
        months = form.field("months")
        assert months.has_class("-invalid") and "whole number of months" in text_of(months.query_one(".field--message"))
        assert form.field("tiers").has_class("-invalid")
        assert months.value == "7x" and app.session.draft.tiers == "six of 200"
        # step tiers and months typed with keys
        form.field("tiers").value = "6x1000"
        months.value = ""
        months.input.focus()
        await pilot.press("3", "6")
        await pilot.pause()
        offer = ws.negotiated.offer
        assert offer.months == 36 and offer.terms.tiers == ((6, 100000),)
        assert offer.plan.installments[0].amount == 100000


async def test_choosing_an_offer_copies_its_terms_and_opens_the_schedule(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        table = ws.query_one(OffersTable)
        table.focus()
        lowest = next(o for o in app.session.offers if o.kind == "lowest_payment" and o.months == 48)
        table.move_cursor(row=table.get_row_index(lowest.id))
        await pilot.press("enter")
        await pilot.pause()
        assert ws.query_one(TermsForm).field("months").value == "48"
        assert ws.negotiated.offer.months == 48
        assert ws.negotiated.offer.headline == lowest.headline
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ScheduleScreen)
        rows = cell_texts(app.screen.query_one("#schedule", DataTable))
        assert len(rows) == 48 and rows[0][1] == "2027-01-01" and rows[-1][5] == "CN¥0.00"
        await pilot.press("escape")
        assert app.screen is ws


async def test_saving_offering_and_accepting_an_offer(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("pay").value = "1900"
        await pilot.pause()
        offer = ws.negotiated.offer
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        rec = app.session.store.get_offer(offer.id)
        assert rec.status == "draft" and rec.kind == "negotiated" and rec.actor == "wang.agent"
        assert "Offer saved (draft)." in text_of(ws.query_one("#status", Static))
        await pilot.press("f7")
        await settle(app, pilot)
        assert app.session.store.get_offer(offer.id).status == "offered"
        await pilot.press("f8")
        await settle(app, pilot)
        assert app.session.store.get_offer(offer.id).status == "accepted"
        agreements = app.session.store.agreements("DEMO-0001")
        assert len(agreements) == 1 and agreements[0].active
        history = text_of(ws.query_one("#history", Static)).splitlines()
        # (saved the same second as the demo offers: the history lists them in id order)
        at = history.index("2026-12-01 As negotiated · accepted")
        runs = runs_text(runs_of(offer.plan.amounts), app.t, lambda v: app.fmt.money(v, "CNY"))
        assert history[at + 1] == f"   {runs}"  # its installments as the summaries word them
        ag = agreements[0].id
        assert f"2026-12-01 Agreement {ag} · current" in history
        # with the agreement in force, another offer is neither saved nor accepted until the agent re-plans
        other = app.session.offers[0]
        ws.query_one(OffersTable).move_cursor(row=ws.query_one(OffersTable).get_row_index(other.id))
        await pilot.pause()
        assert ws.check_action("mark", ("accepted",)) is None and ws.check_action("save", ()) is None
        await pilot.press("f8")
        await settle(app, pilot)
        assert len(app.session.store.agreements("DEMO-0001")) == 1
        assert "Ctrl+N" in text_of(ws.query_one("#agreement-strip", Static))
        assert app.is_running


async def test_export_pdf_html_receipt_and_sms(db, tmp_path):
    out = tmp_path / "exports"
    app = make_app(db, lang="zh_CN", out=out)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f6")
        await pilot.pause()
        export = app.screen
        assert isinstance(export, ExportScreen)
        receipt = text_of(export.query_one("#receipt-preview", Static))
        assert "DEMO" in receipt or "分期" in receipt
        assert "条短信" in text_of(export.query_one("#sms-length", Static))
        for key in ("p", "h", "r", "s"):
            await pilot.press(key)
            await settle(app, pilot)
        names = sorted(p.name for p in out.iterdir())
        assert [n.rsplit(".", 1)[-1] for n in names] == ["html", "pdf", "txt", "txt"]
        pdf = next(p for p in out.iterdir() if p.suffix == ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF")
        assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left
        actions = [e.action for e in app.session.store.audit_log("offer")]
        assert actions.count("summary.export") == 4


async def test_profile_form_validates_beside_each_field_and_saves_a_new_version(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0002")
        versions = len(app.session.store.profiles("DEMO-0002"))
        await pilot.press("f3")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProfileScreen)
        adults = form.query_one("#field-adults", ValidatedField)
        adults.value = "0"
        food = form.query_one("#field-spending-food", ValidatedField)
        food.value = "12.345"
        recovery = form.query_one("#field-recovery_date", ValidatedField)
        recovery.value = "2020-13-01"
        after = form.query_one("#field-income_after_recovery", ValidatedField)
        after.value = "9000"
        await pilot.pause()
        assert "a whole number from 1 to 20" in text_of(adults.query_one(".field--message"))
        assert "an amount such as 1200" in text_of(food.query_one(".field--message"))
        assert "a date as YYYY-MM-DD" in text_of(recovery.query_one(".field--message"))
        recovery.value = ""  # an income after recovery needs the date it is expected from
        await pilot.pause()
        assert "recovery date" in text_of(after.query_one(".field--message"))
        recovery.value = "2020-13-01"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProfileScreen)  # not saved, still open
        assert "3 fields need fixing" in text_of(form.query_one("#status", Static))
        after.value = ""
        assert len(app.session.store.profiles("DEMO-0002")) == versions
        # closing keeps what was typed
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.query_one("#field-spending-food", ValidatedField).value == "12.345"
        app.screen.query_one("#field-adults", ValidatedField).value = "2"
        app.screen.query_one("#field-spending-food", ValidatedField).value = "1800"
        app.screen.query_one("#field-recovery_date", ValidatedField).value = "2027-09-01"
        app.screen.query_one("#field-income-salary", ValidatedField).value = "9,800.00"
        app.screen.query_one("#field-income_after_recovery", ValidatedField).value = "12,000.00"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is ws
        latest = app.session.store.latest_profile("DEMO-0002")
        assert latest.version == versions + 1
        p = latest.profile
        assert p.adults == 2 and dict(p.spending)["food"] == 180000 and dict(p.income)["salary"] == 980000
        assert str(p.recovery_date) == "2027-09-01" and p.income_after_recovery == (("expected", 1200000),)
        assert f"Profile saved as version {versions + 1}" in text_of(ws.query_one("#status", Static))
        assert app.session.case.profile == p  # the offers are computed on the new profile
        assert all(o.assessment.budget_now.income == 980000 for o in app.session.offers if o.kind != "settlement")


async def test_call_notes_are_saved_and_unsaved_text_is_kept(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0005")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("ctrl+s")  # empty: refused where it happens
        await settle(app, pilot)
        assert "is empty" in text_of(app.screen.query_one("#status", Static))
        app.screen.query_one(TextArea).text = "Debtor lost job in October; <b>[red]"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text.startswith("Debtor lost job")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        notes = app.session.store.notes("DEMO-0005")
        assert [n.text for n in notes] == ["Debtor lost job in October; <b>[red]"]
        await pilot.press("escape")
        await pilot.pause()
        assert "[red]" in text_of(ws.query_one("#last-notes", Static))  # shown as typed, not as markup


async def test_language_switches_live_and_keeps_what_was_typed(db):
    app = make_app(db, lang="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).field("pay").value = "1500"
        await pilot.pause()
        assert "逾期天数" in text_of(ws.query_one("#account-strip", Static))
        assert cell_texts(ws.query_one(OffersTable))[0][0] == "▶ 协商方案"
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "zh_TW"
        assert "逾期天數" in text_of(ws.query_one("#account-strip", Static))
        assert ws.query_one(TermsForm).field("months").label == "期數"
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "en"
        assert cell_texts(ws.query_one(OffersTable))[0][0] == "▶ As negotiated"
        assert ws.query_one(TermsForm).field("pay").value == "1500"
        assert ws.negotiated.offer.months == 38


async def test_errors_are_shown_where_they_happen_and_the_console_goes_on(db, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the export folder should be")
    app = make_app(db, out=blocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportScreen) and app.is_running
        status = text_of(app.screen.query_one("#status", Static))
        assert "✘ Could not write " in status and "not-a-folder: File exists" in status
        assert "Error" not in status  # said in words, not as an exception class name
        assert blocked.read_text().startswith("a file")


async def test_an_empty_database_says_how_to_load_accounts(tmp_path):
    app = make_app(tmp_path / "empty.db")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "installment import FILE.csv" in text_of(app.screen.query_one("#status", Static))


async def test_an_account_the_policy_cannot_serve_still_opens(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0004")  # JPY, the default policy is for CNY
        assert isinstance(ws, WorkspaceScreen) and app.session.offers == []
        assert "Total debt ¥1,360,700" in text_of(ws.query_one("#account-strip", Static))
        assert "policy written for JPY" in text_of(ws.query_one("#status", Static))
        assert "policy written for JPY" in str(ws.query_one("#details").text)
        assert ws.check_action("save", ()) is None


async def test_a_reopened_profile_marks_the_bad_values_it_kept_and_f2_works_in_dialogs(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0002")
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#field-adults", ValidatedField).value = "x"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        adults = app.screen.query_one("#field-adults", ValidatedField)
        assert adults.value == "x" and adults.has_class("-invalid")
        assert "a whole number from 1 to 20" in text_of(adults.query_one(".field--message"))
        await pilot.press("f2")  # a dialog hides the app's keys; the language key is repeated there
        await pilot.pause()
        assert app.lang == "zh_CN" and isinstance(app.screen, ProfileScreen)
        assert "1 到 20" in text_of(adults.query_one(".field--message")) and adults.value == "x"
        assert adults.label == "成年人数"


async def test_long_field_messages_and_verdict_words_are_shown_whole(db):
    from installment_tui.widgets.verdict import VerdictBadge

    app = make_app(db, lang="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        badge = ws.query_one(VerdictBadge)
        await pilot.press("f2", "f2")  # zh_CN -> zh_TW -> en: the badge widens for the longer word
        await pilot.pause()
        assert badge.content_region.width >= len(str(badge.render()))
        ws.query_one(TermsForm).field("months").value = "99"
        await pilot.pause()
        message = ws.query_one(TermsForm).field("months").query_one(".field--message", Static)
        text = text_of(message)
        assert "from 1 to 60" in text
        needed = message.get_content_height(message.container_size, app.size, message.content_region.width)
        assert message.content_region.height >= needed >= 3


async def test_an_80x24_terminal_keeps_the_negotiation_fields_readable(db):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        assert ws.has_class("-small")
        form = ws.query_one(TermsForm)
        for name in ("pay", "months", "down", "first_due", "tiers"):
            assert form.field(name).input.content_region.width >= 7, name  # "1500.00" shows whole
        assert form.field("pay").region.y == form.field("months").region.y != form.field("first_due").region.y


@pytest.mark.parametrize("lang", ["en", "zh_TW"])
async def test_every_column_of_the_debt_and_offers_tables_fits_at_160x48(db, lang):
    app = make_app(db, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        for table in (ws.query_one(OffersTable), ws.query_one("#debt", DataTable)):
            assert table.virtual_size.width <= table.scrollable_content_region.width, table.id
        assert "CNY" in text_of(ws.query_one("#debt-title"))
