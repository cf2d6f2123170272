"""End-to-end: run the real `installment quote` command."""

import cli_process
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("installment")


def quote(*args, check=False):
    return cli_process.run(["quote", *args], env={**os.environ, "COLUMNS": "120"})


BASE = [
    "--principal",
    "48000",
    "--interest",
    "3200",
    "--penalty-interest",
    "1500",
    "--late-fees",
    "600",
    "--start",
    "2025-01-15",
]


def test_json_document_has_exactly_the_public_names():
    r = quote(
        *BASE,
        "--months",
        "24",
        "--fee-rate",
        "0.6%",
        "--waive",
        "penalty_interest=100%",
        "--waive",
        "late_fees=300",
        "--down",
        "10%",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert list(doc) == [
        "schema",
        "currency",
        "start",
        "debt",
        "waived",
        "plan_balance",
        "down_payment",
        "financed",
        "months",
        "fee_rate",
        "fee_basis",
        "remainder",
        "installments",
        "total_fees",
        "total_repayable",
        "apr",
        "affordability",
        "warnings",
    ]
    assert doc["schema"] == "installment.quote/1"
    assert doc["debt"]["total"] == "53300.00"
    assert doc["waived"] == {
        "principal": "0.00",
        "interest": "0.00",
        "penalty_interest": "1500.00",
        "late_fees": "300.00",
        "annual_fees": "0.00",
        "other_fees": "0.00",
        "total": "1800.00",
    }
    assert doc["plan_balance"] == "51500.00"
    assert doc["down_payment"] == "5150.00"
    assert doc["financed"] == "46350.00"
    assert doc["fee_rate"] == "0.0060"
    assert len(doc["installments"]) == 24
    first = doc["installments"][0]
    assert list(first) == ["n", "due", "amount", "principal", "fee", "balance_after"]
    assert first["due"] == "2025-02-15"
    assert doc["installments"][-1]["balance_after"] == "0.00"
    assert set(doc["apr"]) == {"nominal", "effective"}
    assert doc["affordability"] is None
    total = sum(int(i["amount"].replace(".", "")) for i in doc["installments"]) + 515000
    assert f"{total // 100}.{total % 100:02d}" == doc["total_repayable"]


def test_affordability_block():
    r = quote(
        *BASE,
        "--months",
        "36",
        "--income",
        "9500",
        "--essential-spending",
        "4000",
        "--other-debt-payments",
        "1200",
        "--household",
        "3",
        "--reserve-per-person",
        "1320",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    aff = json.loads(r.stdout)["affordability"]
    assert list(aff) == [
        "income",
        "essential_spending",
        "living_floor",
        "other_debt_payments",
        "surplus",
        "contingency",
        "available",
        "installment",
        "left",
        "dti",
        "verdict",
        "findings",
    ]
    assert aff["living_floor"] == "3960.00"
    assert aff["surplus"] == "4300.00"  # 9500 - max(4000, 3960) - 1200
    assert aff["contingency"] == "430.00" and aff["available"] == "3870.00"
    # every term of the budget, so what is left explains itself: 9500 - 4000 - 1200 - 430 - installment
    installment = int(aff["installment"].replace(".", ""))
    assert aff["left"] == f"{(387000 - installment) / 100:.2f}"
    assert aff["verdict"] in ("affordable", "tight", "unaffordable")


def test_jpy_amounts_have_no_decimals():
    r = quote(
        "--currency", "JPY", "--principal", "100000", "--months", "3", "--start", "2025-01-01", "--format", "json"
    )
    doc = json.loads(r.stdout)
    assert doc["installments"][0]["amount"] == "33334"


def test_text_format_prints_a_table():
    r = quote(*BASE, "--months", "6", "--format", "table")
    assert r.returncode == 0
    assert "Schedule" in r.stdout and "2025-07-15" in r.stdout


@pytest.mark.parametrize(
    "args,flag",
    [
        (["--months", "61"], "--months"),
        (["--months", "x"], "--months"),
        (["--principal", "1.001", "--months", "3"], "--principal"),
        (["--principal", "-5", "--months", "3"], "--principal"),
        (["--months", "3", "--waive", "fees=1"], "--waive"),
        (["--months", "3", "--down", "60000"], "--down"),
        (["--months", "3", "--start", "2025-13-01"], "--start"),
        (["--months", "3", "--fee-rate", "abc"], "--fee-rate"),
        (["--months", "3", "--tier", "6-200"], "--tier"),
        (["--months", "3", "--currency", "XXX1"], "--currency"),
        ([], "--months"),
        (["--months", "3", "--first-due", "2025-01-01"], "--first-due"),
        (["--months", "3", "--due-day", "32"], "--due-day"),
    ],
)
def test_invalid_input_exits_2_with_one_line_naming_the_flag(args, flag):
    base = ["--principal", "1000", "--start", "2025-01-15"] if "--principal" not in args else ["--start", "2025-01-15"]
    r = quote(*base, *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert flag in lines[0]
    assert "Traceback" not in r.stderr


def test_payment_too_small_exits_3_with_months_needed_and_smallest_payment():
    r = quote("--principal", "10000", "--payment", "100", "--start", "2025-01-15")
    assert r.returncode == 3
    assert "100 months" in r.stderr and "167.06" in r.stderr


def _on_a_terminal(*args) -> str:
    """Run `installment quote` with standard output on a pseudo-terminal; return what it drew."""
    import pty

    master, slave = pty.openpty()
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "installment_tui.cli"]
    proc = subprocess.Popen(
        [*cmd, "quote", *args],
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_the_default_is_the_summary_drawn_with_rich():
    drawn = _on_a_terminal(*BASE, "--months", "6", "--lang", "en")
    assert "\x1b[" in drawn  # Rich styles it
    assert "Repayment schedule" in drawn and "July 15, 2025" in drawn


def test_text_in_a_pipe_is_plain():
    r = quote(*BASE, "--months", "6", "--format", "text", "--lang", "en")
    assert r.returncode == 0
    assert "\x1b[" not in r.stdout and "Repayment schedule" in r.stdout


EVERY_FLAG_BAD = [
    ("--currency", "EURO"),
    ("--principal", "abc"),
    ("--interest", "-1"),
    ("--penalty-interest", "1.234"),
    ("--late-fees", "nan"),
    ("--annual-fees", "inf"),
    ("--other-fees", "1e30"),
    ("--waive", "principal=20000"),
    ("--down", "100%"),
    ("--down", "10000"),
    ("--months", "0"),
    ("--payment", "0"),
    ("--max-months", "61"),
    ("--start", "2025-02-30"),
    ("--first-due", "2025-01-10"),
    ("--due-day", "0"),
    ("--fee-rate", "6%"),
    ("--fee-basis", "annual"),
    ("--remainder", "middle"),
    ("--round-to", "0"),
    ("--tier", "6x20000"),
    ("--business-days", "next"),
    ("--calendar", "us"),
    ("--income", "lots"),
    ("--essential-spending", "-3"),
    ("--other-debt-payments", "x"),
    ("--household", "21"),
    ("--reserve-per-person", "-5"),
    ("--format", "docx"),
    ("--lang", "fr"),
    ("--width", "40"),
    ("--summary-date", "someday"),
]


@pytest.mark.parametrize("flag,value", EVERY_FLAG_BAD)
def test_every_flag_refuses_a_bad_value_with_one_line_naming_it(flag, value, capsys):
    from installment_tui.cli import main

    args = ["quote", "--principal", "10000", "--start", "2025-01-15", "--format", "json"]
    if flag not in ("--months", "--payment"):
        args += ["--months", "12"]
    if flag in ("--essential-spending", "--other-debt-payments", "--household", "--reserve-per-person"):
        args += ["--income", "8000"]
    if flag == "--summary-date":
        args += ["--format", "receipt"]
    args += [f"{flag}={value}"]
    try:
        status = main(args)
    except SystemExit as exc:  # argparse's own refusals
        status = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1, err
    assert flag in err[0] and "Traceback" not in err[0]
    assert "minor units" not in err[0]  # amounts are shown as amounts


def test_json_and_table_go_to_the_output_file_too(tmp_path):
    doc, table = tmp_path / "plan.json", tmp_path / "plan.txt"
    r = quote(*BASE, "--months", "6", "--format", "json", "-o", str(doc))
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(doc.read_text(encoding="utf-8"))["schema"] == "installment.quote/1"
    r = quote(*BASE, "--months", "6", "--format", "table", "-o", str(table))
    assert r.returncode == 0 and r.stdout == ""
    assert "2025-07-15" in table.read_text(encoding="utf-8") and "\x1b[" not in table.read_text(encoding="utf-8")


def test_no_format_of_quote_offers_or_negotiate_imports_textual(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"start": "2025-12-01", "debt": {"principal": "48000.00"}}), encoding="utf-8")
    code = (
        "import io, json, sys, contextlib\n"
        "from installment_tui.cli import main\n"
        "q = ['quote', '--principal', '1000', '--months', '3', '--income', '5000']\n"
        "runs = [q + ['--format', f] for f in ('table', 'text', 'receipt', 'md', 'html', 'sms')]\n"
        f"runs += [q + ['--format', 'pdf', '-o', {str(tmp_path / 'q.pdf')!r}]]\n"
        f"runs += [['offers', {str(case)!r}, '--format', f] for f in ('table', 'json', 'text')]\n"
        f"runs += [['negotiate', {str(case)!r}, '--pay', p, '--format', 'text'] for p in ('3000', '900')]\n"
        "out = []\n"
        "sink = io.TextIOWrapper(io.BytesIO(), encoding='utf-8')\n"
        "with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(io.StringIO()):\n"
        "    for args in runs:\n"
        "        out.append(main(args))\n"
        "print(json.dumps([out, 'textual' in sys.modules]))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    statuses, textual = json.loads(r.stdout.strip().splitlines()[-1])
    assert statuses == [0] * 10 + [0, 3] and textual is False


def test_an_unknown_flag_names_the_command():
    r = quote("--principal", "100", "--months", "3", "--bogus", "1")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "installment quote: unrecognized arguments: --bogus 1; see 'installment quote --help'"
    ]
