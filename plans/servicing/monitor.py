"""``installment monitor``: every agreement on one date, its status changes recorded, the day's work listed.

The monitor is a pure function of the agreements (schedules and the records that ended
some of them), the payments, ``[servicing]`` and the date: :func:`assess` computes, for
one agreement, its row of ``agreements.csv``, its work-queue entries, the reminders to
send that day and the status changes to record.  :func:`run_monitor` runs it over the
whole store in chunks of agreements (worker processes on every core, each reading its
chunk through its own read-only connection), records what changed (transitions the
payments decided; a breach record for each agreement that broke), and writes the files
whole or not at all, as the batch does:

``agreements.csv``
    ``agreement_id, account_ref, status, installments_paid, installments_total, next_due,
    next_amount, arrears, missed, paid_to_date, outstanding`` for every agreement, by id.
``work_queue.csv``
    ``account_ref, reason, priority, since``: overdue complaints and those about to fall due
    (priority 0, ``plans.conduct.work``), broken plans (not yet re-planned), plans in arrears,
    credits to review, reminders due and reminders the conduct rules held back, most urgent first.
``reminders.csv``
    ``account_ref, send_on, channel, language, text, send_from, send_until``: the reminders to
    send on the date (``[servicing] reminder_days_before`` each due date not yet paid): by SMS
    when the account has a phone number, else by letter.  Each is scheduled and checked by the
    conduct rules (``plans.conduct.outgoing``): ``send_from``..``send_until`` (UTC) is the
    debtor's contact hours that day (the whole local day for a letter); an account whose flags
    forbid SMS but allow letters, or whose debtor has had the day's SMS already (the contact
    log's SMS on that local day, reminders not counted), gets a letter; one whose flags forbid
    both, or a text the message check refuses, gets none (``reminder_withheld`` on the work
    queue).  The sender reports what it sent with ``installment conduct import-sent``, which
    records the reminders in the contact log (``plans.conduct.sent_input``).
``summary.json``
    counts by status and totals per currency, what this run recorded, reminders written and
    withheld, and agreements that could not be serviced.

Running it again for the same date records nothing new and writes the same files.
"""

from __future__ import annotations

import json
import os
import time
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any, Iterator

from plans.batch.outputs import OutputSet, csv_line
from plans.policy import Policy, Servicing

from .standing import breach_reason, compute
from .vocabulary import ReminderChannel, Status, WorkReason

AGREEMENT_COLUMNS = (
    "agreement_id",
    "account_ref",
    "status",
    "installments_paid",
    "installments_total",
    "next_due",
    "next_amount",
    "arrears",
    "missed",
    "paid_to_date",
    "outstanding",
)
WORK_COLUMNS = ("account_ref", "reason", "priority", "since")
REMINDER_COLUMNS = ("account_ref", "send_on", "channel", "language", "text", "send_from", "send_until")
#: The integer columns of each file (written with %d).
AGREEMENT_INTS = (0, 3, 4, 8)
WORK_INTS = (2,)
SUMMARY_SCHEMA = "installment.monitor/1"
#: Agreement ids per chunk handed to a worker.
CHUNK = 20_000

_ENDING = {"broken": Status.BROKEN, "cancelled": Status.CANCELLED, "superseded": Status.SUPERSEDED}


def csv_text(rows: list[tuple], ints: tuple[int, ...]) -> str:
    """Rows as CSV text, byte for byte what ``csv.writer`` writes: all at once with a format when
    no text field holds a comma, quote or line break (then the separators count exactly), else
    field by field."""
    if not rows:
        return ""
    width = len(rows[0])
    form = ",".join("%d" if i in ints else "%s" for i in range(width)) + "\r\n"
    text = "".join([form % row for row in rows])
    n = len(rows)
    if text.count(",") == n * (width - 1) and '"' not in text and text.count("\n") == n and text.count("\r") == n:
        return text
    return "".join([csv_line(row) for row in rows])


@dataclass(frozen=True)
class MonitorOptions:
    db: str | os.PathLike | None
    policy: Policy
    as_of: date
    outdir: str | os.PathLike
    lang: str = "zh_CN"
    workers: int | None = None
    actor: str = "monitor"


@dataclass
class ChunkResult:
    """What one chunk of agreements gives: output rows (``agreements`` as CSV text, in id order),
    changes to record, counts and totals."""

    agreements: list[Any]  # the output rows; after encode() only their count, [n]
    work: list[tuple]
    reminders: list[tuple]
    transitions: list[tuple[int, str | None, str, str]]
    breaches: list[tuple[int, str, str | None]]
    counts: dict[str, int]
    totals: dict[str, dict[str, int]]
    agreements_csv: str = ""

    def encode(self) -> "ChunkResult":
        """Turn the agreements' rows into CSV text (in the worker, so the writing is shared out)."""
        self.agreements_csv = csv_text(self.agreements, AGREEMENT_INTS)
        self.agreements = [len(self.agreements)]  # only the count travels back
        return self


class _Ordinals(dict):
    """ISO text -> day number, filled on first use (a portfolio shares most of its dates)."""

    def __missing__(self, text: str) -> int:
        n = self[text] = date.fromisoformat(text).toordinal()
        return n


class _Isos(dict):
    """Day number -> ISO text, filled on first use."""

    def __missing__(self, n: int) -> str:
        text = self[n] = date.fromordinal(n).isoformat()
        return text


class Assessor:
    """:func:`assess` with what every agreement of a run shares: the date, the terms, formatters."""

    def __init__(self, servicing: Servicing, as_of: date, lang: str, creditor: str, gate=None) -> None:
        from calc.money import amount_formatter
        from plans.summary import mask_reference
        from plans.summary.servicing_words import reminder_formatter

        self.sv = servicing
        self.as_of = as_of.toordinal()
        self.as_of_iso = as_of.isoformat()
        self.remind_due = self.as_of + servicing.reminder_days_before  # due dates whose reminder goes out today
        self.lang = lang
        self.creditor = creditor
        self.ords, self.isos = _Ordinals(), _Isos()
        self.t, self.f = reminder_formatter(lang)
        self.mask = mask_reference
        self._amount = amount_formatter
        #: ``plans.conduct.outgoing.ReminderGate``: the contact rules and the message check for each reminder.
        self.gate = gate
        self.withheld = 0

    def assess(
        self,
        agreement_id: int,
        ref: str,
        phone: str | None,
        currency: str,
        start: int,
        downs: int,
        dues: list[int],
        cum: list[int],
        pay_days: list[int],
        pay_amounts: list[int],
        ends: list[tuple[int, Status, int | None]],
        out: ChunkResult,
        recorded: dict[int, set[tuple[str, str]]] | None = None,
        region: str | None = None,
    ) -> None:
        """Add one agreement's rows, changes, counts and totals to ``out``.  ``downs`` is 1 when its first
        obligation is a down payment; ``recorded`` holds the ``(day, status)`` changes recorded already,
        by agreement, which are not offered again."""
        recorded = recorded or {}
        sv = self.sv
        (
            status,
            since,
            _received,
            paid,
            credit,
            credit_since,
            arrears,
            _overdue,
            missed,
            inst_paid,
            next_due,
            next_amount,
            _applied,
            changes,
        ) = compute(
            dues,
            cum,
            downs,
            pay_days,
            pay_amounts,
            start,
            self.as_of,
            sv.grace_days,
            sv.break_after_missed,
            ends,
            False,
        )
        iso = self.isos.__getitem__
        fmt = self._amount(currency)
        total = cum[-1]
        out.agreements.append(
            (
                agreement_id,
                ref,
                str(status),
                inst_paid,
                len(dues) - downs,
                iso(next_due) if next_due else "",
                fmt(next_amount) if next_due else "",
                fmt(arrears),
                missed,
                fmt(paid),
                fmt(total - paid),
            )
        )
        out.counts[status] = out.counts.get(status, 0) + 1
        tot = out.totals.get(currency)
        if tot is None:
            tot = out.totals[currency] = {"paid_to_date": 0, "outstanding": 0, "arrears": 0, "credits": 0}
        tot["paid_to_date"] += paid
        tot["outstanding"] += total - paid
        tot["arrears"] += arrears
        tot["credits"] += credit
        if len(changes) > 1:
            known = recorded.get(agreement_id, ())
            for day, old, new, record in changes[1:]:
                if record is not None or (iso(day), str(new)) in known:
                    continue  # made by a record, or recorded by an earlier run
                if new is Status.BROKEN:
                    out.breaches.append((agreement_id, iso(day), None if old is None else str(old)))
                else:
                    out.transitions.append((agreement_id, None if old is None else str(old), str(new), iso(day)))
        if status is Status.BROKEN:
            out.work.append((ref, str(WorkReason.BROKEN), WorkReason.BROKEN.priority, iso(since)))
        elif status is Status.IN_ARREARS:
            out.work.append((ref, str(WorkReason.IN_ARREARS), WorkReason.IN_ARREARS.priority, iso(since)))
        if credit:
            out.work.append(
                (ref, str(WorkReason.CREDIT_TO_REVIEW), WorkReason.CREDIT_TO_REVIEW.priority, iso(credit_since))
            )
        if status.in_force:
            self._reminder(ref, phone, currency, downs, dues, cum, paid, arrears, start, out, region)

    def _reminder(self, ref, phone, currency, downs, dues, cum, paid, arrears, start, out, region=None) -> None:
        """The reminder whose day is today: for the obligation due ``reminder_days_before`` from now."""
        target = self.remind_due
        if self.as_of < start:
            return
        lo = bisect_left(dues, target)  # the obligation due on `target`, if any
        if lo == len(dues) or dues[lo] != target or cum[lo] <= paid:
            return
        left = cum[lo] - max(paid, cum[lo - 1] if lo else 0)
        text = self._text(ref, lo + 1 - downs, target, left, arrears, currency)  # 0: the down payment
        channel = ReminderChannel.SMS if phone else ReminderChannel.LETTER
        window = ("", "")
        if self.gate is not None:  # the contact rules schedule it, and its text must pass the message check
            from plans.conduct.outgoing import Withheld
            from plans.conduct.work import ComplaintWork

            verdict = self.gate(ref, region, channel, text, self.lang)
            if isinstance(verdict, Withheld):
                out.counts["reminders_withheld"] = out.counts.get("reminders_withheld", 0) + 1
                out.work.append(
                    (ref, str(ComplaintWork.REMINDER_WITHHELD), WorkReason.REMINDER_DUE.priority, self.as_of_iso)
                )
                return
            channel, cleared = verdict
            window = (cleared.send_from.isoformat(), cleared.send_until.isoformat())
        out.reminders.append((ref, self.as_of_iso, str(channel), self.lang, text) + window)
        out.work.append((ref, str(WorkReason.REMINDER_DUE), WorkReason.REMINDER_DUE.priority, self.as_of_iso))

    def _text(self, ref, n, due, amount, arrears, currency) -> str:
        from plans.summary.servicing_words import reminder_text

        return reminder_text(
            self.t, self.f, self.creditor, self.mask(ref), n, date.fromordinal(due), amount, arrears, currency
        )


def new_result() -> ChunkResult:
    return ChunkResult([], [], [], [], [], {}, {})


# -- reading a chunk from the store ------------------------------------------------------------


def assess_chunk(tx, assessor: Assessor, lo: int, hi: int) -> ChunkResult:
    """Every agreement with ``lo <= id < hi``, read through the backend transaction ``tx``."""
    out = new_result()
    ords = assessor.ords
    day = ords.__getitem__
    as_of_iso = assessor.as_of_iso
    pays = {aid: (d, a) for aid, d, a in tx.payment_columns(lo, hi, as_of_iso)}
    ends: dict[int, list] = {}
    for aid, to_status, effective_on, record_id in tx.endings_between(lo, hi):
        if effective_on <= as_of_iso and to_status in _ENDING:
            ends.setdefault(aid, []).append((day(effective_on), _ENDING[to_status], record_id))
    recorded: dict[int, set[tuple[str, str]]] = {}
    for aid, effective_on, to_status in tx.recorded_between(lo, hi):
        recorded.setdefault(aid, set()).add((effective_on, to_status))
    loads = json.loads
    for aid, ref, phone, currency, start, numbers, dues_text, amounts_text, region in tx.servicing_rows(lo, hi):
        dues = list(map(day, loads(dues_text)))
        cum = list(accumulate(loads(amounts_text)))
        p = pays.get(aid)
        if p is None:
            pay_days: list[int] = []
            pay_amounts: list[int] = []
        else:
            days = list(map(day, p[0].split(",")))
            amounts = list(map(int, p[1].split(",")))
            if days != sorted(days):  # group_concat keeps the index's order; should it not, sort here
                pairs = sorted(zip(days, amounts))
                days, amounts = [x for x, _ in pairs], [x for _, x in pairs]
            pay_days, pay_amounts = days, amounts
        e = ends.get(aid)
        downs = 1 if numbers.startswith("[0,") or numbers == "[0]" else 0  # obligation 0 is the down payment
        assessor.assess(
            aid,
            ref,
            phone,
            currency,
            day(start),
            downs,
            dues,
            cum,
            pay_days,
            pay_amounts,
            sorted(e) if e else [],
            out,
            recorded,
            region,
        )
    return out


_worker_state: dict[str, Any] = {}


def _worker_init(
    path: str | os.PathLike, servicing: Servicing, as_of: date, lang: str, creditor: str, gate=None
) -> None:
    import gc

    from plans.store import open_store

    gc.disable()  # a worker makes millions of short-lived tuples and no cycles, and then ends

    _worker_state["store"] = open_store(path, existing=True)
    _worker_state["assessor"] = Assessor(servicing, as_of, lang, creditor, gate)


def _worker_chunk(bounds: tuple[int, int]) -> ChunkResult:
    store = _worker_state["store"]
    with store.backend.read() as tx:
        return assess_chunk(tx, _worker_state["assessor"], *bounds).encode()


def _chunks(lo: int, hi: int) -> list[tuple[int, int]]:
    return [(a, min(a + CHUNK, hi + 1)) for a in range(lo, hi + 1, CHUNK)] if hi else []


def _results(store, opts: MonitorOptions, creditor: str, gate=None) -> Iterator[ChunkResult]:
    """Chunk results in id order: in worker processes when there are several chunks and cores."""
    sv = opts.policy.servicing
    with store.backend.read() as tx:
        lo, hi = tx.agreement_id_range()
    chunks = _chunks(lo, hi)
    workers = min(opts.workers or os.cpu_count() or 1, len(chunks))
    if workers <= 1 or getattr(store.backend, "name", "") != "sqlite":
        assessor = Assessor(sv, opts.as_of, opts.lang, creditor, gate)
        for bounds in chunks:
            with store.backend.read() as tx:
                yield assess_chunk(tx, assessor, *bounds).encode()
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, _worker_init, (store.path, sv, opts.as_of, opts.lang, creditor, gate)) as pool:
        yield from pool.imap(_worker_chunk, chunks)


def _backfill(store, policy: Policy, as_of: date) -> list[dict]:
    """Schedules of agreements made before schedules were saved; those that cannot be computed are
    returned as ``{"agreement_id", "account_ref", "reason"}`` (and left out of this run)."""
    from calc.errors import InstallmentError

    from .agreements import agreement_schedule

    problems = []
    with store.backend.read() as tx:
        legacy = tx.unscheduled_agreements()
    for row in legacy:
        try:
            agreement_schedule(store, store.agreement(row["id"]), policy)
        except InstallmentError as exc:
            problems.append({"agreement_id": row["id"], "account_ref": row["account_ref"], "reason": exc.message})
    return problems


def run_monitor(opts: MonitorOptions) -> tuple[dict, list[Path]]:
    """Run the monitor (see the module docstring); returns ``(summary, files written)``."""
    from plans.store import open_store
    from plans.summary import Creditor

    began = time.perf_counter()
    policy = opts.policy
    out = OutputSet(opts.outdir)
    store = open_store(opts.db, actor=opts.actor, role="system")
    try:
        unserviceable = _backfill(store, policy, opts.as_of)
        creditor = Creditor.from_policy(policy).name
        total = new_result()
        texts = []
        from plans.conduct.outgoing import ReminderGate
        from plans.conduct.work import complaint_work

        gate = ReminderGate(
            policy,
            opts.as_of,
            store.flagged_accounts(),  # the flags and the day's SMS, read once
            store.sms_other_than_reminders(opts.as_of),
        )
        total.work += complaint_work(store.complaints(policy.conduct), opts.as_of)  # overdue complaints first
        for part in _results(store, opts, creditor, gate):
            total.agreements += part.agreements
            texts.append(part.agreements_csv)
            total.work += part.work
            total.reminders += part.reminders
            total.transitions += part.transitions
            total.breaches += part.breaches
            for k, v in part.counts.items():
                total.counts[k] = total.counts.get(k, 0) + v
            for cur, figures in part.totals.items():
                mine = total.totals.setdefault(cur, dict.fromkeys(figures, 0))
                for k, v in figures.items():
                    mine[k] += v
        recorded = store.record_transitions(total.transitions, opts.as_of, policy.version)
        breaches = store.record_breaches(
            [
                (aid, date.fromisoformat(on), old, breach_reason(policy.servicing, date.fromisoformat(on)))
                for aid, on, old in total.breaches
            ]
        )
        summary = _summary(opts, total, recorded, breaches, unserviceable, time.perf_counter() - began)
        _write(out, texts, total, summary)
        files = out.commit()
    except BaseException:
        out.abort()
        raise
    finally:
        store.close()
    return summary, files


def _summary(
    opts: MonitorOptions, total: ChunkResult, recorded: int, breaches: int, unserviceable: list, wall: float
) -> dict:
    from calc.money import amount_formatter

    return {
        "schema": SUMMARY_SCHEMA,
        "as_of": opts.as_of.isoformat(),
        "policy_version": opts.policy.version,
        "agreements": sum(total.agreements),
        "by_status": {str(s): total.counts.get(s, 0) for s in Status},
        "totals": {
            cur: {k: amount_formatter(cur)(v) for k, v in figures.items()}
            for cur, figures in sorted(total.totals.items())
        },
        "work_queue": len(total.work),
        "reminders": len(total.reminders),
        "reminders_withheld": total.counts.get("reminders_withheld", 0),
        "recorded_now": {"transitions": recorded, "breaches": breaches},
        "unserviceable": unserviceable,
        "wall_seconds": round(wall, 3),
    }


def _write(out: OutputSet, agreements: list[str], total: ChunkResult, summary: dict) -> None:
    def write(name: str, columns: tuple, parts: list[str]) -> None:
        with open(out.temp(name), "w", encoding="utf-8", newline="") as fh:
            fh.write(csv_line(columns))
            fh.writelines(parts)

    write("agreements.csv", AGREEMENT_COLUMNS, agreements)
    write(
        "work_queue.csv",
        WORK_COLUMNS,
        [csv_text(sorted(total.work, key=lambda r: (r[2], r[3], r[0], r[1])), WORK_INTS)],
    )
    write("reminders.csv", REMINDER_COLUMNS, [csv_text(sorted(total.reminders, key=lambda r: (r[1], r[0])), ())])
    out.write_text("summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")


__all__ = [
    "AGREEMENT_COLUMNS",
    "Assessor",
    "MonitorOptions",
    "REMINDER_COLUMNS",
    "WORK_COLUMNS",
    "assess_chunk",
    "run_monitor",
]
