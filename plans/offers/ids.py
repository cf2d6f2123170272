"""Offer ids: digests of one canonical document of every input, the same function everywhere.

An offer's id is ``"of-"``, then 20 hex digits of the SHA-256 of the canonical
document of its case, then 12 of the SHA-256 of the canonical document of its
kind and terms (both under the policy version).  The case part: the currency, the
agreement date, the account, the debt by bucket and the whole profile with the
name of every income and spending line; the terms part: the kind and the exact
terms (agreement date, term, payment, longest term, down payment, first due date,
due day, fee rate and basis, remainder, rounding unit, business days and
calendar, tiers), the waivers of every bucket and a settlement's discount.  Equal
inputs give equal ids however they were written (percentages are exact ratios:
"50%" and "50.00%" are one value); any input that differs gives another id.  All
the offers of one case share their first 20 digits, and a portfolio hashes each
account's case once and each distinct set of terms once.

The documents are built column-wise, for one offer or a million, by the functions
here (:func:`case_keys`, :class:`TermsColumns`, :func:`offer_ids`) and nowhere
else.  A document is text fields (JSON-escaped, so free of control characters)
joined by ``\\x1f``, then, after ``\\x1e``, integers as 8-byte little-endian words:

* case text: schema, policy version, currency, reference, name, account region,
  profile region, hardship reason, the names of the income lines, of the spending
  lines and of the income lines after recovery (each list comma-joined);
* case numbers: agreement date (ordinal), the six buckets, whether there is a
  profile, adults, children, other debt payments, savings, recovery date
  (ordinal, 0: none), the number of income, spending and after-recovery lines
  (-1: not given), then their amounts;
* terms text: schema, policy version, kind, fee basis, remainder, business-day
  convention, calendar;
* terms numbers: agreement date, term, payment (-1), longest term, down payment
  (kind 0 none / 1 amount / 2 fraction, then the amount or the ratio), first due
  date (0: one month after the agreement), due day (0), fee rate as a ratio,
  rounding unit, per bucket the waiver (kind, amount or ratio), the settlement
  discount (-1: none), the number of tiers and each tier's count and amount.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Sequence

import numpy as np

from calc.debt import BUCKETS, Waiver
from calc.terms import Terms

from .accounts import Accounts, Lines
from .setting import Grid

SCHEMA = "installment.offer/2"

#: Up to this many rows, grouping and packing work row by row in Python (quicker than numpy's
#: per-call cost); the result is the same.
_SMALL = 16


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _texts(values: list) -> list[str]:
    """Each value JSON-escaped ("null" for None); values that repeat (regions, reasons) escaped once."""
    distinct = set(values)
    if len(distinct) * 4 > len(values):
        return ["null" if x is None else encode_basestring(x) for x in values]
    table = {x: _text(x) for x in distinct}
    return [table[x] for x in values]


def _names(lines: Lines) -> list[str]:
    """The names of each account's lines, JSON-escaped and comma-joined."""
    if len(lines.offsets) <= _SMALL:
        offsets = lines.offsets.tolist()
        return [",".join(map(encode_basestring, lines.names[a:b])) for a, b in zip(offsets, offsets[1:])]
    counts = np.diff(lines.offsets)
    if len(set(lines.names)) <= 1 and counts.max() <= 1:  # one name, at most once each (a portfolio)
        one = encode_basestring(lines.names[0]) if lines.names else ""
        return [one if c else "" for c in counts.tolist()]
    offsets = lines.offsets.tolist()
    esc = [encode_basestring(n) for n in lines.names]
    return [",".join(esc[a:b]) for a, b in zip(offsets, offsets[1:])]


def _groups(columns: list, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(for each of ``n`` rows its group, a row of each group): rows are in one group when every
    column holds the same value."""
    if not columns or n <= 1:
        return np.zeros(n, dtype=np.int64), np.zeros(min(n, 1), dtype=np.int64)
    if n <= _SMALL:  # a few rows (one case): a dict is quicker than sorting
        seen: dict = {}
        group = [seen.setdefault(key, len(seen)) for key in zip(*(c.tolist() for c in columns))]
        first = [0] * len(seen)
        for i in range(n - 1, -1, -1):
            first[group[i]] = i
        return np.array(group, dtype=np.int64), np.array(first, dtype=np.int64)
    order = np.lexsort(columns[::-1])
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for c in columns:
        s = c[order]
        new[1:] |= s[1:] != s[:-1]
    groups = np.empty(n, dtype=np.int64)
    groups[order] = np.cumsum(new) - 1
    return groups, order[new]


def _rows(fixed: np.ndarray, lists: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[bytes]:
    """Each row: its fixed words, then its list amounts (``(offsets, amounts)`` pairs) packed after them."""
    n, width = fixed.shape
    lists = [(off, values) for off, values in lists if len(values)]
    if n <= _SMALL:
        rows = [r.tobytes() for r in fixed.astype("<i8", copy=False)]
        for off, values in lists:
            off, data = off.tolist(), values.astype("<i8", copy=False).tobytes()
            rows = [r + data[8 * a : 8 * b] for r, a, b in zip(rows, off, off[1:])]
        return rows
    if not lists:
        data = fixed.astype("<i8", copy=False).tobytes()
        row = 8 * width
        return [data[i : i + row] for i in range(0, n * row, row)]
    counts = [np.diff(off) for off, _ in lists]
    lengths = width + sum(counts)
    total = int(lengths.max())
    out = np.zeros((n, total), dtype="<i8")
    out[:, :width] = fixed
    pos = np.full(n, width, dtype=np.int64)
    for (off, values), count in zip(lists, counts):
        at = np.repeat(np.arange(n), count)
        out[at, pos[at] + np.arange(len(values)) - off[at]] = values
        pos += count
    data = out.tobytes()
    row = 8 * total
    if lengths.min() == total:
        return [data[i : i + row] for i in range(0, n * row, row)]
    return [data[i * row : i * row + 8 * k] for i, k in enumerate(lengths.tolist())]


def case_keys(acc: Accounts) -> list[bytes]:
    """The case part of the document of every account (the schema and version come first, in
    :func:`offer_ids`)."""
    cur = _text(acc.currency)
    texts = map(
        "\x1f".join,
        zip(
            [cur] * acc.n,
            _texts(acc.ref),
            _texts(acc.name),
            _texts(acc.account_region),
            _texts(acc.profile_region),
            _texts(acc.reason),
            _names(acc.income_lines),
            _names(acc.spending_lines),
            _names(acc.after_lines),
        ),
    )
    n = acc.n
    fixed = np.column_stack(
        [
            np.full(n, acc.start.toordinal()),
            acc.buckets.T.astype(np.int64),
            acc.profile,
            acc.adults,
            acc.children,
            acc.other,
            acc.savings,
            acc.recovery,
            np.diff(acc.income_lines.offsets),
            np.diff(acc.spending_lines.offsets),
            acc.after_lines.counts(),
        ]
    ).astype(np.int64)
    nums = _rows(
        fixed,
        [
            (acc.income_lines.offsets, acc.income_lines.amounts),
            (acc.spending_lines.offsets, acc.spending_lines.amounts),
            (acc.after_lines.offsets, acc.after_lines.amounts),
        ],
    )
    return [t.encode() + b"\x1e" + x for t, x in zip(texts, nums)]


def _ratio(fraction: Decimal) -> tuple[int, int]:
    return Decimal(fraction).as_integer_ratio()


def down_words(down_amount: int | None, down_fraction: Decimal | None) -> tuple[int, int, int]:
    if down_fraction is not None:
        return (2, *_ratio(down_fraction))
    if down_amount is not None:
        return 1, down_amount, 0
    return 0, 0, 0


def waiver_words(waivers: Sequence[Waiver]) -> list[tuple[int, int, int]]:
    """Per bucket (BUCKETS order): (0, 0, 0) none, (1, amount, 0) or (2, num, den)."""
    by = {w.bucket: w for w in waivers}
    out = []
    for b in BUCKETS:
        w = by.get(b)
        out.append((0, 0, 0) if w is None else w.match(lambda a: (1, a, 0), lambda f: (2, *_ratio(f))))
    return out


class TermsColumns:
    """The terms of many offers on one grid: what varies per offer as arrays."""

    def __init__(self, grid: Grid, months, down: tuple, waivers, discount, tiers=(), payment=None) -> None:
        self.grid, self.months, self.down, self.waivers = grid, months, down, waivers
        self.discount, self.tiers, self.payment = discount, tiers, payment

    def text(self) -> str:
        g = self.grid
        return "\x1f".join([_text(g.fee_basis), _text(g.remainder), _text(g.business_days), _text(g.calendar.name)])

    def distinct(self, n: int) -> tuple[np.ndarray, list[bytes]]:
        """(for each of ``n`` rows the index of its numbers among the distinct ones, the distinct numbers)."""
        start, max_months, first_due, due_day, fee, round_to = _grid_words(self.grid)
        words = [
            start,
            self.months,
            -1 if self.payment is None else self.payment,
            max_months,
            *self.down,
            first_due,
            due_day,
            *fee,
            round_to,
            *(x for w in self.waivers for x in w),
            self.discount,
        ]
        arrays = [j for j, w in enumerate(words) if type(w) is np.ndarray and w.ndim > 0]
        tiers = [(_full(c, n), _full(a, n)) for c, a in self.tiers if np.any(c)]  # count 0 everywhere: no tier
        group, first = _groups([words[j] for j in arrays] + [x for pair in tiers for x in pair], n)
        fixed = np.empty((len(first), len(words) + 1), dtype=np.int64)
        fixed[:] = [0 if type(w) is np.ndarray and w.ndim > 0 else int(w) for w in words] + [0]
        for j in arrays:
            fixed[:, j] = words[j][first]
        if not tiers:
            return group, _rows(fixed, [])
        counts = np.column_stack([c[first] for c, _ in tiers])
        amounts = np.column_stack([a[first] for _, a in tiers])
        real = counts > 0
        fixed[:, -1] = real.sum(axis=1)
        flat = np.stack([counts, amounts], axis=2)[real].reshape(-1)
        return group, _rows(fixed, [(np.concatenate([[0], np.cumsum(2 * fixed[:, -1])]), flat)])


def _full(column, n: int) -> np.ndarray:
    column = np.asarray(column)
    return column if column.shape == (n,) else np.broadcast_to(column, (n,))


@lru_cache(maxsize=256)
def _grid_words(g: Grid) -> tuple:
    """The words of the terms document that come from the grid (grids are cached, so this is too)."""
    return (
        g.start.toordinal(),
        g.max_months,
        0 if g.first_due is None else g.first_due.toordinal(),
        g.due_day or 0,
        _ratio(g.fee_rate) if g.fee_rate else (0, 1),
        g.round_to,
    )


def terms_columns(terms: Terms, waivers: Sequence[Waiver], discount: int | None, grid: Grid) -> TermsColumns:
    """The columns of one offer's exact terms (``grid``: the grid of ``terms``)."""
    down = down_words(terms.down_amount, terms.down_fraction)
    return TermsColumns(
        grid,
        terms.months,
        down,
        waiver_words(waivers),
        -1 if discount is None else discount,
        tiers=[(np.array([c]), np.array([a])) for c, a in terms.tiers],
        payment=terms.payment,
    )


def case_parts(version: str, case_key: Sequence[bytes]) -> list[str]:
    """The case half of the ids of the offers of each case (from :func:`case_keys`)."""
    head = hashlib.sha256(f"{SCHEMA}\x1f{_text(version)}\x1f".encode())
    out = []
    for c in case_key:
        h = head.copy()
        h.update(c)
        out.append(h.hexdigest()[:20])
    return out


def offer_ids(
    version: str, kinds: Sequence[str], kind: np.ndarray, case_part: Sequence[str], acc: np.ndarray, terms: TermsColumns
) -> list[str]:
    """The id of every offer: its kind ``kinds[kind[j]]``, its case ``case_part[acc[j]]`` (from
    :func:`case_parts`) and row ``j`` of ``terms``.  Each distinct kind and terms is hashed once."""
    sha = hashlib.sha256
    head = f"{SCHEMA}\x1f{_text(version)}\x1f".encode()
    text = terms.text().encode()
    n = len(kind)
    group, rows = terms.distinct(n)
    pair, first = _groups([np.asarray(kind, dtype=np.int64), group], n)
    kind_of, group_of = np.asarray(kind)[first].tolist(), group[first].tolist()
    terms_part = [
        sha(head + kinds[k].encode() + b"\x1f" + text + b"\x1e" + rows[g]).hexdigest()[:12]
        for k, g in zip(kind_of, group_of)
    ]
    return ["of-" + case_part[a] + terms_part[p] for a, p in zip(np.asarray(acc).tolist(), pair.tolist())]


__all__ = [
    "SCHEMA",
    "TermsColumns",
    "case_keys",
    "case_parts",
    "down_words",
    "offer_ids",
    "terms_columns",
    "waiver_words",
]
