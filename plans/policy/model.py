"""Creditor policy, the values: what offers may contain and who may grant them.

:class:`Policy` is what a policy file says once read (:mod:`plans.policy.load` reads one,
:mod:`plans.policy.reader` checks every key of it), immutable.

Amounts are held as int minor units of ``Policy.currency``; percentages as
``Decimal`` fractions (``"50%"`` -> ``Decimal("0.5")``).

Authorities grant increasing limits: ``kiosk`` < ``agent`` < ``supervisor``
(:data:`AUTHORITIES`).  Each has a longest term, a largest settlement discount and
a largest waiver per debt bucket (a fraction of that bucket).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Sequence

from calc.affordability import AffordabilityParams
from calc.dates import Calendar, add_months
from calc.debt import BUCKETS, Waiver
from calc.errors import InvalidInput, InvalidInputs, Problem
from calc.money import percent_of

from ..conduct.settings import Conduct
from ..vocabulary import AUTHORITIES, FeeBasis, Remainder
from .calendars import calendar


__all__ = [
    "AUTHORITIES",
    "AuthorityLimits",
    "Creditor",
    "Policy",
    "PolicyError",
    "Region",
    "Servicing",
    "authority_rank",
]


class PolicyError(InvalidInputs):
    """A policy file with problems; ``problems`` lists every one, named by its dotted TOML key."""

    def __init__(self, problems: Sequence[Problem], source: str = "policy") -> None:
        first = problems[0]
        extra = len(problems) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
        super().__init__(problems, f"{source}: {first.field}: {first.message}{more}", "policy")

    def __str__(self) -> str:
        return "policy: " + super().__str__()


def authority_rank(authority: str) -> int:
    """0 for kiosk, 1 for agent, 2 for supervisor; raises for an unknown name."""
    try:
        return AUTHORITIES.index(authority)
    except ValueError:
        raise InvalidInput(f"unknown authority {authority!r}; use {', '.join(AUTHORITIES)}", "authority") from None


@dataclass(frozen=True, slots=True)
class Creditor:
    name: str
    contact: tuple[str, ...]
    complaints: tuple[str, ...]
    #: How a debtor answers an offer letter (accept one, ask for another); empty: the contact lines.
    reply: tuple[str, ...] = ()

    @property
    def reply_channels(self) -> tuple[str, ...]:
        return self.reply or self.contact


@dataclass(frozen=True, slots=True)
class AuthorityLimits:
    """What one authority may grant."""

    name: str
    max_months: int
    settlement_discount: Decimal
    #: Largest waivable fraction of each bucket, for every bucket in BUCKETS order.
    waivers: tuple[tuple[str, Decimal], ...]

    def waiver_limit(self, bucket: str) -> Decimal:
        for name, limit in self.waivers:
            if name == bucket:
                return limit
        raise InvalidInput(f"unknown bucket {bucket!r}; buckets are {', '.join(BUCKETS)}", "waive")


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    reserve_per_person: int
    food_per_person: int | None = None
    #: The region's IANA time zone for contact hours (None: ``[conduct] time_zone``).
    time_zone: str | None = None
    #: The region's name to show, by language (``label = { zh_CN = "北京", ... }``); (lang, text) pairs.
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, lang: str) -> str:
        """The region's name in ``lang`` (else in English, else its key)."""
        table = dict(self.labels)
        return table.get(lang) or table.get("en") or self.name


@dataclass(frozen=True, slots=True)
class Servicing:
    """After the agreement (``[servicing]``): when an installment counts as missed, when the
    agreement breaks and what breaking it costs, reminders, re-plans and how to pay.

    The defaults are the shipped policy's, so a policy written before ``[servicing]``
    existed is serviced (and its summaries worded) the same way.
    """

    #: Days after a due date before an installment not paid in full counts as missed.
    grace_days: int = 5
    #: Missed installments (at the same time) that break the agreement.
    break_after_missed: int = 3
    #: Waived buckets charged again when the agreement breaks (in ``calc.debt.BUCKETS`` order).
    restore_on_break: tuple[str, ...] = ("interest", "penalty_interest", "late_fees")
    #: Days before a due date on which a reminder is sent (0: on the due date).
    reminder_days_before: int = 3
    #: Re-plans after a breach an agent may grant in one chain of agreements; more need a supervisor.
    replans_allowed: int = 1
    #: Where and how to pay, one line each, as summaries print them.
    payment_methods: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Policy:
    """An immutable creditor policy.  Build with :func:`load_policy` or :func:`parse_policy`."""

    version: str
    currency: str
    creditor: Creditor
    min_months: int
    max_months: int
    min_installment: int
    #: Minimum down payment: an amount (minor units) or a fraction of the plan balance; one is None.
    min_down_amount: int | None
    min_down_fraction: Decimal | None
    fee_rate: Decimal
    fee_basis: FeeBasis
    remainder: Remainder
    round_to: int
    business_days: str
    calendar_name: str
    first_due_min_days: int
    first_due_max_days: int
    standard_months: int
    standard_waivers: tuple[tuple[str, Decimal], ...]
    step_min_months_after: int
    settlement_pay_within_days: int
    authorities: tuple[AuthorityLimits, ...]
    contingency_share: Decimal
    tight_share: Decimal
    max_dti: Decimal
    food_alert_ratio: Decimal
    default_region: str
    regions: tuple[Region, ...]
    #: ``[servicing]``: missed installments, breach, reminders, re-plans and how to pay.
    servicing: Servicing = Servicing()
    #: ``[conduct]``: contact hours and limits, account flags, complaint days, extra message rules.
    conduct: Conduct = Conduct()
    #: The TOML text the policy was read from (for `policy show` and audit records).
    source_text: str = ""

    # -- authorities ------------------------------------------------------------
    def authority(self, name: str) -> AuthorityLimits:
        return self.authorities[authority_rank(name)]

    @property
    def creditor_name(self) -> str:
        return self.creditor.name

    @property
    def contact(self) -> tuple[str, ...]:
        return self.creditor.contact

    @property
    def complaint_channels(self) -> tuple[str, ...]:
        return self.creditor.complaints

    def max_waivers(self, authority: str) -> tuple[Waiver, ...]:
        """The largest waiver of every bucket ``authority`` may grant (buckets with 0% left out)."""
        return tuple(Waiver(b, fraction=f) for b, f in self.authority(authority).waivers if f > 0)

    def standard_waiver_list(self) -> tuple[Waiver, ...]:
        """The standard waivers as calc waivers (buckets with 0% left out)."""
        return self._standard_list

    @cached_property
    def _standard_list(self) -> tuple[Waiver, ...]:
        return tuple(Waiver(b, fraction=f) for b, f in self.standard_waivers if f > 0)

    # -- affordability ----------------------------------------------------------
    def region(self, name: str | None) -> Region:
        """The region called ``name``, or the default region when ``name`` is None or unknown."""
        table = self._regions
        return table.get(name or self.default_region) or table[self.default_region]

    def reserve_per_person(self, region: str | None = None) -> int:
        """The living floor per person and month of ``region`` (the default region if unknown)."""
        return self.region(region).reserve_per_person

    def time_zone(self, region: str | None) -> str:
        """The IANA time zone of a debtor in ``region``: the region's, else ``[conduct] time_zone``."""
        return self.region(region).time_zone or self.conduct.time_zone

    def region_label(self, name: str | None, lang: str) -> str:
        """How to show the region called ``name`` in ``lang``: its label when the policy has the region,
        else the name as stored (a region the policy does not know has no label); "" for none."""
        if not name:
            return ""
        region = self._regions.get(name)
        return region.label(lang) if region is not None else name

    def knows_region(self, name: str | None) -> bool:
        return name is not None and name in self._regions

    def affordability_params(self, region: str | None = None) -> AffordabilityParams:
        """`calc.affordability.AffordabilityParams` for ``region`` (the default region if unknown)."""
        return _params(self, self.region(region).name)

    @cached_property
    def _regions(self) -> dict[str, Region]:
        return {r.name: r for r in self.regions}

    # -- dates ------------------------------------------------------------------
    @property
    def calendar(self) -> Calendar:
        return calendar(self.calendar_name)

    def first_due(self, start: date) -> date | None:
        """The first due date offers use: None (one month after ``start``, the terms' default)
        when that lies within the first-due window, else the last day of the window."""
        month_later = add_months(start, 1)
        days = (month_later - start).days
        if self.first_due_min_days <= days <= self.first_due_max_days:
            return None
        return start + timedelta(days=self.first_due_max_days)

    def first_due_window(self, start: date) -> tuple[date, date]:
        return start + timedelta(days=self.first_due_min_days), start + timedelta(days=self.first_due_max_days)

    def settlement_due(self, start: date) -> date:
        return start + timedelta(days=self.settlement_pay_within_days)

    # -- down payment -----------------------------------------------------------
    def min_down_payment(self, plan_balance: int) -> int:
        """The least down payment for ``plan_balance`` (minor units)."""
        if self.min_down_fraction is not None:
            return percent_of(plan_balance, self.min_down_fraction)
        return self.min_down_amount or 0

    def check_currency(self, currency: str, field: str = "currency") -> None:
        if currency != self.currency:
            raise InvalidInput(
                f"the case is in {currency} but the policy {self.version!r} is for {self.currency}; "
                f"use a policy written for {currency}",
                field,
            )


@lru_cache(maxsize=256)
def _params(policy: Policy, region: str) -> AffordabilityParams:
    r = policy.region(region)
    return AffordabilityParams(
        reserve_per_person=r.reserve_per_person,
        contingency_share=policy.contingency_share,
        tight_share=policy.tight_share,
        max_dti=policy.max_dti,
        food_per_person=r.food_per_person,
        food_alert_ratio=policy.food_alert_ratio,
    )
