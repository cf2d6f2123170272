"""The APR of many plans at once: calc.apr's rate, solved for arrays of plans.

The monthly internal rate ``r`` solves ``F = sum(a_i * v ** (t1 + i))`` with
``v = 1 / (1 + r)`` (calc.apr).  Under a flat fee every plan is a few runs of equal
installments (the tiers, the level rest and its remainder installment), so the sum
is a few geometric series; under a declining fee the installments are summed one
by one.  Newton's method, kept inside a bracket, runs on all plans together until
the rate is exact to about 1e-13.

The rate is then rounded half up to 4 places (nominal ``12 r``, effective
``(1 + r) ** 12 - 1``).  calc.apr stops solving a little earlier (within 1e-9 of
the financed amount), so where the exact rate lies within a hair of a rounding
boundary the two could round apart: those few plans (about one in 500) are handed
to calc itself, so every printed APR is calc's.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import numpy as np
from plans.vocabulary import Remainder

from .shape import Shape

#: Rates nearer than this (in units of the 4th place) to a rounding boundary are left to calc.
_BAND = 2e-3


def _segments(s: Shape) -> list[tuple]:
    """(first index, count, amount) runs of equal installments of flat-fee plans."""
    fee = s.flat_fee
    out = [(start, count, amount + fee) for (count, amount), start in zip(s.tiers, s.starts)]
    base = s.base + fee
    if s.mode == Remainder.FIRST:
        out += [(s.L, 1, base + s.r), (s.L + 1, s.n - 1, base)]
    elif s.mode == Remainder.LAST:
        out += [(s.L, s.n - 1, base), (s.m - 1, 1, base + s.r)]
    else:
        out += [(s.L, s.r, base + 1), (s.L + s.r, s.n - s.r, base)]
    return out


def _pv_segments(segments, t1: float, r: np.ndarray):
    """(present value, its derivative in r) of runs of equal payments at months t1 + i."""
    x = np.log1p(r)
    one_v = -np.expm1(-x)  # 1 - v
    v = 1.0 - one_v
    pv = np.zeros_like(r)
    dpv = np.zeros_like(r)
    for start, count, amount in segments:
        count = count.astype(float) if isinstance(count, np.ndarray) else float(count)
        lead = np.exp(-x * (t1 + start))  # v ** (t1 + start)
        vn = np.exp(-x * count)
        g = (1.0 - vn) / one_v  # sum of v ** q, q < count
        h = v * (1.0 - count * vn / v + (count - 1.0) * vn) / (one_v * one_v)  # sum of q v ** q
        pv = pv + amount * lead * g
        dpv = dpv - amount * lead * ((t1 + start) * g + h) * v  # d/dr of v ** t is -t v ** (t + 1)
    return pv, dpv


def _pv_amounts(amounts: np.ndarray, t1: float, r: np.ndarray):
    """The same for installments given one by one (a row per plan)."""
    top = amounts.shape[1]
    t = t1 + np.arange(top, dtype=float)[None, :]
    vt = np.exp(-np.log1p(r)[:, None] * t)
    pv = (amounts * vt).sum(axis=1)
    dpv = -(amounts * t * vt).sum(axis=1) / (1.0 + r)
    return pv, dpv


def monthly_rates(shape: Shape, total, count, top: int) -> np.ndarray:
    """The monthly IRR of every plan (0 where the installments repay no more than is financed;
    -1 where the solver did not settle).  ``total``: the sum of the installments; ``count``: how many."""
    financed = np.asarray(shape.F, dtype=float)
    n = len(financed)
    rate = np.zeros(n)
    todo = np.nonzero(np.asarray(total) > np.asarray(shape.F))[0]
    if not len(todo):
        return rate
    t1 = shape.grid.t1
    if shape.declining:
        amounts = shape.amounts(top)[todo].astype(float)

        def pv(live, r):
            return _pv_amounts(amounts[live], t1, r)
    else:

        def pick(x, rows):
            return np.asarray(x, dtype=float)[rows] if np.ndim(x) else float(x)

        segments = [(pick(s, todo), pick(c, todo), pick(a, todo)) for s, c, a in _segments(shape)]

        def pv(live, r):
            return _pv_segments([(pick(s, live), pick(c, live), pick(a, live)) for s, c, a in segments], t1, r)

    f_all = financed[todo]
    r = 2.0 * (np.asarray(total, dtype=float)[todo] - f_all) / (f_all * (np.asarray(count, dtype=float)[todo] + 1))
    lo, hi = np.zeros_like(r), np.full_like(r, np.inf)
    live = np.arange(len(todo))
    out = np.full(len(todo), -1.0)
    for _ in range(200):
        value, slope = pv(live, r)
        f = value - f_all
        lo = np.where(f > 0, r, lo)
        hi = np.where(f > 0, hi, r)
        done = (np.abs(f) <= 1e-13 * f_all) | (np.isfinite(hi) & (hi - lo <= 1e-15 * hi))
        out[live[done]] = r[done]
        keep = ~done
        if not keep.any():
            break
        step = r - f / np.where(slope < 0, slope, -1.0)
        nxt = np.where((step > lo) & (step < hi), step, np.where(np.isfinite(hi), (lo + hi) / 2, r * 2.0))
        live, r, lo, hi, f_all = live[keep], nxt[keep], lo[keep], hi[keep], f_all[keep]
    rate[todo] = out
    return rate


#: Monthly rates above this (an APR beyond 240%) are left to calc: no plan a policy makes comes near.
_WILD = 0.2


def annual(rate: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(nominal, effective) in units of the 4th decimal place, and where calc must decide: near a
    rounding boundary, unsettled, or wild."""
    with np.errstate(over="ignore", invalid="ignore"):
        nominal = rate * 12.0 * 10000.0
        effective = ((1.0 + rate) ** 12 - 1.0) * 10000.0
        near = lambda x: np.abs(x - np.floor(x) - 0.5) < _BAND
        doubt = (rate < 0) | (rate > _WILD) | ((rate > 0) & (near(nominal) | near(effective)))
        ok = (rate > 0) & ~doubt
        return (
            np.where(ok, np.floor(nominal + 0.5), 0).astype(np.int64),
            np.where(ok, np.floor(effective + 0.5), 0).astype(np.int64),
            doubt,
        )


@lru_cache(maxsize=4096)
def places4(units: int) -> Decimal:
    """Units of the 4th place as calc.apr's Decimal ("0.0123")."""
    return Decimal(int(units)).scaleb(-4).quantize(Decimal("0.0001"))


def text4(units: int) -> str:
    return f"{units // 10000}.{units % 10000:04d}"


__all__ = ["annual", "monthly_rates", "places4", "text4"]
