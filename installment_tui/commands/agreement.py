"""`installment agreement show ID` and `installment agreement cancel ID --reason TEXT`.

``show`` prints where the agreement stands on a date (default today) as an agreement
statement (``--format text|receipt|md|html|pdf|sms``, in ``--lang``) or as the
``installment.agreement/1`` JSON document (``--format json``, the default in a pipe).

``cancel`` records a supervisor's cancellation of an agreement in force, with the
reason: ``--as NAME`` names the supervisor (a user of ``installment users``), whose
password is asked on a terminal or read as one line of standard input; the audit log
records that user.  Exit status 0, 2 for a bad id or flag, a wrong password or a user
who is not a supervisor.
"""

from __future__ import annotations

import json
import sys

from calc.errors import InvalidInput
from installment_tui.commands.db import add_db_argument, current_user
from installment_tui.commands.signin import add_as_argument, supervisor

from ._render import _lang, _width, write_atomically

SCHEMA = "installment.agreement/1"
FORMATS = ("json", "text", "receipt", "md", "html", "pdf", "sms")


def _id(text: str) -> int:
    from calc.numerals import parse_whole

    return parse_whole(text, "ID", 1, 2**62)


def register(sub) -> None:
    p = sub.add_parser(
        "agreement",
        help="show an agreement's statement, or cancel it",
        description="An agreement: its statement on a date, or its cancellation.",
    )
    actions = p.add_subparsers(dest="agreement_action", metavar="ACTION")
    actions.required = True
    s = actions.add_parser(
        "show",
        help="where an agreement stands: statement or JSON",
        description="Where an agreement stands on a date: paid to date, the remaining schedule, "
        "the next payment and what happens on a missed payment.",
    )
    s.add_argument("id", metavar="ID", help="the agreement id")
    add_db_argument(s)
    s.add_argument("--policy", metavar="FILE", help="creditor policy (TOML; default: the shipped policy)")
    s.add_argument("--as-of", metavar="DATE", help="the date (YYYY-MM-DD; default today)")
    s.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="json (default in a pipe), or a statement: text (default on a terminal), receipt, md, html, pdf, sms",
    )
    g = s.add_argument_group("statement (--format text, receipt, md, html, pdf or sms)")
    g.add_argument("--lang", type=_lang, default="zh_CN", metavar="LANG", help="zh_CN (default), zh_TW or en")
    g.add_argument("--width", type=_width, default=None, metavar="COLS", help="receipt width: 32, 42 (default), 48")
    g.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default standard output)")
    g.add_argument("--font", metavar="FILE", help="TrueType font for PDF (default: the bundled one)")
    s.set_defaults(run=run_show)
    c = actions.add_parser(
        "cancel",
        help="cancel an agreement in force (a supervisor, with a reason)",
        description="Cancel an agreement in force: a supervisor's decision, with the reason.",
    )
    c.add_argument("id", metavar="ID", help="the agreement id")
    c.add_argument("--reason", required=True, metavar="TEXT", help="why the agreement is cancelled")
    add_as_argument(c, required=True)
    add_db_argument(c)
    c.set_defaults(run=run_cancel)


def _open(db, **who):
    """The store of an existing database (brought to the current schema, as every command does)."""
    from pathlib import Path

    from plans.store import StoreError, open_store, parse_db

    where = parse_db(db)
    if isinstance(where, Path) and not where.is_file():
        raise StoreError(f"no database at {where}", "--db")
    return open_store(where, **who)


def document(view) -> dict:
    """The ``installment.agreement/1`` document of an ``AgreementView``."""
    from calc.money import amount_formatter

    st, sc = view.standing, view.schedule
    fmt = amount_formatter(sc.currency)
    basis = view.replan
    return {
        "schema": SCHEMA,
        "agreement_id": view.id,
        "account_ref": view.record.account_ref,
        "offer_id": view.record.offer_id,
        "currency": sc.currency,
        "agreement_date": sc.start.isoformat(),
        "as_of": st.as_of.isoformat(),
        "status": str(st.status),
        "since": st.since.isoformat(),
        "total": fmt(sc.total),
        "paid_to_date": fmt(st.paid),
        "outstanding": fmt(st.outstanding),
        "credit": fmt(st.credit),
        "arrears": fmt(st.arrears),
        "missed": st.missed,
        "installments_paid": st.installments_paid,
        "installments_total": st.installments_total,
        "next_due": st.next_due.isoformat() if st.next_due else None,
        "next_amount": fmt(st.next_amount) if st.next_due else None,
        "schedule": [
            {"n": o.n, "due": o.due.isoformat(), "amount": fmt(o.amount), "paid": fmt(got), "state": str(m)}
            for o, got, m in zip(sc.obligations, st.applied, view.marks)
        ],
        "payments": [
            {
                "id": p.id,
                "paid_on": p.paid_on.isoformat(),
                "amount": fmt(p.amount),
                "channel": p.channel,
                "reference": p.reference,
            }
            for p in view.payments
        ],
        "transitions": [
            {
                "on": t.on.isoformat(),
                "from": None if t.old is None else str(t.old),
                "to": str(t.new),
                "record": t.record,
            }
            for t in st.transitions
        ],
        "replaced_by": view.successor,
        "replan": None
        if basis is None
        else {
            "debt": {b: fmt(a) for b, a in basis.debt.amounts().items()},
            "restored": {b: fmt(a) for b, a in basis.restored if a},
            "fees_dropped": fmt(basis.fees_dropped),
            "needs_supervisor": basis.needs_supervisor,
        },
    }


def run_show(args) -> int:
    from datetime import date

    from calc.dates import parse_date
    from plans.policy import load_policy
    from plans.servicing.agreements import load_agreement
    from plans.summary import SummaryAccount
    from plans.summary.statement import render_statement, statement_of

    agreement_id = _id(args.id)
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else date.today()
    policy = load_policy(args.policy)
    store = _open(args.db)
    try:
        view = load_agreement(store, agreement_id, policy, as_of)
        account = store.get_account(view.record.account_ref)
    finally:
        store.close()
    fmt = args.format or ("text" if sys.stdout.isatty() else "json")
    if fmt == "json":
        data = (json.dumps(document(view), ensure_ascii=False, indent=2) + "\n").encode()
    else:
        if fmt != "receipt" and args.width is not None:
            raise InvalidInput(f"applies to --format receipt only, not {fmt}", "--width")
        statement = statement_of(view, policy, SummaryAccount(account.ref, account.name or None))
        terminal = fmt == "text" and sys.stdout.isatty() and not args.output
        out = render_statement(
            statement, "terminal" if terminal else fmt, args.lang, width=args.width, font_path=args.font
        )
        data = out if isinstance(out, bytes) else out.encode()
    if args.output and args.output != "-":
        write_atomically(args.output, data)
        return 0
    if fmt == "pdf" and sys.stdout.isatty():
        raise InvalidInput("PDF is binary and is not printed on a terminal; give -o FILE.pdf", "-o")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


def run_cancel(args) -> int:
    agreement_id = _id(args.id)
    store = _open(args.db, actor=current_user(), role="system")
    try:
        boss = supervisor(store, args.as_user, "installment agreement cancel")
        record = store.as_actor(boss.name, "supervisor").cancel_agreement(agreement_id, args.reason)
    finally:
        store.close()
    print(f"agreement {agreement_id} cancelled (record {record.id}): {record.reason}")
    return 0
