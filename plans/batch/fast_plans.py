"""Installment figures of level and step plans in integers, for plans.batch.fast.

A mixin of FastOffers (which sets ``unit``, ``mode``, ``fee``, ``t1`` and the
policy's term limits).  The formulas are calc.schedule.headline's for level
plans with flat fees and calc.schedule.split's for step plans; the term
searches follow plans.offers (``_longest_term``) and calc.schedule.choose_months.
"""

from __future__ import annotations

from calc.apr import ZERO, annualize, monthly_irr, monthly_irr_uniform
from calc.money import round_half_up_div


class LevelPlans:
    def level(self, financed: int, m: int):
        """(first, regular, last, largest, total_fees, apr text) of a level plan, or None when it cannot split."""
        unit, mode = self.unit, self.mode
        base = (financed // (m * unit)) * unit
        if base <= 0:
            return None
        r = financed - base * m
        fee = round_half_up_div(financed * self.fee[0], self.fee[1]) if self.fee else 0
        first = base + fee + (r if mode == "first" or (mode == "last" and m == 1)
                              else (1 if mode == "spread" and r else 0))
        last = base + fee + (r if mode == "last" or (mode == "first" and m == 1)
                             else (1 if mode == "spread" and r >= m else 0))
        largest = base + fee + (1 if (mode == "spread" and r) else r)
        if fee:
            apr = str(annualize(monthly_irr_uniform(financed, m, base + fee, r, mode, self.t1))[0])
        else:
            apr = str(ZERO)
        return first, base + fee, last, largest, fee * m, apr

    def stepped(self, financed: int, m: int, low: int, amount: int):
        """The same for a step plan: ``low`` installments of ``amount``, then the level rest."""
        unit, mode = self.unit, self.mode
        rest_months, rest = m - low, financed - amount * low
        if rest_months < 1 or rest <= 0:
            return None
        base = (rest // (rest_months * unit)) * unit
        if base <= 0:
            return None
        r = rest - base * rest_months
        level = [base] * rest_months
        if r:
            if mode == "first":
                level[0] += r
            elif mode == "last":
                level[-1] += r
            else:
                for i in range(r):
                    level[i] += 1
        fee = round_half_up_div(financed * self.fee[0], self.fee[1]) if self.fee else 0
        amounts = [amount + fee] * low + [x + fee for x in level]
        regular = amounts[-2] if mode == "last" and rest_months > 1 else amounts[-1]
        apr = str(annualize(monthly_irr(financed, amounts, self.t1))[0]) if fee else str(ZERO)
        return amounts[0], regular, amounts[-1], max(amounts), fee * m, apr

    def _longest_term(self, financed: int, max_months: int) -> int:
        months = max_months
        if self.min_installment:
            months = min(months, max(1, financed // self.min_installment))
        months = max(months, self.min_months)
        while months > self.min_months:
            h = self.level(financed, months)
            if h is not None and min(h[0], h[1], h[2]) >= self.min_installment:
                break
            months -= 1
        return months

    def _choose_months(self, financed: int, payment: int) -> int | None:
        """calc.schedule.choose_months for a payment: the shortest level term within it (None: none fits)."""
        unit, mode = self.unit, self.mode
        fee = round_half_up_div(financed * self.fee[0], self.fee[1]) if self.fee else 0
        for m in range(max(1, -(-financed // payment)), self.max_months + 1):
            base = (financed // (m * unit)) * unit
            if base <= 0:
                continue
            r = financed - base * m
            if base + (1 if (r and mode == "spread") else r) + fee <= payment:
                return m
        return None
