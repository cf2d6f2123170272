"""The project's one exception hierarchy.

Every error a user can cause carries a message meant for that user and, where it
concerns one input, the name of that input (``field``).  Interfaces show the
message beside the field (TUI), on stderr (command line) or in the rejects file
(batch); none of them shows a traceback for bad input.
"""

from __future__ import annotations


class InstallmentError(Exception):
    """Root of every error the project raises on purpose."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:  # "field: message" reads well on one stderr line
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(InstallmentError, ValueError):
    """An input value is malformed or out of the allowed range."""


class UnknownCurrency(InvalidInput):
    """The currency code is not an ISO 4217 code babel knows."""


class CurrencyMismatch(InstallmentError):
    """Two amounts of different currencies were combined."""


class NoPlanFits(InstallmentError):
    """The inputs are valid but no plan satisfies the limits.

    ``months_needed`` is how many months the requested payment would need (None when
    no term at all reaches it) and ``min_payment`` the smallest payment, in minor
    units, that fits within ``max_months``.
    """

    def __init__(
        self,
        message: str,
        *,
        months_needed: int | None,
        min_payment: int,
        max_months: int,
        field: str | None = None,
    ) -> None:
        super().__init__(message, field)
        self.months_needed = months_needed
        self.min_payment = min_payment
        self.max_months = max_months
