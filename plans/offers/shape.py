"""The installments of many plans at once, in integer arrays (calc.schedule's rules).

A plan on a grid (``plans.offers.setting.Grid``) is its term ``m``, the amount it
finances ``F`` and its step tiers ``(count, amount)``: the tiers are paid first,
then the rest is split over the remaining ``n`` months, ``base = floor(rest / n /
unit) * unit`` with the remainder ``r`` placed as the grid says (first, last or
spread), and each installment carries its fee (flat: ``F * rate``; declining:
the outstanding principal times the rate), rounded half up.

:meth:`Shape.amount_at` gives installment ``i`` of every plan without building
schedules.  Within each tier, and within the level rest (its last installment
aside under ``last``), amounts never rise, so the largest installment of a run of
installments is the first one of some such piece and the smallest the last one:
:meth:`Shape.range_max` and :meth:`Shape.smallest` look only there.  The figures
agree with ``calc.schedule.headline`` and ``build_plan`` exactly
(tests/test_offer_engine.py).
"""

from __future__ import annotations


import numpy as np

from calc.affordability import half_up
from plans.vocabulary import Remainder

from .setting import Grid


class Shape:
    """Plans that share a grid: ``months``, ``financed`` and the tiers' counts and amounts are
    integers or arrays that broadcast together."""

    def __init__(self, grid: Grid, months, financed, tiers=()) -> None:
        self.grid = grid
        self.mode = grid.remainder
        unit = grid.round_to
        self.m = months
        self.F = financed
        self.tiers = tuple(tiers)
        starts, cum, s, paid = [], [], 0, 0
        for count, amount in self.tiers:
            starts.append(s)
            cum.append(paid)
            s = s + count
            paid = paid + count * amount
        self.starts, self.cum, self.L, self.tier_paid = starts, cum, s, paid
        self.n = months - s
        self.rest = financed - paid
        nn = np.maximum(self.n, 1)
        self.base = (self.rest // (nn * unit)) * unit
        self.r = self.rest - self.base * nn
        self.valid = (self.n >= 1) & (self.rest > 0) & (self.base > 0)
        self.fee = grid.fee
        self.declining = grid.declining
        self.flat_fee = half_up(financed, self.fee) if self.fee and not self.declining else 0

    def columns(self) -> "Shape":
        """The same plans with every array as a column (to broadcast against a row of indices)."""
        col = lambda x: x[:, None] if isinstance(x, np.ndarray) else x
        return Shape(self.grid, col(self.m), col(self.F), [(col(c), col(a)) for c, a in self.tiers])

    # -- one installment ---------------------------------------------------------------
    def principal_at(self, i):
        t = i - self.L
        p = self.base
        if self.mode == Remainder.FIRST:
            p = p + self.r * (t == 0)
        elif self.mode == Remainder.LAST:
            p = p + self.r * (i == self.m - 1)
        else:
            p = p + (t < self.r)
        for (count, amount), s in zip(self.tiers, self.starts):
            p = np.where((i >= s) & (i < s + count), amount, p)
        return p

    def paid_before(self, i):
        """Principal paid by the installments before installment ``i``."""
        t = i - self.L
        if self.mode == Remainder.FIRST:
            extra = self.r * (t >= 1)
        elif self.mode == Remainder.LAST:
            extra = self.r * (i >= self.m)
        else:
            extra = np.minimum(np.maximum(t, 0), self.r)
        paid = self.tier_paid + self.base * t + extra
        for (count, amount), s, cum in zip(self.tiers, self.starts, self.cum):
            paid = np.where((i >= s) & (i < s + count), cum + (i - s) * amount, paid)
        return paid

    def fee_at(self, i):
        if not self.fee:
            return 0
        if self.declining:
            return half_up(self.F - self.paid_before(i), self.fee)
        return self.flat_fee

    def amount_at(self, i):
        return self.principal_at(i) + self.fee_at(i)

    # -- runs of installments -----------------------------------------------------------
    def _at(self, indices: list):
        """(the indices stacked, the amounts there): one evaluation for several indices of every plan."""
        shape = np.broadcast(self.m, self.F).shape
        idx = np.empty((len(indices), *shape), dtype=np.int64)
        for k, i in enumerate(indices):
            idx[k] = i
        return idx, self.amount_at(idx)

    def _piece_starts(self) -> list:
        out = [0, *self.starts[1:], self.L]
        if self.mode == Remainder.LAST:
            out.append(self.m - 1)
        return out

    def _piece_ends(self) -> list:
        out = [s + count - 1 for (count, _), s in zip(self.tiers, self.starts)] + [self.m - 1]
        if self.mode == Remainder.LAST:
            out.append(np.maximum(self.m - 2, self.L))
        return out

    def range_max(self, lo, hi):
        """The largest installment among installments ``lo`` to ``hi - 1`` (-1 where there are none)."""
        return self.range_maxes([(lo, hi)])[0]

    def range_maxes(self, ranges: list) -> list:
        """:meth:`range_max` of several ``(lo, hi)`` ranges, in one evaluation."""
        starts = self._piece_starts()
        idx, amounts = self._at([np.maximum(c, lo) for lo, _ in ranges for c in starts])
        k = len(starts)
        return [
            np.where(idx[j * k : (j + 1) * k] < hi, amounts[j * k : (j + 1) * k], -1).max(axis=0)
            for j, (_, hi) in enumerate(ranges)
        ]

    def smallest(self):
        return self._at([np.minimum(np.maximum(c, 0), self.m - 1) for c in self._piece_ends()])[1].min(axis=0)

    def total_fees(self, top: int):
        """The fees of every installment (``top``: the longest term among the plans)."""
        if not self.fee:
            return self.F * 0
        if not self.declining:
            return self.flat_fee * self.m
        c = self.columns()
        i = np.arange(top)[None, :]
        return (c.fee_at(i) * (i < c.m)).sum(axis=1)

    def amounts(self, top: int) -> np.ndarray:
        """Every installment, a row per plan (zeros past each plan's term)."""
        c = self.columns()
        i = np.arange(top)[None, :]
        return c.amount_at(i) * (i < c.m)

    def headline(self, top: int) -> "Figures":
        m = self.m
        starts, ends = self._piece_starts(), self._piece_ends()
        k = len(starts)
        # one evaluation: first, last, the one before the last, the pieces' starts (the largest), their ends
        idx, at = self._at(
            [0, m - 1, np.maximum(m - 2, 0), *starts, *(np.minimum(np.maximum(c, 0), m - 1) for c in ends)]
        )
        first, last, before_last = at[0], at[1], at[2]
        regular = np.where((self.n > 1) & (self.mode == Remainder.LAST), before_last, last)
        largest = np.where(idx[3 : 3 + k] < m, at[3 : 3 + k], -1).max(axis=0)
        return Figures(first, regular, last, largest, at[3 + k :].min(axis=0), self.total_fees(top))


class Figures:
    """Headline installment figures of a set of plans (arrays)."""

    __slots__ = ("first", "regular", "last", "largest", "smallest", "total_fees")

    def __init__(self, first, regular, last, largest, smallest, total_fees) -> None:
        self.first, self.regular, self.last = first, regular, last
        self.largest, self.smallest, self.total_fees = largest, smallest, total_fees


__all__ = ["Figures", "Shape"]
