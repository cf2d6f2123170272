"""Real offers from plans.offers saved in the store, read back, reproduced, and turned into agreements."""

from __future__ import annotations

from datetime import date

import pytest

from plans.demo_data import documented_cases
from plans.offers import generate_offers, offer_document, rebuild
from plans.policy import default_policy
from plans.store import open_store

START = date(2026, 12, 1)


@pytest.fixture(scope="module")
def policy():
    return default_policy()


@pytest.fixture
def store(db):
    s = open_store(db, actor="agent.li", role="agent")
    s.upsert_accounts([(c.account, c.profile) for c in documented_cases()])
    yield s
    s.close()


def offers_for(store, ref, policy):
    acc = store.get_account(ref)
    latest = store.latest_profile(ref)
    return generate_offers(
        acc.case(START, latest.profile if latest else None), policy, "agent", include_escalations=True
    )


@pytest.mark.parametrize("ref", ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0005"])
def test_saved_offers_keep_inputs_and_figures_and_reproduce(store, policy, ref):
    offers = offers_for(store, ref, policy)
    assert offers
    for offer in offers:
        rec = store.save_offer(offer, status="offered" if offer.within_authority else "needs_approval")
        assert (rec.id, rec.account_ref, rec.kind, rec.policy_version) == (offer.id, ref, offer.kind, policy.version)
        again = store.get_offer(offer.id)
        assert again.inputs == offer.inputs and list(again.inputs["terms"]["waivers"]) == list(
            offer.inputs["terms"]["waivers"]
        )  # key order kept: offer ids depend on it
        assert again.headline == offer_document(offer)
        assert offer_document(rebuild(again.inputs, policy)) == again.headline
        assert store.save_offer(offer).status == rec.status  # the same offer again: the one record


def test_sixty_month_case_waits_for_a_supervisor_then_becomes_an_agreement(store, policy):
    sixty = [o for o in offers_for(store, "DEMO-0003", policy) if o.months == 60]
    assert len(sixty) == 1 and sixty[0].authority == "supervisor"
    store.save_offer(sixty[0], status="needs_approval")
    assert [o.id for o in store.supervisor_queue()] == [sixty[0].id]
    store.as_actor("boss.wang", "supervisor").set_offer_status(sixty[0].id, "approved")
    agreement = store.create_agreement(sixty[0].id)
    assert agreement.terms["headline"]["months"] == 60 and agreement.terms["policy_version"] == policy.version
    assert [a.active for a in store.agreements("DEMO-0003")] == [True]
    assert store.verify_audit().intact
