"""Files holding personal data: created readable by their owner only, and written whole or not at all.

Every file the program creates with personal data in it (the database and its
``-wal``/``-shm``, backups, exported summaries, letters, batch outputs, kiosk
receipts and the kiosk log) gets mode 0600 whatever the umask, and every folder it
creates for them 0700.  On a console host where several agents (Unix users of one
group) share one database, set ``INSTALLMENT_FILE_MODE=group``: the group may then
read the files (0640) and folders (0750), and read and write the database (0660,
folder 0770), which it must to share it.  Other users never get access.

:func:`write_atomic` writes data to a temporary file in the target's folder,
flushes it to disk, gives it the mode and renames it over the target; on any
failure the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from calc.errors import InvalidInput

MODE_ENV = "INSTALLMENT_FILE_MODE"
_MODES = {  # setting -> (file, folder, database file, database folder)
    "private": (0o600, 0o700, 0o600, 0o700),
    "group": (0o640, 0o750, 0o660, 0o770),
}


def _modes() -> tuple[int, int, int, int]:
    setting = (os.environ.get(MODE_ENV) or "private").strip().lower()
    if setting not in _MODES:
        raise InvalidInput(f"unknown value {setting!r}; use private (the default) or group", MODE_ENV)
    return _MODES[setting]


def file_mode(*, database: bool = False) -> int:
    """The mode of a new file with personal data (``database``: the SQLite file and its companions)."""
    modes = _modes()
    return modes[2] if database else modes[0]


def dir_mode(*, database: bool = False) -> int:
    modes = _modes()
    return modes[3] if database else modes[1]


def make_dir(path: str | os.PathLike, *, database: bool = False) -> Path:
    """Create ``path`` (and missing parents) with :func:`dir_mode`; an existing folder is left as it is."""
    path = Path(path)
    missing = []
    for p in (path, *path.parents):
        if p.exists():
            break
        missing.append(p)
    path.mkdir(parents=True, exist_ok=True)
    mode = dir_mode(database=database)
    for p in missing:
        try:
            os.chmod(p, mode)
        except OSError:  # created by someone else meanwhile
            pass
    return path


def create_private(path: str | os.PathLike, *, database: bool = False) -> bool:
    """Create ``path`` empty with :func:`file_mode` unless it exists; True when it was created."""
    mode = file_mode(database=database)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, mode)  # the umask does not apply to fchmod
    finally:
        os.close(fd)
    return True


def open_private(path: str | os.PathLike, *, append: bool = False):
    """A binary file opened for writing (truncated, or ``append``), created with :func:`file_mode`."""
    mode = file_mode()
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, mode)
    try:
        st = os.fstat(fd)
        if st.st_mode & 0o777 != mode and st.st_uid == os.getuid():  # new (umask), or left open by an older release
            os.fchmod(fd, mode)
        return os.fdopen(fd, "ab" if append else "wb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def process_umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux:
    ``/proc/self/status``); elsewhere set and put back at once."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o077)
    os.umask(old)
    return old


class NewFiles:
    """Many new files with personal data written fast (batch letters): each created with
    ``O_EXCL`` and :func:`file_mode` given at open.  The umask is read once: only when it
    would take bits off the mode is each file given its mode again (``fchmod``); no ``fstat``.

    :meth:`write` raises ``FileExistsError`` when the path exists (nothing is touched) and
    ``FileNotFoundError`` when its folder does not."""

    def __init__(self) -> None:
        self.mode = file_mode()
        self.chmod = bool(process_umask() & self.mode)

    def write(self, path: str, data: bytes, dir_fd: int | None = None) -> None:
        """(``dir_fd``: an open folder that a relative ``path`` is in, as for ``os.open``.)"""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, self.mode, dir_fd=dir_fd)
        try:
            if self.chmod:
                os.fchmod(fd, self.mode)
            done = os.write(fd, data)
            if done < len(data):  # (a short write: the rest, as many times as it takes)
                view = memoryview(data)[done:]
                while view:
                    view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


def no_world_access(path: str | os.PathLike) -> None:
    """Take away access for other users from an existing file of ours (an older release made
    the database 0644); the group bits stay, in case the file is deliberately shared."""
    try:
        st = os.stat(path)
        if st.st_uid == os.getuid() and st.st_mode & 0o007:
            os.chmod(path, st.st_mode & 0o770)
    except OSError:
        pass


def write_atomic(path: str | os.PathLike, data: str | bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` atomically with :func:`file_mode`; raises OSError."""
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "is a directory", str(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, file_mode() if mode is None else mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target
