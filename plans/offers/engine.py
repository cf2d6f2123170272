"""The offer engine: offers of many accounts at once, each rule applied once, in arrays.

:func:`offer_table` makes the offers of every account of an :class:`Accounts` (one
case for ``generate_offers``, a portfolio chunk for the batch): the candidates of
each kind (``plans.offers.kinds``), their figures (``plans.offers.shape`` and
``plans.offers.rate``), verdicts (``plans.offers.judge``), authority and broken
rules (``plans.offers.rules``), then the same plan twice kept once (the earlier
kind wins), offers beyond the authority left out unless escalations are asked
for, ids (``plans.offers.ids``) and the ranking: verdict (affordable, tight,
unaffordable, none), term, authority needed, kind, total repayable, id.

:func:`terms_table` computes one offer for terms given by hand (negotiation) with
the same functions.  Both return a :class:`Table`, sorted by account and rank.
Everything that depends only on the policy, authority and agreement date is
cached (``plans.offers.setting``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Sequence

import numpy as np

from calc.affordability import half_up
from calc.money import MAX_MAJOR, exponent
from calc.debt import BUCKETS, Debt, Waiver, waived_amounts
from calc.schedule import headline
from calc.terms import Terms

from .accounts import Accounts, take
from .ids import TermsColumns, case_keys, case_parts, down_words, offer_ids, terms_columns, waiver_words
from .judge import NO_VERDICT, before_recovery, budgets, plan_verdicts
from ..vocabulary import OfferKind
from .kinds import KIND_CODE, KINDS, base_of, candidates
from .rate import annual, monthly_rates
from .rules import Checks, check, least_waiver
from .setting import Grid, Rules, first_due_ok, grid_of, policy_grid, settlement_due_ok, settlement_grid
from .shape import Shape

_SAFE = 2**62


@dataclass(eq=False)
class Table:
    """Offers as columns, sorted by account and rank.  Amounts are minor units; ``verdict`` a code
    (0 affordable, 1 tight, 2 unaffordable, 3 none); ``need`` the authority's rank (n_auth: none);
    ``apr_nominal``/``apr_effective`` in units of the 4th decimal place."""

    acc: np.ndarray
    kind: np.ndarray
    months: np.ndarray
    tier_count: np.ndarray
    tier_amount: np.ndarray
    settle: np.ndarray
    balance: np.ndarray
    down: np.ndarray
    financed: np.ndarray
    discount: np.ndarray  # -1: none
    waived: np.ndarray  # (6, rows)
    first: np.ndarray
    regular: np.ndarray
    last: np.ndarray
    largest: np.ndarray
    smallest: np.ndarray
    total_fees: np.ndarray
    total: np.ndarray
    apr_nominal: np.ndarray
    apr_effective: np.ndarray
    first_due: np.ndarray  # ordinal
    last_due: np.ndarray
    verdict: np.ndarray
    need: np.ndarray
    blocked: np.ndarray
    least_down: np.ndarray
    checks: Checks
    ids: list
    rank: np.ndarray

    def __len__(self) -> int:
        return len(self.acc)


def _wide(acc: Accounts, rules: Rules) -> Accounts:
    """The accounts with amounts as Python integers when int64 products could overflow."""
    limit = _SAFE // (4 * (rules.biggest_ratio + 1))
    if 6 * MAX_MAJOR * 10 ** exponent(acc.currency) < limit or acc.largest_amount() < limit:
        return acc
    obj = lambda a: a.astype(object)
    return replace(
        acc,
        buckets=obj(acc.buckets),
        income=obj(acc.income),
        income_after=obj(acc.income_after),
        spending=obj(acc.spending),
        food=obj(acc.food),
        other=obj(acc.other),
        savings=obj(acc.savings),
    )


def _least_down(rules: Rules, balance):
    if rules.min_down_ratio is not None:
        return half_up(balance, rules.min_down_ratio)
    return balance * 0 + rules.min_down_amount


def _aprs(shape: Shape, installments, months, top: int, calc_headline) -> tuple[np.ndarray, np.ndarray]:
    """APRs in units of the 4th place (0 for plans that cannot split); where the rate is a hair from a
    rounding boundary (or wild), calc's own."""
    n = len(months)
    if not shape.fee:
        zero = np.zeros(n, dtype=np.int64)
        return zero, zero
    valid = np.broadcast_to(shape.valid, (n,))
    rate = monthly_rates(shape, np.where(valid, installments, 0), months, top)
    nominal, effective, doubt = annual(rate)
    doubt &= valid
    for i in np.nonzero(doubt)[0].tolist():
        h = calc_headline(i)
        values = int(h.apr_nominal.scaleb(4)), int(h.apr_effective.scaleb(4))
        if max(values) >= 2**62:  # a wild rate calc prints in full
            nominal, effective = nominal.astype(object), effective.astype(object)
        nominal[i], effective[i] = values
    return nominal, effective


def _installments(
    rules: Rules,
    grid: Grid,
    acc: Accounts,
    bud,
    low,
    rows: np.ndarray,
    months,
    tiers,
    down,
    financed,
    balance,
    waived,
    waiver_need,
    savings,
    profile,
) -> dict:
    """Figures, verdicts and checks of installment offers (``rows``: their accounts)."""
    shape = Shape(grid, months, financed, tiers)
    top = grid.max_months
    fig = shape.headline(top)
    total = down + financed + fig.total_fees
    currency = acc.currency

    def calc_headline(i: int):
        t = grid.terms(int(months[i]), tuple((int(c[i]), int(a[i])) for c, a in tiers if c[i] > 0))
        return headline(Debt(currency, principal=int(financed[i])), (), t)

    nominal, effective = _aprs(shape, financed + fig.total_fees, months, top, calc_headline)
    verdict = plan_verdicts(
        shape,
        low,
        bud.available[rows],
        bud.cap[rows],
        bud.available_after[rows],
        bud.cap_after[rows],
        down,
        savings,
        profile,
    )
    least_down = _least_down(rules, balance)
    checks = check(
        rules, False, months, fig.smallest, down, least_down, first_due_ok(rules.policy, grid), True, 0, 0, waiver_need
    )
    dues = grid.due_ord
    return dict(
        valid=shape.valid,
        first=fig.first,
        regular=fig.regular,
        last=fig.last,
        largest=fig.largest,
        smallest=fig.smallest,
        total_fees=fig.total_fees,
        total=total,
        apr_nominal=nominal,
        apr_effective=effective,
        first_due=np.full(len(rows), dues[0]),
        last_due=dues[np.clip(months - 1, 0, top - 1)],
        verdict=verdict,
        checks=checks,
        least_down=least_down,
    )


def _column(value, n: int) -> np.ndarray:
    value = np.asarray(value)
    return value if value.ndim else np.full(n, value)


def _concat(parts: Sequence[dict]) -> dict:
    """Rows of several parts (dicts of columns) as one; a scalar stands for a whole column."""
    parts = [p for p in parts if len(p["acc"])] or parts[:1]
    if len(parts) == 1:
        p = parts[0]
        n = len(p["acc"])
        return {k: v if k in ("checks", "waived") else _column(v, n) for k, v in p.items()}
    out: dict[str, Any] = {}
    for key in parts[0]:
        values = [p[key] for p in parts]
        if key == "checks":
            out[key] = Checks(
                np.concatenate([c.need for c in values]),
                np.concatenate([c.blocked for c in values]),
                {k: np.concatenate([c.fixed[k] for c in values]) for k in values[0].fixed},
                np.concatenate([c.months for c in values]),
                np.concatenate([c.discount for c in values]),
                np.concatenate([c.waivers for c in values], axis=1),
            )
        elif key == "waived":
            out[key] = np.concatenate(values, axis=1)
        else:
            out[key] = np.concatenate([_column(v, len(p["acc"])) for v, p in zip(values, parts)])
    return out


def offer_table(rules: Rules, acc: Accounts, escalations: bool = False) -> Table:
    """The ranked offers of every account of ``acc`` (see the module docstring)."""
    acc = _wide(acc, rules)
    p = rules.policy
    grid = policy_grid(p, acc.start)
    bud = budgets(rules, acc)
    low = before_recovery(grid, acc)
    base = base_of(rules, acc)
    cand = candidates(rules, grid, acc, base, bud, low, escalations)
    std_need = least_waiver(rules, acc.buckets, base.waived)
    r = cand.acc
    inst = _installments(
        rules,
        grid,
        acc,
        bud,
        low[r],
        r,
        cand.months,
        [(cand.tier_count, cand.tier_amount)],
        base.down[r],
        base.financed[r],
        base.balance[r],
        base.waived[:, r],
        std_need[:, r],
        acc.savings[r],
        acc.profile[r],
    )
    inst.update(
        acc=r,
        kind=cand.kind,
        months=cand.months,
        tier_count=cand.tier_count,
        tier_amount=cand.tier_amount,
        settle=np.zeros(len(r), dtype=bool),
        balance=base.balance[r],
        down=base.down[r],
        financed=base.financed[r],
        discount=np.full(len(r), -1),
        waived=base.waived[:, r],
    )
    keep = inst.pop("valid")
    sgrid = settlement_grid(p, acc.start)
    parts = [inst]
    if len(cand.settle_acc):
        parts.append(_settlements(rules, sgrid, acc, cand, base, std_need))
        keep = np.concatenate([keep, np.ones(len(cand.settle_acc), dtype=bool)])
    rows = _concat(parts)
    keep &= _first_of_each_plan(rows)
    if not escalations:
        keep &= ~rows["checks"].blocked
    idx = np.nonzero(keep)[0]
    ids = _ids(rules, grid, sgrid, acc, {k: rows[k][..., idx] for k in _ID_COLUMNS})
    return _ranked(rows, idx, ids)


def _settlements(rules: Rules, sgrid: Grid, acc: Accounts, cand, base, std_need) -> dict:
    """Figures, verdicts (against the savings) and checks of the settlement offers of ``cand``."""
    s, lump, n = cand.settle_acc, cand.lump, len(cand.settle_acc)
    zero = np.zeros(n, dtype=np.int64)
    return dict(
        first=lump,
        regular=lump,
        last=lump,
        largest=lump,
        smallest=lump,
        total_fees=lump * 0,
        total=lump,
        apr_nominal=zero,
        apr_effective=zero,
        first_due=np.full(n, sgrid.due_ord[0]),
        last_due=np.full(n, sgrid.due_ord[0]),
        verdict=np.where(acc.profile[s], np.where(lump <= acc.savings[s], 0, 2), NO_VERDICT),
        checks=check(
            rules,
            True,
            np.ones(n, dtype=np.int64),
            lump,
            0,
            0,
            True,
            settlement_due_ok(rules.policy, sgrid),
            cand.discount,
            base.balance[s],
            std_need[:, s],
        ),
        least_down=lump * 0,
        acc=s,
        kind=np.full(n, KIND_CODE[OfferKind.SETTLEMENT]),
        months=np.ones(n, np.int64),
        tier_count=zero,
        tier_amount=zero,
        settle=np.ones(n, dtype=bool),
        balance=lump,
        down=lump * 0,
        financed=lump,
        discount=cand.discount,
        waived=cand.settle_waived,
    )


def _first_of_each_plan(rows: dict) -> np.ndarray:
    """False for an installment offer whose plan an earlier kind (in KINDS) already makes."""
    level = ~rows["settle"] & (rows["tier_count"] == 0)
    order = np.lexsort((rows["kind"], rows["months"], rows["acc"], ~level))
    acc, months = rows["acc"][order], rows["months"][order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = (acc[1:] == acc[:-1]) & (months[1:] == months[:-1]) & level[order][1:] & level[order][:-1]
    out = np.ones(len(order), dtype=bool)
    out[order[same]] = False
    return out


def _table(rows: dict, idx: np.ndarray, ids: list) -> Table:
    c = rows["checks"]
    checks = Checks(
        c.need[idx],
        c.blocked[idx],
        {k: v[idx] for k, v in c.fixed.items()},
        c.months[idx],
        c.discount[idx],
        c.waivers[:, idx],
    )
    fields = {k: (v[:, idx] if k == "waived" else v[idx]) for k, v in rows.items() if k != "checks"}
    return Table(
        **fields,
        need=checks.need,
        blocked=checks.blocked,
        checks=checks,
        ids=ids,
        rank=np.ones(len(idx), dtype=np.int64),
    )


_ID_COLUMNS = ("acc", "kind", "months", "tier_count", "tier_amount", "settle", "waived", "discount")


def _ids(rules: Rules, grid: Grid, sgrid: Grid, acc: Accounts, t: dict) -> list[str]:
    """Offer ids of the rows ``t`` (installment offers on ``grid``, settlements on ``sgrid``)."""
    if not len(t["acc"]):
        return []
    p = rules.policy
    used, where = np.unique(t["acc"], return_inverse=True)
    keys = case_parts(p.version, case_keys(acc if len(used) == acc.n else take(acc, used)))
    where = where.reshape(-1)
    out = np.empty(len(t["acc"]), dtype=object)
    inst = np.nonzero(~t["settle"])[0]
    if len(inst):
        down = down_words(p.min_down_amount or None, p.min_down_fraction)
        cols = TermsColumns(
            grid,
            t["months"][inst],
            down,
            waiver_words(p.standard_waiver_list()),
            -1,
            tiers=[(t["tier_count"][inst], t["tier_amount"][inst])],
        )
        out[inst] = offer_ids(p.version, KINDS, t["kind"][inst], keys, where[inst], cols)
    st = np.nonzero(t["settle"])[0]
    if len(st):
        w = t["waived"][:, st]
        words = [((w[b] > 0).astype(np.int64), w[b], 0) for b in range(len(BUCKETS))]
        cols = TermsColumns(sgrid, 1, (0, 0, 0), words, t["discount"][st])
        out[st] = offer_ids(p.version, KINDS, t["kind"][st], keys, where[st], cols)
    return out.tolist()


def _ranked(rows: dict, idx: np.ndarray, ids: list) -> Table:
    """The rows ``idx`` (with their ``ids``) in rank order, as a Table with ranks per account."""
    if len(idx) > 1:
        col = lambda k: rows[k][idx]
        keys = (col("total"), col("kind"), rows["checks"].need[idx], col("months"), col("verdict"), col("acc"))
        order = np.lexsort(keys)
        ties = np.ones(len(order), dtype=bool)
        for k in keys:
            s = k[order]
            ties[1:] &= s[1:] == s[:-1]
        ties[0] = False
        if ties.any():  # the same in every figure (never seen in practice): the id decides, as rank_key says
            key = [tuple(int(k[i]) for k in reversed(keys)) + (ids[i],) for i in range(len(idx))]
            order = np.array(sorted(range(len(idx)), key=key.__getitem__), dtype=np.int64)
        idx = idx[order]
        ids = [ids[i] for i in order.tolist()]
    t = _table(rows, idx, ids)
    if len(t) > 1:
        starts = np.ones(len(t), dtype=bool)
        starts[1:] = t.acc[1:] != t.acc[:-1]
        first = np.maximum.accumulate(np.where(starts, np.arange(len(t)), 0))
        t.rank = np.arange(len(t)) - first + 1
    return t


# -- offers for given terms (negotiation) ---------------------------------------------------


def terms_table(
    rules: Rules, acc: Accounts, kind: str, terms: Terms, waivers: Sequence[Waiver], discount: int | None, debt: Debt
) -> Table:
    """The one offer of account 0 of ``acc`` with ``terms`` (a fixed term) and ``waivers``; empty when
    the terms cannot split (as calc.schedule would refuse them, checked by the caller)."""
    acc = _wide(acc, rules)
    grid = grid_of(terms)
    waived = waived_amounts(debt, waivers)
    w = np.array([[waived[b]] for b in BUCKETS], dtype=acc.buckets.dtype)
    balance = acc.buckets.sum(axis=0) - w.sum(axis=0)
    if terms.down_fraction is not None:
        down = half_up(balance, Decimal(terms.down_fraction).as_integer_ratio())
    else:
        down = balance * 0 + (terms.down_amount or 0)
    financed = balance - down
    months = np.array([terms.months], dtype=np.int64)
    tiers = [(np.array([c]), np.array([a])) for c, a in terms.tiers]
    bud = budgets(rules, acc)
    low = before_recovery(grid, acc)
    settle = kind == OfferKind.SETTLEMENT
    need = least_waiver(rules, acc.buckets, w)
    row = np.zeros(1, dtype=np.int64)
    part = _installments(
        rules, grid, acc, bud, low, row, months, tiers, down, financed, balance, w, need, acc.savings, acc.profile
    )
    if settle:  # a settlement given by hand is judged as one: against the savings, its discount checked
        lump = financed
        part["verdict"] = np.where(acc.profile, np.where(lump <= acc.savings, 0, 2), NO_VERDICT)
        standard = waived_amounts(debt, rules.policy.standard_waiver_list())
        std = np.array([[standard[b]] for b in BUCKETS], dtype=acc.buckets.dtype)
        part["checks"] = check(
            rules,
            True,
            months,
            part["smallest"],
            down,
            0,
            True,
            settlement_due_ok(rules.policy, grid),
            np.array([discount or 0]),
            balance + (discount or 0),
            least_waiver(rules, acc.buckets, std),
        )
    part.pop("valid")
    part.update(
        acc=row,
        kind=np.array([KIND_CODE.get(kind, len(KINDS))]),
        months=months,
        tier_count=np.array([sum(c for c, _ in terms.tiers)]),
        tier_amount=np.array([0]),
        settle=np.array([settle]),
        balance=balance,
        down=down,
        financed=financed,
        discount=np.array([-1 if discount is None else discount]),
        waived=w,
    )
    rows = _concat([part])
    cols = terms_columns(terms, waivers, discount, grid)
    version = rules.policy.version
    ids = offer_ids(version, [kind], np.zeros(1, dtype=np.int64), case_parts(version, case_keys(acc)), row, cols)
    return _table(rows, np.arange(1), ids)


__all__ = ["Table", "offer_table", "terms_table"]
