"""Command-line conventions: --version, bare `installment`, empty and non-UTF-8 values, closed pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from installment_tui.cli import COMMANDS, main

BIN = str(Path(sys.executable).parent / "installment")
ROOT = Path(__file__).resolve().parent.parent


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("installment ")


def test_bare_installment_prints_the_usage_and_every_command(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: installment")
    for name in COMMANDS:
        assert name.replace("_accounts", "").replace("_", "-") in out


@pytest.mark.parametrize(
    "argv,flag",
    [
        (["quote", "--principal", "1", "--months", "1", "--start", ""], "--start"),
        (["quote", "--principal", "1", "--months", "1", "--first-due", " "], "--first-due"),
        (["quote", "--principal", "1", "--months", "1", "--down", ""], "--down"),
        (["quote", "--principal", "1", "--payment", ""], "--payment"),
        (["offers", ""], "CASE.json"),
        (["batch", "x.csv", "-o", ""], "-o"),
    ],
)
def test_an_empty_value_is_refused_by_its_flag(capsys, argv, flag):
    assert main(argv) == 2
    assert f": {flag}: is empty" in capsys.readouterr().err


def test_text_that_is_not_utf8_is_refused_by_its_flag():
    r = subprocess.run(
        [
            BIN,
            "quote",
            "--principal",
            "100",
            "--months",
            "1",
            "--holder",
            b"\xe5\xbc\xa0\xff".decode("utf-8", "surrogateescape"),
            "--format",
            "text",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--holder: is not valid UTF-8 text (byte 0xff" in r.stderr


QUOTE = [BIN, "quote", "--principal", "48000", "--months", "60", "--start", "2025-01-01"]


@pytest.mark.parametrize("fmt", ["table", "json", "text", "html", "receipt"])
def test_a_reader_that_stops_early_ends_the_command_quietly(fmt):
    """A real pipe to head -1: status 0 and nothing on stderr (SIGPIPE/EPIPE never a traceback)."""
    cmd = " ".join(f"'{a}'" for a in QUOTE) + f" --format {fmt} | head -1"
    r = subprocess.run(["bash", "-c", f'{cmd}; echo "status=${{PIPESTATUS[0]}}" >&2'], capture_output=True, text=True)
    assert r.stdout.count("\n") == 1
    assert r.stderr.strip() == "status=0", r.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["quote", "--principal", "48000", "--months", "60", "--start", "2025-01-01", "--format", "table"],
        ["offers", "examples/case.json", "--format", "html"],
        ["policy", "show"],
        ["--help"],
    ],
)
def test_a_closed_pipe_is_status_0_whenever_it_closes(argv):
    """The reading end closed before the first write: every write fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    try:
        r = subprocess.run(
            [BIN, *argv], stdout=write, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent
        )
    finally:
        os.close(write)
    assert r.returncode == 0 and r.stderr == "", r.stderr


@pytest.mark.parametrize("preset", [None, "2"])
def test_a_command_that_makes_offers_runs_on_one_thread_unless_told_otherwise(preset):
    """numpy's OpenBLAS starts a spinning thread per core on import; the engine never calls BLAS, so the
    command line keeps it to one (about 0.1 s of CPU a command), leaving a value set in the environment."""
    code = (
        "import os, sys\n"
        "from installment_tui.cli import main\n"
        "status = main(['offers', 'examples/case.json', '--format', 'json'])\n"
        "import numpy\n"
        "print(status, len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'], file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset:
        env["OPENBLAS_NUM_THREADS"] = preset
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    status, threads, setting = done.stderr.split()[-3:]
    assert status == "0" and setting == (preset or "1")
    assert int(threads) == (int(preset) if preset else 1)
