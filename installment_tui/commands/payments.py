"""`installment payments import FILE [--db FILE] [--encoding utf-8|gb18030] [--input-format csv|jsonl]`.

Records the payments of a CSV or JSON Lines file (columns ``account_ref, paid_on,
amount, reference`` and optionally ``channel``; see ``plans.servicing.payments_input``).
Each rejected row is reported on standard error as ``line N: REF: reason``; the totals
on standard output.  Importing the same file again records nothing new.  Exit status
0, or 1 when rows were rejected.
"""

from __future__ import annotations

import sys

from installment_tui.commands.db import add_db_argument, current_user


def register(sub) -> None:
    p = sub.add_parser(
        "payments",
        help="record payments received (import a file of payments)",
        description="Payments received against agreements.",
    )
    actions = p.add_subparsers(dest="payments_action", metavar="ACTION")
    actions.required = True
    i = actions.add_parser(
        "import",
        help="record the payments of a CSV or JSON Lines file",
        description="Record the payments of a CSV or JSON Lines file: columns account_ref, "
        "paid_on, amount, reference and optionally channel.",
    )
    i.add_argument("file", metavar="FILE", help="payments file: .csv or .jsonl")
    i.add_argument(
        "--encoding",
        choices=("utf-8", "gb18030"),
        default="utf-8",
        help="CSV text encoding (default utf-8; gb18030 as Excel writes in Chinese locales)",
    )
    i.add_argument(
        "--input-format",
        choices=("csv", "jsonl"),
        help="input format (default: from the file name; .jsonl is JSON Lines)",
    )
    i.add_argument("--user", metavar="NAME", help="the name recorded in the audit log (default: login name)")
    add_db_argument(i)
    i.set_defaults(run=run_import)


def run_import(args) -> int:
    from calc.money import format_amount
    from plans.servicing.payments_input import import_payments
    from plans.store import open_store

    store = open_store(args.db, actor=args.user or current_user(), role="batch")
    try:
        result = import_payments(store, args.file, encoding=args.encoding, input_format=args.input_format)
    finally:
        store.close()
    for r in result.rejects:
        print(f"line {r.line}: {r.account_ref or '-'}: {r.reason}", file=sys.stderr)
    totals = ", ".join(f"{format_amount(v, cur)} {cur}" for cur, v in sorted(result.totals.items())) or "nothing"
    print(
        f"payments {args.file} into {store.path}: {result.rows} rows; {result.recorded} recorded ({totals}), "
        f"{result.already} already recorded, {len(result.rejects)} rejected"
    )
    return 1 if result.rejects else 0
