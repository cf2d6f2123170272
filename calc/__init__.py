"""Calculation core: money, debt, terms, schedule, dates, APR and affordability.

Pure functions and immutable values over integer minor units.  Imports only the
standard library, python-dateutil and babel (for ISO 4217 data): never Textual,
Rich, a database or the file system.
"""

from .debt import BUCKETS, Debt, Waiver, waived_amounts
from .errors import CurrencyMismatch, InstallmentError, InvalidInput, NoPlanFits, UnknownCurrency
from .money import format_amount, parse_amount, parse_percent
from .schedule import Headline, Installment, Plan, build_plan, headline
from .terms import ABSOLUTE_MAX_MONTHS, Terms

__all__ = [
    "ABSOLUTE_MAX_MONTHS",
    "BUCKETS",
    "CurrencyMismatch",
    "Debt",
    "Headline",
    "Installment",
    "InstallmentError",
    "InvalidInput",
    "NoPlanFits",
    "Plan",
    "Terms",
    "UnknownCurrency",
    "Waiver",
    "build_plan",
    "format_amount",
    "headline",
    "parse_amount",
    "parse_percent",
    "waived_amounts",
]
