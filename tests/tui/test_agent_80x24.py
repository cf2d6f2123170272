"""An 80x24 terminal (issue 14, item 10): the workspace's essential parts on screen, in every language.

The offers table fits its pane (its verdict and authority columns without scrolling sideways), the debt
table fits the left pane (a waived amount whole), the offers start above the fold, and the footer shows
only keys that work now.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from installment_tui.agent.terms_form import TermsForm
from installment_tui.widgets.offers_table import COMPACT_COLUMNS, OffersTable

from agent_helpers import POLICY, TODAY, make_app, open_account, store_clock

SMALL = (80, 24)
LANGS = ["zh_CN", "zh_TW", "en"]
DOCUMENTED = ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004", "DEMO-0005"]


def fits_across(table: DataTable) -> bool:
    return table.virtual_size.width <= table.scrollable_content_region.width


def essentials_on_screen(table: OffersTable) -> bool:
    """The offer, months, installment, verdict and authority columns without scrolling sideways."""
    shown = table.ordered_columns[: len(COMPACT_COLUMNS)]
    return sum(c.get_render_width(table) for c in shown) <= table.scrollable_content_region.width


@pytest.mark.parametrize("lang", LANGS)
async def test_workspace_tables_fit_at_80x24_and_offers_start_above_the_fold(db, lang):
    app = make_app(db, lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        for ref in DOCUMENTED:
            ws = await open_account(app, pilot, ref)
            form = ws.query_one(TermsForm)
            form.set_value("pay", "1500")
            form.set_value("waive.interest", "50%")  # a waived amount in the debt table
            await pilot.pause()
            offers = ws.query_one(OffersTable)
            assert tuple(c.key.value for c in offers.ordered_columns)[:5] == COMPACT_COLUMNS
            assert essentials_on_screen(offers), (ref, offers.ordered_columns, offers.scrollable_content_region)
            debt = ws.query_one("#debt", DataTable)
            assert fits_across(debt), (ref, debt.virtual_size, debt.scrollable_content_region)
            if ref == "DEMO-0001":  # interest owed, half of it waived: the waived amount is on screen, whole
                assert any("−" in str(row[1]) for row in (debt.get_row_at(i) for i in range(debt.row_count)))
            # the offers' header and first row are on screen when the account opens (an agreement strip
            # and a field's message take rows too), the rest one Ctrl+O away
            main = ws.query_one("#ws-main")
            assert offers.region.y + 2 <= main.region.bottom, (ref, offers.region, main.region)
            await pilot.press("escape")
            await pilot.pause()


async def test_wide_terminal_keeps_every_column(db):
    app = make_app(db)
    async with app.run_test(size=(160, 48)) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        offers = ws.query_one(OffersTable)
        assert not offers.compact and len(offers.ordered_columns) == 9
        assert essentials_on_screen(offers)


def shown_keys(screen) -> set[str]:
    return {k.key for k in screen.query(FooterKey)}


async def test_80x24_footer_shows_only_keys_that_work_now(db):
    from installment_tui.agent.app import AgentApp
    from plans.store import open_store

    app = AgentApp(
        open_store(db, actor="x", role="agent", clock=store_clock),
        POLICY,
        None,
        "en",
        today=TODAY,
        load_user_keymap=False,
    )
    async with app.run_test(size=SMALL) as pilot:
        for _ in range(50):  # the footer is built after the screen: wait for it, not for one pause
            await pilot.pause()
            if keys := shown_keys(app.screen):
                break
        assert "f10" not in keys and "f2" in keys  # nobody signed in: no approval queue yet
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        await pilot.pause()
        for key in ws.query(FooterKey):
            assert not key.has_class("-disabled"), key.key


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
async def test_date_placeholders_are_in_the_consoles_language(db, lang):
    """Issue 14, item 11: no ``YYYY-MM-DD`` in 简体/繁體: the negotiation's first due date and the profile's
    recovery date show the catalog's words, also after F2 switches the language."""
    from installment_tui.agent import texts
    from installment_tui.i18n import ui_translator

    app = make_app(db, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        while app.lang != lang:
            await pilot.press("f2")
            await pilot.pause()
        want = ui_translator("agent", lang)(texts.DATE_PLACEHOLDER)
        assert want != "YYYY-MM-DD"
        assert ws.query_one(TermsForm).field("first_due").input.placeholder == want
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.query_one("#field-recovery_date-input").placeholder == want


@pytest.mark.parametrize("lang", LANGS)
async def test_search_and_queue_tables_fit_at_80x24(db, lang):
    """Every table on the search screen and the approval queue (an offer waiting, then a decided one) shows
    all its columns whole at 80 columns: the columns that do not fit go (``tables.fill``'s ``drop``)."""
    from plans.store import open_store

    def check(app):
        tables = list(app.screen.query(DataTable))
        assert tables
        for table in tables:
            assert fits_across(table), (lang, table.id, table.virtual_size, table.scrollable_content_region)

    for decided in (False, True):
        if decided:
            store = open_store(db, actor="li.supervisor", role="supervisor", clock=store_clock)
            store.set_offer_status(store.supervisor_queue()[0].id, "rejected", "income too low")
            store.close()
        app = make_app(db, role="supervisor", lang=lang, user="li.supervisor")
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            check(app)  # the search screen
            await pilot.press("f10")
            await pilot.pause()
            await pilot.pause()
            assert len(list(app.screen.query(DataTable))) == 2
            check(app)
