"""A step plan's installments on screen say their runs, in the words the summaries use (issue 14, item 6):
the console's reasons panel and the kiosk's card both call ``plans.summary.amounts.runs_text``."""

from __future__ import annotations

from datetime import date

import pytest

from installment_tui.agent import present
from installment_tui.i18n import ui_translator
from installment_tui.kiosk.offer_words import sentence
from calc.errors import InstallmentError
from plans.demo_data import documented_cases
from plans.text.formatting import formats
from plans.offers import generate_offers
from plans.policy import default_policy
from plans.summary import from_offer
from plans.summary.amounts import installments_text

POLICY = default_policy()
TODAY = date(2026, 12, 1)


def step_offers():
    for demo in documented_cases():
        yield from (o for o in _offers(demo) if o.terms.tiers)


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW", "en"])
def test_step_plans_say_their_runs_as_the_summaries_do(lang):
    f = formats(lang)
    offers = list(step_offers())
    assert offers
    for offer in offers:
        summary = from_offer(offer, POLICY)
        words = installments_text(summary, ui_translator("agent", lang), f)
        assert "," in words or "，" in words  # more than one run
        panel = present.details(offer, ui_translator("agent", lang), f, lang).plain
        assert words in panel, (words, panel)
        card = sentence(offer, ui_translator("kiosk", lang), f)
        assert installments_text(summary, ui_translator("kiosk", lang), f) in card, card


# -- the workspace's history of saved offers -------------------------------------------------------------


def _record(offer, policy_version=None):
    """``offer`` as the store keeps it (an OfferRecord), saved under ``policy_version`` when given."""
    from plans.offers import offer_document
    from plans.store.records import OfferRecord

    inputs = dict(offer.inputs)
    if policy_version is not None:
        inputs["policy_version"] = policy_version
    return OfferRecord(
        offer.id, offer.case.ref, offer.kind, "draft", offer.authority, inputs.get("policy_version", ""),
        offer.currency, inputs, offer_document(offer), "2026-12-01T01:00:00+00:00", "2026-12-01T01:00:00+00:00", "a",
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW", "en"])
def test_a_saved_offer_says_its_installments_truly(lang):
    """A saved offer's history line: its runs as the summaries word them when its record can be made again;
    under another policy version a level plan is still ``amount x N`` (its four headline figures agree), a
    step plan only what its record holds, the number of installments and the largest, never ``N x largest``."""
    f, t = formats(lang), ui_translator("agent", lang)
    offers = list(step_offers())
    assert offers
    for offer in offers:
        money = lambda v, cur=offer.currency: f.money(v, cur)
        runs = installments_text(from_offer(offer, POLICY), t, f)
        assert present.saved_installments_text(_record(offer), POLICY, t, money) == runs
        other = present.saved_installments_text(_record(offer, "1999.1"), POLICY, t, money)
        largest = money(offer.headline.largest_installment)
        assert other == t("{months} installments, up to {amount}", months=offer.headline.months, amount=largest)
        assert str(offer.headline.months) in other and largest in other and other != runs
    level = next(o for d in documented_cases() for o in _offers(d) if len(set(o.plan.amounts)) == 1)
    money = lambda v: f.money(v, level.currency)
    expected = t("{amount} x {count}", amount=money(level.plan.amounts[0]), count=level.headline.months)
    assert present.saved_installments_text(_record(level, "1999.1"), POLICY, t, money) == expected


def _offers(demo):
    try:
        return generate_offers(demo.account.case(TODAY, demo.profile), POLICY, "supervisor", include_escalations=True)
    except InstallmentError:
        return []


async def test_the_history_of_a_saved_step_offer_says_its_runs(db):
    """Pilot: save a step offer in the console; its history line is its runs, not months x largest."""
    from agent_helpers import SIZE, make_app, open_account, settle, text_of
    from installment_tui.widgets.offers_table import OffersTable

    app = make_app(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        for demo in documented_cases():
            ws = await open_account(app, pilot, demo.account.ref)
            step = next((o for o in app.session.offers if o.terms.tiers), None)
            if step is not None:
                break
            await pilot.press("escape")
            await pilot.pause()
        assert step is not None
        table = ws.query_one(OffersTable)
        table.move_cursor(row=table.get_row_index(step.id))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.session.store.get_offer(step.id) is not None  # (the demo data may have saved it already)
        money = lambda v: app.fmt.money(v, step.currency)
        runs = installments_text(from_offer(step, app.session.policy), app.t, app.fmt)
        history = text_of(ws.query_one("#history")).splitlines()
        assert f"   {runs}" in history, history
        largest = money(step.headline.largest_installment)
        assert f"   {step.headline.months} × {largest}" not in history
