"""The batch fast path gives exactly the rows of plans.offers.generate_offers."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.affordability import HARDSHIP_REASONS
from calc.errors import InstallmentError
from plans.batch.engine import Engine
from calc.money import format_amount
from plans.batch.fast import FastOffers, plain_formatter
from plans.policy import load_policy, parse_policy, default_policy_text
from plans.portfolio_input import Account

START = date(2026, 1, 15)


def policy_variant(**terms) -> object:
    """The default policy with some [terms] keys replaced."""
    text = default_policy_text()
    for key, value in terms.items():
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"{key} ="):
                lines[i] = f"{key} = {value}"
        text = "\n".join(lines) + "\n"
    return parse_policy(text)


POLICIES = {
    "default": load_policy(None),
    "fees": policy_variant(fee_rate='"0.6%"', remainder='"last"', min_down_payment='"10%"'),
    "spread": policy_variant(remainder='"spread"', min_installment='"50.00"', business_days='"following"'),
    "rounded": policy_variant(round_to='"10.00"', min_down_payment='"300.00"', fee_rate='"0.35%"'),
}


def random_account(rng: random.Random, line: int) -> Account:
    def amount(hi: int) -> int:
        return rng.choice([0, rng.randint(0, hi), rng.randint(0, hi // 50)])

    profile = rng.random() < 0.8
    recovery = None
    if profile and rng.random() < 0.5:
        recovery = date(2026, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.7 else \
            date(rng.randint(2027, 2031), rng.randint(1, 12), 1)
        if recovery <= START:
            recovery = None
    return Account(
        line, f"R{line}-{rng.randint(0, 999)}", "CNY",
        (rng.randint(1, 30_000_000), amount(900_000), amount(400_000), amount(80_000), amount(40_000),
         amount(20_000)),
        rng.choice([None, "张三", "O'Brien \"x\""]),
        rng.choice([None, "beijing", "national", "atlantis"]),
        rng.choice([None, rng.randint(0, 3_000_000)]) if profile else None,
        rng.choice([None, rng.randint(0, 2_000_000)]) if profile else None,
        rng.choice([None, 0, rng.randint(0, 500_000)]) if profile else None,
        rng.choice([None, rng.randint(1, 4)]) if profile else None,
        rng.choice([None, rng.randint(0, 3)]) if profile else None,
        rng.choice([None, 0, rng.randint(0, 40_000_000)]) if profile else None,
        rng.choice([None, *HARDSHIP_REASONS]) if profile else None,
        recovery,
    )


def both(policy, authority: str, account: Account):
    fast = FastOffers.for_policy(policy, authority, START)
    assert fast is not None
    general = Engine(policy, authority, START, schedules=True)  # schedules force generate_offers

    def run(f):
        try:
            balance, rows, _, _ = f(account)
            return balance, rows
        except InstallmentError as exc:
            return "error", str(exc)
    expected = run(general.account_rows)
    expected = expected if expected[0] == "error" else (expected[0], expected[1])
    return run(fast.account_rows), expected


@pytest.mark.parametrize("name", sorted(POLICIES))
@pytest.mark.parametrize("authority", ["kiosk", "agent", "supervisor"])
def test_fast_rows_equal_generate_offers_on_random_accounts(name, authority):
    policy = POLICIES[name]
    rng = random.Random(f"{name}-{authority}")
    kinds = set()
    for line in range(2, 302):
        got, expected = both(policy, authority, random_account(rng, line))
        assert got == expected, (name, authority, line)
        if expected[0] != "error":
            kinds.update(r[3] for r in expected[1])
    assert {"standard", "lowest_payment", "shortest_affordable", "step"} <= kinds
    if name != "spread":  # its business-day rule moves the lump sum past the settlement window
        assert "settlement" in kinds


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.sampled_from(sorted(POLICIES)))
def test_fast_rows_equal_generate_offers_property(seed, name):
    got, expected = both(POLICIES[name], "agent", random_account(random.Random(seed), 2))
    assert got == expected


def test_errors_are_the_same():
    policy = POLICIES["default"]
    zero = Account(2, "Z", "CNY", (0, 0, 0, 0, 0, 0))
    usd = Account(3, "U", "USD", (100000, 0, 0, 0, 0, 0))
    past = Account(4, "P", "CNY", (100000, 0, 0, 0, 0, 0), recovery_date=date(2025, 1, 1))
    for account in (zero, usd, past):
        got, expected = both(policy, "agent", account)
        assert got == expected and got[0] == "error"


def test_declining_fees_and_escalations_use_generate_offers():
    declining = policy_variant(fee_rate='"0.5%"', fee_basis='"declining"')
    assert FastOffers.for_policy(declining, "agent", START) is None
    assert FastOffers.for_policy(POLICIES["default"], "agent", START, include_escalations=True) is None
    assert Engine(declining, "agent", START).fast is None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**15), st.sampled_from(["CNY", "JPY", "KWD"]))
def test_plain_formatter_is_format_amount(minor, currency):
    assert plain_formatter(currency)(minor) == format_amount(minor, currency)
