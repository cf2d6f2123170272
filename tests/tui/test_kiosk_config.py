"""Kiosk configuration, the hashed staff PIN, receipt delivery, masked logs and the command line."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk_helpers import SITUATION, TODAY, ZHANG, make_db

from calc.errors import InvalidInput, InvalidInputs
from installment_tui.kiosk.config import (
    DEFAULT_IDLE_TIMEOUT,
    PIN_ITERATIONS,
    KioskConfig,
    hash_pin,
    load_config,
    parse_config,
    verify_pin,
)
from installment_tui.kiosk.printing import deliver, spool_folder
from installment_tui.kiosk.session import KioskSession, parse_birth_date
from plans.policy import default_policy
from plans.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "kiosk.toml"


def test_example_config_loads_with_the_documented_defaults():
    config = load_config(EXAMPLE)
    assert config.kiosk_id == "branch-01" and config.actor == "kiosk:branch-01"
    assert config.idle_timeout == DEFAULT_IDLE_TIMEOUT == 120
    assert config.receipt_width == 42 and config.printer_command == () and config.spool_dir is None
    assert config.staff_exit and verify_pin("246810", config.pin_hash) and not verify_pin("246811", config.pin_hash)


def test_defaults_without_a_file():
    config = load_config(None)
    assert config == KioskConfig() and not config.staff_exit and config.idle_timeout == 120


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kiosk": {"idle": 10}}, "kiosk.idle"),
        ({"screen": {}}, "screen"),
        ({"kiosk": {"idle_timeout": 5}}, "kiosk.idle_timeout"),
        ({"kiosk": {"idle_timeout": "120"}}, "kiosk.idle_timeout"),
        ({"kiosk": {"id": "a b"}}, "kiosk.id"),
        ({"printer": {"receipt_width": 40}}, "printer.receipt_width"),
        ({"printer": {"command": []}}, "printer.command"),
        ({"printer": {"command": ["lp"], "spool_dir": "/tmp"}}, "printer"),
        ({"printer": {"encoding": "klingon"}}, "printer.encoding"),
        ({"printer": {"timeout": 0}}, "printer.timeout"),
        ({"staff": {"pin_hash": "1234"}}, "staff.pin_hash"),
        ({"staff": {"pin": "1234"}}, "staff.pin"),
    ],
)
def test_bad_config_names_the_key(data, field):
    with pytest.raises(InvalidInput) as err:
        parse_config(data)
    assert err.value.field == field


def test_printer_command_as_text_or_list():
    assert parse_config({"printer": {"command": "lp -d receipts"}}).printer_command == ("lp", "-d", "receipts")
    assert parse_config({"printer": {"command": ["lp", "-"]}}).printer_command == ("lp", "-")


def test_bad_config_files(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[kiosk\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        load_config(bad)


def test_pin_hash_is_salted_and_checked_in_full():
    a, b = hash_pin("1234"), hash_pin("1234")
    assert a != b and "1234" not in a.split("$", 2)[2]
    assert verify_pin("1234", a) and verify_pin("1234", b) and verify_pin(" 1234 ", a)
    assert not verify_pin("12345", a) and not verify_pin("", a) and not verify_pin("1234", None)
    for pin in ("12", "abcd", "1" * 33):
        with pytest.raises(InvalidInput):
            hash_pin(pin)


def run_cli(*args, stdin: str = ""):
    return subprocess.run(
        [sys.executable, "-m", "installment_tui.cli", "kiosk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_hash_pin_command_reads_stdin():
    done = run_cli("--hash-pin", stdin="975310\n")
    assert done.returncode == 0, done.stderr
    key, _, value = done.stdout.strip().partition(" = ")
    assert key == "pin_hash" and verify_pin("975310", value.strip('"'))
    assert parse_config({"staff": {"pin_hash": value.strip('"')}}).staff_exit


def test_hash_pin_command_refuses_a_bad_pin():
    done = run_cli("--hash-pin", stdin="12ab\n")
    assert done.returncode == 2 and done.stderr.strip() == "installment kiosk: pin: must be 4 to 32 digits"


def test_bad_config_is_one_line_on_stderr(tmp_path):
    cfg = tmp_path / "k.toml"
    cfg.write_text("[kiosk]\nidle_timeout = 1\n", encoding="utf-8")
    done = run_cli("--config", str(cfg), "--db", str(tmp_path / "k.db"))
    assert done.returncode == 2
    assert done.stderr.strip() == "installment kiosk: kiosk.idle_timeout: must be a whole number from 15 to 3600, got 1"


def test_kiosk_command_does_not_import_textual_for_hash_pin():
    code = (
        "import sys; from installment_tui.cli import main; main(['kiosk', '--hash-pin']) ; "
        "print('textual' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input="1234\n", capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


# -- receipts -----------------------------------------------------------------------

RECEIPT = "示例银行\n每月还款 ¥2,232.00\n"


def test_spool_folder_gets_the_whole_receipt(tmp_path):
    config = KioskConfig(spool_dir=str(tmp_path / "spool"))
    result = deliver(RECEIPT, config, None, 7)
    assert result.ok
    [path] = (tmp_path / "spool").iterdir()
    assert path.name.startswith("receipt-") and path.name.endswith("-7.txt")
    assert path.read_text(encoding="utf-8") == RECEIPT


def test_spool_defaults_beside_the_database(tmp_path):
    assert spool_folder(KioskConfig(), tmp_path / "x.db") == tmp_path / "kiosk-receipts"


def test_spool_folder_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = deliver(RECEIPT, KioskConfig(spool_dir=str(blocker / "sub")), None, 1)
    assert not result.ok and "spool folder" in result.error


def test_printer_command_gets_the_receipt_on_stdin_in_its_encoding(tmp_path):
    out = tmp_path / "printed.bin"
    script = f"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())"
    config = KioskConfig(printer_command=(sys.executable, "-c", script), encoding="gb18030")
    assert deliver(RECEIPT, config, None, 1).ok
    assert out.read_bytes() == RECEIPT.encode("gb18030")


@pytest.mark.parametrize(
    "command, words",
    [
        ((sys.executable, "-c", "import sys; sys.exit(3)"), "status 3"),
        (("/nonexistent/printer",), "not found"),
    ],
)
def test_printer_failures_are_reported_not_raised(command, words):
    result = deliver(RECEIPT, KioskConfig(printer_command=command), None, 1)
    assert not result.ok and words in result.error


def test_printer_timeout():
    config = KioskConfig(printer_command=(sys.executable, "-c", "import time; time.sleep(5)"), print_timeout=1)
    result = deliver(RECEIPT, config, None, 1)
    assert not result.ok and "longer than 1 s" in result.error


# -- the visit without screens ------------------------------------------------------------


@pytest.fixture
def session(tmp_path):
    db = make_db(tmp_path / "k.db")
    store = open_store(db, actor="kiosk:unit", role="kiosk")
    yield KioskSession(store, default_policy(), "en", TODAY)
    store.close()


@pytest.mark.parametrize("text", ["1985-03-12", "1985/03/12", "1985.03.12", "19850312", " 1985-3-12 "])
def test_birth_date_spellings(text):
    assert parse_birth_date(text).isoformat() == "1985-03-12"


def test_identity_form_problems_are_per_field(session):
    with pytest.raises(InvalidInputs) as err:
        session.identify("", "12", "12/31")
    assert [p.field for p in err.value.problems] == ["ref", "last4", "birth"]
    assert session.identify(" DEMO-0001 ", "1234", "19850312").ok  # spaces around and compact dates are fine
    # the reference as the debtor means it: case, full width and stray spaces folded (issue 14)
    assert session.identify("demo-0001", "1234", "1985-03-12").ok


def test_situation_validation_in_plain_words(session):
    session.identify(*ZHANG)
    answers = dict(
        SITUATION,
        adults="0",
        children="x",
        income="",
        housing="3,500",
        food="12.345",
        other_debts="-5",
        reason="",
        recovery="soon",
    )
    with pytest.raises(InvalidInputs) as err:
        session.set_situation(answers)
    problems = {p.field: p.message for p in err.value.problems}
    assert set(problems) == {"adults", "children", "income", "food", "other_debts", "reason", "recovery"}
    assert problems["income"] == "Please enter an amount, e.g. 3500. Enter 0 if none."
    assert problems["food"] == "Please enter an amount in numbers, e.g. 3500 or 3500.50."
    profile = session.set_situation(dict(SITUATION, housing="3,500.50"))
    assert profile.spending_on("housing") == 350050 and profile.total_income == 1032000
    assert profile.adults == 2 and profile.children == 1 and profile.hardship_reason == "unemployment"
    assert profile.recovery_date.isoformat() == "2027-06-01"
    assert session.store.latest_profile("DEMO-0001").actor == "kiosk:unit"


def test_accept_needs_a_chosen_offer(session):
    session.identify(*ZHANG)
    session.set_situation(SITUATION)
    session.make_offers()
    with pytest.raises(InvalidInput):
        session.accept(42)
    session.choose(1)
    receipt = session.accept(32)
    from plans.text.formatting import display_width

    assert max(display_width(line) for line in receipt.splitlines()) <= 32 and "****0001" in receipt
    first = session.agreement_id
    session.accept(32)  # printing again does not make a second agreement
    assert session.agreement_id == first
    session.clear()
    assert session.account is None and session.offers == [] and session.receipt is None and session.answers == {}


def test_logs_never_hold_personal_data(session, caplog):
    caplog.set_level(logging.INFO, logger="installment.kiosk")
    for attempt in (("DEMO-0001", "9999", "1985-03-12"), ZHANG):
        session.identify(*attempt)
    session.set_situation(SITUATION)
    session.make_offers()
    session.choose(0)
    session.accept(42)
    session.referred("test")
    text = caplog.text
    assert "****0001" in text
    for secret in ("DEMO-0001", "1234", "9999", "1985", "张伟", "10320", "3500"):
        assert secret not in text, secret


def test_log_file_from_config(tmp_path):
    from installment_tui.kiosk.logmask import setup_logging

    log_path = tmp_path / "kiosk.log"
    setup_logging(str(log_path))
    logger = logging.getLogger("installment.kiosk")
    try:
        logger.info("visit started (%s)", "en")
        for h in logger.handlers:
            h.flush()
        assert "visit started (en)" in log_path.read_text(encoding="utf-8")
    finally:
        for h in list(logger.handlers):
            logger.removeHandler(h)
            h.close()
        logger.propagate = True
    assert os.path.getsize(log_path) > 0


def test_without_a_log_file_nothing_reaches_the_terminal(capsys):
    from installment_tui.kiosk.logmask import setup_logging

    logger = logging.getLogger("installment.kiosk")
    setup_logging(None)
    try:
        logger.warning("identification locked for %s", "****0001")
        captured = capsys.readouterr()
        assert captured.err == "" and captured.out == ""
    finally:
        for h in list(logger.handlers):
            logger.removeHandler(h)
        logger.propagate = True


def test_the_visit_logic_does_not_import_textual():
    code = (
        "import sys; import installment_tui.kiosk.session, installment_tui.kiosk.config, "
        "installment_tui.kiosk.printing; print('textual' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--policy", "/nonexistent/policy.toml"], "installment kiosk: policy: no such file"),
        (["--config", "/nonexistent/kiosk.toml"], "installment kiosk: config: no such file: /nonexistent/kiosk.toml"),
    ],
)
def test_kiosk_command_refuses_missing_files_before_starting(tmp_path, args, message):
    done = run_cli("--db", str(tmp_path / "k.db"), *args)
    assert done.returncode == 2 and done.stderr.startswith(message), done.stderr
    assert "Traceback" not in done.stderr


def test_kiosk_command_refuses_a_database_it_cannot_open(tmp_path):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    done = run_cli("--db", str(folder))
    assert done.returncode == 2 and done.stderr.startswith("installment kiosk: ") and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "iterations, salt, found",
    [
        (200_000, b"sixteen-byte-slt", "200,000 iterations is too weak; at least 600,000"),
        (1000, b"sixteen-byte-slt", "1,000 iterations is too weak"),
        (PIN_ITERATIONS, b"8 bytes!", "a 8-byte salt is too short; at least 16"),
    ],
    ids=["200k-iterations", "1k-iterations", "8-byte-salt"],
)
def test_the_config_reader_refuses_a_weak_pin_hash(iterations, salt, found):
    weak = hash_pin("246810", iterations=iterations, salt=salt)
    with pytest.raises(InvalidInput) as err:
        parse_config({"staff": {"pin_hash": weak}})
    assert err.value.field == "staff.pin_hash" and found in err.value.message


def test_new_pin_hashes_use_600000_iterations_and_a_16_byte_salt():
    _, iterations, salt, _ = hash_pin("246810").split("$")
    assert int(iterations) == 600_000 and len(bytes.fromhex(salt)) == 16
    assert parse_config({"staff": {"pin_hash": hash_pin("246810")}}).staff_exit


def test_bad_config_reports_every_problem_at_once():
    data = {
        "kiosk": {"id": "a b", "idle_timeout": 5, "colour": "red"},
        "printer": {"receipt_width": 40, "encoding": "klingon"},
        "staff": {"pin_hash": "1234"},
        "screen": {},
    }
    with pytest.raises(InvalidInputs) as err:
        parse_config(data)
    assert [p.field for p in err.value.problems] == [
        "kiosk.colour",
        "screen",
        "kiosk.id",
        "kiosk.idle_timeout",
        "printer.receipt_width",
        "printer.encoding",
        "staff.pin_hash",
    ]
    assert err.value.field == "kiosk.colour"  # the first, for a caller that shows one


def test_the_kiosk_command_prints_every_config_problem(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("[kiosk]\nidle_timeout = 5\n[printer]\nreceipt_width = 40\n", encoding="utf-8")
    done = run_cli("--config", str(path))
    assert done.returncode == 2
    assert "kiosk.idle_timeout: must be a whole number from 15 to 3600, got 5" in done.stderr
    assert "printer.receipt_width: must be one of 32, 42, 48, got 40" in done.stderr
