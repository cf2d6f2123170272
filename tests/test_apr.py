"""The APR solver against an independent one, including extreme plans.

The reference solves the same equation, ``financed = sum(a_k (1 + r) ** -(t1 + k))``,
by plain bisection in 50-digit Decimal arithmetic (``exp``/``ln`` for the first
term, one month's discount factor multiplied in for each next), with none of
the solver's brackets, Newton steps or float shortcuts; it widens its bracket by
factors of ten, so it too finds any rate.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, localcontext

import pytest
from hypothesis import example, given, settings, strategies as st

from calc.apr import annualize, monthly_irr, monthly_irr_uniform
from calc.debt import Debt
from calc.schedule import build_plan, headline
from calc.terms import Terms


def reference_monthly(financed: int, amounts: list[int], t1: float) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        f = Decimal(financed)
        t1d = Decimal(repr(t1))

        def pv(r: Decimal) -> Decimal:
            # (1 + r) ** -(t1 + k): the first term's factor by exp/ln, each next one a month's discount more
            month = 1 / (1 + r)
            factor, total = (-t1d * (1 + r).ln()).exp(), Decimal(0)
            for a in amounts:
                total += a * factor
                factor *= month
            return total

        if sum(amounts) <= financed:
            return Decimal(0)
        lo, hi = Decimal(0), Decimal(1)
        while pv(hi) > f:
            lo, hi = hi, hi * 10
        for _ in range(170):  # 2**-170 of the bracket: far below the 4 places reported
            mid = (lo + hi) / 2
            if pv(mid) > f:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2


def annual(monthly: Decimal) -> tuple[Decimal, Decimal]:
    with localcontext() as ctx:
        ctx.prec = 50
        return monthly * 12, (1 + monthly) ** 12 - 1


def assert_close(got: tuple[Decimal, Decimal], want: tuple[Decimal, Decimal]) -> None:
    nominal, effective = got
    assert abs(nominal - want[0]) <= Decimal("0.0001"), (got, want)
    # the effective rate of an extreme plan runs to millions: compare it relatively
    assert abs(effective - want[1]) <= Decimal("0.0001") + abs(want[1]) * Decimal("1e-7"), (got, want)


def test_the_issue_example_one_installment_the_next_day_with_a_five_percent_fee():
    start = date(2025, 1, 1)
    for basis in ("declining", "flat"):
        terms = Terms(
            start=start, months=1, first_due=start + timedelta(days=1), fee_rate=Decimal("0.05"), fee_basis=basis
        )
        plan = build_plan(Debt("CNY", principal=10_000), [], terms)
        assert plan.apr[0] == Decimal("42.4565"), basis
        assert headline(Debt("CNY", principal=10_000), [], terms).apr_nominal == Decimal("42.4565")
        assert_close(plan.apr, annual(reference_monthly(10_000, plan.amounts, 1 / 31)))


def test_the_sanity_example_of_the_design():
    terms = Terms(start=date(2025, 1, 15), months=12, fee_rate=Decimal("0.006"))
    plan = build_plan(Debt("CNY", principal=1_000_000), [], terms)
    assert plan.apr[0] == Decimal("0.1303")  # about 13.0% nominal, as the design says


@settings(max_examples=150, deadline=None)
@given(
    financed=st.integers(100, 10**10),
    n=st.integers(1, 60),
    fee=st.sampled_from([1, 5, 10, 60, 100, 250, 500]),  # per 10,000 a month: 0.01% to 5%
    declining=st.booleans(),
    t1=st.one_of(st.sampled_from([1 / 31, 1 / 28, 2 / 31, 0.5, 1.0, 45 / 31]), st.floats(1 / 31, 1.5)),
)
def test_general_solver_matches_the_reference(financed, n, fee, declining, t1):
    principal = [financed // n] * n
    principal[0] += financed - sum(principal)
    amounts, left = [], financed
    for p in principal:
        base = left if declining else financed
        amounts.append(p + (base * fee + 5000) // 10000)
        left -= p
    got = annualize(monthly_irr(financed, amounts, t1))
    assert_close(got, annual(reference_monthly(financed, amounts, t1)))


@settings(max_examples=100, deadline=None)
@given(
    financed=st.integers(100, 10**9),
    n=st.integers(1, 60),
    fee=st.sampled_from([1, 60, 500]),
    extra_at=st.sampled_from(["first", "last", "spread"]),
    t1=st.floats(1 / 31, 1.5),
)
# repaid two days later at a 5% fee: the effective rate magnifies the rate's last digits 64,000 times
@example(financed=100, n=1, fee=500, extra_at="first", t1=0.0625)
def test_level_solver_matches_the_reference(financed, n, fee, extra_at, t1):
    base, extra = divmod(financed, n)
    level = base + (financed * fee + 5000) // 10000
    amounts = [level] * n
    if extra_at == "first":
        amounts[0] += extra
    elif extra_at == "last":
        amounts[-1] += extra
    else:
        for k in range(extra):
            amounts[k] += 1
    got = annualize(monthly_irr_uniform(financed, n, level, extra, extra_at, t1))
    assert_close(got, annual(reference_monthly(financed, amounts, t1)))


@pytest.mark.parametrize("amounts,t1", [([1], 1.0), ([100], 1.0), ([99], 0.5)])
def test_no_cost_is_zero(amounts, t1):
    assert annualize(monthly_irr(100, amounts, t1)) == (Decimal("0.0000"), Decimal("0.0000"))
