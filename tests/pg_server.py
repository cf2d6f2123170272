"""A throw-away PostgreSQL server for the test session (and the load benchmark).

``initdb`` and ``pg_ctl`` from PostgreSQL's server package make a cluster in a
temporary folder that listens on a unix socket in that folder only (no TCP port),
with ``fsync`` off (the data is thrown away).  ``initdb`` refuses to run as root:
as root, the cluster is made and run by the unprivileged ``nobody`` user
(``runuser``), which is given the folder.  Each test gets a database of its own
(:meth:`PgServer.new_database`); its URL is what ``--db`` takes.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

SUPERUSER = "installment_test"


def server_bin() -> Path | None:
    """The newest PostgreSQL server's programs (``initdb``, ``pg_ctl``), or None when not installed."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PgServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="installment-pg-"))
        self.data = self.folder / "data"
        self._as_nobody = os.geteuid() == 0
        self._names = itertools.count(1)
        if self._as_nobody:
            shutil.chown(self.folder, "nobody", "nogroup")
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
            "-c shared_buffers=64MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bindir / program), *args]
        if self._as_nobody:
            cmd = ["runuser", "-u", "nobody", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")

    def url(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@/{dbname}?host={self.folder}"

    def sql(self, statement: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(dbname), autocommit=True) as conn:
            conn.execute(statement)

    def new_database(self) -> str:
        """A new, empty database (a schema of its own in the shared database: much faster to make
        than a database, and just as separate for the store); returns its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.sql(f"CREATE SCHEMA {name}")
        return self.url() + f"&options=-csearch_path%3D{name}"

    def new_real_database(self, template: str | None = None) -> str:
        """A new database of its own (for ``pg_dump``, or to copy): empty, or a copy of ``template`` (the
        URL of another database of this server, which nobody may be connected to while it is copied:
        ``CREATE DATABASE ... TEMPLATE``); returns its URL."""
        name = f"d{os.getpid()}_{next(self._names)}"
        if template is None:
            self.sql(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY")
        else:  # copied through the WAL: FILE_COPY checkpoints the whole server twice, busy with other tests
            self.sql(f"CREATE DATABASE {name} TEMPLATE {self.database_name(template)} STRATEGY WAL_LOG")
        return self.url(name)

    def database_name(self, url: str) -> str:
        """The name of the database of this server that ``url`` names (as :meth:`url` spells it)."""
        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        if parts.query != f"host={self.folder}" or not name.isidentifier():
            raise ValueError(f"not a database of this server: {url}")
        return name

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
