"""offers.csv text of a whole table of offers at once (pyarrow string kernels).

Byte for byte what ``plans.batch.outputs.encode_rows("csv", OFFER_COLUMNS, rows)``
writes for the same rows (Python's csv module: quotes only where a field holds a
comma, quote or line break; CRLF line ends), several times faster than formatting
rows in Python; tests/test_batch_engine.py compares the two.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from calc.money import exponent
from plans.offers import KINDS
from plans.offers.engine import Table

from .outputs import csv_field

_VERDICTS = pa.array(["affordable", "tight", "unaffordable", ""])
_KINDS = pa.array(list(KINDS))


def _decimals(values: np.ndarray, places: int) -> pa.Array:
    """Non-negative integers of minor units as text with ``places`` decimals (12345 -> "123.45"):
    the integers become the unscaled values of a decimal array, which pyarrow prints.  Values that
    repeat (down payments of zero, APRs) are printed once."""
    values = np.asarray(values, dtype=np.int64)
    distinct, where = np.unique(values, return_inverse=True)
    if len(distinct) * 4 > len(values):
        distinct, where = values, None
    words = np.zeros((len(distinct), 2), dtype="<i8")
    words[:, 0] = distinct
    dec = pa.Array.from_buffers(pa.decimal128(38, places), len(distinct), [None, pa.py_buffer(words.tobytes())])
    text = dec.cast(pa.string())
    return text if where is None else text.take(pa.array(where.reshape(-1)))


def _dates(ordinals: np.ndarray) -> pa.Array:
    days, where = np.unique(ordinals, return_inverse=True)
    return pa.array([date.fromordinal(d).isoformat() for d in days.tolist()]).take(pa.array(where.reshape(-1)))


_SPECIAL = '[,"\\r\\n]'
_WRITE = pcsv.WriteOptions(include_header=False, eol="\r\n", quoting_style="none")


def offer_csv(t: Table, refs: list, violations: list, currency: str, authorities: list) -> bytes:
    """The CSV lines of the table's offers (``refs``: the reference of every account, by the
    table's account index; ``violations``: each row's violations text; ``authorities``: the policy's
    authority names by rank)."""
    if not len(t):
        return b""
    exp = exponent(currency)
    ref = pa.array(refs, type=pa.string())
    quote = pc.any(pc.match_substring_regex(ref, _SPECIAL)).as_py()
    if any(violations):
        broken = pa.array(violations, type=pa.string())
        quote = quote or pc.any(pc.match_substring_regex(broken, _SPECIAL)).as_py()
    else:
        broken = pa.nulls(len(t), pa.string())
    columns = [
        ref.take(pa.array(t.acc)), pa.array(t.rank).cast(pa.string()), pa.array(t.ids, type=pa.string()),
        _KINDS.take(pa.array(t.kind)), pa.array(t.months).cast(pa.string()),
        *(_decimals(x, exp) for x in (t.down, t.first, t.regular, t.total)),
        _dates(t.first_due), _dates(t.last_due), _decimals(t.apr_nominal, 4), _VERDICTS.take(pa.array(t.verdict)),
        pa.array([*authorities, ""]).take(pa.array(t.need)), broken]
    if quote:  # a field needs quotes: quote field by field as the csv module does
        for k in (0, 14):
            columns[k] = pa.array([csv_field(x or "") for x in columns[k].to_pylist()])
        last = pc.binary_join_element_wise(columns.pop(), "\r\n", "")
        lines = pc.binary_join_element_wise(*columns, last, ",")
        bufs = lines.buffers()
        offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
        return bytes(memoryview(bufs[2])[offsets[0]:offsets[-1]])
    out = pa.BufferOutputStream()
    pcsv.write_csv(pa.Table.from_arrays(columns, names=_NAMES), out, write_options=_WRITE)
    return out.getvalue().to_pybytes()


_NAMES = [f"c{i}" for i in range(15)]
