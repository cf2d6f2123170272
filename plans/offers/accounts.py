"""Accounts as columns: what the offer engine computes from, for one case or a portfolio chunk.

:class:`Accounts` holds ``n`` accounts that share a currency and an agreement date:
the debt buckets, the hardship profile figures the rules use (income, income after
recovery, essential spending, food, other debts, savings, household, region,
recovery date as an ordinal) as integer numpy arrays, and the identity columns the
offer ids and documents need (reference, name, regions, hardship reason, and the
income and spending lines with their names).

* :meth:`Accounts.of_cases`: from ``plans.case.Case`` values (``generate_offers``
  passes one);
* :meth:`Accounts.of_portfolio`: from the columns of portfolio rows (the batch),
  which map to cases as ``plans.batch.accounts.to_case`` says: income is one line
  called ``monthly_income`` (so is the income after recovery), essential spending
  one line of the category ``other``.

Amounts are minor units; "not given" is -1 for the income after recovery and 0 for
a recovery date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

import numpy as np

from ..case import Case

INCOME_SOURCE = "monthly_income"
SPENDING_CATEGORY = "other"


@dataclass(frozen=True, eq=False)
class Lines:
    """Named amounts per account (income sources, spending categories), as offsets into flat lists.

    Account ``i`` has ``names[offsets[i]:offsets[i+1]]`` with ``amounts`` alike;
    ``given[i]`` is False where the list itself is not given (income after recovery only).
    """

    offsets: np.ndarray
    names: list
    amounts: np.ndarray
    given: np.ndarray

    @classmethod
    def of(cls, lists: Sequence) -> "Lines":
        offsets, names, amounts, given = [0], [], [], []
        for items in lists:
            given.append(items is not None)
            for name, amount in items or ():
                names.append(name)
                amounts.append(amount)
            offsets.append(len(names))
        return cls(
            np.array(offsets, dtype=np.int64), names, np.array(amounts, dtype=np.int64), np.array(given, dtype=bool)
        )

    @classmethod
    def single(cls, name: str, amount: np.ndarray, given: np.ndarray, listed: np.ndarray | None = None) -> "Lines":
        """At most one line per account: ``name`` with ``amount`` where ``given`` (``listed``: whether the
        list exists at all; default: wherever the profile is)."""
        counts = given.astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(counts)])
        n = int(offsets[-1])
        return cls(
            offsets,
            [name] * n,
            amount[given].astype(np.int64),
            np.ones(len(given), dtype=bool) if listed is None else listed,
        )

    def counts(self) -> np.ndarray:
        return np.diff(self.offsets) * self.given - (~self.given)

    def items(self, i: int) -> tuple | None:
        if not self.given[i]:
            return None
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        return tuple(zip(self.names[lo:hi], self.amounts[lo:hi].tolist()))


@dataclass(frozen=True, eq=False)
class Accounts:
    currency: str
    start: date
    buckets: np.ndarray  # (6, n)
    profile: np.ndarray  # bool
    adults: np.ndarray
    children: np.ndarray
    income: np.ndarray
    income_after: np.ndarray  # -1: not given
    spending: np.ndarray
    food: np.ndarray
    other: np.ndarray
    savings: np.ndarray
    recovery: np.ndarray  # ordinal, 0: none
    #: The region affordability looks up (the profile's, else the account's).
    region: list
    # identity
    ref: list
    name: list
    account_region: list
    profile_region: list
    reason: list
    income_lines: Lines
    spending_lines: Lines
    after_lines: Lines

    @property
    def n(self) -> int:
        return self.buckets.shape[1]

    def largest_amount(self) -> int:
        """The largest amount of any account (bounds the engine's integer products)."""
        if not self.n:
            return 0
        cols = (self.buckets.sum(axis=0), self.income, self.income_after, self.spending, self.other, self.savings)
        return int(max(int(np.max(c)) for c in cols))

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def of_cases(cls, cases: Sequence[Case]) -> "Accounts":
        """The accounts of ``cases`` (one currency and agreement date)."""
        first = cases[0]
        profiles = [c.profile for c in cases]

        def col(get, default=0):
            return np.array([default if p is None else get(p) for p in profiles], dtype=np.int64)

        return cls(
            currency=first.currency,
            start=first.start,
            buckets=np.array(
                [
                    [getattr(c.debt, b) for c in cases]
                    for b in ("principal", "interest", "penalty_interest", "late_fees", "annual_fees", "other_fees")
                ],
                dtype=np.int64,
            ).reshape(6, len(cases)),
            profile=np.array([p is not None for p in profiles], dtype=bool),
            adults=col(lambda p: p.adults, 1),
            children=col(lambda p: p.children),
            income=col(lambda p: p.total_income),
            income_after=col(lambda p: -1 if p.income_after_recovery is None else p.total_income_after_recovery, -1),
            spending=col(lambda p: p.essential_spending),
            food=col(lambda p: p.spending_on("food")),
            other=col(lambda p: p.other_debt_payments),
            savings=col(lambda p: p.savings),
            recovery=col(lambda p: p.recovery_date.toordinal() if p.recovery_date else 0),
            region=[c.region for c in cases],
            ref=[c.account.ref for c in cases],
            name=[c.account.name for c in cases],
            account_region=[c.account.region for c in cases],
            profile_region=[None if p is None else p.region for p in profiles],
            reason=[None if p is None else p.hardship_reason for p in profiles],
            income_lines=Lines.of([() if p is None else p.income for p in profiles]),
            spending_lines=Lines.of([() if p is None else p.spending for p in profiles]),
            after_lines=Lines.of([None if p is None else p.income_after_recovery for p in profiles]),
        )

    @classmethod
    def of_portfolio(
        cls,
        currency: str,
        start: date,
        refs: list,
        names: list,
        regions: list,
        buckets: np.ndarray,
        income: np.ndarray,
        income_given: np.ndarray,
        spending: np.ndarray,
        spending_given: np.ndarray,
        other: np.ndarray,
        adults: np.ndarray,
        children: np.ndarray,
        savings: np.ndarray,
        reasons: list,
        recovery: np.ndarray,
        after: np.ndarray,
        after_given: np.ndarray,
        profile: np.ndarray,
    ) -> "Accounts":
        """Portfolio rows as accounts.  ``profile``: any profile column given; amounts not given are 0
        (their ``*_given`` False); ``adults`` 1 and ``children`` 0 where no household is given."""
        n = len(refs)
        income_given = income_given & profile
        spending_given = spending_given & profile
        after_given = after_given & profile
        z = np.zeros(n, dtype=np.int64)
        return cls(
            currency=currency,
            start=start,
            buckets=buckets,
            profile=profile,
            adults=np.where(profile, adults, 1),
            children=np.where(profile, children, 0),
            income=np.where(income_given, income, 0),
            income_after=np.where(after_given, after, -1),
            spending=np.where(spending_given, spending, 0),
            food=z,
            other=np.where(profile, other, 0),
            savings=np.where(profile, savings, 0),
            recovery=np.where(profile, recovery, 0),
            region=regions,
            ref=refs,
            name=names,
            account_region=regions,
            profile_region=[r if p else None for r, p in zip(regions, profile.tolist())],
            reason=[r if p else None for r, p in zip(reasons, profile.tolist())],
            income_lines=Lines.single(INCOME_SOURCE, income, income_given),
            spending_lines=Lines.single(SPENDING_CATEGORY, spending, spending_given),
            after_lines=Lines.single(INCOME_SOURCE, after, after_given, listed=after_given),
        )

    # -- views ---------------------------------------------------------------------
    def case(self, i: int) -> Case:
        """Account ``i`` as a case (what a portfolio row means, for letters)."""
        from calc.affordability import Profile
        from calc.debt import Debt

        from ..case import CaseAccount

        cur = self.currency
        profile = None
        if self.profile[i]:
            rec = int(self.recovery[i])
            profile = Profile(
                cur,
                int(self.adults[i]),
                int(self.children[i]),
                self.profile_region[i],
                self.income_lines.items(i) or (),  # (listed wherever a profile is: never None here)
                self.spending_lines.items(i) or (),
                int(self.other[i]),
                int(self.savings[i]),
                self.reason[i],
                date.fromordinal(rec) if rec else None,
                self.after_lines.items(i),
            )
        return Case(
            cur,
            self.start,
            Debt(cur, *(int(x) for x in self.buckets[:, i])),
            CaseAccount(self.ref[i], self.name[i], self.account_region[i]),
            profile,
        )


def _take_lines(lines: Lines, idx: np.ndarray) -> Lines:
    counts = np.diff(lines.offsets)[idx]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    pos = np.repeat(lines.offsets[:-1][idx] - offsets[:-1], counts) + np.arange(int(offsets[-1]))
    return Lines(offsets, [lines.names[i] for i in pos.tolist()], lines.amounts[pos], lines.given[idx])


def _concat_lines(parts: Sequence[Lines]) -> Lines:
    offsets, shift = [np.zeros(1, dtype=np.int64)], 0
    for x in parts:
        offsets.append(x.offsets[1:] + shift)
        shift += int(x.offsets[-1])
    return Lines(
        np.concatenate(offsets),
        [n for x in parts for n in x.names],
        np.concatenate([x.amounts for x in parts]),
        np.concatenate([x.given for x in parts]),
    )


_ARRAYS = (
    "profile",
    "adults",
    "children",
    "income",
    "income_after",
    "spending",
    "food",
    "other",
    "savings",
    "recovery",
)
_LISTS = ("region", "ref", "name", "account_region", "profile_region", "reason")
_LINES = ("income_lines", "spending_lines", "after_lines")


def take(acc: Accounts, idx: np.ndarray) -> Accounts:
    """Accounts ``idx`` of ``acc``, in that order."""
    idx = np.asarray(idx, dtype=np.int64)
    fields = {k: getattr(acc, k)[idx] for k in _ARRAYS}
    fields.update({k: [getattr(acc, k)[i] for i in idx.tolist()] for k in _LISTS})
    fields.update({k: _take_lines(getattr(acc, k), idx) for k in _LINES})
    return Accounts(acc.currency, acc.start, acc.buckets[:, idx], **fields)


def concat(parts: Sequence[Accounts]) -> Accounts:
    """The accounts of ``parts`` one after the other (one currency and agreement date)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    fields: dict[str, Any] = {k: np.concatenate([getattr(p, k) for p in parts]) for k in _ARRAYS}
    fields.update({k: [x for p in parts for x in getattr(p, k)] for k in _LISTS})
    fields.update({k: _concat_lines([getattr(p, k) for p in parts]) for k in _LINES})
    return Accounts(first.currency, first.start, np.concatenate([p.buckets for p in parts], axis=1), **fields)
