"""mypy runs in ``make test`` with its configuration in pyproject.toml: every module is checked with every
error code (a per-module list of switched-off codes would hide each new error of those kinds there)."""

from __future__ import annotations

import tomllib
from pathlib import Path


def test_no_module_switches_off_mypy_errors():
    config = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    overrides = config["tool"]["mypy"].get("overrides", [])
    silenced = [o["module"] for o in overrides if o.get("disable_error_code") or o.get("ignore_errors")]
    assert silenced == []
