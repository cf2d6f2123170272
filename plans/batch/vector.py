"""The vector lane: whole chunks of plain CSV rows to offers.csv text with pyarrow and numpy.

The fast path (plans.batch.fast) still spends some 20 µs of Python on each
account.  For the common case, a UTF-8 CSV chunk whose rows are all plain
(plain references and names, amounts like ``1234.56``, the policy's currency,
known hardship reasons...), this lane reads the chunk with pyarrow's CSV reader
and computes the same offers for all its accounts at once in numpy integer
arrays, following plans.batch.fast (and so plans.offers.generate_offers) step
by step; only the SHA-256 of the offer ids runs once per account and per offer.

Whatever it does not cover goes back to the exact per-row path: a chunk with
quotes, blank lines, bad UTF-8 or a wrong number of fields is not taken at all;
a row that is not plain (any field outside the patterns below, a zero debt, a
recovery date that is not a later date) is handed back to plans.batch.work,
which runs it through plans.portfolio_input and the fast path.  It needs no
fees (APR is then 0 exactly), standard waivers that every authority may grant
and currencies with up to 4 decimals; otherwise the lane is off.

Checked by tests/test_batch_vector.py (the same offers.csv text as the fast path
on random portfolios under several policies) and, in each run, by comparing the
first plain account of every chunk with the fast path (a chunk that disagrees
goes the per-row way).
"""

from __future__ import annotations

import hashlib
import io
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from calc.affordability import HARDSHIP_REASONS
from calc.dates import MAX_DATE
from calc.debt import BUCKETS
from calc.money import exponent
from plans.portfolio_input import COLUMNS, Chunk, Layout

from .fast import _DEBT_ORDER, _KIND, FastOffers
from .vector_offers import OfferArrays

#: Reference: printable ASCII without quote, comma or backslash, no space at either end, 1-64 characters.
_REF = r"^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]([\x20\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]{0,62}[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e])?$"
_NAME = r'^[^\x00-\x1f"\\,]*$'
_REGION = r"^[a-z0-9_]*$"
_HOUSEHOLD = r"^(?P<a>[1-9]|1[0-9]|20)(?:\+(?P<c>[0-9]|1[0-9]|20))?$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_VERDICTS = ("affordable", "tight", "unaffordable", "")
_MAX_ORDINAL = MAX_DATE.toordinal()


class VectorLane(OfferArrays):
    @classmethod
    def create(cls, fast: FastOffers | None, layout: Layout) -> "VectorLane | None":
        if fast is None or layout.input_format != "csv" or layout.encoding != "utf-8":
            return None
        if fast.fee is not None or fast.static_waivers is None or exponent(fast.currency) > 4:
            return None
        # Arrow's default allocator (mimalloc) keeps some 50 MB a process it no longer needs
        pa.set_memory_pool(pa.system_memory_pool())
        return cls(fast, layout)

    def __init__(self, fast: FastOffers, layout: Layout) -> None:
        self.f = fast
        self.layout = layout
        names = [None] * layout.width
        for col, pos in zip(COLUMNS, layout.positions):
            if pos is not None:
                names[pos] = col
        self.names = names
        self.header = (",".join(names) + "\n").encode()
        self.read = dict(
            parse_options=pcsv.ParseOptions(newlines_in_values=False, quote_char=False, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        self.exp = exponent(fast.currency)
        self.div = 10**self.exp
        frac = rf"(?:\.\d{{1,{self.exp}}})?" if self.exp else ""
        self.amount_re = rf"^\d{{1,10}}{frac}$"
        self.decimal = pa.decimal128(10 + self.exp, self.exp)
        p = fast.policy
        top = p.max_months
        self.allowed = np.array(fast.allowed[: top + 1], dtype=bool)
        need = [fast._need(m, fast.static_waivers[0]) if m else None for m in range(top + 1)]
        self.nauth = len(fast.auth)
        self.need_by_m = np.array([self.nauth if n is None else n for n in need], dtype=np.int64)
        self.first_due = pa.array([""] + [fast.due[m][0] for m in range(1, top + 1)] + [fast.settle_due[0]])
        self.last_due = pa.array([""] + [fast.due[m][1] for m in range(1, top + 1)] + [fast.settle_due[1]])
        self.auth_names = pa.array([a[0] for a in fast.auth] + [""])
        self.kind_names = pa.array(list(_KIND))
        # offer-id text after the case digest, for level offers: by kind and term
        self.level_tails = pa.array([fast.id_tail[k][m] if k in fast.id_tail and m else ""
                                     for k in _KIND for m in range(top + 1)])
        self.step_dates = np.array([d.toordinal() for d in fast.step_dates], dtype=np.int64)
        self.start_ordinal = fast.start.toordinal()
        self.auth_discounts = [a[2] for a in fast.auth]

    # -- columns ----------------------------------------------------------------------
    def _col(self, table, name: str, n: int):
        return table.column(name).combine_chunks() if name in self.names else pa.array([""] * n)

    def _amounts(self, col):
        """(minor units as int64, 0 where empty or not plain; plain-or-empty mask; empty mask)."""
        ok = pc.match_substring_regex(col, self.amount_re)
        empty = pc.equal(col, "")
        dec = pc.if_else(ok, col, "0").cast(self.decimal)
        # a decimal128 holds the unscaled integer (here: minor units) in 16 little-endian bytes
        value = np.frombuffer(dec.buffers()[1], dtype=np.int64, count=2 * len(dec),
                              offset=dec.offset * 16)[::2].copy()
        return value, pc.or_(ok, empty), empty.to_numpy(zero_copy_only=False)

    def _text(self, values: np.ndarray):
        """Amounts (minor units, zero or more) as text like calc.money.format_amount."""
        if not self.exp:
            return pa.array(values).cast(pa.string())
        q = pa.array(values // self.div).cast(pa.string())
        r = pc.utf8_lpad(pa.array(values % self.div).cast(pa.string()), self.exp, "0")
        return pc.binary_join_element_wise(q, r, ".")

    # -- one chunk ----------------------------------------------------------------------
    def run(self, chunk: Chunk):
        """(plain mask over the rows, per-plain-account results) or None to take the per-row way."""
        data = chunk.data
        if b'"' in data or b"\n\n" in data or data.startswith((b"\n", b"\r")) or b"\n\r\n" in data \
                or data.count(b"\r") != data.count(b"\r\n"):
            return None
        n = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        try:
            source = self.header + data  # one block: the reader's buffers stay the chunk's size
            table = pcsv.read_csv(io.BytesIO(source), read_options=pcsv.ReadOptions(
                use_threads=False, block_size=len(source) + 1), **self.read)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
        if table.num_rows != n:
            return None
        f = self.f
        col = lambda name: self._col(table, name, n)  # noqa: E731
        ref, cur = col("account_ref"), col("currency")
        plain = pc.and_(pc.match_substring_regex(ref, _REF), pc.equal(cur, f.currency))
        buckets = []
        for name in BUCKETS:
            v, ok, _ = self._amounts(col(name))
            buckets.append(v)
            plain = pc.and_(plain, ok)
        opt = {}
        for name in ("monthly_income", "essential_spending", "other_debt_payments", "savings"):
            v, ok, empty = self._amounts(col(name))
            opt[name] = (v, empty)
            plain = pc.and_(plain, ok)
        name_col, region_col = col("name"), col("region")
        reason_col, recovery_col, household_col = col("hardship_reason"), col("recovery_date"), col("household")
        plain = pc.and_(plain, pc.match_substring_regex(name_col, _NAME))
        plain = pc.and_(plain, pc.match_substring_regex(region_col, _REGION))
        plain = pc.and_(plain, pc.is_in(reason_col, value_set=pa.array(["", *HARDSHIP_REASONS])))
        plain = pc.and_(plain, pc.or_(pc.equal(recovery_col, ""), pc.match_substring_regex(recovery_col, _DATE)))
        hh = pc.extract_regex(household_col, _HOUSEHOLD)
        hh_empty = pc.equal(household_col, "")
        plain = pc.and_(plain, pc.or_(pc.is_valid(hh), hh_empty))
        plain = plain.to_numpy(zero_copy_only=False).copy()
        b = np.stack(buckets)
        total = b.sum(axis=0)
        plain &= total > 0
        # names must be the same after Python's strip(); recovery dates real dates after the start
        has_name = pc.not_equal(name_col, "").to_numpy(zero_copy_only=False)
        check = np.nonzero(has_name & plain)[0]
        if len(check):
            names = name_col.take(pa.array(check)).to_pylist()
            for i, x in zip(check.tolist(), names):
                if x != x.strip():
                    plain[i] = False
        recovery = np.zeros(n, dtype=np.int64)
        rec_text = recovery_col.to_pylist()
        for i in np.nonzero(plain)[0]:
            t = rec_text[i]
            if t:
                try:
                    d = date.fromisoformat(t).toordinal()
                except ValueError:
                    plain[i] = False
                    continue
                if d <= self.start_ordinal or d > _MAX_ORDINAL:  # out of range: the per-row path says why
                    plain[i] = False
                recovery[i] = d
        idx = np.nonzero(plain)[0]
        if len(idx) == 0:
            return plain, None
        take = pa.array(idx)
        sub = lambda x: x[idx]  # noqa: E731
        b = b[:, idx]
        has_hh = ~hh_empty.to_numpy(zero_copy_only=False)[idx]
        adults_t = pc.if_else(pc.is_valid(hh), pc.struct_field(hh, "a"), "1").take(take)
        children_t = pc.if_else(pc.is_valid(hh), pc.struct_field(hh, "c"), "0").take(take)
        children_t = pc.if_else(pc.equal(children_t, ""), "0", children_t)
        adults = adults_t.cast(pa.int64()).to_numpy(zero_copy_only=False)
        children = children_t.cast(pa.int64()).to_numpy(zero_copy_only=False)
        inc, inc_empty = sub(opt["monthly_income"][0]), sub(opt["monthly_income"][1])
        spend, spend_empty = sub(opt["essential_spending"][0]), sub(opt["essential_spending"][1])
        other, other_empty = sub(opt["other_debt_payments"][0]), sub(opt["other_debt_payments"][1])
        savings, savings_empty = sub(opt["savings"][0]), sub(opt["savings"][1])
        reason = reason_col.take(take)
        has_reason = pc.not_equal(reason, "").to_numpy(zero_copy_only=False)
        rec = sub(recovery)
        profile = ~inc_empty | ~spend_empty | ~other_empty | has_hh | ~savings_empty | has_reason | (rec > 0)
        region = region_col.take(take)
        accounts = self._offers(b, profile, inc, spend, other, adults, children, savings, rec, region)
        refs = ref.take(take)
        texts = self._case_texts(refs, name_col.take(take), region, b, profile, adults, children, reason,
                                 inc, inc_empty, other, recovery_col.take(take), savings, spend, spend_empty)
        return plain, (idx, refs, texts, accounts)

    # -- ids -------------------------------------------------------------------------------------
    def _case_texts(self, refs, names, region, b, profile, adults, children, reason, inc, inc_empty, other,
                    recovery, savings, spend, spend_empty):
        """plans.offers.case_key of every account's case, as pyarrow strings (see FastOffers.case_digest)."""
        j = pc.binary_join_element_wise
        has_name = pc.not_equal(names, "")
        has_region = pc.not_equal(region, "")
        parts = [pa.scalar('{"account":{'), pc.if_else(has_name, j('"name":"', names, '",', ""), ""),
                 j('"ref":"', refs, '"', ""), pc.if_else(has_region, j(',"region":"', region, '"', ""), "")]
        debt = [self._text(b[i]) for i in _DEBT_ORDER]
        parts.append(self.f.debt_text.split("%s")[0])
        for i, piece in enumerate(self.f.debt_text.split("%s")[1:]):
            parts += [debt[i], piece]
        prof = [pa.scalar(',"profile":{"adults":'), pa.array(adults).cast(pa.string()), ',"children":',
                pa.array(children).cast(pa.string()),
                pc.if_else(pc.not_equal(reason, ""), j(',"hardship_reason":"', reason, '"', ""), ""),
                pc.if_else(pa.array(inc_empty), ',"income":{}',
                           j(',"income":{"monthly_income":"', self._text(inc), '"}', "")),
                ',"other_debt_payments":"', self._text(other), '"',
                pc.if_else(pc.not_equal(recovery, ""), j(',"recovery_date":"', recovery, '"', ""), ""),
                pc.if_else(has_region, j(',"region":"', region, '"', ""), ""),
                ',"savings":"', self._text(savings), '","spending":{',
                pc.if_else(pa.array(spend_empty), "", j('"other":"', self._text(spend), '"', "")), "}}"]
        prof_text = j(*prof, "")
        parts.append(pc.if_else(pa.array(profile), prof_text, ""))
        parts.append(self.f.start_text)
        return j(*parts, "").cast(pa.binary()).to_pylist()

    def csv(self, result, authority: str):
        """(refs, balances, offer counts, failures as (position, reason), offers.csv bytes, byte offset of
        each account's text plus the end) of the plain accounts."""
        idx, refs, texts, (balance, offers) = result
        f = self.f
        k = len(idx)
        acc = np.concatenate([np.nonzero(o[1])[0] for o in offers])
        pick = [np.nonzero(o[1])[0] for o in offers]
        kind = np.concatenate([np.full(len(p), _KIND[o[0]], dtype=np.int64) for o, p in zip(offers, pick)])
        col = lambda j: np.concatenate([np.asarray(o[j])[p] if np.ndim(o[j]) else np.full(len(p), o[j])  # noqa: E731
                                        for o, p in zip(offers, pick)])
        months, down, financed, first, regular, total, verdict, need = (col(j) for j in range(2, 10))
        order = np.lexsort((kind, need, months, verdict, acc))
        acc, kind, months, down, first, regular, total, verdict, need = (
            x[order] for x in (acc, kind, months, down, first, regular, total, verdict, need))
        counts = np.bincount(acc, minlength=k)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rank = np.arange(len(acc)) - starts[acc] + 1
        # offer ids: sha256 over the case text, then over the offer's text
        top = f.max_months
        tails = self.level_tails.take(pa.array(kind * (top + 1) + np.minimum(months, top)))
        special = np.nonzero((kind == _KIND["step"]) | (kind == _KIND["settlement"]))[0]
        if len(special):
            tails = tails.to_pylist()
            extra = {o[0]: o[10] for o in offers}
            step, settle = extra.get("step"), extra.get("settlement")
            for i, a, kd, m in zip(special.tolist(), acc[special].tolist(), kind[special].tolist(),
                                   months[special].tolist()):
                if kd == _KIND["settlement"]:
                    tails[i] = settle[a]
                else:
                    tails[i] = f"step|{f.key_head[m]}(({step[a][0]}, {step[a][1]}),){f.key_tail}|None"
            tails = pa.array(tails)
        sha = hashlib.sha256
        digests = pa.array([sha(t).hexdigest() if c else "" for t, c in zip(texts, counts.tolist())])
        # (ids: the first 20 hex digits of each offer's digest)
        texts = pc.binary_join_element_wise(f.id_head, digests.take(pa.array(acc)), "|", tails, "")
        ids = pa.array(["of-" + sha(t).digest()[:10].hex() for t in texts.cast(pa.binary()).to_pylist()])
        is_settle = kind == _KIND["settlement"]
        due_index = np.where(is_settle, len(self.first_due) - 1, months)
        lines = pc.binary_join_element_wise(
            refs.take(pa.array(acc)), pa.array(rank).cast(pa.string()), ids,
            self.kind_names.take(pa.array(kind)), pa.array(months).cast(pa.string()),
            self._text(down), self._text(first), self._text(regular), self._text(total),
            self.first_due.take(pa.array(due_index)), self.last_due.take(pa.array(due_index)), "0.0000",
            pa.array(_VERDICTS).take(pa.array(verdict)), self.auth_names.take(pa.array(need)), "\r\n", ",")
        bufs = lines.buffers()
        offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
        payload = bytes(memoryview(bufs[2])[offsets[0]:offsets[-1]]) if len(lines) else b""
        bal = balance.tolist()
        reason = f"offers: no offer fits the policy within {authority} authority"
        failures = [(i, reason) for i in np.nonzero(counts == 0)[0].tolist()]
        for i, _ in failures:
            bal[i] = 0
        # where each account's text starts in the payload (and where the last one ends)
        line_starts = np.append(offsets - offsets[0], 0)
        bounds = line_starts[np.append(starts, len(acc))]
        bounds[-1] = len(payload)
        return refs.to_pylist(), bal, counts.tolist(), failures, payload, bounds.tolist()
