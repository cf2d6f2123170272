"""Logging for the kiosk with personal data masked.

Only masked account references (``****0001``) reach a log line; names, ID digits,
birth dates and amounts typed by the debtor are never logged.  :func:`setup_logging`
sends the ``installment.kiosk`` logger to the configured file (nowhere by default:
the terminal belongs to the kiosk screen, so nothing may reach stderr).
"""

from __future__ import annotations

import logging

from plans.summary import mask_reference


def masked(ref: str | None) -> str:
    return mask_reference(ref or "") or "-"


def setup_logging(path: str | None) -> None:
    """Send the kiosk's log to ``path``, or nowhere: never to the terminal, which shows the kiosk."""
    logger = logging.getLogger("installment.kiosk")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if path:
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    else:
        handler = logging.NullHandler()
    logger.addHandler(handler)
