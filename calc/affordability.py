"""Affordability of installments against a hardship profile (docs/design.md section 8).

    living_floor = reserve_per_person(region) * household size
    surplus      = income - max(essential spending, living_floor) - other debt payments
    contingency  = surplus * contingency_share   (rounded half up; none when surplus <= 0)
    available    = max(0, surplus - contingency)

An installment ``m`` is ``unaffordable`` when ``m > available``; ``tight`` when
``m > tight_share * available``, when the debt-to-income ratio
``(other debt payments + m) / income`` exceeds ``max_dti`` or when no income is
recorded; else ``affordable``.  Every comparison is exact (integers and the
policy's fractions as integer ratios): a ratio is rounded only for display.

The rule is written once, in :func:`budget_figures`, :func:`affordable_cap` and
:func:`verdict_code`, with plain operators only, so the same functions judge one
installment (Python ints) or a whole portfolio chunk (integer numpy arrays, used
by ``plans.offers``); this module never imports numpy.  ``affordable_cap`` is
the largest installment judged affordable, so "affordable" is exactly
``m <= cap`` and "unaffordable" exactly ``m > available``.

A profile may give an expected income after its recovery date
(``income_after_recovery``): installments due from that date are judged against
:func:`budget` with that income (``plans.offers`` judges whole plans).

Every verdict carries findings: a stable ``code`` for translation, an English
``message`` and the ``values`` the translations fill in.  The thresholds come
from the policy; the defaults here are those of docs/design.md section 8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from .errors import InvalidInput
from .money import check_currency, format_amount

SPENDING_CATEGORIES = ("housing", "utilities", "food", "transport", "medical", "education", "childcare", "other")
HARDSHIP_REASONS = (
    "unemployment",
    "illness",
    "business_failure",
    "family_change",
    "disaster",
    "reduced_income",
    "other",
)


class Verdict(StrEnum):
    """How an installment sits in the household budget (codes 0, 1, 2 in this order)."""

    AFFORDABLE = "affordable"
    TIGHT = "tight"
    UNAFFORDABLE = "unaffordable"


VERDICTS = tuple(Verdict)
MAX_HOUSEHOLD = 20


@dataclass(frozen=True, slots=True)
class Profile:
    """A hardship profile; amounts are monthly minor units in ``currency``.

    ``income_after_recovery`` (by source, like ``income``) is the income expected
    from ``recovery_date`` on; None when not given (installments after the recovery
    date are then judged against today's income).
    """

    currency: str
    adults: int = 1
    children: int = 0
    region: str | None = None
    income: tuple[tuple[str, int], ...] = ()
    spending: tuple[tuple[str, int], ...] = ()
    other_debt_payments: int = 0
    savings: int = 0
    hardship_reason: str | None = None
    recovery_date: date | None = None
    income_after_recovery: tuple[tuple[str, int], ...] | None = None

    def __post_init__(self) -> None:
        check_currency(self.currency)
        if not (1 <= self.adults <= MAX_HOUSEHOLD):
            raise InvalidInput(f"must be 1 to {MAX_HOUSEHOLD}, got {self.adults}", "adults")
        if not (0 <= self.children <= MAX_HOUSEHOLD):
            raise InvalidInput(f"must be 0 to {MAX_HOUSEHOLD}, got {self.children}", "children")
        for cat, _ in self.spending:
            if cat not in SPENDING_CATEGORIES:
                raise InvalidInput(f"unknown category {cat!r}; use {', '.join(SPENDING_CATEGORIES)}", "spending")
        if self.hardship_reason is not None and self.hardship_reason not in HARDSHIP_REASONS:
            raise InvalidInput(
                f"unknown reason {self.hardship_reason!r}; use {', '.join(HARDSHIP_REASONS)}", "hardship_reason"
            )
        if self.income_after_recovery is not None and self.recovery_date is None:
            raise InvalidInput("an income after recovery needs a recovery date", "income_after_recovery")

    @property
    def household_size(self) -> int:
        return self.adults + self.children

    @property
    def total_income(self) -> int:
        return sum(v for _, v in self.income)

    @property
    def total_income_after_recovery(self) -> int | None:
        if self.income_after_recovery is None:
            return None
        return sum(v for _, v in self.income_after_recovery)

    @property
    def essential_spending(self) -> int:
        return sum(v for _, v in self.spending)

    def spending_on(self, category: str) -> int:
        return sum(v for c, v in self.spending if c == category)


@dataclass(frozen=True, slots=True)
class AffordabilityParams:
    reserve_per_person: int
    contingency_share: Decimal = Decimal("0.10")
    tight_share: Decimal = Decimal("0.80")
    max_dti: Decimal = Decimal("0.50")
    #: Monthly food guideline per person; food above ``food_alert_ratio`` times it is flagged.
    food_per_person: int | None = None
    food_alert_ratio: Decimal = Decimal(2)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    values: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Budget:
    """The household budget installments are judged against (one month)."""

    currency: str
    income: int
    essential_spending: int
    living_floor: int
    other_debt_payments: int
    surplus: int
    contingency: int
    available: int
    findings: tuple[Finding, ...]
    #: The largest installment judged affordable (below 1: none is).
    cap: int = -1

    @property
    def spending_used(self) -> int:
        """What the budget counts as essential spending: the declared spending or the living floor."""
        return max(self.essential_spending, self.living_floor)

    @property
    def floor_used(self) -> bool:
        return self.living_floor > self.essential_spending

    def left(self, installment: int) -> int:
        """What is left of the month's income after spending, other debts, the contingency and
        ``installment`` (negative: short by that much)."""
        return self.income - self.spending_used - self.other_debt_payments - self.contingency - installment


@dataclass(frozen=True, slots=True)
class Assessment:
    budget: Budget
    installment: int
    dti: Decimal | None
    verdict: str
    findings: tuple[Finding, ...]


# -- the rule, for ints and integer arrays alike --------------------------------------

#: A figure in minor units: an ``int`` for one case, an integer numpy array for a portfolio chunk (calc never
#: imports numpy, so the array case is typed loosely).
Figure = Any


def _larger(a: Figure, b: Figure) -> Figure:
    return a + (b - a) * (b > a)


def _smaller(a: Figure, b: Figure) -> Figure:
    return a + (b - a) * (b < a)


def ratio(fraction: Decimal) -> tuple[int, int]:
    """A policy fraction as an exact integer ratio (Decimal("0.125") -> (1, 8))."""
    return Decimal(fraction).as_integer_ratio()


def half_up(amount: Figure, fraction: tuple[int, int]) -> Figure:
    """``amount * fraction`` rounded half up to the minor unit, for ``amount >= 0``
    (the same figure as ``calc.money.percent_of``)."""
    num, den = fraction
    return (2 * amount * num + den) // (2 * den)


def budget_figures(
    income: Figure, spending: Figure, floor: Figure, other: Figure, contingency_share: tuple[int, int]
) -> tuple[Figure, Figure, Figure]:
    """(surplus, contingency, available) of the formula above."""
    surplus = income - _larger(spending, floor) - other
    contingency = half_up(surplus * (surplus > 0), contingency_share)
    available = surplus - contingency
    return surplus, contingency, available * (available > 0)


def affordable_cap(
    income: Figure, available: Figure, other: Figure, tight_share: tuple[int, int], max_dti: tuple[int, int]
) -> Figure:
    """The largest installment judged ``affordable`` (-1 when there is no income)."""
    tn, td = tight_share
    dn, dd = max_dti
    cap = _smaller(_smaller(available, available * tn // td), income * dn // dd - other)
    has_income = income > 0
    return cap * has_income - (1 - has_income)


def verdict_code(amount: Figure, available: Figure, cap: Figure) -> Figure:
    """0 affordable, 1 tight, 2 unaffordable (``cap`` from :func:`affordable_cap`)."""
    return (amount > available) * 1 + (amount > cap)


# -- one budget, one installment ----------------------------------------------------------


def budget(profile: Profile, params: AffordabilityParams, income: int | None = None) -> Budget:
    """The budget of ``profile``; with ``income``, the budget with that income instead (after recovery)."""
    cur = profile.currency

    def fmt(v: int) -> str:
        return f"{format_amount(v, cur)} {cur}"

    income = profile.total_income if income is None else income
    spending = profile.essential_spending
    floor = params.reserve_per_person * profile.household_size
    other = profile.other_debt_payments
    surplus, contingency, available = budget_figures(income, spending, floor, other, ratio(params.contingency_share))
    cap = affordable_cap(income, available, other, ratio(params.tight_share), ratio(params.max_dti))
    findings: list[Finding] = []
    if income == 0:
        findings.append(Finding("no_income", "No income is recorded."))
    if spending < floor:
        findings.append(
            Finding(
                "spending_below_floor",
                f"Declared essential spending ({fmt(spending)}) is below the living floor of "
                f"{fmt(floor)} for {profile.household_size} people; the floor is used instead.",
                {"spending": spending, "floor": floor, "people": profile.household_size},
            )
        )
    if params.food_per_person:
        food = profile.spending_on("food")
        guide = params.food_per_person * profile.household_size
        if food > guide * params.food_alert_ratio:
            findings.append(
                Finding(
                    "food_high",
                    f"Food spending ({fmt(food)}) is far above the regional guideline of {fmt(guide)}.",
                    {"food": food, "guideline": guide},
                )
            )
    if surplus <= 0 and income > 0:
        findings.append(
            Finding(
                "no_surplus",
                f"Income does not cover essential spending and other debts (short by {fmt(-surplus)}).",
                {"shortfall": -surplus},
            )
        )
    return Budget(cur, income, spending, floor, other, surplus, contingency, available, tuple(findings), cap)


def dti_of(b: Budget, installment: int) -> Decimal | None:
    """The debt-to-income ratio with ``installment``, rounded half up to 4 places (for display)."""
    if b.income <= 0:
        return None
    return (Decimal(b.other_debt_payments + installment) / Decimal(b.income)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def high_dti(b: Budget, installment: int, params: AffordabilityParams) -> bool:
    """Whether ``(other debts + installment) / income`` exceeds the maximum (exactly)."""
    num, den = ratio(params.max_dti)
    return b.income > 0 and (b.other_debt_payments + installment) * den > num * b.income


def assess(b: Budget, installment: int, params: AffordabilityParams) -> Assessment:
    """Verdict and findings for an installment of ``installment`` minor units."""
    cur = b.currency

    def fmt(v: int) -> str:
        return f"{format_amount(v, cur)} {cur}"

    findings = list(b.findings)
    dti = dti_of(b, installment)
    verdict = VERDICTS[verdict_code(installment, b.available, b.cap)]
    if installment > b.available:
        findings.append(
            Finding(
                "above_available",
                f"The installment of {fmt(installment)} is more than the {fmt(b.available)} available each month.",
                {"installment": installment, "available": b.available},
            )
        )
    else:
        tn, td = ratio(params.tight_share)
        if installment * td > tn * b.available:
            findings.append(
                Finding(
                    "near_available",
                    f"The installment of {fmt(installment)} uses more than {params.tight_share:.0%} of the "
                    f"{fmt(b.available)} available each month.",
                    {"installment": installment, "available": b.available},
                )
            )
    if high_dti(b, installment, params):
        findings.append(
            Finding(
                "high_dti",
                f"Debt payments would take {dti:.0%} of income, above the {params.max_dti:.0%} maximum.",
                {"dti": dti, "max_dti": params.max_dti},
            )
        )
    return Assessment(b, installment, dti, verdict, tuple(findings))
