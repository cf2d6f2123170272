"""Which offers to make for a case: one builder per kind (see ``plans.offers``).

Every installment offer applies the policy's standard waivers and its minimum down
payment.  A settlement is a one-month plan whose waivers are the standard waivers
plus the discount, taken from the buckets in :data:`DISCOUNT_ORDER` (penalties and
fees before interest, principal last), so it renders and saves like any plan.
"""

from __future__ import annotations

from calc.affordability import Budget
from calc.dates import add_months
from calc.debt import BUCKETS, Debt, Waiver, waived_amounts
from calc.errors import InvalidInput, NoPlanFits
from calc.money import percent_of
from calc.schedule import balance, choose_months, headline
from calc.terms import Terms

from .offer_model import Offer, _Context, make_offer
from .policy import authority_rank

#: The order a settlement discount (or a negotiated extra waiver) is taken from the buckets.
DISCOUNT_ORDER = ("penalty_interest", "late_fees", "annual_fees", "other_fees", "interest", "principal")


def affordable_cap(b: Budget, params, other_debt: int) -> int:
    """The largest installment the budget rates ``affordable`` (0 when none)."""
    if b.income <= 0 or b.available <= 0:
        return 0
    tight_num, tight_den = params.tight_share.as_integer_ratio()
    cap = min(b.available, b.available * tight_num // tight_den)
    dti_num, dti_den = params.max_dti.as_integer_ratio()
    cap = min(cap, b.income * dti_num // dti_den - other_debt)
    return max(cap, 0)


def _settlement_waivers(debt: Debt, standard: dict[str, int], discount: int) -> tuple[Waiver, ...]:
    """Standard waivers plus ``discount`` taken from the buckets in DISCOUNT_ORDER."""
    waived = dict(standard)
    left = discount
    for bucket in DISCOUNT_ORDER:
        if not left:
            break
        room = getattr(debt, bucket) - waived[bucket]
        take = min(room, left)
        waived[bucket] += take
        left -= take
    return tuple(Waiver(b, amount=waived[b]) for b in BUCKETS if waived[b])


def candidates(ctx: _Context, include_escalations: bool) -> list[Offer]:
    case, policy = ctx.case, ctx.policy
    std = policy.standard_waiver_list()
    rank = authority_rank(ctx.authority)
    out: list[Offer] = []

    def attempt(kind, terms, waivers=std, **kw):
        try:
            out.append(make_offer(ctx, kind, terms, waivers, **kw))
        except NoPlanFits:
            pass
        except InvalidInput as exc:
            if exc.field not in ("months", "tier", "down", "debt", "payment"):
                raise

    # standard
    attempt("standard", ctx.terms(months=policy.standard_months))

    # lowest payment: the longest term of the requested authority (and, as escalations, of higher ones)
    terms_seen = set()
    for a in policy.authorities[rank:] if include_escalations else policy.authorities[rank:rank + 1]:
        months = _longest_term(ctx, a.max_months, std)
        if months and months not in terms_seen:
            terms_seen.add(months)
            attempt("lowest_payment", ctx.terms(months=months))

    cap = affordable_cap(ctx.budget, ctx.params, case.profile.other_debt_payments) if ctx.budget else 0
    # shortest affordable
    if cap >= max(policy.min_installment, 1):
        try:
            t = ctx.terms(payment=cap)
            bal = _balance(case.debt, std, t)
            months = max(choose_months(bal, t), policy.min_months)
            attempt("shortest_affordable", ctx.terms(months=months))
            # The cap is exact for percentages of up to 2 decimals; with finer ones the rounded
            # debt-to-income ratio may still say "tight": then one month longer, until affordable.
            while out and out[-1].kind == "shortest_affordable" and out[-1].verdict != "affordable":
                out.pop()
                months += 1
                if months > policy.max_months:
                    break
                attempt("shortest_affordable", ctx.terms(months=months))
        except (NoPlanFits, InvalidInput):
            pass

    # step
    profile = case.profile
    if profile is not None and profile.recovery_date is not None and ctx.budget is not None:
        _step(ctx, cap, std, attempt)

    # settlement
    if profile is not None and profile.savings > 0:
        _settlement(ctx, std, include_escalations, attempt)
    return out


def _balance(debt: Debt, waivers, terms: Terms) -> int:
    return balance(debt, waivers, terms).financed


def _longest_term(ctx: _Context, max_months: int, std) -> int | None:
    """The longest term up to ``max_months`` whose smallest installment meets the minimum."""
    policy = ctx.policy
    try:
        financed = _balance(ctx.case.debt, std, ctx.terms(months=1))
    except InvalidInput:
        return None
    months = max_months
    if policy.min_installment:
        months = min(months, max(1, financed // policy.min_installment))
    months = max(months, policy.min_months)
    while months > policy.min_months:
        try:
            h = headline(ctx.case.debt, std, ctx.terms(months=months))
        except InvalidInput:
            months -= 1
            continue
        if min(h.first_installment, h.regular_installment, h.last_installment) >= policy.min_installment:
            break
        months -= 1
    return months


def _step(ctx: _Context, cap: int, std, attempt) -> None:
    policy, case = ctx.policy, ctx.case
    recovery = case.profile.recovery_date  # type: ignore[union-attr]
    base = ctx.terms(months=1)
    first = base.first_due_date
    low = 0
    while low < policy.max_months and add_months(first, low, base.anchor_day) < recovery:
        low += 1
    if low == 0 or low + 1 > policy.max_months:
        return
    months = min(max(policy.standard_months, low + policy.step_min_months_after), policy.max_months)
    try:
        financed = _balance(case.debt, std, base)
    except InvalidInput:
        return
    fee = percent_of(financed, policy.fee_rate) if policy.fee_rate else 0
    unit = policy.round_to
    amount = max(((cap - fee) // unit) * unit, policy.min_installment, unit)
    if amount * low >= financed or amount >= financed // months:
        return  # a level plan is already as low as the step would be
    attempt("step", ctx.terms(months=months, tiers=((low, amount),)))


def _settlement(ctx: _Context, std, include_escalations: bool, attempt) -> None:
    policy, case = ctx.policy, ctx.case
    savings = case.profile.savings  # type: ignore[union-attr]
    waived = waived_amounts(case.debt, tuple(std))
    balance = case.debt.total - sum(waived.values())
    if balance <= 0:
        return
    due = policy.settlement_due(case.start)
    own = percent_of(balance, policy.authority(ctx.authority).settlement_discount)
    if balance - own <= savings:
        discount = own
    elif include_escalations:
        needed = balance - savings
        top = policy.authorities[-1]
        if needed > percent_of(balance, top.settlement_discount):
            return
        discount = needed
    else:
        return
    if discount >= balance:
        return
    terms = Terms(start=case.start, months=1, max_months=policy.max_months, first_due=due,
                  business_days=policy.business_days, calendar=ctx.calendar)
    attempt("settlement", terms, _settlement_waivers(case.debt, waived, discount), discount=discount)
