"""The demo portfolio: deterministic, believable, with the documented edge cases, and its command."""

from __future__ import annotations

import cli_process
import os
import re
from datetime import date

import pytest

from calc.affordability import budget
from calc.schedule import headline
from calc.terms import Terms
from plans.demo_data import REGIONS, documented_cases, generate
from plans.policy import default_policy
from plans.store import open_store

DOCUMENTED = {  # what the README promises for the kiosk
    "DEMO-0001": ("1234", date(1985, 3, 12)),
    "DEMO-0002": ("5678", date(1990, 7, 4)),
    "DEMO-0003": ("2468", date(1979, 11, 30)),
    "DEMO-0004": ("1357", date(1982, 1, 15)),
    "DEMO-0005": ("802X", date(1995, 5, 20)),
}


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = generate(300, 7), generate(300, 7), generate(300, 8)
    assert a == b
    assert [x.account for x in a[5:]] != [x.account for x in c[5:]]
    assert generate(40, 7) == a[:40]  # a smaller count is a prefix


@pytest.mark.parametrize("seed", [0, 1, 2025])
def test_documented_kiosk_accounts_exist_for_every_seed(seed):
    cases = {c.account.ref: c.account for c in generate(10, seed)}
    for ref, (last4, born) in DOCUMENTED.items():
        assert (cases[ref].id_last4, cases[ref].birth_date) == (last4, born)


def test_the_store_page_lists_the_documented_accounts():
    with open(os.path.join(os.path.dirname(__file__), "..", "docs", "store.md"), encoding="utf-8") as fh:
        section = fh.read()
    for ref, (last4, born) in DOCUMENTED.items():
        assert re.search(rf"{ref}.*{last4}.*{born.isoformat()}", section), ref


def test_edge_cases():
    by_ref = {c.account.ref: c for c in documented_cases()}
    zero = by_ref["DEMO-0002"].account.debt
    assert zero.interest == zero.penalty_interest == 0 and zero.principal > 0
    jpy = by_ref["DEMO-0004"]
    assert jpy.account.currency == jpy.account.debt.currency == jpy.profile.currency == "JPY"
    settle = by_ref["DEMO-0005"]
    assert settle.profile.savings >= settle.account.debt.total


def test_only_a_sixty_month_plan_fits_demo_0003_under_the_default_policy():
    case = {c.account.ref: c for c in documented_cases()}["DEMO-0003"]
    policy = default_policy()
    available = budget(case.profile, policy.affordability_params(case.profile.region)).available
    fits = [
        n
        for n in range(1, 61)
        if headline(
            case.account.debt, policy.standard_waiver_list(), Terms(start=date(2026, 12, 1), months=n)
        ).largest_installment
        <= available
    ]
    assert fits == [60]


def test_values_are_believable():
    cases = generate(500, 11)
    names = [c.account.name for c in cases[5:]]
    assert any(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n in names)
    assert any(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", n) for n in names)
    regions = {r for r, _, _ in REGIONS}
    totals = sorted(c.account.debt.total for c in cases[5:])
    assert totals[0] >= 1_000_00 and totals[-1] <= 1_000_000_00
    assert 10_000_00 <= totals[len(totals) // 2] <= 80_000_00
    for c in cases[5:]:
        a = c.account
        assert a.region in regions and 31 <= a.days_overdue <= 720
        assert a.debt.principal > 0 and a.debt.principal >= a.debt.interest
        assert a.phone.startswith("100") and len(a.phone) == 11
        assert re.fullmatch(r"\d{3}[\dX]", a.id_last4)
        if c.profile:
            assert c.profile.total_income > 0 and c.profile.essential_spending > 0
    with_profiles = sum(c.profile is not None for c in cases)
    assert 0.3 * len(cases) < with_profiles < 0.5 * len(cases)


def run(*args, db):
    env = dict(os.environ, INSTALLMENT_DB=str(db))
    return cli_process.run(args, env=env, timeout=60)


def test_demo_data_command_builds_the_same_database_and_a_rerun_changes_nothing(tmp_path):
    first = run("demo-data", "--accounts", "60", "--seed", "5", db=tmp_path / "a.db")
    assert first.returncode == 0, first.stderr
    assert "60 new" in first.stdout and "DEMO-0005  802X  1995-05-20" in first.stdout
    again = run("demo-data", "--accounts", "60", "--seed", "5", "--db", str(tmp_path / "a.db"), db=tmp_path / "x")
    assert "0 new, 0 updated, 60 unchanged), 0 new profiles, 0 new offers, 0 new agreements" in again.stdout
    assert run("demo-data", "--accounts", "60", "--seed", "5", db=tmp_path / "b.db").returncode == 0

    def content(path):
        s = open_store(path)
        out = [(a, [p.profile for p in s.profiles(a.ref)]) for a in s.list_accounts(limit=1000)]
        s.close()
        return out

    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")
    assert len(content(tmp_path / "a.db")) == 60
    s = open_store(tmp_path / "a.db", role="kiosk", actor="kiosk-1")
    assert s.identify("DEMO-0001", "1234", "1985-03-12").ok
    queue = s.supervisor_queue()
    assert [(o.account_ref, o.headline["months"]) for o in queue] == [("DEMO-0003", 60)]
    assert [(a.kind, a.active) for a in s.agreements("DEMO-0002")] == [("agreement", True)]
    assert {o.status for o in s.offers("DEMO-0001")} == {"offered"}
    assert {o.id for o in s.offers("DEMO-0001")} == {o.id for o in open_store(tmp_path / "b.db").offers("DEMO-0001")}
    assert s.verify_audit().intact
    s.close()


@pytest.mark.parametrize("flag, value", [("--accounts", "0"), ("--accounts", "many"), ("--seed", "-1")])
def test_demo_data_command_refuses_bad_flags(tmp_path, flag, value):
    done = run("demo-data", flag, value, db=tmp_path / "a.db")
    assert done.returncode == 2 and flag in done.stderr and "Traceback" not in done.stderr


def test_every_region_the_demo_data_uses_has_a_label_in_every_language():
    """Issue 14: the consoles show a region by its policy label, never its key."""
    from plans.demo_data import REGIONS, documented_cases
    from plans.text.i18n import LANGS
    from plans.policy import default_policy

    policy = default_policy()
    used = {name for name, _, _ in REGIONS} | {c.account.region for c in documented_cases()}
    for name in sorted(r for r in used if r):
        assert policy.knows_region(name), name
        labels = dict(policy.region(name).labels)
        assert set(LANGS) <= set(labels), (name, labels)


def test_a_region_the_policy_does_not_define_is_said_to_be_so():
    from installment_tui.agent.present import region_name
    from installment_tui.i18n import ui_translator
    from plans.policy import default_policy

    policy = default_policy()
    for lang in ("zh_CN", "zh_TW", "en"):
        t = ui_translator("agent", lang)
        shown = region_name(policy, "atlantis", t, lang)
        assert (
            "atlantis" in shown
            and shown != "atlantis"
            and shown == t("{region} (not in the policy)", region="atlantis")
        )
    assert region_name(policy, "shanghai", ui_translator("agent", "zh_CN"), "zh_CN") == "上海"
