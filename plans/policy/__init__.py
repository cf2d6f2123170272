"""Creditor policy: what offers may contain and who may grant them.

A policy is a TOML file (``plans/policy/default_policy.toml`` ships with the package and
documents every key).  :func:`load_policy` reads one into an immutable :class:`Policy`;
:func:`check_policy` lists every problem with its TOML key (``terms.max_months``,
``authority.agent.waivers.interest``) instead of stopping at the first one.

Amounts are held as int minor units of ``Policy.currency``; percentages as ``Decimal``
fractions (``"50%"`` -> ``Decimal("0.5")``).  Authorities grant increasing limits:
``kiosk`` < ``agent`` < ``supervisor`` (:data:`AUTHORITIES`).  Each has a longest term, a
largest settlement discount and a largest waiver per debt bucket (a fraction of that bucket).

The package, by idea: :mod:`.model` (the values), :mod:`.reader` (TOML data -> values, every
problem with its key), :mod:`.load` (files and the shipped default), :mod:`.calendars`
(business-day calendars a policy names).  Callers import the names below from ``plans.policy``;
the modules inside import each other, never this package.
"""

from .load import check_policy, default_policy, default_policy_text, load_policy, parse_policy
from .model import (
    AUTHORITIES,
    AuthorityLimits,
    Creditor,
    Policy,
    PolicyError,
    Region,
    Servicing,
    authority_rank,
)

__all__ = [
    "AUTHORITIES",
    "AuthorityLimits",
    "Creditor",
    "Policy",
    "PolicyError",
    "Region",
    "Servicing",
    "authority_rank",
    "check_policy",
    "default_policy",
    "default_policy_text",
    "load_policy",
    "parse_policy",
]
