"""The SQLite schema and its migrations (used only by :mod:`plans.store.sqlite`).

The schema version lives in SQLite's ``PRAGMA user_version``.  ``MIGRATIONS[i]``
upgrades a database from version ``i`` to ``i + 1``; a new database runs them all
in order, so the upgrade path from every earlier version is the path every new
database takes too (and tests/test_store_schema.py checks each one with data in it).

History:

1. accounts, versioned hardship profiles, offers, agreements, the audit log; triggers
   refuse UPDATE and DELETE on ``audit`` and ``agreements``.
2. call notes.
3. kiosk identification attempts (lockout after repeated failures) and an index
   for the supervisor's approval queue.
4. triggers refuse UPDATE and DELETE on ``profiles`` too: a new version is a new row.
5. ``meta`` (the database's random id, and how many audit entries predate the keyed
   audit log: ``plans.audit.chain``), ``users`` (names, roles and password hashes for the
   agent console), ``kiosk_failures`` and ``kiosk_pauses`` (the per-kiosk limit on
   failed identifications).
6. servicing: ``agreement_schedules`` (each agreement's schedule, fixed when it is made),
   ``payments`` (one row per payment, its external ``reference`` unique; who recorded it,
   when and from where is its ``payment_batches`` row: a console entry or an imported chunk),
   ``agreement_transitions`` (every status change, with the date it took effect and
   the record behind it), and ``offers.replan_of`` (the agreement a re-plan offer
   replaces).  These tables are append-only (triggers).  Earlier agreements get
   their start, breaches and cancellations as transitions.
7. conduct: ``contacts`` (the contact log: every call, SMS, letter, reminder and kiosk
   visit, and every outbound contact the rules refused or a supervisor overrode),
   ``account_flags`` (flags set and cleared, with who and why), ``complaints`` and
   ``complaint_events`` (acknowledged, extended, resolved).  All four are history:
   append-only (triggers); the current flags and a complaint's state are read from them.

Money columns are INTEGER minor units, always beside a ``currency`` column.
Timestamps are UTC ISO 8601 text (``2026-11-29T04:18:41.123456+00:00``).
"""

from __future__ import annotations

import sqlite3

_V1 = """
CREATE TABLE accounts (
    ref              TEXT PRIMARY KEY,
    name             TEXT NOT NULL DEFAULT '',
    id_last4         TEXT CHECK (id_last4 IS NULL OR (length(id_last4) = 4)),
    birth_date       TEXT,
    phone            TEXT,
    region           TEXT,
    currency         TEXT NOT NULL,
    principal        INTEGER NOT NULL DEFAULT 0 CHECK (principal >= 0),
    interest         INTEGER NOT NULL DEFAULT 0 CHECK (interest >= 0),
    penalty_interest INTEGER NOT NULL DEFAULT 0 CHECK (penalty_interest >= 0),
    late_fees        INTEGER NOT NULL DEFAULT 0 CHECK (late_fees >= 0),
    annual_fees      INTEGER NOT NULL DEFAULT 0 CHECK (annual_fees >= 0),
    other_fees       INTEGER NOT NULL DEFAULT 0 CHECK (other_fees >= 0),
    days_overdue     INTEGER NOT NULL DEFAULT 0 CHECK (days_overdue >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX accounts_name ON accounts (name);
CREATE INDEX accounts_phone ON accounts (phone);

CREATE TABLE profiles (
    account_ref TEXT NOT NULL REFERENCES accounts (ref),
    version     INTEGER NOT NULL CHECK (version >= 1),
    created_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (account_ref, version)
);

CREATE TABLE offers (
    id             TEXT PRIMARY KEY,
    account_ref    TEXT NOT NULL REFERENCES accounts (ref),
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'offered', 'needs_approval', 'approved',
                                                   'rejected', 'accepted', 'declined', 'expired')),
    authority      TEXT,
    policy_version TEXT NOT NULL,
    currency       TEXT NOT NULL,
    inputs         TEXT NOT NULL,
    headline       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    actor          TEXT NOT NULL
);
CREATE INDEX offers_account ON offers (account_ref, created_at);

CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id    TEXT NOT NULL REFERENCES offers (id),
    account_ref TEXT NOT NULL REFERENCES accounts (ref),
    kind        TEXT NOT NULL CHECK (kind IN ('agreement', 'cancellation', 'breach')),
    supersedes  INTEGER REFERENCES agreements (id),
    created_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    reason      TEXT,
    terms       TEXT NOT NULL
);
CREATE INDEX agreements_account ON agreements (account_ref, id);
CREATE TRIGGER agreements_no_update BEFORE UPDATE ON agreements
BEGIN SELECT RAISE(ABORT, 'agreements are never changed; record a cancellation or breach instead'); END;
CREATE TRIGGER agreements_no_delete BEFORE DELETE ON agreements
BEGIN SELECT RAISE(ABORT, 'agreements are never deleted; record a cancellation or breach instead'); END;

CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit (entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

_V2 = """
CREATE TABLE notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_ref TEXT NOT NULL REFERENCES accounts (ref),
    created_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    text        TEXT NOT NULL
);
CREATE INDEX notes_account ON notes (account_ref, id);
"""

_V3 = """
CREATE TABLE kiosk_attempts (
    account_ref  TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure TEXT,
    locked_until TEXT
);
CREATE INDEX offers_status ON offers (status, created_at);
"""

_V4 = """
CREATE TRIGGER profiles_no_update BEFORE UPDATE ON profiles
BEGIN SELECT RAISE(ABORT, 'hardship profiles are never changed; save a new version instead'); END;
CREATE TRIGGER profiles_no_delete BEFORE DELETE ON profiles
BEGIN SELECT RAISE(ABORT, 'hardship profiles are never deleted; save a new version instead'); END;
"""

_V5 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('db_id', lower(hex(randomblob(16))));
INSERT INTO meta (key, value) SELECT 'audit_legacy_until', CAST(coalesce(max(seq), 0) AS TEXT) FROM audit;

CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),
    password   TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE kiosk_failures (
    kiosk TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX kiosk_failures_at ON kiosk_failures (kiosk, at);
CREATE TABLE kiosk_pauses (
    kiosk        TEXT PRIMARY KEY,
    paused_until TEXT NOT NULL
);
"""

_SERVICING = """
ALTER TABLE offers ADD COLUMN replan_of INTEGER REFERENCES agreements (id);

CREATE TABLE agreement_schedules (
    agreement_id INTEGER PRIMARY KEY REFERENCES agreements (id),
    currency     TEXT NOT NULL,
    start        TEXT NOT NULL,
    total        INTEGER NOT NULL CHECK (total > 0),
    numbers      TEXT NOT NULL,
    dues         TEXT NOT NULL,
    amounts      TEXT NOT NULL,
    fees         TEXT NOT NULL,
    buckets      TEXT NOT NULL
);
CREATE TRIGGER agreement_schedules_no_update BEFORE UPDATE ON agreement_schedules
BEGIN SELECT RAISE(ABORT, 'an agreement schedule is never changed'); END;
CREATE TRIGGER agreement_schedules_no_delete BEFORE DELETE ON agreement_schedules
BEGIN SELECT RAISE(ABORT, 'an agreement schedule is never deleted'); END;

CREATE TABLE payment_batches (
    id          INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    source      TEXT NOT NULL
);
CREATE TRIGGER payment_batches_no_update BEFORE UPDATE ON payment_batches
BEGIN SELECT RAISE(ABORT, 'payments are never changed; record a new payment instead'); END;
CREATE TRIGGER payment_batches_no_delete BEFORE DELETE ON payment_batches
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    account_ref  TEXT NOT NULL REFERENCES accounts (ref),
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    paid_on      TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    currency     TEXT NOT NULL,
    channel      TEXT NOT NULL,
    batch_id     INTEGER NOT NULL REFERENCES payment_batches (id)
);
CREATE INDEX payments_agreement ON payments (agreement_id, paid_on, amount);
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never changed; record a new payment instead'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;

CREATE TABLE agreement_transitions (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    from_status  TEXT,
    to_status    TEXT NOT NULL CHECK (to_status IN ('current', 'in_grace', 'in_arrears', 'broken', 'completed',
                                                    'cancelled', 'superseded')),
    effective_on TEXT NOT NULL,
    record_id    INTEGER REFERENCES agreements (id),
    recorded_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    UNIQUE (agreement_id, effective_on, to_status)
);
CREATE INDEX agreement_transitions_records ON agreement_transitions (record_id) WHERE record_id IS NOT NULL;
CREATE TRIGGER agreement_transitions_no_update BEFORE UPDATE ON agreement_transitions
BEGIN SELECT RAISE(ABORT, 'status transitions are never changed'); END;
CREATE TRIGGER agreement_transitions_no_delete BEFORE DELETE ON agreement_transitions
BEGIN SELECT RAISE(ABORT, 'status transitions are never deleted'); END;

INSERT OR IGNORE INTO agreement_transitions
    (agreement_id, from_status, to_status, effective_on, record_id, recorded_at, actor)
SELECT id, NULL, 'current', coalesce(json_extract(terms, '$.inputs.terms.start'), substr(created_at, 1, 10)),
       NULL, created_at, actor
FROM agreements WHERE kind = 'agreement';
INSERT OR IGNORE INTO agreement_transitions
    (agreement_id, from_status, to_status, effective_on, record_id, recorded_at, actor)
SELECT supersedes, NULL, CASE kind WHEN 'breach' THEN 'broken' ELSE 'cancelled' END, substr(created_at, 1, 10),
       id, created_at, actor
FROM agreements WHERE kind IN ('breach', 'cancellation') AND supersedes IS NOT NULL;
"""

_CONDUCT = """
CREATE TABLE contacts (
    id              INTEGER PRIMARY KEY,
    account_ref     TEXT NOT NULL REFERENCES accounts (ref),
    at              TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('call', 'sms', 'letter', 'kiosk')),
    direction       TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    party           TEXT NOT NULL CHECK (party IN ('debtor', 'representative', 'third_party')),
    purpose         TEXT NOT NULL CHECK (purpose IN ('collection', 'reminder', 'complaint', 'service')),
    outcome         TEXT CHECK (outcome IN ('answered', 'no_answer', 'wrong_party', 'promise', 'refused', 'sent')),
    decision        TEXT NOT NULL CHECK (decision IN ('allowed', 'overridden', 'refused')),
    rules           TEXT NOT NULL DEFAULT '[]',
    actor           TEXT NOT NULL,
    role            TEXT NOT NULL,
    override_by     TEXT,
    override_reason TEXT,
    note            TEXT NOT NULL DEFAULT '',
    CHECK ((decision = 'refused') = (outcome IS NULL)),
    CHECK ((decision = 'overridden') = (override_by IS NOT NULL AND override_reason IS NOT NULL))
);
CREATE INDEX contacts_account ON contacts (account_ref, at);
CREATE INDEX contacts_at ON contacts (at);
CREATE TRIGGER contacts_no_update BEFORE UPDATE ON contacts
BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;
CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;

CREATE TABLE account_flags (
    id          INTEGER PRIMARY KEY,
    account_ref TEXT NOT NULL REFERENCES accounts (ref),
    flag        TEXT NOT NULL CHECK (flag IN ('written_only', 'represented', 'disputed', 'deceased')),
    is_set      INTEGER NOT NULL CHECK (is_set IN (0, 1)),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX account_flags_account ON account_flags (account_ref, id);
CREATE TRIGGER account_flags_no_update BEFORE UPDATE ON account_flags
BEGIN SELECT RAISE(ABORT, 'flags are history: set or clear a flag with a new row'); END;
CREATE TRIGGER account_flags_no_delete BEFORE DELETE ON account_flags
BEGIN SELECT RAISE(ABORT, 'flags are history: set or clear a flag with a new row'); END;

CREATE TABLE complaints (
    id          INTEGER PRIMARY KEY,
    account_ref TEXT NOT NULL REFERENCES accounts (ref),
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('phone', 'kiosk', 'counter', 'letter', 'email')),
    category    TEXT NOT NULL CHECK (category IN ('collection_conduct', 'amount_dispute', 'plan_terms', 'other')),
    text        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    received_by TEXT NOT NULL,
    role        TEXT NOT NULL
);
CREATE INDEX complaints_account ON complaints (account_ref, id);
CREATE INDEX complaints_received ON complaints (received_on);
CREATE TRIGGER complaints_no_update BEFORE UPDATE ON complaints
BEGIN SELECT RAISE(ABORT, 'a complaint is never changed; add an event'); END;
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints
BEGIN SELECT RAISE(ABORT, 'a complaint is never deleted'); END;

CREATE TABLE complaint_events (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    kind         TEXT NOT NULL CHECK (kind IN ('acknowledged', 'extended', 'resolved')),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    role         TEXT NOT NULL,
    due_on       TEXT,  -- extended: the new due date; resolved: the day it was resolved (local)
    approved_by  TEXT,
    reason       TEXT,
    outcome      TEXT CHECK (outcome IN ('upheld', 'partly_upheld', 'not_upheld'))
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);
CREATE UNIQUE INDEX complaint_events_once ON complaint_events (complaint_id, kind) WHERE kind != 'extended';
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint events are history'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN SELECT RAISE(ABORT, 'complaint events are history'); END;
"""

#: ``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _SERVICING, _CONDUCT)
LATEST = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The file was written by a newer version of the program."""


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check(conn: sqlite3.Connection) -> int:
    """The version of ``conn``'s schema, refusing one newer than this program knows."""
    found = version(conn)
    if found > LATEST:
        raise SchemaTooNew(f"database schema version {found} is newer than this program's {LATEST}")
    return found


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Upgrade ``conn`` (autocommit mode) to ``target``; returns the version it started at.

    Runs under an exclusive write lock and re-reads the version inside it, so two
    processes opening a new file at once migrate it once.  A file already at
    ``target`` is only read: opening the store never waits for another writer
    (e.g. a long import) when there is nothing to migrate.
    """
    start = check(conn)
    if start >= target:
        return start
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = version(conn)
        if start > LATEST:
            raise SchemaTooNew(f"database schema version {start} is newer than this program's {LATEST}")
        for step in range(start, target):
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return start


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers hold ``;`` inside BEGIN..END)."""
    out: list[str] = []
    buf = ""
    for line in script.strip().splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
