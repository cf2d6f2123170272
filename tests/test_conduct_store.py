"""The contact log, flags and complaints in a real SQLite file: decisions inside the write
transaction, refusals recorded, overrides only by a signed-in supervisor, history append-only,
audited, and upgrades from every earlier schema."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from backend_helpers import Refused, raw_sql
from db_templates import set_up_once

from calc.debt import Debt
from calc.errors import InvalidInput
from plans.conduct.vocabulary import ComplaintState, Decision, Flag
from plans.policy import default_policy
from plans.store import Account, NotAllowed, User, open_store, schema
from plans.store.conduct import ContactRefused, Override
from plans.store.records import StoreError

POLICY = default_policy()
CONDUCT = POLICY.conduct


class Clock:
    def __init__(self, when: datetime) -> None:
        self.now = when

    def __call__(self) -> datetime:
        return self.now


START = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai


@pytest.fixture
def clock():
    return Clock(START)


def two_accounts_and_two_users(db) -> None:
    s = open_store(db, actor="wang.agent", role="agent", clock=Clock(START))
    s.upsert_accounts(
        [
            Account("A-1", "CNY", Debt("CNY", 1_000_000), name="张伟", region="beijing"),
            Account("A-2", "CNY", Debt("CNY", 500_000)),
        ]
    )
    s.add_user("li.super", "supervisor", "correct horse")
    s.add_user("wang.agent", "agent", "another pass", authorized_by=s.authenticate("li.super", "correct horse"))
    s.close()


set_up_db = set_up_once(two_accounts_and_two_users)


@pytest.fixture
def store(set_up_db, clock):
    s = open_store(set_up_db, actor="wang.agent", role="agent", clock=clock)
    yield s
    s.close()


def test_contacts_are_logged_counted_and_refused_past_the_limit(store, clock):
    for _ in range(6):
        clock.now += timedelta(minutes=5)
        assert store.log_contact("A-1", POLICY, "call", "no_answer").decision is Decision.ALLOWED
    with pytest.raises(ContactRefused) as exc:
        store.log_contact("A-1", POLICY, "call", "no_answer")
    assert exc.value.decision.codes == ("calls_per_day",)
    assert "6 of 6 attempts today" in str(exc.value)
    log = store.contacts("A-1")
    assert [c.decision for c in log] == [Decision.ALLOWED] * 6 + [Decision.REFUSED]
    assert log[-1].outcome is None and log[-1].rules == ("calls_per_day",) and log[-1].actor == "wang.agent"
    # the other account and inbound contacts are not limited
    store.log_contact("A-2", POLICY, "call", "answered")
    store.log_contact("A-1", POLICY, "call", "answered", direction="inbound")
    # the next local day starts again at 08:00 Shanghai
    clock.now = datetime(2026, 12, 2, 0, 0, tzinfo=timezone.utc)
    assert store.contact_decision("A-1", POLICY).allowed


def test_an_override_needs_a_signed_in_supervisor_and_a_reason(store, clock):
    clock.now = datetime(2026, 12, 1, 14, 30, tzinfo=timezone.utc)  # 22:30 local
    agent = store.authenticate("wang.agent", "another pass")
    with pytest.raises(NotAllowed, match="supervisor"):
        store.log_contact("A-1", POLICY, "call", "answered", override=Override(agent, "asked to call back"))
    pretender = User("wang.agent", "supervisor")  # a role claimed, not the account's
    with pytest.raises(NotAllowed):
        store.log_contact("A-1", POLICY, "call", "answered", override=Override(pretender, "x"))
    with pytest.raises(InvalidInput, match="empty"):
        store.log_contact(
            "A-1", POLICY, "call", "answered", override=Override(store.authenticate("li.super", "correct horse"), "  ")
        )
    assert store.contacts("A-1") == []  # nothing recorded for a refused override attempt
    boss = store.authenticate("li.super", "correct horse")
    rec = store.log_contact(
        "A-1",
        POLICY,
        "call",
        "answered",
        note="debtor asked us to call after work",
        override=Override(boss, "the debtor asked to be called back at 22:30"),
    )
    assert (rec.decision, rec.override_by, rec.rules) == (Decision.OVERRIDDEN, "li.super", ("after_hours",))
    assert rec.actor == "wang.agent"
    entry = store.audit_log("account", "A-1")[-1]
    assert entry.action == "contact.override" and entry.after["override_by"] == "li.super"
    # an override is not used when the rules allow the contact
    clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)
    assert (
        store.log_contact("A-1", POLICY, "call", "answered", override=Override(boss, "x")).decision is Decision.ALLOWED
    )


def test_refusals_are_audited(store, clock):
    store.set_flag("A-1", "deceased", True, "death certificate received")
    with pytest.raises(ContactRefused):
        store.log_contact("A-1", POLICY, "letter", "sent")
    actions = [e.action for e in store.audit_log("account", "A-1")]
    assert actions[-2:] == ["flag.set", "contact.refused"]
    assert store.verify_audit().intact


def test_flags_are_set_and_cleared_with_reasons(store):
    assert store.contact_flags("A-1") == frozenset()
    store.set_flag("A-1", Flag.WRITTEN_ONLY, True, "asked in writing on 1 December")
    with pytest.raises(InvalidInput, match="already set"):
        store.set_flag("A-1", "written_only", True, "again")
    with pytest.raises(InvalidInput, match="complaints register"):
        store.set_flag("A-1", "complaint_open", True, "by hand")
    with pytest.raises(InvalidInput, match="reason"):
        store.set_flag("A-1", "disputed", True, "")
    assert store.contact_flags("A-1") == {Flag.WRITTEN_ONLY}
    assert not store.contact_decision("A-1", POLICY, "call").allowed
    assert store.contact_decision("A-1", POLICY, "sms").allowed
    store.set_flag("A-1", "written_only", False, "debtor agreed to calls again")
    assert store.contact_flags("A-1") == frozenset()
    assert [(h.flag, h.is_set) for h in store.flag_history("A-1")] == [("written_only", True), ("written_only", False)]


def test_a_conduct_complaint_sets_complaint_open_until_resolved(store):
    other = store.add_complaint("A-1", CONDUCT, "phone", "amount_dispute", "余额不对", "zh_CN")
    assert Flag.COMPLAINT_OPEN not in store.contact_flags("A-1")
    c = store.add_complaint("A-1", CONDUCT, "phone", "collection_conduct", "催收员辱骂我", "zh_CN", acknowledged=True)
    assert c.state is ComplaintState.ACKNOWLEDGED
    assert Flag.COMPLAINT_OPEN in store.contact_flags("A-1")
    assert store.contact_decision("A-1", POLICY, "call").codes == ("flag:complaint_open",)
    assert store.flagged_accounts() == {"A-1": frozenset({Flag.COMPLAINT_OPEN})}
    store.resolve_complaint(c.id, POLICY, "upheld", "经核查属实，我们已处理相关人员并向您致歉。")
    assert Flag.COMPLAINT_OPEN not in store.contact_flags("A-1")
    assert store.complaint(other.id, CONDUCT).open


def test_history_tables_are_append_only(store):
    store.log_contact("A-1", POLICY, "call", "answered")
    store.set_flag("A-1", "disputed", True, "disputes the late fees")
    c = store.add_complaint("A-1", CONDUCT, "letter", "other", "text", "en", acknowledged=True)
    for sql in (
        "UPDATE contacts SET outcome = 'promise'",
        "DELETE FROM contacts",
        "UPDATE account_flags SET is_set = 0",
        "DELETE FROM account_flags",
        "UPDATE complaints SET text = 'x'",
        "DELETE FROM complaints",
        "UPDATE complaint_events SET kind = 'resolved'",
        "DELETE FROM complaint_events",
    ):
        with pytest.raises(Refused):
            raw_sql(store, sql)
    assert store.complaint(c.id, CONDUCT).state is ComplaintState.ACKNOWLEDGED


def test_a_kiosk_visit_is_inbound(store):
    with pytest.raises(InvalidInput, match="inbound"):
        store.log_contact("A-1", POLICY, "kiosk", "answered")
    assert store.log_contact("A-1", POLICY, "kiosk", "answered", direction="inbound").channel == "kiosk"


def test_bad_values_name_the_field(store):
    for kwargs, field in (({"channel": "fax"}, "channel"), ({"outcome": "maybe"}, "outcome")):
        args = {"channel": "call", "outcome": "answered", **kwargs}
        with pytest.raises(InvalidInput) as exc:
            store.log_contact("A-1", POLICY, args["channel"], args["outcome"])
        assert exc.value.field == field
    with pytest.raises(InvalidInput) as exc:
        store.log_contact("A-1", POLICY, "call", "answered", party="neighbour")
    assert exc.value.field == "party" and "debtor" in exc.value.message
    with pytest.raises(Exception, match="no account"):
        store.log_contact("NOPE", POLICY, "call", "answered")


@pytest.mark.parametrize("old", range(1, schema.LATEST))
def test_upgrade_from_every_earlier_version_gives_the_conduct_tables(tmp_path, old):
    from tests.test_store_schema import make_old

    path = tmp_path / f"v{old}.db"
    make_old(path, old)
    s = open_store(path, actor="agent.li", role="agent", clock=lambda: datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))
    assert s.backend.schema_version == schema.LATEST
    assert s.contacts("OLD-1") == [] and s.contact_flags("OLD-1") == frozenset()
    s.log_contact("OLD-1", POLICY, "call", "promise")
    s.set_flag("OLD-1", "written_only", True, "after the upgrade")
    c = s.add_complaint("OLD-1", CONDUCT, "counter", "plan_terms", "term too long", "zh_TW")
    assert c.due_on == date(2026, 12, 16)
    assert s.verify_audit().intact
    s.close()


def test_a_database_too_new_for_conduct_is_refused(tmp_path):
    path = tmp_path / "f.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.close()
    with pytest.raises(StoreError):
        open_store(path)
