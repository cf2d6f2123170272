"""The store against real databases (a SQLite file, a PostgreSQL server): accounts, profiles, offers,
agreements, notes, paths.  The ``store`` fixture runs each test on both backends."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date

import pytest

from calc.affordability import Profile
from calc.debt import Debt
from calc.errors import InvalidInput
from backend_helpers import Refused, raw_sql
from plans.store import (
    OFFER_STATUSES,
    TRANSITIONS,
    Account,
    InvalidTransition,
    NotAllowed,
    NotFound,
    StoreError,
    default_db_path,
    open_store,
    profile_from_json,
    profile_to_json,
    resolve_db_path,
)


def account(ref="CC-1", principal=1_000_00, **kw) -> Account:
    cur = kw.pop("currency", "CNY")
    return Account(ref, cur, Debt(cur, principal=principal, interest=kw.pop("interest", 50_00)), **kw)


def offer(oid="of-1", ref="CC-1", **kw) -> dict:
    d = {
        "id": oid,
        "account_ref": ref,
        "kind": "standard",
        "policy_version": "p-1",
        "authority": "agent",
        "currency": "CNY",
        "inputs": {"case": {"principal": "1000.00"}, "terms": {"months": 12}},
        "headline": {"months": 12, "regular_installment": "87.50"},
    }
    d.update(kw)
    return d


@pytest.fixture
def store(db):
    s = open_store(db, actor="agent.li", role="agent")
    s.upsert_accounts([account()])
    yield s
    s.close()


def test_new_file_is_wal_with_foreign_keys_and_busy_timeout(tmp_path):
    path = tmp_path / "sub" / "dir" / "new.db"
    s = open_store(path)
    conn = s.backend._conn
    assert path.is_file()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    s.close()


def test_db_path_from_argument_environment_or_per_user_default(tmp_path, monkeypatch):
    monkeypatch.delenv("INSTALLMENT_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "installment" / "installment.db"
    assert resolve_db_path(None) == default_db_path()
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_db_path(None) == tmp_path / "home" / ".local" / "share" / "installment" / "installment.db"
    monkeypatch.setenv("INSTALLMENT_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(tmp_path / "arg.db") == tmp_path / "arg.db"


def test_account_round_trip_and_money_as_integer_minor_units(tmp_path):
    s = open_store(tmp_path / "t.db")
    a = account(
        "CC-9",
        name="张伟",
        id_last4="123X",
        birth_date=date(1985, 3, 12),
        phone="10012345678",
        region="beijing",
        days_overdue=120,
    )
    jpy = account("JP-1", principal=1_250_000, currency="JPY", name="Kenji Watanabe")
    assert s.upsert_accounts([a, jpy]).inserted == 2
    got = s.get_account("CC-9")
    assert got == a and got.masked_id == "**************123X" and got.created_at
    assert s.get_account("JP-1").debt.principal == 1_250_000
    row = s.backend._conn.execute(
        "SELECT principal, typeof(principal), currency FROM accounts WHERE ref = 'CC-9'"
    ).fetchone()
    assert tuple(row) == (1_000_00, "integer", "CNY")
    with pytest.raises(NotFound):
        s.get_account("nope")
    s.close()


def test_find_accounts_by_reference_name_or_phone(store):
    store.upsert_accounts(
        [
            account("CC-2", name="Emily Chen", phone="10055550002"),
            account("CC-30", name="王芳", phone="10066660030"),
            account("X_%", name="100% odd"),
        ]
    )
    assert [a.ref for a in store.find_accounts("CC-")] == ["CC-1", "CC-2", "CC-30"]
    assert [a.ref for a in store.find_accounts("emily")] == ["CC-2"]
    assert [a.ref for a in store.find_accounts("王")] == ["CC-30"]
    assert [a.ref for a in store.find_accounts("1006666")] == ["CC-30"]
    assert [a.ref for a in store.find_accounts("X_%")] == ["X_%"]  # wildcards are literal
    assert store.find_accounts("nobody") == []


def test_unchanged_upsert_writes_nothing_and_changes_are_audited(store):
    before = len(store.audit_log())
    result = store.upsert_accounts([account()])
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 1)
    assert len(store.audit_log()) == before
    assert store.upsert_accounts([account(principal=900_00)]).updated == 1
    last = store.audit_log()[-1]
    assert (last.action, last.entity_id, last.before["principal"], last.after["principal"]) == (
        "account.update",
        "CC-1",
        1_000_00,
        900_00,
    )
    assert (last.actor, last.role) == ("agent.li", "agent")


def test_upsert_is_one_transaction(store):
    def rows():
        yield account("CC-5")
        raise RuntimeError("input broke")

    with pytest.raises(RuntimeError):
        store.upsert_accounts(rows())
    with pytest.raises(NotFound):
        store.get_account("CC-5")


def test_bulk_upsert_mixes_new_changed_repeated_accounts_and_profiles_in_one_chunk(store):
    """The bulk path (two reads per chunk; PostgreSQL copies the new rows in) gives what one row at a
    time would: a reference twice in a chunk, an update between inserts, profiles only when changed."""
    p1, p2 = Profile("CNY", income=(("salary", 5000_00),)), Profile("CNY", income=(("salary", 6000_00),))
    store.save_profile("CC-1", p1)
    items = [
        (account("CC-1", principal=2_000_00), p1),
        (account("CC-2"), p1),
        (account("CC-3"), None),
        (account("CC-2", principal=3_000_00), p2),
        (account("CC-4"), p2),
        (account("CC-4"), p2),
    ]
    result = store.upsert_accounts(items)
    assert (result.inserted, result.updated, result.unchanged, result.profiles_added) == (3, 2, 1, 3)
    assert store.get_account("CC-2").debt.principal == 3_000_00
    assert [v.profile for v in store.profiles("CC-2")] == [p1, p2]
    assert [v.version for v in store.profiles("CC-1")] == [1]
    assert [v.profile for v in store.profiles("CC-4")] == [p2]
    report = store.verify_audit()
    assert report.intact and report.entries == len(store.audit_log("account")) + len(store.audit_log("profile"))
    many = store.upsert_accounts(account(f"BULK-{i:05d}") for i in range(3000))
    assert many.inserted == 3000 and store.count_accounts() == 3004 and store.verify_audit().intact


def test_profiles_are_versioned_never_overwritten(store):
    p1 = Profile(
        "CNY",
        adults=2,
        children=1,
        region="beijing",
        income=(("salary", 9000_00),),
        spending=(("housing", 3000_00), ("food", 1500_00)),
        other_debt_payments=500_00,
        savings=2000_00,
        hardship_reason="illness",
        recovery_date=date(2027, 6, 1),
    )
    p2 = Profile("CNY", income=(("salary", 5000_00),))
    assert store.save_profile("CC-1", p1) == 1
    assert store.save_profile("CC-1", p2) == 2
    assert store.save_profile("CC-1", p1) == 3
    versions = store.profiles("CC-1")
    assert [(v.version, v.profile) for v in versions] == [(1, p1), (2, p2), (3, p1)]
    assert store.latest_profile("CC-1").version == 3
    assert profile_from_json(profile_to_json(p1)) == p1
    with pytest.raises(NotFound):
        store.save_profile("nope", p1)
    for sql in ("UPDATE profiles SET data = '{}'", "DELETE FROM profiles"):
        with pytest.raises(Refused, match="never"):
            raw_sql(store, sql)
    assert [v.profile for v in store.profiles("CC-1")] == [p1, p2, p1]


def test_offer_saved_with_everything_needed_to_reproduce_it(store):
    rec = store.save_offer(offer(), status="offered")
    assert rec.status == "offered"
    again = store.get_offer("of-1")
    assert again.inputs == offer()["inputs"] and again.headline == offer()["headline"]
    assert (again.kind, again.policy_version, again.authority) == ("standard", "p-1", "agent")
    assert store.save_offer(offer(), status="offered") == again  # same id, same contents: idempotent
    with pytest.raises(InvalidInput, match="different contents"):
        store.save_offer(offer(headline={"months": 24}))
    with pytest.raises(NotFound):
        store.save_offer(offer("of-2", ref="missing"))
    with pytest.raises(InvalidInput, match="missing"):
        store.save_offer({"id": "of-3", "account_ref": "CC-1"})
    with pytest.raises(InvalidInput, match="JSON"):
        store.save_offer(offer("of-4", inputs={"x": object()}))
    assert [o.id for o in store.offers("CC-1")] == ["of-1"]


@pytest.mark.parametrize("start", ["draft", "offered", "needs_approval", "approved"])
@pytest.mark.parametrize("target", OFFER_STATUSES)
def test_every_status_change_is_allowed_or_refused_as_the_table_says(db, start, target):
    s = open_store(db, actor="sup", role="supervisor")
    s.upsert_accounts([account()])
    path = {"draft": [], "offered": [], "needs_approval": [], "approved": ["approved"]}[start]
    s.save_offer(offer(), status="needs_approval" if start == "approved" else start)
    for step in path:
        s.set_offer_status("of-1", step)
    if target in TRANSITIONS[start]:
        assert s.set_offer_status("of-1", target, reason="test").status == target
        assert s.get_offer("of-1").status == target
    else:
        with pytest.raises(InvalidTransition):
            s.set_offer_status("of-1", target)
        assert s.get_offer("of-1").status == start
    s.close()


def test_final_statuses_allow_nothing_and_unknown_status_is_refused(store):
    store.save_offer(offer(), status="offered")
    store.set_offer_status("of-1", "declined")
    with pytest.raises(InvalidTransition, match="final"):
        store.set_offer_status("of-1", "offered")
    with pytest.raises(InvalidInput, match="unknown status"):
        store.set_offer_status("of-1", "maybe")


def test_recently_decided_lists_approved_and_rejected_offers_latest_first(store):
    for n in (1, 2, 3):
        store.save_offer(offer(f"of-{n}"), status="needs_approval")
    boss = store.as_actor("boss.wang", "supervisor")
    boss.set_offer_status("of-2", "rejected", "income too low")
    boss.set_offer_status("of-1", "approved")
    assert [o.id for o in store.recently_decided()] == ["of-1", "of-2"]
    assert [o.id for o in store.recently_decided(1)] == ["of-1"]
    store.set_offer_status("of-1", "offered")  # moved on: no longer a decision waiting to be seen
    assert [o.id for o in store.recently_decided()] == ["of-2"]


def test_only_a_supervisor_approves_and_the_queue_lists_waiting_offers(store):
    store.save_offer(offer("of-1"), status="needs_approval")
    store.save_offer(offer("of-2"), status="offered")
    assert [o.id for o in store.supervisor_queue()] == ["of-1"]
    with pytest.raises(NotAllowed):
        store.set_offer_status("of-1", "approved")
    boss = store.as_actor("boss.wang", "supervisor")
    boss.set_offer_status("of-1", "approved")
    assert store.supervisor_queue() == []
    entry = store.audit_log("offer", "of-1")[-1]
    assert (entry.action, entry.actor, entry.role, entry.before, entry.after) == (
        "offer.approved",
        "boss.wang",
        "supervisor",
        {"status": "needs_approval"},
        {"status": "approved"},
    )


def test_agreement_from_offer_then_breach_is_a_new_record(store):
    store.save_offer(offer(), status="offered")
    ag = store.create_agreement("of-1")
    assert ag.active and ag.kind == "agreement" and ag.terms["headline"] == offer()["headline"]
    assert store.get_offer("of-1").status == "accepted"
    # with an agreement in force, a new offer is saved (and accepted) only as a re-plan of it
    with pytest.raises(InvalidTransition, match="in force"):
        store.save_offer(offer("of-2"), status="offered")
    store.save_offer(offer("of-2"), status="offered", replan_of=ag.id)
    breach = store.end_agreement(ag.id, "breach", "three installments missed")
    assert breach.supersedes == ag.id and not breach.active
    records = store.agreements("CC-1")
    assert [(r.id, r.kind, r.active) for r in records] == [(ag.id, "agreement", False), (breach.id, "breach", False)]
    boss = store.as_actor("boss.wang", "supervisor")
    with pytest.raises(InvalidTransition, match="not in force"):
        boss.end_agreement(ag.id, "cancellation", "again")
    second = store.create_agreement("of-2")
    assert second.supersedes == ag.id
    assert [r.active for r in store.agreements("CC-1")] == [False, False, True]
    with pytest.raises(NotAllowed, match="supervisor"):
        store.end_agreement(second.id, "cancellation", "debtor paid in full")
    cancel = boss.end_agreement(second.id, "cancellation", "debtor paid in full")
    assert cancel.kind == "cancellation"
    assert [(t.to_status, t.record_id) for t in store.transitions(ag.id)] == [
        ("current", None),
        ("broken", breach.id),
        ("superseded", second.id),
    ]


def test_agreement_needs_an_offer_that_can_be_accepted(store):
    store.save_offer(offer(), status="needs_approval")
    with pytest.raises(InvalidTransition):
        store.create_agreement("of-1")
    assert store.agreements("CC-1") == []
    with pytest.raises(NotFound):
        store.create_agreement("of-none")
    with pytest.raises(InvalidInput):
        store.end_agreement(1, "paused", "why")


def test_agreements_and_audit_refuse_update_and_delete_in_sql(store):
    store.save_offer(offer(), status="offered")
    store.create_agreement("of-1")
    for sql in (
        "UPDATE agreements SET reason = 'x'",
        "DELETE FROM agreements",
        "UPDATE audit SET actor = 'x'",
        "DELETE FROM audit",
    ):
        with pytest.raises(Refused, match=r"never|append-only"):
            raw_sql(store, sql)
    if store.backend.name == "postgresql":  # TRUNCATE skips row triggers: refused by its own
        for table in ("agreements", "audit", "profiles", "payments", "contacts"):
            with pytest.raises(Refused, match=r"never|append-only"):
                raw_sql(store, f"TRUNCATE {table} CASCADE")
    assert len(store.agreements("CC-1")) == 1


def test_foreign_keys_are_enforced(store):
    with pytest.raises(Refused, match=r"(?i)foreign key"):
        raw_sql(
            store,
            "INSERT INTO notes (account_ref, created_at, actor, role, text) VALUES ('ghost', 't', 'a', 'agent', 'x')",
        )


def test_notes(store):
    store.add_note("CC-1", "  debtor lost job in March  ")
    store.as_actor("kiosk-3", "kiosk").add_note("CC-1", "chose the 24-month offer")
    notes = store.notes("CC-1")
    assert [(n.text, n.actor, n.role) for n in notes] == [
        ("debtor lost job in March", "agent.li", "agent"),
        ("chose the 24-month offer", "kiosk-3", "kiosk"),
    ]
    with pytest.raises(InvalidInput):
        store.add_note("CC-1", "   ")
    with pytest.raises(NotFound):
        store.add_note("ghost", "x")


def test_bad_actor_or_role_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="role"):
        open_store(tmp_path / "t.db", actor="a", role="janitor")
    with pytest.raises(InvalidInput, match="actor"):
        open_store(tmp_path / "t.db", actor=" ", role="agent")


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    with pytest.raises(StoreError, match="cannot open"):
        open_store(junk)
    with pytest.raises(StoreError, match="no database"):
        open_store(tmp_path / "absent.db", existing=True)
    assert not (tmp_path / "absent.db").exists()


def test_a_database_locked_too_long_is_a_clear_store_error_and_nothing_half_done(tmp_path):
    store = open_store(tmp_path / "t.db", actor="agent.li", role="agent")
    store.upsert_accounts([account()])
    store.backend._conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="locked"):
        store.add_note("CC-1", "while another console holds the write lock")
    other.execute("ROLLBACK")
    other.close()
    assert store.notes("CC-1") == []
    store.add_note("CC-1", "now it works")
    assert [n.text for n in store.notes("CC-1")] == ["now it works"]


def test_a_writer_waiting_for_the_lock_writes_in_the_first_gap(tmp_path):
    """Behind another connection that takes the write lock again 50 ms after each transaction, as a
    bulk import does (``Store.upsert_accounts``), a console's write goes in the first gap, three times
    out of three.  SQLite's own busy handler tries at 228 ms and then every 100 ms: it missed the gap
    from 250 to 300 ms, and the next, and an import's gaps are a few milliseconds long."""
    store = open_store(tmp_path / "t.db", actor="agent.li", role="agent")
    store.upsert_accounts([account()])
    importer = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    events: list[str] = []
    held = threading.Event()

    def hold(slices: int) -> None:
        for n in range(slices):
            importer.execute("BEGIN IMMEDIATE")
            events.append(f"slice {n}")
            held.set()
            time.sleep(0.25)
            importer.execute("COMMIT")
            time.sleep(0.05)

    for note in range(3):
        events.clear()
        held.clear()
        thread = threading.Thread(target=hold, args=(2,))
        thread.start()
        held.wait()
        store.add_note("CC-1", f"call {note}")
        events.append("note")
        thread.join()
        assert events == ["slice 0", "note", "slice 1"], events
    importer.close()
    assert len(store.notes("CC-1")) == 3


def test_national_id_last_four_is_normalised_and_checked():
    assert account(id_last4=" 802x ").id_last4 == "802X"
    assert account(id_last4="").id_last4 is None
    for bad in ("12345", "12-4", "１２３４"):
        with pytest.raises(InvalidInput, match="last 4"):
            account(id_last4=bad)
