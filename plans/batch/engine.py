"""The offers of a chunk of accounts as output rows: plans.offers' engine, run on the whole chunk.

``Engine.run(accounts)`` computes the offers of every account of the chunk at once
with ``plans.offers.engine.offer_table`` (the engine ``generate_offers`` runs for
one case) and returns, per account in order, its plan balance (its debt less the
policy's standard waivers; ``summary.json`` adds these up), its number of offers,
and the encoded offer rows (OFFER_COLUMNS, amounts as ``calc.money.format_amount``,
as in ``installment quote``); with ``--schedules`` every installment of every offer
(``calc.schedule.build_plan``), with ``--letters`` or ``--sms`` what the letters say of each offer
(:mod:`.letter_facts`, read from the same table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from calc.money import amount_formatter
from plans.offers import KINDS
from plans.offers.accounts import Accounts
from plans.offers.engine import Table, offer_table
from plans.offers.kinds import base_of
from plans.offers.model import materialize
from plans.offers.rate import text4
from plans.offers.rules import Facts, violations
from plans.offers.setting import policy_grid, rules_of, settlement_grid
from plans.vocabulary import Verdict

from .letter_facts import FactsReader
from .outputs import OFFER_COLUMNS, SCHEDULE_COLUMNS, encode_rows

VERDICT_WORDS = (Verdict.AFFORDABLE, Verdict.TIGHT, Verdict.UNAFFORDABLE, "")


def violation_text(v) -> str:
    """A violation in one line: rule code, value and limit ("max_months 60 (limit 48)")."""
    return f"{v.rule} {v.value} (limit {v.limit})".replace("\r", " ").replace("\n", " ").replace(";", ",")


@dataclass(frozen=True)
class Outcome:
    balances: list  # per account: plan balance (0 when it has no offer)
    counts: list  # per account: offers
    offers: object  # encoded offer rows
    schedule_counts: list
    schedules: object
    letters: list  # per account: its offers' letter facts (with --letters or --sms), else empty
    empty: list  # indices of accounts without offers


class Engine:
    def __init__(
        self,
        policy,
        authority: str,
        start: date,
        include_escalations: bool = False,
        fmt: str = "csv",
        schedules: bool = False,
        letters: bool = False,
    ) -> None:
        self.policy, self.authority, self.start = policy, authority, start
        self.rules = rules_of(policy, authority)
        self.include_escalations = include_escalations
        self.fmt, self.schedules, self.letters = fmt, schedules, letters
        self.grid, self.sgrid = policy_grid(policy, start), settlement_grid(policy, start)
        self.fmt_amount = amount_formatter(policy.currency)
        self.facts = FactsReader(self.grid)

    def run(self, acc: Accounts) -> Outcome:
        t = offer_table(self.rules, acc, self.include_escalations)
        counts = np.bincount(t.acc, minlength=acc.n) if len(t) else np.zeros(acc.n, dtype=np.int64)
        balances = np.where(counts > 0, base_of(self.rules, acc).balance, 0)
        violation_texts = self._violations(t, acc)
        # (not needed for CSV offers without schedules)
        refs = [acc.ref[a] for a in t.acc.tolist()] if self.fmt != "csv" or self.schedules else []
        payload: object
        if self.fmt == "csv":
            from .text import offer_csv

            payload = offer_csv(
                t, acc.ref, violation_texts, self.policy.currency, [a.name for a in self.policy.authorities]
            )
        else:
            payload = encode_rows(self.fmt, OFFER_COLUMNS, self.rows(t, refs, violation_texts))
        sched_counts, sched = [0] * acc.n, None
        if self.schedules:
            rows = []
            for j, offer in enumerate(self._offers(t, acc)):
                got = schedule_rows(refs[j], offer, self.fmt_amount)
                sched_counts[int(t.acc[j])] += len(got)
                rows.extend(got)
            sched = encode_rows(self.fmt, SCHEDULE_COLUMNS, rows)
        letters = self.facts.read(t, acc.n) if self.letters else []
        return Outcome(
            [int(x) for x in balances.tolist()],
            counts.tolist(),
            payload,
            sched_counts,
            sched,
            letters,
            np.nonzero(counts == 0)[0].tolist(),
        )

    def _violations(self, t: Table, acc: Accounts) -> list[str]:
        """The violations column: empty, or each broken rule of an escalation."""
        out = [""] * len(t)
        rules = self.rules
        for j in np.nonzero(t.blocked)[0].tolist():
            a = int(t.acc[j])
            discount = int(t.discount[j]) if t.settle[j] else None
            first_due = date.fromordinal(int(t.first_due[j]))
            facts = Facts(
                acc.currency,
                acc.start,
                int(t.months[j]),
                int(t.smallest[j]),
                int(t.down[j]),
                int(t.least_down[j]),
                first_due,
                discount,
                int(t.balance[j]) + (discount or 0),
                tuple(int(x) for x in t.waived[:, j]),
                tuple(int(x) for x in acc.buckets[:, a]),
            )
            out[j] = "; ".join(violation_text(v) for v in violations(rules, t.checks, j, facts))
        return out

    def _offers(self, t: Table, acc: Accounts) -> list:
        cases: dict = {}
        out = []
        for j, a in enumerate(t.acc.tolist()):
            if a not in cases:
                cases[a] = acc.case(a)
            out.append(materialize(t, j, cases[a], self.rules, self.grid, self.sgrid))
        return out

    def rows(self, t: Table, refs: list, violation_texts: list) -> list[tuple]:
        """Offer rows as tuples in OFFER_COLUMNS order (for JSON Lines and Parquet)."""
        fmt = self.fmt_amount
        names = [a.name for a in self.policy.authorities]
        dues = lambda x: date.fromordinal(x).isoformat()
        return [
            (
                ref,
                rank,
                oid,
                KINDS[kind],
                months,
                fmt(down),
                fmt(first),
                fmt(regular),
                fmt(total),
                dues(fd),
                dues(ld),
                text4(apr),
                VERDICT_WORDS[verdict],
                names[need] if need < len(names) else "",
                vio,
            )
            for ref, rank, oid, kind, months, down, first, regular, total, fd, ld, apr, verdict, need, vio in zip(
                refs,
                t.rank.tolist(),
                t.ids,
                t.kind.tolist(),
                t.months.tolist(),
                t.down.tolist(),
                t.first.tolist(),
                t.regular.tolist(),
                t.total.tolist(),
                t.first_due.tolist(),
                t.last_due.tolist(),
                t.apr_nominal.tolist(),
                t.verdict.tolist(),
                t.need.tolist(),
                violation_texts,
            )
        ]


def schedule_rows(ref: str, offer, fmt) -> list[tuple]:
    oid = offer.id
    return [
        (ref, oid, i.n, i.due.isoformat(), fmt(i.amount), fmt(i.principal), fmt(i.fee), fmt(i.balance_after))
        for i in offer.plan.installments
    ]


__all__ = ["Engine", "Outcome", "VERDICT_WORDS", "schedule_rows", "violation_text"]
