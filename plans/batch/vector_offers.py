"""The offers of the vector lane: plans.batch.fast's arithmetic over numpy arrays of accounts.

A mixin of plans.batch.vector.VectorLane (which sets ``f``, the FastOffers of
the run, and the per-term tables ``allowed`` and ``need_by_m``).  Each step
follows the same step of FastOffers.account_rows (and so of
plans.offers.generate_offers) for every account of a chunk at once; the
candidates come out as parallel arrays with a validity mask.
"""

from __future__ import annotations

import numpy as np


class OfferArrays:
    def _level(self, financed, m):
        """(valid, first, regular, last, largest) of level plans, arrays (m an array)."""
        unit, mode = self.f.unit, self.f.mode
        base = (financed // (m * unit)) * unit
        valid = base > 0
        r = financed - base * m
        if mode == "first":
            first = base + r
            last = base + np.where(m == 1, r, 0)
            largest = base + r
        elif mode == "last":
            first = base + np.where(m == 1, r, 0)
            last = base + r
            largest = base + r
        else:
            first = base + (r > 0)
            last = base + (r >= m)
            largest = base + (r > 0)
        return valid, first, base, last, largest

    def _verdict(self, m, available, income, other, tight, max_dti):
        v = np.where(m > available, 2, np.where(m * tight[1] > tight[0] * available, 1, 0))
        no_income = income <= 0
        v = np.where(no_income & (v != 2), 1, v)
        dti = (2 * (other + m) * 10000 + income) // np.maximum(2 * income, 1)
        high = dti * max_dti[1] > max_dti[0] * 10000
        return np.where(~no_income & (v == 0) & high, 1, v)

    def _offers(self, b, profile, inc, spend, other, adults, children, savings, rec, region):
        f = self.f
        k = b.shape[1]
        waived = np.zeros_like(b)
        for i, (num, den) in f.std:
            waived[i] = (2 * b[i] * num + den) // (2 * den)
        balance = b.sum(axis=0) - waived.sum(axis=0)
        if f.down_ratio:
            num, den = f.down_ratio
            down = (2 * balance * num + den) // (2 * den)
        else:
            down = np.full(k, f.down_amount or 0, dtype=np.int64)
        ok = (balance > 0) & (down < balance)
        financed = np.where(ok, balance - down, 1)
        # the budget, per region's parameters
        encoded = region.dictionary_encode()
        which = encoded.indices.to_numpy(zero_copy_only=False)
        table = np.array([(p[0], p[1][0], p[1][1], p[2][0], p[2][1], p[3][0], p[3][1])
                          for p in (f.params(name or None) for name in encoded.dictionary.to_pylist())],
                         dtype=np.int64).reshape(-1, 7)
        reserve, cont_n, cont_d, tight_n, tight_d, dti_n, dti_d = table[which].T
        floor = reserve * (adults + children)
        surplus = inc - np.maximum(spend, floor) - other
        contingency = np.where(surplus > 0, (2 * surplus * cont_n + cont_d) // (2 * cont_d), 0)
        available = np.maximum(0, surplus - contingency)
        cap = np.minimum(available, available * tight_n // tight_d)
        cap = np.maximum(np.minimum(cap, inc * dti_n // dti_d - other), 0)
        cap = np.where(profile & (inc > 0) & (available > 0), cap, 0)
        tight, max_dti = (tight_n, tight_d), (dti_n, dti_d)

        def verdict(m):
            return np.where(profile, self._verdict(m, available, inc, other, tight, max_dti), 3)

        out = []  # (kind, account positions, months, down, financed, first, regular, total, verdict, need, extra)
        min_inst, lo_m, top = f.min_installment, f.min_months, f.max_months

        def level_offer(kind, m, valid):
            v, first, regular, last, largest = self._level(financed, m)
            mm = np.clip(m, 0, top)
            valid = valid & ok & v & self.allowed[mm] & (np.minimum(np.minimum(first, regular), last) >= min_inst)
            return [kind, valid, m, first, regular, verdict(largest), self.need_by_m[mm]]

        std = level_offer("standard", np.full(k, f.standard_months, dtype=np.int64), np.ones(k, dtype=bool))
        # lowest payment: the longest term whose smallest installment meets the minimum
        months = np.full(k, f.own_max, dtype=np.int64)
        if min_inst:
            months = np.minimum(months, np.maximum(1, financed // min_inst))
        months = np.maximum(months, lo_m)
        active = ok & (months > lo_m)
        while active.any():
            v, first, regular, last, _ = self._level(financed, months)
            good = v & (np.minimum(np.minimum(first, regular), last) >= min_inst)
            active &= ~good
            months = np.where(active, months - 1, months)
            active &= months > lo_m
        low = level_offer("lowest_payment", months, np.ones(k, dtype=bool))
        # shortest affordable: the shortest term whose largest installment is within the cap
        want = ok & (cap >= f.min_cap)
        m = np.where(want, np.maximum(1, -(-financed // np.maximum(cap, 1))), 1)
        found = np.zeros(k, dtype=bool)
        active = want & (m <= top)
        while active.any():
            v, _, _, _, largest = self._level(financed, m)
            hit = active & v & (largest <= cap)
            found |= hit
            active &= ~hit
            m = np.where(active, m + 1, m)
            active &= m <= top
        sa = level_offer("shortest_affordable", np.maximum(m, lo_m), found)
        # the same term twice: the earlier kind in KINDS wins
        std[1] &= ~(sa[1] & (sa[2] == std[2]))
        low[1] &= ~(sa[1] & (sa[2] == low[2])) & ~(std[1] & (std[2] == low[2]))
        for o in (sa, std, low):
            out.append((o[0], o[1], o[2], down, financed, o[3], o[4], down + financed, o[5], o[6], None))
        self._step(out, ok, profile, rec, financed, down, cap, verdict)
        self._settlement(out, b, waived, balance, profile, savings)
        return balance, out

    def _step(self, out, ok, profile, rec, financed, down, cap, verdict):
        f, p = self.f, self.f.policy
        unit, mode = f.unit, f.mode
        top = p.max_months
        low = np.searchsorted(self.step_dates, rec, side="left")
        want = ok & profile & (rec > 0) & (low > 0) & (low + 1 <= top)
        months = np.minimum(np.maximum(p.standard_months, low + p.step_min_months_after), top)
        amount = np.maximum(np.maximum((cap // unit) * unit, f.min_installment), unit)
        want &= (amount * low < financed) & (amount < financed // months)
        rest_months = months - low
        rest = financed - amount * low
        want &= (rest_months >= 1) & (rest > 0)
        rm = np.maximum(rest_months, 1)
        base = (rest // (rm * unit)) * unit
        want &= base > 0
        r = rest - base * rm
        if mode == "first":
            last = base + np.where(rm == 1, r, 0)
        elif mode == "last":
            last = base + r
        else:
            last = base + (r >= rm)
        regular = np.where((rm > 1) & (mode == "last"), base, last)
        first = amount
        want &= self.allowed[months] & (np.minimum(np.minimum(first, regular), last) >= f.min_installment)
        extra = [(int(lo), int(am)) if w else None for w, lo, am in zip(want, low, amount)]
        out.append(("step", want, months, down, financed, first, regular, down + financed, verdict(amount),
                    self.need_by_m[months], extra))

    def _settlement(self, out, b, waived, balance, profile, savings):
        f = self.f
        k = b.shape[1]
        if not f.settle_due_ok:
            return
        num, den = f.own_discount
        discount = (2 * balance * num + den) // (2 * den)
        want = profile & (savings > 0) & (balance > 0) & (balance - discount <= savings) & (discount < balance)
        lump = balance - discount
        want &= lump >= f.min_installment
        need = np.full(k, self.nauth, dtype=np.int64)
        for j in reversed(range(self.nauth)):
            dn, dd = self.auth_discounts[j]
            need = np.where(discount <= (2 * balance * dn + dd) // (2 * dd), j, need)
        extra = [None] * k
        for i in np.nonzero(want)[0]:
            _, tail, _ = f._settlement(tuple(int(x) for x in b[:, i]), [int(x) for x in waived[:, i]],
                                       int(balance[i]), int(savings[i]))
            extra[i] = tail
        zero = np.zeros(k, dtype=np.int64)
        out.append(("settlement", want, np.ones(k, dtype=np.int64), zero, lump, lump, lump, lump,
                    np.where(lump <= savings, 0, 2), need, extra))
