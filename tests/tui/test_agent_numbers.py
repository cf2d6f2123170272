"""The console's fields read numbers by the one rule (calc.numerals): a decimal comma is refused beside the
field in the console's language, never read as a hundred times the amount."""

from __future__ import annotations

import pytest

from installment_tui.agent.screens.profile import ProfileScreen
from installment_tui.agent.terms_form import TermsForm
from installment_tui.widgets.field import ValidatedField

from agent_helpers import SIZE, make_app, open_account, settle, text_of


@pytest.mark.parametrize("lang,words", [("en", "a point for decimals"), ("zh_CN", "小数用小数点")])
async def test_profile_amounts_with_a_decimal_comma_are_marked(db, lang, words):
    app = make_app(db, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0002")
        await pilot.press("f3")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProfileScreen)
        savings = form.query_one("#field-savings", ValidatedField)
        savings.value = "12,50"
        adults = form.query_one("#field-adults", ValidatedField)
        adults.value = "١"
        await pilot.pause()
        assert words in text_of(savings.query_one(".field--message"))
        assert text_of(adults.query_one(".field--message")).startswith("✘")
        versions = len(app.session.store.profiles("DEMO-0002"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProfileScreen) and len(app.session.store.profiles("DEMO-0002")) == versions


@pytest.mark.parametrize("lang,words", [("en", "write 12.50"), ("zh_CN", "小数用小数点"), ("zh_TW", "小數用小數點")])
async def test_negotiation_fields_refuse_a_decimal_comma(db, lang, words):
    app = make_app(db, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        form = ws.query_one(TermsForm)
        form.field("pay").value = "12,50"
        await settle(app, pilot)
        assert words in text_of(form.field("pay").query_one(".field--message"))
        assert ws.negotiated.offer is None and "pay" in ws.negotiated.errors
