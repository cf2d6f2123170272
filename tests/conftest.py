"""Test-session settings: the audit key and its anchors live in a temporary folder, never in ~/.config."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config) -> None:
    folder = tempfile.mkdtemp(prefix="installment-audit-key-")
    os.environ["INSTALLMENT_AUDIT_KEY"] = os.path.join(folder, "audit.key")  # subprocesses inherit it
    os.environ.pop("INSTALLMENT_AUDIT_ANCHORS", None)
    os.environ.pop("INSTALLMENT_FILE_MODE", None)


# -- PostgreSQL: a server of the session's own, and the store tests on both backends --------------
import pytest  # noqa: E402

from pg_server import PgServer, server_bin  # noqa: E402

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
