"""What a saved offer's installments were, read from its record.

A saved offer keeps every input (``inputs``) and the figures shown (``headline``: months
and the first, regular, last and largest installment).  Those four figures do not say
how many installments carry which amount: a step plan of 5 low and 9 high installments
has the same four figures whatever its runs.  The runs are known exactly when the offer
can be made again (:func:`plans.offers.rebuild`, under the policy version it was saved
under); failing that, a plan whose four figures agree is level (every installment
carries that amount); for any other, only the number of installments and the largest
are known, and :func:`saved_amounts` says so by returning None.
"""

from __future__ import annotations

from typing import Mapping

from calc.errors import InstallmentError
from calc.money import parse_amount

from ..policy import Policy

#: The headline figures that agree in a level plan.
_FIGURES = ("first_installment", "regular_installment", "last_installment", "installment")


def saved_amounts(inputs: Mapping, headline: Mapping, policy: Policy, currency: str) -> tuple[int, ...] | None:
    """The saved offer's installment amounts (minor units), in due order, or None when its record
    does not say them (see the module's docstring)."""
    from . import rebuild

    try:
        return tuple(rebuild(dict(inputs), policy).plan.amounts)
    except (InstallmentError, KeyError, TypeError, ValueError, AttributeError):
        pass
    try:
        months = int(headline["months"])
        amounts = {parse_amount(str(headline[k]), currency, k) for k in _FIGURES}
    except (InstallmentError, KeyError, TypeError, ValueError):
        return None
    if len(amounts) == 1 and months > 0:
        return (amounts.pop(),) * months
    return None


__all__ = ["saved_amounts"]
