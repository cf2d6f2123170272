"""Streaming reader of a portfolio file: one account per row, CSV or JSON Lines.

Used by ``installment batch`` (plans.batch) and ``installment import`` (the store).

Format (README "Batch export"):

* CSV with a header line naming the columns (any order, case-insensitive),
  UTF-8 with or without a byte-order mark, or GB18030 (``encoding="gb18030"``,
  what Excel writes in Chinese locales).  Or JSON Lines: one object per line
  with the same names as keys.
* Required: ``account_ref``, ``currency`` and the six buckets ``principal``,
  ``interest``, ``penalty_interest``, ``late_fees``, ``annual_fees``,
  ``other_fees``.  An empty bucket cell means zero.
* Optional: ``name``, ``region``, ``monthly_income``, ``essential_spending``,
  ``other_debt_payments``, ``household`` (people: ``3``, or adults+children:
  ``2+1``), ``savings``, ``hardship_reason`` (one of
  ``calc.affordability.HARDSHIP_REASONS``), ``recovery_date`` (YYYY-MM-DD),
  ``income_after_recovery`` (the monthly income expected from the recovery date),
  ``phone`` (mobile number for SMS) and ``language`` (of the account's letters and SMS).
  An empty optional cell means "not given" (``None``).
* Amounts are decimal text in major units ("1234.56"; commas only between
  thousands in groups of three, no decimal commas: ``calc.numerals``); JSON
  numbers are read as exact decimals, never as binary floats.  A JSON Lines row
  is read within ``plans.input_limits`` (64 KiB, 32 levels, no key twice):
  beyond them, or not JSON at all, it is a Reject and the run goes on.

API
---
``read_portfolio(path, encoding="utf-8", input_format=None)`` yields, in file
order, one item per input row: a :class:`PortfolioRow` or a :class:`Reject`, each
with ``line`` = the physical line number where the row starts (the CSV header
is line 1; in JSON Lines the first object is line 1).  A row whose
``account_ref`` was already seen is a Reject.  Blank lines are Rejects too, so
that every physical row is accounted for.  Problems with the file as a whole
(missing file, header without a required column, unknown column) raise
``calc.errors.InvalidInput`` with field ``"input"``.

For parallel readers (the batch): ``Portfolio(path, ...)`` reads the header and
gives ``chunks()`` of whole rows as raw bytes with their first line number;
``parse_chunk(layout, chunk)`` turns a chunk into items (no duplicate check:
feed the accepted references through a :class:`DuplicateFilter` in input
order).  ``read_portfolio`` is exactly ``chunks -> parse_chunk -> DuplicateFilter``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from typing import Iterator, NamedTuple

from calc.errors import InvalidInput

from ..input_limits import LimitError, json_row
from .rows import (
    COLUMNS,
    MAX_REF_LENGTH,
    OPTIONAL,
    REQUIRED,
    PortfolioRow,
    Reject,
    build_account,
    fast_amount,
)

FORMATS = ("csv", "jsonl")
ENCODINGS = ("utf-8", "gb18030")

#: Bytes per chunk handed to a parser; a chunk always ends at the end of a row.
CHUNK_BYTES = 1 << 18
#: A quoted CSV field may span lines; past this size an unclosed quote is treated as broken.
_MAX_OPEN_QUOTE_BYTES = 1 << 24

_BOMS = {"utf-8": b"\xef\xbb\xbf", "gb18030": b"\x84\x31\x95\x33"}
_I_REF = 0


@dataclass(frozen=True, slots=True)
class Layout:
    """How to read the rows of one file: format, encoding and (CSV) column positions."""

    input_format: str
    encoding: str
    positions: tuple  # per COLUMNS entry: index in a CSV row, or None when the column is absent
    width: int  # number of CSV header fields


class Chunk(NamedTuple):
    first_line: int
    data: bytes


# -- the file ---------------------------------------------------------------------


def guess_format(path: str) -> str:
    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "csv"


def check_encoding(encoding: str) -> str:
    enc = encoding.lower().replace("_", "-")
    enc = {"utf8": "utf-8", "utf-8-sig": "utf-8", "gbk": "gb18030", "gb2312": "gb18030"}.get(enc, enc)
    if enc not in ENCODINGS:
        raise InvalidInput(f"unsupported encoding {encoding!r}; use utf-8 or gb18030", "encoding")
    return enc


def _decode_hint(encoding: str) -> str:
    other = "--encoding gb18030" if encoding == "utf-8" else "--encoding utf-8"
    return f"save the file as {encoding.upper()} or try {other}"


def _header_layout(header: bytes, encoding: str) -> Layout:
    try:
        text = header.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"the header line is not valid {encoding.upper()} "
            f"(byte {exc.object[exc.start]:#04x}); {_decode_hint(encoding)}",
            "input",
        ) from None
    try:
        names = next(csv.reader([text.rstrip("\r\n")], strict=True))
    except (csv.Error, StopIteration):
        raise InvalidInput("the header line is not a CSV line of column names", "input") from None
    names = [n.strip().lower() for n in names]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise InvalidInput(f"unknown column {unknown[0]!r} in the header; columns are {', '.join(COLUMNS)}", "input")
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise InvalidInput(f"column {dups[0]!r} appears twice in the header", "input")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InvalidInput(
            f"the header has no column {', '.join(missing)}; required columns are {', '.join(REQUIRED)}", "input"
        )
    return Layout("csv", encoding, tuple(names.index(c) if c in names else None for c in COLUMNS), len(names))


class Portfolio:
    """An open portfolio file: its layout and its rows in chunks of raw bytes.

    ``sha256`` is the digest of every byte read so far (the whole file once
    ``chunks()`` is exhausted).  Use as a context manager or call ``close()``.
    """

    def __init__(
        self, path: str, encoding: str = "utf-8", input_format: str | None = None, chunk_bytes: int = CHUNK_BYTES
    ) -> None:
        self.path = path
        encoding = check_encoding(encoding)
        input_format = input_format or guess_format(path)
        if input_format not in FORMATS:
            raise InvalidInput(f"unknown input format {input_format!r}; use csv or jsonl", "input")
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - held open by the reader, closed by close()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror}", "input") from None
        self.size = os.fstat(self._file.fileno()).st_size
        self._hash = hashlib.sha256()
        self._chunk_bytes = chunk_bytes
        head = self._read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InvalidInput("the file is UTF-16; save it as UTF-8 (or GB18030)", "input")
        for other, mark in _BOMS.items():
            if other != encoding and head.startswith(mark):
                raise InvalidInput(
                    f"the file starts with a {other.upper()} byte-order mark but --encoding is "
                    f"{encoding}; use --encoding {other}",
                    "input",
                )
        bom = _BOMS[encoding]
        self._pending = head[len(bom) :] if head.startswith(bom) else head
        self._line = 1
        if input_format == "jsonl":
            self.layout = Layout("jsonl", encoding, (), 0)
            return
        header = self._header_line()
        if not header.strip():
            raise InvalidInput(
                "the file is empty or its first line is blank; the first line must name "
                f"the columns ({', '.join(REQUIRED)}, ...)",
                "input",
            )
        self.layout = _header_layout(header, encoding)
        self._line = 2

    def _read(self, n: int) -> bytes:
        data = self._file.read(n)
        self._hash.update(data)
        return data

    def _header_line(self) -> bytes:
        buf = self._pending
        while b"\n" not in buf:
            more = self._read(65536)
            if not more:
                break
            buf += more
        head, _, rest = buf.partition(b"\n")
        self._pending = rest
        return head

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def chunks(self, share: int = 1) -> Iterator[Chunk]:
        """Chunks of whole rows (CSV quoted fields may span lines; a chunk never cuts one).

        ``share``: how many workers the chunks are shared among.  With more than one, chunks shrink
        toward the end of the file (each reads at most a ``2 * share``-th of what is left, and at least
        an eighth of the chunk size), so that the workers run out of work at about the same time rather
        than one finishing a whole chunk while the others wait."""
        buf = self._pending
        self._pending = b""
        csv_quotes = self.layout.input_format == "csv"
        size, least = self._chunk_bytes, max(1, self._chunk_bytes // 8)
        shrink = share > 1 and self.size > 0 and self._file.seekable()  # (a pipe has no end to see coming)
        while True:
            if shrink:
                size = max(least, min(self._chunk_bytes, (self.size - self._file.tell()) // (2 * share)))
            more = self._read(size)
            buf += more
            if not more:
                break
            cut = _cut(buf, csv_quotes)
            if cut is None:
                continue
            chunk, buf = buf[:cut], buf[cut:]
            yield Chunk(self._line, chunk)
            self._line += chunk.count(b"\n")
        if buf:
            yield Chunk(self._line, buf)
            self._line += buf.count(b"\n") + (0 if buf.endswith(b"\n") else 1)

    @property
    def lines(self) -> int:
        """Physical lines read so far (after ``chunks()`` is exhausted: all lines of the file)."""
        return self._line - 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "Portfolio":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _cut(buf: bytes, csv_quotes: bool) -> int | None:
    """Where to cut ``buf`` after a whole row, or None to read more first.

    A newline byte (and a quote) never occurs inside a multi-byte UTF-8 or
    GB18030 character, so cutting bytes is safe.  In CSV a newline inside
    quotes belongs to the field: with quotes about, cut where csv.reader ends a row.
    """
    end = buf.rfind(b"\n") + 1
    if end == 0:
        return None
    if not csv_quotes:
        return end
    if b'"' not in buf:
        return end
    # Quotes: counting them is not enough (a quote inside an unquoted field, 10"5, is a plain
    # character to the csv module and would shift every later cut into a quoted field), so
    # find the last whole row with the csv module itself: about 2 ms for 256 KiB.
    best = _last_row_end(buf, end)
    if best:
        return best
    return end if len(buf) > _MAX_OPEN_QUOTE_BYTES else None


def _last_row_end(buf: bytes, end: int) -> int:
    """Where the last whole CSV row of ``buf[:end]`` ends (0: none ends), found by the same
    ``csv.reader`` the chunk is parsed with.  Latin-1 keeps one character per byte, and the
    bytes that matter (``,`` ``"`` CR LF) never occur inside a UTF-8 or GB18030 character."""
    reader = csv.reader(io.StringIO(buf[:end].decode("latin-1"), newline="\n"), strict=True)
    lines = 0  # lines taken by whole rows
    while True:
        try:
            next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if str(exc) == "unexpected end of data":  # the last row's quoted field is still open
                break
        lines = reader.line_num
    pos = 0
    for _ in range(lines):
        pos = buf.index(b"\n", pos) + 1
    return pos


# -- parsing a chunk --------------------------------------------------------------


def _readable_ref(raw: bytes, layout: Layout) -> str:
    """The account reference of an undecodable CSV line when that field itself decodes ("" if not)."""
    if layout.input_format != "csv":
        return ""
    try:
        fields = next(csv.reader([raw.decode(layout.encoding, "replace").rstrip("\r")]))
        ref = fields[layout.positions[_I_REF]].strip()
    except (csv.Error, StopIteration, IndexError):
        return ""
    return ref if "\ufffd" not in ref and len(ref) <= MAX_REF_LENGTH and ref.isprintable() else ""


def _decode_segments(chunk: Chunk, layout: Layout, out: list) -> list[tuple[int, str]]:
    """(first line, text) segments of the chunk; undecodable lines become Rejects in ``out``."""
    encoding = layout.encoding
    try:
        return [(chunk.first_line, chunk.data.decode(encoding))]
    except UnicodeDecodeError:
        pass
    segments, current, start = [], [], chunk.first_line
    lines = chunk.data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, raw in enumerate(lines):
        line = chunk.first_line + i
        try:
            current.append(raw.decode(encoding) + "\n")
        except UnicodeDecodeError as exc:
            if current:
                segments.append((start, "".join(current)))
            current, start = [], line + 1
            ref = _readable_ref(raw, layout)
            out.append(
                (
                    line,
                    Reject(
                        line,
                        ref,
                        f"encoding: the line is not valid {encoding.upper()} "
                        f"(byte {raw[exc.start]:#04x} at position {exc.start + 1}); "
                        f"{_decode_hint(encoding)}",
                    ),
                )
            )
    if current:
        segments.append((start, "".join(current)))
    return segments


def _csv_rows(layout: Layout, first: int, text: str, out: list) -> None:
    positions, width, build = layout.positions, layout.width, build_account
    simple = width in (len(REQUIRED), len(COLUMNS)) and positions[:width] == tuple(range(width))
    reader = csv.reader(io.StringIO(text, newline="\n"), strict=True)
    done = 0  # lines consumed before the current row
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = first + done
            done = reader.line_num
            out.append(
                (
                    line,
                    Reject(
                        line, "", f"csv: malformed row ({exc}); quote fields that contain commas, quotes or line breaks"
                    ),
                )
            )
            continue
        line = first + done
        done = reader.line_num
        n = len(row)
        if n == width:
            out.append((line, build(line, row if simple else [row[p] if p is not None else None for p in positions])))
        elif n == 0 or (n == 1 and not row[0].strip()):
            out.append((line, Reject(line, "", "blank line: every row must be an account")))
        else:
            out.append((line, _width_reject(line, row, positions, width)))


def _width_reject(line: int, row: list, positions: tuple, width: int) -> Reject:
    ref_pos = positions[_I_REF]
    ref = row[ref_pos].strip() if ref_pos < len(row) else ""
    if len(row) < width:
        names = [c for c, p in zip(COLUMNS, positions) if p is not None and p >= len(row)]
        return Reject(
            line,
            ref,
            f"columns: missing columns {', '.join(names)} (the row has {len(row)} fields, the header {width})",
        )
    return Reject(
        line, ref, f"columns: {len(row)} fields but the header names {width}; quote fields that contain commas"
    )


def _jsonl_rows(first: int, text: str, out: list) -> None:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for i, raw in enumerate(lines):
        line = first + i
        if not raw.strip():
            out.append((line, Reject(line, "", "blank line: every line must be an account object")))
            continue
        try:
            obj = json_row(raw)
        except LimitError as exc:
            out.append((line, Reject(line, "", str(exc))))
            continue
        except ValueError as exc:
            out.append((line, Reject(line, "", f"json: not a JSON object ({exc.args[0].split(':')[0]})")))
            continue
        if not isinstance(obj, dict):
            out.append((line, Reject(line, "", f"json: expected an object {{...}}, got {type(obj).__name__}")))
            continue
        ref = obj.get("account_ref")
        shown = ref.strip() if isinstance(ref, str) else ""
        unknown = [k for k in obj if k not in COLUMNS]
        missing = [c for c in REQUIRED if c not in obj]
        if unknown:
            out.append(
                (line, Reject(line, shown, f"columns: unknown field {unknown[0]!r}; fields are {', '.join(COLUMNS)}"))
            )
        elif missing:
            out.append((line, Reject(line, shown, f"columns: missing columns {', '.join(missing)}")))
        else:
            out.append((line, build_account(line, [obj.get(c) for c in COLUMNS])))


def parse_chunk(layout: Layout, chunk: Chunk) -> list[PortfolioRow | Reject]:
    """Every row of ``chunk`` in order, as PortfolioRow or Reject (duplicates not checked here)."""
    out: list = []
    for first, text in _decode_segments(chunk, layout, out):
        if layout.input_format == "csv":
            _csv_rows(layout, first, text, out)
        else:
            _jsonl_rows(first, text, out)
    if len(out) > 1 and any(out[i][0] > out[i + 1][0] for i in range(len(out) - 1)):
        out.sort(key=lambda item: item[0])
    return [item for _, item in out]


class DuplicateFilter:
    """Remembers account references; a reference seen before turns its row into a Reject.

    Holds one string per account: the only state that grows with the input
    (the batch keeps them more compactly: plans.batch.dedup).
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def check(self, item: PortfolioRow | Reject) -> PortfolioRow | Reject:
        if item.__class__ is PortfolioRow:
            if item.account_ref in self.seen:
                return duplicate(item)
            self.seen.add(item.account_ref)
        return item


def duplicate(item: PortfolioRow) -> Reject:
    return Reject(
        item.line, item.account_ref, f"account_ref: duplicate; {item.account_ref!r} already appears on an earlier line"
    )


def read_portfolio(
    path: str, encoding: str = "utf-8", input_format: str | None = None
) -> Iterator[PortfolioRow | Reject]:
    """Every row of the file in order: a PortfolioRow or a Reject with its physical line number."""
    dups = DuplicateFilter()
    with Portfolio(path, encoding, input_format) as portfolio:
        for chunk in portfolio.chunks():
            for item in parse_chunk(portfolio.layout, chunk):
                yield dups.check(item)


__all__ = [
    "COLUMNS",
    "PortfolioRow",
    "Chunk",
    "DuplicateFilter",
    "Layout",
    "OPTIONAL",
    "Portfolio",
    "REQUIRED",
    "Reject",
    "build_account",
    "check_encoding",
    "fast_amount",
    "parse_chunk",
    "read_portfolio",
]
