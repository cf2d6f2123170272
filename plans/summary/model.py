"""The summary model: everything a printed summary states, in no particular language.

A :class:`Summary` is built from a computed ``calc.schedule.Plan`` plus who the
creditor is (:class:`Creditor`, normally from the policy), whose account it is
(:class:`SummaryAccount`) and, for an offer, its kind, authority, affordability and
policy checks.  Renderers never look at the plan again: they localize the
summary through :mod:`plans.summary.document` and lay it out.

Personal data is masked here, once, so no renderer can print it whole: the
account reference keeps its last four characters, the holder's name its first
character (and each English word's initial).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from calc.affordability import Assessment, Budget
from calc.debt import BUCKETS
from calc.errors import InvalidInput
from calc.schedule import Installment, Plan, runs_of
from plans.text.sanitize import REPLACEMENT, clean
from plans.vocabulary import OfferKind, PlanKind

KINDS_LUMP_SUM = (OfferKind.SETTLEMENT,)


@dataclass(frozen=True, slots=True)
class Creditor:
    """Who offers the plan and how to reach them (from the policy's ``[creditor]``).

    ``missed_payment`` is the policy's own paragraph on missed installments
    (printed as given); ``None`` prints the paragraph built from ``servicing``.
    ``full_summary`` tells an SMS reader how to get the full summary.
    ``servicing`` is the policy's ``[servicing]`` (``plans.policy.Servicing``: grace
    days, breach, how to pay); ``None`` words the defaults.
    """

    name: str
    contact: tuple[str, ...] = ()
    complaints: tuple[str, ...] = ()
    missed_payment: str | None = None
    full_summary: str | None = None
    policy_version: str | None = None
    servicing: Any = None

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise InvalidInput("the creditor's name is empty", "creditor")

    @classmethod
    def from_policy(cls, policy: Any) -> "Creditor":
        """The creditor of a ``plans.policy.Policy`` (or anything shaped like one)."""
        cred = getattr(policy, "creditor", None)
        name = getattr(cred, "name", None) or getattr(policy, "creditor_name", None) or str(cred or "")
        contact = getattr(cred, "contact", None) or getattr(policy, "contact", ()) or ()
        complaints = (
            getattr(cred, "complaints", None)
            or getattr(policy, "complaints", None)
            or getattr(policy, "complaint_channels", ())
            or ()
        )
        missed = getattr(cred, "missed_payment", None) or getattr(policy, "missed_payment", None)
        full = getattr(cred, "full_summary", None) or getattr(policy, "full_summary", None)
        return cls(
            name=name,
            contact=tuple(contact),
            complaints=tuple(complaints),
            missed_payment=missed,
            full_summary=full,
            policy_version=getattr(policy, "version", None),
            servicing=getattr(policy, "servicing", None),
        )


@dataclass(frozen=True, slots=True)
class SummaryAccount:
    """The account as a summary names it: a reference (card or loan number), masked when printed, and
    optionally the holder's name."""

    reference: str
    holder: str | None = None


def _visible(text: str) -> str:
    """Text cleaned for output, with what stood for control characters dropped (a mask shows letters only)."""
    return clean(text).replace(REPLACEMENT, "")


def mask_reference(ref: str) -> str:
    """``'6222021234567890'`` -> ``'****7890'``: only the last four characters show
    (of the reference cleaned first, so no escape sequence or control character survives)."""
    if ref.isascii() and ref.isalnum():  # letters and digits only: nothing to clean (a batch masks a million)
        return "****" + ref[-4:] if len(ref) > 4 else "*" * len(ref)
    return _mask_reference(ref)


def _mask_reference(ref: str) -> str:
    """:func:`mask_reference` of any text."""
    text = "".join(_visible(ref).split())
    if not text:
        return ""
    return "****" + text[-4:] if len(text) > 4 else "*" * len(text)


def mask_name(name: str) -> str:
    """``'张三丰'`` -> ``'张**'``; ``'John Smith'`` -> ``'J*** S****'`` (of the name cleaned first).
    Only names written entirely in ASCII are masked word by word: ``'张 三丰'`` -> ``'张**'``."""
    if name.isalpha():  # one word of letters (no space, control or mark to clean): either way the same
        return name[0] + "*" * (len(name) - 1)
    return _mask_name(name)


def _mask_name(name: str) -> str:
    """:func:`mask_name` of any text."""
    words = _visible(name).split()
    if words and all(w.isascii() for w in words):
        return " ".join(w[0] + "*" * (len(w) - 1) for w in words)
    text = "".join(words)
    return text[:1] + "*" * (len(text) - 1) if text else ""


@dataclass(frozen=True, slots=True)
class BucketLine:
    bucket: str
    owed: int
    waived: int

    @property
    def remaining(self) -> int:
        return self.owed - self.waived


@dataclass(frozen=True, slots=True)
class BudgetView:
    """One month's budget beside the installment it must carry (minor units): every term of the
    formula, so that "left" (or "short by") explains itself."""

    income: int
    #: What the budget counts as essential spending: the declared spending or, when higher, the living floor.
    spending: int
    floor_used: bool
    other_debts: int
    contingency: int
    available: int
    installment: int
    #: None: today's budget; else the budget from this date (the income expected after recovery).
    since: date | None = None

    @property
    def left(self) -> int:
        """Negative: short by that much."""
        return self.income - self.spending - self.other_debts - self.contingency - self.installment

    @classmethod
    def of(cls, b: Budget, installment: int, since: date | None = None) -> "BudgetView":
        return cls(
            b.income,
            b.spending_used,
            b.floor_used,
            b.other_debt_payments,
            b.contingency,
            b.available,
            installment,
            since,
        )


def budget_views(assessment: Any) -> tuple[BudgetView, ...]:
    """The budgets an assessment judged installments against, each with the largest installment it
    had to carry: one for a single installment (``calc.affordability.Assessment``); for a whole plan
    (``plans.offers.judge.PlanAssessment``) today's and, when the profile gives an income after
    recovery, the one from the recovery date.  None for a settlement (judged against savings)."""
    if assessment is None:
        return ()
    runs = getattr(assessment, "runs", None)
    if runs is None:
        return (BudgetView.of(assessment.budget, assessment.installment),)
    after = assessment.budget_after
    now_runs = [r for r in runs if not (r.after_recovery and after is not None)]
    later_runs = [r for r in runs if r.after_recovery and after is not None]
    out = []
    if now_runs:
        out.append(BudgetView.of(assessment.budget_now, max(r.largest for r in now_runs)))
    if later_runs:
        out.append(BudgetView.of(after, max(r.largest for r in later_runs), assessment.recovery_date))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Summary:
    """One offer or agreement, ready to be put into words.  Amounts are minor units."""

    kind: str
    creditor: Creditor
    account: str
    holder: str | None
    summary_date: date
    agreement_date: date
    currency: str
    buckets: tuple[BucketLine, ...]
    plan_balance: int
    down_payment: int
    installments: tuple[Installment, ...]
    total_fees: int
    total_repayable: int
    apr_nominal: Decimal
    apr_effective: Decimal
    fee_rate: Decimal
    fee_basis: str
    label: str | None = None
    authority: str | None = None
    verdict: str | None = None
    findings: tuple[Any, ...] = ()
    violations: tuple[str, ...] = ()
    explanation: str | None = None
    #: The first due date that may still move (it rests on holidays computed from the rules, after
    #: ``holidays_known_until``, the end of the published holidays); None when every date is certain.
    provisional_from: date | None = None
    holidays_known_until: date | None = None
    extra: dict = field(default_factory=dict, compare=False)
    #: The budgets the installments were judged against (see :func:`budget_views`).
    budgets: tuple[BudgetView, ...] = ()
    #: The explanation in a given language (an offer's ``explain``), when there is one.
    explain: Callable[[str], str] | None = field(default=None, compare=False)

    # -- derived figures ------------------------------------------------------------
    @property
    def lump_sum(self) -> bool:
        """A settlement: the whole balance in one payment."""
        return self.kind in KINDS_LUMP_SUM

    @property
    def months(self) -> int:
        return len(self.installments)

    @property
    def debt_total(self) -> int:
        return sum(b.owed for b in self.buckets)

    @property
    def waived_total(self) -> int:
        return sum(b.waived for b in self.buckets)

    @property
    def financed(self) -> int:
        return self.plan_balance - self.down_payment

    @property
    def first_due(self) -> date:
        return self.installments[0].due

    @property
    def last_due(self) -> date:
        return self.installments[-1].due

    @property
    def first_amount(self) -> int:
        return self.installments[0].amount

    @property
    def runs(self) -> tuple[tuple[int, int], ...]:
        """The installments as runs of equal amounts, in due order: ``((10000, 14), (374995, 10))`` for
        14 installments of 100.00 then 10 of 3,749.95.  What a summary says about the amounts."""
        return runs_of(i.amount for i in self.installments)

    @property
    def level(self) -> bool:
        """Every installment has the same amount."""
        first = self.installments[0].amount
        return all(i.amount == first for i in self.installments)

    @property
    def has_fees(self) -> bool:
        return self.total_fees > 0


def build_summary(
    plan: Plan,
    creditor: Creditor,
    account: SummaryAccount,
    *,
    summary_date: date | None = None,
    kind: str = PlanKind.INSTALLMENT,
    assessment: Assessment | None = None,
    label: str | None = None,
    authority: str | None = None,
    violations: tuple[str, ...] = (),
    explanation: str | None = None,
    explain: Callable[[str], str] | None = None,
) -> Summary:
    """A :class:`Summary` of ``plan``; ``summary_date`` defaults to today."""
    debt = plan.debt.amounts()
    waived = plan.waived
    buckets = tuple(BucketLine(b, debt[b], waived.get(b, 0)) for b in BUCKETS)
    nominal, effective = plan.apr
    return Summary(
        kind=kind,
        creditor=creditor,
        account=mask_reference(account.reference),
        holder=mask_name(account.holder) if account.holder else None,
        summary_date=summary_date or date.today(),
        agreement_date=plan.start,
        currency=plan.currency,
        buckets=buckets,
        plan_balance=plan.plan_balance,
        down_payment=plan.down_payment,
        installments=tuple(plan.installments),
        total_fees=plan.total_fees,
        total_repayable=plan.total_repayable,
        apr_nominal=nominal,
        apr_effective=effective,
        fee_rate=plan.terms.fee_rate,
        fee_basis=plan.terms.fee_basis,
        label=label,
        authority=authority,
        verdict=assessment.verdict if assessment is not None else None,
        findings=tuple(assessment.findings) if assessment is not None else (),
        violations=tuple(violations),
        explanation=explanation,
        provisional_from=plan.provisional_from,
        holidays_known_until=plan.terms.calendar.known_until if plan.provisional_from else None,
        budgets=budget_views(assessment),
        explain=explain,
    )
