"""Logging for the kiosk with personal data masked.

Only masked account references (``****0001``) reach a log line; names, ID digits,
birth dates and amounts typed by the debtor are never logged, and a fault is logged by
its kind and place only (:func:`installment_tui.faults.describe`).  The log file is
created readable by its owner only.  :func:`setup_logging`
sends the ``installment.kiosk`` logger to the configured file (nowhere by default:
the terminal belongs to the kiosk screen, so nothing may reach stderr).
"""

from __future__ import annotations

import io
import logging

from plans import files
from plans.summary import mask_reference


def masked(ref: str | None) -> str:
    return mask_reference(ref or "") or "-"


class _PrivateFileHandler(logging.StreamHandler):
    """Appends to a log file created readable by its owner only (plans.files); a failed write
    (a full disk) is dropped quietly instead of printed on the kiosk's screen."""

    def __init__(self, path: str) -> None:
        super().__init__(io.TextIOWrapper(files.open_private(path, append=True), encoding="utf-8", line_buffering=True))

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def setup_logging(path: str | None) -> logging.Logger:
    """Send the kiosk's log to ``path``, or nowhere: never to the terminal, which shows the kiosk."""
    logger = logging.getLogger("installment.kiosk")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if path:
        try:
            handler: logging.Handler = _PrivateFileHandler(path)
        except OSError as exc:
            from calc.errors import InvalidInput

            raise InvalidInput(f"cannot open the log file {path}: {exc.strerror or exc}", "kiosk.log_file") from None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    else:
        handler = logging.NullHandler()
    logger.addHandler(handler)
    return logger
