"""Shared test set-up: the audit key and its anchors live in a temporary folder (never in ~/.config), and
the demo database with agreements in every status that the servicing and monitor tests share."""

from __future__ import annotations

import gc
import os
import tempfile

import pytest
from cli_helpers import run
from pg_server import PgServer, server_bin


def pytest_configure(config) -> None:
    # The test processes hold every imported module (Textual, hypothesis, the project) and create
    # thousands of short-lived objects per console test.  At Python's default thresholds (700, 10, 10) the
    # collector keeps re-walking that heap: fewer, larger young collections save about a seventh of the
    # console tests' CPU.  What is cyclic garbage is still collected.
    gc.set_threshold(10_000, 50, 50)
    folder = tempfile.mkdtemp(prefix="installment-audit-key-")
    os.environ["INSTALLMENT_AUDIT_KEY"] = os.path.join(folder, "audit.key")  # subprocesses inherit it
    os.environ.pop("INSTALLMENT_AUDIT_ANCHORS", None)
    os.environ.pop("INSTALLMENT_FILE_MODE", None)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo database with agreements in every status (`installment demo-data`)."""
    folder = tmp_path_factory.mktemp("serv")
    r = run("demo-data", "--accounts", "30", "--db", folder / "demo.db")
    assert r.returncode == 0, r.stderr
    assert "agreements in service, as of 2026-12-01" in r.stdout
    return folder / "demo.db"


# -- PostgreSQL: a server of the session's own, and the store tests on both backends --------------
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server started for this session (skipped only when the server package is missing:
    `.ci/run` installs it, so CI never skips)."""
    bindir = server_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl) are not installed; install postgresql")
    server = PgServer(bindir)
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """Where a test's database is, on each backend: a SQLite file, or a new PostgreSQL database's URL."""
    if request.param == "sqlite":
        return tmp_path / "store.db"
    return request.getfixturevalue("pg_server").new_database()


def pytest_collection_finish(session) -> None:
    """What every test imports stays for the whole run: move it out of the collector's way."""
    gc.collect()
    gc.freeze()
