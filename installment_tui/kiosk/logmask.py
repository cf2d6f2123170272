"""Logging for the kiosk with personal data masked.

Only masked account references (``****0001``) reach a log line; names, ID digits,
birth dates and amounts typed by the debtor are never logged.  :func:`setup_logging`
sends the ``installment.kiosk`` logger to the configured file (nowhere by default:
the terminal belongs to the kiosk screen).
"""

from __future__ import annotations

import logging

from plans.summary import mask_reference


def masked(ref: str | None) -> str:
    return mask_reference(ref or "") or "-"


def setup_logging(path: str | None) -> None:
    logger = logging.getLogger("installment.kiosk")
    logger.setLevel(logging.INFO)
    logger.propagate = path is None
    if path:
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
