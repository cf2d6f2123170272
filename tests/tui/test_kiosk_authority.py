"""Nothing beyond kiosk authority ever reaches the screen; a "talk to an agent" path instead."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk_helpers import (
    wait_for_screen,
    SIZE,
    SITUATION,
    TODAY,
    ZHANG,
    make_app,
    make_db,
    screen_text,
    start_at,
)

from installment_tui.kiosk.screens.agent import AgentScreen
from installment_tui.kiosk.screens.plans import PlansScreen
from installment_tui.kiosk.session import MAX_OFFERS, KioskSession, only_within_kiosk
from installment_tui.kiosk.steps import Step
from plans.text.formatting import formats
from plans.offers import generate_offers
from plans.policy import default_policy
from plans.store import open_store


def kiosk_policy(max_months: int):
    """The default policy with a shorter kiosk term, so some offers need an agent."""
    policy = default_policy()
    kiosk = dataclasses.replace(policy.authorities[0], max_months=max_months)
    return dataclasses.replace(policy, authorities=(kiosk,) + policy.authorities[1:])


def escalations(db, policy):
    store = open_store(db, actor="kiosk:probe", role="kiosk")
    session = KioskSession(store, policy, "en", TODAY)
    assert session.identify(*ZHANG).ok
    session.set_situation(SITUATION)
    every = generate_offers(session.case(), policy, authority="kiosk", include_escalations=True)
    store.close()
    return [o for o in every if o.violations]


def test_only_within_kiosk_drops_every_escalation(tmp_path):
    db = make_db(tmp_path / "k.db")
    policy = kiosk_policy(24)
    out = escalations(db, policy)
    assert {o.authority for o in out} >= {"agent", "supervisor"}
    assert only_within_kiosk(out) == []
    store = open_store(db, actor="kiosk:probe", role="kiosk")
    session = KioskSession(store, policy, "en", TODAY)
    session.identify(*ZHANG)
    session.set_situation(SITUATION)
    every = generate_offers(session.case(), policy, authority="kiosk", include_escalations=True)
    shown = only_within_kiosk(every)
    assert shown and len(shown) <= MAX_OFFERS
    assert all(o.authority == "kiosk" and not o.violations and o.months <= 24 for o in shown)
    store.close()


@pytest.mark.parametrize("max_months", [36, 24])
async def test_offers_needing_more_authority_are_never_shown(tmp_path, max_months):
    db = make_db(tmp_path / "k.db")
    policy = kiosk_policy(max_months)
    hidden = escalations(db, policy)
    assert hidden
    app = make_app(db, tmp_path / "spool", policy=policy)
    async with app.run_test(size=SIZE) as pilot:
        await start_at(app, pilot, Step.PLANS)
        assert isinstance(app.screen, PlansScreen)
        text = screen_text(app)
        shown = app.session.offers
        assert len(app.screen.query(".choose")) == len(shown) <= MAX_OFFERS
        assert all(o.authority == "kiosk" and o.months <= max_months for o in shown)
        money = formats("en").money
        for offer in hidden:
            assert offer.id not in {o.id for o in shown}
            assert money(offer.installment, "CNY") not in text
        assert "Talk to an agent" in text
        app.screen.query_one("#agent").press()
        await wait_for_screen(app, pilot, AgentScreen)
        assert isinstance(app.screen, AgentScreen)
        assert "400-000-0000" in screen_text(app)
    store = open_store(db)
    assert [e.after for e in store.audit_log() if e.action == "kiosk.referred"] == [{"why": "no kiosk plan chosen"}]
    store.close()


async def test_escalations_from_the_generator_are_filtered_out(tmp_path, monkeypatch):
    """Even if offer generation handed the kiosk offers that need an agent, none would be shown."""
    db = make_db(tmp_path / "k.db")
    policy = kiosk_policy(24)
    hidden = escalations(db, policy)
    import installment_tui.kiosk.session as session_module

    monkeypatch.setattr(session_module, "generate_offers", lambda *a, **k: list(hidden))
    app = make_app(db, tmp_path / "spool", policy=policy)
    async with app.run_test(size=SIZE) as pilot:
        await start_at(app, pilot, Step.PLANS)
        assert app.session.offers == []
        assert not app.screen.query(".choose")
        text = screen_text(app)
        assert "No plan can be agreed at this kiosk" in text
        money = formats("en").money
        assert all(money(o.installment, "CNY") not in text for o in hidden)


async def test_a_short_kiosk_term_offers_only_short_plans(tmp_path):
    db = make_db(tmp_path / "k.db")
    app = make_app(db, tmp_path / "spool", policy=kiosk_policy(3))
    async with app.run_test(size=SIZE) as pilot:
        await start_at(app, pilot, Step.PLANS)
        made = app.session._kiosk_offers()
        assert made and all(o.months == 3 and o.authority == "kiosk" for o in made)
        offers = app.session.offers  # of those, only what the budget carries is offered
        assert offers == [o for o in made if o.verdict in ("affordable", "tight")]
        assert len(app.screen.query(".choose")) == len(offers)
