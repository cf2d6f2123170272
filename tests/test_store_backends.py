"""Both backends satisfy the store's backend interface, and PostgreSQL's queries are SQLite's."""

from __future__ import annotations

import inspect
import time
from typing import Protocol

from calc.debt import Debt

from plans.store import Account, Store, StoreApi, open_store
from plans.store.backend import Backend, Watch
from plans.store.postgres import PgTx, dialect
from plans.store.sqlite import Tx


def test_each_backend_and_its_watch_satisfy_the_protocols(db):
    with open_store(db) as store:
        assert isinstance(store.backend, Backend)
        watch = store.watch_changes()
        assert isinstance(watch, Watch) and watch.poll() is False
        with open_store(db, actor="other", role="batch") as other:  # another console, kiosk or batch
            other.upsert_accounts([Account("X-1", "CNY", Debt("CNY", principal=1_00))])
        deadline = time.monotonic() + 5
        while not watch.poll():  # a notification may arrive a moment after the commit
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert watch.poll() is False
        watch.close()


def test_the_store_on_each_backend_is_what_the_interfaces_use(db):
    """open_store returns a StoreApi (mypy checks that statically: plans.store.open_store returns a Store
    typed as StoreApi); here the Store on SQLite and on PostgreSQL has every member of it at run time."""
    members = {n for n in dir(StoreApi) if not n.startswith("_") or n in ("__enter__", "__exit__")} - set(
        dir(Protocol)
    ) | set(StoreApi.__annotations__)
    assert {"get_account", "save_offer", "create_agreement", "identify", "log_contact", "actor", "clock"} <= members
    with open_store(db) as store:
        assert type(store) is Store and isinstance(store, StoreApi)
        assert isinstance(store.as_actor("someone", "agent"), StoreApi)
        for name in members:
            assert hasattr(store, name), name
            if callable(getattr(StoreApi, name, None)):
                assert callable(getattr(store, name)), name
                # the same parameters, in the same order, as the protocol says
                want = list(inspect.signature(getattr(StoreApi, name)).parameters)
                assert list(inspect.signature(getattr(Store, name)).parameters) == want, name


def test_every_query_method_of_sqlite_is_one_of_postgresqls():
    names = {n for n, _ in inspect.getmembers(Tx, inspect.isfunction) if not n.startswith("__")}
    assert names <= {n for n, _ in inspect.getmembers(PgTx, inspect.isfunction)}


def test_dialect():
    assert (
        dialect("SELECT * FROM a WHERE x LIKE ? ESCAPE '\\' AND y = ?")
        == "SELECT * FROM a WHERE x ILIKE %s ESCAPE '\\' AND y = %s"
    )
    assert dialect("INSERT OR IGNORE INTO t (a) VALUES (?)") == "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING"
    assert dialect("SELECT group_concat(paid_on) FROM p") == "SELECT string_agg(paid_on::text, ',') FROM p"
    assert (
        dialect("SELECT json_extract(a.terms, '$.inputs.currency')")
        == "SELECT (a.terms::jsonb #>> '{inputs,currency}')"
    )
