"""Verdicts that judge the whole plan: every installment against the budget in force on its due date.

Before the profile's recovery date the budget is today's; from it, the budget with
the income expected after recovery when the profile gives one, else today's.  The
down payment is judged against the savings available now.  A plan's verdict is the
worst of these (``calc.affordability.verdict_code`` for each installment).

:func:`budgets` and :func:`plan_verdicts` do this for arrays of plans without
building schedules: the verdict of a run of installments is the verdict of its
largest installment (``Shape.range_max``).  :func:`assess_plan` judges one built
plan installment by installment and says, in findings, which installments do not
fit and by how much; its verdict is the same (tests/test_offer_verdicts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from calc.affordability import (
    VERDICTS,
    AffordabilityParams,
    Budget,
    Finding,
    affordable_cap,
    budget,
    budget_figures,
    dti_of,
    high_dti,
    ratio,
    verdict_code,
)
from calc.money import format_amount
from calc.schedule import Plan

from .accounts import Accounts
from .setting import Grid, Rules
from .shape import Shape

#: Verdict codes: 0 affordable, 1 tight, 2 unaffordable, 3 no profile (no verdict).
NO_VERDICT = 3


@dataclass(frozen=True, eq=False)
class Budgets:
    """Today's budget and the budget after recovery of every account (arrays)."""

    floor: np.ndarray
    available: np.ndarray
    cap: np.ndarray
    available_after: np.ndarray
    cap_after: np.ndarray
    region_known: np.ndarray


def budgets(rules: Rules, acc: Accounts) -> Budgets:
    table = rules.region_table
    idx = np.array([table.get(r, -1) for r in acc.region], dtype=np.int64)
    known = idx >= 0
    idx[~known] = rules.default_region
    floor = rules.reserve[idx] * (acc.adults + acc.children)
    _, _, available = budget_figures(acc.income, acc.spending, floor, acc.other, rules.contingency)
    cap = affordable_cap(acc.income, available, acc.other, rules.tight, rules.max_dti)
    if (acc.income_after >= 0).any():
        income_after = np.where(acc.income_after >= 0, acc.income_after, acc.income)
        _, _, available_after = budget_figures(income_after, acc.spending, floor, acc.other, rules.contingency)
        cap_after = affordable_cap(income_after, available_after, acc.other, rules.tight, rules.max_dti)
    else:
        available_after, cap_after = available, cap
    return Budgets(floor, available, cap, available_after, cap_after, known)


def before_recovery(grid: Grid, acc: Accounts) -> np.ndarray:
    """How many installments of a plan on ``grid`` fall due before each account's recovery date
    (more than any plan has when there is no recovery date)."""
    low = np.searchsorted(grid.due_ord, acc.recovery, side="left")
    return np.where(acc.recovery > 0, low, grid.max_months + 1)


def plan_verdicts(shape: Shape, low, available, cap, available_after, cap_after, down, savings, profile):
    """Verdict codes of plans (arrays per plan; see NO_VERDICT)."""
    m = shape.m
    upto = np.minimum(low, m)
    before, after = shape.range_maxes([(0, upto), (low, m)])
    now = np.where(upto > 0, verdict_code(before, available, cap), 0)
    later = np.where(low < m, verdict_code(after, available_after, cap_after), 0)
    worst = np.maximum(np.maximum(now, later), 2 * (down > savings))
    return np.where(profile, worst, NO_VERDICT)


# -- one plan, installment by installment -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """Installments ``first``..``last`` (1-based) that the same budget judges alike."""

    first: int
    last: int
    largest: int
    smallest: int
    after_recovery: bool
    verdict: str
    above: bool
    near: bool
    dti: bool


@dataclass(frozen=True, eq=False)
class PlanAssessment:
    """The whole-plan verdict of one offer, its findings, and the budgets it was judged against.

    ``budget`` and ``installment`` are those of the installment that decides the verdict (the
    largest among the worst judged), so a budget view beside the verdict explains it.
    """

    verdict: str
    findings: tuple[Finding, ...]
    budget_now: Budget
    #: The budget from the recovery date, when the profile gives an income after recovery.
    budget_after: Budget | None
    recovery_date: date | None
    runs: tuple[Run, ...]
    down_payment: int
    savings: int
    budget: Budget
    installment: int

    @property
    def dti(self):
        return dti_of(self.budget, self.installment)

    def budget_on(self, after_recovery: bool) -> Budget:
        return self.budget_after if after_recovery and self.budget_after is not None else self.budget_now


def case_budgets(profile, params: AffordabilityParams, extra: tuple[Finding, ...] = ()) -> tuple[Budget, Budget | None]:
    """Today's budget and (with an income after recovery) the budget after recovery, as calc Budgets."""
    now = budget(profile, params)
    now = _with(now, extra)
    after = None
    if profile.income_after_recovery is not None:
        after = _with(budget(profile, params, profile.total_income_after_recovery), extra)
    return now, after


def _with(b: Budget, extra: tuple[Finding, ...]) -> Budget:
    if not extra:
        return b
    return Budget(
        b.currency,
        b.income,
        b.essential_spending,
        b.living_floor,
        b.other_debt_payments,
        b.surplus,
        b.contingency,
        b.available,
        b.findings + extra,
        b.cap,
    )


def assess_plan(
    plan: Plan,
    now: Budget,
    after: Budget | None,
    recovery: date | None,
    savings: int,
    params: AffordabilityParams,
    notes: tuple[Finding, ...] = (),
) -> PlanAssessment:
    """Judge every installment of ``plan`` and its down payment; ``notes``: findings to add (step plans)."""
    cur = plan.currency
    tn, td = ratio(params.tight_share)
    runs: list[Run] = []
    for i, (due, amount) in enumerate(zip(plan.dues, plan.amounts), 1):
        # from the recovery date the budget with the income after recovery (when there is one: else today's)
        later = after is not None and recovery is not None and due >= recovery
        b = after if later and after is not None else now
        code = int(verdict_code(amount, b.available, b.cap))
        above = amount > b.available
        near = not above and amount * td > tn * b.available
        dti = high_dti(b, amount, params)
        key = (later, code, above, near, dti)
        last = runs[-1] if runs else None
        if (
            last is not None
            and (last.after_recovery, VERDICTS.index(last.verdict), last.above, last.near, last.dti) == key
            and last.last == i - 1
        ):
            runs[-1] = Run(
                last.first,
                i,
                max(last.largest, amount),
                min(last.smallest, amount),
                later,
                last.verdict,
                above,
                near,
                dti,
            )
        else:
            runs.append(Run(i, i, amount, amount, later, VERDICTS[code], above, near, dti))
    findings: list[Finding] = list(now.findings)
    if after is not None:
        findings += [f for f in after.findings if f.code not in {x.code for x in now.findings}]
    worst = 0
    for run in runs:
        b = after if run.after_recovery and after is not None else now
        worst = max(worst, VERDICTS.index(run.verdict))
        findings += _run_findings(run, b, recovery if run.after_recovery else None, params, cur)
    down = plan.down_payment
    if down > savings:
        worst = 2
        findings.append(
            Finding(
                "down_above_savings",
                f"The down payment of {format_amount(down, cur)} {cur} is more than the savings of "
                f"{format_amount(savings, cur)} {cur} available now.",
                {"down_payment": down, "savings": savings, "short": down - savings},
            )
        )
    findings += list(notes)
    decisive = max(runs, key=lambda r: (VERDICTS.index(r.verdict), r.largest))
    b = after if decisive.after_recovery and after is not None else now
    return PlanAssessment(
        VERDICTS[worst], tuple(findings), now, after, recovery, tuple(runs), down, savings, b, decisive.largest
    )


def _run_findings(run: Run, b: Budget, since: date | None, params: AffordabilityParams, cur: str) -> list[Finding]:
    fmt = lambda v: f"{format_amount(v, cur)} {cur}"
    which = f"Installment {run.first}" if run.first == run.last else f"Installments {run.first} to {run.last}"
    when = f" from {since.isoformat()}" if since is not None else ""
    base = {
        "first": run.first,
        "last": run.last,
        "installment": run.largest,
        "smallest": run.smallest,
        "available": b.available,
        "since": since.isoformat() if since else None,
    }
    out = []
    if run.above:
        out.append(
            Finding(
                "above_available",
                f"{which} ({fmt(run.largest)}) exceed the {fmt(b.available)} "
                f"available each month{when} by up to {fmt(run.largest - b.available)}.",
                {**base, "excess": run.largest - b.available},
            )
        )
    elif run.near:
        out.append(
            Finding(
                "near_available",
                f"{which} ({fmt(run.largest)}) use more than "
                f"{params.tight_share:.0%} of the {fmt(b.available)} available each month{when}.",
                {**base, "share": params.tight_share},
            )
        )
    if run.dti:
        dti = dti_of(b, run.largest)
        out.append(
            Finding(
                "high_dti",
                f"With {which.lower()}, debt payments would take {dti:.0%} of income"
                f"{when}, above the {params.max_dti:.0%} maximum.",
                {**base, "dti": dti, "max_dti": params.max_dti},
            )
        )
    return out


__all__ = [
    "Budgets",
    "NO_VERDICT",
    "PlanAssessment",
    "Run",
    "VERDICTS",
    "assess_plan",
    "before_recovery",
    "budgets",
    "case_budgets",
    "plan_verdicts",
]
