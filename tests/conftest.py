"""Test-session settings: the audit key and its anchors live in a temporary folder, never in ~/.config."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config) -> None:
    folder = tempfile.mkdtemp(prefix="installment-audit-key-")
    os.environ["INSTALLMENT_AUDIT_KEY"] = os.path.join(folder, "audit.key")  # subprocesses inherit it
    os.environ.pop("INSTALLMENT_AUDIT_ANCHORS", None)
    os.environ.pop("INSTALLMENT_FILE_MODE", None)
