"""What a first-time user hit in the agent console (issue 14): each item reproduced with Pilot."""

from __future__ import annotations

import asyncio
import contextlib

from hypothesis import HealthCheck, given, settings, strategies as st
from textual.worker import WorkerFailed

from installment_tui.agent.screens.profile import ProfileScreen
from installment_tui.agent.screens.quit import QuitScreen
from installment_tui.agent.screens.workspace import WorkspaceScreen
from installment_tui.agent.terms_form import TermsForm
from installment_tui.widgets.field import ValidatedField
from plans.store import open_store

from agent_helpers import make_app, make_db, open_account, settle, text_of

SMALL = (80, 24)


# -- 1. no input may raise; an unexpected error keeps the console running -----------------------
async def test_superscript_and_circled_digits_are_refused_in_words(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        form = ws.query_one(TermsForm)
        form.set_value("months", "②")
        await pilot.pause()
        assert "0-9" in str(form.field("months").error)
        await pilot.press("f3")
        await pilot.pause()
        profile = app.screen
        for name in ("adults", "children"):
            profile.query_one(f"#field-{name}-input").value = "²"
            await pilot.pause()
            assert profile.query_one(f"#field-{name}", ValidatedField).error.startswith("✘")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProfileScreen) and "nothing was saved" in text_of(app.screen.query_one("#status"))
    assert app.return_code in (None, 0)


async def test_an_unexpected_error_is_shown_and_the_console_keeps_running(db, monkeypatch):
    def broken(self, *args, **kwargs):
        raise ZeroDivisionError("a bug")

    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).set_value("months", "24")
        await pilot.pause()
        monkeypatch.setattr(WorkspaceScreen, "action_schedule", broken)  # an action run by the app's key loop
        await pilot.press("f4")
        await pilot.pause()
        status = text_of(app.screen.query_one("#status"))
        assert "ZeroDivisionError" in status and "keeps running" in status and app.is_running
        monkeypatch.setattr(ProfileScreen, "build", broken)  # a fault inside a dialog's handler
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "ZeroDivisionError" in text_of(app.screen.query_one("#status"))
        await pilot.press("escape")  # the dialog still answers keys
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.session.draft.months == "24"  # nothing typed was lost
        ws.query_one(TermsForm).set_value("months", "12")  # and the workspace still recomputes
        await pilot.pause()
        assert ws.negotiated.offer is not None and ws.negotiated.offer.months == 12
    assert app.return_code in (None, 0)


async def test_errors_that_keep_coming_stop_the_console_with_status_1(db, monkeypatch):
    from installment_tui.agent import app as app_module

    def broken(self, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(WorkspaceScreen, "action_schedule", broken)
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        for _ in range(app_module.MAX_FAULTS + 1):
            await pilot.press("f4")
            await pilot.pause()
    assert app.return_code == 1


NUMERIC = st.text(
    st.characters(codec="utf-8", categories=("Nd", "No", "Nl", "Zs", "Po", "Sm", "Lo", "Cc", "So")), max_size=6
) | st.text(max_size=6)
TERM_FIELDS = ("pay", "months", "down", "first_due", "tiers", "waive.interest", "waive.principal")
PROFILE_FIELDS = (
    "adults",
    "children",
    "income.salary",
    "savings",
    "other_debt_payments",
    "recovery_date",
    "income_after_recovery",
    "spending.food",
)


ROUND = st.fixed_dictionaries(
    {
        "terms": st.fixed_dictionaries(dict.fromkeys(TERM_FIELDS, NUMERIC)),
        "profile": st.fixed_dictionaries(dict.fromkeys(PROFILE_FIELDS, NUMERIC)),
    }
)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(ROUND, min_size=6, max_size=6))
def test_any_unicode_in_every_numeric_field_never_raises(db_templates, tmp_path_factory, rounds):
    """Each example types six rounds of arbitrary text into every numeric field of the terms and the
    profile (one app per example, to keep it quick), saving each time: nothing may raise."""
    db = db_templates.copy(make_db, "sqlite", tmp_path_factory.mktemp("unicode"), None)

    async def run() -> None:
        app = make_app(db)
        async with app.run_test(size=SMALL) as pilot:
            ws = await open_account(app, pilot, "DEMO-0004")
            form = ws.query_one(TermsForm)
            for r in rounds:
                for name, text in r["terms"].items():
                    form.set_value(name, text)
                await pilot.pause()
                for name in TERM_FIELDS:  # each field is fine or says what is wrong
                    assert form.field(name).error is None or form.field(name).error.startswith("✘")
                await pilot.press("ctrl+s")
                await settle(app, pilot)
            for r in rounds:
                if not isinstance(app.screen, ProfileScreen):  # a valid profile was saved: open it again
                    await pilot.press("f3")
                    await settle(app, pilot)
                for name, text in r["profile"].items():
                    app.screen.query_one(f"#field-{name.replace('.', '-')}-input").value = text
                await pilot.pause()
                await pilot.press("ctrl+s")
                await settle(app, pilot)
                assert app.fault_times == [], "an input raised"
        assert app.return_code in (None, 0)

    asyncio.run(run())


# -- 2. quit asks first when something is unsaved -------------------------------------------------
async def test_quit_with_nothing_unsaved_quits_at_once(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f3")  # opening the profile is not changing it
        await pilot.pause()
        await pilot.press("escape", "ctrl+q")
        await pilot.pause()
    assert not app.is_running and app.return_code in (None, 0)


async def _type_work(app, pilot) -> None:
    ws = await open_account(app, pilot, "DEMO-0001")
    await pilot.press("f5", *"called back at 3pm", "escape", "f3")
    await pilot.pause()
    app.screen.query_one("#field-savings-input").value = "300"
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()
    ws.query_one(TermsForm).set_value("months", "24")
    await pilot.pause()


async def test_quit_lists_unsaved_work_and_cancel_keeps_it(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await _type_work(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        listed = text_of(app.screen.query_one("#quit-list"))
        assert "DEMO-0001: an unsaved call note" in listed
        assert "DEMO-0001: an unsaved hardship profile" in listed
        assert "DEMO-0001: negotiated terms not saved as an offer" in listed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen) and app.is_running
        assert app.session.note_drafts["DEMO-0001"] == "called back at 3pm"


async def test_quit_save_saves_note_profile_and_terms(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await _type_work(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#quit-save")
        await settle(app, pilot)
    assert not app.is_running
    store = open_store(db, actor="t", role="system", existing=True)
    assert store.notes("DEMO-0001")[-1].text == "called back at 3pm"
    assert store.latest_profile("DEMO-0001").profile.savings == 30000
    last = store.offers("DEMO-0001")[-1]
    assert last.kind == "negotiated" and last.headline["months"] == 24


async def test_quit_save_keeps_what_cannot_be_saved_and_stays_open(db):
    app = make_app(db, lang="zh_CN")
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).set_value("months", "99")  # beyond any plan: cannot be saved
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#quit-save")
        await settle(app, pilot)
        assert isinstance(app.screen, QuitScreen) and app.is_running
        assert "✘" in text_of(app.screen.query_one("#quit-list"))
        await pilot.click("#quit-discard")
        await pilot.pause()
    assert not app.is_running


# -- 3. the status keys follow the offer's status ---------------------------------------------------
def _enabled(ws, action, *params) -> bool:
    return ws.check_action(action, params) is True


async def test_status_keys_follow_the_offers_status_and_refusals_name_no_id(db):
    app = make_app(db, lang="zh_CN")
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        await pilot.press("ctrl+o")
        await pilot.pause()
        offer = ws.selected
        assert offer is not None and app.session.record_of(offer) is None
        assert all(_enabled(ws, "mark", s) for s in ("offered", "accepted", "declined")) and _enabled(ws, "save")
        await pilot.press("f7")
        await settle(app, pilot)
        assert app.session.record_of(offer).status == "offered"
        assert not _enabled(ws, "mark", "offered") and not _enabled(ws, "save")  # saved: Ctrl+S has nothing to do
        assert _enabled(ws, "mark", "accepted") and _enabled(ws, "mark", "declined")
        await pilot.press("f9")
        await settle(app, pilot)
        assert app.session.record_of(offer).status == "declined"
        assert not any(_enabled(ws, "mark", s) for s in ("offered", "accepted", "declined"))
        await pilot.press("f7", "f8", "ctrl+s")  # greyed: nothing happens, nothing is claimed
        await settle(app, pilot)
        assert app.session.record_of(offer).status == "declined"
        ws.action_mark("offered")  # reached anyway (e.g. a stale palette entry): refused in the agent's words
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(ws.query_one("#status"))
        assert "不能标记为" in status, status
        assert offer.id not in status and "can become" not in status


# -- 4, 5, 12. panels as tall as their text; why an offer was rejected and by whom; local times -------------
async def test_the_agent_sees_who_rejected_an_offer_and_why_in_local_time(db):
    sup = make_app(db, role="supervisor", user="li.supervisor")
    async with sup.run_test(size=(160, 48)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"income too low", "enter")
        await settle(sup, pilot)
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0003")
        history = text_of(ws.query_one("#history"))
        # the store's clock is 01:30 UTC: 09:30 in the policy's zone (Asia/Shanghai)
        assert "rejected by li.supervisor (supervisor), 2026-12-01 09:30 UTC+8: “income too low”" in history
    zh = make_app(db, lang="zh_CN")
    async with zh.run_test(size=SMALL) as pilot:
        ws = await open_account(zh, pilot, "DEMO-0003")
        history = text_of(ws.query_one("#history"))
        assert "li.supervisor（主管）于 2026-12-01 09:30 UTC+8 已驳回：“income too low”" in history, history


async def test_history_puts_the_agreement_first_and_every_line_is_shown(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0002")  # an account with an agreement in force
        history = ws.query_one("#history")
        assert "Agreement 1" in str(history.render()).lstrip().split("\n")[0]
        assert history.size.height >= len(str(history.render()).rstrip("\n").split("\n"))


async def test_what_would_make_it_fit_is_never_cut_off(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        ws.query_one(TermsForm).set_value("pay", "800")
        await pilot.pause()
        await pilot.pause()
        details = ws.query_one("#details")
        text = details.text
        assert "What would make it fit:" in text.plain and "→" in text.plain
        assert details.content_region.height >= len(text.wrap(app.console, details.content_region.width))


# -- 9. numbers on screen agree with each other and with the currency -----------------------------------
async def test_jpy_account_budget_and_placeholders(db):
    app = make_app(db)
    async with app.run_test(size=(160, 48)) as pilot:
        ws = await open_account(app, pilot, "DEMO-0004")
        assert "profile v1" in str(ws.query_one("#account-strip").render())
        budget = str(ws.query_one("#budget").render())
        assert "No hardship profile yet" not in budget and "Profile v1 is saved" in budget
        form = ws.query_one(TermsForm)
        assert form.field("pay").input.placeholder == "1500" and "." not in form.field("tiers").input.placeholder
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.query_one("#field-savings-input").placeholder == "0"


# -- 10. every screen usable at 80x24 ------------------------------------------------------------------
async def test_80x24_footer_keeps_every_working_key_and_dialogs_fit(db):
    from textual.widgets._footer import FooterKey

    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        await pilot.press("ctrl+o")
        await pilot.pause()
        keys = {k.key: k.region for k in ws.query(FooterKey)}
        for key in ("f7", "f8", "f9", "f10", "ctrl+s"):
            assert key in keys and keys[key].right <= 80 and keys[key].bottom <= 24, (key, keys.get(key))
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.query_one("#notes-box").region.right <= 80
        await pilot.press("escape", "f3")
        await pilot.pause()
        app.screen.query_one("#field-adults-input").value = "x"
        await pilot.pause()
        message = app.screen.query_one("#field-adults .field--message")
        assert message.region.right <= 80 and "✘" in str(message.render())


# -- 11 (regions), 13 (first search screen) ---------------------------------------------------------------
async def test_regions_show_their_translated_labels(db):
    from textual.widgets import DataTable, Select

    app = make_app(db, lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        cells = [
            str(c)
            for row in range(app.screen.query_one("#results", DataTable).row_count)
            for c in app.screen.query_one("#results", DataTable).get_row_at(row)
        ]
        assert "北京" in cells and "beijing" not in cells
        ws = await open_account(app, pilot, "DEMO-0001")
        assert "北京" in str(ws.query_one("#account-strip").render())
        await pilot.press("f3")
        await pilot.pause()
        assert "北京" in str(app.screen.query_one("#region", Select)._options)
        await pilot.press("f2")  # zh_TW
        await pilot.press("f2")  # en
        await pilot.pause()
        assert "Beijing" in str(app.screen.query_one("#region", Select)._options)


async def test_first_search_screen_lists_recent_then_documented_accounts(db):
    from textual.widgets import DataTable

    app = make_app(db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#results", DataTable)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert refs[:5] == ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004", "DEMO-0005"]
        await open_account(app, pilot, "CC-000009")
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#query").value = ""  # the search typed is cleared: the first list again
        await pilot.pause()
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert refs[:2] == ["CC-000009", "DEMO-0001"] and refs.count("CC-000009") == 1


# -- 13. small ones -----------------------------------------------------------------------------------
async def test_small_ones_plural_hint_and_whole_date(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        form = ws.query_one(TermsForm)
        form.set_value("pay", "12,50")  # not readable: the months do not follow it
        await pilot.pause()
        assert "set by the payment" not in str(form.field("months").query_one(".field--message").render())
        form.set_value("pay", "1500")
        await pilot.pause()
        assert "set by the payment" in str(form.field("months").query_one(".field--message").render())
        form.set_value("pay", "")
        form.set_value("first_due", "2027-01-15")
        await pilot.pause()
        box = form.field("first_due").input
        assert box.content_region.width >= len("2027-01-15")
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#field-adults-input").value = "x"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "1 field needs fixing" in text_of(app.screen.query_one("#status"))


# -- 11. language: nothing stays in the other language after F2 -------------------------------------------
async def test_status_line_does_not_stay_in_the_old_language_and_the_palette_is_translated(db):
    app = make_app(db, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        await pilot.press("ctrl+o", "down", "enter")  # "Terms of ... copied into the fields"
        await pilot.pause()
        assert "copied" in text_of(ws.query_one("#status"))
        await pilot.press("f2")
        await pilot.pause()
        assert "copied" not in text_of(ws.query_one("#status"))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "退出" in titles and "Quit" not in titles and "Theme" not in titles
