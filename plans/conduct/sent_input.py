"""``installment conduct import-sent``: the messages a sender sent, read from its ``sent.csv``.

The monitor writes reminders for a sender (an SMS gateway, a print room) and records
nothing itself, so that running it again for a date writes the same files.  The sender
reports back what it sent, and the import puts those messages into the contact log,
where they count toward the day's SMS limit for agents and later reminders.

The file is UTF-8 CSV (a byte-order mark is allowed) with a header line naming, in any
order and any case, ``account_ref``, ``channel`` (``sms`` or ``letter``) and ``sent_at``
(ISO 8601 with its offset from UTC, ``2026-12-12T09:30:00+08:00``), and optionally
``purpose`` (``reminder`` when absent or empty; ``collection`` or ``service``) and
``text`` (kept as the contact's note).  Other columns are ignored, so a sender may
return the monitor's ``reminders.csv`` rows with a ``sent_at`` column added.

The file is read whole before anything is written: every problem is reported with its
line number (the header is line 1) and then nothing is imported.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import NamedTuple

from calc.errors import InvalidInput

from .vocabulary import Channel, Purpose

REQUIRED = ("account_ref", "channel", "sent_at")
OPTIONAL = ("purpose", "text")
#: Channels a sender sends through (calls and kiosk visits are not sent messages).
SENT_CHANNELS = (Channel.SMS, Channel.LETTER)
#: Purposes a sent message may have (complaint replies are letters the complaints register writes).
SENT_PURPOSES = (Purpose.REMINDER, Purpose.COLLECTION, Purpose.SERVICE)
#: A day's reminders for a large portfolio are a few megabytes.
MAX_FILE_BYTES = 64 << 20
MAX_REF = 64
MAX_TEXT = 2000
#: Problems listed at most (the rest are counted).
MAX_PROBLEMS = 20


class SentRow(NamedTuple):
    line: int
    account_ref: str
    channel: Channel
    sent_at: datetime  # aware
    purpose: Purpose
    text: str


class SentFileError(InvalidInput):
    """The file cannot be imported; ``problems`` are ``(line, message)`` pairs (line 0: the file)."""

    def __init__(self, problems: list[tuple[int, str]], total: int | None = None) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        total = len(problems) if total is None else total
        lines = [f"line {n}: {m}" if n else m for n, m in self.problems]
        if total > len(self.problems):
            lines.append(f"... and {total - len(self.problems)} more")
        super().__init__("nothing was imported:\n  " + "\n  ".join(lines), "FILE")


def parse_time(text: str) -> datetime:
    """``sent_at``: ISO 8601 with its offset (raises ValueError with what is wrong)."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"sent_at {text[:40]!r} is not an ISO 8601 time, e.g. 2026-12-12T09:30:00+08:00") from None
    if when.tzinfo is None:
        raise ValueError(f"sent_at {text[:40]!r} needs its offset from UTC, e.g. 2026-12-12T09:30:00+08:00")
    return when


def _row(line: int, fields: dict[str, str]) -> SentRow:
    ref = fields["account_ref"].strip()
    if not ref or len(ref) > MAX_REF or not ref.isprintable():
        raise ValueError(f"account_ref must be 1 to {MAX_REF} printable characters")
    channel = fields["channel"].strip().lower()
    if channel not in SENT_CHANNELS:
        raise ValueError(f"channel {channel[:20]!r} is not a sent message; use {' or '.join(SENT_CHANNELS)}")
    purpose = (fields.get("purpose") or "").strip().lower() or Purpose.REMINDER
    if purpose not in SENT_PURPOSES:
        raise ValueError(f"purpose {purpose[:20]!r} is not allowed; use {', '.join(SENT_PURPOSES)}")
    text = (fields.get("text") or "").strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"text is {len(text)} characters; at most {MAX_TEXT}")
    return SentRow(line, ref, Channel(channel), parse_time(fields["sent_at"].strip()), Purpose(purpose), text)


def read_sent(data: bytes) -> list[SentRow]:
    """The rows of a sent file (see the module docstring), or :class:`SentFileError` with every problem."""
    if len(data) > MAX_FILE_BYTES:
        raise SentFileError([(0, f"the file is {len(data):,} bytes; at most {MAX_FILE_BYTES:,} are read")])
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SentFileError([(line, "is not UTF-8 text; save the file as UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise SentFileError([(1, f"the header is not a CSV line: {exc}")]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SentFileError(
            [
                (
                    1,
                    f"the header has no {', '.join(missing)} column; a sent file needs "
                    f"{', '.join(REQUIRED)} (and optionally {', '.join(OPTIONAL)})",
                )
            ]
        )
    twice = [c for c in REQUIRED + OPTIONAL if header.count(c) > 1]
    if twice:
        raise SentFileError([(1, f"column {twice[0]!r} appears twice in the header")])
    at = {c: header.index(c) for c in REQUIRED + OPTIONAL if c in header}
    rows: list[SentRow] = []
    problems: list[tuple[int, str]] = []
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue  # a blank line (often the last)
            if len(fields) != len(header):
                problems.append((line, f"has {len(fields)} fields; the header names {len(header)}"))
                continue
            try:
                rows.append(_row(line, {c: fields[i] for c, i in at.items()}))
            except ValueError as exc:
                problems.append((line, str(exc)))
    except csv.Error as exc:
        problems.append((reader.line_num, f"is not a CSV line: {exc}"))
    if problems:
        raise SentFileError(problems)
    return rows


__all__ = ["SENT_CHANNELS", "SENT_PURPOSES", "SentFileError", "SentRow", "parse_time", "read_sent"]
