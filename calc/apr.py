"""Annualized rate of a plan from the internal rate of return of its cash flows.

The debtor receives the financed amount at the agreement date and pays each
installment on its due date.  Time runs on the monthly grid: installment ``i``
falls ``t1 + (i - 1)`` months after the agreement, where ``t1`` is the months from
the agreement to the first (unadjusted) due date, fractional when not whole.  The
monthly IRR ``r`` solves ``financed = sum(a_i * (1 + r) ** -t_i)``; the nominal
annual rate is ``12 r`` and the effective annual rate ``(1 + r) ** 12 - 1``.

A rate is not money: it is solved in binary floating point and reported as a
Decimal rounded half up to 4 places.  Any rate is found, however high: the
solver brackets the root before narrowing it (a single installment due the
next day with a 5% fee costs 42.4565 a year nominal, 354% a month).  A plan whose installments sum
to exactly the financed amount has APR 0 exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from .terms import Remainder

#: PV(r) and dPV/dr at a monthly rate r.
PvAndSlope = Callable[[float], tuple[float, float]]

ZERO = Decimal("0.0000")
_Q = Decimal("0.0001")


def _solve(pv_and_slope: PvAndSlope, financed: float, guess: float) -> float:
    """The root of PV(r) = financed for r >= 0, for a plan that repays more than it financed.

    PV is decreasing and convex in r, so the root is bracketed first: ``hi``
    doubles from 1 until PV(hi) < financed (a plan repaid within days at a high
    fee can cost several hundred percent a month); then Newton's method,
    safeguarded by bisection, narrows the bracket to the precision of a float.
    """
    lo, hi = 0.0, 1.0
    while pv_and_slope(hi)[0] > financed:
        lo, hi = hi, hi * 2.0
        if hi > 1e12:  # beyond any plan of at most 60 months and 5% a month; never reached
            return hi
    r = min(max(guess, lo), hi)
    tol = 1e-12 * financed
    for _ in range(200):
        pv, slope = pv_and_slope(r)
        f = pv - financed
        if abs(f) < tol:
            return r
        if f > 0:
            lo = r
        else:
            hi = r
        step = r - f / slope if slope else (lo + hi) / 2
        r = step if lo < step < hi else (lo + hi) / 2
        if hi - lo <= 1e-15 * hi:
            break
    return r


def _pv_general(amounts: Sequence[int], t1: float) -> PvAndSlope:
    """PV(r) and dPV/dr of paying ``amounts[k]`` at ``t1 + k`` months."""
    rev = list(reversed(amounts))

    def pv_and_slope(r: float) -> tuple[float, float]:
        v = 1.0 / (1.0 + r)
        s = 0.0  # sum a_k v^k  (Horner)
        ds = 0.0  # d/dv of that sum
        for a in rev:
            ds = ds * v + s
            s = s * v + a
        vt = v**t1
        pv = vt * s
        # d pv / d r = d pv / d v * dv/dr, dv/dr = -v^2
        dpv_dv = t1 * v ** (t1 - 1) * s + vt * ds
        return pv, -dpv_dv * v * v

    return pv_and_slope


def monthly_irr(financed: int, amounts: Sequence[int], t1: float) -> float:
    """Monthly IRR of receiving ``financed`` at 0 and paying ``amounts[k]`` at ``t1 + k``."""
    total = sum(amounts)
    if total <= financed or financed <= 0:
        return 0.0
    n = len(amounts)
    guess = 2.0 * (total - financed) / (financed * (n + 1))
    return _solve(_pv_general(amounts, t1), float(financed), guess)


def monthly_irr_uniform(financed: int, n: int, level: int, extra: int, extra_at: str, t1: float) -> float:
    """The same IRR in O(1) per iteration for a level schedule: ``n`` payments of
    ``level`` plus ``extra`` on the first (``extra_at='first'``), on the last
    (``'last'``) or one more unit on each of the first ``extra`` (``'spread'``).

    PV(r) is convex and decreasing, so Newton's tangent never overshoots the root
    from the left; the loop is inlined because a portfolio run solves it per offer.
    """
    total = level * n + extra
    if total <= financed or financed <= 0:
        return 0.0
    big_f = float(financed)
    tol = 1e-9 * big_f
    r = 2.0 * (total - financed) / (financed * (n + 1))
    for _ in range(60):
        v = 1.0 / (1.0 + r)
        one_v = 1.0 - v
        vn1 = v ** (n - 1)
        s = (1.0 - vn1 * v) / one_v  # sum_{k<n} v^k
        ds = (s - n * vn1) / one_v  # its derivative in v
        s, ds = level * s, level * ds
        if extra:
            if extra_at == Remainder.FIRST:
                s += extra
            elif extra_at == Remainder.LAST:
                s += extra * vn1
                if n > 1:
                    ds += extra * (n - 1) * vn1 / v
            else:
                ve1 = v ** (extra - 1)
                es = (1.0 - ve1 * v) / one_v
                s += es
                ds += (es - extra * ve1) / one_v
        vt = v**t1
        f = vt * s - big_f
        slope = -(t1 * vt / v * s + vt * ds) * v * v
        nxt = r - f / slope
        if -tol < f < tol:
            # one last Newton step with what is already computed: the rate's error goes from about
            # tol/slope to its square, which the effective rate ((1 + r) ** 12) of a plan repaid within
            # days would otherwise magnify into its 4th place
            return nxt if nxt > 0.0 else r
        r = nxt if nxt > 0.0 else r / 2.0
    # not converged (a plan repaid within days at a high fee, far from the guess): the general solver
    # brackets any rate
    amounts = [level] * n
    if extra_at == Remainder.FIRST:
        amounts[0] += extra
    elif extra_at == Remainder.LAST:
        amounts[-1] += extra
    else:
        for k in range(extra):
            amounts[k] += 1
    return monthly_irr(financed, amounts, t1)


def _places4(x: float) -> Decimal:
    return Decimal(int(x * 10000.0 + 0.5)).scaleb(-4).quantize(_Q)


def annualize(monthly: float) -> tuple[Decimal, Decimal]:
    """(nominal, effective) annual rates as Decimals with 4 places, rounded half up."""
    if monthly == 0.0:
        return ZERO, ZERO
    return _places4(monthly * 12.0), _places4((1.0 + monthly) ** 12 - 1.0)
