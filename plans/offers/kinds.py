"""Which offers to make for each account, and on which terms: one rule per kind, for arrays of accounts.

Every installment offer applies the policy's standard waivers and asks for its
minimum down payment; its term is chosen so:

``standard``
    the policy's standard term;
``lowest_payment``
    the longest term of the authority whose installments all meet the policy's
    minimum installment (with escalations, also each higher authority's);
``shortest_affordable``
    the shortest term (from the policy's minimum) whose whole plan is judged
    affordable (plans.offers.judge): every installment within the budget in force
    on its due date and the down payment within the savings;
``step``
    when the profile expects a recovery: the installments due before the recovery
    date are what today's budget affords (at least the minimum installment), and
    the term is the shortest (from ``step.min_months_after`` level installments on)
    whose later installments fit the budget after recovery, within the authority's
    longest term; when none does, that longest term (the offer then says it relies
    on income recovering) and, with escalations, also the shortest longer term that
    fits (needing a higher authority).  Left out when the recovery date is not after the first
    due date, or when the step would not be lower than the level installments;
``settlement``
    one lump sum at the authority's settlement discount (with escalations, up to the
    highest authority's) when the savings cover it; the discount is taken from the
    buckets in :data:`DISCOUNT_ORDER` on top of the standard waivers.

:func:`candidates` returns them as one table of rows (:class:`Candidates`);
``plans.offers.engine`` computes their figures, verdicts and rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calc.affordability import half_up, verdict_code
from calc.debt import BUCKETS

from ..vocabulary import GENERATED_KINDS, OfferKind

from .accounts import Accounts
from .judge import Budgets, plan_verdicts
from .setting import Grid, Rules
from .shape import Shape

#: Offer kinds, in the order that breaks ties in the ranking and wins among identical plans.
KINDS = GENERATED_KINDS
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
#: The order a settlement discount (or a negotiated extra waiver) is taken from the buckets.
DISCOUNT_ORDER = ("penalty_interest", "late_fees", "annual_fees", "other_fees", "interest", "principal")


@dataclass(frozen=True, eq=False)
class Base:
    """What every offer of an account starts from: the standard waivers, the plan balance, the
    minimum down payment and what is left to finance (``ok``: an installment plan is possible)."""

    waived: np.ndarray  # (6, n)
    balance: np.ndarray
    down: np.ndarray
    financed: np.ndarray
    ok: np.ndarray


def base_of(rules: Rules, acc: Accounts) -> Base:
    b = acc.buckets
    waived = np.zeros_like(b)
    for i, r in enumerate(rules.std_waivers):
        if r:
            waived[i] = half_up(b[i], r)
    balance = b.sum(axis=0) - waived.sum(axis=0)
    if rules.min_down_ratio is not None:
        down = half_up(np.maximum(balance, 0), rules.min_down_ratio)
    else:
        down = np.full(acc.n, rules.min_down_amount, dtype=b.dtype)
    ok = (balance > 0) & (down < balance)
    return Base(waived, balance, down, np.where(ok, balance - down, 1), ok)


@dataclass(frozen=True, eq=False)
class Candidates:
    """Offer rows: account index, kind code, term and step tier; a settlement's lump sum (``financed``),
    discount and waivers (installment rows use the standard waivers)."""

    acc: np.ndarray
    kind: np.ndarray
    months: np.ndarray
    tier_count: np.ndarray
    tier_amount: np.ndarray
    settle_acc: np.ndarray
    lump: np.ndarray
    discount: np.ndarray
    settle_waived: np.ndarray  # (6, settlements)


def _search(active: np.ndarray, months: np.ndarray, step: int, limit: np.ndarray, hit) -> np.ndarray:
    """Move ``months`` by ``step`` until ``hit(indices, months)`` or past ``limit``; returns a mask of hits."""
    found = np.zeros(len(months), dtype=bool)
    active = active.copy()
    while active.any():
        idx = np.nonzero(active)[0]
        good = hit(idx, months[idx])
        found[idx[good]] = True
        bad = idx[~good]
        months[bad] += step
        active[idx[good]] = False
        active[bad] = (months[bad] <= limit[bad]) if step > 0 else (months[bad] >= limit[bad])
    return found


def lowest_payment_terms(rules: Rules, grid: Grid, base: Base, longest: int) -> np.ndarray:
    """The longest term up to ``longest`` whose installments all meet the minimum installment."""
    p = rules.policy
    least = p.min_installment
    months = np.full(len(base.financed), longest, dtype=np.int64)
    if least:
        months = np.minimum(months, np.maximum(1, base.financed // least)).astype(np.int64)
    months = np.maximum(months, p.min_months)

    def fits(idx, m):
        s = Shape(grid, m, base.financed[idx])
        return s.valid & (s.smallest() >= least)

    # down to the policy's minimum term, which is kept even when it does not fit (the rules then say why)
    floor = np.full(len(months), p.min_months + 1, dtype=np.int64)
    _search(base.ok & (months > p.min_months), months, -1, floor, fits)
    return months


def shortest_affordable_terms(
    rules: Rules, grid: Grid, acc: Accounts, base: Base, bud: Budgets, low: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(months, found) of the shortest term whose whole plan is affordable."""
    p = rules.policy
    cap_first = np.where(low >= 1, bud.cap, bud.cap_after)
    want = base.ok & acc.profile & (base.down <= acc.savings) & (cap_first >= max(p.min_installment, 1))
    if not want.any():
        return cap_first * 0, want
    unit = grid.round_to
    months = np.minimum(base.financed // np.maximum(cap_first + unit, 1) + 1, p.max_months + 1)
    months = np.maximum(months, max(p.min_months, 1)).astype(np.int64)
    top = np.full(len(months), p.max_months, dtype=np.int64)

    def affordable(idx, m):
        s = Shape(grid, m, base.financed[idx])
        v = plan_verdicts(
            s,
            low[idx],
            bud.available[idx],
            bud.cap[idx],
            bud.available_after[idx],
            bud.cap_after[idx],
            base.down[idx],
            acc.savings[idx],
            True,
        )
        return s.valid & (v == 0)

    found = _search(want & (months <= top), months, 1, top, affordable)
    return months, found


def step_terms(
    rules: Rules, grid: Grid, acc: Accounts, base: Base, bud: Budgets, low: np.ndarray, longest: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(months, low installment amount, wanted, later installments fit) of the step offers with terms
    up to ``longest``."""
    p = rules.policy
    want = base.ok & acc.profile & (acc.recovery > 0) & (low >= 1) & (low + 1 <= p.max_months)
    if not want.any():
        return low * 0, low * 0, want, want
    unit = grid.round_to
    F = base.financed
    fee = half_up(F, grid.fee) if grid.fee else 0
    amount = np.maximum(np.maximum((bud.cap - fee) // unit * unit, p.min_installment), unit)
    start = np.maximum(low + p.step_min_months_after, p.min_months)
    want &= (amount * low < F) & (start <= longest)
    rest = F - amount * low
    months = np.maximum(start, low + np.minimum(rest // np.maximum(bud.cap_after + unit, 1) + 1, longest))
    months = np.where(bud.cap_after >= 1, months, longest).astype(np.int64)
    top = np.full(len(months), longest, dtype=np.int64)

    def later_fit(idx, m):
        s = Shape(grid, m, F[idx], [(low[idx], amount[idx])])
        later = s.range_max(low[idx], m)
        return s.valid & (verdict_code(later, bud.available_after[idx], bud.cap_after[idx]) == 0)

    found = _search(want & (months <= top), months, 1, top, later_fit)
    months = np.where(found, months, longest)  # nothing fits: the longest term, relying on recovery
    want &= amount < F // np.maximum(months, 1)  # else a level plan is already as low as the step
    return months, amount, want, found


def settlement_terms(rules: Rules, acc: Accounts, base: Base, escalations: bool):
    """(wanted, discount, waived) of the settlements: the savings must cover the lump sum."""
    balance, savings = base.balance, acc.savings
    if not (acc.profile & (savings > 0)).any():
        return np.zeros(acc.n, dtype=bool), balance * 0, base.waived
    own = half_up(np.maximum(balance, 0), rules.auth_discount[rules.own])
    fits = balance - own <= savings
    discount = own
    if escalations:
        needed = balance - savings
        top = half_up(np.maximum(balance, 0), rules.auth_discount[-1])
        discount = np.where(fits, own, needed)
        fits = fits | (needed <= top)
    want = acc.profile & (savings > 0) & (balance > 0) & fits & (discount < balance)
    waived = base.waived.copy()
    left = np.where(want, discount, 0)
    for name in DISCOUNT_ORDER:
        b = BUCKETS.index(name)
        take = np.minimum(acc.buckets[b] - waived[b], left)
        waived[b] += take
        left = left - take
    return want, discount, waived


def candidates(
    rules: Rules, grid: Grid, acc: Accounts, base: Base, bud: Budgets, low: np.ndarray, escalations: bool
) -> Candidates:
    p = rules.policy
    n = acc.n
    rows: list[tuple] = []  # (accounts, kind, months, tier count, tier amount)
    every = np.arange(n)
    ok = base.ok
    rows.append((every[ok], OfferKind.STANDARD, np.full(n, p.standard_months)[ok], 0, 0))
    seen = np.zeros((n, p.max_months + 1), dtype=bool)
    for a in range(rules.own, rules.n_auth if escalations else rules.own + 1):
        months = lowest_payment_terms(rules, grid, base, rules.auth_max[a])
        new = ok & ~seen[every, months]
        seen[every, months] = True
        rows.append((every[new], OfferKind.LOWEST_PAYMENT, months[new], 0, 0))
    months, found = shortest_affordable_terms(rules, grid, acc, base, bud, low)
    rows.append((every[found], OfferKind.SHORTEST_AFFORDABLE, months[found], 0, 0))
    months, amount, want, found = step_terms(rules, grid, acc, base, bud, low, rules.own_max)
    rows.append((every[want], OfferKind.STEP, months[want], low[want], amount[want]))
    if escalations and rules.own_max < p.max_months and (want & ~found).any():
        # with escalations, also the step whose later installments fit within a higher authority's term
        months, amount, more, fits = step_terms(rules, grid, acc, base, bud, low, p.max_months)
        more &= fits & want & ~found
        rows.append((every[more], OfferKind.STEP, months[more], low[more], amount[more]))
    settle, discount, waived = settlement_terms(rules, acc, base, escalations)
    cols = [
        np.concatenate([r[j] if np.ndim(r[j]) else np.full(len(r[0]), r[j]) for r in rows]).astype(np.int64)
        for j in (0, 2, 3, 4)
    ]
    kinds = np.concatenate([np.full(len(r[0]), KIND_CODE[r[1]], dtype=np.int64) for r in rows])
    s = every[settle]
    return Candidates(
        cols[0], kinds, cols[1], cols[2], cols[3], s, (base.balance - discount)[s], discount[s], waived[:, s]
    )


__all__ = ["Base", "Candidates", "DISCOUNT_ORDER", "KINDS", "KIND_CODE", "base_of", "candidates"]
