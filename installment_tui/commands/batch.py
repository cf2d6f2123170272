"""`installment batch`: plan offers for a whole portfolio file.

    installment batch INPUT -o OUTDIR [--policy FILE] [--authority kiosk|agent|supervisor]
        [--start DATE] [--format csv|jsonl|parquet] [--schedules] [--letters pdf|html|txt]
        [--letters-bundle N] [--sms] [--lang zh_CN|zh_TW|en] [--workers N] [--encoding utf-8|gb18030]

Writes offers.<fmt>, rejects.csv, summary.json (and schedules.<fmt>, letters/, sms.csv)
into OUTDIR; see plans.batch.  On a terminal a Rich progress bar shows the rate
and the time left on stderr; in a pipe only the final summary is printed.
Never imports Textual.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from calc.dates import add_months, check_horizon, parse_date
from calc.errors import InvalidInput
from calc.numerals import parse_whole
from plans.vocabulary import AUTHORITIES, Authority


def register(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="offers for a whole portfolio file (CSV or JSON Lines)",
        description="Generate plan offers for every account of a portfolio file, with a "
        "rejects file for bad rows and a summary that reconciles.",
    )
    p.add_argument("input", metavar="INPUT", help="portfolio file: .csv, or .jsonl for JSON Lines")
    p.add_argument(
        "-o",
        "--output",
        dest="outdir",
        metavar="OUTDIR",
        required=True,
        help="folder for offers, rejects, schedules, letters and summary.json",
    )
    p.add_argument("--policy", metavar="FILE", help="creditor policy TOML (default: the shipped policy)")
    p.add_argument(
        "--authority", choices=AUTHORITIES, default=Authority.AGENT, help="offers within this authority (default agent)"
    )
    p.add_argument(
        "--include-escalations",
        action="store_true",
        help="also list offers that need a higher authority, with their violations",
    )
    p.add_argument("--start", metavar="DATE", help="agreement date YYYY-MM-DD for every account (default today)")
    p.add_argument(
        "--format",
        dest="fmt",
        choices=("csv", "jsonl", "parquet"),
        default="csv",
        help="format of offers and schedules (default csv; parquet needs pyarrow)",
    )
    p.add_argument("--schedules", action="store_true", help="also write every installment to schedules.<fmt>")
    p.add_argument("--letters", choices=("pdf", "html", "txt"), help="one offer letter per account")
    p.add_argument(
        "--letters-bundle",
        metavar="N",
        help="with --letters pdf: N letters to a PDF file "
        "(letters/bundle-000001.pdf...; where each letter is: letters/index.csv)",
    )
    p.add_argument(
        "--sms",
        action="store_true",
        help="one text message per account (the portfolio's phone "
        "column) leading with its first-ranked offer, in sms.csv",
    )
    p.add_argument(
        "--lang",
        default="zh_CN",
        help="language of letters and SMS where the portfolio's language column is empty: zh_CN (default), zh_TW, en",
    )
    p.add_argument(
        "--db",
        metavar="FILE",
        help="with --letters or --sms: read the accounts' contact flags from "
        "this database, so flagged accounts get no letter the rules forbid",
    )
    p.add_argument("--workers", metavar="N", help="worker processes (default: all cores)")
    p.add_argument(
        "--encoding",
        default="utf-8",
        help="CSV input encoding: utf-8 (default, BOM allowed) or gb18030 (Excel in Chinese locales)",
    )
    p.add_argument(
        "--input-format",
        choices=("csv", "jsonl"),
        help="input format (default: from the file name; .jsonl is JSON Lines)",
    )
    p.set_defaults(run=run)


def _workers(text: str | None) -> int:
    from plans.batch.pool import default_workers

    if text is None:
        return default_workers()
    return parse_whole(text, "--workers", 1, 256)


class _Progress:
    """A Rich progress bar on stderr: accounts done, rate and time left (bytes of the input)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.began = time.perf_counter()
        self.bar = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rows]:>12,} rows  {task.fields[rate]:>9,.0f} rows/s"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("batch", total=None, rows=0, rate=0.0)

    def __enter__(self):
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def __call__(self, done: int, total: int, rows: int) -> None:
        elapsed = max(time.perf_counter() - self.began, 1e-9)
        self.bar.update(self.task, completed=done, total=max(total, 1), rows=rows, rate=rows / elapsed)


def _as_flag(check, value, flag: str):
    """``check(value)``, its complaint naming the command-line flag."""
    try:
        return check(value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, flag) from None


def _terminated(signum, frame) -> None:
    """SIGTERM (a scheduler stopping the job) cleans up like Ctrl+C: no partial files, exit 130."""
    raise KeyboardInterrupt


def _bundle(text: str | None, letters: str | None) -> int | None:
    """--letters-bundle N: a whole number from 1 to 100,000, with --letters pdf only."""
    if text is None:
        return None
    if letters != "pdf":
        raise InvalidInput("bundles PDF letters; use it with --letters pdf", "--letters-bundle")
    if not text.strip().isdigit() or not 1 <= int(text) <= 100_000:
        raise InvalidInput(f"{text!r} is not a number of letters from 1 to 100000", "--letters-bundle")
    return int(text)


def run(args) -> int:
    import signal

    from plans.batch import BatchOptions, run_batch
    from plans.policy import load_policy

    signal.signal(signal.SIGTERM, _terminated)

    policy = load_policy(args.policy)
    start = parse_date(args.start, "--start") if args.start else date.today()
    check_horizon(policy.first_due(start) or add_months(start, 1), policy.max_months, "--start")
    opts = BatchOptions(
        input=args.input,
        outdir=args.outdir,
        policy=policy,
        start=start,
        authority=args.authority,
        fmt=args.fmt,
        schedules=args.schedules,
        letters=args.letters,
        lang=args.lang,
        workers=_workers(args.workers),
        encoding=args.encoding,
        input_format=args.input_format,
        include_escalations=args.include_escalations,
        sms=args.sms,
        letters_bundle=_bundle(args.letters_bundle, args.letters),
    )
    if args.letters or args.sms:
        from plans.text.i18n import check_lang

        _as_flag(check_lang, args.lang, "--lang")
        if args.db:
            from dataclasses import replace

            from plans.store import open_store

            store = open_store(args.db, existing=True)
            try:
                opts = replace(opts, contact_flags=store.flagged_accounts(), contact_flags_from=str(store.path))
            finally:
                store.close()
        else:
            print(
                "installment batch: note: no --db, so the accounts' contact flags (written_only, represented, "
                "disputed, deceased, complaint_open) are not known; letters are checked but not held back by "
                "flags",
                file=sys.stderr,
            )
    elif args.db:
        raise InvalidInput(
            "is read only with --letters or --sms (the accounts' contact flags decide which letters and messages go)",
            "--db",
        )
    from plans.portfolio.reader import check_encoding

    _as_flag(check_encoding, args.encoding, "--encoding")
    try:
        if sys.stderr.isatty():
            with _Progress() as progress:
                summary, files = run_batch(opts, progress)
        else:
            summary, files = run_batch(opts)
    except OSError as exc:  # e.g. the disk filled up: the run cleaned up after itself
        raise InvalidInput(
            f"cannot read or write {exc.filename or 'a file'}: {exc.strerror or exc}; no output was written", "-o"
        ) from None
    except KeyboardInterrupt:  # stopped and cleaned up: another Ctrl+C or SIGTERM must not change exit 130
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise
    s = summary
    print(
        f"{s['input_rows']:,} input rows: {s['accounts_with_offers']:,} accounts with "
        f"{s['offers']:,} offers, {s['rejects']:,} rejects; total plan balance "
        f"{s['total_plan_balance']} {policy.currency}; {s['wall_seconds']:.1f} s"
    )
    if args.letters:
        print(
            f"letters: {s['letters_written']:,} written, {s['letters_withheld']:,} held back by the conduct rules"
            + (" (letters_withheld.csv)" if s["letters_withheld"] else "")
            + (f" in {s['letter_files']:,} PDF files" if "letter_files" in s else "")
        )
    if args.sms:
        print(
            f"sms: {s['sms_written']:,} written, {s['sms_withheld']:,} not sent"
            + (" (sms_withheld.csv)" if s["sms_withheld"] else "")
        )
    for path in files:
        print(f"  {path}")
    return 0
