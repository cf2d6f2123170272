"""Shared test set-up: the audit key and its anchors live in a temporary folder (never in ~/.config), and
the demo database with agreements in every status that the servicing and monitor tests share."""

from __future__ import annotations

import atexit
import gc
import logging
import os
import shutil
import sys
import tempfile

import pbkdf2_once
import pytest
from cli_helpers import run
from db_templates import BACKENDS, Templates
from pg_server import PgServer, server_bin

from installment_tui.cli import single_threaded_blas
from installment_tui.collector import THRESHOLDS, pace_for_console

_AUDIT_KEY_FOLDER = pytest.StashKey[str]()


def pytest_configure(config) -> None:
    # The consoles' collector pace (installment_tui.collector) from the start: collection imports everything.
    gc.set_threshold(*THRESHOLDS)
    pbkdf2_once.install()
    single_threaded_blas()  # as the command line does, for the test processes and the commands they start
    folder = tempfile.mkdtemp(prefix="installment-audit-key-")
    config.stash[_AUDIT_KEY_FOLDER] = folder
    os.environ["INSTALLMENT_AUDIT_KEY"] = os.path.join(folder, "audit.key")  # subprocesses inherit it
    os.environ.pop("INSTALLMENT_AUDIT_ANCHORS", None)
    os.environ.pop("INSTALLMENT_FILE_MODE", None)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        atexit.register(_leave_at_once)


def pytest_unconfigure(config) -> None:
    """The audit key's folder goes with the process that made it (each worker and the main process make
    one; they were left behind, seven a run)."""
    folder = config.stash.get(_AUDIT_KEY_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _leave_at_once() -> None:
    """An xdist worker's last step: it has run its tests and sent every report, and the main process
    waits for it to end.  Python's finalization of what a worker holds by then (the consoles' tests leave
    some 400 MB of objects) cost 10-15 s of CPU a worker, about a sixth of the suite's CPU, spent after
    the last test; ``os._exit`` skips it.  Exit handlers registered after this one (those of modules
    imported later) have run; the logging ones registered before are run here."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo database with agreements in every status (`installment demo-data`)."""
    folder = tmp_path_factory.mktemp("serv")
    r = run("demo-data", "--accounts", "30", "--db", folder / "demo.db")
    assert r.returncode == 0, r.stderr
    assert "agreements in service, as of 2026-12-01" in r.stdout
    return folder / "demo.db"


# -- PostgreSQL: a server of the session's own, and the store tests on both backends (BACKENDS) ----


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


@pytest.fixture(scope="module")
def db_templates(tmp_path_factory):
    """The databases this module sets up once and copies for each test (tests/db_templates.py)."""
    return Templates(tmp_path_factory.mktemp("templates"))


def pytest_collection_finish(session) -> None:
    """What every test imports stays for the whole run: frozen, as the consoles freeze theirs once started
    (a console test's app makes as much short-lived garbage as the console does)."""
    pace_for_console()
