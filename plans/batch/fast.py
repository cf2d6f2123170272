"""The fast path: the offer rows of ``plans.offers.generate_offers`` without offer objects.

``generate_offers`` builds terms, headlines, assessments, rule checks and an
explanation for every candidate: about 200 µs an account, too slow for a
million accounts in 30 seconds on two cores.  In a batch run everything that
does not depend on the account (the agreement date, the terms of each length,
due dates, the rule limits, the terms part of offer ids) is the same for every
account, so this module computes it once and then follows generate_offers step
by step for each account in integer arithmetic:

* candidates in the same order (standard, lowest_payment, shortest_affordable,
  step, settlement) with the same skip rules;
* headline figures by DESIGN's split rule (calc.schedule.headline's level
  formulas; step plans build their installment list), APR by calc.apr;
* verdicts by calc.affordability's rules (``assess``) with exact integer
  comparisons; rule checks of plans.offer_rules for the requested authority;
  offers that break a rule at that authority are left out, as generate_offers
  does without escalations;
* ids from the same hashed text (plans.offers.offer_id over the case document);
* the same de-duplication and ranking (plans.offers.rank_key).

It covers policies with flat fees (any rate, remainder, rounding unit, business
days); otherwise, and with ``--include-escalations``, the engine uses
generate_offers itself.  Setting up checks its precomputed terms text against
plans.offers and declines on any difference; tests/test_batch_fast.py compares
the rows of both paths on many random accounts, and each chunk of a run
compares its first account (plans.batch.work).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import replace
from datetime import timedelta
from json.encoder import encode_basestring

from calc.dates import add_months, first_installment_date, months_between
from calc.debt import BUCKETS, Debt
from calc.errors import InvalidInput
from calc.money import exponent
from calc.schedule import headline
from calc.terms import Terms
from plans import offers as _offers
from plans.policy import authority_rank

from .accounts import check_recovery
from .fast_plans import LevelPlans

_KIND = {k: i for i, k in enumerate(_offers.KINDS)}
_VERDICT = _offers.VERDICT_ORDER
#: JSON key order of the debt in the case document (sorted, as case_key sorts keys).
_DEBT_ORDER = sorted(range(len(BUCKETS)), key=lambda i: BUCKETS[i])
_DISCOUNT_ORDER = [BUCKETS.index(b) for b in _offers.DISCOUNT_ORDER]


class Unsupported(Exception):
    """The policy uses something the fast path does not cover."""


def _ratio(fraction) -> tuple[int, int]:
    return fraction.as_integer_ratio()


def plain_formatter(currency: str):
    """calc.money.amount_formatter for amounts of zero or more, in one C-level formatting call."""
    exp = exponent(currency)
    if exp == 0:
        return str
    form, div = f"%d.%0{exp}d", 10**exp
    return lambda minor: form % divmod(minor, div)


def _pct(amount: int, ratio: tuple[int, int]) -> int:
    """calc.money.percent_of (half up) for non-negative amounts, in integers."""
    num, den = ratio
    return (2 * amount * num + den) // (2 * den)


class FastOffers(LevelPlans):
    @classmethod
    def for_policy(cls, policy, authority: str, start, include_escalations: bool = False):
        """The fast path for this run, or None when it does not apply."""
        if include_escalations:
            return None
        try:
            return cls(policy, authority, start)
        except Unsupported:
            return None

    def __init__(self, policy, authority: str, start) -> None:
        p = self.policy = policy
        if p.fee_basis != "flat":
            raise Unsupported("declining fees")
        if p.standard_months > p.max_months or any(a.max_months > p.max_months for a in p.authorities):
            raise Unsupported("a term beyond the policy maximum")
        self.start, self.authority = start, authority
        self.own = authority_rank(authority)
        self.currency = p.currency
        self.fmt = plain_formatter(p.currency)
        self.std = [(BUCKETS.index(w.bucket), _ratio(w.fraction)) for w in p.standard_waiver_list()]
        std_waivers = p.standard_waiver_list()
        self.down_amount = p.min_down_amount or None
        self.down_ratio = None if p.min_down_fraction is None else _ratio(p.min_down_fraction)
        self.fee = _ratio(p.fee_rate) if p.fee_rate else None
        self.static_waivers = None
        self.unit, self.mode = p.round_to, p.remainder
        self.min_months, self.max_months = p.min_months, p.max_months
        self.min_installment = p.min_installment
        first_due = p.first_due(start)
        cal = p.calendar

        def terms(months, **kw):
            return Terms(start=start, months=months, max_months=p.max_months, down_amount=self.down_amount,
                         down_fraction=p.min_down_fraction, first_due=first_due, fee_rate=p.fee_rate,
                         fee_basis=p.fee_basis, remainder=p.remainder, round_to=p.round_to,
                         business_days=p.business_days, calendar=cal, **kw)

        # Terms text of offer ids, per term; checked against plans.offers.
        self.key_head, self.key_tail = {}, None
        probe = Debt(p.currency, principal=10**12)
        self.due = {}
        for m in range(1, p.max_months + 1):
            t = terms(m)
            head = f"{t.start}|{m}|None|{t.max_months}|{t.down_amount}|{t.down_fraction}|{t.first_due}|" \
                   f"{t.due_day}|{t.fee_rate}|{t.fee_basis}|{t.remainder}|{t.round_to}|"
            tail = f"|{t.business_days}|{t.calendar.name}|" + ",".join(
                f"{w.bucket}={w.amount if w.fraction is None else str(w.fraction) + 'f'}" for w in std_waivers)
            if head + "()" + tail != _offers._terms_key(t, std_waivers):
                raise Unsupported("offer id text differs")
            stepped = replace(t, tiers=((1, 7),))
            if head + str(stepped.tiers) + tail != _offers._terms_key(stepped, std_waivers):
                raise Unsupported("offer id text differs")
            self.key_head[m], self.key_tail = head, tail
            h = headline(probe, (), t)
            self.due[m] = (h.first_due.isoformat(), h.last_due.isoformat())
        base = terms(1)
        self.t1 = months_between(start, first_installment_date(base.first_due_date, base.anchor_day))
        self.step_dates = [add_months(base.first_due_date, k, base.anchor_day) for k in range(p.max_months)]
        lo, hi = p.first_due_window(start)
        self.first_due_ok = lo <= headline(probe, (), base).first_due <= hi
        # Settlement: one payment due within the window, no fees.
        due = p.settlement_due(start)
        if due <= start:
            raise Unsupported("settlement due on the agreement date")
        st = Terms(start=start, months=1, max_months=p.max_months, first_due=due,
                   business_days=p.business_days, calendar=cal)
        sh = headline(probe, (), st)
        self.settle_due = (sh.first_due.isoformat(), sh.last_due.isoformat())
        self.settle_due_ok = sh.first_due <= start + timedelta(days=p.settlement_pay_within_days)
        self.settle_key = _offers._terms_key(st, ())
        self.auth = [(a.name, a.max_months, _ratio(a.settlement_discount),
                      [_ratio(a.waiver_limit(b)) for b in BUCKETS]) for a in p.authorities]
        self.own_discount = self.auth[self.own][2]
        self.id_head = f"installment.offer/1|{p.version}|"
        self.id_tail = {k: {m: f"{k}|{self.key_head[m]}(){self.key_tail}|None" for m in self.key_head}
                        for k in ("standard", "lowest_payment", "shortest_affordable")}
        own_limit = self.auth[self.own][1]
        self.own_max = own_limit
        self.allowed = [False] + [self._term_allowed(m) for m in range(1, p.max_months + 1)]
        self.standard_months = p.standard_months
        self.min_cap = max(p.min_installment, 1)
        # Standard waivers within an authority's limits for every account (a smaller or equal
        # fraction, rounded the same way) need no check per account.
        if all(n1 * d2 <= n2 * d1 for _, _, _, lim in self.auth for i, (n1, d1) in self.std
               for (n2, d2) in [lim[i]]):
            self.static_waivers = ([True] * len(self.auth), False)
        else:
            self.static_waivers = None
        self._params: dict = {}
        self.start_text = ',"start":"%s"}' % start.isoformat()
        self.debt_text = '},"currency":%s,"debt":{%s}' % (
            encode_basestring(p.currency), ",".join(f'"{BUCKETS[i]}":"%s"' for i in _DEBT_ORDER))

    def _term_allowed(self, m: int) -> bool:
        """No rule that depends on the term alone is broken at the requested authority."""
        p = self.policy
        if m < p.min_months or not self.first_due_ok:
            return False
        if m > self.auth[self.own][1]:
            least = next((k for k, x in enumerate(self.auth) if x[1] >= m), None)
            return least is not None and least <= self.own
        return True

    # -- per account ------------------------------------------------------------------
    def params(self, region):
        got = self._params.get(region)
        if got is None:
            a = self.policy.affordability_params(region)
            got = self._params[region] = (a.reserve_per_person, _ratio(a.contingency_share),
                                          _ratio(a.tight_share), _ratio(a.max_dti))
        return got

    def case_digest(self, a) -> str:
        """sha256 of plans.offers.case_key for the case plans.batch.accounts.to_case builds
        (the case document as sorted, compact JSON; tests/test_batch_fast.py checks the ids)."""
        fmt = self.fmt
        b = a.buckets
        acc = '{"account":{' + ('"name":' + encode_basestring(a.name) + "," if a.name is not None else "") \
            + '"ref":' + encode_basestring(a.account_ref) \
            + (',"region":' + encode_basestring(a.region) if a.region is not None else "")
        debt = self.debt_text % tuple([fmt(b[i]) for i in _DEBT_ORDER])
        if a.monthly_income is None and a.essential_spending is None and a.other_debt_payments is None \
                and a.adults is None and a.savings is None and a.hardship_reason is None \
                and a.recovery_date is None:
            text = acc + debt + self.start_text
        else:
            prof = ',"profile":{"adults":%d,"children":%d' % (a.adults if a.adults is not None else 1,
                                                             a.children or 0)
            if a.hardship_reason is not None:
                prof += ',"hardship_reason":' + encode_basestring(a.hardship_reason)
            prof += (',"income":{}' if a.monthly_income is None
                     else ',"income":{"monthly_income":"%s"}' % fmt(a.monthly_income))
            prof += ',"other_debt_payments":"%s"' % fmt(a.other_debt_payments or 0)
            if a.recovery_date is not None:
                prof += ',"recovery_date":"%s"' % a.recovery_date.isoformat()
            if a.region is not None:
                prof += ',"region":' + encode_basestring(a.region)
            prof += ',"savings":"%s","spending":{%s}}' % (
                fmt(a.savings or 0), "" if a.essential_spending is None else '"other":"%s"' % fmt(a.essential_spending))
            text = acc + debt + prof + self.start_text
        return hashlib.sha256(text.encode()).hexdigest()

    def _waiver_checks(self, b, waived):
        """(authorities that may grant the standard waivers, True when they break a rule at the requested one)."""
        if self.static_waivers is not None:
            return self.static_waivers
        auth, own = self.auth, self.own
        ok = [all(waived[i] <= _pct(b[i], lim[i]) for i in range(6) if waived[i]) for _, _, _, lim in auth]
        blocked = False
        lim = auth[own][3]
        for i in range(6):
            w = waived[i]
            if w and w > _pct(b[i], lim[i]):
                least = next((k for k, x in enumerate(auth) if w <= _pct(b[i], x[3][i])), None)
                if least is None or least > own:
                    blocked = True
        return ok, blocked

    def account_rows(self, a):
        if a.currency != self.currency:
            self.policy.check_currency(a.currency)
        b = a.buckets
        if not any(b):
            raise InvalidInput("every bucket is zero; there is nothing to repay", "debt")
        profile = not (a.monthly_income is None and a.essential_spending is None and a.other_debt_payments is None
                       and a.adults is None and a.savings is None and a.hardship_reason is None
                       and a.recovery_date is None)
        if profile and a.recovery_date is not None:
            check_recovery(a, self.start)
        waived = [0, 0, 0, 0, 0, 0]
        for i, (num, den) in self.std:
            waived[i] = (2 * b[i] * num + den) // (2 * den)
        balance = sum(b) - sum(waived)
        offers: list = []  # (rank key, row without account_ref and rank)
        if balance <= 0:
            return balance, offers, [], None
        waiver_ok, std_blocked = self._waiver_checks(b, waived)
        if std_blocked:
            return balance, offers, [], None
        fmt = self.fmt
        cap = 0
        available = None
        if profile:
            reserve, cont, tight, max_dti = self.params(a.region)
            income = a.monthly_income or 0
            other = a.other_debt_payments or 0
            floor = reserve * ((a.adults if a.adults is not None else 1) + (a.children or 0))
            surplus = income - max(a.essential_spending or 0, floor) - other
            contingency = (2 * surplus * cont[0] + cont[1]) // (2 * cont[1]) if surplus > 0 else 0
            available = max(0, surplus - contingency)
            if income > 0 and available > 0:
                cap = min(available, available * tight[0] // tight[1])
                cap = max(min(cap, income * max_dti[0] // max_dti[1] - other), 0)

        def verdict_of(m: int) -> str:  # calc.affordability.assess, in integers
            if m > available:
                verdict = "unaffordable"
            elif m * tight[1] > tight[0] * available:
                verdict = "tight"
            else:
                verdict = "affordable"
            if income <= 0:
                return verdict if verdict == "unaffordable" else "tight"
            if verdict == "affordable" and (2 * (other + m) * 10000 + income) // (2 * income) * max_dti[1] \
                    > max_dti[0] * 10000:
                return "tight"
            return verdict

        prefix = None
        auth = self.auth
        nauth = len(auth)
        found = []  # (kind, months, down, financed, head, id tail, verdict, authority index)
        down = _pct(balance, self.down_ratio) if self.down_ratio else (self.down_amount or 0)
        if down < balance:
            financed = balance - down
            level_terms = [("standard", self.standard_months),
                           ("lowest_payment", self._longest_term(financed, self.own_max))]
            if cap >= self.min_cap:
                m = self._choose_months(financed, cap)
                if m is not None:
                    level_terms.append(("shortest_affordable", m if m > self.min_months else self.min_months))
            by_term: dict = {}  # the same terms twice: the earlier kind in KINDS wins
            for kind, m in level_terms:
                if not self.allowed[m] or (m in by_term and _KIND[kind] > _KIND[by_term[m][0]]):
                    continue
                head = self.level(financed, m)
                if head is None or min(head[0], head[1], head[2]) < self.min_installment:
                    continue
                by_term[m] = (kind, m, down, financed, head, self.id_tail[kind][m],
                              verdict_of(head[3]) if profile else None, self._need(m, waiver_ok))
            found.extend(by_term.values())
            if profile and a.recovery_date is not None:
                step = self._step(a, financed, down, cap)
                if step is not None:
                    m, head, tail, assess_m = step
                    if self.allowed[m] and min(head[0], head[1], head[2]) >= self.min_installment:
                        found.append(("step", m, down, financed, head, tail, verdict_of(assess_m),
                                      self._need(m, waiver_ok)))
        if profile and a.savings and self.settle_due_ok:
            settle = self._settlement(b, waived, balance, a.savings)
            if settle is not None and settle[0] >= self.min_installment:
                lump, tail, discount = settle
                need = None
                for k, (_, max_m, disc, _) in enumerate(auth):
                    if waiver_ok[k] and discount <= (2 * balance * disc[0] + disc[1]) // (2 * disc[1]):
                        need = k
                        break
                found.append(("settlement", 1, 0, lump, (lump, lump, lump, lump, 0, "0.0000"), tail,
                              "affordable" if lump <= a.savings else "unaffordable", need))
        if not found:
            return balance, offers, [], None
        prefix = self.id_head + self.case_digest(a) + "|"
        sha = hashlib.sha256
        dues = self.due
        for kind, m, down_, financed_, head, tail, verdict, need in found:
            first, regular, last, largest, fees, apr = head
            oid = "of-" + sha((prefix + tail).encode()).hexdigest()[:20]
            total = down_ + financed_ + fees
            dates = self.settle_due if kind == "settlement" else dues[m]
            offers.append(((_VERDICT[verdict], m, nauth if need is None else need, _KIND[kind], total, oid),
                           (oid, kind, m, fmt(down_), fmt(first), fmt(regular), fmt(total), dates[0], dates[1],
                            apr, verdict or "", "" if need is None else auth[need][0], "")))
        offers.sort()
        ref = a.account_ref
        return balance, [(ref, rank) + o[1] for rank, o in enumerate(offers, 1)], [], None

    def _need(self, m: int, waiver_ok) -> int | None:
        """The least authority that may grant a term of ``m`` months with the standard waivers."""
        for k, x in enumerate(self.auth):
            if m <= x[1] and waiver_ok[k]:
                return k
        return None

    def _step(self, a, financed: int, down: int, cap: int):
        """(months, head, id tail, installment assessed) of the step offer, or None."""
        p = self.policy
        low = bisect_left(self.step_dates, a.recovery_date)
        if low == 0 or low + 1 > p.max_months:
            return None
        months = min(max(p.standard_months, low + p.step_min_months_after), p.max_months)
        fee = _pct(financed, self.fee) if self.fee else 0
        unit = self.unit
        amount = max(((cap - fee) // unit) * unit, self.min_installment, unit)
        if amount * low >= financed or amount >= financed // months:
            return None
        head = self.stepped(financed, months, low, amount)
        if head is None:
            return None
        return months, head, f"step|{self.key_head[months]}(({low}, {amount}),){self.key_tail}|None", amount + fee

    def _settlement(self, b, waived, balance: int, savings: int):
        """(lump sum, id tail, discount) of the settlement offer, or None."""
        own = _pct(balance, self.own_discount)
        if balance - own > savings:
            return None
        discount = own
        if discount >= balance:
            return None
        w = list(waived)
        left = discount
        for i in _DISCOUNT_ORDER:
            if not left:
                break
            take = min(b[i] - w[i], left)
            w[i] += take
            left -= take
        key = self.settle_key + ",".join([f"{BUCKETS[i]}={w[i]}" for i in range(6) if w[i]])
        return balance - discount, f"settlement|{key}|{discount}", discount
