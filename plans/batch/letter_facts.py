"""What an offer letter states about each offer, read from the engine's columns.

The batch does not build ``plans.offers.Offer`` values for letters (that costs
milliseconds an account): :func:`letter_offers` takes the figures straight from the
offer table (``plans.offers.engine.Table``: months, down payment, totals, due dates,
verdict, authority) and the amounts of the installments from the schedule itself
(``calc.schedule.amount_runs`` with the offer's terms: runs of equal amounts,
without splitting level plans).  Offers beyond the run's authority (escalations, listed
in offers.csv with ``--include-escalations``) are never put in a letter.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from calc.schedule import amount_runs, level_runs

from plans.offers import KINDS

NO_VERDICT = 3


class OfferFacts(NamedTuple):
    n: int  # 1-based, best first (the ranking of plans.offers)
    kind: str
    settle: bool
    months: int
    down: int
    runs: tuple  # ((amount, count), ...) in due order, from the schedule
    first_due: int  # ordinal
    last_due: int
    waived: int
    fees: int
    total: int
    verdict: int  # 0 affordable, 1 tight, 2 unaffordable, 3 none (no profile)


class FactsReader:
    """Letter facts of a table's offers, with what depends only on the policy and the date built once."""

    def __init__(self, grid) -> None:
        self.grid = grid
        self._terms = lru_cache(maxsize=4096)(self._make_terms)
        #: The runs of a plan on this grid, with or without a tier (None: its fee is not flat), the
        #: grid's rule worked out once (calc.schedule.level_runs: the same runs as amount_runs).
        self._level = level_runs(grid.terms(1))

    def _make_terms(self, months: int, tiers: tuple):
        return self.grid.terms(months, tiers)

    def read(self, t, n_accounts: int) -> list[list[OfferFacts]]:
        """Per account (index into the chunk's accounts), its offers within the authority, best first."""
        out: list[list[OfferFacts]] = [[] for _ in range(n_accounts)]
        if not len(t):
            return out
        cols = (
            t.acc.tolist(),
            t.kind.tolist(),
            t.settle.tolist(),  # (bools)
            t.months.tolist(),
            t.down.tolist(),
            t.financed.tolist(),
            t.tier_count.tolist(),
            t.tier_amount.tolist(),
            t.first.tolist(),
            t.first_due.tolist(),
            t.last_due.tolist(),
            t.waived.sum(axis=0).tolist(),
            t.total_fees.tolist(),
            t.total.tolist(),
            t.verdict.tolist(),
            t.blocked.tolist(),
        )
        level = self._level
        kinds = KINDS
        new = tuple.__new__  # OfferFacts(...) without the named tuple's Python __new__: the same tuple
        for (
            a,
            kind,
            settle,
            months,
            down,
            financed,
            tier_n,
            tier_amount,
            first,
            first_due,
            last_due,
            waived,
            fees,
            total,
            verdict,
            blocked,
        ) in zip(*cols):
            if blocked:
                continue
            if settle:
                runs: tuple = ((first, 1),)
            elif level is not None and (got := level(financed, months, (tier_n, tier_amount) if tier_n else None)):
                runs = got
            else:
                runs = amount_runs(financed, months, self._terms(months, ((tier_n, tier_amount),) if tier_n else ()))
            mine = out[a]
            mine.append(
                new(
                    OfferFacts,
                    (
                        len(mine) + 1,
                        kinds[kind],
                        settle,
                        months,
                        down,
                        runs,
                        first_due,
                        last_due,
                        waived,
                        fees,
                        total,
                        verdict,
                    ),
                )
            )
        return out


__all__ = ["FactsReader", "NO_VERDICT", "OfferFacts"]
