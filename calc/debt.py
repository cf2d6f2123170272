"""Debt buckets and waivers.

A debt is six buckets of minor units in one currency.  A waiver forgives part of
a bucket, as an amount or a percentage; a percentage becomes an amount by rounding
half up to the minor unit (the one rounding point for waivers), and a waiver is
never more than its bucket.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Mapping, Sequence, TypeVar

from .errors import InvalidInput
from .money import check_currency, format_amount, is_percent, parse_amount, parse_percent, percent_of

#: The buckets of a debt, in the order every summary and export shows them.
BUCKETS = ("principal", "interest", "penalty_interest", "late_fees", "annual_fees", "other_fees")


_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Debt:
    currency: str
    principal: int = 0
    interest: int = 0
    penalty_interest: int = 0
    late_fees: int = 0
    annual_fees: int = 0
    other_fees: int = 0

    def __post_init__(self) -> None:
        check_currency(self.currency)
        for name in BUCKETS:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidInput(f"must be a non-negative number of minor units, got {value!r}", name)

    @classmethod
    def parse(cls, currency: str, amounts: Mapping[str, object]) -> "Debt":
        """Build a debt from text amounts; missing buckets are zero, unknown names are refused."""
        check_currency(currency)
        unknown = set(amounts) - set(BUCKETS)
        if unknown:
            raise InvalidInput(f"unknown bucket {sorted(unknown)[0]!r}; buckets are {', '.join(BUCKETS)}", "debt")
        return cls(currency, **{k: parse_amount(v, currency, k) for k, v in amounts.items()})

    def amounts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in BUCKETS}

    @property
    def total(self) -> int:
        return (
            self.principal + self.interest + self.penalty_interest + self.late_fees + self.annual_fees + self.other_fees
        )


@dataclass(frozen=True, slots=True)
class Waiver:
    """A waiver of one bucket: exactly one of ``amount`` (minor units) or ``fraction``."""

    bucket: str
    amount: int | None = None
    fraction: Decimal | None = None

    def __post_init__(self) -> None:
        if self.bucket not in BUCKETS:
            raise InvalidInput(f"unknown bucket {self.bucket!r}; buckets are {', '.join(BUCKETS)}", "waive")
        if (self.amount is None) == (self.fraction is None):
            raise InvalidInput("give either an amount or a percentage", "waive")

    def resolve(self, bucket_amount: int, currency: str | None = None) -> int:
        """The waived minor units against a bucket of ``bucket_amount`` (``currency`` for messages)."""
        if self.fraction is not None:
            return percent_of(bucket_amount, self.fraction)
        amount = self.amount
        assert amount is not None  # exactly one of amount and fraction (__post_init__)
        if amount > bucket_amount:
            if currency is None:
                shown, owed = f"{amount} minor units", str(bucket_amount)
            else:
                shown, owed = format_amount(amount, currency), format_amount(bucket_amount, currency)
            raise InvalidInput(
                f"a waiver of {shown} is more than the {self.bucket} bucket ({owed})",
                "waive",
            )
        return amount

    def match(self, amount: Callable[[int], _T], fraction: Callable[[Decimal], _T]) -> _T:
        """``amount(minor units)`` or ``fraction(the fraction)``, whichever the waiver was given as."""
        if self.fraction is not None:
            return fraction(self.fraction)
        assert self.amount is not None  # exactly one of amount and fraction (__post_init__)
        return amount(self.amount)

    @classmethod
    def parse(cls, bucket: str, text: str, currency: str) -> "Waiver":
        """``"50%"`` is a percentage of the bucket; anything else is an amount."""
        text = str(text).strip()
        if is_percent(text):
            return cls(bucket, fraction=parse_percent(text, "waive"))
        return cls(bucket, amount=parse_amount(text, currency, "waive"))


def waived_amounts(debt: Debt, waivers: Sequence[Waiver]) -> dict[str, int]:
    """Waived minor units per bucket (every bucket present, zero where nothing is waived)."""
    waived = dict.fromkeys(BUCKETS, 0)
    seen: set[str] = set()
    for w in waivers:
        if w.bucket in seen:
            raise InvalidInput(f"{w.bucket} is waived twice; give one waiver per bucket", "waive")
        seen.add(w.bucket)
        waived[w.bucket] = w.resolve(getattr(debt, w.bucket), debt.currency)
    return waived
