"""From a portfolio row to the case that offers are generated for.

A portfolio row is flatter than a case file (plans.case); the batch maps it so:

* ``account_ref``, ``name``, ``region`` -> ``case.account`` (the region also
  goes to the profile, where affordability looks it up; an unknown region uses
  the policy's default region, as for case files);
* a profile exists when any of ``monthly_income``, ``essential_spending``,
  ``other_debt_payments``, ``household``, ``savings``, ``hardship_reason``,
  ``recovery_date`` is given: income is one source called ``monthly_income``;
  essential spending, a single total, is the category ``other`` (so the
  food-guideline check cannot apply); the household defaults to one adult;
  missing amounts are zero;
* the agreement date is the run's ``--start`` for every account.
"""

from __future__ import annotations

from datetime import date

from calc.affordability import Profile
from calc.debt import Debt
from calc.errors import InvalidInput
from plans.case import Account as CaseAccount
from plans.case import Case
from plans.portfolio_input import Account

INCOME_SOURCE = "monthly_income"
SPENDING_CATEGORY = "other"


def has_profile(a: Account) -> bool:
    return not (a.monthly_income is None and a.essential_spending is None and a.other_debt_payments is None
                and a.adults is None and a.savings is None and a.hardship_reason is None
                and a.recovery_date is None)


def check_recovery(a: Account, start: date) -> None:
    if a.recovery_date is not None and a.recovery_date <= start:
        raise InvalidInput(f"{a.recovery_date} is not after the agreement date {start}", "recovery_date")


def to_profile(a: Account, start: date) -> Profile | None:
    if not has_profile(a):
        return None
    check_recovery(a, start)
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
    )


def to_case(a: Account, start: date) -> Case:
    """The case of one portfolio row; raises InvalidInput (with the column as field) when unusable."""
    if not any(a.buckets):
        raise InvalidInput("every bucket is zero; there is nothing to repay", "debt")
    return Case(a.currency, start, Debt(a.currency, *a.buckets), CaseAccount(a.account_ref, a.name, a.region),
                to_profile(a, start))
