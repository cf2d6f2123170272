"""Output files of a batch run: names, columns, encoders and atomic publication.

Every file is written under a temporary name in the output folder
(``.offers.csv.<pid>.tmp``) and renamed to its final name only when the whole
run has succeeded (:class:`OutputSet.commit`); an interrupted or failed run
removes its temporary files (:meth:`OutputSet.abort`), so a file appears whole
or not at all.  An older file of the same name stays untouched until the rename.
Files and folders are created readable by their owner only (:mod:`plans.files`):
they hold account references and amounts.  Aborting never waits on the writer
threads for long: they stop within a fraction of a second, written or not.

Rows are encoded in the workers (``encode_rows``) and only appended in order by
the main process (``Sink``), so that formatting runs on every core.
CSV follows Python's ``csv`` defaults (comma, ``"`` quoting when needed, CRLF
line ends), UTF-8 without a byte-order mark.  JSON Lines has one compact object
per line.  Parquet needs pyarrow (``pip install 'installment-planner[parquet]'``).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import threading
from pathlib import Path
from typing import Any

from calc.errors import InvalidInput
from plans import files

FORMATS = ("csv", "jsonl", "parquet")
OFFER_COLUMNS = (
    "account_ref",
    "rank",
    "offer_id",
    "kind",
    "months",
    "down_payment",
    "first_installment",
    "regular_installment",
    "total_repayable",
    "first_due",
    "last_due",
    "apr_nominal",
    "verdict",
    "authority",
    "violations",
)
SCHEDULE_COLUMNS = ("account_ref", "offer_id", "n", "due", "amount", "principal", "fee", "balance_after")
REJECT_COLUMNS = ("line", "account_ref", "reason")
#: Columns that hold whole numbers (the rest are text; amounts are exact decimal text).
INT_COLUMNS = frozenset({"rank", "months", "n", "line"})
#: Parquet row groups hold this many rows (fixed, so files do not depend on the worker count).
PARQUET_ROW_GROUP = 65536
_NEEDS_QUOTES = frozenset(',"\r\n')


def require_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use {', '.join(FORMATS)}", "--format")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InvalidInput(
                "Parquet output needs pyarrow, which is not installed; install it with "
                "pip install 'installment-planner[parquet]' or use --format csv or jsonl",
                "--format",
            ) from None
    return fmt


def csv_field(value) -> str:
    """One CSV field exactly as ``csv.writer`` (QUOTE_MINIMAL) writes it."""
    if value.__class__ is int:
        return str(value)
    if _NEEDS_QUOTES.isdisjoint(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def csv_line(values) -> str:
    return ",".join([csv_field(v) for v in values]) + "\r\n"


def _line_format(columns: tuple) -> str:
    return ",".join("%d" if c in INT_COLUMNS else "%s" for c in columns) + "\r\n"


def _csv_text(columns: tuple, rows: list) -> str:
    """Rows as CSV text, byte for byte what ``csv.writer`` writes.

    Most rows need no quoting: format them all at once, then check that no field
    held a comma, quote or line break (the counts of those characters are then
    exactly the separators); otherwise quote field by field.
    """
    form = _line_format(columns)
    text = "".join([form % row for row in rows])
    n = len(rows)
    if (
        text.count(",") == n * (len(columns) - 1)
        and '"' not in text
        and text.count("\n") == n
        and text.count("\r") == n
    ):
        return text
    return "".join([csv_line(row) for row in rows])


def violation_list(text: str) -> list[str]:
    """The ``violations`` column holds texts joined by "; " (empty: none); JSON and Parquet show a list."""
    return text.split("; ") if text else []


def encode_rows(fmt: str, columns: tuple, rows: list) -> object:
    """Rows (tuples of str and int in ``columns`` order) as a payload for ``Sink.write``."""
    if fmt == "csv":
        return _csv_text(columns, rows).encode()
    if fmt == "jsonl":
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        v = columns.index("violations") if "violations" in columns else -1
        out = []
        for row in rows:
            d = dict(zip(columns, row))
            if v >= 0:
                d["violations"] = violation_list(row[v])
            out.append(dumps(d))
        return ("\n".join(out) + "\n" if out else "").encode()
    return rows


def header(fmt: str, columns: tuple) -> bytes:
    return csv_line(columns).encode() if fmt == "csv" else b""


class _FileWriter:
    """Writes byte payloads to a file from a thread, in order, so that the main process
    keeps feeding the workers while the disk catches up (at most ``depth`` payloads wait).

    The thread also wakes every :data:`POLL` seconds to see whether the run was aborted,
    so :meth:`discard` never depends on a wake-up that an interrupted ``put`` may have lost."""

    POLL = 0.2

    def __init__(self, path: Path, depth: int = 4) -> None:
        self.file = files.open_private(path)
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"write {path.name}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                data = self.queue.get(timeout=self.POLL)
            except queue.Empty:
                if self.stopping.is_set():
                    return
                continue
            if data is None:
                return
            if self.error is None and not self.stopping.is_set():
                try:
                    self.file.write(data)
                except BaseException as exc:  # noqa: BLE001 - reported by write() or close()
                    self.error = exc

    def write(self, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        if data:
            self.queue.put(data)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.file.close()
        if self.error is not None:
            raise self.error

    def discard(self) -> None:
        """Stop without writing what is left; returns within about a second whatever state it is in."""
        self.stopping.set()
        try:
            while True:
                self.queue.get_nowait()
        except queue.Empty:
            pass
        try:
            self.queue.put_nowait(None)  # wakes it now rather than at its next poll
        except queue.Full:  # (the main thread is here, so only a payload put before can be there)
            pass
        self.thread.join(timeout=5 * self.POLL)
        self.file.close()


class Sink:
    """Appends encoded payloads to one temporary file, in order."""

    def __init__(self, path: Path, fmt: str, columns: tuple) -> None:
        self.path, self.fmt, self.columns, self.rows = path, fmt, columns, 0
        if fmt == "parquet":
            self._buffer: list = []
            self._writer: Any = None  # a pyarrow ParquetWriter from the first rows on
        else:
            self._file = _FileWriter(path)
            self._file.write(header(fmt, columns))

    def write(self, payload, rows: int) -> None:
        self.rows += rows
        if self.fmt != "parquet":
            self._file.write(payload)
            return
        self._buffer.extend(payload)
        while len(self._buffer) >= PARQUET_ROW_GROUP:
            self._flush(self._buffer[:PARQUET_ROW_GROUP])
            del self._buffer[:PARQUET_ROW_GROUP]

    def _schema(self):
        import pyarrow as pa

        def kind(c):
            if c in INT_COLUMNS:
                return pa.int32()
            if c == "violations":
                return pa.list_(pa.string())
            return pa.string()

        return pa.schema([(c, kind(c)) for c in self.columns])

    def _flush(self, rows: list) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = self._schema()
        if self._writer is None:
            files.open_private(self.path).close()  # created private; pyarrow then writes into it
            self._writer = pq.ParquetWriter(str(self.path), schema, compression="zstd")
        cols = list(zip(*rows)) if rows else [()] * len(self.columns)
        arrays = [
            pa.array([violation_list(v) for v in col] if f.name == "violations" else list(col), type=f.type)
            for col, f in zip(cols, schema)
        ]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=schema))

    def close(self) -> None:
        if self.fmt != "parquet":
            self._file.close()
            return
        if self._buffer or self._writer is None:
            self._flush(self._buffer)
            self._buffer = []
        self._writer.close()

    def discard(self) -> None:
        try:
            if self.fmt != "parquet":
                self._file.discard()
            elif self._writer is not None:
                self._writer.close()
        except Exception:  # noqa: BLE001 - best effort while cleaning up
            pass


class OutputSet:
    """The temporary files of one run, published together by :meth:`commit`."""

    def __init__(self, outdir: str | os.PathLike) -> None:
        self.outdir = Path(outdir)
        if self.outdir.exists() and not self.outdir.is_dir():
            raise InvalidInput(f"{outdir} exists and is not a folder", "-o")
        self.created_dir = not self.outdir.exists()
        try:
            files.make_dir(self.outdir)
        except OSError as exc:
            raise InvalidInput(f"cannot create the folder {outdir}: {exc.strerror}", "-o") from None
        if not os.access(self.outdir, os.W_OK):
            raise InvalidInput(f"cannot write into the folder {outdir}", "-o")
        self._temps: dict[str, Path] = {}  # final name -> temporary path
        self._sinks: list[Sink] = []

    def temp(self, name: str) -> Path:
        path = self.outdir / f".{name}.{os.getpid()}.tmp"
        self._temps[name] = path
        return path

    def sink(self, name: str, fmt: str, columns: tuple) -> Sink:
        sink = Sink(self.temp(name), fmt, columns)
        self._sinks.append(sink)
        return sink

    def sink_at(self, path: Path, fmt: str, columns: tuple) -> Sink:
        """A sink at ``path`` inside a temporary folder of this set (published with it)."""
        sink = Sink(path, fmt, columns)
        self._sinks.append(sink)
        return sink

    def temp_dir(self, name: str) -> Path:
        path = self.temp(name)
        path.mkdir(mode=files.dir_mode())
        os.chmod(path, files.dir_mode())
        return path

    def write_text(self, name: str, text: str) -> None:
        with files.open_private(self.temp(name)) as fh:
            fh.write(text.encode("utf-8"))

    def commit(self) -> list[Path]:
        """Close every file and rename each to its final name; returns the final paths."""
        for sink in self._sinks:
            sink.close()
        self._sinks = []
        done = []
        for name, path in self._temps.items():
            final = self.outdir / name
            if path.is_dir() and final.is_dir():
                shutil.rmtree(final)
            os.replace(path, final)
            done.append(final)
        self._temps = {}
        return done

    def abort(self) -> None:
        """Remove every temporary file (and the output folder when this run created it empty)."""
        for sink in self._sinks:
            sink.discard()
        for path in self._temps.values():
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        self._temps = {}
        if self.created_dir:
            try:
                self.outdir.rmdir()
            except OSError:
                pass
