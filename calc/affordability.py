"""Affordability of an installment against a hardship profile (DESIGN section 6).

    living_floor = reserve_per_person(region) * household size
    surplus      = income - max(essential spending, living_floor) - other debt payments
    contingency  = surplus * contingency_share   (rounded half up; none when surplus <= 0)
    available    = max(0, surplus - contingency)

An installment ``m`` is ``unaffordable`` when ``m > available``; ``tight`` when
``m > tight_share * available`` or the debt-to-income ratio
``(other debt payments + m) / income`` exceeds ``max_dti``; else ``affordable``.
Every verdict carries findings: a stable ``code`` for translation and an English
``message``.  The thresholds come from the policy; the defaults here are DESIGN's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .errors import InvalidInput
from .money import check_currency, format_amount, percent_of

SPENDING_CATEGORIES = ("housing", "utilities", "food", "transport", "medical", "education", "childcare", "other")
HARDSHIP_REASONS = (
    "unemployment", "illness", "business_failure", "family_change", "disaster", "reduced_income", "other",
)
VERDICTS = ("affordable", "tight", "unaffordable")
MAX_HOUSEHOLD = 20


@dataclass(frozen=True, slots=True)
class Profile:
    """A hardship profile; amounts are monthly minor units in ``currency``."""

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

    @property
    def household_size(self) -> int:
        return self.adults + self.children

    @property
    def total_income(self) -> int:
        return sum(v for _, v in self.income)

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
    values: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Budget:
    """The household budget the installment is judged against."""

    currency: str
    income: int
    essential_spending: int
    living_floor: int
    other_debt_payments: int
    surplus: int
    contingency: int
    available: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    budget: Budget
    installment: int
    dti: Decimal | None
    verdict: str
    findings: tuple[Finding, ...]


def budget(profile: Profile, params: AffordabilityParams) -> Budget:
    cur = profile.currency
    fmt = lambda v: f"{format_amount(v, cur)} {cur}"  # noqa: E731
    income = profile.total_income
    spending = profile.essential_spending
    floor = params.reserve_per_person * profile.household_size
    surplus = income - max(spending, floor) - profile.other_debt_payments
    contingency = percent_of(surplus, params.contingency_share) if surplus > 0 else 0
    available = max(0, surplus - contingency)
    findings: list[Finding] = []
    if income == 0:
        findings.append(Finding("no_income", "No income is recorded."))
    if spending < floor:
        findings.append(Finding(
            "spending_below_floor",
            f"Declared essential spending ({fmt(spending)}) is below the living floor of "
            f"{fmt(floor)} for {profile.household_size} people; the floor is used instead.",
            {"spending": spending, "floor": floor, "people": profile.household_size},
        ))
    if params.food_per_person:
        food = profile.spending_on("food")
        guide = params.food_per_person * profile.household_size
        if food > guide * params.food_alert_ratio:
            findings.append(Finding(
                "food_high",
                f"Food spending ({fmt(food)}) is far above the regional guideline of {fmt(guide)}.",
                {"food": food, "guideline": guide},
            ))
    if surplus <= 0 and income > 0:
        findings.append(Finding(
            "no_surplus",
            f"Income does not cover essential spending and other debts (short by {fmt(-surplus)}).",
            {"shortfall": -surplus},
        ))
    return Budget(cur, income, spending, floor, profile.other_debt_payments, surplus, contingency,
                  available, tuple(findings))


def assess(b: Budget, installment: int, params: AffordabilityParams) -> Assessment:
    """Verdict and findings for an installment of ``installment`` minor units."""
    cur = b.currency
    fmt = lambda v: f"{format_amount(v, cur)} {cur}"  # noqa: E731
    findings = list(b.findings)
    dti = None
    if b.income > 0:
        dti = (Decimal(b.other_debt_payments + installment) / Decimal(b.income)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if installment > b.available:
        verdict = "unaffordable"
        findings.append(Finding(
            "above_available",
            f"The installment of {fmt(installment)} is more than the {fmt(b.available)} available each month.",
            {"installment": installment, "available": b.available},
        ))
    else:
        verdict = "affordable"
        if Decimal(installment) > params.tight_share * b.available:
            verdict = "tight"
            findings.append(Finding(
                "near_available",
                f"The installment of {fmt(installment)} uses more than {params.tight_share:.0%} of the "
                f"{fmt(b.available)} available each month.",
                {"installment": installment, "available": b.available},
            ))
    if dti is None:
        if verdict != "unaffordable":
            verdict = "tight"
    elif dti > params.max_dti:
        if verdict == "affordable":
            verdict = "tight"
        findings.append(Finding(
            "high_dti",
            f"Debt payments would take {dti:.0%} of income, above the {params.max_dti:.0%} maximum.",
            {"dti": dti, "max_dti": params.max_dti},
        ))
    return Assessment(b, installment, dti, verdict, tuple(findings))
