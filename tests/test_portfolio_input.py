"""The portfolio reader: every physical row is a PortfolioRow or a Reject with a specific reason."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.errors import InvalidInput
from calc.money import parse_amount
from plans.portfolio.reader import (
    COLUMNS,
    PortfolioRow,
    Portfolio,
    Reject,
    fast_amount,
    parse_chunk,
    read_portfolio,
)

HEADER = "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees"


def write(tmp_path, text: str | bytes, name: str = "p.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


def items(path, **kw):
    return list(read_portfolio(path, **kw))


def test_good_rows_with_optional_columns(tmp_path):
    path = write(
        tmp_path,
        "\ufeff" + HEADER + ",name,region,monthly_income,essential_spending,"
        "other_debt_payments,household,savings,hardship_reason,recovery_date\n"
        'CC-1,CNY,"48,000.00",3200,1500.5,600,0,,张三,Beijing,9000,4000,1200,2+1,3000,illness,2026-06-01\n'
        "CC-2,jpy,5000,0,0,0,0,0,,,,,,3,,,\n",
    )
    a, b = items(path)
    assert a == PortfolioRow(
        2,
        "CC-1",
        "CNY",
        (4800000, 320000, 150050, 60000, 0, 0),
        "张三",
        "beijing",
        900000,
        400000,
        120000,
        2,
        1,
        300000,
        "illness",
        date(2026, 6, 1),
    )
    assert b.currency == "JPY" and b.buckets == (5000, 0, 0, 0, 0, 0)
    assert (b.adults, b.children, b.monthly_income, b.name) == (3, 0, None, None)
    assert a.debt().total == a.total == 5330050


def test_every_kind_of_bad_row_has_its_line_and_reason(tmp_path):
    rows = [
        "A1,CNY,100,0,0,0,0,0",  # 2 good
        "",  # 3 blank line
        "A2,CNY,12x,0,0,0,0,0",  # 4 bad amount
        "A1,CNY,5,0,0,0,0,0",  # 5 duplicate
        ",,,,,,,",  # 6 blank (empty fields)
        "A3,ABC,1,0,0,0,0,0",  # 7 unknown currency
        "A4,CNY,1,2",  # 8 missing columns
        "A5,CNY,1,0,0,0,0,0,9",  # 9 too many fields
        "A6,CNY,1.234,0,0,0,0,0",  # 10 too many decimals
        ",CNY,1,0,0,0,0,0",  # 11 no reference
        "A7,CNY,-5,0,0,0,0,0",  # 12 negative
        '"A8\nB",CNY,1,0,0,0,0,0',  # 13-14 reference with a line break
        'A9,CNY,"1,0,0,0,0,0',  # 15 unterminated quote to the end of the file
    ]
    data = (HEADER + "\n" + "\n".join(rows[:-1]) + "\n").encode() + b"\xff\xfeA10,CNY\n" + rows[-1].encode()
    got = items(write(tmp_path, data))
    assert [x.line for x in got] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16]
    assert isinstance(got[0], PortfolioRow)
    reasons = {x.line: x.reason for x in got[1:]}
    assert all(isinstance(x, Reject) for x in got[1:])
    assert reasons[3].startswith("blank line")
    assert reasons[4].startswith("principal: '12x' is not an amount")
    assert reasons[5].startswith("account_ref: duplicate") and got[3].account_ref == "A1"
    assert reasons[6].startswith("blank line: every field is empty")
    assert reasons[7].startswith("currency: unknown currency 'ABC'")
    assert reasons[8].startswith("columns: missing columns penalty_interest")
    assert reasons[9].startswith("columns: 9 fields but the header names 8")
    assert "too many decimal places" in reasons[10]
    assert reasons[11].startswith("account_ref: is empty")
    assert "negative" in reasons[12]
    assert reasons[13].startswith("account_ref: must be at most 64 printable")
    assert reasons[15].startswith("encoding: the line is not valid UTF-8 (byte 0xff")
    assert reasons[16].startswith("csv: malformed row")


def test_gb18030_input(tmp_path):
    text = HEADER + ",name,region\n" + "CN-1,CNY,1000,0,0,0,0,0,王小明,北京\n"
    path = write(tmp_path, text.encode("gb18030"))
    assert [x.name for x in items(path, encoding="gb18030")] == ["王小明"]
    utf = items(path)  # read as UTF-8 the Chinese name is not valid: rejected with a hint
    assert isinstance(utf[0], Reject) and "--encoding gb18030" in utf[0].reason
    assert utf[0].account_ref == "CN-1"  # the reference itself decodes, so the reject names it
    bom = write(tmp_path, "\ufeff" + text, "bom.csv")  # UTF-8 by its byte-order mark
    with pytest.raises(InvalidInput, match="UTF-8 byte-order mark but --encoding is gb18030; use --encoding utf-8"):
        items(bom, encoding="gb18030")


def test_jsonl_rows(tmp_path):
    lines = [
        json.dumps(
            {
                "account_ref": "J1",
                "currency": "CNY",
                "principal": "100.00",
                "interest": 5,
                "penalty_interest": "0",
                "late_fees": "0",
                "annual_fees": "0",
                "other_fees": "0",
                "household": 2,
            }
        ),
        '{"account_ref": "J2", "currency": "CNY", "principal": 1.5, "interest": "0", "penalty_interest": "0",'
        ' "late_fees": "0", "annual_fees": "0", "other_fees": "0"}',
        "",
        "[1, 2]",
        "{not json",
        json.dumps({"account_ref": "J3", "currency": "CNY", "principal": "1"}),
        json.dumps(
            {
                "account_ref": "J4",
                "currency": "CNY",
                "principal": "1",
                "interest": "0",
                "penalty_interest": "0",
                "late_fees": "0",
                "annual_fees": "0",
                "other_fees": "0",
                "colour": "red",
            }
        ),
        json.dumps(
            {
                "account_ref": "J5",
                "currency": "CNY",
                "principal": True,
                "interest": "0",
                "penalty_interest": "0",
                "late_fees": "0",
                "annual_fees": "0",
                "other_fees": "0",
            }
        ),
        json.dumps(
            {
                "account_ref": "J6",
                "currency": "CNY",
                "principal": "1",
                "interest": "0",
                "penalty_interest": "0",
                "late_fees": "0",
                "annual_fees": "0",
                "other_fees": "0",
                "savings": False,
            }
        ),
    ]
    got = items(write(tmp_path, "\n".join(lines) + "\n", "p.jsonl"))
    assert [x.line for x in got] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert got[7].reason == "principal: true is not an amount; give digits such as 1234.56"
    assert got[8].reason == "savings: false is not an amount; give digits such as 1234.56"
    assert got[0].buckets == (10000, 500, 0, 0, 0, 0) and got[0].adults == 2
    assert got[1].buckets[0] == 150  # a JSON number is read as an exact decimal
    assert got[2].reason.startswith("blank line")
    assert got[3].reason.startswith("json: expected an object")
    assert got[4].reason.startswith("json: not a JSON object")
    assert got[5].reason.startswith("columns: missing columns interest") and got[5].account_ref == "J3"
    assert got[6].reason.startswith("columns: unknown field 'colour'")


@pytest.mark.parametrize(
    "header, message",
    [
        ("account_ref,currency,principal", "the header has no column interest"),
        (HEADER + ",colour", "unknown column 'colour'"),
        (HEADER + ",name,name", "column 'name' appears twice"),
        ("", "the file is empty"),
    ],
)
def test_bad_header_is_an_error_for_the_whole_file(tmp_path, header, message):
    with pytest.raises(InvalidInput, match=message) as info:
        items(write(tmp_path, header + "\n"))
    assert info.value.field == "input"


def test_missing_file_and_utf16(tmp_path):
    with pytest.raises(InvalidInput, match="cannot read"):
        items(str(tmp_path / "nope.csv"))
    with pytest.raises(InvalidInput, match="UTF-16"):
        items(write(tmp_path, HEADER.encode("utf-16")))


def test_bad_optional_fields(tmp_path):
    head = HEADER + ",household,hardship_reason,recovery_date,monthly_income"
    path = write(
        tmp_path,
        head
        + "\n"
        + "\n".join(
            [
                "B1,CNY,1,0,0,0,0,0,two,,,",
                "B2,CNY,1,0,0,0,0,0,,lazy,,",
                "B3,CNY,1,0,0,0,0,0,,,2026-13-01,",
                "B4,CNY,1,0,0,0,0,0,,,,1e999",
                "B5,CNY,1,0,0,0,0,0,0+1,,,",
            ]
        )
        + "\n",
    )
    fields = [x.reason.split(":")[0] for x in items(path)]
    assert fields == ["household", "hardship_reason", "recovery_date", "monthly_income", "household"]


def test_chunks_never_cut_a_row_and_keep_line_numbers(tmp_path):
    rows = [f"R{i},CNY,{i}.5,0,0,0,0,0" if i % 7 else f'"R{i}\nx",CNY,1,0,0,0,0,0' for i in range(1, 400)]
    path = write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    whole = items(path)
    with Portfolio(path, chunk_bytes=64) as p:
        small = [x for c in p.chunks() for x in parse_chunk(p.layout, c)]
        assert p.lines == 1 + 399 + 399 // 7
    assert small == whole
    assert whole[-1].line == 1 + 399 + 399 // 7 - (1 if 399 % 7 == 0 else 0)


def test_chunks_shared_among_workers_shrink_toward_the_end_and_hold_the_same_rows(tmp_path):
    rows = [f"R{i},CNY,{i}.5,0,0,0,0,0" if i % 7 else f'"R{i}\nx",CNY,1,0,0,0,0,0' for i in range(1, 20000)]
    path = write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    whole = items(path)
    with Portfolio(path, chunk_bytes=4096) as p:
        chunks = list(p.chunks(share=2))
        shared = [x for c in chunks for x in parse_chunk(p.layout, c)]
    assert shared == whole
    sizes = [len(c.data) for c in chunks[1:]]  # (the first holds what was read with the header too)
    assert max(sizes) <= 4096 + 200 and min(sizes[:-1]) >= 4096 // 8 - 200  # (whole rows: a row more or less)
    assert sizes[0] > 4000 and sizes[-2] < 1000  # large while there is much left, small at the end


def test_a_quote_inside_an_unquoted_field_does_not_misplace_later_cuts(tmp_path):
    # 10"5 keeps its quote as a character (as the csv module reads it), so counting quotes is off
    # by one from there on: a later quoted field spanning two lines must still stay whole.
    pad = "".join(f"P{i},CNY,100,0,0,0,0,0,\n" for i in range(4000))  # past the header's first read
    tail = 'S1,CNY,10"5,0,0,0,0,0,\nS2,CNY,100,0,0,0,0,0,"two\nlines"\nS3,CNY,100,0,0,0,0,0,\n'
    path = write(tmp_path, HEADER + ",name\n" + pad + tail)
    for kw in ({}, *({"chunk_bytes": n} for n in range(1, 120, 7)), {"chunk_bytes": 1000}):
        with Portfolio(path, **kw) as p:
            got = [x for c in p.chunks() for x in parse_chunk(p.layout, c)][-3:]
        assert [(x.line, x.account_ref, x.__class__) for x in got] == [
            (4002, "S1", Reject),
            (4003, "S2", PortfolioRow),
            (4005, "S3", PortfolioRow),
        ], kw
        assert "principal: '10\"5' is not an amount" in got[0].reason


def test_columns_in_any_order(tmp_path):
    cols = list(reversed(COLUMNS[:8]))
    vals = {"account_ref": "X", "currency": "USD", "principal": "10", "interest": "1"}
    row = ",".join(vals.get(c, "0") for c in cols)
    (acc,) = items(write(tmp_path, ",".join(cols).upper() + "\n" + row + "\n"))
    assert acc.buckets == (1000, 100, 0, 0, 0, 0) and acc.account_ref == "X"


amount_text = st.one_of(
    st.from_regex(r"\A[0-9]{1,14}(\.[0-9]{0,4})?\Z"),
    st.decimals(min_value=0, max_value=10**13, allow_nan=False, places=3).map(str),
    st.text(alphabet="0123456789.,-e ", max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(amount_text, st.sampled_from(["CNY", "JPY", "KWD"]))
def test_fast_amount_agrees_with_parse_amount(text, currency):
    try:
        expected = parse_amount(text, currency, "x")
    except InvalidInput as exc:
        with pytest.raises(InvalidInput) as info:
            fast_amount(text, currency, "x")
        assert str(info.value) == str(exc)
    else:
        assert fast_amount(text, currency, "x") == expected


def test_fast_amount_refuses_binary_floats():
    with pytest.raises(InvalidInput, match="binary float"):
        fast_amount(1.5, "CNY", "principal")
    assert fast_amount(Decimal("1.5"), "CNY", "principal") == 150
