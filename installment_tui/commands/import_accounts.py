"""`installment import FILE [--db FILE] [--encoding utf-8|gb18030] [--input-format csv|jsonl]`: load accounts.

The file is the batch input format (plans.portfolio.reader, README "Batch export"):
CSV or JSON Lines with ``account_ref``, ``currency``, the six buckets and optional
``name``, ``region`` and profile columns.  Each good row inserts or updates the
account with that reference; fields the file does not carry (phone, national-ID
last four, birth date, days overdue) are kept, and so are the name and region
when the row leaves them empty.  A row with any profile column gives a hardship
profile (income as one ``declared`` source, essential spending as one ``other``
category), saved as a new version only when it differs from the latest.
Bad rows are reported on stderr with their line number and skipped.  The file is
read as a stream (memory stays flat) and written in short transactions of about a
quarter of a second each, with the write lock left free between them
(``Store.upsert_accounts``), so consoles and kiosks writing meanwhile rarely wait
longer than one of them; each account is written whole (with its
profile and audit entries), so an interrupted import leaves whole accounts only, and
running it again completes it.  Running the same file twice changes nothing the
second time.
Exit status 0, or 1 when some rows were skipped.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from installment_tui.commands.db import add_db_argument, current_user

PROFILE_COLUMNS = (
    "monthly_income",
    "essential_spending",
    "other_debt_payments",
    "adults",
    "children",
    "savings",
    "hardship_reason",
    "recovery_date",
    "income_after_recovery",
)


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help="insert or update accounts from a portfolio CSV or JSON Lines file",
        description="Insert or update accounts from a portfolio file (the batch input format).",
    )
    p.add_argument("file", metavar="FILE", help="portfolio file: .csv or .jsonl")
    p.add_argument(
        "--encoding",
        choices=("utf-8", "gb18030"),
        default="utf-8",
        help="CSV text encoding (default utf-8; gb18030 as Excel writes in Chinese locales)",
    )
    p.add_argument(
        "--input-format",
        choices=("csv", "jsonl"),
        help="input format (default: from the file name; .jsonl is JSON Lines)",
    )
    add_db_argument(p)
    p.set_defaults(run=run)


def to_store(row):
    """The store Account and (or None) Profile for one good input row."""
    from calc.affordability import Profile
    from plans.store import Account

    account = Account(row.account_ref, row.currency, row.debt(), name=row.name or "", region=row.region)
    profile = None
    if any(getattr(row, c) is not None for c in PROFILE_COLUMNS):
        profile = Profile(
            row.currency,
            adults=row.adults or 1,
            children=row.children or 0,
            region=row.region,
            income=(("declared", row.monthly_income),) if row.monthly_income is not None else (),
            spending=(("other", row.essential_spending),) if row.essential_spending is not None else (),
            other_debt_payments=row.other_debt_payments or 0,
            savings=row.savings or 0,
            hardship_reason=row.hardship_reason,
            recovery_date=row.recovery_date,
            income_after_recovery=(
                (("declared", row.income_after_recovery),) if row.income_after_recovery is not None else None
            ),
        )
    return account, profile


def keep_stored(stored, new):
    """The imported account, keeping what the file does not carry from the stored one."""
    return replace(
        new,
        id_last4=stored.id_last4,
        birth_date=stored.birth_date,
        phone=stored.phone,
        days_overdue=stored.days_overdue,
        name=new.name or stored.name,
        region=new.region if new.region is not None else stored.region,
    )


class _Rows:
    """Good rows as (account, profile) pairs; bad rows reported on stderr and counted."""

    def __init__(self, path: str, encoding: str, input_format: str | None = None) -> None:
        self.path, self.encoding, self.input_format = path, encoding, input_format
        self.rows = self.rejects = 0

    def _reject(self, line: int, ref: str, reason: str) -> None:
        from plans.text.sanitize import clean

        self.rejects += 1
        print(f"line {line}: {clean(ref) or '-'}: {clean(reason)}", file=sys.stderr)

    def __iter__(self):
        from calc.errors import InstallmentError
        from plans.portfolio.reader import Reject, read_portfolio

        for item in read_portfolio(self.path, encoding=self.encoding, input_format=self.input_format):
            self.rows += 1
            if isinstance(item, Reject):
                self._reject(item.line, item.account_ref, item.reason)
                continue
            try:
                pair = to_store(item)
            except InstallmentError as exc:
                self._reject(item.line, item.account_ref, str(exc))
                continue
            yield pair


def run(args) -> int:
    from plans.store import open_store

    rows = _Rows(args.file, args.encoding, args.input_format)
    store = open_store(args.db, actor=current_user(), role="batch")
    try:
        result = store.upsert_accounts(rows, merge=keep_stored)
    finally:
        store.close()
    print(
        f"imported {args.file} into {store.path}: {rows.rows} rows; {result.inserted} new, "
        f"{result.updated} updated, {result.unchanged} unchanged, {result.profiles_added} new profiles; "
        f"{rows.rejects} rows skipped"
    )
    return 1 if rows.rejects else 0
