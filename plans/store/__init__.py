"""The store: accounts, versioned hardship profiles, offers, agreements, notes, audit log.

Callers use :func:`open_store` and the :class:`Store` it returns; they never see SQL.
SQLite is the embedded backend (``plans.store.sqlite``, schema in
``plans.store.schema``); a PostgreSQL backend offering the same transaction
methods can be passed to :class:`Store` instead.

Where the database is: ``--db FILE`` (the ``path`` argument), else the
``INSTALLMENT_DB`` environment variable, else ``$XDG_DATA_HOME/installment/installment.db``
(``~/.local/share/installment/installment.db`` when ``XDG_DATA_HOME`` is unset).
The file and its folder are created (readable by the owner only), and the schema
migrated, on first use.  A ``postgresql://`` URL names a PostgreSQL database
instead (:mod:`plans.store.location`, :mod:`plans.store.postgres`).

Typical use::

    store = open_store(args.db, actor="zhang.wei", role="agent")
    acc = store.get_account("CC-2025-000123")
    store.save_profile(acc.ref, profile)          # -> version number
    rec = store.save_offer(offer, acc.ref, status="offered")
    store.create_agreement(rec.id)                # accepts the offer, records the agreement
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Callable

from ..vocabulary import OFFER_STATUSES
from .kiosk import KIOSK_MAX_FAILURES, KIOSK_PAUSE, KIOSK_WINDOW
from .records import (
    AGREEMENT_KINDS,
    ROLES,
    TRANSITIONS,
    Account,
    AgreementRecord,
    Identification,
    InvalidTransition,
    Note,
    NotAllowed,
    NotFound,
    OfferRecord,
    PaymentImport,
    PaymentRecord,
    ProfileVersion,
    StoreError,
    AuditKeyMismatch,
    NewerSchema,
    NotADatabase,
    TransitionRecord,
    UpsertResult,
    profile_from_json,
    profile_to_json,
)
from .api import StoreApi
from .location import ENV_VAR, PostgresUrl, default_db_path, parse_db, redact, resolve_db_path
from .store import LOCK_TIME, MAX_FAILURES, Store, _utc_now
from .users import USER_ROLES, User


def open_store(
    path: str | os.PathLike | None = None,
    actor: str = "system",
    role: str = "system",
    clock: Callable[[], datetime] = _utc_now,
    *,
    existing: bool = False,
    busy_timeout: float | None = None,
    audit_key: str | os.PathLike | None = None,
    audit_anchors: str | os.PathLike | None = None,
) -> StoreApi:
    """Open the store :func:`parse_db` ``(path)`` names: a SQLite file or a PostgreSQL database.

    It is a :class:`Store`, typed as what callers may use of it (:class:`StoreApi`).

    By default the SQLite file is created (readable by its owner only: :mod:`plans.files`)
    and the schema migrated to the latest version as needed (a PostgreSQL database
    must exist; its tables are created); a new or upgraded database gets the first
    anchor of its audit log.  With ``existing=True`` (for checks and backups) it
    must already be an installment database, and it is opened as it is: nothing is
    created or migrated.  ``busy_timeout`` (seconds, default 30) is how long a write
    waits for another writer.  ``audit_key`` and ``audit_anchors`` name the audit
    key file and the anchors folder (default: :mod:`plans.audit.keys`,
    :mod:`plans.audit.anchors`).
    """
    import sqlite3

    from .audit_log import KEYED_SCHEMA, AuditSeal
    from .backend import Backend
    from .schema import SchemaTooNew
    from .sqlite import BUSY_TIMEOUT_MS, SqliteBackend

    db = parse_db(path)
    timeout = BUSY_TIMEOUT_MS if busy_timeout is None else int(busy_timeout * 1000)
    backend: Backend
    if isinstance(db, PostgresUrl):
        from .postgres import PostgresBackend

        try:
            backend = PostgresBackend(db, migrate=not existing, busy_timeout_ms=timeout)
        except SchemaTooNew as exc:
            raise NewerSchema(f"{db}: {exc}; use a newer version of this program", "db") from None
        if existing and backend.migrated_from == 0:
            backend.close()
            raise NotADatabase(f"{db} is not an installment database (no schema version)", "db")
    else:
        if existing and not db.is_file():
            raise NotADatabase(f"no database at {db}", "db")
        try:
            backend = SqliteBackend(db, migrate=not existing, busy_timeout_ms=timeout)
            if existing and backend.migrated_from == 0:
                backend.close()
                raise NotADatabase(f"{db} is not an installment database (no schema version)", "db")
        except SchemaTooNew as exc:
            raise NewerSchema(f"{db}: {exc}; use a newer version of this program", "db") from None
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open {db} as an installment database ({exc})", "db") from None
    store = Store(
        backend, actor=actor, role=role, clock=clock, seal=AuditSeal(audit_key, audit_anchors, create_key=not existing)
    )
    if not existing and backend.migrated_from < KEYED_SCHEMA:
        try:
            store.anchor()  # this process made (or upgraded) the database: its log's first anchor
        except BaseException:
            backend.close()
            raise
    return store


__all__ = [
    "AGREEMENT_KINDS",
    "ENV_VAR",
    "KIOSK_MAX_FAILURES",
    "KIOSK_PAUSE",
    "KIOSK_WINDOW",
    "LOCK_TIME",
    "MAX_FAILURES",
    "OFFER_STATUSES",
    "ROLES",
    "TRANSITIONS",
    "USER_ROLES",
    "User",
    "Account",
    "AgreementRecord",
    "Identification",
    "InvalidTransition",
    "Note",
    "NotAllowed",
    "NotFound",
    "OfferRecord",
    "PaymentImport",
    "PaymentRecord",
    "PostgresUrl",
    "ProfileVersion",
    "Store",
    "StoreApi",
    "StoreError",
    "AuditKeyMismatch",
    "NewerSchema",
    "NotADatabase",
    "TransitionRecord",
    "UpsertResult",
    "default_db_path",
    "open_store",
    "parse_db",
    "profile_from_json",
    "profile_to_json",
    "redact",
    "resolve_db_path",
]
