"""Public JSON documents.  Their names are a stable, public format: do not rename.

``installment.quote/1`` describes one plan: amounts are strings with exactly the
currency's digits, rates are decimal fractions with 4 places (the fee rate exactly
as given, with more places when it has them: "0.00055" for 0.055%), and
``warnings`` lists what may still change (due dates after the published holidays:
:func:`plans.policy.calendars.date_warnings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calc.affordability import Assessment
from calc.debt import BUCKETS
from calc.money import amount_formatter, exact_fraction_text, fraction_text
from calc.schedule import Plan

from .policy.calendars import date_warnings

if TYPE_CHECKING:
    from .offers.judge import PlanAssessment

QUOTE_SCHEMA = "installment.quote/1"


def budget_document(b, fmt, installment: int | None = None) -> dict:
    """Every term of a budget (the contingency included), and with ``installment`` what it leaves."""
    doc = {
        "income": fmt(b.income),
        "essential_spending": fmt(b.essential_spending),
        "living_floor": fmt(b.living_floor),
        "other_debt_payments": fmt(b.other_debt_payments),
        "surplus": fmt(b.surplus),
        "contingency": fmt(b.contingency),
        "available": fmt(b.available),
    }
    if installment is not None:
        doc["installment"] = fmt(installment)
        doc["left"] = fmt(b.left(installment))
    return doc


def affordability_document(assessment: Assessment | PlanAssessment, fmt) -> dict:
    """The verdict, its findings and the budget of the installment that decides it (for a whole-plan
    assessment also the budget after recovery, when the profile gives an income after recovery)."""
    doc = {
        **budget_document(assessment.budget, fmt, assessment.installment),
        "dti": None if assessment.dti is None else fraction_text(assessment.dti),
        "verdict": assessment.verdict,
        "findings": [{"code": f.code, "message": f.message} for f in assessment.findings],
    }
    after = getattr(assessment, "budget_after", None)  # (a whole-plan assessment's)
    recovery = getattr(assessment, "recovery_date", None)
    if after is not None and recovery is not None:
        doc["after_recovery"] = {"from": recovery.isoformat(), **budget_document(after, fmt)}
    return doc


def quote_document(plan: Plan, assessment: Assessment | PlanAssessment | None = None) -> dict:
    fmt = amount_formatter(plan.currency)
    debt = plan.debt.amounts()
    waived = plan.waived
    nominal, effective = plan.apr
    return {
        "schema": QUOTE_SCHEMA,
        "currency": plan.currency,
        "start": plan.start.isoformat(),
        "debt": {**{k: fmt(debt[k]) for k in BUCKETS}, "total": fmt(plan.debt.total)},
        "waived": {**{k: fmt(waived[k]) for k in BUCKETS}, "total": fmt(sum(waived.values()))},
        "plan_balance": fmt(plan.plan_balance),
        "down_payment": fmt(plan.down_payment),
        "financed": fmt(plan.financed),
        "months": plan.months,
        "fee_rate": exact_fraction_text(plan.terms.fee_rate),
        "fee_basis": plan.terms.fee_basis,
        "remainder": plan.terms.remainder,
        "installments": [
            {
                "n": i.n,
                "due": i.due.isoformat(),
                "amount": fmt(i.amount),
                "principal": fmt(i.principal),
                "fee": fmt(i.fee),
                "balance_after": fmt(i.balance_after),
            }
            for i in plan.installments
        ],
        "total_fees": fmt(plan.total_fees),
        "total_repayable": fmt(plan.total_repayable),
        "apr": {"nominal": str(nominal), "effective": str(effective)},
        "affordability": None if assessment is None else affordability_document(assessment, fmt),
        "warnings": date_warnings(plan.provisional_from, plan.terms.calendar),
    }
