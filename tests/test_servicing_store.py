"""Servicing against a real SQLite file: accepting with a schedule, payments (one by one and imported),
every transition recorded once, cancellation by a supervisor, breach, re-plans and their chains."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from backend_helpers import Refused, raw_sql

from calc.errors import InvalidInput
from plans.demo_data import documented_cases
from plans.offers import generate_offers
from plans.policy import default_policy
from plans.servicing import Status
from plans.servicing.agreements import (
    accept_offer,
    agreement_schedule,
    bring_up_to_date,
    latest_agreement,
    load_agreement,
    record_payment,
    schedule_of,
)
from plans.servicing.payments_input import import_payments
from plans.store import InvalidTransition, NotAllowed, NotFound, open_store

POLICY = default_policy()
START = date(2026, 1, 15)
TODAY = date(2026, 11, 30)


def clock():
    return datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(db):
    s = open_store(db, actor="agent.li", role="agent", clock=clock)
    s.upsert_accounts([(c.account, c.profile) for c in documented_cases()])
    yield s
    s.close()


def standard(store, ref="DEMO-0001", start=START):
    acc = store.get_account(ref)
    latest = store.latest_profile(ref)
    offers = generate_offers(acc.case(start, latest.profile if latest else None), POLICY, "agent")
    return next(o for o in offers if o.kind == "standard")


def pay_installments(store, agreement_id, offer, numbers):
    for n in numbers:
        i = offer.plan.installments[n - 1]
        record_payment(store, agreement_id, i.due, i.amount, "bank_transfer", f"R-{agreement_id}-{n}")


def test_an_agreement_keeps_its_offers_schedule(store):
    offer = standard(store)
    ag = accept_offer(store, offer)
    saved = store.schedule(ag.id)
    assert saved == schedule_of(offer)
    assert saved.total == offer.total_repayable and saved.installments_total == offer.months
    assert [(t.to_status, t.effective_on) for t in store.transitions(ag.id)] == [("current", START)]
    # a schedule that is not the offer's is refused
    other = standard(store, "DEMO-0002")
    store.save_offer(other, status="offered")
    with pytest.raises(InvalidInput, match="not this offer's schedule"):
        store.create_agreement(other.id, schedule=saved)
    for sql in ("UPDATE agreement_schedules SET total = 1", "DELETE FROM agreement_schedules"):
        with pytest.raises(Refused):
            raw_sql(store, sql)


def test_payments_are_audited_unique_and_append_only(store):
    offer = standard(store)
    ag = accept_offer(store, offer)
    p = record_payment(store, ag.id, date(2026, 2, 15), 12345, "counter", "BANK-1")
    assert (p.agreement_id, p.amount, p.channel, p.actor) == (ag.id, 12345, "counter", "agent.li")
    entry = store.audit_log("payment", str(p.id))[-1]
    assert entry.action == "payment.create" and entry.after["amount"] == 12345
    with pytest.raises(InvalidInput, match="already recorded"):
        record_payment(store, ag.id, date(2026, 2, 16), 1, "counter", "BANK-1")
    with pytest.raises(InvalidInput, match="future"):
        record_payment(store, ag.id, date(2026, 12, 1), 1, "counter", "BANK-2")
    for bad, field in ((0, "amount"), (-5, "amount")):
        with pytest.raises(InvalidInput) as exc:
            store.record_payment(ag.id, date(2026, 2, 1), bad, "counter", "X")
        assert exc.value.field == field
    with pytest.raises(InvalidInput, match="channel"):
        store.record_payment(ag.id, date(2026, 2, 1), 5, "cash", "X")
    with pytest.raises(InvalidInput, match="control"):
        store.record_payment(ag.id, date(2026, 2, 1), 5, "counter", "X\x1b[31m")
    made_up = record_payment(store, ag.id, date(2026, 2, 1), 5, "counter")
    assert made_up.reference.startswith(f"AG{ag.id}-")
    for sql in (
        "UPDATE payments SET amount = 1",
        "DELETE FROM payments",
        "UPDATE payment_batches SET actor = 'x'",
        "DELETE FROM payment_batches",
        "UPDATE agreement_transitions SET to_status = 'broken'",
        "DELETE FROM agreement_transitions",
    ):
        with pytest.raises(Refused):
            raw_sql(store, sql)


def test_import_is_idempotent_and_every_row_is_accounted_for(store, tmp_path):
    offer = standard(store)
    ag = accept_offer(store, offer)
    path = tmp_path / "pay.csv"
    path.write_text(
        "Account_Ref,paid_on,amount,reference,channel\n"
        "DEMO-0001,2026-02-15,100.00,A-1,\n"
        'DEMO-0001,2026-03-15,"1,000.50",A-2,direct_debit\n'
        "DEMO-0003,2026-03-15,10,A-3,\n"  # an account without an agreement
        "NOPE,2026-03-15,10,A-4,\n"  # no such account
        "DEMO-0001,2026-03-15,10,A-1,\n"  # a reference given twice
        "DEMO-0001,2026-03-15,12.345,A-5,\n"  # too many decimals
        "DEMO-0001,2026-03-15,10,A-6,cash\n"  # an unknown channel
        "\n"
        "DEMO-0001,2026-03-15,10\n",
        encoding="utf-8",
    )
    first = import_payments(store, str(path), today=TODAY)
    assert (first.rows, first.recorded, first.already) == (9, 2, 0)
    assert [(r.line, r.reason.split(":")[0]) for r in first.rejects] == [
        (4, "account_ref"),
        (5, "account_ref"),
        (6, "reference"),
        (7, "amount"),
        (8, "channel"),
        (9, "blank line"),
        (10, "columns"),
    ]
    assert first.totals == {"CNY": 10000 + 100050}
    assert first.rows == first.recorded + first.already + len(first.rejects)
    again = import_payments(store, str(path), today=TODAY)
    assert (again.recorded, again.already, len(again.rejects)) == (0, 2, 7)
    assert [p.reference for p in store.payments(ag.id)] == ["A-1", "A-2"]
    # the same reference for another payment is refused, naming the one recorded
    other = tmp_path / "other.jsonl"
    other.write_text(
        '{"account_ref": "DEMO-0001", "paid_on": "2026-04-01", "amount": 5, "reference": "A-1"}\n'
        '{"account_ref": "DEMO-0001", "paid_on": "2026-04-01", "amount": 7.5, "reference": "J-1"}\n',
        encoding="utf-8",
    )
    third = import_payments(store, str(other), today=TODAY)
    assert third.recorded == 1 and "already recorded for another payment" in third.rejects[0].reason
    assert store.payments(ag.id)[-1].amount == 750


def test_breach_is_recorded_once_and_ends_the_agreement(store):
    offer = standard(store)
    ag = accept_offer(store, offer)
    pay_installments(store, ag.id, offer, [1])
    view = load_agreement(store, ag.id, POLICY, TODAY)
    assert view.status is Status.BROKEN and view.replan.after_breach
    added = bring_up_to_date(store, view, POLICY.version)
    assert added >= 3  # in grace, in arrears, broken
    assert bring_up_to_date(store, load_agreement(store, ag.id, POLICY, TODAY), POLICY.version) == 0
    records = store.agreements("DEMO-0001")
    assert [r.kind for r in records] == ["agreement", "breach"] and not records[0].active
    broke = [t for t in store.transitions(ag.id) if t.to_status == "broken"]
    assert len(broke) == 1 and broke[0].record_id == records[1].id and broke[0].effective_on == view.standing.since
    # payments after the breach still count (towards a re-plan)
    pay_installments(store, ag.id, offer, [2])
    again = load_agreement(store, ag.id, POLICY, TODAY)
    assert again.status is Status.BROKEN and again.standing.paid > view.standing.paid


def test_only_a_supervisor_cancels_and_with_a_reason(store):
    ag = accept_offer(store, standard(store))
    with pytest.raises(NotAllowed, match="supervisor"):
        store.cancel_agreement(ag.id, "debtor asked")
    boss = store.as_actor("boss.wang", "supervisor")
    with pytest.raises(InvalidInput, match="say why"):
        boss.cancel_agreement(ag.id, "  ")
    with pytest.raises(InvalidInput, match="future"):
        boss.cancel_agreement(ag.id, "x", on=date(2027, 1, 1))
    rec = boss.cancel_agreement(ag.id, "debtor disputes the balance")
    assert rec.kind == "cancellation" and rec.supersedes == ag.id
    view = load_agreement(store, ag.id, POLICY, TODAY)
    assert view.status is Status.CANCELLED and view.standing.since == TODAY
    entry = store.audit_log("agreement", str(ag.id))[-1]
    assert (entry.action, entry.actor, entry.role) == ("agreement.cancellation", "boss.wang", "supervisor")
    with pytest.raises(InvalidTransition, match="not in force"):
        boss.cancel_agreement(ag.id, "again")
    with pytest.raises(NotFound):
        boss.cancel_agreement(999, "no such")


def test_a_replan_chain_supersedes_both_ways_and_restores_after_a_breach(store):
    offer = standard(store)
    first = accept_offer(store, offer)
    # with an agreement in force a new offer is saved only as its re-plan
    other = standard(store, start=date(2026, 11, 30))
    with pytest.raises(InvalidTransition, match="re-plan"):
        store.save_offer(other, status="offered")
    view = load_agreement(store, first.id, POLICY, TODAY)  # broken: nothing was paid
    bring_up_to_date(store, view, POLICY.version)
    basis = view.replan
    assert basis.needs_supervisor is False and basis.replans_after_breach == 0
    assert basis.debt.late_fees == offer.plan.waived["late_fees"] > 0  # the standard waiver comes back
    assert basis.debt.total == view.standing.outstanding + basis.restored_total
    # the re-plan: an offer for the debt to re-plan, linked to the agreement it replaces
    acc = store.get_account("DEMO-0001")
    from dataclasses import replace

    case = replace(acc.case(TODAY, store.latest_profile("DEMO-0001").profile), debt=basis.debt)
    replan = next(o for o in generate_offers(case, POLICY, "agent") if o.kind == "standard")
    store.save_offer(replan, status="offered", replan_of=first.id)
    second = store.create_agreement(replan.id, "re-plan", schedule=schedule_of(replan))
    assert second.supersedes == first.id and store.successor(first.id) == second.id
    assert load_agreement(store, first.id, POLICY, TODAY).status is Status.SUPERSEDED
    latest = latest_agreement(store, "DEMO-0001", POLICY, TODAY)
    assert latest.id == second.id and latest.status is Status.CURRENT
    # a second re-plan after a breach needs a supervisor under replans_allowed = 1
    later = load_agreement(store, second.id, POLICY, date(2027, 6, 1))
    assert later.status is Status.BROKEN and later.replan.replans_after_breach == 1
    assert later.replan.needs_supervisor
    # an agreement already re-planned is not re-planned twice
    again = standard(store, start=date(2026, 11, 29))
    with pytest.raises(InvalidTransition):
        store.save_offer(again, status="offered", replan_of=first.id)


def test_payments_go_to_the_latest_agreement(store):
    offer = standard(store)
    ag = accept_offer(store, offer)
    assert store.payment_targets() == {"DEMO-0001": (ag.id, "CNY")}
    boss = store.as_actor("boss.wang", "supervisor")
    boss.cancel_agreement(ag.id, "disputed")
    assert store.payment_targets()["DEMO-0001"] == (ag.id, "CNY")  # a cancelled plan's money still counts


def test_an_agreement_made_before_schedules_gets_its_schedule_from_its_offer(store):
    offer = standard(store)
    store.save_offer(offer, status="offered")
    legacy = store.create_agreement(offer.id)  # as before servicing: no schedule
    assert store.schedule(legacy.id) is None
    rec = store.agreement(legacy.id)
    assert agreement_schedule(store, rec, POLICY) == schedule_of(offer)
    assert store.schedule(legacy.id) == schedule_of(offer)  # kept from then on
    import dataclasses

    other_policy = dataclasses.replace(POLICY, version="another-2026")
    legacy2_offer = standard(store, "DEMO-0002")
    store.save_offer(legacy2_offer, status="offered")
    legacy2 = store.create_agreement(legacy2_offer.id)
    with pytest.raises(InvalidInput, match="cannot be computed again"):
        agreement_schedule(store, store.agreement(legacy2.id), other_policy)


def test_an_older_database_gets_its_agreements_history_on_upgrade(tmp_path):
    """A version-4 file (before servicing) with an agreement and its breach: after the upgrade the
    agreement's start and breach are transitions, its schedule is computed from its offer, and it
    is serviced like any other."""
    import json

    from plans.offers import offer_document
    from plans.store import schema
    from plans.store.sqlite import connect

    path = tmp_path / "v4.db"
    with open_store(tmp_path / "scratch.db", clock=clock) as scratch:
        scratch.upsert_accounts([(c.account, c.profile) for c in documented_cases()])
        offer = standard(scratch)
    conn = connect(path)
    schema.migrate(conn, target=4)
    acc = documented_cases()[0].account.as_dict()
    conn.execute(
        "INSERT INTO accounts (ref, name, currency, principal, interest, penalty_interest, late_fees, "
        "annual_fees, created_at, updated_at) VALUES (?, ?, 'CNY', ?, ?, ?, ?, ?, 't', 't')",
        (
            acc["ref"],
            acc["name"],
            acc["principal"],
            acc["interest"],
            acc["penalty_interest"],
            acc["late_fees"],
            acc["annual_fees"],
        ),
    )
    dump = lambda v: json.dumps(v, ensure_ascii=False)
    conn.execute(
        "INSERT INTO offers VALUES (?, ?, ?, 'accepted', 'agent', ?, 'CNY', ?, ?, 't', 't', 'old')",
        (offer.id, acc["ref"], offer.kind, offer.policy_version, dump(offer.inputs), dump(offer_document(offer))),
    )
    terms = {"id": offer.id, "currency": "CNY", "inputs": offer.inputs, "headline": offer_document(offer)}
    conn.execute(
        "INSERT INTO agreements (offer_id, account_ref, kind, created_at, actor, role, terms) "
        "VALUES (?, ?, 'agreement', '2026-01-15T08:00:00+00:00', 'old', 'agent', ?)",
        (offer.id, acc["ref"], dump(terms)),
    )
    conn.execute(
        "INSERT INTO agreements (offer_id, account_ref, kind, supersedes, created_at, actor, role, reason, "
        "terms) VALUES (?, ?, 'breach', 1, '2026-06-01T08:00:00+00:00', 'old', 'agent', 'missed', ?)",
        (offer.id, acc["ref"], dump(terms)),
    )
    conn.close()
    store = open_store(path, clock=clock)
    assert store.backend.migrated_from == 4 and store.backend.schema_version == schema.LATEST
    assert [(t.to_status, t.effective_on.isoformat(), t.record_id) for t in store.transitions(1)] == [
        ("current", "2026-01-15", None),
        ("broken", "2026-06-01", 2),
    ]
    view = load_agreement(store, 1, POLICY, TODAY)
    # nothing was paid: by the rules it broke in April; the breach recorded in June changes nothing
    assert view.status is Status.BROKEN and view.standing.since == date(2026, 4, 21)
    assert store.schedule(1) == schedule_of(offer)  # computed from its offer and kept
    assert store.get_offer(offer.id).replan_of is None
    store.close()
