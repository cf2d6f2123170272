"""Receipt delivery: to a printer command's standard input, or as a file in a spool folder.

A spooled receipt is written whole or not at all (a temporary name in the same
folder, then ``os.replace``), readable by its owner only (or the group, with
``INSTALLMENT_FILE_MODE=group``, e.g. for a print spooler's group: see
:mod:`plans.files`); its name carries no personal data, only the time and the
agreement number.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from plans import files

from .config import KioskConfig


@dataclass(frozen=True, slots=True)
class Delivery:
    ok: bool
    where: str
    error: str | None = None


def spool_folder(config: KioskConfig, db_path: Path | None) -> Path:
    if config.spool_dir:
        return Path(config.spool_dir).expanduser()
    base = db_path.parent if db_path is not None else Path.cwd()
    return base / "kiosk-receipts"


def write_atomic(folder: Path, name: str, data: bytes) -> Path:
    files.make_dir(folder)
    return files.write_atomic(folder / name, data)


def deliver(
    receipt: str, config: KioskConfig, db_path: Path | None, agreement_id: int | None, now: datetime | None = None
) -> Delivery:
    """Print ``receipt``; never raises for a printer problem (the result says what went wrong)."""
    data = receipt.encode(config.encoding, errors="replace")
    if config.printer_command:
        name = config.printer_command[0]
        try:
            done = subprocess.run(
                list(config.printer_command), input=data, capture_output=True, timeout=config.print_timeout, check=False
            )
        except FileNotFoundError:
            return Delivery(False, name, "printer command not found")
        except subprocess.TimeoutExpired:
            return Delivery(False, name, f"printer command took longer than {config.print_timeout} s")
        except OSError as exc:
            return Delivery(False, name, f"printer command failed: {exc.strerror}")
        if done.returncode != 0:
            return Delivery(False, name, f"printer command exited with status {done.returncode}")
        return Delivery(True, name)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")
    file_name = f"receipt-{stamp}-{agreement_id if agreement_id is not None else 'x'}.txt"
    folder = spool_folder(config, db_path)
    try:
        path = write_atomic(folder, file_name, data)
    except OSError as exc:
        return Delivery(False, str(folder), f"cannot write to the spool folder: {exc.strerror}")
    return Delivery(True, str(path))
