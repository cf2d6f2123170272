"""Policies, portfolio rows and portfolios shared by the batch tests."""

from __future__ import annotations

import json
import random
from datetime import date

from calc.affordability import HARDSHIP_REASONS
from plans.policy import default_policy_text, load_policy, parse_policy
from plans.portfolio.reader import PortfolioRow

START = date(2026, 1, 15)
HEADER = (
    "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,"
    "name,region,monthly_income,essential_spending,other_debt_payments,household,savings,"
    "hardship_reason,recovery_date,income_after_recovery"
)


def policy_variant(**keys) -> object:
    """The default policy with some keys (``name = value`` lines, first match) replaced."""
    text = default_policy_text()
    for key, value in keys.items():
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"{key} ="):
                lines[i] = f"{key} = {value}"
                break
        text = "\n".join(lines) + "\n"
    return parse_policy(text)


POLICIES = {
    "default": load_policy(None),
    "fees": policy_variant(fee_rate='"0.6%"', remainder='"last"', min_down_payment='"10%"'),
    "spread": policy_variant(remainder='"spread"', min_installment='"50.00"', business_days='"following"'),
    "rounded": policy_variant(round_to='"10.00"', min_down_payment='"300.00"', fee_rate='"0.35%"'),
    "declining": policy_variant(fee_rate='"0.5%"', fee_basis='"declining"', max_dti='"33.337%"'),
}


def random_account(rng: random.Random, line: int, start: date = START) -> PortfolioRow:
    def amount(hi: int) -> int:
        return rng.choice([0, rng.randint(0, hi), rng.randint(0, hi // 50)])

    profile = rng.random() < 0.8
    recovery = after = None
    if profile and rng.random() < 0.5:
        recovery = (
            date(2026, rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.7
            else date(rng.randint(2027, 2031), rng.randint(1, 12), 1)
        )
        if rng.random() < 0.1:
            recovery = date(2025, rng.randint(1, 12), 1)  # already past: accepted, no step offer
        if rng.random() < 0.6:
            after = rng.randint(0, 4_000_000)
    account = PortfolioRow(
        line,
        f"R{line}-{rng.randint(0, 999)}",
        "CNY",
        (rng.randint(1, 30_000_000), amount(900_000), amount(400_000), amount(80_000), amount(40_000), amount(20_000)),
        rng.choice([None, "张三", 'O\'Brien "x"']),
        rng.choice([None, "beijing", "national", "atlantis"]),
        rng.choice([None, rng.randint(0, 3_000_000)]) if profile else None,
        rng.choice([None, rng.randint(0, 2_000_000)]) if profile else None,
        rng.choice([None, 0, rng.randint(0, 500_000)]) if profile else None,
        rng.choice([None, rng.randint(1, 4)]) if profile else None,
        rng.choice([None, rng.randint(0, 3)]) if profile else None,
        rng.choice([None, 0, rng.randint(0, 40_000_000)]) if profile else None,
        rng.choice([None, *HARDSHIP_REASONS]) if profile else None,
        recovery,
        after,
    )
    if account.adults is None:  # a household is read as adults (and children) or not at all
        account = account._replace(children=None)
    return account


def money(minor: int, exp: int = 2) -> str:
    if not exp:
        return str(minor)
    q, r = divmod(minor, 10**exp)
    return f"{q}.{r:0{exp}d}"


def csv_row(a: PortfolioRow) -> str:
    household = "" if a.adults is None else (f"{a.adults}+{a.children}" if a.children else str(a.adults))
    opt = lambda v: "" if v is None else money(v)
    name = a.name or ""
    if any(c in name for c in ',"\r\n'):
        name = '"' + name.replace('"', '""') + '"'
    return ",".join(
        [
            a.account_ref,
            a.currency,
            *(money(b) for b in a.buckets),
            name,
            a.region or "",
            opt(a.monthly_income),
            opt(a.essential_spending),
            opt(a.other_debt_payments),
            household,
            opt(a.savings),
            a.hardship_reason or "",
            a.recovery_date.isoformat() if a.recovery_date else "",
            opt(a.income_after_recovery),
        ]
    )


def json_row(a: PortfolioRow) -> str:
    d = {"account_ref": a.account_ref, "currency": a.currency}
    d.update(
        {
            k: money(v)
            for k, v in zip(
                ("principal", "interest", "penalty_interest", "late_fees", "annual_fees", "other_fees"), a.buckets
            )
        }
    )
    for key, value in (("name", a.name), ("region", a.region), ("hardship_reason", a.hardship_reason)):
        if value is not None:
            d[key] = value
    for key in ("monthly_income", "essential_spending", "other_debt_payments", "savings", "income_after_recovery"):
        if getattr(a, key) is not None:
            d[key] = money(getattr(a, key))
    if a.adults is not None:
        d["household"] = f"{a.adults}+{a.children}" if a.children else str(a.adults)
    if a.recovery_date is not None:
        d["recovery_date"] = a.recovery_date.isoformat()
    return json.dumps(d, ensure_ascii=False)
