"""Users and roles: authority comes from a user who signed in, not from a flag."""

from __future__ import annotations

import cli_process
import os

import pytest
from backend_helpers import fetch_value

from plans import passwords
from plans.store import NotAllowed, User, open_store
from plans.store.users import check_name

from calc.errors import InvalidInput


@pytest.fixture
def store(db):
    s = open_store(db, actor="root", role="admin")
    yield s
    s.close()


def test_passwords_are_stored_as_pbkdf2_hashes_of_600000_iterations(store):
    store.add_user("li.super", "supervisor", "correct horse")
    stored = fetch_value(store, "SELECT password FROM users WHERE name = 'li.super'")
    iterations, salt, digest = passwords.parse(stored, "password")
    assert iterations >= 600_000 and len(salt) >= 16 and "correct horse" not in stored
    # a weaker setting asked for is raised to the minimum
    store.add_user(
        "wang.agent",
        "agent",
        "another pass",
        authorized_by=store.authenticate("li.super", "correct horse"),
        iterations=1000,
    )
    stored = fetch_value(store, "SELECT password FROM users WHERE name = 'wang.agent'")
    assert passwords.parse(stored, "password")[0] == 600_000


def test_sign_in_gives_the_account_role_and_is_audited(store):
    store.add_user("li.super", "supervisor", "correct horse")
    user = store.authenticate("li.super", "correct horse")
    assert user == User("li.super", "supervisor", True, user.created_at, "root")
    for name, password in (("li.super", "wrong horse"), ("nobody", "correct horse")):
        with pytest.raises(NotAllowed, match="wrong name or password"):  # never says which part
            store.authenticate(name, password)
    actions = [(e.action, e.entity_id) for e in store.audit_log("user")]
    assert actions == [
        ("user.create", "li.super"),
        ("user.sign_in", "li.super"),
        ("user.sign_in_failed", "li.super"),
        ("user.sign_in_failed", "nobody"),
    ]


def test_once_a_supervisor_exists_only_a_supervisor_manages_users(store):
    store.add_user("first", "agent", "first pass")  # the first users need nobody's consent
    boss = store.add_user("li.super", "supervisor", "correct horse")
    with pytest.raises(NotAllowed, match="a supervisor must sign in"):
        store.add_user("me.too", "supervisor", "sneaky pass")
    agent = store.authenticate("first", "first pass")
    with pytest.raises(NotAllowed):
        store.add_user("me.too", "supervisor", "sneaky pass", authorized_by=agent)
    with pytest.raises(NotAllowed):  # a made-up supervisor is checked against the table
        store.add_user("me.too", "supervisor", "sneaky pass", authorized_by=User("ghost", "supervisor"))
    signed = store.authenticate("li.super", "correct horse")
    store.add_user("wang.agent", "agent", "agent pass", authorized_by=signed)
    store.set_active("first", False, authorized_by=signed)
    with pytest.raises(NotAllowed):
        store.authenticate("first", "first pass")  # disabled
    store.set_password("wang.agent", "new agent pass", authorized_by=signed)
    assert store.authenticate("wang.agent", "new agent pass").role == "agent"
    assert boss.role == "supervisor"


def test_names_roles_and_passwords_are_checked(store):
    for bad in ("", "a b", "../x", "x" * 41, "\x1b[2J"):
        with pytest.raises(InvalidInput):
            check_name(bad)
    with pytest.raises(InvalidInput, match="8 to 128"):
        store.add_user("short", "agent", "1234567")
    with pytest.raises(InvalidInput, match="agent or supervisor"):
        store.add_user("x", "admin", "long enough")
    store.add_user("x", "agent", "long enough")
    with pytest.raises(InvalidInput, match="already exists"):
        store.add_user("x", "agent", "long enough")


def cli(*args, db, stdin=""):
    env = dict(os.environ, INSTALLMENT_DB=str(db))
    return cli_process.run(args, input=stdin, env=env, timeout=60)


def test_the_users_command(tmp_path):
    db = tmp_path / "c.db"
    assert "no users yet" in cli("users", "list", db=db).stdout
    done = cli("users", "add", "li.super", "--role", "supervisor", db=db, stdin="correct horse\n")
    assert done.returncode == 0 and "li.super added as supervisor" in done.stdout
    refused = cli("users", "add", "wang", "--role", "supervisor", db=db, stdin="agent pass\n")
    assert refused.returncode == 2 and "a supervisor must sign in" in refused.stderr
    wrong = cli("users", "add", "wang", "--role", "agent", "--as", "li.super", db=db, stdin="agent pass\nguess\n")
    assert wrong.returncode == 2 and "wrong name or password" in wrong.stderr
    done = cli(
        "users", "add", "wang", "--role", "agent", "--as", "li.super", db=db, stdin="agent pass\ncorrect horse\n"
    )
    assert done.returncode == 0, done.stderr
    listed = cli("users", "list", db=db).stdout
    assert "li.super" in listed and "wang" in listed and "agent" in listed
    done = cli("users", "disable", "wang", "--as", "li.super", db=db, stdin="correct horse\n")
    assert done.returncode == 0 and "disabled" in cli("users", "list", db=db).stdout
    s = open_store(db)
    entry = [e for e in s.audit_log("user") if e.action == "user.create" and e.entity_id == "wang"][0]
    assert (entry.actor, entry.role) == ("li.super", "supervisor")  # who authorized it
    assert s.verify_audit().intact
    s.close()


def test_agent_role_flag_is_refused(tmp_path):
    done = cli("agent", "--role", "supervisor", "--user", "anyone", db=tmp_path / "x.db")
    assert done.returncode == 2 and "--role: is no longer a flag" in done.stderr
