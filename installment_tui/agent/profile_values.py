"""The hardship profile form's values: a saved profile as the form's text, and the form's text as a
:class:`calc.affordability.Profile` (raising InvalidInput that names the field).  The profile screen
and the unsaved-work check (which saves a typed profile on quitting) use the same two functions.
"""

from __future__ import annotations

from calc.affordability import MAX_HOUSEHOLD, SPENDING_CATEGORIES, Profile
from calc.dates import parse_date
from calc.money import format_amount, parse_amount
from calc.numerals import parse_whole

DEFAULT_SOURCES = ("salary", "other")
#: The income after recovery is one expected total (the form asks for one figure).
AFTER_SOURCE = "expected"


def saved_values(session) -> dict[str, str]:
    """The form's fields as text for the account's saved profile (defaults without one)."""
    cur = session.account.currency
    p = session.profile.profile if session.profile else None
    v = {
        "adults": str(p.adults) if p else "1",
        "children": str(p.children) if p else "0",
        "region": (p.region if p and p.region else session.account.region) or "",
        "other_debt_payments": format_amount(p.other_debt_payments, cur) if p else "",
        "savings": format_amount(p.savings, cur) if p else "",
        "hardship_reason": (p.hardship_reason or "") if p else "",
        "recovery_date": p.recovery_date.isoformat() if p and p.recovery_date else "",
        "income_after_recovery": (
            format_amount(p.total_income_after_recovery, cur) if p and p.income_after_recovery is not None else ""
        ),
    }
    for src, amount in p.income if p else ():
        v[f"income.{src}"] = format_amount(amount, cur)
    for src in DEFAULT_SOURCES:
        v.setdefault(f"income.{src}", "")
    for cat, amount in p.spending if p else ():
        v[f"spending.{cat}"] = format_amount(amount, cur)
    for cat in SPENDING_CATEGORIES:
        v.setdefault(f"spending.{cat}", "")
    return v


def profile_from_values(v: dict[str, str], currency: str) -> Profile:
    """The profile the form's text describes; raises InvalidInput (naming the field) when it does not."""

    def amount(text: str) -> int:
        return parse_amount(text.strip() or "0", currency, "amount")

    income = tuple((k.split(".", 1)[1], amount(x)) for k, x in v.items() if k.startswith("income.") and x.strip())
    spending = tuple((k.split(".", 1)[1], amount(x)) for k, x in v.items() if k.startswith("spending.") and x.strip())
    after = v.get("income_after_recovery", "").strip()
    return Profile(
        currency,
        parse_whole(v["adults"], "adults", 1, MAX_HOUSEHOLD),
        parse_whole(v["children"], "children", 0, MAX_HOUSEHOLD),
        v["region"] or None,
        income,
        spending,
        amount(v["other_debt_payments"]),
        amount(v["savings"]),
        v["hardship_reason"] or None,
        parse_date(v["recovery_date"], "recovery_date") if v["recovery_date"].strip() else None,
        ((AFTER_SOURCE, amount(after)),) if after else None,
    )
