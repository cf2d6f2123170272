"""`installment monitor [--db FILE] [--policy FILE] [--as-of DATE] -o OUTDIR [--lang L] [--workers N]`.

Every agreement on one date: applies the status changes due by then (recorded once:
running it again for the same date records nothing new) and writes
``agreements.csv``, ``work_queue.csv``, ``reminders.csv`` and ``summary.json`` into
OUTDIR, whole or not at all (``plans.servicing.monitor``).  Never imports Textual.
"""

from __future__ import annotations

import sys

from installment_tui.commands.db import add_db_argument, current_user


def register(sub) -> None:
    p = sub.add_parser(
        "monitor",
        help="every agreement on a date: statuses, work queue, reminders",
        description="Apply the status changes of every agreement due by a date and write "
        "agreements.csv, work_queue.csv, reminders.csv and summary.json.",
    )
    add_db_argument(p)
    p.add_argument("--policy", metavar="FILE", help="creditor policy (TOML; default: the shipped policy)")
    p.add_argument("--as-of", metavar="DATE", help="the date (YYYY-MM-DD; default today)")
    p.add_argument("-o", "--outdir", metavar="OUTDIR", required=True, help="folder for the files")
    p.add_argument("--lang", default="zh_CN", help="language of reminders: zh_CN (default), zh_TW or en")
    p.add_argument("--workers", metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--user", metavar="NAME", help="the name recorded in the audit log (default: login name)")
    p.set_defaults(run=run)


def run(args) -> int:
    from datetime import date

    from calc.dates import parse_date
    from calc.errors import InvalidInput
    from calc.numerals import parse_whole
    from plans.text.i18n import check_lang
    from plans.policy import load_policy
    from plans.servicing.monitor import MonitorOptions, run_monitor

    as_of = parse_date(args.as_of, "--as-of") if args.as_of else date.today()
    workers = parse_whole(args.workers, "--workers", 1, 256) if args.workers else None
    try:
        lang = check_lang(args.lang)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, "--lang") from None
    opts = MonitorOptions(
        args.db, load_policy(args.policy), as_of, args.outdir, lang, workers, actor=args.user or current_user()
    )
    summary, _files = run_monitor(opts)
    for problem in summary["unserviceable"]:
        print(f"agreement {problem['agreement_id']} ({problem['account_ref']}): {problem['reason']}", file=sys.stderr)
    counts = ", ".join(f"{n} {s}" for s, n in summary["by_status"].items() if n) or "no agreements"
    print(
        f"monitor as of {summary['as_of']}: agreements {summary['agreements']} ({counts}); "
        f"{summary['recorded_now']['transitions']} status changes and {summary['recorded_now']['breaches']} "
        f"breaches recorded; {summary['work_queue']} work-queue rows, {summary['reminders']} reminders; "
        f"files in {args.outdir}"
    )
    return 0 if not summary["unserviceable"] else 1
