"""The installment schedule: split, fees, dates and totals, exactly.

``build_plan`` makes the whole schedule; ``headline`` gives the figures a batch
export needs (installment amounts, totals, last due date, APR) without building
per-installment lists where it can avoid them.

Rules (docs/design.md section 5):

* plan balance = sum(buckets) - waived; down payment = amount, or fraction of the
  plan balance rounded half up; financed = plan balance - down payment.
* Split: ``base = floor(financed / N / unit) * unit``, ``r = financed - base * N``;
  ``first`` puts r into installment 1, ``last`` into installment N, ``spread``
  adds one minor unit to each of the first r installments.  Step tiers are paid
  first and the rest is split over the remaining months by the same rule.
* Fees: ``flat`` charges ``round_half_up(financed * rate)`` on every installment,
  ``declining`` charges ``round_half_up(outstanding_before * rate)``.
* Identities that hold for every plan, exactly:
  ``sum(buckets) = waived + down + sum(principal parts)`` and
  ``sum(amounts) = sum(principal parts) + sum(fee parts)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import FrozenInstanceError, replace
from datetime import date
from decimal import Decimal
from itertools import accumulate, groupby
from operator import add
from types import MappingProxyType
from typing import NamedTuple, Sequence

from .apr import annualize, monthly_irr, monthly_irr_uniform
from .dates import (
    add_months,
    due_dates,
    first_installment_date,
    last_due_date,
    months_between,
    provisional_after,
)
from .debt import BUCKETS, Debt, Waiver, waived_amounts
from .errors import InvalidInput, NoPlanFits
from .money import format_amount, percent_of, round_half_up_div
from .terms import FeeBasis, Remainder, Terms

#: How far past the maximum term a payment-driven search looks to say how many
#: months a too-small payment would need.
_SEARCH_LIMIT = 1200


class Installment(NamedTuple):
    n: int
    due: date
    amount: int
    principal: int
    fee: int
    balance_after: int


class Split(NamedTuple):
    """What is being split and how: everything but dates."""

    financed: int
    months: int
    principals: tuple[int, ...]
    fees: tuple[int, ...]


def _fee_ratio(rate: Decimal) -> tuple[int, int]:
    num, den = rate.as_integer_ratio()
    return num, den


class _Unsplittable(InvalidInput):
    """An amount too small for its term; :meth:`in_currency` words it for the user."""

    def __init__(self, amount: int, months: int, unit: int, field: str) -> None:
        super().__init__(f"{amount} minor units cannot be split into {months} installments of at least {unit}", field)
        self.amount, self.months, self.unit = amount, months, unit

    def in_currency(self, currency: str) -> InvalidInput:
        return InvalidInput(
            f"{format_amount(self.amount, currency)} cannot be split into {self.months} installments of at "
            f"least {format_amount(self.unit, currency)} (the rounding unit); choose fewer months",
            self.field,
        )


def _level(amount: int, months: int, unit: int, field: str = "months") -> tuple[int, int]:
    """(base, remainder) of splitting ``amount`` over ``months`` in multiples of ``unit``."""
    base = (amount // (months * unit)) * unit
    if base <= 0:
        raise _Unsplittable(amount, months, unit, field)
    return base, amount - base * months


def principal_runs(financed: int, months: int, terms: Terms) -> tuple[tuple[int, int], ...]:
    """The principal part of each installment as runs ``(amount, count)`` in due order: the tiers first,
    then the level split of the rest, with its remainder on the first or the last level installment, or
    one minor unit more on each of the first ones (spread; the rounding unit is then the minor unit, so
    the remainder is fewer than the level months).  A run may have no installments."""
    runs = [(amount, count) for count, amount in terms.tiers]
    tier_months = terms.tier_months
    rest_months = months - tier_months
    rest = financed - sum(amount * count for amount, count in runs)
    if terms.tiers:
        if rest_months < 1:
            raise InvalidInput(f"the tiers take {tier_months} months; the plan needs more months than that", "tier")
        if rest <= 0:
            raise InvalidInput("the tiers add up to the financed amount or more; they must be below it", "tier")
    base, r = _level(rest, rest_months, terms.round_to)
    if not r:
        runs.append((base, rest_months))
    elif terms.remainder == Remainder.FIRST:
        runs += [(base + r, 1), (base, rest_months - 1)]
    elif terms.remainder == Remainder.LAST:
        runs += [(base, rest_months - 1), (base + r, 1)]
    else:
        runs += [(base + 1, r), (base, rest_months - r)]
    return tuple(runs)


def principal_parts(financed: int, months: int, terms: Terms) -> tuple[int, ...]:
    """Principal part of each installment (tiers first, then the level split)."""
    return tuple([amount for amount, count in principal_runs(financed, months, terms) for _ in range(count)])


def fee_parts(financed: int, principals: Sequence[int], terms: Terms) -> tuple[int, ...]:
    if not terms.fee_rate:
        return (0,) * len(principals)
    num, den = _fee_ratio(terms.fee_rate)
    if terms.fee_basis == FeeBasis.FLAT:
        return (round_half_up_div(financed * num, den),) * len(principals)
    fees, outstanding = [], financed
    for p in principals:
        fees.append(round_half_up_div(outstanding * num, den))
        outstanding -= p
    return tuple(fees)


def split(financed: int, months: int, terms: Terms) -> Split:
    principals = principal_parts(financed, months, terms)
    return Split(financed, months, principals, fee_parts(financed, principals, terms))


def amount_runs(financed: int, months: int, terms: Terms) -> tuple[tuple[int, int], ...]:
    """The installment amounts (principal + fee) as runs of equal ones in due order:
    ``((amount, count), ...)``, as ``split`` would give them.  O(1) for a level plan with a
    flat fee or none (the common case: :func:`level_runs`, also with one tier); otherwise the schedule is
    split and grouped."""
    tiers = terms.tiers
    if len(tiers) <= 1:
        level = level_runs(replace(terms, tiers=()) if tiers else terms)
        if level is not None:
            runs = level(financed, months, tiers[0] if tiers else None)
            if runs is not None:
                return runs
    s = split(financed, months, terms)
    return runs_of(map(add, s.principals, s.fees))


def level_runs(terms: Terms) -> Callable[..., tuple[tuple[int, int], ...] | None] | None:
    """For terms without tiers and with a flat fee or none: ``runs(financed, months, tier=None)``, the runs
    of :func:`amount_runs` for a plan of ``months`` under these terms (their own months aside) and, when
    given, one tier ``(count, amount)`` (a step plan), with what depends only on the terms worked out once
    (a batch asks for millions); None for other terms.  ``runs`` gives None where it cannot tell in O(1)
    (``spread`` with a remainder of the level months or more, a tier that leaves nothing to level:
    ``split`` decides, or says why not) and raises as ``split`` does for an amount too small for its term.

    The rule (``principal_parts`` and ``fee_parts`` for these terms): the tier's ``count`` installments of
    ``amount`` first; then, of what is left over the months left, ``base`` and the remainder ``r`` as
    ``_level`` gives them, with ``r`` on the first or the last of them, or one minor unit more on each of
    the first ``r`` (spread); the same flat fee (of the whole financed amount) on every installment."""
    if terms.tiers or (terms.fee_rate and terms.fee_basis != FeeBasis.FLAT):
        return None
    unit, remainder = terms.round_to, terms.remainder
    num, den = _fee_ratio(terms.fee_rate) if terms.fee_rate else (0, 1)

    def runs(financed: int, months: int, tier: tuple[int, int] | None = None) -> tuple[tuple[int, int], ...] | None:
        fee = round_half_up_div(financed * num, den) if num else 0
        if tier is None:
            return _level_runs(financed, months, fee)
        count, amount = tier
        rest, left = financed - count * amount, months - count
        if left < 1 or rest <= 0:
            return None
        level = _level_runs(rest, left, fee)
        if level is None:
            return None
        if level[0][0] == amount + fee:  # the tier's installments are the level ones: one run
            return ((amount + fee, count + level[0][1]), *level[1:])
        return ((amount + fee, count), *level)

    def _level_runs(amount: int, months: int, fee: int) -> tuple[tuple[int, int], ...] | None:
        base, r = _level(amount, months, unit)
        regular = base + fee
        if not r:
            return ((regular, months),)
        if remainder == Remainder.FIRST:
            return ((regular + r, 1), (regular, months - 1)) if months > 1 else ((regular + r, 1),)
        if remainder == Remainder.LAST:
            return ((regular, months - 1), (regular + r, 1)) if months > 1 else ((regular + r, 1),)
        if r < months:  # spread: one minor unit more on each of the first r installments
            return ((regular + 1, r), (regular, months - r))
        return None

    return runs


def runs_of(amounts: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Amounts as runs of equal ones, in order: ``[5, 5, 7]`` -> ``((5, 2), (7, 1))``."""
    return tuple([(a, len(list(group))) for a, group in groupby(amounts)])


def _largest(financed: int, months: int, terms: Terms) -> int:
    """The largest installment amount of a ``months``-month plan, in O(tiers): within a run of equal
    principal parts the fee never grows (flat, or declining with what is outstanding), so the largest
    installment is the first of one of the runs."""
    num, den = _fee_ratio(terms.fee_rate) if terms.fee_rate else (0, 1)
    declining = bool(num) and terms.fee_basis != FeeBasis.FLAT
    fee = round_half_up_div(financed * num, den) if num else 0
    if not terms.tiers and not declining:  # level, one fee throughout: the remainder's installment
        base, r = _level(financed, months, terms.round_to)
        return base + (1 if (r and terms.remainder == Remainder.SPREAD) else r) + fee
    largest, outstanding = 0, financed
    for amount, count in principal_runs(financed, months, terms):
        if count:
            if declining:
                fee = round_half_up_div(outstanding * num, den)
            largest = max(largest, amount + fee)
            outstanding -= amount * count
    return largest


def _fits(financed: int, months: int, terms: Terms) -> int | None:
    try:
        return _largest(financed, months, terms)
    except InvalidInput:
        return None


def choose_months(financed: int, terms: Terms, currency: str = "CNY") -> int:
    """The term: ``terms.months``, or the smallest term whose largest installment
    does not exceed ``terms.payment`` (raises NoPlanFits when none within the maximum)."""
    if terms.months is not None:
        return terms.months
    payment = terms.payment
    assert payment is not None  # Terms holds exactly one of months and payment
    lowest = max(1, terms.tier_months + 1, -(-financed // payment))
    for months in range(lowest, terms.max_months + 1):
        largest = _fits(financed, months, terms)
        if largest is not None and largest <= payment:
            return months
    fitting = [x for x in (_fits(financed, m, terms) for m in range(1, terms.max_months + 1)) if x is not None]
    if not fitting:
        raise InvalidInput(f"{format_amount(financed, currency)} cannot be split at all under these terms", "payment")
    min_payment = min(fitting)
    needed = None
    for months in range(max(lowest, terms.max_months + 1), _SEARCH_LIMIT + 1):
        largest = _fits(financed, months, terms)
        if largest is not None and largest <= payment:
            needed = months
            break
    pay, least = format_amount(payment, currency), format_amount(min_payment, currency)
    if needed:
        message = (
            f"a payment of {pay} would need {needed} months, more than the maximum of "
            f"{terms.max_months}; the smallest payment that fits {terms.max_months} months is {least}"
        )
    else:
        message = (
            f"a payment of {pay} never repays this balance; the smallest payment that fits "
            f"{terms.max_months} months is {least}"
        )
    raise NoPlanFits(
        message,
        months_needed=needed,
        min_payment=min_payment,
        max_months=terms.max_months,
        field="payment",
    )


class Balance(NamedTuple):
    """Where the plan's money comes from: buckets, waivers, down payment, financed."""

    debt: Debt
    #: Waived minor units per bucket (read-only).
    waived: Mapping[str, int]
    plan_balance: int
    down_payment: int
    financed: int

    @property
    def waived_total(self) -> int:
        return sum(self.waived.values())


def balance(debt: Debt, waivers: Sequence[Waiver], terms: Terms) -> Balance:
    waived = waived_amounts(debt, waivers) if waivers else dict.fromkeys(BUCKETS, 0)
    plan_balance = debt.total - sum(waived.values())
    if plan_balance <= 0:
        raise InvalidInput("nothing to repay: the debt is zero or fully waived", "debt")
    if terms.down_fraction is not None:
        down = percent_of(plan_balance, terms.down_fraction)
    else:
        down = terms.down_amount or 0
    if down >= plan_balance:
        raise InvalidInput(
            f"the down payment ({format_amount(down, debt.currency)}) must be less than the plan balance "
            f"({format_amount(plan_balance, debt.currency)})",
            "down",
        )
    return Balance(debt, MappingProxyType(waived), plan_balance, down, plan_balance - down)


class Plan:
    """A computed plan: its balance, terms and the schedule in columns (tuples).

    Immutable: setting or deleting an attribute raises ``FrozenInstanceError``.
    ``installments`` builds row objects on demand; ``apr`` is solved on first use and
    kept (computed once, like a ``cached_property``, without its lock).
    """

    terms: Terms
    balance: Balance
    months: int
    principals: tuple[int, ...]
    fees: tuple[int, ...]
    amounts: tuple[int, ...]
    dues: tuple[date, ...]

    def __init__(self, terms: Terms, bal: Balance, s: Split, dues: tuple[date, ...]) -> None:
        # stored in the instance dict directly, since __setattr__ refuses every assignment
        # (one store a field: as fast as it gets without slots)
        d = self.__dict__
        d["terms"] = terms
        d["balance"] = bal
        d["months"] = s.months
        d["principals"] = s.principals
        d["fees"] = s.fees
        d["amounts"] = tuple(map(add, s.principals, s.fees)) if terms.fee_rate else s.principals
        d["dues"] = dues

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}: a Plan is immutable")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}: a Plan is immutable")

    # -- convenience views ------------------------------------------------------
    @property
    def currency(self) -> str:
        return self.balance.debt.currency

    @property
    def start(self) -> date:
        return self.terms.start

    @property
    def debt(self) -> Debt:
        return self.balance.debt

    @property
    def waived(self) -> Mapping[str, int]:
        return self.balance.waived

    @property
    def plan_balance(self) -> int:
        return self.balance.plan_balance

    @property
    def down_payment(self) -> int:
        return self.balance.down_payment

    @property
    def financed(self) -> int:
        return self.balance.financed

    @property
    def total_fees(self) -> int:
        return sum(self.fees)

    @property
    def total_installments(self) -> int:
        return sum(self.amounts)

    @property
    def total_repayable(self) -> int:
        return self.balance.down_payment + self.total_installments

    @property
    def largest_installment(self) -> int:
        return max(self.amounts)

    @property
    def first_due(self) -> date:
        return self.dues[0]

    @property
    def last_due(self) -> date:
        return self.dues[-1]

    @property
    def provisional_from(self) -> date | None:
        """The first due date that rests on holiday rules rather than published holidays, so it
        may still move (None when every date is certain; see ``calc.dates.provisional_after``)."""
        after = provisional_after(self.terms.business_days, self.terms.calendar)
        if after is None or self.dues[-1] <= after:
            return None
        return next(d for d in self.dues if d > after)

    @property
    def balances_after(self) -> list[int]:
        f = self.balance.financed
        return [f - paid for paid in accumulate(self.principals)]

    @property
    def installments(self) -> list[Installment]:
        return [
            Installment(i + 1, d, a, p, fee, b)
            for i, (d, a, p, fee, b) in enumerate(
                zip(self.dues, self.amounts, self.principals, self.fees, self.balances_after)
            )
        ]

    @property
    def apr(self) -> tuple[Decimal, Decimal]:
        """(nominal, effective) annual rates, 4 places (solved on first use, then kept)."""
        kept: tuple[Decimal, Decimal] | None = self.__dict__.get("_apr")
        if kept is None:
            kept = self.__dict__["_apr"] = self._solve_apr()
        return kept

    def _solve_apr(self) -> tuple[Decimal, Decimal]:
        if not self.total_fees:
            return annualize(0.0)
        t = self.terms
        t1 = months_between(t.start, first_installment_date(t.first_due_date, t.anchor_day))
        financed = self.balance.financed
        if not t.tiers and t.fee_basis == FeeBasis.FLAT:  # the same O(1) solver as headline()
            base, r = _level(financed, self.months, t.round_to)
            monthly = monthly_irr_uniform(financed, self.months, base + self.fees[0], r, t.remainder, t1)
        else:
            monthly = monthly_irr(financed, self.amounts, t1)
        return annualize(monthly)

    def __repr__(self) -> str:
        cur = self.currency
        return (
            f"<Plan {self.months}m financed={format_amount(self.financed, cur)} {cur} "
            f"first={format_amount(self.amounts[0], cur)} last_due={self.last_due}>"
        )


def build_plan(debt: Debt, waivers: Sequence[Waiver], terms: Terms) -> Plan:
    """The full plan with every installment's date and parts."""
    bal = balance(debt, waivers, terms)
    months = choose_months(bal.financed, terms, debt.currency)
    try:
        s = split(bal.financed, months, terms)
    except _Unsplittable as exc:
        raise exc.in_currency(debt.currency) from None
    dues = due_dates(terms.start, terms.first_due_date, months, terms.anchor_day, terms.business_days, terms.calendar)
    return Plan(terms, bal, s, dues)


class Headline(NamedTuple):
    months: int
    plan_balance: int
    down_payment: int
    financed: int
    first_installment: int
    regular_installment: int
    last_installment: int
    largest_installment: int
    total_fees: int
    total_repayable: int
    first_due: date
    last_due: date
    apr_nominal: Decimal
    apr_effective: Decimal


def headline(debt: Debt, waivers: Sequence[Waiver], terms: Terms) -> Headline:
    """Headline figures of a plan without building its schedule (see :func:`_headline`)."""
    try:
        return _headline(debt, waivers, terms)
    except _Unsplittable as exc:
        raise exc.in_currency(debt.currency) from None


def _headline(debt: Debt, waivers: Sequence[Waiver], terms: Terms) -> Headline:
    """Headline figures of a plan without building its schedule.

    ``regular_installment`` is the last installment that carries neither a tier
    step nor the remainder: the level amount most installments carry (with
    declining fees, the smallest).
    Agrees exactly with :func:`build_plan` (tests/test_schedule.py and the property tests check it).
    """
    bal = balance(debt, waivers, terms)
    financed = bal.financed
    months = choose_months(financed, terms, debt.currency)
    day = terms.anchor_day
    if terms.first_due is None and terms.due_day is None:
        # the default: one month after the agreement, on its day; exactly one month on the grid
        given_first = first_anchor = add_months(terms.start, 1)
        t1 = 1.0
    else:
        given_first = terms.first_due_date
        first_anchor = first_installment_date(given_first, day)
        t1 = None
    if terms.business_days == "none":
        first_due = first_anchor
    else:
        first_due = due_dates(terms.start, given_first, 1, day, terms.business_days, terms.calendar)[0]
    last = last_due_date(terms.start, first_anchor, months, day, terms.business_days, terms.calendar)
    if not terms.tiers and terms.fee_basis == FeeBasis.FLAT:
        base, r = _level(financed, months, terms.round_to)
        num, den = terms.fee_rate.as_integer_ratio()
        fee = round_half_up_div(financed * num, den) if num else 0
        mode = terms.remainder
        first = (
            base
            + fee
            + (
                r
                if mode == Remainder.FIRST or (mode == Remainder.LAST and months == 1)
                else (1 if mode == Remainder.SPREAD and r else 0)
            )
        )
        lastp = (
            base
            + fee
            + (
                r
                if mode == Remainder.LAST or (mode == Remainder.FIRST and months == 1)
                else (1 if mode == Remainder.SPREAD and r >= months else 0)
            )
        )
        largest = base + fee + (1 if (mode == Remainder.SPREAD and r) else r)
        total_fees = fee * months
        total_inst = financed + total_fees
        if total_fees:
            t1 = t1 or months_between(terms.start, first_anchor)
            monthly = monthly_irr_uniform(financed, months, base + fee, r, mode, t1)
        else:
            monthly = 0.0
        regular = base + fee if (mode == Remainder.LAST and months > 1) else lastp
    else:
        s = split(financed, months, terms)
        amounts = [p + f for p, f in zip(s.principals, s.fees)]
        first, lastp, largest = amounts[0], amounts[-1], max(amounts)
        total_fees = sum(s.fees)
        total_inst = financed + total_fees
        regular = amounts[-2] if terms.remainder == Remainder.LAST and months - terms.tier_months > 1 else amounts[-1]
        if total_fees:
            t1 = t1 or months_between(terms.start, first_anchor)
            monthly = monthly_irr(financed, amounts, t1)
        else:
            monthly = 0.0
    nominal, effective = annualize(monthly)
    return Headline(
        months,
        bal.plan_balance,
        bal.down_payment,
        financed,
        first,
        regular,
        lastp,
        largest,
        total_fees,
        bal.down_payment + total_inst,
        first_due,
        last,
        nominal,
        effective,
    )
