"""The tamper-evident audit log: the chain itself, the store's entries, and `installment audit verify`."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.debt import Debt
from plans.audit import GENESIS, HASHED_FIELDS, canonical, entry_hash, first_break, seal
from plans.store import Account, open_store


def chain(n: int):
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        e = seal(i, f"2026-11-29T09:00:{i:02d}+00:00", "agent.li", "agent", "offer.create", "offer", f"of-{i}",
                 None, {"status": "draft", "amount": i * 100, "名": "张伟"}, prev)
        entries.append(e)
        prev = e.hash
    return entries


def test_canonical_json_is_stable_and_keeps_chinese():
    assert canonical({"b": 1, "a": [1, "王"]}) == '{"a":[1,"王"],"b":1}'
    assert entry_hash(dataclasses.asdict(chain(1)[0])) == chain(1)[0].hash


def test_an_intact_chain_verifies():
    entries = chain(5)
    assert first_break(entries) == (None, 5, entries[-1].hash)
    assert first_break([]) == (None, 0, GENESIS)


values = st.recursive(st.none() | st.integers() | st.text(max_size=5),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                      max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 6), data=st.data())
def test_changing_any_field_of_any_entry_is_found_at_that_entry(n, data):
    entries = chain(n)
    i = data.draw(st.integers(0, n - 1))
    name = data.draw(st.sampled_from(HASHED_FIELDS + ("hash",)))
    old = getattr(entries[i], name)
    if name == "seq":
        new = data.draw(st.integers(0, 100).filter(lambda v: v != old))
    elif name in ("before", "after"):
        new = data.draw(values.filter(lambda v: v != old))
    else:
        new = data.draw(st.text(min_size=1, max_size=70).filter(lambda v: v != old))
    entries[i] = dataclasses.replace(entries[i], **{name: new})
    broken, _, _ = first_break(entries)
    assert broken is not None and broken.seq == (new if name == "seq" else i + 1)


def test_removed_or_swapped_entries_are_found():
    entries = chain(4)
    assert first_break(entries[:1] + entries[2:])[0].seq == 3
    assert first_break([entries[1], entries[0]] + entries[2:])[0].seq == 2


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "a.db"
    s = open_store(path, actor="agent.li", role="agent")
    s.upsert_accounts([Account(f"CC-{i}", "CNY", Debt("CNY", principal=i * 1000_00), name="张伟") for i in range(1, 6)])
    s.audit("summary.print", "account", "CC-1", None, {"format": "pdf", "lang": "zh_CN"})
    s.close()
    return path


def test_store_entries_record_who_role_when_action_entity_before_after(db):
    s = open_store(db)
    log = s.audit_log()
    assert [e.seq for e in log] == list(range(1, 7))
    e = log[-1]
    assert (e.actor, e.role, e.action, e.entity, e.entity_id, e.before, e.after) == \
        ("agent.li", "agent", "summary.print", "account", "CC-1", None, {"format": "pdf", "lang": "zh_CN"})
    assert e.at.endswith("+00:00") and e.prev_hash == log[-2].hash
    assert s.verify_audit() == (None, 6, e.hash)
    s.close()


def verify(path):
    env = dict(os.environ, INSTALLMENT_DB=str(path))
    return subprocess.run([sys.executable, "-m", "installment_tui.cli", "audit", "verify"],
                          capture_output=True, text=True, env=env, timeout=60)


def tamper(path, *sql):
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_verify_command_exit_0_when_intact(db):
    done = verify(db)
    assert done.returncode == 0, done.stderr
    assert "intact: 6 entries" in done.stdout


@pytest.mark.parametrize("sql, seq", [
    (["UPDATE audit SET after = '{\"principal\":1}' WHERE seq = 3"], 3),
    (["UPDATE audit SET actor = 'someone.else' WHERE seq = 1"], 1),
    (["DELETE FROM audit WHERE seq = 4"], 5),
    (["UPDATE audit SET hash = prev_hash WHERE seq = 2"], 2),
    (["UPDATE audit SET after = '{broken' WHERE seq = 4"], 4),
    (["UPDATE audit SET before = 'NaN' WHERE seq = 2"], 2),
    (["UPDATE audit SET after = '1e400' WHERE seq = 3"], 3),
])
def test_verify_command_exit_1_naming_the_first_broken_entry(db, sql, seq):
    tamper(db, *sql)
    done = verify(db)
    assert done.returncode == 1
    assert f"BROKEN at entry {seq}:" in done.stdout


def test_an_entry_whose_json_was_replaced_by_other_text_is_named_not_a_traceback(db):
    tamper(db, "UPDATE audit SET after = 'not json' WHERE seq = 5")
    done = verify(db)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "BROKEN at entry 5: after is not valid JSON" in done.stdout


def test_verify_command_on_a_missing_database_is_an_input_error(tmp_path):
    done = verify(tmp_path / "absent.db")
    assert done.returncode == 2
    assert "no database" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "absent.db").exists()
