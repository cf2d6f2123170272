"""Plan terms: everything besides the debt that shapes a schedule.

Validation happens here, once, when terms are built; the schedule code trusts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .dates import CONVENTIONS, WEEKENDS, Calendar, add_months, check_date, check_horizon
from .errors import InvalidInput

#: The legal ceiling: at most five years of monthly installments (article 70).
ABSOLUTE_MAX_MONTHS = 60


class FeeBasis(StrEnum):
    """What a monthly fee rate is charged on."""

    FLAT = "flat"  # the amount financed, every month
    DECLINING = "declining"  # the balance still outstanding that month


class Remainder(StrEnum):
    """Which installment takes the minor units an even split leaves over."""

    FIRST = "first"
    LAST = "last"
    SPREAD = "spread"  # one more minor unit on each of the first installments


FEE_BASES = tuple(FeeBasis)
REMAINDERS = tuple(Remainder)
#: The highest monthly fee rate accepted (5% a month is already far beyond any policy).
MAX_FEE_RATE = Decimal("0.05")


@dataclass(frozen=True, slots=True)
class Terms:
    """Terms of a plan.  Amounts are minor units; rates are fractions (0.006 = 0.6%).

    Exactly one of ``months`` (fixed term) and ``payment`` (payment-driven: the
    smallest term whose largest installment does not exceed it) is set.  The down
    payment is ``down_amount`` or ``down_fraction`` of the plan balance, or none.
    ``tiers`` are ``(count, amount)`` steps paid first, before the rest is split.
    """

    start: date
    months: int | None = None
    payment: int | None = None
    max_months: int = ABSOLUTE_MAX_MONTHS
    down_amount: int | None = None
    down_fraction: Decimal | None = None
    first_due: date | None = None
    due_day: int | None = None
    fee_rate: Decimal = Decimal(0)
    fee_basis: FeeBasis = FeeBasis.FLAT
    remainder: Remainder = Remainder.FIRST
    round_to: int = 1
    tiers: tuple[tuple[int, int], ...] = ()
    business_days: str = "none"
    calendar: Calendar = field(default=WEEKENDS)

    def __post_init__(self) -> None:
        if not isinstance(self.start, date):
            raise InvalidInput("must be a date", "start")
        check_date(self.start, "start")
        if self.first_due is not None:
            check_date(self.first_due, "first_due")
        if not (1 <= self.max_months <= ABSOLUTE_MAX_MONTHS):
            raise InvalidInput(f"must be 1 to {ABSOLUTE_MAX_MONTHS}, got {self.max_months}", "max_months")
        if (self.months is None) == (self.payment is None):
            raise InvalidInput("give either a number of months or a target payment", "months")
        if self.months is not None and not (1 <= self.months <= self.max_months):
            raise InvalidInput(f"must be 1 to {self.max_months}, got {self.months}", "months")
        if self.payment is not None and self.payment <= 0:
            raise InvalidInput("must be more than zero", "payment")
        if self.down_amount is not None and self.down_fraction is not None:
            raise InvalidInput("give the down payment as an amount or a percentage, not both", "down")
        if self.down_fraction is not None and not (0 <= self.down_fraction < 1):
            raise InvalidInput("must be at least 0% and below 100% of the plan balance", "down")
        if self.first_due is not None and self.first_due <= self.start:
            raise InvalidInput(f"{self.first_due} is not after the agreement date {self.start}", "first_due")
        check_horizon(
            self.first_due_date, self.months or self.max_months, "start" if self.first_due is None else "first_due"
        )
        if self.due_day is not None and not (1 <= self.due_day <= 31):
            raise InvalidInput(f"must be a day of the month from 1 to 31, got {self.due_day}", "due_day")
        if not (0 <= self.fee_rate <= MAX_FEE_RATE):
            raise InvalidInput(f"must be from 0% to {MAX_FEE_RATE * 100}% a month", "fee_rate")
        if self.fee_basis not in FEE_BASES:
            raise InvalidInput(f"must be one of {', '.join(FEE_BASES)}", "fee_basis")
        if self.remainder not in REMAINDERS:
            raise InvalidInput(f"must be one of {', '.join(REMAINDERS)}", "remainder")
        # the words as given ("flat") become the vocabulary's members, so a Terms always holds those
        object.__setattr__(self, "fee_basis", FeeBasis(self.fee_basis))
        object.__setattr__(self, "remainder", Remainder(self.remainder))
        if not isinstance(self.round_to, int) or self.round_to < 1:
            raise InvalidInput("must be a positive amount", "round_to")
        if self.remainder is Remainder.SPREAD and self.round_to != 1:
            raise InvalidInput("remainder 'spread' needs the minor unit as rounding unit", "remainder")
        for count, amount in self.tiers:
            if count < 1 or amount < 1:
                raise InvalidInput("each tier needs at least one month and an amount above zero", "tier")
        if self.business_days not in CONVENTIONS:
            raise InvalidInput(f"must be one of {', '.join(CONVENTIONS)}", "business_days")

    @property
    def first_due_date(self) -> date:
        """The first due date: as given, or one month after the agreement date."""
        return self.first_due if self.first_due is not None else add_months(self.start, 1)

    @property
    def anchor_day(self) -> int | None:
        """The day installments fall on: ``due_day``; else, when the first due date
        defaults to a month after the agreement, the agreement's day (so 31 Jan
        gives 28 Feb then 31 Mar); else None (the first due date's own day)."""
        if self.due_day is not None:
            return self.due_day
        return self.start.day if self.first_due is None else None

    @property
    def tier_months(self) -> int:
        return sum(c for c, _ in self.tiers)
