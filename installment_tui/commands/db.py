"""`installment db backup FILE [--db FILE]`: a consistent copy of the database while it is in use.

Uses SQLite's online backup API, so agents may keep working during the copy; the
copy is written under a temporary name and renamed, so FILE is whole or absent.
Also holds the ``--db`` option and the acting user shared by the store commands.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from calc.errors import InvalidInput


def add_db_argument(p) -> None:
    p.add_argument("--db", metavar="FILE",
                   help="database file (default: $INSTALLMENT_DB, else ~/.local/share/installment/installment.db)")


def current_user() -> str:
    """The login name recorded as the actor of command-line changes."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def register(sub) -> None:
    p = sub.add_parser("db", help="database maintenance (backup)",
                       description="Database maintenance.")
    actions = p.add_subparsers(dest="db_action", metavar="ACTION")
    actions.required = True
    b = actions.add_parser("backup", help="write a consistent copy of the database to FILE",
                           description="Write a consistent copy of the database to FILE, while it is in use.")
    b.add_argument("file", metavar="FILE", help="where to write the copy (replaced if it exists)")
    add_db_argument(b)
    b.set_defaults(run=run_backup)


def run_backup(args) -> int:
    from plans.store import open_store, resolve_db_path

    source = resolve_db_path(args.db)
    dest = Path(args.file).expanduser()
    if dest.exists() and source.exists() and os.path.samefile(dest, source):
        raise InvalidInput(f"{dest} is the database itself; choose another file", "FILE")
    if not dest.parent.is_dir():
        raise InvalidInput(f"folder {dest.parent} does not exist", "FILE")
    store = open_store(source, existing=True)
    try:
        store.backend.backup(dest)
        version, accounts = store.backend.schema_version, store.count_accounts()
    finally:
        store.close()
    print(f"backed up {source} to {dest} (schema version {version}, {accounts} accounts)")
    return 0
