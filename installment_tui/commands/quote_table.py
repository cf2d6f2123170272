"""Rich rendering of one plan for `installment quote --format text` on a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from calc.affordability import Assessment
from calc.debt import BUCKETS
from calc.money import amount_formatter
from calc.schedule import Plan
from plans.vocabulary import Verdict

if TYPE_CHECKING:
    from plans.offers.judge import PlanAssessment

_VERDICT_STYLE: dict[str, str] = {
    Verdict.AFFORDABLE: "bold green",
    Verdict.TIGHT: "bold yellow",
    Verdict.UNAFFORDABLE: "bold red",
}


def plan_tables(plan: Plan, assessment: Assessment | PlanAssessment | None = None) -> list:
    fmt = amount_formatter(plan.currency)
    cur = plan.currency
    nominal, effective = plan.apr

    overview = Table(
        title=f"Plan: {plan.months} months from {plan.start} ({cur})", show_header=False, box=None, pad_edge=False
    )
    overview.add_column(style="dim")
    overview.add_column(justify="right")
    debt = plan.debt.amounts()
    for b in BUCKETS:
        if debt[b] or plan.waived[b]:
            waived = f"  (waived {fmt(plan.waived[b])})" if plan.waived[b] else ""
            overview.add_row(b.replace("_", " "), fmt(debt[b]) + waived)
    overview.add_row("plan balance", fmt(plan.plan_balance))
    overview.add_row("down payment", f"{fmt(plan.down_payment)} on {plan.start}")
    overview.add_row("financed", fmt(plan.financed))
    overview.add_row("fee", f"{plan.terms.fee_rate * 100:.4g}% a month, {plan.terms.fee_basis}")

    schedule = Table(title="Schedule")
    for name in ("#", "due", "amount", "principal", "fee", "balance after"):
        schedule.add_column(name, justify="right")
    for i in plan.installments:
        schedule.add_row(str(i.n), i.due.isoformat(), fmt(i.amount), fmt(i.principal), fmt(i.fee), fmt(i.balance_after))

    totals = Table(show_header=False, box=None, pad_edge=False)
    totals.add_column(style="dim")
    totals.add_column(justify="right")
    totals.add_row("total fees", fmt(plan.total_fees))
    totals.add_row("total repayable", fmt(plan.total_repayable))
    totals.add_row("APR", f"{nominal * 100:.2f}% nominal, {effective * 100:.2f}% effective")
    tables = [overview, schedule, totals]
    if assessment is not None:
        budget = assessment.budget
        aff = Table(title="Affordability", show_header=False, box=None, pad_edge=False)
        aff.add_column(style="dim")
        aff.add_column(justify="right")
        aff.add_row("income", fmt(budget.income))
        aff.add_row("essential spending", fmt(budget.essential_spending))
        aff.add_row("living floor", fmt(budget.living_floor))
        aff.add_row("other debt payments", fmt(budget.other_debt_payments))
        aff.add_row("contingency", fmt(budget.contingency))
        aff.add_row("available", fmt(budget.available))
        aff.add_row("largest installment", fmt(assessment.installment))
        left = budget.left(assessment.installment)
        aff.add_row("left" if left >= 0 else "short by", fmt(abs(left)))
        aff.add_row("debt-to-income", "n/a" if assessment.dti is None else f"{assessment.dti:.2%}")
        aff.add_row("verdict", f"[{_VERDICT_STYLE[assessment.verdict]}]{assessment.verdict}[/]")
        for f in assessment.findings:
            aff.add_row("finding", f.message)
        tables.append(aff)
    return tables


def print_plan(
    plan: Plan, assessment: Assessment | PlanAssessment | None = None, console: Console | None = None
) -> None:
    from ._render import console as make_console, plans_warnings, print_warnings

    console = console or make_console()
    for t in plan_tables(plan, assessment):
        console.print(t)
    print_warnings(console, plans_warnings([plan]))
