"""The audit log's key: a file outside the database, created readable by its owner only on first use.

Where it is: the path given (the kiosk's ``[kiosk] audit_key``), else
``$INSTALLMENT_AUDIT_KEY``, else ``$XDG_CONFIG_HOME/installment/audit.key``
(``~/.config/installment/audit.key``).  The file holds 32 random bytes as hex.  It is
made with mode 0600 (0640 with ``INSTALLMENT_FILE_MODE=group``, so that agents of
one group can share a database) in a folder made 0700 (0750); a key file that
other users could read is refused.  Every program that writes to one database
needs the same key file: the database records the key's id and refuses another.

The key's id (the first 16 hex digits of an HMAC of a fixed text) names the key in
messages without revealing it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from calc.errors import InstallmentError

from .. import files

KEY_ENV = "INSTALLMENT_AUDIT_KEY"
KEY_BYTES = 32


class AuditKeyError(InstallmentError):
    """The key file cannot be made, read or trusted."""


@dataclass(frozen=True)
class AuditKey:
    path: Path
    secret: bytes

    @property
    def id(self) -> str:
        return hmac.new(self.secret, b"installment audit key id", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:  # never the secret
        return f"AuditKey({str(self.path)!r}, id={self.id})"


def key_path(path: str | os.PathLike | None = None) -> Path:
    """``path`` if given, else ``$INSTALLMENT_AUDIT_KEY``, else the per-user default."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "installment" / "audit.key"


def load_key(path: str | os.PathLike | None = None, *, create: bool = True) -> AuditKey:
    """The key at :func:`key_path` ``(path)``, made on first use when ``create``."""
    where = key_path(path)
    if create and not where.exists():
        try:
            files.make_dir(where.parent)
            if files.create_private(where):
                with open(where, "w", encoding="ascii") as fh:
                    fh.write(os.urandom(KEY_BYTES).hex() + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
        except OSError as exc:
            raise AuditKeyError(
                f"cannot create the audit key file {where}: {exc.strerror or exc}; set "
                f"{KEY_ENV} to a file in a folder you can write",
                "audit_key",
            ) from None
    try:
        st = os.stat(where)
        text = where.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise AuditKeyError(
            f"no audit key file at {where}; give the database's key file with {KEY_ENV}", "audit_key"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditKeyError(f"cannot read the audit key file {where}: {exc}", "audit_key") from None
    if stat.S_IMODE(st.st_mode) & 0o007:
        raise AuditKeyError(
            f"the audit key file {where} can be read or written by other users; make it private (chmod 600 {where})",
            "audit_key",
        )
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < KEY_BYTES:
        raise AuditKeyError(f"{where} is not an audit key file ({KEY_BYTES * 2} hex digits)", "audit_key")
    return AuditKey(where, secret)


__all__ = ["AuditKey", "AuditKeyError", "KEY_BYTES", "KEY_ENV", "key_path", "load_key"]
