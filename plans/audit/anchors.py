"""Anchors of audit logs, kept as files in a folder the database cannot reach.

One file per database, ``<folder>/<database id>.anchor`` (JSON), holding the number
and seal of the newest audit entry and sealed with the audit key
(:class:`plans.audit.chain.Anchor`).  The folder is the kiosk's ``[kiosk] audit_anchors``,
else ``$INSTALLMENT_AUDIT_ANCHORS``, else ``audit-anchors`` beside the key file;
it is made 0700 (0750 with ``INSTALLMENT_FILE_MODE=group``).

Writers serialize on a lock file and an anchor only moves forward, so two programs
anchoring at once leave the higher entry.  :meth:`FileAnchors.advance` never
creates an anchor: a deleted anchor stays missing (and ``installment audit verify``
says so) instead of being quietly made again from a log that may have been cut.
This class is one implementation of :class:`plans.audit.chain.AnchorStore`; a PostgreSQL
store can keep its anchors the same way.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .. import files
from .chain import Anchor

ANCHORS_ENV = "INSTALLMENT_AUDIT_ANCHORS"
_ID = re.compile(r"^[0-9a-f]{8,64}$")
UNREADABLE = "unreadable"


def anchors_path(path: str | os.PathLike | None, key_file: Path) -> Path:
    """``path`` if given, else ``$INSTALLMENT_AUDIT_ANCHORS``, else ``audit-anchors`` beside the key file."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get(ANCHORS_ENV)
    return Path(env).expanduser() if env else key_file.parent / "audit-anchors"


class FileAnchors:
    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    def _file(self, db_id: str) -> Path:
        if not _ID.match(db_id):  # the id comes from the database: never a path
            raise ValueError(f"not a database id: {db_id!r}")
        return self.folder / f"{db_id}.anchor"

    def where(self, db_id: str) -> str:
        try:
            return str(self._file(db_id))
        except ValueError:
            return str(self.folder)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        files.make_dir(self.folder)
        with files.open_private(self.folder / ".lock", append=True) as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            yield

    def read(self, db_id: str) -> Anchor | None:
        try:
            data = json.loads(self._file(db_id).read_text(encoding="utf-8"))
            return Anchor(
                db_id=str(data["db_id"]),
                seq=int(data["seq"]),
                head=str(data["head"]),
                legacy_until=int(data["legacy_until"]),
                key_id=str(data["key_id"]),
                at=str(data["at"]),
                mac=str(data["mac"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):  # unreadable: cannot be trusted either
            return Anchor(db_id, -1, "", -1, "", "?", UNREADABLE)

    def _write(self, anchor: Anchor) -> None:
        files.write_atomic(self._file(anchor.db_id), json.dumps({**anchor.body(), "mac": anchor.mac}) + "\n")

    def create(self, anchor: Anchor) -> bool:
        with self._locked():
            if self._file(anchor.db_id).exists():
                return False
            self._write(anchor)
            return True

    def advance(self, anchor: Anchor) -> None:
        with self._locked():
            current = self.read(anchor.db_id)
            if current is None or current.mac == UNREADABLE or current.seq >= anchor.seq:
                return  # missing or damaged anchors stay as they are, for verification to report
            self._write(anchor)


__all__ = ["ANCHORS_ENV", "FileAnchors", "anchors_path"]
