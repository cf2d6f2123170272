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
from plans.vocabulary import Verdict

from .outputs import csv_field

_EPOCH = date(1970, 1, 1).toordinal()


def _decimals(values, places: int) -> pa.Array:
    """Integers of minor units as a decimal array with ``places`` decimals (pyarrow prints 12345 as
    "123.45"): the integers are the decimals' unscaled values."""
    values = np.asarray(values).astype(np.int64)
    words = np.zeros((len(values), 2), dtype="<i8")
    words[:, 0] = values
    words[:, 1] = values >> 63  # the sign, spread over the high word
    return pa.Array.from_buffers(pa.decimal128(38, places), len(values), [None, pa.py_buffer(words.tobytes())])


def _dates(ordinals) -> pa.Array:
    return pa.array((np.asarray(ordinals, dtype=np.int64) - _EPOCH).astype(np.int32), type=pa.date32())


def _coded(codes, words: list) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), pa.array(words))


_SPECIAL = '[,"\\r\\n]'
_WRITE = pcsv.WriteOptions(include_header=False, eol="\r\n", quoting_style="none")
_NAMES = [f"c{i}" for i in range(15)]


def offer_csv(t: Table, refs: list, violations: list, currency: str, authorities: list) -> bytes:
    """The CSV lines of the table's offers (``refs``: the reference of every account, by the
    table's account index; ``violations``: each row's violations text; ``authorities``: the policy's
    authority names by rank).  Columns are typed (decimals, dates, codes) and pyarrow's CSV writer prints
    them; a field that needs quotes (a comma, quote or line break) makes the chunk quoted field by field."""
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
        pa.DictionaryArray.from_arrays(pa.array(np.asarray(t.acc, dtype=np.int32)), ref),
        pa.array(t.rank),
        pa.array(t.ids, type=pa.string()),
        _coded(t.kind, list(KINDS)),
        pa.array(t.months),
        *(_decimals(x, exp) for x in (t.down, t.first, t.regular, t.total)),
        _dates(t.first_due),
        _dates(t.last_due),
        _decimals(t.apr_nominal, 4),
        _coded(t.verdict, [Verdict.AFFORDABLE, Verdict.TIGHT, Verdict.UNAFFORDABLE, ""]),
        _coded(t.need, [*authorities, ""]),
        broken,
    ]
    if quote:  # as the csv module quotes: field by field
        texts = [c.cast(pa.string()) if not pa.types.is_dictionary(c.type) else c.dictionary_decode() for c in columns]
        for k in (0, 14):
            texts[k] = pa.array([csv_field(x or "") for x in texts[k].to_pylist()])
        texts = [x.cast(pa.string()) for x in texts]
        last = pc.binary_join_element_wise(texts.pop(), "\r\n", "")
        lines = pc.binary_join_element_wise(*texts, last, ",")
        bufs = lines.buffers()
        offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
        return bytes(memoryview(bufs[2])[offsets[0] : offsets[-1]])
    out = pa.BufferOutputStream()
    pcsv.write_csv(pa.Table.from_arrays(columns, names=_NAMES), out, write_options=_WRITE)
    return out.getvalue().to_pybytes()
