"""Offers for one portfolio account, as output rows.

``Engine.account_rows(account)`` returns ``(plan_balance, offer_rows,
schedule_rows, offers)``:

* ``plan_balance``: the account's debt less the policy's standard waivers (the
  balance every installment offer repays; ``summary.json`` adds these up);
* ``offer_rows``: one tuple per offer in rank order, in OFFER_COLUMNS order,
  amounts formatted as ``calc.money.format_amount`` (as in ``installment quote``);
* ``schedule_rows``: every installment of every offer (only with ``--schedules``);
* ``offers``: the ``plans.offers.Offer`` objects (for letters), or None.

Offers come from ``plans.offers.generate_offers``.  When neither schedules nor
letters are wanted and the policy allows it, the engine takes the fast path
(plans.batch.fast), which computes exactly the same figures without building
offer objects; tests/test_batch_fast.py compares both on many random accounts.
"""

from __future__ import annotations

from datetime import date

from calc.debt import waived_amounts
from calc.errors import InstallmentError
from calc.money import amount_formatter
from plans.offers import generate_offers

from .accounts import to_case


def violation_text(v) -> str:
    """A violation in one line: rule code, value and limit ("max_months 60 (limit 48)")."""
    return f"{v.rule} {v.value} (limit {v.limit})".replace("\r", " ").replace("\n", " ").replace(";", ",")


def offer_row(ref: str, rank: int, offer, fmt) -> tuple:
    h = offer.headline
    return (ref, rank, offer.id, offer.kind, h.months, fmt(h.down_payment), fmt(h.first_installment),
            fmt(h.regular_installment), fmt(h.total_repayable), h.first_due.isoformat(), h.last_due.isoformat(),
            str(h.apr_nominal), offer.verdict or "", offer.authority or "",
            "; ".join(violation_text(v) for v in offer.violations))


def schedule_rows(ref: str, offer, fmt) -> list[tuple]:
    oid = offer.id
    return [(ref, oid, i.n, i.due.isoformat(), fmt(i.amount), fmt(i.principal), fmt(i.fee), fmt(i.balance_after))
            for i in offer.plan.installments]


class Engine:
    def __init__(self, policy, authority: str, start: date, include_escalations: bool = False,
                 schedules: bool = False) -> None:
        self.policy, self.authority, self.start = policy, authority, start
        self.include_escalations = include_escalations
        self.schedules = schedules
        self.standard = policy.standard_waiver_list()
        self.fast = None
        if not schedules:
            from .fast import FastOffers

            self.fast = FastOffers.for_policy(policy, authority, start, include_escalations)

    def plan_balance(self, debt) -> int:
        return debt.total - sum(waived_amounts(debt, self.standard).values())

    def account_rows(self, account) -> tuple[int, list, list, list | None]:
        if self.fast is not None:
            return self.fast.account_rows(account)
        return self.general_rows(account)

    def fast_agrees(self, account) -> bool:
        """True when the fast path gives the same result as generate_offers for ``account``
        (each chunk checks its first account; a chunk that disagrees uses generate_offers)."""
        def result(f):
            try:
                balance, rows, _, _ = f(account)
                return balance, rows
            except InstallmentError as exc:
                return None, str(exc)
        return self.fast is None or result(self.fast.account_rows) == result(self.general_rows)

    def general_rows(self, account) -> tuple[int, list, list, list | None]:
        case = to_case(account, self.start)
        self.policy.check_currency(case.currency)
        offers = generate_offers(case, self.policy, self.authority, self.include_escalations)
        fmt = amount_formatter(case.currency)
        ref = account.account_ref
        rows = [offer_row(ref, rank, o, fmt) for rank, o in enumerate(offers, 1)]
        sched = [r for o in offers for r in schedule_rows(ref, o, fmt)] if self.schedules else []
        return self.plan_balance(case.debt), rows, sched, offers
