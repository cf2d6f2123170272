"""Where the database is: one parser for ``--db`` and ``INSTALLMENT_DB``.

A ``postgresql://`` or ``postgres://`` URL (``postgresql://user@host:5432/dbname``,
``postgresql:///dbname?host=/run/postgresql``) names a PostgreSQL database; any
other value is the path of a SQLite file.  A value that looks like a URL
(``scheme://...``) with another scheme is refused with a clear message, so a typo
such as ``postgress://`` never becomes a folder named ``postgress:``.

A password written in the URL is never shown: :class:`PostgresUrl` prints (and is
audited and reported) with the password replaced by ``***``.  Prefer a password
file (``~/.pgpass``) or ``PGPASSWORD`` to a password in the URL.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .records import StoreError

ENV_VAR = "INSTALLMENT_DB"
POSTGRES_SCHEMES = ("postgresql", "postgres")
_URL_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class PostgresUrl:
    """A PostgreSQL connection URL; ``str()`` hides the password, ``url`` is what libpq is given."""

    url: str

    def __str__(self) -> str:
        return redact(self.url)

    def __repr__(self) -> str:
        return f"PostgresUrl({str(self)!r})"

    def __fspath__(self) -> str:  # never a file: a path operation on a URL is a mistake
        raise TypeError(f"{self} is a PostgreSQL database, not a file")


def redact(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` parameter) replaced by ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = re.sub(r"(?i)(^|&)(password)=[^&]*", r"\1\2=***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def default_db_path() -> Path:
    """The per-user default database file."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "installment" / "installment.db"


def parse_db(value: str | os.PathLike | PostgresUrl | None) -> Path | PostgresUrl:
    """``value`` (``--db``), else ``$INSTALLMENT_DB``, else :func:`default_db_path`, as a SQLite
    path or a :class:`PostgresUrl`; a URL with an unknown scheme is a StoreError."""
    if isinstance(value, (Path, PostgresUrl)):
        return value.expanduser() if isinstance(value, Path) else value
    where = "--db"
    if not value:
        value, where = os.environ.get(ENV_VAR) or None, ENV_VAR
        if value is None:
            return default_db_path()
    text = os.fspath(value)
    m = _URL_LIKE.match(text)
    if m is None:
        return Path(text).expanduser()
    scheme = m.group(1).lower()
    if scheme not in POSTGRES_SCHEMES:
        raise StoreError(
            f"{redact(text)} is a {scheme}:// address; give a postgresql:// URL "
            "(postgresql://user@host:5432/dbname) or the path of a SQLite file",
            where,
        )
    parts = urlsplit(text)
    if not parts.path.strip("/") and "dbname=" not in parts.query:
        raise StoreError(
            f"{redact(text)} names no database; add it after the host: postgresql://user@host:5432/dbname", where
        )
    return PostgresUrl(text)


def resolve_db_path(path: str | os.PathLike | None = None) -> Path:
    """The SQLite file :func:`parse_db` names; a StoreError when it names a PostgreSQL database."""
    found = parse_db(path)
    if isinstance(found, PostgresUrl):
        raise StoreError(f"{found} is a PostgreSQL database, not a file", "--db")
    return found


__all__ = ["ENV_VAR", "POSTGRES_SCHEMES", "PostgresUrl", "default_db_path", "parse_db", "redact", "resolve_db_path"]
