"""What a worker does with one chunk of the portfolio.

``process_chunk`` reads the chunk's rows: the plain ones as columns
(plans.batch.columns), any other through plans.portfolio.reader, which turns a bad
row into a reject with its reason.  It then computes the offers of every account
of the chunk at once (plans.batch.engine, that is plans.offers' engine), encodes
the offer and schedule rows for the output format and, with ``--letters``, writes
each text or HTML letter to its place (plans.batch.letters: a duplicate reference's
letter under a temporary name, which the main process sorts out).  An account whose
offers cannot be made (another currency, a zero debt, no offer within the
authority...) becomes a reject with the reason; nothing is dropped silently.
With ``--letters`` text and HTML letters are written here too, PDF letters come back
as lines to lay out, and with ``--sms`` each account's message row (plans.batch.letters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np

from plans.offers.accounts import concat, take
from plans.policy import Policy
from plans.portfolio.reader import Chunk, Layout, parse_chunk
from plans.portfolio.rows import PortfolioRow, Reject

from .accounts import accounts_of, problem
from .columns import ColumnReader
from .engine import Engine
from .letters import LetterWriter
from .outputs import OFFER_COLUMNS, SCHEDULE_COLUMNS, encode_rows


@dataclass(frozen=True)
class WorkerConfig:
    layout: Layout
    policy: Policy
    authority: str
    start: date
    fmt: str
    schedules: bool
    letters_dir: str | None
    letters: str | None
    lang: str
    include_escalations: bool = False
    #: PortfolioRow reference -> contact flags (``--db``), for scheduling letters by the conduct rules.
    contact_flags: dict | None = None
    sms: bool = False


class Failure(NamedTuple):
    """An account of the chunk that has no offers: where it is (an index into ``ChunkResult.refs``), and why."""

    at: int
    reason: str


class ChunkResult(NamedTuple):
    """One chunk's outcome, in input order.  Lists indexed by account run in parallel over every
    row that parsed as an account (duplicates are only known in the main process)."""

    rows: int  # input rows in the chunk (accounts + rejects)
    nbytes: int
    refs: list[str]
    lines: list[int]
    balances: list[int]  # plan balance (minor units); 0 for a failed account
    offer_counts: list[int]  # 0 for a failed account
    offers: object  # encoded offer rows of all accounts (plans.batch.outputs.encode_rows)
    schedule_counts: list[int]
    schedules: object
    failures: list[Failure]  # accounts without offers
    rejects: list[Reject]  # rows that are not accounts (rejects.csv rows)
    withheld: tuple = ()  # (index into refs, reason): letters the conduct rules held back
    pdf: tuple = ()  # (index into refs, (lang, lines)): PDF letters to lay out
    written: tuple = ()  # (index into refs, place under letters/, under its temporary name): text, HTML
    sms: tuple = ()  # (index into refs, SMS row or the reason there is none)


@dataclass(frozen=True, slots=True)
class Worker:
    """What a worker process holds between chunks, made once from its configuration."""

    config: WorkerConfig
    engine: Engine
    reader: ColumnReader
    #: None without ``--letters`` and ``--sms``.
    letters: LetterWriter | None

    @classmethod
    def of(cls, config: WorkerConfig) -> Worker:
        return cls(
            config,
            Engine(
                config.policy,
                config.authority,
                config.start,
                include_escalations=config.include_escalations,
                fmt=config.fmt,
                schedules=config.schedules,
                letters=bool(config.letters or config.sms),
            ),
            ColumnReader(config.layout, config.policy.currency, config.start),
            LetterWriter(
                config.policy,
                config.letters,
                config.lang,
                config.start,
                config.contact_flags,
                config.letters_dir,
            )
            if config.letters or config.sms
            else None,
        )


#: This process's worker (``init_worker`` makes it: the pool calls it once in each worker process).
_worker: Worker | None = None
#: A worker made ahead of the pool by :func:`prepare_worker`, which forked workers start with.
_prepared: Worker | None = None


def prepare_worker(config: WorkerConfig) -> None:
    """Make the worker of ``config`` in this process before the pool forks its workers, which then start
    with it (copy on write) instead of each making its own: the engine, and with ``--letters`` or ``--sms``
    the letter kit of the run's language and the conduct checker it compiles (the same work, done once
    rather than once per worker).  Kept until the next run prepares its own."""
    global _prepared
    _prepared = Worker.of(config)
    if _prepared.letters is not None:
        _prepared.letters.kit(None)


def init_worker(config: WorkerConfig) -> None:
    """Set up a worker (or the main process when running with one worker): the prepared one
    (:func:`prepare_worker`) when it was made of this configuration."""
    global _worker
    _worker = _prepared if _prepared is not None and _prepared.config is config else Worker.of(config)


def process_chunk(chunk: Chunk) -> ChunkResult:
    """One chunk through this process's worker (``init_worker`` first)."""
    if _worker is None:
        raise RuntimeError("process_chunk before init_worker")
    try:
        return _process(_worker, chunk)
    finally:
        if _worker.letters is not None:  # (the letters' folder kept open during the chunk)
            _worker.letters.close()


def _process(worker: Worker, chunk: Chunk) -> ChunkResult:
    config = worker.config
    read = worker.reader.read(chunk)
    if read is None:  # the chunk as a whole is not plain: every row through plans.portfolio.reader
        plain_lines = np.zeros(0, dtype=np.int64)
        parsed = parse_chunk(config.layout, chunk)
        problems: list = []
    else:
        plain_lines = chunk.first_line + np.nonzero(read.plain)[0]
        raw = None
        parsed = []
        for i in np.nonzero(~read.plain)[0].tolist():
            raw = raw or chunk.data.split(b"\n")
            parsed.extend(parse_chunk(config.layout, Chunk(chunk.first_line + i, raw[i] + b"\n")))
        problems = read.problems
    rows = [x for x in parsed if isinstance(x, PortfolioRow)]
    rejects = [x for x in parsed if isinstance(x, Reject)]
    # the accounts in input order: the plain ones (as columns) and the parsed ones, merged by line
    lines = np.concatenate([plain_lines, np.array([a.line for a in rows], dtype=np.int64)])
    order = np.argsort(lines, kind="stable")
    n_plain = len(plain_lines)
    plain_refs: list = []
    plain_phones: list = []
    plain_langs: list = []
    if n_plain:  # plain rows come with their columns
        assert read is not None and read.accounts is not None
        plain_refs, plain_phones, plain_langs = read.accounts.ref, read.phones or [], read.languages or []
    refs_all = plain_refs + [a.account_ref for a in rows]
    phones_all = plain_phones + [a.phone for a in rows]
    langs_all = plain_langs + [a.language for a in rows]
    reasons_all = list(problems) + [problem(a, config.policy) for a in rows]
    order_list = order.tolist()
    refs = [refs_all[i] for i in order_list]
    reasons = [reasons_all[i] for i in order_list]
    good = [g for g, i in enumerate(order_list) if reasons_all[i] is None]
    balances, counts, sched_counts = [0] * len(refs), [0] * len(refs), [0] * len(refs)
    fmt = config.fmt
    offers = encode_rows(fmt, OFFER_COLUMNS, [])
    schedules = encode_rows(fmt, SCHEDULE_COLUMNS, []) if config.schedules else None
    line_list = lines[order].tolist()
    withheld: list = []
    pdf: list = []
    written: list = []
    sms: list = []
    if good:
        picked = [order_list[g] for g in good]
        accounts = _accounts(read, picked, n_plain, rows, config)
        outcome = worker.engine.run(accounts)
        offers, schedules = outcome.offers, outcome.schedules
        letters = worker.letters
        debts = accounts.buckets.sum(axis=0).tolist() if letters is not None else []
        for k, g in enumerate(good):
            if outcome.counts[k]:
                balances[g], counts[g], sched_counts[g] = (
                    outcome.balances[k],
                    outcome.counts[k],
                    outcome.schedule_counts[k],
                )
                if letters is None:
                    continue
                if not outcome.letters[k]:  # only escalations (--include-escalations): nothing to offer
                    nothing = f"no offer within {config.authority} authority to put in a letter or SMS"
                    if config.letters:
                        withheld.append((g, nothing))
                    if config.sms:
                        sms.append((g, nothing))
                    continue
                i = order_list[g]
                lang, region = langs_all[i], accounts.account_region[k]
                if config.letters:
                    held, got = letters.letter(
                        refs[g], accounts.name[k], lang, int(debts[k]), outcome.letters[k], region, line_list[g]
                    )
                    if held is not None:
                        withheld.append((g, held))
                    elif config.letters == "pdf":
                        pdf.append((g, got))
                    else:
                        written.append((g, *got))
                if config.sms:
                    sms.append((g, letters.sms(refs[g], phones_all[i], lang, outcome.letters[k], region)))
            else:
                reasons[g] = f"offers: no offer fits the policy within {config.authority} authority"
    failures = [Failure(i, why) for i, why in enumerate(reasons) if why is not None]
    return ChunkResult(
        rows=len(refs) + len(rejects),
        nbytes=len(chunk.data),
        refs=refs,
        lines=line_list,
        balances=balances,
        offer_counts=counts,
        offers=offers,
        schedule_counts=sched_counts,
        schedules=schedules,
        failures=failures,
        rejects=rejects,
        withheld=tuple(withheld),
        pdf=tuple(pdf),
        written=tuple(written),
        sms=tuple(sms),
    )


def _accounts(read, picked: list, n_plain: int, rows: list, config: WorkerConfig):
    """The accounts ``picked`` (indices: first the chunk's plain accounts, then the parsed ``rows``) as one
    Accounts, in that order."""
    plain = [i for i in picked if i < n_plain]
    parsed = [rows[i - n_plain] for i in picked if i >= n_plain]
    parts = []
    if plain:
        parts.append(read.accounts if len(plain) == read.accounts.n else take(read.accounts, np.array(plain)))
    if parsed:
        parts.append(accounts_of(parsed, config.policy.currency, config.start))
    acc = concat(parts)
    if plain and parsed:  # the concatenation has the plain accounts first: put them back in input order
        where = np.empty(len(picked), dtype=np.int64)
        where[[g for g, i in enumerate(picked) if i < n_plain] + [g for g, i in enumerate(picked) if i >= n_plain]] = (
            np.arange(len(picked))
        )
        acc = take(acc, where)
    return acc
