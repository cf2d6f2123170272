"""Hostile text from data through every output, and file names made from data.

A corpus of terminal escape sequences, control characters and bidirectional
overrides goes into names, references, creditor lines and notes; nothing of it may
come out raw: not in plain text, receipts, Markdown, HTML, PDF, Rich, SMS, letters,
the command line's output and error lines.  File names built from references never
leave their folder.
"""

from __future__ import annotations

import cli_process
import json
import os
import re
import string
from datetime import date
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.debt import Debt
from calc.schedule import build_plan
from calc.terms import Terms
from plans.text.sanitize import MAX_NAME, REPLACEMENT, clean, safe_name
from plans.summary import SummaryAccount, Creditor, build_summary, mask_name, mask_reference, render

#: What imported names, regions, notes and flags were found to carry, and a few more.
CORPUS = (
    "\x1b[2J",  # clear the screen
    "\x1b]0;pwned\x07",  # set the window title
    "\x1b[31m",  # colour
    "\x1b]8;;https://evil.example/\x1b\\",  # a hyperlink
    "\x1bP+q544e\x1b\\",  # a device control string
    "\x9b2J",  # 8-bit CSI
    "\x1bc",  # reset the terminal
    "\x07",
    "\x08",
    "\x00",
    "\x7f",
    "\r",  # bell, backspace, NUL, DEL, carriage return
    "\u202e",
    "\u2066",
    "\u200f",  # right-to-left override, isolate, mark
)
HOSTILE = "张" + "".join(CORPUS) + "伟"
ARGV_HOSTILE = HOSTILE.replace("\x00", "")  # a command-line argument cannot hold NUL
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PAYLOADS = ("[2J", "]0;", "pwned", "[31m", "evil.example", "544e")


def assert_clean(text: str, where: str = "") -> None:
    bad = FORBIDDEN.search(text)
    assert bad is None, (
        f"{where}: {bad.group()!r} at {bad.start()}: {text[max(0, bad.start() - 30) : bad.start() + 30]!r}"
    )
    for payload in PAYLOADS:
        assert payload not in text, f"{where}: {payload!r} is shown"


# -- the cleaner ----------------------------------------------------------------------------------


@pytest.mark.parametrize("piece", CORPUS)
def test_each_piece_is_removed_or_shown_as_a_replacement(piece):
    out = clean(f"a{piece}b")
    assert_clean(out)
    assert out.startswith("a") and out.endswith("b")
    assert set(out[1:-1]) <= {REPLACEMENT, " "}


def test_plain_text_is_untouched_and_line_breaks_are_kept_only_when_asked():
    for text in ("张伟", "Emily Chen", "CC-0001/x", "客服热线 400-000-0000", "½ 𝄞 emoji 😀"):
        assert clean(text) == text
    assert clean("one\r\ntwo\nthree\u2028four") == "one two three four"
    assert clean("one\r\ntwo\tthree", multiline=True) == "one\ntwo three"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40), st.booleans())
def test_clean_text_never_holds_a_control_or_override_and_cleaning_twice_changes_nothing(text, multiline):
    out = clean(text, multiline=multiline)
    assert FORBIDDEN.search(out) is None
    assert clean(out, multiline=multiline) == out


def test_masking_never_keeps_an_escape_nor_reveals_more():
    assert mask_name(HOSTILE) == "张*"  # the control characters neither show nor split the name
    assert mask_name("张 三丰") == "张**" and mask_name("John Smith") == "J*** S****"
    assert mask_name("\x1b[2J Emily \u202eChen") == "E**** C***"
    assert mask_reference("\x1b[2J6222021234567890\x07") == "****7890"
    assert mask_reference("6222\x1b]0;pwned\x071234") == "****1234"
    for text in CORPUS:
        assert_clean(mask_name(f"王{text}芳")) and assert_clean(mask_reference(f"12{text}34"))


# -- file names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../../../tmp/x/pwn",
        "..",
        ".",
        "/etc/passwd",
        "a/../../b",
        "..\\..\\w",
        "\x00x",
        "CC/1",
        "",
        "~root",
        ".hidden",
        "a" * 400,
        "张伟/../x",
    ],
)
def test_a_name_from_data_stays_in_its_folder(tmp_path, name):
    safe = safe_name(name)
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe and safe not in (".", "..")
    assert not safe.startswith(".") and 0 < len(safe.encode()) <= MAX_NAME
    target = tmp_path / safe
    assert target.resolve().parent == tmp_path.resolve()
    target.write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == [safe]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_distinct_references_get_distinct_names(a, b):
    if a != b:
        assert safe_name(a) != safe_name(b)
    assert re.fullmatch(r"[A-Za-z0-9._%~-]+", safe_name(a))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=string.ascii_letters + string.digits, max_size=200), st.text(max_size=40)))
def test_a_plain_reference_is_its_own_safe_name_as_quoting_gives_it(ref):
    """safe_name's shortcut for ASCII letters and digits gives what quoting every name gives."""
    from plans.text.sanitize import _quoted_name

    assert safe_name(ref) == _quoted_name(ref)


# -- summaries in every format ----------------------------------------------------------------------


def hostile_summary():
    creditor = Creditor(
        f"示例银行{HOSTILE}",
        (f"客服 {HOSTILE}",),
        (f"投诉 {HOSTILE}",),
        missed_payment=f"逾期{HOSTILE}\n第二行",
        full_summary=f"www.{HOSTILE}.cn",
        policy_version=f"v{HOSTILE}",
    )
    plan = build_plan(Debt("CNY", principal=1000000), [], Terms(start=date(2026, 1, 1), months=3))
    return build_summary(
        plan,
        creditor,
        SummaryAccount(f"{HOSTILE}1234", HOSTILE),
        summary_date=date(2026, 1, 1),
        label=f"方案{HOSTILE}",
        explanation=f"because {HOSTILE}",
        violations=(f"rule {HOSTILE}",),
    )


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("fmt", ["text", "receipt", "md", "html", "terminal", "sms"])
def test_every_text_format_prints_hostile_data_harmless(fmt, lang):
    out = render([hostile_summary()] * (2 if fmt != "sms" else 1), fmt, lang)
    assert_clean(out.replace("\n", " ") if fmt != "terminal" else out, f"{fmt}/{lang}")
    assert "示例银行" in out or fmt == "sms"


def test_pdf_prints_hostile_data_harmless():
    from pypdf import PdfReader

    pdf = render([hostile_summary()], "pdf", "zh_CN")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "示例银行" in text
    assert_clean(text.replace("\n", " "), "pdf")


# -- the command line -------------------------------------------------------------------------------


def cli(*args, env=None, **kw):
    return cli_process.run(args, env={**os.environ, "COLUMNS": "120", **(env or {})}, timeout=60, **kw)


@pytest.mark.parametrize("fmt", ["text", "receipt", "md", "html", "sms", "table", "json"])
def test_quote_prints_a_hostile_holder_and_account_harmless(fmt):
    done = cli(
        "quote",
        "--principal",
        "10000",
        "--months",
        "6",
        "--start",
        "2026-01-01",
        "--format",
        fmt,
        "--account",
        ARGV_HOSTILE + "1234",
        "--holder",
        ARGV_HOSTILE,
    )
    assert done.returncode == 0, done.stderr
    assert_clean(done.stdout.replace("\n", " "), fmt)
    assert_clean(done.stderr.replace("\n", " "), fmt)


@pytest.mark.parametrize("fmt", ["table", "text", "receipt", "html"])
def test_offers_print_a_hostile_case_harmless(tmp_path, fmt):
    from case_data import EXAMPLE

    case = json.loads(json.dumps(EXAMPLE))
    case["account"] = {"ref": ARGV_HOSTILE, "name": HOSTILE, "region": "beijing"}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    done = cli("offers", path, "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert_clean(done.stdout.replace("\n", " "), fmt)


def test_import_error_lines_and_error_messages_are_clean(tmp_path):
    src = tmp_path / "p.csv"
    src.write_text(
        "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,name\n"
        f"{HOSTILE.replace(chr(13), '')},CNY,1x,0,0,0,0,0,{HOSTILE.replace(chr(13), '')}\n"
        f"OK-1,CNY,100,0,0,0,0,0,{HOSTILE.replace(chr(13), '')}\n",
        encoding="utf-8",
    )
    done = cli("import", src, env={"INSTALLMENT_DB": str(tmp_path / "h.db")})
    assert done.returncode == 1 and "line 2:" in done.stderr
    assert_clean(done.stderr.replace("\n", " "), "import")
    missing = cli("import", tmp_path / f"no{ARGV_HOSTILE}.csv", env={"INSTALLMENT_DB": str(tmp_path / "h.db")})
    assert missing.returncode == 2 and "installment import:" in missing.stderr
    assert_clean(missing.stderr.replace("\n", " "), "error message")


def test_batch_letters_print_hostile_names_harmless(tmp_path):
    src = tmp_path / "p.csv"
    name = HOSTILE.replace("\r", "").replace("\x00", "")
    src.write_text(
        "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,name\n"
        f'../../x/HOSTILE-1,CNY,12000,0,0,0,0,0,"{name}"\n',
        encoding="utf-8",
    )
    for fmt in ("txt", "html"):
        out = tmp_path / f"out-{fmt}"
        done = cli("batch", src, "-o", out, "--start", "2026-01-01", "--letters", fmt)
        assert done.returncode == 0, done.stderr
        letters = [p for p in (out / "letters").rglob("*") if p.is_file() and p.name != "index.csv"]
        assert [p.name for p in letters] == [f"..%2F..%2Fx%2FHOSTILE-1.{fmt}".replace("..%2F..", "%2E.%2F..")]
        assert letters[0].resolve().is_relative_to((out / "letters").resolve())  # its shard folders too
        assert_clean(letters[0].read_text(encoding="utf-8").replace("\n", " "), f"letter {fmt}")
        assert {p.name for p in tmp_path.iterdir() if p.is_dir()} <= {"out-txt", "out-html"}  # none from data
        assert [p.name for p in out.iterdir() if p.is_dir()] == ["letters"]


def test_policy_check_lines_quote_a_hostile_key_harmless(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[creditor]\nname = "x"\n"bad\\u001b]0;pwned\\u0007key" = 1\n', encoding="utf-8")
    done = cli("policy", "check", path)
    assert done.returncode == 2 and "creditor.badkey: unknown key" in done.stdout
    assert_clean(done.stdout.replace("\n", " "), "policy check")
