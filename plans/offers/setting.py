"""What the offers of one run share: the policy's rules for an authority, and the term grid.

Everything here depends only on the policy, the authority and the terms' dates and
settings, never on an account, so it is computed once and cached: a portfolio of a
million accounts and one case on a call use the same :class:`Rules` and :class:`Grid`.

* :class:`Rules`: the policy's limits as integers and exact integer ratios (term
  limits, minimum installment and down payment, standard waivers, each authority's
  longest term, settlement discount and waiver limits, the affordability ratios and
  the regions' living floors).
* :class:`Grid`: the due date of every installment a plan under some terms can have
  (business days applied), the months from the agreement to the first one (for the
  APR), and the split and fee settings; :meth:`Grid.terms` makes the
  ``calc.terms.Terms`` of a plan on the grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache

import numpy as np

from calc.affordability import ratio
from calc.dates import Calendar, due_dates, first_installment_date, months_between
from calc.debt import BUCKETS
from calc.terms import FeeBasis, Remainder, Terms

from ..policy import AUTHORITIES, Policy, authority_rank


def _waiver_ratios(limits) -> tuple:
    """Per bucket (BUCKETS order): the fraction as an integer ratio, or None for no waiver."""
    table = dict(limits)
    return tuple(ratio(table[b]) if table.get(b) else None for b in BUCKETS)


@dataclass(frozen=True, eq=False)
class Rules:
    """A policy's limits for offers made at one authority (build with :func:`rules_of`)."""

    policy: Policy
    authority: str
    own: int  # rank of the requested authority
    #: Each authority's longest term, settlement discount ratio and waiver ratios (index = rank).
    auth_max: tuple[int, ...]
    auth_discount: tuple[tuple[int, int], ...]
    auth_waivers: tuple[tuple, ...]
    std_waivers: tuple  # per bucket: ratio or None
    min_down_amount: int
    min_down_ratio: tuple[int, int] | None
    contingency: tuple[int, int]
    tight: tuple[int, int]
    max_dti: tuple[int, int]
    region_names: tuple[str, ...]
    reserve: np.ndarray  # per region (index), the living floor per person
    default_region: int
    #: The largest numerator or denominator of any ratio (bounds the products the engine forms).
    biggest_ratio: int

    @property
    def n_auth(self) -> int:
        return len(self.auth_max)

    @property
    def own_max(self) -> int:
        return self.auth_max[self.own]

    @cached_property
    def region_table(self) -> dict:
        """Region name -> index into the region tables."""
        return {n: i for i, n in enumerate(self.region_names)}

    @property
    def waiver_limits(self) -> tuple[np.ndarray, np.ndarray]:
        """(numerators, denominators) of every authority's waiver limits, shaped (authorities, buckets, 1)."""
        return self._limits[0]

    @property
    def discount_limits(self) -> tuple[np.ndarray, np.ndarray]:
        """(numerators, denominators) of every authority's settlement discount, shaped (authorities, 1)."""
        return self._limits[1]

    @cached_property
    def _limits(self):
        w = [[r or (0, 1) for r in a] for a in self.auth_waivers]
        num = np.array([[x[0] for x in a] for a in w], dtype=np.int64)[:, :, None]
        den = np.array([[x[1] for x in a] for a in w], dtype=np.int64)[:, :, None]
        dnum = np.array([d[0] for d in self.auth_discount], dtype=np.int64)[:, None]
        dden = np.array([d[1] for d in self.auth_discount], dtype=np.int64)[:, None]
        return (num, den), (dnum, dden)

    def least_for_months(self, months: np.ndarray) -> np.ndarray:
        """The first authority whose longest term covers ``months`` (n_auth: none)."""
        return np.searchsorted(np.asarray(self.auth_max), months, side="left")


@lru_cache(maxsize=64)
def rules_of(policy: Policy, authority: str) -> Rules:
    own = authority_rank(authority)
    p = policy
    ratios = [ratio(p.contingency_share), ratio(p.tight_share), ratio(p.max_dti)]
    ratios += [ratio(a.settlement_discount) for a in p.authorities]
    ratios += [r for a in p.authorities for r in _waiver_ratios(a.waivers) if r]
    ratios += [r for r in _waiver_ratios(p.standard_waivers) if r]
    if p.min_down_fraction is not None:
        ratios.append(ratio(p.min_down_fraction))
    if p.fee_rate:
        ratios.append(ratio(p.fee_rate))
    names = tuple(r.name for r in p.regions)
    return Rules(
        policy=p,
        authority=authority,
        own=own,
        auth_max=tuple(a.max_months for a in p.authorities),
        auth_discount=tuple(ratio(a.settlement_discount) for a in p.authorities),
        auth_waivers=tuple(_waiver_ratios(a.waivers) for a in p.authorities),
        std_waivers=_waiver_ratios(p.standard_waivers),
        min_down_amount=p.min_down_amount or 0,
        min_down_ratio=None if p.min_down_fraction is None else ratio(p.min_down_fraction),
        contingency=ratios[0],
        tight=ratios[1],
        max_dti=ratios[2],
        region_names=names,
        reserve=np.array([r.reserve_per_person for r in p.regions], dtype=np.int64),
        default_region=names.index(p.region(None).name),
        biggest_ratio=max(max(n, d) for n, d in ratios),
    )


@dataclass(frozen=True, eq=False)
class Grid:
    """Dates and split settings shared by plans under the same terms (all but term, tiers, down
    payment and waivers).  Build with :func:`grid_of` or :func:`policy_grid`."""

    start: date
    first_due: date | None
    due_day: int | None
    fee_rate: Decimal
    fee_basis: FeeBasis
    remainder: Remainder
    round_to: int
    business_days: str
    calendar: Calendar
    max_months: int
    #: Due date of installment i (0-based) of any plan on the grid, and the same as ordinals (as many as
    #: the longest plan on the grid can have).
    dues: tuple[date, ...]
    due_ord: np.ndarray
    #: Months from the agreement date to the first (unadjusted) due date, for the APR.
    t1: float

    @property
    def fee(self) -> tuple[int, int] | None:
        return ratio(self.fee_rate) if self.fee_rate else None

    @property
    def declining(self) -> bool:
        return self.fee_basis == FeeBasis.DECLINING and bool(self.fee_rate)

    def terms(
        self, months: int, tiers: tuple = (), down_amount: int | None = None, down_fraction: Decimal | None = None
    ) -> Terms:
        """The terms of a plan of ``months`` on this grid."""
        return Terms(
            start=self.start,
            months=months,
            max_months=self.max_months,
            down_amount=down_amount,
            down_fraction=down_fraction,
            first_due=self.first_due,
            due_day=self.due_day,
            fee_rate=self.fee_rate,
            fee_basis=self.fee_basis,
            remainder=self.remainder,
            round_to=self.round_to,
            tiers=tuple(tiers),
            business_days=self.business_days,
            calendar=self.calendar,
        )


@lru_cache(maxsize=512)
def _grid(
    start: date,
    first_due: date | None,
    due_day: int | None,
    fee_rate: Decimal,
    fee_basis: FeeBasis,
    remainder: Remainder,
    round_to: int,
    business_days: str,
    calendar: Calendar,
    max_months: int,
    horizon: int,
) -> Grid:
    probe = Terms(
        start=start,
        months=1,
        max_months=max_months,
        first_due=first_due,
        due_day=due_day,
        fee_rate=fee_rate,
        fee_basis=fee_basis,
        remainder=remainder,
        round_to=round_to,
        business_days=business_days,
        calendar=calendar,
    )
    first = probe.first_due_date
    dues = due_dates(start, first, horizon, probe.anchor_day, business_days, calendar)
    t1 = months_between(start, first_installment_date(first, probe.anchor_day))
    return Grid(
        start,
        first_due,
        due_day,
        fee_rate,
        fee_basis,
        remainder,
        round_to,
        business_days,
        calendar,
        max_months,
        dues,
        np.array([d.toordinal() for d in dues], dtype=np.int64),
        t1,
    )


def grid_of(terms: Terms) -> Grid:
    """The grid of ``terms`` (its term, tiers and down payment aside)."""
    return _grid(
        terms.start,
        terms.first_due,
        terms.due_day,
        terms.fee_rate,
        terms.fee_basis,
        terms.remainder,
        terms.round_to,
        terms.business_days,
        terms.calendar,
        terms.max_months,
        terms.max_months,
    )


@lru_cache(maxsize=256)
def policy_grid(policy: Policy, start: date) -> Grid:
    """The grid of every installment offer made under ``policy`` on ``start``."""
    p = policy
    return _grid(
        start,
        p.first_due(start),
        None,
        p.fee_rate,
        p.fee_basis,
        p.remainder,
        p.round_to,
        p.business_days,
        p.calendar,
        p.max_months,
        p.max_months,
    )


@lru_cache(maxsize=256)
def settlement_grid(policy: Policy, start: date) -> Grid:
    """The grid of a settlement: one payment due ``settlement.pay_within_days`` after ``start``, no fee."""
    return _grid(
        start,
        policy.settlement_due(start),
        None,
        Decimal(0),
        FeeBasis.FLAT,
        Remainder.FIRST,
        1,
        policy.business_days,
        policy.calendar,
        policy.max_months,
        1,
    )


def first_due_ok(policy: Policy, grid: Grid) -> bool:
    """Whether the grid's first installment falls within the policy's first-due window."""
    lo, hi = policy.first_due_window(grid.start)
    return lo <= grid.dues[0] <= hi


def settlement_due_ok(policy: Policy, grid: Grid) -> bool:
    return grid.dues[0] <= grid.start + timedelta(days=policy.settlement_pay_within_days)


__all__ = [
    "AUTHORITIES",
    "Grid",
    "Rules",
    "first_due_ok",
    "grid_of",
    "policy_grid",
    "rules_of",
    "settlement_due_ok",
    "settlement_grid",
]
