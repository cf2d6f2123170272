"""Running the real `installment` command line in tests, and reading what it writes."""

from __future__ import annotations

import cli_process
import csv
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("installment")


def run(*args, cwd=None, input=None):
    return cli_process.run(
        args,
        cwd=cwd,
        input=input,
        env={k: v for k, v in os.environ.items() if not k.startswith("INSTALLMENT_") or k == "INSTALLMENT_AUDIT_KEY"},
    )


def rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def copy(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "work.db"
    shutil.copy(db, target)
    return target
