"""The batch run: portfolio in, offers, rejects, schedules, letters and summary out.

The main process reads the input in chunks of whole rows (plans.portfolio.reader),
hands them to the worker pool (plans.batch.pool) and receives, in input order,
each chunk's encoded offer rows, schedule rows and rejects (plans.batch.work).
It then drops accounts whose reference was already seen (a duplicate is a
reject), appends to the output files and keeps the counts.  Only the set of
account references grows with the input; everything else is bounded by the
chunks in flight.

Every input row ends in exactly one place: an account with offers in
``offers.<fmt>`` or a line in ``rejects.csv``; ``summary.json`` reconciles
``input_rows = accounts_with_offers + rejects``.  With ``--letters``, every account
with offers has its letter in ``letters/`` or a line in ``letters_withheld.csv``
(the conduct rules held it back: a flag, or a phrase the message check refuses), and
the summary adds ``letters_written`` and ``letters_withheld``; PDF letters are laid out
after the last chunk (:mod:`.letter_spool`).  With ``--sms``, every account with offers
has its message in ``sms.csv`` or a line in ``sms_withheld.csv``.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from calc.money import format_amount
from plans.policy import Policy
from plans.portfolio.reader import Portfolio, guess_format
from plans.portfolio.rows import Reject
from plans.vocabulary import Authority

from .dedup import ref_set
from .letter_spool import PdfSpool
from .letters import INDEX_COLUMNS, SMS_COLUMNS, temp_name
from .outputs import OFFER_COLUMNS, REJECT_COLUMNS, SCHEDULE_COLUMNS, OutputSet, csv_line, encode_rows, require_format
from .pool import default_workers, forks, ordered_map, undisturbed
from .stopping import check_stop, stop_on_signals
from .work import ChunkResult, WorkerConfig, init_worker, prepare_worker, process_chunk

#: Letters (a file each) and SMS take longer than offers: smaller chunks keep the progress bar moving
#: (about 1,700 accounts a chunk instead of 4,500: several chunks a second per worker) and the workers
#: evenly loaded.  Not much smaller: what a chunk costs whatever its size (reading its columns, the
#: engine's arrays) was a fifth of a text letter's time at 200 accounts a chunk, and at 850 a chunk
#: (128 KiB) still about 2.5 µs an account more than at 1,700 (bench/bench_letters.py).
#: Same files either way.  (With several workers every kind of run's chunks shrink toward the end of the
#: input, ``Portfolio.chunks(share=...)``, so that the workers finish together.)
LETTER_CHUNK_BYTES = 1 << 18
#: PDF letters come back to the main process as lines to lay out (about 1 ms each): what a chunk costs
#: whatever its size does not matter there, and chunks of 128 KiB keep fewer letters' lines in flight
#: (about 70 MiB less at the peak than 256 KiB with 2 workers).
PDF_CHUNK_BYTES = 1 << 17
#: Without letters, chunks of 512 KiB (about 4,500 accounts): the engine computes a chunk's offers in
#: arrays, so fewer, larger chunks spend less on what each chunk costs whatever its size.
CHUNK_BYTES = 1 << 19
#: JSON Lines repeat every key on every line (about three times the bytes of a CSV row): chunks three
#: times the size hold about as many accounts.
JSONL_CHUNK_BYTES = 3 << 19

SUMMARY_KEYS = (
    "input_rows",
    "accounts_with_offers",
    "rejects",
    "offers",
    "total_plan_balance",
    "policy_version",
    "input_sha256",
    "wall_seconds",
)
WITHHELD_COLUMNS = ("line", "account_ref", "reason")


@dataclass(frozen=True)
class BatchOptions:
    input: str
    outdir: str
    policy: Policy
    start: date
    authority: str = Authority.AGENT
    fmt: str = "csv"
    schedules: bool = False
    letters: str | None = None  # pdf | html | txt
    lang: str = "zh_CN"
    workers: int = field(default_factory=default_workers)
    encoding: str = "utf-8"
    input_format: str | None = None
    chunk_bytes: int | None = None
    include_escalations: bool = False
    #: Account reference -> contact flags, from the store (``--db``); None: not read.
    contact_flags: dict | None = None
    #: Where the flags came from (the database file), for the summary.
    contact_flags_from: str | None = None
    #: PDF letters this many to a file (``letters/bundle-000001.pdf``...); None: one file per letter.
    letters_bundle: int | None = None
    #: Write sms.csv: one message per account, leading with its first-ranked offer.
    sms: bool = False


@dataclass
class Totals:
    input_rows: int = 0
    accounts: int = 0
    rejects: int = 0
    offers: int = 0
    schedule_rows: int = 0
    plan_balance: int = 0
    bytes_done: int = 0
    letters: int = 0
    withheld: int = 0
    sms: int = 0
    sms_withheld: int = 0
    letter_files: int = 0


def _split(payload, counts: list[int], fmt: str) -> list:
    """Per-account parts of a chunk payload (only needed when a chunk holds duplicates)."""
    if fmt == "parquet":
        rows, parts, i = payload, [], 0
        for n in counts:
            parts.append(rows[i : i + n])
            i += n
        return parts
    sep = b"\r\n" if fmt == "csv" else b"\n"
    lines = payload.split(sep)
    parts, i = [], 0
    for n in counts:
        parts.append(sep.join(lines[i : i + n]) + sep if n else b"")
        i += n
    return parts


def _pick(parts: list, keep: list[int]) -> list:
    return [parts[i] for i in keep]


def _join(parts: list, fmt: str):
    return list(chain.from_iterable(parts)) if fmt == "parquet" else b"".join(parts)


class Run:
    """One batch run over open outputs; ``add`` takes chunk results in input order."""

    def __init__(self, opts: BatchOptions, outputs: OutputSet) -> None:
        fmt = opts.fmt
        self.opts, self.fmt, self.totals = opts, fmt, Totals()
        self.dups = ref_set()
        self.offers = outputs.sink(f"offers.{fmt}", fmt, OFFER_COLUMNS)
        self.schedules = outputs.sink(f"schedules.{fmt}", fmt, SCHEDULE_COLUMNS) if opts.schedules else None
        self.rejects = outputs.sink("rejects.csv", "csv", REJECT_COLUMNS)
        self.letters_dir = outputs.temp_dir("letters") if opts.letters else None
        self.withheld = outputs.sink("letters_withheld.csv", "csv", WITHHELD_COLUMNS) if opts.letters else None
        self.index = (
            outputs.sink_at(self.letters_dir / "index.csv", "csv", INDEX_COLUMNS)
            if self.letters_dir is not None
            else None
        )
        self.pdf = PdfSpool(outputs.outdir, self.letters_dir) if opts.letters == "pdf" and self.letters_dir else None
        self.sms = outputs.sink("sms.csv", "csv", SMS_COLUMNS) if opts.sms else None
        self.sms_withheld = outputs.sink("sms_withheld.csv", "csv", WITHHELD_COLUMNS) if opts.sms else None
        #: Places whose letter was moved there over a later duplicate's (only references that appear twice).
        self._moved: set = set()

    def add(self, r: ChunkResult) -> None:
        t, fmt = self.totals, self.fmt
        t.input_rows += r.rows
        t.bytes_done += r.nbytes
        refs, lines = r.refs, r.lines
        failed = dict(r.failures)
        dropped = self.dups.add(refs)
        if not dropped:
            offers, schedules = r.offers, r.schedules
            t.offers += sum(r.offer_counts)
            t.schedule_rows += sum(r.schedule_counts)
            t.plan_balance += sum(r.balances)
        else:
            gone = set(dropped)
            keep = [i for i in range(len(refs)) if i not in gone]
            offers = _join(_pick(_split(r.offers, r.offer_counts, fmt), keep), fmt)
            if self.schedules is not None:
                schedules = _join(_pick(_split(r.schedules, r.schedule_counts, fmt), keep), fmt)
            t.offers += sum(r.offer_counts[i] for i in keep)
            t.schedule_rows += sum(r.schedule_counts[i] for i in keep)
            t.plan_balance += sum(r.balances[i] for i in keep)
            for i in dropped:
                failed[i] = f"account_ref: duplicate; {refs[i]!r} already appears on an earlier line"
        rejects = r.rejects
        if failed:
            rejects = sorted(rejects + [Reject(lines[i], refs[i], reason) for i, reason in failed.items()])
        t.accounts += len(refs) - len(failed)
        self.offers.write(offers, 0)
        if self.schedules is not None:
            self.schedules.write(schedules, 0)
        if rejects:
            t.rejects += len(rejects)
            self.rejects.write("".join([csv_line(row) for row in rejects]).encode(), len(rejects))
        if self.letters_dir is not None:
            self._letters(r, failed)
        if self.sms is not None and self.sms_withheld is not None:
            sent, held = [], []
            for i, got in r.sms:
                if i in failed:
                    continue
                if got.__class__ is tuple:
                    sent.append(got)
                else:
                    held.append((lines[i], refs[i], got))
            t.sms += len(sent)
            t.sms_withheld += len(held)
            self.sms.write("".join([csv_line(row) for row in sent]).encode(), len(sent))
            self.sms_withheld.write("".join([csv_line(row) for row in held]).encode(), len(held))

    def _letters(self, r: ChunkResult, failed: dict) -> None:
        """The chunk's letters: text and HTML ones are in place already (a duplicate's removed, one whose
        place was taken moved there), PDF ones to the spool; the held back ones to letters_withheld.csv."""
        t, ext, refs, lines = self.totals, self.opts.letters, r.refs, r.lines
        if ext is None or self.letters_dir is None or self.index is None or self.withheld is None:
            return  # (all four exist when letters are asked for)
        rows = [(lines[i], refs[i], why) for i, why in r.withheld if i not in failed]
        index = []
        root = str(self.letters_dir)
        for i, rel, moved in r.written:
            if i in failed:  # a duplicate: its letter goes, unless the kept occurrence's letter replaced it
                if moved:
                    os.unlink(f"{root}/{temp_name(lines[i], ext)}")
                elif rel not in self._moved:
                    os.unlink(f"{root}/{rel}")
                continue
            if moved:  # a later duplicate took the place first: the kept letter replaces it
                os.replace(f"{root}/{temp_name(lines[i], ext)}", f"{root}/{rel}")
                self._moved.add(rel)
            index.append((refs[i], rel, "", ""))
        for i, letter in r.pdf:
            if i not in failed and self.pdf is not None:
                self.pdf.add(refs[i], letter)
                t.letters += 1
        t.letters += len(index)
        self.index.write(encode_rows("csv", INDEX_COLUMNS, index), len(index))
        if rows:
            t.withheld += len(rows)
            self.withheld.write("".join([csv_line(row) for row in rows]).encode(), len(rows))

    def lay_out_pdf(self, workers: int) -> None:
        """The PDF letters spooled during the run, laid out by the workers: N to a file or one each."""
        if self.pdf is None or self.index is None:
            return
        for rows in self.pdf.render(self.opts.letters_bundle, workers, check=check_stop):
            check_stop()
            self.index.write("".join([csv_line(row) for row in rows]).encode(), len(rows))
        self.totals.letter_files = self.pdf.files

    def summary(self, sha256: str, wall: float) -> dict:
        t, policy = self.totals, self.opts.policy
        letters = (
            {}
            if not self.opts.letters
            else {
                "letters_written": t.letters,
                "letters_withheld": t.withheld,
                "contact_flags_from": self.opts.contact_flags_from,
            }
        )
        if self.opts.letters == "pdf":
            letters["letter_files"] = t.letter_files
        if self.opts.sms:
            letters.update(
                {
                    "sms_written": t.sms,
                    "sms_withheld": t.sms_withheld,
                    "contact_flags_from": self.opts.contact_flags_from,
                }
            )
        return {
            "input_rows": t.input_rows,
            "accounts_with_offers": t.accounts,
            "rejects": t.rejects,
            "offers": t.offers,
            "total_plan_balance": format_amount(t.plan_balance, policy.currency),
            "policy_version": policy.version,
            "input_sha256": sha256,
            "wall_seconds": round(wall, 3),
            **letters,
        }


def _commit(outputs: OutputSet) -> list[Path]:
    """Rename every file to its final name, undisturbed (a few renames)."""
    with undisturbed():
        return outputs.commit()


def _chunk_bytes(opts: BatchOptions, jsonl: bool) -> int:
    """How much of the input a chunk holds (see the constants)."""
    if opts.letters == "pdf":
        return PDF_CHUNK_BYTES
    if opts.letters or opts.sms:
        return LETTER_CHUNK_BYTES
    return JSONL_CHUNK_BYTES if jsonl else CHUNK_BYTES


def run_batch(opts: BatchOptions, progress=None) -> tuple[dict, list[Path]]:
    """Run the batch; returns the summary and the files written.

    ``progress(done_bytes, total_bytes, accounts)`` is called after every chunk.
    On any exception (including KeyboardInterrupt) no output file is left behind.  SIGINT and
    SIGTERM stop the run with KeyboardInterrupt (:mod:`.stopping`): within a twentieth of a second while
    workers compute, at the end of the chunk in hand when the run computes in this process (one worker).
    """
    began = time.perf_counter()
    require_format(opts.fmt)
    jsonl = (opts.input_format or guess_format(str(opts.input))) == "jsonl"
    chunk_bytes = opts.chunk_bytes or _chunk_bytes(opts, jsonl)
    kwargs = {"chunk_bytes": chunk_bytes} if chunk_bytes else {}
    with stop_on_signals(), Portfolio(opts.input, opts.encoding, opts.input_format, **kwargs) as portfolio:
        check_stop()
        outputs = OutputSet(opts.outdir)
        results = run = None
        try:
            run = Run(opts, outputs)
            config = WorkerConfig(
                portfolio.layout,
                opts.policy,
                opts.authority,
                opts.start,
                opts.fmt,
                opts.schedules,
                str(run.letters_dir) if run.letters_dir else None,
                opts.letters,
                opts.lang,
                opts.include_escalations,
                opts.contact_flags,
                opts.sms,
            )
            if opts.workers <= 1 or forks():  # (a spawned worker would not start with it)
                prepare_worker(config)
            chunks = portfolio.chunks(share=opts.workers)
            results = ordered_map(process_chunk, chunks, opts.workers, init_worker, (config,), check=check_stop)
            for result in results:
                check_stop()
                run.add(result)
                if progress is not None:
                    progress(run.totals.bytes_done, portfolio.size, run.totals.input_rows)
            results = None
            run.lay_out_pdf(opts.workers)
            summary = run.summary(portfolio.sha256, time.perf_counter() - began)
            outputs.write_text("summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
            check_stop()
            files = _commit(outputs)
        except BaseException:
            with undisturbed():  # stop the workers first (they write letters), then remove every file
                if results is not None:
                    results.close()
                if run is not None and run.pdf is not None:
                    run.pdf.close()
                outputs.abort()
            raise
        finally:
            if run is not None and run.pdf is not None:
                run.pdf.remove()
    return summary, files
