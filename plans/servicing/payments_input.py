"""``installment payments import``: payments from a CSV or JSON Lines file into the store.

The file has one payment per row with the columns (any order, names case-insensitive)
``account_ref, paid_on, amount, reference`` and optionally ``channel`` (one of
``plans.servicing.vocabulary.Channel``; ``bank_transfer`` when absent or empty).  CSV is
UTF-8 (with or without a byte-order mark) or GB18030 with a header line; JSON Lines has
one object per line with those keys (an amount as text, or a JSON number read exactly).
Amounts are major units of the account's currency, read by the one rule for amounts
(``calc.money``); ``paid_on`` is ``YYYY-MM-DD`` and not after today; ``reference`` is the
payment's unique reference (1 to 64 printable characters).

Every row is recorded or rejected, with its physical line number (the CSV header is line
1; in JSON Lines the first object is): a bad field, an unknown account, an account
without an agreement, a reference given twice in the file or already recorded for a
different payment.  A payment already recorded under the same reference (the same file
imported again) changes nothing.  Payments are written in short transactions of
:data:`CHUNK_ROWS` rows; a run that is stopped keeps the chunks written, and running it
again completes the job.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Iterable, Iterator, NamedTuple

from calc.dates import parse_date
from calc.errors import InstallmentError, InvalidInput
from calc.money import exponent
from plans.input_limits import LimitError, json_row
from plans.portfolio.reader import check_encoding, fast_amount, guess_format
from plans.store.servicing import MAX_REFERENCE, check_reference

from .vocabulary import Channel

REQUIRED = ("account_ref", "paid_on", "amount", "reference")
COLUMNS = REQUIRED + ("channel",)
#: Payments written per transaction.
CHUNK_ROWS = 20_000
_BOMS = {"utf-8": b"\xef\xbb\xbf", "gb18030": b"\x84\x31\x95\x33"}
_CHANNELS = frozenset(str(c) for c in Channel)


class Reject(NamedTuple):
    line: int
    account_ref: str
    reason: str


class Row(NamedTuple):
    """One row as text: the fields in ``COLUMNS`` order (``None`` for an absent optional column)."""

    line: int
    fields: tuple


@dataclass
class ImportResult:
    rows: int = 0
    recorded: int = 0
    already: int = 0
    rejects: list[Reject] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    sha256: str = ""


# -- reading the file -----------------------------------------------------------------------


def _decoded_lines(block: bytes, first: int, encoding: str, bad: list[Reject]) -> list[str]:
    """A block that does not decode as a whole, line by line: a line that does not decode becomes a
    Reject (in ``bad``) and an empty line, so that the line numbers of the others stay right."""
    out = []
    for n, raw in enumerate(block.split(b"\n")[:-1] if block.endswith(b"\n") else block.split(b"\n")):
        try:
            out.append(raw.decode(encoding) + "\n")
        except UnicodeDecodeError as exc:
            bad.append(
                Reject(
                    first + n,
                    "",
                    f"encoding: the line is not valid {encoding.upper()} (byte "
                    f"{raw[exc.start]:#04x} at position {exc.start + 1}); save the file "
                    "in one encoding",
                )
            )
            out.append("\n")
    return out


def _header(names: list[str]) -> tuple[int | None, ...]:
    names = [n.strip().lower() for n in names]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise InvalidInput(f"unknown column {unknown[0]!r}; columns are {', '.join(COLUMNS)}", "input")
    twice = [n for n in COLUMNS if names.count(n) > 1]
    if twice:
        raise InvalidInput(f"column {twice[0]!r} appears twice in the header", "input")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InvalidInput(
            f"the header has no {', '.join(missing)} column; payments need "
            f"{', '.join(REQUIRED)} (and optionally channel)",
            "input",
        )
    return tuple(names.index(c) if c in names else None for c in COLUMNS)


def read_rows(path: str, encoding: str = "utf-8", input_format: str | None = None) -> Iterator[Row | Reject]:
    """Every row of the file in order, as text fields or a Reject; problems with the file as a whole
    (cannot be read, no header, unknown columns) raise InvalidInput with field ``input``."""
    encoding = check_encoding(encoding)
    input_format = input_format or guess_format(path)
    if input_format not in ("csv", "jsonl"):
        raise InvalidInput(f"unknown input format {input_format!r}; use csv or jsonl", "input")
    try:
        fh = open(path, "rb")  # noqa: SIM115 - opened apart so only its OSError is reported as unreadable
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", "input") from None
    with fh:
        head = fh.peek(4)[:4]
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InvalidInput("the file is UTF-16; save it as UTF-8 (or GB18030)", "input")
        if head.startswith(_BOMS[encoding]):
            fh.read(len(_BOMS[encoding]))
        if input_format == "jsonl":
            yield from _jsonl(fh, encoding)
        else:
            yield from _csv(fh, encoding)


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _csv(fh, encoding: str) -> Iterator[Row | Reject]:
    """Rows from blocks of whole lines (a quoted field may span lines: a block never cuts one),
    each decoded at once and read by ``csv.reader``; a block with a line that does not decode is
    read line by line, that line rejected."""
    from plans.portfolio.reader import _cut

    head = fh.readline().partition(b"\n")[0]
    try:
        header = next(csv.reader([head.decode(encoding).rstrip("\r")], strict=True))
    except UnicodeDecodeError:
        raise InvalidInput(
            f"the header line is not valid {encoding.upper()}; save the file as "
            f"{encoding.upper()} or try the other --encoding",
            "input",
        ) from None
    except (csv.Error, StopIteration):
        raise InvalidInput("the header line is not a CSV line of column names", "input") from None
    if not [h for h in header if h.strip()]:
        raise InvalidInput(
            f"the file is empty or its first line is blank; it must name the columns ({', '.join(REQUIRED)})", "input"
        )
    positions = _header(header)
    width = len(header)
    pick = itemgetter(*[p for p in positions if p is not None])
    no_channel = positions[4] is None
    ref_at = positions[0]
    assert ref_at is not None  # _header requires the reference column
    line, buf = 2, b""
    while True:
        more = fh.read(1 << 20)
        buf += more
        if more:
            cut = _cut(buf, True)
            if cut is None:
                continue
            block, buf = buf[:cut], buf[cut:]
        else:
            block, buf = buf, b""
            if not block:
                return
        bad: list[Reject] = []
        source: Iterable[str]
        try:
            text = block.decode(encoding)
        except UnicodeDecodeError:
            source = _decoded_lines(block, line, encoding, bad)
        else:
            if '"' not in text and text.count("\r") == text.count("\r\n"):  # nothing quoted: split is csv
                yield from _plain_block(text, line, width, pick, no_channel, ref_at)
                line += block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
                if not more:
                    return
                continue
            source = io.StringIO(text, newline="\n")
        yield from _csv_block(source, line, width, pick, no_channel, ref_at, {r.line: r for r in bad})
        line += block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
        if not more:
            return


def _plain_block(text: str, first: int, width: int, pick, no_channel: bool, ref_at: int) -> Iterator[Row | Reject]:
    """A block without quotes or stray carriage returns: each line split at its commas, which is
    exactly what ``csv.reader`` makes of it, faster."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    for n, raw in enumerate(lines, first):
        fields = raw[:-1].split(",") if raw[-1:] == "\r" else raw.split(",")
        if len(fields) == width:
            yield Row(n, pick(fields) + (None,) if no_channel else pick(fields))
        elif len(fields) == 1 and not fields[0].strip():
            yield Reject(n, "", "blank line: every row must be a payment")
        else:
            ref = fields[ref_at].strip() if ref_at < len(fields) else ""
            yield Reject(n, ref[:64], f"columns: {len(fields)} fields but the header names {width}")


def _csv_block(
    source, first: int, width: int, pick, no_channel: bool, ref_at: int, bad: dict[int, Reject]
) -> Iterator[Row | Reject]:
    reader = csv.reader(source, strict=True)
    done = 0  # lines taken by the rows read so far
    while True:
        try:
            fields = next(reader)
            error = None
        except StopIteration:
            return
        except csv.Error as exc:
            fields, error = None, exc
        line = first + done
        done = reader.line_num
        if bad:  # a line that did not decode: reported for itself, and the row it belongs to with it
            spoilt = [bad.pop(n) for n in sorted(bad) if n < first + done]
            if spoilt:
                yield from spoilt
                continue
        if fields is not None and len(fields) == width:  # (fields is None after a csv error)
            yield Row(line, pick(fields) + (None,) if no_channel else pick(fields))
        elif error is not None:
            yield Reject(line, "", f"csv: malformed row ({error}); quote fields that contain commas or quotes")
        elif not fields or (len(fields) == 1 and not fields[0].strip()):
            yield Reject(line, "", "blank line: every row must be a payment")
        else:
            ref = fields[ref_at].strip() if ref_at < len(fields) else ""
            yield Reject(line, ref[:64], f"columns: {len(fields)} fields but the header names {width}")


def _jsonl(fh, encoding: str) -> Iterator[Row | Reject]:
    for line, raw in enumerate(fh, 1):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            yield Reject(
                line,
                "",
                f"encoding: the line is not valid {encoding.upper()} (byte "
                f"{raw[exc.start]:#04x} at position {exc.start + 1})",
            )
            continue
        if not text.strip():
            yield Reject(line, "", "blank line: every line must be a payment object")
            continue
        try:
            obj = json_row(text)
        except LimitError as exc:
            yield Reject(line, "", str(exc))
            continue
        except ValueError as exc:
            yield Reject(line, "", f"json: not a JSON object ({exc.args[0].split(':')[0]})")
            continue
        if not isinstance(obj, dict):
            yield Reject(line, "", f"json: expected an object {{...}}, got {type(obj).__name__}")
            continue
        ref = obj.get("account_ref")
        shown = ref.strip()[:64] if isinstance(ref, str) else ""
        unknown = [k for k in obj if k not in COLUMNS]
        missing = [c for c in REQUIRED if c not in obj]
        if unknown:
            yield Reject(line, shown, f"columns: unknown field {unknown[0]!r}; fields are {', '.join(COLUMNS)}")
        elif missing:
            yield Reject(line, shown, f"columns: missing {', '.join(missing)}")
        else:
            yield Row(line, tuple(_json_text(obj.get(c)) for c in COLUMNS))


def _json_text(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return value  # refused by the field checks
    return str(value)  # numbers (exact Decimals) as text


# -- checking a row -------------------------------------------------------------------------


class Checker:
    """Checks rows against the store's accounts and agreements (``targets``: account -> agreement and
    currency) and ``today``; returns the tuple ``Store.add_payments`` takes, or a Reject.

    The common row (plain ASCII text, an account with an agreement, a date seen before) takes a
    short path; anything else goes through the one rule for each field and says what is wrong.
    """

    def __init__(self, targets: dict[str, tuple[int, str]], has_account, today: date) -> None:
        self.targets = {ref: (aid, cur, exponent(cur)) for ref, (aid, cur) in targets.items()}
        self.has_account = has_account
        self.today = today
        self._days: dict[str, str] = {}  # paid_on as typed -> ISO text (dates checked once)

    def check(self, row: Row) -> tuple | Reject:
        line = row.line
        ref, paid_text, amount_text, reference, channel = row.fields
        target = self.targets.get(ref) if ref.__class__ is str else None
        if target is None:
            text = ref.strip() if isinstance(ref, str) else ""
            target = self.targets.get(text)
            if target is None:
                return self._no_target(line, text)
            ref = text
        agreement_id, currency, exp = target
        try:
            day = self._days.get(paid_text) if paid_text.__class__ is str else None
            if day is None:
                day = self._date(paid_text)
            if amount_text.__class__ is not str:
                raise InvalidInput("must be an amount as text or a number", "amount")
            amount = fast_amount(amount_text, currency, "amount", exp)
            if amount <= 0:
                raise InvalidInput(
                    f"{amount_text.strip()!r} is not more than zero; a payment is an amount received", "amount"
                )
            if (
                reference.__class__ is not str
                or not reference
                or len(reference) > MAX_REFERENCE
                or not reference.isprintable()
                or reference != reference.strip()
            ):
                reference = check_reference(reference)
            if channel not in _CHANNELS:
                channel = self._channel(channel)
        except InstallmentError as exc:
            return Reject(line, ref, str(exc))
        return (reference, ref, agreement_id, day, amount, currency, channel, line)

    def _no_target(self, line: int, text: str) -> Reject:
        if not text:
            return Reject(line, "", "account_ref: is empty")
        if len(text) > 64 or not text.isprintable():
            return Reject(line, "", "account_ref: must be 1 to 64 printable characters")
        if self.has_account(text):
            return Reject(
                line,
                text,
                "account_ref: the account has no agreement; payments are recorded against "
                "an agreement (make one first)",
            )
        return Reject(line, text, "account_ref: no such account")

    def _date(self, text) -> str:
        if not isinstance(text, str):
            raise InvalidInput("must be a date as text, YYYY-MM-DD", "paid_on")
        d = parse_date(text, "paid_on")
        if d > self.today:
            raise InvalidInput(
                f"{d.isoformat()} is in the future (today is {self.today.isoformat()}); record a "
                "payment once it is made",
                "paid_on",
            )
        if len(self._days) < 100_000:
            self._days[text] = d.isoformat()
        return d.isoformat()

    @staticmethod
    def _channel(channel) -> str:
        if channel is None or (isinstance(channel, str) and not channel.strip()):
            return str(Channel.BANK_TRANSFER)
        if isinstance(channel, str) and channel.strip().lower() in _CHANNELS:
            return channel.strip().lower()
        raise InvalidInput(f"{channel!r} is not a channel; use {', '.join(Channel)}", "channel")


def import_payments(
    store,
    path: str,
    *,
    encoding: str = "utf-8",
    input_format: str | None = None,
    today: date | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress=None,
) -> ImportResult:
    """Read ``path`` and record its payments in ``store`` (see the module docstring)."""
    import os

    from plans.batch.dedup import ref_set

    today = today or date.today()
    checker = Checker(store.payment_targets(), store.has_account, today)
    result = ImportResult()
    source = os.path.basename(path)
    seen = ref_set()  # references of this file so far (compact: a file may hold millions)
    pending: list[tuple] = []

    def flush() -> None:
        twice = set(seen.add([p[0] for p in pending]))
        if twice:
            for i in sorted(twice):
                p = pending[i]
                result.rejects.append(
                    Reject(p[7], p[1], f"reference: {p[0]!r} is given twice in this file (an earlier line has it)")
                )
            pending[:] = [p for i, p in enumerate(pending) if i not in twice]
        done, refused = store.add_payments(pending, source, unique=True)
        result.recorded += done.recorded
        result.already += done.already
        for cur, amount in done.totals:
            result.totals[cur] = result.totals.get(cur, 0) + amount
        if refused:
            refs = {p[7]: p[1] for p in pending}
            result.rejects.extend(Reject(line, refs.get(line, ""), reason) for line, reason in refused)
        pending.clear()
        if progress is not None:
            progress(result)

    check = checker.check
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples, no cycles: the cyclic collector would only cost time
    try:
        for item in read_rows(path, encoding, input_format):
            result.rows += 1
            if isinstance(item, Reject):
                result.rejects.append(item)
                continue
            checked = check(item)
            if checked.__class__ is Reject:
                result.rejects.append(checked)
                continue
            pending.append(checked)
            if len(pending) >= chunk_rows:
                flush()
        if pending:
            flush()
    finally:
        if collecting:
            gc.enable()
    result.rejects.sort(key=lambda r: r.line)
    result.sha256 = file_sha256(path)
    return result


__all__ = [
    "CHUNK_ROWS",
    "COLUMNS",
    "Checker",
    "ImportResult",
    "REQUIRED",
    "Reject",
    "Row",
    "file_sha256",
    "import_payments",
    "read_rows",
]
