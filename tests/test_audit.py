"""The tamper-evident audit log: the chain itself, the store's entries, and `installment audit verify`."""

from __future__ import annotations

import cli_process
import dataclasses
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.debt import Debt
from plans.audit.chain import GENESIS, HASHED_FIELDS, canonical, entry_hash, entry_mac, first_break, seal
from plans.audit.keys import AuditKeyError, load_key
from plans.store import Account, StoreError, open_store
from plans.store import schema
from plans.store.sqlite import connect


def chain(n: int, key: bytes | None = None):
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        e = seal(
            i,
            f"2026-11-29T09:00:{i:02d}+00:00",
            "agent.li",
            "agent",
            "offer.create",
            "offer",
            f"of-{i}",
            None,
            {"status": "draft", "amount": i * 100, "名": "张伟"},
            prev,
            key,
        )
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


values = st.recursive(
    st.none() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)


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
    assert (e.actor, e.role, e.action, e.entity, e.entity_id, e.before, e.after) == (
        "agent.li",
        "agent",
        "summary.print",
        "account",
        "CC-1",
        None,
        {"format": "pdf", "lang": "zh_CN"},
    )
    assert e.at.endswith("+00:00") and e.prev_hash == log[-2].hash
    report = s.verify_audit()
    assert report.intact and (report.entries, report.head, report.anchor.seq) == (6, e.hash, 6)
    # sealed with the key (HMAC), not a plain hash anyone could recompute
    fields = {name: getattr(e, name) for name in HASHED_FIELDS}
    assert e.hash == entry_mac(s.seal.key.secret, fields) != entry_hash(fields)
    s.close()


def test_keyed_chains_verify_only_with_their_key():
    key = os.urandom(32)
    entries = chain(4, key)
    assert first_break(entries, key)[0] is None
    assert first_break(entries, os.urandom(32))[0].seq == 1
    assert first_break(entries)[0].seq == 1  # not plain SHA-256
    # an entry edited and re-sealed with plain SHA-256 (what anyone can compute) is found
    fields = dict(dataclasses.asdict(entries[2]), after={"status": "accepted"})
    entries[2] = dataclasses.replace(entries[2], after=fields["after"], hash=entry_hash(fields))
    assert first_break(entries, key)[0].seq == 3


def verify(path, *args):
    env = dict(os.environ, INSTALLMENT_DB=str(path))
    return cli_process.run(["audit", *(args or ("verify",))], env=env, timeout=60)


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
    assert "intact: 6 entries, sealed with key " in done.stdout
    assert "anchored at entry 6" in done.stdout


@pytest.mark.parametrize(
    "sql, seq",
    [
        (["UPDATE audit SET after = '{\"principal\":1}' WHERE seq = 3"], 3),
        (["UPDATE audit SET actor = 'someone.else' WHERE seq = 1"], 1),
        (["DELETE FROM audit WHERE seq = 4"], 5),
        (["UPDATE audit SET hash = prev_hash WHERE seq = 2"], 2),
        (["UPDATE audit SET after = '{broken' WHERE seq = 4"], 4),
        (["UPDATE audit SET before = 'NaN' WHERE seq = 2"], 2),
        (["UPDATE audit SET after = '1e400' WHERE seq = 3"], 3),
    ],
)
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


def _rehash_plain(path, seq: int, after) -> None:
    """The attack of the issue: edit an entry and recompute its plain SHA-256 (and every later link)."""
    s = open_store(path, existing=True)
    entries = s.audit_log()
    s.close()
    prev = entries[seq - 2].hash if seq > 1 else GENESIS
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_no_update")
    for e in entries[seq - 1 :]:
        fields = dict(dataclasses.asdict(e), prev_hash=prev)
        if e.seq == seq:
            fields["after"] = after
        new = entry_hash(fields)
        conn.execute(
            "UPDATE audit SET after = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (canonical(fields["after"]), prev, new, e.seq),
        )
        prev = new
    conn.commit()
    conn.close()


def test_editing_and_recomputing_plain_hashes_is_found(db):
    _rehash_plain(db, 3, {"ref": "CC-3", "principal": 1})
    done = verify(db)
    assert done.returncode == 1
    assert "BROKEN at entry 3: contents do not match the entry's keyed seal" in done.stdout


@pytest.mark.parametrize(
    "sql, found",
    [
        (["DELETE FROM audit WHERE seq >= 5"], "the log ends at entry 4, but the anchor recorded entry 6"),
        (["DELETE FROM audit WHERE seq = 6"], "entries 6 to 6 were deleted from the end"),
        (["DELETE FROM audit"], "the log is empty, but the anchor recorded 6 entries"),
        (
            [
                "UPDATE audit SET seq = 100 + seq WHERE seq IN (2, 3)",
                "UPDATE audit SET seq = 5 - (seq - 100) WHERE seq > 100",
            ],
            "BROKEN at entry 2: previous-entry hash does not match",
        ),  # entries 2 and 3 swapped
    ],
)
def test_truncating_emptying_or_reordering_the_log_is_found(db, sql, found):
    tamper(db, *sql)
    done = verify(db)
    assert done.returncode == 1, done.stdout
    assert found in done.stdout


def test_a_missing_or_edited_anchor_and_a_changed_meta_table_are_found(db):
    s = open_store(db)
    anchor_file = Path(
        s.seal.anchors.where(
            s.seal.db_id or s.backend._conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0]
        )
    )
    s.close()
    text = anchor_file.read_text()
    anchor_file.write_text(text.replace('"seq": 6', '"seq": 2'))
    done = verify(db)
    assert done.returncode == 1 and "does not match its keyed seal (it was changed)" in done.stdout
    anchor_file.unlink()
    done = verify(db)
    assert done.returncode == 1 and "no anchor for this database" in done.stdout
    anchor_file.write_text(text)
    assert verify(db).returncode == 0
    tamper(db, "UPDATE meta SET value = '0123456789abcdef' WHERE key = 'db_id'")
    assert "no anchor for this database" in verify(db).stdout
    tamper(
        db,
        f"UPDATE meta SET value = '{anchor_file.stem}' WHERE key = 'db_id'",
        "UPDATE meta SET value = '6' WHERE key = 'audit_legacy_until'",
    )
    done = verify(db)
    assert done.returncode == 1 and "the meta table was changed" in done.stdout


def test_a_lost_anchor_is_recorded_again_only_on_request(db):
    s = open_store(db)
    where = Path(
        s.seal.anchors.where(s.backend._conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0])
    )
    s.close()
    where.unlink()
    s = open_store(db, actor="agent.li", role="agent")
    s.audit("summary.print", "account", "CC-2")  # writing does not quietly make a new anchor
    s.close()
    assert not where.exists() and verify(db).returncode == 1
    done = verify(db, "anchor")
    assert done.returncode == 0 and "anchor recorded" in done.stdout
    assert verify(db).returncode == 0
    assert "already exists" in verify(db, "anchor").stdout


def test_another_key_is_refused_for_writing_and_reported_by_verify(db, tmp_path):
    other = tmp_path / "other.key"
    s = open_store(db, audit_key=other)
    with pytest.raises(StoreError, match="sealed with another key"):
        s.audit("summary.print", "account", "CC-1")
    s.close()
    done = subprocess.run(
        [sys.executable, "-m", "installment_tui.cli", "audit", "verify", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, INSTALLMENT_AUDIT_KEY=str(other)),
    )
    assert done.returncode == 1 and "sealed with another key" in done.stdout


def test_another_key_has_its_own_error_and_true_words_in_every_language(db, tmp_path):
    """Not the outage wording ("the database cannot be used right now; try again"): a key mismatch
    says what is wrong and what to do, and every other cause of a StoreError the console words keeps
    its own words too."""
    from installment_tui.agent.error_words import error_words
    from installment_tui.i18n import ui_translator
    from plans.store import AuditKeyMismatch, NewerSchema, NotADatabase

    s = open_store(db, audit_key=tmp_path / "other.key")
    with pytest.raises(AuditKeyMismatch) as caught:
        s.audit("summary.print", "account", "CC-1")
    s.close()
    with pytest.raises(NotADatabase):
        open_store(tmp_path / "missing.db", existing=True)
    outage = StoreError("database is locked", "db")
    samples = [caught.value, NewerSchema("schema 9 is newer", "db"), NotADatabase("no database at x.db", "db")]
    for lang in ("zh_CN", "zh_TW", "en"):
        t = ui_translator("agent", lang)
        words = [error_words(e, t, lang) for e in samples]
        assert len(set(words + [error_words(outage, t, lang)])) == len(samples) + 1, lang
        if lang != "en":
            assert "密钥" in words[0] or "金鑰" in words[0]


def test_the_key_file_is_made_private_on_first_use_and_a_readable_one_is_refused(tmp_path):
    key = tmp_path / "keys" / "audit.key"
    s = open_store(tmp_path / "k.db", audit_key=key)
    s.close()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert len(bytes.fromhex(key.read_text().strip())) == 32
    key.chmod(0o644)
    with pytest.raises(AuditKeyError, match="other users"):
        load_key(key)


def test_entries_from_before_the_key_are_checked_with_sha256_and_the_rest_with_the_key(tmp_path):
    path = tmp_path / "v4.db"
    conn = connect(path)
    schema.migrate(conn, target=4)
    prev = GENESIS
    for i in range(1, 4):  # what an earlier release wrote: plain SHA-256 entries
        e = seal(i, f"2025-01-0{i}T00:00:00+00:00", "old", "agent", "note.create", "note", str(i), None, {"n": i}, prev)
        conn.execute(
            "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.seq,
                e.at,
                e.actor,
                e.role,
                e.action,
                e.entity,
                e.entity_id,
                None,
                canonical(e.after),
                e.prev_hash,
                e.hash,
            ),
        )
        prev = e.hash
    conn.close()
    s = open_store(path, actor="agent.li", role="agent")  # upgraded to the keyed log
    s.audit("summary.print", "account", "CC-1")
    report = s.verify_audit()
    assert report.intact and report.legacy_until == 3 and report.entries == 4
    assert s.audit_log()[-1].prev_hash == prev  # the keyed part continues the old chain
    s.close()
    assert "(3 from before the key, checked with SHA-256)" in verify(path).stdout
    _rehash_plain(path, 4, {"format": "forged"})  # the keyed entry cannot be forged with SHA-256
    assert "BROKEN at entry 4" in verify(path).stdout


def test_verify_command_on_a_missing_database_is_an_input_error(tmp_path):
    done = verify(tmp_path / "absent.db")
    assert done.returncode == 2
    assert "no database" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "absent.db").exists()
