"""The offer engine's arithmetic agrees with calc exactly: figures, APR, budgets, verdicts, ids."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.affordability import Profile, affordable_cap, assess, budget, verdict_code
from calc.debt import Debt
from calc.errors import InvalidInput
from calc.schedule import build_plan, headline
from calc.terms import Terms
from plans.batch.accounts import accounts_of, to_case
from plans.policy.calendars import calendar
from plans.case import parse_case
from plans.offers import generate_offers
from plans.offers.accounts import Accounts, concat, take
from plans.offers.engine import _aprs, offer_table
from plans.offers.ids import case_keys
from plans.offers.judge import budgets
from plans.offers.setting import grid_of, rules_of
from plans.offers.shape import Shape
from plans.policy import default_policy

from batch_helpers import POLICIES, START, random_account

POLICY = default_policy()


@st.composite
def terms_and_financed(draw):
    start = draw(st.dates(date(2024, 1, 1), date(2031, 12, 31)))
    months = draw(st.integers(1, 60))
    tiers = ()
    if months > 1 and draw(st.booleans()):
        count = draw(st.integers(1, min(3, months - 1)))
        tiers = tuple((draw(st.integers(1, 4)), draw(st.integers(1, 500_000))) for _ in range(count))
        if sum(c for c, _ in tiers) >= months:
            tiers = ()
    remainder = draw(st.sampled_from(["first", "last", "spread"]))
    round_to = 1 if remainder == "spread" else draw(st.sampled_from([1, 1, 100, 1000, 1234]))
    fee = draw(st.sampled_from(["0", "0", "0.003", "0.006", "0.0125", "0.00337", "0.05"]))
    first_due = draw(st.one_of(st.none(), st.integers(1, 60).map(lambda d: start + timedelta(days=d))))
    terms = Terms(
        start=start,
        months=months,
        first_due=first_due,
        due_day=draw(st.one_of(st.none(), st.integers(1, 31))),
        fee_rate=Decimal(fee),
        fee_basis=draw(st.sampled_from(["flat", "declining"])),
        remainder=remainder,
        round_to=round_to,
        tiers=tiers,
        business_days=draw(st.sampled_from(["none", "following", "preceding", "modified_following"])),
        calendar=calendar(draw(st.sampled_from(["weekends", "cn"]))),
    )
    financed = draw(st.integers(1, 50_000_000))
    return terms, financed


def engine_figures(terms: Terms, financed: int):
    grid = grid_of(terms)
    shape = Shape(
        grid, np.array([terms.months]), np.array([financed]), [(np.array([c]), np.array([a])) for c, a in terms.tiers]
    )
    fig = shape.headline(grid.max_months)
    months = np.array([terms.months])
    nominal, effective = _aprs(
        shape,
        financed + fig.total_fees,
        months,
        grid.max_months,
        lambda i: headline(Debt("CNY", principal=financed), (), terms),
    )
    return shape, fig, nominal[0], effective[0]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms_and_financed())
def test_engine_figures_equal_calc_schedule(tf):
    terms, financed = tf
    try:
        plan = build_plan(Debt("CNY", principal=financed), (), terms)
    except InvalidInput:
        shape, *_ = engine_figures(terms, financed)
        assert not shape.valid[0]  # the engine refuses what calc refuses
        return
    h = headline(Debt("CNY", principal=financed), (), terms)
    shape, fig, nominal, effective = engine_figures(terms, financed)
    assert shape.valid[0]
    assert (fig.first[0], fig.regular[0], fig.last[0], fig.largest[0], fig.total_fees[0]) == (
        h.first_installment,
        h.regular_installment,
        h.last_installment,
        h.largest_installment,
        h.total_fees,
    )
    assert fig.smallest[0] == min(plan.amounts)
    assert tuple(shape.amounts(terms.months)[0]) == plan.amounts
    assert (nominal, effective) == (int(h.apr_nominal.scaleb(4)), int(h.apr_effective.scaleb(4)))
    assert (shape.grid.dues[0], shape.grid.dues[terms.months - 1]) == (h.first_due, h.last_due)
    # the largest installment of any run of installments, as the verdicts need it
    rng = random.Random(financed)
    for _ in range(5):
        lo = rng.randint(0, terms.months - 1)
        hi = rng.randint(lo + 1, terms.months)
        assert shape.range_max(np.array([lo]), np.array([hi]))[0] == max(plan.amounts[lo:hi])


@st.composite
def profiles(draw):
    money = lambda hi: draw(st.integers(0, hi))
    return Profile(
        "CNY",
        adults=draw(st.integers(1, 4)),
        children=draw(st.integers(0, 3)),
        region=draw(st.sampled_from([None, "beijing", "national", "atlantis"])),
        income=(("salary", money(3_000_000)),),
        spending=(("food", money(800_000)),),
        other_debt_payments=money(500_000),
        savings=money(10_000_000),
    )


@settings(max_examples=300, deadline=None)
@given(profiles(), st.sampled_from(sorted(POLICIES)), st.integers(0, 4_000_000))
def test_budgets_and_verdicts_equal_calc_affordability(profile, name, installment):
    policy = POLICIES[name]
    case = parse_case({"debt": {"principal": "1000.00"}, "start": "2026-01-15"})
    from dataclasses import replace

    case = replace(case, profile=profile)
    acc = Accounts.of_cases([case])
    got = budgets(rules_of(policy, "agent"), acc)
    params = policy.affordability_params(profile.region)
    b = budget(profile, params)
    assert (got.available[0], got.cap[0]) == (b.available, b.cap)
    a = assess(b, installment, params)
    assert ("affordable", "tight", "unaffordable")[verdict_code(installment, got.available[0], got.cap[0])] == a.verdict
    if b.cap >= 1:  # the cap is exactly the largest affordable installment
        assert assess(b, b.cap, params).verdict == "affordable"
        assert assess(b, b.cap + 1, params).verdict != "affordable"


def test_the_rule_is_the_same_for_ints_and_arrays():
    incomes = np.array([0, 500_000, 950_000, 3_000_000])
    avail = np.array([0, 10_000, 162_000, 900_000])
    caps = affordable_cap(incomes, avail, 120_000, (4, 5), (33337, 100000))
    for i in range(4):
        assert caps[i] == affordable_cap(int(incomes[i]), int(avail[i]), 120_000, (4, 5), (33337, 100000))
        for m in (1, 9_999, 10_000, 129_600, 129_601, 162_001):
            assert verdict_code(np.array([m]), avail[i : i + 1], caps[i : i + 1])[0] == verdict_code(
                m, int(avail[i]), int(caps[i])
            )


def test_huge_amounts_are_computed_with_python_integers():
    # a fine percentage and amounts near the largest accepted: int64 products would overflow
    from batch_helpers import policy_variant

    policy = policy_variant(max_dti='"33.33337%"', contingency_share='"10.0001%"')
    case = parse_case(
        {
            "start": "2026-01-15",
            "debt": {"principal": "999999999999.99", "interest": "5.55"},
            "profile": {"income": {"salary": "999999999.99"}, "savings": "0"},
        }
    )
    offers = generate_offers(case, policy, "supervisor", include_escalations=True)
    assert offers
    for o in offers:
        h = headline(case.debt, o.waivers, o.terms)
        assert o.headline == h
        assert o.verdict == o.assessment.verdict


def test_accounts_from_portfolio_rows_are_the_cases_to_case_makes():
    rng = random.Random(3)
    rows = [random_account(rng, n) for n in range(2, 200)]
    batch = accounts_of(rows, "CNY", START)
    cases = Accounts.of_cases([to_case(a, START) for a in rows])
    assert case_keys(batch) == case_keys(cases)
    # taking and joining accounts keeps every column (and so every id) in step
    idx = np.array([5, 0, 17, 3])
    assert case_keys(take(batch, idx)) == [case_keys(cases)[i] for i in idx]
    assert case_keys(concat([take(batch, idx[:2]), take(cases, idx[2:])])) == case_keys(take(cases, idx))


def test_offer_ids_depend_on_every_input_and_are_shared_by_one_case():
    rng = random.Random(9)
    rows = [random_account(rng, n) for n in range(2, 40)]
    t = offer_table(rules_of(POLICY, "agent"), accounts_of(rows, "CNY", START))
    assert len(set(t.ids)) == len(t)
    by_account: dict = {}
    for a, oid in zip(t.acc.tolist(), t.ids):
        by_account.setdefault(a, set()).add(oid[:23])  # "of-" and the 20 digits of the case
    assert all(len(v) == 1 for v in by_account.values()) and len(set().union(*by_account.values())) == len(by_account)
    base = rows[0]
    first = generate_offers(to_case(base, START), POLICY)[0].id
    for change in (
        {"name": "x"},
        {"region": "shanghai"},
        {"savings": 1},
        {"buckets": (base.buckets[0] + 1,) + base.buckets[1:]},
    ):
        other = generate_offers(to_case(base._replace(**change), START), POLICY)
        assert first not in {o.id for o in other}


def test_ids_of_a_portfolio_equal_the_ids_of_each_case_alone():
    # a chunk groups and packs its documents with arrays, one case row by row: the same ids
    rng = random.Random(21)
    rows = [random_account(rng, n) for n in range(2, 60)]
    rules = rules_of(POLICY, "agent")
    together = offer_table(rules, accounts_of(rows, "CNY", START), True)
    alone = [offer_table(rules, Accounts.of_cases([to_case(a, START)]), True).ids for a in rows]
    assert len(together) > 40
    assert together.ids == [oid for ids in alone for oid in ids]
    assert case_keys(accounts_of(rows, "CNY", START)) == [case_keys(accounts_of([a], "CNY", START))[0] for a in rows]
