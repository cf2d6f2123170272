"""Bad input at every entry point: a clear message naming the flag or field, the right exit status,
never a traceback.

One table per entry point; each row is the input, the exit status (or outcome) and the flag or field
the message must name.  The command line runs in-process through ``installment_tui.cli.main`` (an
exception escaping it would fail the test, as a traceback would show); the batch and import read real
files; the console and kiosk fields go through the same functions their screens call.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from calc.debt import Debt
from calc.errors import InvalidInputs
from installment_tui.agent.session import TermsDraft, parse_draft
from installment_tui.cli import main
from installment_tui.kiosk.config import load_config
from installment_tui.kiosk.session import KioskSession
from plans.case import Case
from plans.policy import default_policy, default_policy_text
from plans.store import Account

# -- values every amount entry point refuses ----------------------------------------------------------
BAD_AMOUNTS = [
    "12,50",  # a decimal comma: was read as 1,250.00
    "1,0000",  # a comma out of its group of three
    "1_000",  # an underscore (Python's int() and Decimal() take it)
    "١٢",  # Arabic-Indic digits
    "1 000",  # a space inside
    "1e3",  # scientific notation
    "abc",
    "-5",
    "NaN",
    "1.001",  # more places than CNY has
    "10000000000000",  # above the trillion ceiling
]
AMOUNT_FLAGS = [
    "--principal",
    "--interest",
    "--penalty-interest",
    "--late-fees",
    "--annual-fees",
    "--other-fees",
    "--payment",
    "--down",
    "--round-to",
    "--income",
    "--other-debt-payments",
]
QUOTE = ["quote", "--principal", "1000", "--start", "2025-06-01", "--format", "json"]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own errors (a choice not offered) exit 2 with one line
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _quote_args(flag: str, value: str) -> list[str]:
    args = list(QUOTE)
    if flag == "--principal":
        args[2] = value
    else:
        args += [flag, value]
    if flag != "--payment":
        args += ["--months", "12"]
    if flag in ("--other-debt-payments",):
        args += ["--income", "5000"]
    return args


@pytest.mark.parametrize("flag", AMOUNT_FLAGS)
@pytest.mark.parametrize("value", BAD_AMOUNTS)
def test_quote_amount_flags(capsys, flag, value):
    if flag == "--round-to" and value in ("-5", "1.001"):
        pytest.skip("covered by the other rows of this flag")
    code, out, err = run_cli(capsys, *_quote_args(flag, value))
    assert code == 2, (out, err)
    assert f"installment quote: {flag}:" in err, err
    assert len(err.strip().splitlines()) == 1 and out == ""


#: (flag, value, extra args, words the message must hold)
QUOTE_ROWS = [
    ("--months", "6_0", [], "'_'"),
    ("--months", "١٢", [], "another script"),
    ("--months", "1.5", [], "whole number"),
    ("--months", "0", [], "out of range"),
    ("--months", "61", [], "out of range"),
    ("--months", "twelve", [], "not a number"),
    ("--months", "", [], "empty"),
    ("--months", "1,2", [], "decimal mark"),
    ("--max-months", "6_0", ["--months", "12"], "'_'"),
    ("--max-months", "99", ["--months", "12"], "out of range"),
    ("--due-day", "32", ["--months", "12"], "out of range"),
    ("--due-day", "١", ["--months", "12"], "another script"),
    ("--due-day", "", ["--months", "12"], "empty"),
    ("--household", "2_0", ["--months", "12", "--income", "5000"], "'_'"),
    ("--household", "21", ["--months", "12", "--income", "5000"], "out of range"),
    ("--household", "２.５", ["--months", "12", "--income", "5000"], "whole number"),
    ("--start", "9999-12-31", ["--months", "12"], "out of range"),
    ("--start", "1899-12-31", ["--months", "12"], "out of range"),
    ("--start", "2025-02-30", ["--months", "12"], "no such day"),
    ("--start", "20250131", ["--months", "12"], "YYYY-MM-DD"),
    ("--start", "2025-1-5", ["--months", "12"], "YYYY-MM-DD"),
    ("--start", "", ["--months", "12"], "empty"),
    ("--start", "2199-06-01", ["--months", "60"], "run past 2199-12-31"),
    ("--start", "2199-12-31", ["--months", "1"], "run past 2199-12-31"),
    ("--first-due", "9999-12-31", ["--months", "12"], "out of range"),
    ("--first-due", "2199-12-01", ["--months", "12"], "run past"),
    ("--first-due", "2025-05-01", ["--months", "12"], "not after the agreement date"),
    ("--first-due", "", ["--months", "12"], "empty"),
    ("--summary-date", "10000-01-01", ["--months", "12", "--format", "text"], "YYYY-MM-DD"),
    ("--summary-date", "2200-01-01", ["--months", "12", "--format", "text"], "out of range"),
    ("--currency", "XXX", ["--months", "12"], "not a currency in circulation"),
    ("--currency", "XTS", ["--months", "12"], "not a currency in circulation"),
    ("--currency", "XAU", ["--months", "12"], "not a currency in circulation"),
    ("--currency", "XAG", ["--months", "12"], "not a currency in circulation"),
    ("--currency", "XDR", ["--months", "12"], "not a currency in circulation"),
    ("--currency", "CLF", ["--months", "12"], "not a currency in circulation"),
    ("--currency", "DEM", ["--months", "12"], "not a currency in circulation"),
    ("--currency", "cny", ["--months", "12"], "unknown currency"),
    ("--currency", "ZZZ", ["--months", "12"], "unknown currency"),
    ("--currency", "", ["--months", "12"], "empty"),
    ("--fee-rate", "0,6%", ["--months", "12"], "decimal mark"),
    ("--fee-rate", "6%", ["--months", "12"], "above"),
    ("--fee-rate", "0.6_0%", ["--months", "12"], "'_'"),
    ("--fee-rate", "", ["--months", "12"], "empty"),
    ("--waive", "interest=12,5%", ["--months", "12"], "decimal mark"),
    ("--waive", "interest=1_0", ["--months", "12"], "'_'"),
    ("--waive", "interest=", ["--months", "12"], "BUCKET="),
    ("--waive", "", ["--months", "12"], "empty"),
    ("--tier", "6x1,0000", ["--months", "24"], "comma out of place"),
    ("--tier", "6_0x100", ["--months", "24"], "'_'"),
    ("--tier", "١x100", ["--months", "24"], "another script"),
    ("--holder", "\udcff\udcfe", ["--months", "12"], "not valid UTF-8"),
    ("--account", "  ", ["--months", "12"], "empty"),
    ("--reserve-per-person", "1_320", ["--months", "12", "--income", "5000"], "'_'"),
    ("--essential-spending", "3.100,00", ["--months", "12", "--income", "5000"], "comma"),
    ("--calendar", "", ["--months", "12"], "invalid choice"),
    ("--width", "４0", ["--months", "12", "--format", "receipt"], "receipt width"),
    ("--width", "4_2", ["--months", "12", "--format", "receipt"], "'_'"),
    ("-o", "", ["--months", "12"], "empty"),
    ("--payment", "", [], "empty"),
]


@pytest.mark.parametrize("flag,value,extra,words", QUOTE_ROWS)
def test_quote_flags(capsys, flag, value, extra, words):
    code, out, err = run_cli(capsys, *QUOTE, *extra, flag, value)
    assert code == 2, (out, err)
    assert f" {flag}:" in err or f"argument {flag}" in err, err
    assert words in err, err


# -- case files (offers and negotiate) --------------------------------------------------------------------
CASE = {
    "currency": "CNY",
    "start": "2025-12-01",
    "account": {"ref": "CC-1"},
    "debt": {"principal": "48000.00", "interest": "3200.00"},
    "profile": {
        "adults": 1,
        "income": {"salary": "9000.00"},
        "spending": {"food": "1500.00"},
        "recovery_date": "2026-06-01",
    },
}


def _case(**changes) -> str:
    doc = json.loads(json.dumps(CASE))
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = doc
        for p in parents:
            node = node[p]
        node[last] = value
    return json.dumps(doc, ensure_ascii=False)


#: (case file text or bytes, the JSON path (or flag) the message names)
CASE_ROWS = [
    (_case(debt__principal="48000,50"), "debt.principal"),
    (_case(debt__principal="48_000"), "debt.principal"),
    (_case(debt__principal="4,80,00"), "debt.principal"),
    (_case(debt__interest="٣٢٠٠"), "debt.interest"),
    (_case(debt__interest="3 200"), "debt.interest"),
    (_case(debt__interest=1.5), "debt.interest"),
    (_case(profile__income__salary="9000,00"), "profile.income.salary"),
    (_case(profile__spending__food="1,5000"), "profile.spending.food"),
    (_case(profile__adults="1_0"), "profile.adults"),
    (_case(profile__adults=21), "profile.adults"),
    (_case(start="9999-12-31"), "start"),
    (_case(start="1800-01-01"), "start"),
    (_case(start=""), "start"),
    (_case(start="2199-06-01", profile__recovery_date="2199-09-01"), "start"),
    (_case(profile__recovery_date="2300-01-01"), "profile.recovery_date"),
    (_case(profile__recovery_date="2026-13-01"), "profile.recovery_date"),
    (_case(currency="XXX"), "currency"),
    (_case(currency="XAU"), "currency"),
    ('{"currency": "CNY", "currency": "USD", "debt": {"principal": "1"}}', "currency"),
    ('{"debt": {"principal": "100", "principal": "48000"}}', "debt.principal"),
    (
        _case(profile__income={"salary": "1"}).replace('"salary": "1"', '"salary": "1", "salary": "9000"'),
        "profile.income.salary",
    ),
    ("[" * 100000, "case"),
    ('{"debt": ' + "[" * 5000 + "]" * 5000 + "}", "case"),
    ('{"debt": {"principal": "1"}, "x": "' + "a" * (2 << 20) + '"}', "case"),
    (b'{"debt": {"principal": "1\xff"}}', "case"),
    ("", "case"),
]


@pytest.mark.parametrize("command", ["offers", "negotiate"])
@pytest.mark.parametrize("text,name", CASE_ROWS, ids=[f"case{i}" for i in range(len(CASE_ROWS))])
def test_case_files(capsys, tmp_path, command, text, name):
    path = tmp_path / "case.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    extra = ["--pay", "1500"] if command == "negotiate" else []
    code, out, err = run_cli(capsys, command, str(path), *extra, "--format", "json")
    assert code == 2, (out, err)
    assert f"installment {command}: {name}:" in err, err
    assert len(err.strip().splitlines()) == 1


NEGOTIATE_ROWS = [
    ("--pay", "1,50"),
    ("--pay", "1_500"),
    ("--pay", "１5٠0"),
    ("--pay", ""),
    ("--months", "6_0"),
    ("--months", "١٢"),
    ("--down", "1,0000"),
    ("--down", "10,5%"),
    ("--waive", "interest=12,5%"),
    ("--policy", ""),
]


@pytest.mark.parametrize("flag,value", NEGOTIATE_ROWS)
def test_negotiate_flags(capsys, tmp_path, flag, value):
    path = tmp_path / "case.json"
    path.write_text(_case(), encoding="utf-8")
    term = [] if flag in ("--pay", "--months") else ["--pay", "1500"]
    code, out, err = run_cli(capsys, "negotiate", str(path), *term, flag, value, "--format", "json")
    assert code == 2, (out, err)
    assert f"installment negotiate: {flag}:" in err, err


# -- policies ---------------------------------------------------------------------------------------------
POLICY_TEXT = default_policy_text()


def _policy(old: str, new: str) -> str:
    assert old in POLICY_TEXT
    return POLICY_TEXT.replace(old, new, 1)


#: (policy text, the TOML key its problem names)
POLICY_ROWS = [
    (_policy('min_installment = "100.00"', 'min_installment = "12,50"'), "terms.min_installment"),
    (_policy('min_installment = "100.00"', 'min_installment = "1_000"'), "terms.min_installment"),
    (_policy('min_installment = "100.00"', 'min_installment = "١٠٠"'), "terms.min_installment"),
    (_policy('fee_rate = "0%"', 'fee_rate = "0,6%"'), "terms.fee_rate"),
    (_policy('min_down_payment = "0"', 'min_down_payment = "1,0000"'), "terms.min_down_payment"),
    (_policy('currency = "CNY"', 'currency = "XXX"'), "currency"),
    (_policy('currency = "CNY"', 'currency = "XTS"'), "currency"),
    (_policy('food_alert_ratio = "2"', 'food_alert_ratio = "1_5"'), "affordability.food_alert_ratio"),
    (_policy('food_alert_ratio = "2"', 'food_alert_ratio = "1,5"'), "affordability.food_alert_ratio"),
    (
        _policy('reserve_per_person = "1320.00"', 'reserve_per_person = "1.320,00"'),
        "regions.beijing.reserve_per_person",
    ),
    (_policy('penalty_interest = "50%"', 'penalty_interest = "5_0%"'), "authority.kiosk.waivers.penalty_interest"),
    (POLICY_TEXT + "\nx = " + "[" * 100000 + "\n", "(file)"),
    (POLICY_TEXT + "\nx = " + "{a = " * 50 + "1" + "}" * 50 + "\n", "(file)"),
    (POLICY_TEXT + "\n# " + "a" * (2 << 20) + "\n", "policy"),  # refused before it is read: on stderr
]


@pytest.mark.parametrize("text,key", POLICY_ROWS, ids=[f"policy{i}" for i in range(len(POLICY_ROWS))])
def test_policy_files(capsys, tmp_path, text, key):
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "policy", "check", str(path))
    assert code == 2, (out, err)
    assert out.startswith(f"{key}: ") or err.startswith(f"installment policy: {key}: "), (out, err)
    case = tmp_path / "case.json"
    case.write_text(_case(), encoding="utf-8")
    code, out, err = run_cli(capsys, "offers", str(case), "--policy", str(path), "--format", "json")
    assert code == 2 and "installment offers: policy:" in err, err


# -- portfolios: batch and import -------------------------------------------------------------------------
HEADER = [
    "account_ref",
    "currency",
    "principal",
    "interest",
    "penalty_interest",
    "late_fees",
    "annual_fees",
    "other_fees",
    "household",
    "monthly_income",
    "recovery_date",
]
GOOD = ["G-1", "CNY", "48000.00", "0", "0", "0", "0", "0", "2+1", "9000.00", "2027-06-01"]

#: (column, bad value): each a row of the portfolio, rejected with the column named
ROW_ROWS = [
    ("principal", "10,00"),
    ("principal", "1_000"),
    ("principal", "١٠٠"),
    ("principal", "1 000"),
    ("principal", "1,0000"),
    ("principal", "1e3"),
    ("interest", "-5"),
    ("late_fees", "12,5"),
    ("monthly_income", "9000,00"),
    ("monthly_income", "9_000"),
    ("household", "2_0"),
    ("household", "٢+١"),
    ("household", "21"),
    ("recovery_date", "9999-12-31"),
    ("recovery_date", "2300-01-01"),
    ("recovery_date", "1899-01-01"),
    ("recovery_date", "2027-02-30"),
    ("currency", "XXX"),
    ("currency", "XAU"),
]


def _rows() -> list[list[str]]:
    rows = [GOOD]
    for n, (column, value) in enumerate(ROW_ROWS):
        row = list(GOOD)
        row[0] = f"B-{n}"
        row[HEADER.index(column)] = value
        rows.append(row)
    return rows


def _write_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(_rows())


def _write_jsonl(path: Path) -> None:
    lines = [json.dumps(dict(zip(HEADER, row)), ensure_ascii=False) for row in _rows()]
    lines.append('{"account_ref": "D-1", "account_ref": "D-2"}')  # a key twice
    lines.append('{"account_ref": ' + "[" * 100000)  # nesting that stopped the run
    lines.append('{"account_ref": "N-1", "x": ' + "[" * 40 + "]" * 40 + "}")
    lines.append('{"account_ref": "L-1", "name": "' + "a" * 70000 + '"}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with path.open("ab") as fh:
        fh.write(b'{"account_ref": "U-1", "name": "\xff"}\n')  # not UTF-8


def _expected_rejects(jsonl: bool) -> dict[int, str]:
    want = {n + 3 - (1 if jsonl else 0): column for n, (column, _) in enumerate(ROW_ROWS)}
    if jsonl:
        base = len(ROW_ROWS) + 2
        want.update({base: "json", base + 1: "json", base + 2: "json", base + 3: "json", base + 4: "encoding"})
    return want


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_batch_rejects_every_bad_row_and_goes_on(capsys, tmp_path, fmt, workers):
    path = tmp_path / f"portfolio.{fmt}"
    (_write_csv if fmt == "csv" else _write_jsonl)(path)
    out_dir = tmp_path / "out"
    code, out, err = run_cli(
        capsys, "batch", str(path), "-o", str(out_dir), "--start", "2026-01-15", "--workers", workers
    )
    assert code == 0, err
    with (out_dir / "rejects.csv").open(encoding="utf-8") as fh:
        rejects = {int(r["line"]): r["reason"] for r in csv.DictReader(fh)}
    want = _expected_rejects(fmt == "jsonl")
    assert set(rejects) == set(want), rejects
    for line, column in want.items():
        assert rejects[line].startswith(f"{column}:"), (line, rejects[line])
    assert "G-1" in (out_dir / "offers.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_import_rejects_every_bad_row_and_goes_on(capsys, tmp_path, fmt):
    path = tmp_path / f"portfolio.{fmt}"
    (_write_csv if fmt == "csv" else _write_jsonl)(path)
    code, out, err = run_cli(capsys, "import", str(path), "--db", str(tmp_path / "x.db"))
    assert code == 1
    want = _expected_rejects(fmt == "jsonl")
    lines = [line for line in err.splitlines() if line.startswith("line ")]
    assert len(lines) == len(want), err
    for line in lines:
        number = int(line.split(":")[0].split()[1])
        assert line.split(": ", 2)[2].startswith(f"{want[number]}:"), line
    assert "1 new" in out


def test_decimal_comma_is_refused_in_every_batch_lane(capsys, tmp_path):
    """Quoted "10,00" (the per-row path), unquoted 10,00 (a column too many), JSON Lines: never 1,000.00."""
    quoted = tmp_path / "q.csv"
    quoted.write_text(
        ",".join(HEADER[:8]) + '\nQ-1,CNY,"10,00",0,0,0,0,0\nQ-2,CNY,48000.00,0,0,0,0,0\n', encoding="utf-8"
    )
    bare = tmp_path / "b.csv"
    bare.write_text(
        ",".join(HEADER[:8]) + "\nB-1,CNY,10,00,0,0,0,0,0\n" + "P-1,CNY,4800.00,0,0,0,0,0\n" * 1, encoding="utf-8"
    )
    lines = tmp_path / "j.jsonl"
    lines.write_text(
        json.dumps(dict(zip(HEADER[:8], ["J-1", "CNY", "10,00", "0", "0", "0", "0", "0"]))) + "\n", encoding="utf-8"
    )
    for path, column in ((quoted, "principal"), (bare, "columns"), (lines, "principal")):
        out_dir = tmp_path / f"out-{path.stem}"
        code, out, err = run_cli(
            capsys, "batch", str(path), "-o", str(out_dir), "--start", "2026-01-15", "--workers", "1"
        )
        assert code == 0, err
        with (out_dir / "rejects.csv").open(encoding="utf-8") as fh:
            reasons = [r["reason"] for r in csv.DictReader(fh)]
        assert len(reasons) == 1 and reasons[0].startswith(f"{column}:"), reasons
        assert "10.00" not in (out_dir / "offers.csv").read_text(encoding="utf-8")


BATCH_FLAGS = [
    ("--start", "9999-12-31"),
    ("--start", "2199-06-01"),
    ("--start", ""),
    ("--workers", "1_0"),
    ("--workers", "٢"),
    ("--workers", "0"),
    ("--encoding", ""),
    ("--policy", ""),
]


@pytest.mark.parametrize("flag,value", BATCH_FLAGS)
def test_batch_flags(capsys, tmp_path, flag, value):
    path = tmp_path / "p.csv"
    _write_csv(path)
    code, out, err = run_cli(capsys, "batch", str(path), "-o", str(tmp_path / "out"), flag, value)
    assert code == 2, err
    assert f"installment batch: {flag}:" in err, err
    assert not (tmp_path / "out").exists()


# -- kiosk configuration --------------------------------------------------------------------------------------
CONFIG_ROWS = [
    ('[kiosk]\nidle_timeout = "12,0"\n', "kiosk.idle_timeout"),
    ("[kiosk]\nidle_timeout = 5\n", "kiosk.idle_timeout"),
    ("[printer]\nreceipt_width = 40\n", "printer.receipt_width"),
    ("[printer]\ntimeout = 1_000\n", "printer.timeout"),
    ("[kiosk]\nid = " + "[" * 100000 + "\n", "config"),
    ("[kiosk]\nid = " + "{a = " * 40 + "1" + "}" * 40 + "\n", "config"),
    ("# " + "x" * (2 << 20) + "\n", "config"),
    ("[kiosk]\nid = 'a'\nid = 'b'\n", "config"),
]


@pytest.mark.parametrize("text,field", CONFIG_ROWS, ids=[f"config{i}" for i in range(len(CONFIG_ROWS))])
def test_kiosk_config(tmp_path, capsys, text, field):
    from calc.errors import InvalidInput

    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_config(path)
    assert exc.value.field == field, exc.value


# -- console and kiosk fields ------------------------------------------------------------------------------------
POLICY = default_policy()
CONSOLE_CASE = Case("CNY", date(2026, 12, 1), Debt("CNY", principal=4_800_000, interest=320_000, late_fees=64_000))

#: (field, typed text): the console's negotiation fields
CONSOLE_ROWS = [
    ("pay", "12,50"),
    ("pay", "1_500"),
    ("pay", "١٥٠٠"),
    ("pay", "1 500"),
    ("pay", "1e3"),
    ("months", "6_0"),
    ("months", "١٢"),
    ("months", "12.5"),
    ("months", "61"),
    ("down", "1,0000"),
    ("down", "10,5%"),
    ("down", "5_00"),
    ("first_due", "9999-12-31"),
    ("first_due", "2027-02-30"),
    ("first_due", "2200-01-01"),
    ("tiers", "6x1,0000"),
    ("tiers", "١x200"),
    ("waive.interest", "12,50"),
    ("waive.interest", "1_000"),
    ("waive.interest", "50,5%"),
]


@pytest.mark.parametrize("name,text", CONSOLE_ROWS)
def test_console_fields(name, text):
    parsed = parse_draft(TermsDraft().with_field(name, text), CONSOLE_CASE, POLICY)
    assert parsed.terms is None
    assert name in parsed.errors, parsed.errors


def _kiosk_session() -> KioskSession:
    s = KioskSession(store=None, policy=POLICY, lang="en", today=date(2026, 12, 1))
    s.account = Account("K-1", "CNY", Debt("CNY", principal=1_000_000))
    return s


SITUATION = {
    "adults": "1",
    "children": "0",
    "income": "5000",
    "housing": "1000",
    "food": "800",
    "other_spending": "",
    "other_debts": "",
    "savings": "",
    "reason": "illness",
    "recovery": "6",
}
#: (answer, typed text, the message id the kiosk shows)
KIOSK_ROWS = [
    ("income", "3500,50", "Please use a point for decimals"),
    ("income", "3,5000", "Please use a point for decimals"),
    ("housing", "1_000", "Please enter an amount in numbers"),
    ("food", "٨٠٠", "Please enter an amount in numbers"),
    ("savings", "1 000", "Please enter an amount in numbers"),
    ("other_debts", "-1", "Please enter an amount in numbers"),
    ("adults", "1_0", "Please enter a whole number from 1 to 20."),
    ("adults", "١", "Please enter a whole number from 1 to 20."),
    ("children", "0.5", "Please enter a whole number from 0 to 20."),
    ("children", "21", "Please enter a whole number from 0 to 20."),
]


@pytest.mark.parametrize("key,text,message", KIOSK_ROWS)
def test_kiosk_fields(key, text, message):
    with pytest.raises(InvalidInputs) as exc:
        _kiosk_session().set_situation({**SITUATION, key: text})
    assert [(p.field, p.message.startswith(message)) for p in exc.value.problems] == [(key, True)]


@pytest.mark.parametrize("birth", ["١٩٨٥-٠٣-١٢", "1985-03-1_2", "9999-12-31", "1899-01-01"])
def test_kiosk_birth_date(birth):
    problems = KioskSession.check_identity_form("DEMO-0001", "1234", birth)
    assert [p.field for p in problems] == ["birth"]


def test_full_width_digits_are_read_as_digits(capsys):
    """What a Chinese input method types is a number, not an error."""
    code, out, err = run_cli(
        capsys,
        "quote",
        "--principal",
        "１２，０００．５０",
        "--months",
        "１２",
        "--start",
        "２０２５-０６-０１",
        "--format",
        "json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["financed"] == "12000.50" and doc["months"] == 12 and doc["start"] == "2025-06-01"
    assert Decimal(doc["fee_rate"]) == 0


def test_the_tables_hold_at_least_150_bad_inputs():
    cli = len(AMOUNT_FLAGS) * len(BAD_AMOUNTS) + len(QUOTE_ROWS) + 2 * len(CASE_ROWS) + len(NEGOTIATE_ROWS)
    files = len(POLICY_ROWS) + len(ROW_ROWS) + 5 + len(BATCH_FLAGS) + len(CONFIG_ROWS)
    fields = len(CONSOLE_ROWS) + len(KIOSK_ROWS) + 4
    assert cli + files + fields >= 150


@pytest.mark.parametrize("text", ["x = " + "[" * 100000, "[keymap]\n" + "a." * 50 + "b = 'f1'", "# " + "x" * (2 << 20)])
def test_agent_keymap_files_beyond_the_limits_are_a_warning(tmp_path, text):
    from installment_tui.agent.keymap import load_keymap

    path = tmp_path / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    keymap, warnings = load_keymap(path, {"agent.save"})
    assert keymap == {} and len(warnings) == 1 and warnings[0].startswith(f"keymap {path}: the key map")
