"""The databases set up once and copied for each test (tests/db_templates.py): a copy is what the set-up
made (rows, audit chain, timestamps), a test's changes stay in its copy, and each copy's audit log checks
out against an anchor of its own, on both backends."""

from __future__ import annotations

from datetime import datetime, timezone

from backend_helpers import fetch_value
from db_templates import set_up_once

from calc.debt import Debt
from plans.store import Account, open_store

START = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def an_account_and_a_supervisor(db) -> None:
    s = open_store(db, actor="setup", role="admin", clock=lambda: START)
    s.upsert_accounts([Account("A-1", "CNY", Debt("CNY", 1_000_000), name="张伟")])
    s.add_user("li.super", "supervisor", "correct horse")
    s.close()


set_up_db = set_up_once(an_account_and_a_supervisor)


def test_a_copy_is_what_the_set_up_made_with_an_id_of_its_own(set_up_db, db_templates, tmp_path_factory, request):
    s = open_store(set_up_db, actor="wang.agent", role="agent")
    try:
        assert s.get_account("A-1").debt.principal == 1_000_000
        assert s.authenticate("li.super", "correct horse").role == "supervisor"  # the hash is the set-up's
        entries = s.audit_log()
        assert {e.at for e in entries[:2]} == {"2026-12-01T02:00:00.000000+00:00"}  # made with the set-up's clock
        report = s.verify_audit()
        assert report.intact and report.anchor.seq == report.entries == len(entries)
        own_id = fetch_value(s, "SELECT value FROM meta WHERE key = 'db_id'")
    finally:
        s.close()
    # a second copy: the same log up to the first copy's sign-in, none of its changes, another id
    pg = request.getfixturevalue("pg_server") if isinstance(set_up_db, str) else None
    backend = "postgresql" if pg else "sqlite"
    other = open_store(db_templates.copy(an_account_and_a_supervisor, backend, tmp_path_factory.mktemp("b"), pg))
    try:
        assert [(e.seq, e.hash) for e in other.audit_log()] == [(e.seq, e.hash) for e in entries[:-1]]
        assert other.verify_audit().intact  # an anchor shared with the first copy would be past its end
        assert fetch_value(other, "SELECT value FROM meta WHERE key = 'db_id'") != own_id
    finally:
        other.close()
