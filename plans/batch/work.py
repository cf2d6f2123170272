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


_STATE: dict = {}


def init_worker(config: WorkerConfig) -> None:
    """Set up a worker (or the main process when running with one worker)."""
    _STATE["config"] = config
    _STATE["engine"] = Engine(config.policy, config.authority, config.start, config.include_escalations,
                              schedules=config.schedules or bool(config.letters))
    _STATE["letters"] = (LetterWriter(config.policy, config.letters, config.lang, config.start)
                         if config.letters else None)


def process_chunk(chunk: Chunk) -> ChunkResult:
    config: WorkerConfig = _STATE["config"]
    engine: Engine = _STATE["engine"]
    letters: LetterWriter | None = _STATE["letters"]
    letters_dir = Path(config.letters_dir) if config.letters_dir else None
    items = parse_chunk(config.layout, chunk)
    refs, lines, balances, counts, sched_counts, failures, rejects = [], [], [], [], [], [], []
    offer_rows: list = []
    sched_rows: list = []
    compute = engine.account_rows
    first = next((x for x in items if x.__class__ is Account), None)
    if first is not None and not engine.fast_agrees(first):
        if not _STATE.get("warned"):
            _STATE["warned"] = True
            print(f"installment batch: warning: the fast path disagrees with generate_offers on line "
                  f"{first.line}; chunks where it does use generate_offers", file=sys.stderr)
        compute = engine.general_rows
    for item in items:
        if item.__class__ is not Account:
            rejects.append(tuple(item))
            continue
        refs.append(item.account_ref)
        lines.append(item.line)
        try:
            balance, rows, schedule, offers = compute(item)
            if not rows:
                raise InvalidInput(f"no offer fits the policy within {config.authority} authority", "offers")
        except InstallmentError as exc:
            failures.append((len(refs) - 1, str(exc)))
            balances.append(0)
            counts.append(0)
            sched_counts.append(0)
            continue
        balances.append(balance)
        counts.append(len(rows))
        offer_rows.extend(rows)
        sched_counts.append(len(schedule))
        sched_rows.extend(schedule)
        if letters is not None:
            letters.write(letters_dir / letter_name(item.line, None, config.letters), offers)
    fmt = config.fmt
    return ChunkResult(
        len(items), len(chunk.data), refs, lines, balances, counts, encode_rows(fmt, OFFER_COLUMNS, offer_rows),
        sched_counts, encode_rows(fmt, SCHEDULE_COLUMNS, sched_rows) if config.schedules else None,
        failures, rejects,
    )
