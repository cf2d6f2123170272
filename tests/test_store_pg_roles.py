"""PostgreSQL's roles: the database itself enforces who may approve, and what a kiosk may do."""

from __future__ import annotations

import cli_process
from datetime import date

import pytest

from calc.affordability import Profile
from calc.debt import Debt
from plans.store import Account, NotAllowed, open_store


def offer(oid, status_ref="CC-1") -> dict:
    return {
        "id": oid,
        "account_ref": status_ref,
        "kind": "standard",
        "policy_version": "p-1",
        "authority": "agent",
        "currency": "CNY",
        "inputs": {"terms": {"months": 12}},
        "headline": {"months": 12},
    }


@pytest.fixture(scope="module")
def roles_db(pg_server):
    """A database with the roles set up by the command, and one login role in each."""
    url = pg_server.new_database()
    with open_store(url, actor="admin", role="admin") as s:
        s.upsert_accounts(
            [Account("CC-1", "CNY", Debt("CNY", principal=1000_00), id_last4="1234", birth_date=date(1980, 1, 2))]
        )
    done = cli_process.run(["db", "roles", "--db", url], timeout=120)
    assert done.returncode == 0, done.stderr
    assert "installment_supervisor" in done.stdout
    for login, group in (
        ("kiosk_1", "installment_kiosk"),
        ("agent_li", "installment_agent"),
        ("super_wang", "installment_supervisor"),
        ("batch_1", "installment_batch"),
    ):
        pg_server.sql(
            f"DO $$ BEGIN IF to_regrole('{login}') IS NULL THEN CREATE ROLE {login} LOGIN "
            f"IN ROLE {group}; END IF; END $$"
        )

    def as_login(login: str, role: str, actor: str = "someone"):
        return open_store(url.replace("installment_test@", f"{login}@"), actor=actor, role=role)

    return as_login


def test_only_a_supervisor_role_approves_even_when_the_program_says_supervisor(roles_db):
    agent = roles_db("agent_li", "agent", "li")
    agent.save_offer(offer("of-1"), status="needs_approval")
    agent.save_offer(offer("of-2"), status="needs_approval")
    # a program claiming to be a supervisor, connected as an agent: the database refuses
    with pytest.raises(NotAllowed, match="installment_supervisor"):
        agent.as_actor("li", "supervisor").set_offer_status("of-1", "approved")
    assert agent.get_offer("of-1").status == "needs_approval"
    boss = roles_db("super_wang", "supervisor", "wang")
    assert boss.set_offer_status("of-1", "approved").status == "approved"
    assert boss.set_offer_status("of-2", "rejected").status == "rejected"
    assert boss.verify_audit().intact
    agent.close()
    boss.close()


def test_the_kiosk_role_does_what_the_kiosk_does_and_nothing_else(roles_db):
    kiosk = roles_db("kiosk_1", "kiosk", "kiosk-1")
    assert kiosk.identify("CC-1", "1234", "1980-01-02").ok
    kiosk.save_profile("CC-1", Profile("CNY", income=(("salary", 5000_00),)))
    kiosk.save_offer(offer("of-k"), status="offered")
    agreement = kiosk.create_agreement("of-k")
    assert agreement.active and kiosk.agreements("CC-1")[0].id == agreement.id
    with pytest.raises(NotAllowed):  # the audit log's contents, the users' password hashes
        kiosk.audit_log("offer", "of-k")
    with pytest.raises(NotAllowed):
        kiosk.users()
    with pytest.raises(NotAllowed):  # accounts are the batch's
        kiosk.upsert_accounts([Account("CC-2", "CNY", Debt("CNY", principal=1_00))])
    with pytest.raises(NotAllowed):
        kiosk.add_note("CC-1", "a kiosk writes no call notes")
    kiosk.close()
    with roles_db("batch_1", "batch", "import") as batch:
        assert batch.upsert_accounts([Account("CC-3", "CNY", Debt("CNY", principal=2_00))]).inserted == 1
        assert batch.verify_audit().intact  # every role's entries are one chain


def test_roles_are_postgresqls(tmp_path):
    done = cli_process.run(["db", "roles", "--db", tmp_path / "x.db"], timeout=60)
    assert done.returncode != 0 and "PostgreSQL" in done.stderr and "Traceback" not in done.stderr
    printed = cli_process.run(["db", "roles", "--print"], timeout=60)
    assert printed.returncode == 0 and "GRANT SELECT (seq, hash) ON audit TO installment_kiosk" in printed.stdout
