"""`installment batch` end to end: reconciliation, determinism, interruption, encodings, letters."""

from __future__ import annotations

import cli_process
import csv
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from calc.debt import Debt, waived_amounts
from calc.money import format_amount, parse_amount
from plans.batch import SUMMARY_KEYS, BatchOptions, run_batch
from plans.policy import load_policy

ROOT = Path(__file__).resolve().parent.parent
HEADER = (
    "account_ref,currency,principal,interest,penalty_interest,late_fees,annual_fees,other_fees,"
    "name,region,monthly_income,essential_spending,other_debt_payments,household,savings,"
    "hardship_reason,recovery_date"
)
START = "2026-01-15"


def batch(*args, check: bool = True) -> subprocess.CompletedProcess:
    proc = cli_process.run(["batch", *args], cwd=ROOT, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def good_row(i: int) -> str:
    income = 400000 + (i * 7919) % 1500000
    recovery = f"2027-{1 + i % 12:02d}-01" if i % 3 == 0 else ""
    return (
        f"AC{i:05d},CNY,{1000 + (i * 337) % 90000}.{i % 100:02d},{(i * 13) % 3000}.00,{i % 500}.50,"
        f"{(i * 7) % 300}.00,0,0,名{i},{'beijing' if i % 2 else 'national'},{income // 100}.00,"
        f"{(income // 300)}.00,{(i * 31) % 900}.00,{1 + i % 3}+{i % 2},{(i * 7919) % 4000000 // 100}.00,"
        f"{'illness' if i % 4 == 0 else ''},{recovery}"
    )


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def outputs(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(outdir.iterdir()) if p.is_file()}


def without_wall(summary: bytes) -> dict:
    data = json.loads(summary)
    data.pop("wall_seconds")
    return data


# -- reconciliation -----------------------------------------------------------------

BAD_ROWS = {
    "blank line": "",
    "bad amount": "BAD1,CNY,12x,0,0,0,0,0,,,,,,,,,",
    "duplicate": None,  # filled in: a repeat of the first good row
    "unknown currency": "BAD2,ABC,100.00,0,0,0,0,0,,,,,,,,,",
    "other currency": "BAD3,USD,100.00,0,0,0,0,0,,,,,,,,,",
    "missing columns": "BAD4,CNY,100.00,0",
    "too many fields": "BAD5,CNY,100.00,0,0,0,0,0,,,,,,,,,,extra",
    "broken encoding": b"BAD6,CNY,100.00,0,0,0,0,0,\xff\xfe,,,,,,,,",
    "empty fields": ",,,,,,,,,,,,,,,,",
    "zero debt": "BAD7,CNY,0,0,0,0,0,0,,,,,,,,,",
    "no offer fits": "BAD8,CNY,50.00,0,0,0,0,0,,,,,,,,,",
    "bad household": "BAD9,CNY,5000.00,0,0,0,0,0,,,,,,many,,,",
    "bad quoting": 'BAD11,CNY,"100.00"x,0,0,0,0,0,,,,,,,,,',
}
REASON = {
    "blank line": "blank line",
    "bad amount": "principal: '12x' is not an amount",
    "duplicate": "account_ref: duplicate",
    "unknown currency": "currency: unknown currency 'ABC'",
    "other currency": "currency: the case is in USD",
    "missing columns": "columns: missing columns",
    "too many fields": "columns: 18 fields",
    "broken encoding": "encoding: the line is not valid UTF-8",
    "empty fields": "blank line: every field is empty",
    "zero debt": "debt: every bucket is zero",
    "no offer fits": "offers: no offer fits",
    "bad household": "household: 'many' is not a household",
    "bad quoting": "csv: malformed row",
}


def portfolio_with_every_bad_row(tmp_path: Path, good: int = 60) -> tuple[Path, dict[str, int]]:
    lines: list[bytes] = [HEADER.encode()]
    where: dict[str, int] = {}
    bad = list(BAD_ROWS.items())
    for i in range(good):
        lines.append(good_row(i).encode())
        if i % 4 == 3 and bad:
            kind, row = bad.pop(0)
            row = good_row(0) if row is None else row
            lines.append(row if isinstance(row, bytes) else row.encode())
            where[kind] = len(lines)
    path = tmp_path / "portfolio.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, where


def test_every_row_is_an_offer_or_a_reject_and_the_summary_reconciles(tmp_path):
    path, where = portfolio_with_every_bad_row(tmp_path)
    out = tmp_path / "out"
    proc = batch(path, "-o", out, "--start", START)
    assert proc.stderr == ""  # in a pipe: nothing but the final summary, on stdout
    assert "input rows" in proc.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert tuple(summary) == SUMMARY_KEYS
    rejects = read_csv(out / "rejects.csv")
    offers = read_csv(out / "offers.csv")
    reasons = {int(r["line"]): r["reason"] for r in rejects}
    for kind, line in where.items():
        assert reasons[line].startswith(REASON[kind]), (kind, reasons[line])
    assert len(reasons) == len(rejects) == len(BAD_ROWS) == summary["rejects"]
    # every input line is in exactly one place
    physical = path.read_bytes().split(b"\n")[1:-1]
    assert summary["input_rows"] == len(physical) == summary["accounts_with_offers"] + summary["rejects"]
    good_refs = {good_row(i).split(",")[0] for i in range(60)}
    assert {o["account_ref"] for o in offers} == good_refs
    assert len(offers) == summary["offers"]
    # offers are in input order, ranked 1.. per account
    order = [o["account_ref"] for o in offers]
    assert order == sorted(order)
    for ref in good_refs:
        assert [int(o["rank"]) for o in offers if o["account_ref"] == ref] == list(
            range(1, 1 + sum(o["account_ref"] == ref for o in offers))
        )
    # the total plan balance: every account's debt less the policy's standard waivers
    policy = load_policy(None)
    total = 0
    for i in range(60):
        cells = good_row(i).split(",")
        debt = Debt("CNY", *(parse_amount(v, "CNY") for v in cells[2:8]))
        total += debt.total - sum(waived_amounts(debt, policy.standard_waiver_list()).values())
    assert summary["total_plan_balance"] == format_amount(total, "CNY")
    assert summary["policy_version"] == policy.version
    import hashlib

    assert summary["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sorted(p.name for p in out.iterdir()) == ["offers.csv", "rejects.csv", "summary.json"]


# -- determinism ------------------------------------------------------------------------


def test_byte_identical_for_any_number_of_workers(tmp_path):
    path, _ = portfolio_with_every_bad_row(tmp_path, good=300)
    policy = load_policy(None)
    runs = []
    for workers in (1, 2, 3):
        out = tmp_path / f"w{workers}"
        run_batch(
            BatchOptions(
                input=str(path),
                outdir=str(out),
                policy=policy,
                start=date(2026, 1, 15),
                workers=workers,
                schedules=workers != 3,
                chunk_bytes=2048,
            )
        )
        runs.append(outputs(out))
    cli = tmp_path / "cli"
    batch(path, "-o", cli, "--start", START, "--workers", "2", "--schedules")
    runs.append(outputs(cli))
    for run in runs[1:]:
        for name in ("offers.csv", "rejects.csv"):
            assert run[name] == runs[0][name], name
        assert without_wall(run["summary.json"]) == without_wall(runs[0]["summary.json"])
    assert runs[0]["schedules.csv"] == runs[1]["schedules.csv"] == runs[3]["schedules.csv"]


def test_fast_path_and_generate_offers_write_the_same_offers(tmp_path):
    """Without --schedules the fast path runs; with it generate_offers: offers.csv is the same."""
    path, _ = portfolio_with_every_bad_row(tmp_path, good=200)
    batch(path, "-o", tmp_path / "fast", "--start", START)
    batch(path, "-o", tmp_path / "general", "--start", START, "--schedules")
    assert (tmp_path / "fast" / "offers.csv").read_bytes() == (tmp_path / "general" / "offers.csv").read_bytes()


# -- interruption ---------------------------------------------------------------------------


def test_ctrl_c_leaves_no_files_and_exits_130(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "\n".join(good_row(i) for i in range(40000)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "offers.csv").write_text("an older run\n")  # an older file stays as it was
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "installment_tui.cli",
            "batch",
            str(path),
            "-o",
            str(out),
            "--start",
            START,
            "--schedules",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in out.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before it was interrupted"
        time.sleep(0.02)
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip().endswith("installment batch: interrupted")
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["offers.csv"]
    assert (out / "offers.csv").read_text() == "an older run\n"


def test_sigterm_cleans_up_like_ctrl_c(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "\n".join(good_row(i) for i in range(40000)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "installment_tui.cli",
            "batch",
            str(path),
            "-o",
            str(out),
            "--start",
            START,
            "--schedules",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in out.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err
    assert list(out.iterdir()) == []


class _Stop(Exception):
    pass


def _stop(signum, frame):
    raise _Stop(signum)


def _own_handler(signum, frame):
    raise KeyboardInterrupt


@pytest.fixture(
    params=[signal.default_int_handler, signal.SIG_IGN, signal.SIG_DFL, _own_handler],
    ids=["python-default", "ignored", "system-default", "the-caller's"],
)
def sigint_at_start(request):
    """The SIGINT handler a run starts under: Python's own, ignored (a background job of a shell without
    job control, as CI may run the suite), the system's default, or the caller's; whatever it was, the
    run gives it back."""
    before = signal.signal(signal.SIGINT, request.param)
    try:
        yield request.param
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_signal_while_the_pool_is_built_takes_effect_once_it_exists(sigint_at_start):
    # Handled in the middle of Pool(), a signal left a half-built pool that nothing terminated; its
    # worker handler then forked replacements that outlived the run (found with SIGTERM right as
    # the run started).  The pool is now built with both signals held off.
    from plans.batch.pool import _HeldSignals, _start_worker

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with pytest.raises(_Stop):
            with _HeldSignals():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # nothing happens inside
                inside = True
        assert inside
        assert signal.getsignal(signal.SIGTERM) is _stop and signal.getsignal(signal.SIGINT) is sigint_at_start
        assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
        # a worker forked meanwhile starts with both blocked and unblocks them with its own handlers set
        with _HeldSignals():
            pid = os.fork()
            if pid == 0:  # the child: SIGTERM sent before its handlers are set still stops it
                os.kill(os.getpid(), signal.SIGTERM)
                _start_worker(lambda: time.sleep(5), ())
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous)


def _slow(item):
    time.sleep(60)


def _no_setup():
    pass


def test_a_stop_asked_while_the_workers_compute_takes_effect_at_once():
    """The pool calls its ``check`` while it waits: a stop asked for during a chunk that takes a minute
    ends the map within moments, and its workers with it (it used to wait for a chunk's end)."""
    from plans.batch.pool import ordered_map

    calls = []

    def check():
        calls.append(time.monotonic())
        if len(calls) == 3:
            raise KeyboardInterrupt

    began = time.monotonic()
    results = ordered_map(_slow, range(4), 2, _no_setup, check=check)
    with pytest.raises(KeyboardInterrupt):
        next(results)
    assert time.monotonic() - began < 30  # the items take 60 s each
    assert len(calls) == 3
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]


def _die(*args):
    os.kill(os.getpid(), signal.SIGTERM)


def _wait_for_their_death(items):
    deadline = time.monotonic() + 30
    while any(p.is_alive() for p in multiprocessing.active_children()) and time.monotonic() < deadline:
        time.sleep(0.01)
    yield from items


def test_workers_killed_by_sigterm_stop_the_run_even_before_they_are_sent_work():
    """A SIGTERM to the process group (``systemctl stop``) kills idle workers too; the main process then
    finds a broken pipe when it sends one an item, which was reported as a file it could not write
    (found by bench/bench_interrupts.py).  It is the run being stopped."""
    from plans.batch.pool import ordered_map

    with pytest.raises(KeyboardInterrupt):
        list(ordered_map(_no_setup, _wait_for_their_death(range(4)), 2, _die))
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]


def test_a_stopped_run_does_not_wait_for_its_writer_threads_to_poll(tmp_path, monkeypatch):
    """Stopping a run discards what its writer threads hold; each was woken only by its own poll (a fifth
    of a second, one file after another: most of the time a stopped run took to exit)."""
    from plans.batch.outputs import _FileWriter

    monkeypatch.setattr(_FileWriter, "POLL", 60.0)
    writers = [_FileWriter(tmp_path / f"f{n}") for n in range(2)]
    writers[0].write(b"rows")
    began = time.monotonic()
    for w in writers:
        w.discard()
    assert time.monotonic() - began < 30
    assert not any(w.thread.is_alive() for w in writers)


def test_ctrl_c_removes_the_folder_it_created(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "\n".join(good_row(i) for i in range(40000)) + "\n", encoding="utf-8")
    out = tmp_path / "new" / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "installment_tui.cli",
            "batch",
            str(path),
            "-o",
            str(out),
            "--start",
            START,
            "--schedules",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (out.exists() and any(p.name.endswith(".tmp") for p in out.iterdir())):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert not out.exists()


def test_a_signal_swallowed_inside_a_library_still_stops_the_run(tmp_path, monkeypatch, sigint_at_start):
    """Python raises KeyboardInterrupt wherever the signal lands, and some places lose it (an import
    a C extension makes, a weak-reference callback: "Exception ignored"); the run must stop anyway."""
    import plans.batch.runner as runner

    path = tmp_path / "p.csv"
    path.write_text(HEADER + "\n" + "\n".join(good_row(i) for i in range(50)) + "\n", encoding="utf-8")
    chunk = runner.process_chunk

    def swallowing(item):
        try:  # what a library that catches everything does with the interrupt
            signal.raise_signal(signal.SIGINT)
        except BaseException:  # noqa: BLE001
            pass
        return chunk(item)

    monkeypatch.setattr(runner, "process_chunk", swallowing)
    out = tmp_path / "out"
    opts = BatchOptions(input=str(path), outdir=str(out), policy=load_policy(None), start=date(2026, 1, 15), workers=1)
    with pytest.raises(KeyboardInterrupt):
        run_batch(opts)
    assert not out.exists()
    assert signal.getsignal(signal.SIGINT) is sigint_at_start  # the handler it found is given back


# -- encodings and input formats -------------------------------------------------------------


def test_gb18030_input(tmp_path):
    rows = [
        HEADER,
        "GB-1,CNY,30000.00,1000.00,0,0,0,0,张三丰,北京,8000.00,3000.00,0,2,0,illness,",
        "GB-2,CNY,45000.00,0,0,0,0,0,李小龙,national,,,,,,,",
    ]
    path = tmp_path / "gb.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    batch(path, "-o", tmp_path / "gb", "--start", START, "--encoding", "gb18030")
    offers = read_csv(tmp_path / "gb" / "offers.csv")
    assert {o["account_ref"] for o in offers} == {"GB-1", "GB-2"}
    assert read_csv(tmp_path / "gb" / "rejects.csv") == []
    # the same file read as UTF-8: the Chinese rows are rejected with a hint, not a crash
    batch(path, "-o", tmp_path / "utf8", "--start", START)
    rejects = read_csv(tmp_path / "utf8" / "rejects.csv")
    assert [r["line"] for r in rejects] == ["2", "3"]
    assert all("--encoding gb18030" in r["reason"] for r in rejects)


def test_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + good_row(1) + "\r\n" + good_row(2) + "\r\n").encode())
    batch(path, "-o", tmp_path / "o", "--start", START)
    assert {o["account_ref"] for o in read_csv(tmp_path / "o" / "offers.csv")} == {"AC00001", "AC00002"}


def test_jsonl_input(tmp_path):
    names = HEADER.split(",")
    lines = [json.dumps(dict(zip(names, good_row(i).split(","))), ensure_ascii=False) for i in range(5)]
    lines.insert(2, "not json")
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch(path, "-o", tmp_path / "o", "--start", START)
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert (summary["input_rows"], summary["accounts_with_offers"], summary["rejects"]) == (6, 5, 1)
    assert read_csv(tmp_path / "o" / "rejects.csv")[0]["line"] == "3"


# -- whole-run errors: one line, exit 2, no files ------------------------------------------------


@pytest.mark.parametrize(
    "content, args, message",
    [
        ("account_ref,currency\nX,CNY\n", (), "input: the header has no column principal"),
        (HEADER + "\n", ("--format", "xml"), "--format"),
        (HEADER + "\n", ("--workers", "0"), "--workers: 0 is out of range"),
        (HEADER + "\n", ("--start", "2026-13-01"), "--start: '2026-13-01' is not a date"),
        (HEADER + "\n", ("--encoding", "latin-1"), "installment batch: --encoding: unsupported encoding"),
        (HEADER + "\n", ("--letters", "txt", "--lang", "xx"), "installment batch: --lang: unknown language 'xx'"),
    ],
)
def test_invalid_runs_exit_2_without_files(tmp_path, content, args, message):
    path = tmp_path / "p.csv"
    path.write_text(content, encoding="utf-8")
    proc = batch(path, "-o", tmp_path / "out", *args, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_recovery_date_in_the_past_is_accepted_without_a_step_offer(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        HEADER
        + "\n"
        + "PAST,CNY,50000.00,0,0,0,0,0,,,9000.00,4000.00,0,1,0,illness,2025-01-01\n"
        + "SOON,CNY,50000.00,0,0,0,0,0,,,3000.00,2500.00,0,1,0,illness,2026-09-01\n",
        encoding="utf-8",
    )
    batch(path, "-o", tmp_path / "o", "--start", START)
    offers = read_csv(tmp_path / "o" / "offers.csv")
    assert not (tmp_path / "o" / "rejects.csv").read_text().strip().splitlines()[1:]
    assert {r["kind"] for r in offers if r["account_ref"] == "PAST"} and "step" not in {
        r["kind"] for r in offers if r["account_ref"] == "PAST"
    }


def test_batch_does_not_import_textual(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "\n" + good_row(1) + "\n", encoding="utf-8")
    code = (
        "import sys; from installment_tui.cli import main; "
        f"rc = main(['batch', {str(path)!r}, '-o', {str(tmp_path / 'o')!r}]); "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules); sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr


# -- letters -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["txt", "html", "pdf"])
def test_one_letter_per_account(tmp_path, kind):
    rows = [HEADER, good_row(1), "A/B,CNY,20000.00,0,0,0,0,0,,,,,,,,,", good_row(1), "BAD,CNY,1x,0,0,0,0,0,,,,,,,,,"]
    path = tmp_path / "p.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "o"
    batch(path, "-o", out, "--start", START, "--letters", kind, "--lang", "en")
    letters = sorted(p.name for p in (out / "letters").rglob("*") if p.is_file())
    assert letters == [f"A%2FB.{kind}", f"AC00001.{kind}", "index.csv"]  # no letter for a duplicate or a reject
    index = list(csv.DictReader((out / "letters" / "index.csv").open(encoding="utf-8")))
    assert [(r["account_ref"], r["file"]) for r in index] == [
        ("AC00001", f"AC/00/00/AC00001.{kind}"),
        ("A/B", f"A%/2F/A%2FB.{kind}"),
    ]
    data = (out / "letters" / index[0]["file"]).read_bytes()
    if kind == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert "0001" in data.decode() and "AC00001" not in data.decode()  # the reference is masked


def test_letters_run_in_smaller_chunks_so_progress_moves_and_the_files_are_the_same(tmp_path):
    path = tmp_path / "p.csv"
    rows = [good_row(i).replace(f",名{i},", f",名{i}{'x' * 1200},") for i in range(300)]  # about 380 KB
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    policy = load_policy(None)
    runs, calls = [], []
    for name, chunk in (("small", None), ("big", 1 << 20)):
        out = tmp_path / name
        opts = BatchOptions(
            input=str(path),
            outdir=str(out),
            policy=policy,
            start=date(2026, 1, 15),
            workers=1,
            letters="txt",
            lang="en",
            chunk_bytes=chunk,
        )
        seen: list = []
        run_batch(opts, lambda done, total, rows, seen=seen: seen.append(rows))
        calls.append(seen)
        runs.append(
            {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "summary.json"}
        )
    assert len(calls[1]) == 1 and len(calls[0]) > 1  # progress after every chunk of letters
    assert calls[0][-1] == calls[1][-1] == 300
    assert runs[0] == runs[1] and len(runs[0]) == 300 + 4  # offers, rejects, letters_withheld (conduct), index


def test_a_failed_write_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    import plans.batch
    from installment_tui.cli import main

    def full_disk(opts, progress=None):
        raise OSError(28, "No space left on device", str(tmp_path / "out" / ".offers.csv.1.tmp"))

    monkeypatch.setattr(plans.batch, "run_batch", full_disk)
    assert main(["batch", str(ROOT / "examples" / "portfolio.csv"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("installment batch: -o: cannot read or write ") and "No space left" in err
    assert len(err.strip().splitlines()) == 1
