"""`installment db backup FILE [--db FILE|URL]`, `installment db roles [--db URL] [--print]`.

``backup``: a consistent copy of the database while it is in use.  A SQLite file is
copied with SQLite's online backup API; a PostgreSQL database with PostgreSQL's own
``pg_dump`` (custom format: restore it with ``pg_restore``), and the command says
so.  Agents may keep working during the copy; the copy is written under a
temporary name and renamed, so FILE is whole or absent.

``roles``: create PostgreSQL's group roles (kiosk, agent, supervisor, batch) and
grant each what it may do (:func:`plans.store.pg_schema.roles_sql`); ``--print``
prints the SQL instead, for a database administrator to run.

Also holds the ``--db`` option and the acting user shared by the store commands.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from calc.errors import InvalidInput


def add_db_argument(p) -> None:
    p.add_argument(
        "--db",
        metavar="FILE|URL",
        help="SQLite database file, or a postgresql://user@host:port/dbname URL (default: "
        "$INSTALLMENT_DB, else ~/.local/share/installment/installment.db)",
    )


def current_user() -> str:
    """The login name recorded as the actor of command-line changes."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def register(sub) -> None:
    p = sub.add_parser(
        "db", help="database maintenance (backup, PostgreSQL roles)", description="Database maintenance."
    )
    actions = p.add_subparsers(dest="db_action", metavar="ACTION")
    actions.required = True
    b = actions.add_parser(
        "backup",
        help="write a consistent copy of the database to FILE",
        description="Write a consistent copy of the database to FILE, while it is in use.",
    )
    b.add_argument("file", metavar="FILE", help="where to write the copy (replaced if it exists)")
    add_db_argument(b)
    b.set_defaults(run=run_backup)
    r = actions.add_parser(
        "roles",
        help="create the PostgreSQL roles and grant each what it may do",
        description="Create the group roles installment_kiosk, installment_agent, "
        "installment_supervisor and installment_batch (when missing) and grant each "
        "what it may do; run it as the database's owner, again after an upgrade.",
    )
    r.add_argument("--print", action="store_true", help="print the SQL instead of running it")
    add_db_argument(r)
    r.set_defaults(run=run_roles)


def run_backup(args) -> int:
    from plans.store import open_store, parse_db

    source = parse_db(args.db)
    dest = Path(args.file).expanduser()
    local = isinstance(source, Path)
    if isinstance(source, Path) and dest.exists() and source.exists() and os.path.samefile(dest, source):
        raise InvalidInput(f"{dest} is the database itself; choose another file", "FILE")
    if not dest.parent.is_dir():
        raise InvalidInput(f"folder {dest.parent} does not exist", "FILE")
    store = open_store(source, existing=True)
    try:
        tool = store.backend.backup(dest)
        version, accounts = store.backend.schema_version, store.count_accounts()
    finally:
        store.close()
    how = "" if local else f" with {tool}; restore it with pg_restore"
    print(f"backed up {source} to {dest}{how} (schema version {version}, {accounts} accounts)")
    return 0


def run_roles(args) -> int:
    from plans.store import StoreError, open_store, parse_db
    from plans.store.pg_schema import roles_sql
    from plans.store.postgres import PostgresBackend

    if args.print:
        print(roles_sql(), end="")
        return 0
    where = parse_db(args.db)
    if isinstance(where, Path):
        raise StoreError(
            f"{where} is a SQLite file: roles are PostgreSQL's (give a postgresql:// URL, or --print)", "--db"
        )

    store = open_store(where, actor=current_user(), role="admin")
    try:
        assert isinstance(store.backend, PostgresBackend)  # a postgresql:// URL opens one
        store.backend.run_script(roles_sql())
    finally:
        store.close()
    print(
        f"roles installment_kiosk, installment_agent, installment_supervisor and installment_batch are set up "
        f"in {where}; make each person's or program's login role a member of one, e.g. "
        "CREATE ROLE li_wei LOGIN IN ROLE installment_agent"
    )
    return 0
