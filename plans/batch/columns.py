"""Whole chunks of plain portfolio rows read as columns, for the offer engine (pyarrow).

Reading rows one by one with Python's csv and json modules (plans.portfolio.reader)
costs some 5 µs a row; a batch of a million accounts reads most of its rows here
instead, with pyarrow's CSV and JSON readers, then checks every cell against
patterns that leave no doubt about what plans.portfolio.reader would make of it:

* references of printable ASCII without quotes, commas or backslashes, no space at
  either end; names without control characters, quotes, backslashes or commas and
  without surrounding spaces; regions in lower case; hardship reasons as listed;
* amounts written as digits with at most the currency's decimals (``1234.56``),
  the currency exactly the policy's code; households ``3`` or ``2+1``; recovery
  dates that are real ISO dates from 1900 to 2199.

A row that is not plain in every cell goes back to plans.portfolio.reader (which
says exactly what is wrong with it, or reads it as an account); a chunk the readers
cannot take as a whole (quotes or blank lines in CSV, bad encoding, a JSON value
that is not text) goes there entirely.  GB18030 chunks are decoded and read as
UTF-8.  tests/test_batch_engine.py checks that the columns give the same accounts
as the per-row reader.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.json as pjson

from calc.affordability import HARDSHIP_REASONS
from calc.debt import BUCKETS
from calc.money import exponent
from plans.text.i18n import LANGS
from plans.offers.accounts import Accounts
from plans.portfolio.reader import COLUMNS, Chunk, Layout

_REF = r"^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]([\x20\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]{0,62}[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e])?$"
_NAME = r'^[^\x00-\x1f"\\,]*$'
_REGION = r"^[a-z0-9_]*$"
_HOUSEHOLD = r"^(?P<a>[1-9]|1[0-9]|20)(?:\+(?P<c>[0-9]|1[0-9]|20))?$"
#: Recovery dates from 1900 to 2199 are plain; any other goes to the per-row reader, which says whether
#: it is within the range dates may take.
_DATE = r"^(19|20|21)\d{2}-\d{2}-\d{2}$"
#: What Python's str.strip() strips that the name pattern lets through (it refuses control characters).
_EDGE_SPACE = (
    "^[ \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|"
    "[ \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$"
)
_AMOUNTS = (*BUCKETS, "monthly_income", "essential_spending", "other_debt_payments", "savings", "income_after_recovery")
_DAY0 = date(1970, 1, 1).toordinal()


@dataclass(frozen=True, eq=False)
class Read:
    """A chunk's plain rows: which rows (``plain``, a mask over the chunk's rows), their accounts
    in order, and for each of those why it cannot have offers (None: it can)."""

    plain: np.ndarray
    accounts: Accounts | None
    problems: list
    #: Per account: its phone number and language (None: not given).
    phones: list | None = None
    languages: list | None = None


class ColumnReader:
    def __init__(self, layout: Layout, currency: str, start: date) -> None:
        self.layout, self.currency, self.start = layout, currency, start
        if layout.input_format == "csv":
            by_position = {pos: col for col, pos in zip(COLUMNS, layout.positions) if pos is not None}
            names = [by_position[i] for i in range(layout.width)]  # (every column of the header is a known one)
            self.names = names
            self.header = (",".join(names) + "\n").encode()
            self.options = dict(
                parse_options=pcsv.ParseOptions(newlines_in_values=False, quote_char=False, ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        else:
            self.names = list(COLUMNS)
            self.schema = pa.schema([(c, pa.string()) for c in COLUMNS])
        self.exp = exponent(currency)
        frac = rf"(?:\.\d{{1,{self.exp}}})?" if self.exp else ""
        self.amount_re = rf"^\d{{1,10}}{frac}$"
        self.decimal = pa.decimal128(10 + self.exp, self.exp)

    # -- reading -------------------------------------------------------------------------
    def _table(self, chunk: Chunk) -> tuple[pa.Table, int] | None:
        data = chunk.data
        if self.layout.encoding != "utf-8":
            try:
                data = data.decode(self.layout.encoding).encode("utf-8")
            except UnicodeDecodeError:
                return None
        if b"\n\n" in data or data.startswith(b"\n"):  # blank lines
            return None
        if b"\r" in data and (
            data.startswith(b"\r") or b"\n\r\n" in data or data.count(b"\r") != data.count(b"\r\n")
        ):  # blank lines, lone CRs
            return None
        n = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        try:
            if self.layout.input_format == "csv":
                if b'"' in data:
                    return None
                source = self.header + data  # one block: the reader's buffers stay the chunk's size
                table = pcsv.read_csv(
                    io.BytesIO(source),
                    read_options=pcsv.ReadOptions(use_threads=False, block_size=len(source) + 1),
                    **self.options,
                )
            else:
                table = pjson.read_json(
                    io.BytesIO(data),
                    read_options=pjson.ReadOptions(use_threads=False, block_size=len(data) + 1),
                    parse_options=pjson.ParseOptions(
                        explicit_schema=self.schema, unexpected_field_behavior="error", newlines_in_values=False
                    ),
                )
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            return None
        return (table, n) if table.num_rows == n else None

    def _col(self, table: pa.Table, name: str, n: int):
        if name not in self.names or name not in table.column_names:
            return pa.array([""] * n), np.zeros(n, dtype=bool)
        col = table.column(name).combine_chunks()
        if col.null_count:  # JSON: a missing key or null is "not given"
            return col.fill_null(""), col.is_null().to_numpy(zero_copy_only=False)
        return col, np.zeros(n, dtype=bool)

    def _amounts(self, col):
        """(minor units, 0 where empty or not plain; plain-or-empty mask; given mask)."""
        ok = pc.match_substring_regex(col, self.amount_re)
        empty = pc.equal(col, "")
        dec = pc.if_else(ok, col, "0").cast(self.decimal)
        # a decimal128 holds the unscaled integer (here: minor units) in 16 little-endian bytes
        value = np.frombuffer(dec.buffers()[1], dtype=np.int64, count=2 * len(dec), offset=dec.offset * 16)[::2].copy()
        return value, pc.or_(ok, empty).to_numpy(zero_copy_only=False), ~empty.to_numpy(zero_copy_only=False)

    def read(self, chunk: Chunk) -> Read | None:
        """The chunk's plain rows as accounts, or None when it must be read row by row."""
        got = self._table(chunk)
        if got is None:
            return None
        table, n = got
        col = lambda name: self._col(table, name, n)
        (ref, ref_null), (cur, cur_null) = col("account_ref"), col("currency")
        plain = (
            pc.and_(pc.match_substring_regex(ref, _REF), pc.equal(cur, self.currency)).to_numpy(zero_copy_only=False)
            & ~ref_null
            & ~cur_null
        )
        # every amount column at once: one long column, one pass of each kernel
        texts, nulls = zip(*(col(name) for name in _AMOUNTS))
        v, ok, given = self._amounts(pa.concat_arrays(list(texts)))
        v, ok, given = (x.reshape(len(_AMOUNTS), n) for x in (v, ok, given))
        plain &= ok.all(axis=0) & ~np.any(np.stack(nulls[: len(BUCKETS)]), axis=0)
        buckets = list(v[: len(BUCKETS)])
        amounts = {name: (v[k], given[k]) for k, name in enumerate(_AMOUNTS) if k >= len(BUCKETS)}
        name_col, region_col = col("name")[0], col("region")[0]
        reason_col, recovery_col, household_col = (
            col("hardship_reason")[0],
            col("recovery_date")[0],
            col("household")[0],
        )
        # (names as Python's strip() leaves them; real dates)
        day = pc.strptime(recovery_col, format="%Y-%m-%d", unit="s", error_is_null=True)
        # (a date that does not exist, 2026-02-30, may parse as another one: it must print back the same)
        day = pc.if_else(pc.equal(pc.strftime(day, format="%Y-%m-%d"), recovery_col), day, None)
        has_rec = pc.not_equal(recovery_col, "").to_numpy(zero_copy_only=False)
        for ok in (
            pc.match_substring_regex(name_col, _NAME),
            pc.invert(pc.match_substring_regex(name_col, _EDGE_SPACE)),
            pc.match_substring_regex(region_col, _REGION),
            pc.is_in(reason_col, value_set=pa.array(["", *HARDSHIP_REASONS])),
            pc.or_(
                pc.equal(recovery_col, ""), pc.and_(pc.match_substring_regex(recovery_col, _DATE), pc.is_valid(day))
            ),
        ):
            plain &= ok.to_numpy(zero_copy_only=False)
        phone_col, lang_col = col("phone")[0], col("language")[0]
        plain &= pc.match_substring_regex(phone_col, r"^(\+?[0-9]{5,15})?$").to_numpy(zero_copy_only=False)
        plain &= pc.is_in(lang_col, value_set=pa.array(["", *LANGS])).to_numpy(zero_copy_only=False)
        hh = pc.extract_regex(household_col, _HOUSEHOLD)
        hh_given = pc.not_equal(household_col, "").to_numpy(zero_copy_only=False)
        plain &= pc.is_valid(hh).to_numpy(zero_copy_only=False) | ~hh_given
        days = day.cast(pa.date32()).cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False)
        recovery = np.where(has_rec, days.astype(np.int64) + _DAY0, 0)
        idx = np.nonzero(plain)[0]
        if not len(idx):
            return Read(plain, None, [])
        take = pa.array(idx)
        b = np.stack(buckets)[:, idx]
        hh_valid = pc.is_valid(hh)
        adults = pc.if_else(hh_valid, pc.struct_field(hh, "a"), "1").take(take)
        children = pc.if_else(hh_valid, pc.struct_field(hh, "c"), "0").take(take)
        children = pc.if_else(pc.equal(children, ""), "0", children)
        adults = adults.cast(pa.int64()).to_numpy(zero_copy_only=False)
        children = children.cast(pa.int64()).to_numpy(zero_copy_only=False)
        pick = {k: (v[idx], g[idx]) for k, v, g in ((k, *amounts[k]) for k in amounts)}
        reasons = reason_col.take(take).to_pylist()
        has_reason = np.array([bool(r) for r in reasons], dtype=bool)
        rec = recovery[idx]
        profile = (
            pick["monthly_income"][1]
            | pick["essential_spending"][1]
            | pick["other_debt_payments"][1]
            | pick["savings"][1]
            | pick["income_after_recovery"][1]
            | hh_given[idx]
            | has_reason
            | (rec > 0)
        )
        none_if_empty = lambda xs: [x or None for x in xs]
        regions = none_if_empty(region_col.take(take).to_pylist())
        acc = Accounts.of_portfolio(
            self.currency,
            self.start,
            ref.take(take).to_pylist(),
            none_if_empty(name_col.take(take).to_pylist()),
            regions,
            b,
            *pick["monthly_income"],
            *pick["essential_spending"],
            pick["other_debt_payments"][0],
            adults,
            children,
            pick["savings"][0],
            none_if_empty(reasons),
            rec,
            *pick["income_after_recovery"],
            profile,
        )
        problems: list = [None] * len(idx)
        zero = np.nonzero(b.sum(axis=0) == 0)[0]
        for i in zero.tolist():
            problems[i] = "debt: every bucket is zero; there is nothing to repay"
        orphan = np.nonzero(pick["income_after_recovery"][1] & (rec == 0))[0]
        for i in orphan.tolist():
            problems[i] = (
                problems[i] or "income_after_recovery: needs a recovery_date: the date from which it is expected"
            )
        return Read(
            plain,
            acc,
            problems,
            none_if_empty(phone_col.take(take).to_pylist()),
            none_if_empty(lang_col.take(take).to_pylist()),
        )


__all__ = ["ColumnReader", "Read"]
