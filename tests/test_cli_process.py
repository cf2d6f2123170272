"""The warm runner of the end-to-end tests (tests/cli_process.py) gives what a cold start of the installed
`installment` script gives: the same output, messages and exit status, in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cli_process
import pytest

SCRIPT = Path(sys.executable).with_name("installment")


def cold(args, *, cwd, env, input=None):
    return subprocess.run(
        [str(SCRIPT), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, input=input, timeout=120
    )


CASES = {
    "json": (["quote", "--principal", "48000", "--months", "24", "--start", "2025-12-01", "--format", "json"], None),
    "table": (["quote", "--principal", "48000", "--months", "6", "--start", "2025-12-01", "--format", "table"], None),
    "bad input": (["quote", "--principal", "", "--months", "3"], None),
    "no plan": (["quote", "--principal", "100", "--months", "61"], None),
    "unknown command": (["bogus"], None),
    "help": (["--help"], None),
    "stdin": (["users", "add", "li.na", "--role", "supervisor", "--db", "u.db"], "li.na-passphrase\n"),
    "relative path": (["offers", "examples/case.json", "--format", "json"], None),
}


@pytest.mark.parametrize("name", CASES)
def test_a_warm_command_gives_what_a_cold_one_gives(name, tmp_path):
    args, stdin = CASES[name]
    (tmp_path / "cold").mkdir()
    (tmp_path / "warm").mkdir()
    for where in ("cold", "warm"):
        (tmp_path / where / "examples").symlink_to(Path(__file__).resolve().parent.parent / "examples")
    env = {**os.environ, "COLUMNS": "100"}
    want = cold(args, cwd=tmp_path / "cold", env=env, input=stdin)
    got = cli_process.run(args, cwd=tmp_path / "warm", env=env, input=stdin)
    assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr)
    assert "Traceback" not in got.stderr


def test_each_command_has_the_folder_and_environment_it_is_given(tmp_path):
    here, db = os.getcwd(), os.environ.get("INSTALLMENT_DB")
    for name in ("a", "b"):
        env = {**os.environ, "INSTALLMENT_DB": f"{name}.db"}
        r = cli_process.run(["demo-data", "--accounts", "3"], cwd=tmp_path, env=env)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "a.db").exists() and (tmp_path / "b.db").exists()
    assert os.getcwd() == here and os.environ.get("INSTALLMENT_DB") == db  # the test process's are untouched


def test_a_command_that_runs_too_long_is_killed_and_the_next_one_runs(tmp_path):
    big = tmp_path / "big.csv"
    src = (Path(__file__).resolve().parent.parent / "examples" / "portfolio.csv").read_text(encoding="utf-8")
    header, *rows = src.splitlines()
    big.write_text(header + "\n" + "\n".join(rows * 4000) + "\n", encoding="utf-8")
    with pytest.raises(subprocess.TimeoutExpired):
        cli_process.run(["batch", big, "-o", tmp_path / "out", "--schedules", "--workers", "1"], timeout=0.5)
    after = cli_process.run(["quote", "--principal", "100", "--months", "3", "--format", "json"])
    assert after.returncode == 0, after.stderr
