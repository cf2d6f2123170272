"""From portfolio rows to the accounts (and cases) that offers are generated for.

A portfolio row is flatter than a case file (plans.case); the batch maps it so:

* ``account_ref``, ``name``, ``region`` -> ``case.account`` (the region also
  goes to the profile, where affordability looks it up; an unknown region uses
  the policy's default region, as for case files);
* a profile exists when any of ``monthly_income``, ``essential_spending``,
  ``other_debt_payments``, ``household``, ``savings``, ``hardship_reason``,
  ``recovery_date``, ``income_after_recovery`` is given: income is one line
  called ``monthly_income`` (and so is the income after recovery); essential
  spending, a single total, is the category ``other`` (so the food-guideline
  check cannot apply); the household defaults to one adult; missing amounts are
  zero;
* the agreement date is the run's ``--start`` for every account.

:func:`accounts_of` makes the engine's columns (``plans.offers.accounts``) of
parsed rows; :func:`to_case` makes one row's case (the same mapping, for
``generate_offers``; tests/test_batch_engine.py checks that both give the same
offers).  :func:`problem` says why a row cannot have offers at all.
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

import numpy as np

from calc.affordability import Profile
from calc.debt import Debt
from calc.errors import InvalidInput
from plans.case import CaseAccount
from plans.case import Case
from plans.offers.accounts import INCOME_SOURCE, SPENDING_CATEGORY, Accounts
from plans.portfolio.reader import PortfolioRow

PROFILE_FIELDS = (
    "monthly_income",
    "essential_spending",
    "other_debt_payments",
    "adults",
    "savings",
    "hardship_reason",
    "recovery_date",
    "income_after_recovery",
)


def has_profile(a: PortfolioRow) -> bool:
    return any(getattr(a, f) is not None for f in PROFILE_FIELDS)


def problem(a: PortfolioRow, policy) -> str | None:
    """Why account ``a`` cannot have offers under ``policy`` (as a reject reason), or None."""
    try:
        policy.check_currency(a.currency)
        if not any(a.buckets):
            raise InvalidInput("every bucket is zero; there is nothing to repay", "debt")
        if a.income_after_recovery is not None and a.recovery_date is None:
            raise InvalidInput("needs a recovery_date: the date from which it is expected", "income_after_recovery")
    except InvalidInput as exc:
        return str(exc)
    return None


def to_profile(a: PortfolioRow) -> Profile | None:
    if not has_profile(a):
        return None
    return Profile(
        a.currency,
        a.adults if a.adults is not None else 1,
        a.children or 0,
        a.region,
        ((INCOME_SOURCE, a.monthly_income),) if a.monthly_income is not None else (),
        ((SPENDING_CATEGORY, a.essential_spending),) if a.essential_spending is not None else (),
        a.other_debt_payments or 0,
        a.savings or 0,
        a.hardship_reason,
        a.recovery_date,
        ((INCOME_SOURCE, a.income_after_recovery),) if a.income_after_recovery is not None else None,
    )


def to_case(a: PortfolioRow, start: date) -> Case:
    """The case of one portfolio row; raises InvalidInput (with the column as field) when unusable."""
    if not any(a.buckets):
        raise InvalidInput("every bucket is zero; there is nothing to repay", "debt")
    return Case(
        a.currency, start, Debt(a.currency, *a.buckets), CaseAccount(a.account_ref, a.name, a.region), to_profile(a)
    )


def accounts_of(rows: Sequence[PortfolioRow], currency: str, start: date) -> Accounts:
    """The engine's columns of good rows (all in ``currency``)."""
    n = len(rows)

    def col(name: str, default=0) -> tuple[np.ndarray, np.ndarray]:
        values = [getattr(a, name) for a in rows]
        given = np.array([v is not None for v in values], dtype=bool)
        return np.array([default if v is None else v for v in values], dtype=np.int64), given

    income, income_given = col("monthly_income")
    spending, spending_given = col("essential_spending")
    after, after_given = col("income_after_recovery")
    return Accounts.of_portfolio(
        currency,
        start,
        [a.account_ref for a in rows],
        [a.name for a in rows],
        [a.region for a in rows],
        np.array([a.buckets for a in rows], dtype=np.int64).reshape(n, 6).T.copy(),
        income,
        income_given,
        spending,
        spending_given,
        col("other_debt_payments")[0],
        col("adults", 1)[0],
        col("children")[0],
        col("savings")[0],
        [a.hardship_reason for a in rows],
        np.array([a.recovery_date.toordinal() if a.recovery_date else 0 for a in rows], dtype=np.int64),
        after,
        after_given,
        np.array([has_profile(a) for a in rows], dtype=bool),
    )
