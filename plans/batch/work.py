"""What a worker does with one chunk of the portfolio.

``process_chunk`` parses the chunk's rows (plans.portfolio_input), generates each
account's offers (plans.batch.engine), encodes the offer and schedule rows for
the output format and, with ``--letters``, writes each account's letter under a
temporary name (``.L<line>.<ext>``; the main process renames it once the
account is known not to be a duplicate).  An account whose offers cannot be
made (an error from the offers, or no offer at all) becomes a reject with the
reason; nothing is dropped silently.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

from calc.errors import InstallmentError, InvalidInput
from plans.portfolio_input import Account, Chunk, Layout, parse_chunk

from .engine import Engine
from .letters import LetterWriter, letter_name
from .outputs import OFFER_COLUMNS, SCHEDULE_COLUMNS, encode_rows


@dataclass(frozen=True)
class WorkerConfig:
    layout: Layout
    policy: object
    authority: str
    start: date
    fmt: str
    schedules: bool
    letters_dir: str | None
    letters: str | None
    lang: str
    include_escalations: bool = False
    #: Account reference -> contact flags (``--db``), for scheduling letters by the conduct rules.
    contact_flags: dict | None = None


class ChunkResult(NamedTuple):
    """One chunk's outcome, in input order.  Lists indexed by account run in parallel over every
    row that parsed as an account (duplicates are only known in the main process)."""

    rows: int  # input rows in the chunk (accounts + rejects)
    nbytes: int
    refs: list
    lines: list
    balances: list  # plan balance (minor units); 0 for a failed account
    offer_counts: list  # 0 for a failed account
    offers: object  # encoded offer rows of all accounts (plans.batch.outputs.encode_rows)
    schedule_counts: list
    schedules: object
    failures: list  # (index into refs, reason): accounts without offers
    rejects: list  # (line, account_ref, reason): rows that are not accounts
    withheld: tuple = ()  # (index into refs, reason): letters the conduct rules held back


_STATE: dict = {}


def init_worker(config: WorkerConfig) -> None:
    """Set up a worker (or the main process when running with one worker)."""
    _STATE["config"] = config
    engine = Engine(config.policy, config.authority, config.start, config.include_escalations,
                    schedules=config.schedules or bool(config.letters))
    _STATE["engine"] = engine
    _STATE["letters"] = (LetterWriter(config.policy, config.letters, config.lang, config.start,
                                      config.contact_flags) if config.letters else None)
    _STATE["lane"] = None
    if config.fmt == "csv" and not config.schedules and not config.letters and engine.fast is not None:
        try:
            from .vector import VectorLane
        except ImportError:  # numpy or pyarrow missing: the per-row path does it all
            pass
        else:
            _STATE["lane"] = VectorLane.create(engine.fast, config.layout)


def _warn(message: str) -> None:
    if not _STATE.get("warned"):
        _STATE["warned"] = True
        print(f"installment batch: warning: {message}", file=sys.stderr)


def _outcome(item: Account, compute, authority: str):
    """(reason or None, balance, offer rows, schedule rows, offers) of one account."""
    try:
        balance, rows, schedule, offers = compute(item)
        if not rows:
            raise InvalidInput(f"no offer fits the policy within {authority} authority", "offers")
    except InstallmentError as exc:
        return str(exc), 0, [], [], None
    return None, balance, rows, schedule, offers


def process_chunk(chunk: Chunk) -> ChunkResult:
    lane = _STATE.get("lane")
    if lane is not None:
        result = _vector_chunk(lane, chunk)
        if result is not None:
            return result
    return _row_chunk(chunk)


def _row_chunk(chunk: Chunk) -> ChunkResult:
    config: WorkerConfig = _STATE["config"]
    engine: Engine = _STATE["engine"]
    letters: LetterWriter | None = _STATE["letters"]
    letters_dir = Path(config.letters_dir) if config.letters_dir else None
    items = parse_chunk(config.layout, chunk)
    refs, lines, balances, counts, sched_counts, failures, rejects, withheld = [], [], [], [], [], [], [], []
    offer_rows: list = []
    sched_rows: list = []
    compute = engine.account_rows
    first = next((x for x in items if x.__class__ is Account), None)
    if first is not None and not engine.fast_agrees(first):
        _warn(f"the fast path disagrees with generate_offers on line {first.line}; "
              "chunks where it does use generate_offers")
        compute = engine.general_rows
    for item in items:
        if item.__class__ is not Account:
            rejects.append(tuple(item))
            continue
        refs.append(item.account_ref)
        lines.append(item.line)
        reason, balance, rows, schedule, offers = _outcome(item, compute, config.authority)
        if reason is not None:
            failures.append((len(refs) - 1, reason))
        balances.append(balance)
        counts.append(len(rows))
        offer_rows.extend(rows)
        sched_counts.append(len(schedule))
        sched_rows.extend(schedule)
        if letters is not None and reason is None:
            held = letters.write(letters_dir / letter_name(item.line, None, config.letters), offers,
                                 item.account_ref, item.region)
            if held is not None:
                withheld.append((len(refs) - 1, held))
    fmt = config.fmt
    return ChunkResult(
        len(items), len(chunk.data), refs, lines, balances, counts, encode_rows(fmt, OFFER_COLUMNS, offer_rows),
        sched_counts, encode_rows(fmt, SCHEDULE_COLUMNS, sched_rows) if config.schedules else None,
        failures, rejects, tuple(withheld),
    )


def _vector_chunk(lane, chunk: Chunk) -> ChunkResult | None:
    """The chunk through the vector lane (plans.batch.vector), rows it leaves through the fast path."""
    config: WorkerConfig = _STATE["config"]
    engine: Engine = _STATE["engine"]
    try:
        got = lane.run(chunk)
    except Exception as exc:  # noqa: BLE001 - the per-row path is exact; say why it was needed
        _warn(f"the vector lane failed on the chunk from line {chunk.first_line} ({exc!r}); "
              "such chunks go row by row")
        return None
    if got is None:
        return None
    plain, result = got
    n = len(plain)
    raw_lines: list = []

    def row_item(i: int):
        if not raw_lines:
            raw_lines.extend(chunk.data.split(b"\n"))
        (item,) = parse_chunk(config.layout, Chunk(chunk.first_line + i, raw_lines[i] + b"\n"))
        return item

    def fast_segment(item):
        reason, balance, rows, _, _ = _outcome(item, engine.account_rows, config.authority)
        return reason, balance, len(rows), encode_rows("csv", OFFER_COLUMNS, rows)

    if result is None:
        idx: list = []
        v_refs, v_bal, v_counts, v_fail, payload, bounds = [], [], [], [], b"", [0]
    else:
        v_refs, v_bal, v_counts, v_fail, payload, bounds = lane.csv(result, config.authority)
        idx = result[0].tolist()
        # each chunk checks its first plain account against the fast path
        first = (dict(v_fail).get(0), v_bal[0], v_counts[0], payload[bounds[0]:bounds[1]])
        if fast_segment(row_item(idx[0])) != first:
            _warn(f"the vector lane disagrees with the fast path on line {chunk.first_line + idx[0]}; "
                  "chunks where it does use the fast path")
            return None
        if len(idx) == n:
            return ChunkResult(n, len(chunk.data), v_refs, range(chunk.first_line, chunk.first_line + n), v_bal,
                               v_counts, payload, [0] * n, None, v_fail, [])
    # Splice the rows the lane left (few) between runs of the lane's accounts.
    refs, lines, balances, counts, failures, rejects, parts = [], [], [], [], [], [], []
    fails = sorted(v_fail)
    f = 0
    prev = 0  # lane accounts taken so far

    def take_lane(upto: int) -> None:
        nonlocal prev, f
        base = len(refs) - prev
        refs.extend(v_refs[prev:upto])
        lines.extend(chunk.first_line + i for i in idx[prev:upto])
        balances.extend(v_bal[prev:upto])
        counts.extend(v_counts[prev:upto])
        parts.append(payload[bounds[prev]:bounds[upto]])
        while f < len(fails) and fails[f][0] < upto:
            failures.append((base + fails[f][0], fails[f][1]))
            f += 1
        prev = upto

    for t, i in enumerate((~plain).nonzero()[0].tolist()):
        take_lane(i - t)
        item = row_item(i)
        if item.__class__ is not Account:
            rejects.append(tuple(item))
            continue
        reason, balance, count, part = fast_segment(item)
        refs.append(item.account_ref)
        lines.append(item.line)
        if reason is not None:
            failures.append((len(refs) - 1, reason))
        balances.append(balance)
        counts.append(count)
        parts.append(part)
    take_lane(len(idx))
    return ChunkResult(n, len(chunk.data), refs, lines, balances, counts, b"".join(parts), [0] * len(refs), None,
                       failures, rejects)
