"""`installment complaints list|add|show|acknowledge|extend|resolve|reply`: the complaints register.

    installment complaints list [--account REF] [--open] [--overdue]
    installment complaints add REF --channel C --category C (--text TEXT | --file FILE) [--lang L] [--acknowledged]
    installment complaints show ID
    installment complaints acknowledge ID
    installment complaints extend ID --reason TEXT [--as SUPERVISOR]
    installment complaints resolve ID --outcome upheld|partly_upheld|not_upheld (--reply TEXT | --reply-file FILE)
    installment complaints reply ID [-o FILE]

A reply is due 15 days after receipt; the first extension (to 30 days, with a
reason) is anyone's, the second (30 days more) needs ``--as`` a supervisor, whose
password is asked (or read from standard input).  The reply must pass the message
checker; ``reply`` prints the reply letter in the debtor's language.  Every change
is audited; the commands act as the login user.  (All take ``--db`` and ``--policy``.)
"""

from __future__ import annotations

import sys

from calc.errors import InvalidInput
from installment_tui.commands.db import add_db_argument, current_user
from plans.conduct.vocabulary import ComplaintCategory, ComplaintChannel, Resolution


def register(sub) -> None:
    p = sub.add_parser(
        "complaints",
        help="the complaints register: receive, extend, resolve, reply",
        description="The complaints register: complaints received, acknowledged, extended and "
        "resolved, with due dates and the reply letter.",
    )
    actions = p.add_subparsers(dest="complaints_action", metavar="ACTION")
    actions.required = True
    ls = actions.add_parser(
        "list",
        help="list complaints with their state and due dates",
        description="List complaints, oldest first, with state, due date and whether overdue.",
    )
    ls.add_argument("--account", metavar="REF")
    ls.add_argument("--open", action="store_true", help="only complaints not yet resolved")
    ls.add_argument("--overdue", action="store_true", help="only complaints past their due date")
    ls.set_defaults(run=run_list)
    a = actions.add_parser("add", help="record a complaint received", description="Record a complaint received.")
    a.add_argument("ref", metavar="REF", help="account reference")
    a.add_argument("--channel", required=True, choices=[str(x) for x in ComplaintChannel])
    a.add_argument("--category", required=True, choices=[str(x) for x in ComplaintCategory])
    text = a.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", help="what the debtor complains about")
    text.add_argument("--file", metavar="FILE", help="the complaint's text from a UTF-8 file")
    a.add_argument("--lang", default="zh_CN", help="the debtor's language, for the reply letter (default zh_CN)")
    a.add_argument("--acknowledged", action="store_true", help="the debtor was told it is received (on a call)")
    a.set_defaults(run=run_add)
    sh = actions.add_parser("show", help="a complaint and its history", description="Show a complaint and its events.")
    ack = actions.add_parser(
        "acknowledge",
        help="record that the debtor was told the complaint is received",
        description="Acknowledge a complaint.",
    )
    ext = actions.add_parser(
        "extend",
        help="extend the due date (the second time with a supervisor)",
        description="Extend the due date: to 30 days after receipt with a reason, then by 30 "
        "days more with a supervisor's approval (--as).",
    )
    ext.add_argument("--reason", required=True)
    ext.add_argument("--as", dest="as_user", metavar="SUPERVISOR", help="the supervisor approving a second extension")
    res = actions.add_parser(
        "resolve",
        help="resolve with an outcome and the reply",
        description="Resolve a complaint: the outcome and the reply to the debtor (checked "
        "against the rules of harmful phrasings).",
    )
    res.add_argument("--outcome", required=True, choices=[str(x) for x in Resolution])
    reply = res.add_mutually_exclusive_group(required=True)
    reply.add_argument("--reply", help="the reply to the debtor")
    reply.add_argument("--reply-file", metavar="FILE", help="the reply from a UTF-8 file")
    rl = actions.add_parser(
        "reply",
        help="print (or write) the reply letter of a resolved complaint",
        description="The reply letter of a resolved complaint, in the debtor's language.",
    )
    rl.add_argument("-o", "--out", metavar="FILE", help="write it to FILE (readable by its owner only)")
    for q in (sh, ack, ext, res, rl):
        q.add_argument("complaint", metavar="ID", help="the complaint number (C-12 or 12)")
    for q, run in ((sh, run_show), (ack, run_acknowledge), (ext, run_extend), (res, run_resolve), (rl, run_reply)):
        q.set_defaults(run=run)
    for q in (ls, a, sh, ack, ext, res, rl):
        add_db_argument(q)
        q.add_argument("--policy", metavar="FILE", help="policy file (default: the shipped policy)")


def _number(text: str) -> int:
    raw = text.strip().upper().removeprefix("C-")
    if not raw.isdigit() or not raw.isascii() or len(raw) > 12:
        raise InvalidInput(f"{text!r} is not a complaint number; give it as C-12 or 12", "ID")
    return int(raw)


def _open(args):
    from plans.policy import load_policy
    from plans.store import open_store

    return open_store(args.db, actor=current_user(), role="system"), load_policy(args.policy)


def _text_of(text: str | None, path: str | None, field: str) -> str:
    if text is not None:
        return text
    if path is None:  # (argparse requires one of the two)
        raise InvalidInput("is needed, or a file with it", field)
    from installment_tui.commands.conduct import _read_message

    try:
        return _read_message(path)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field) from None


def _line(c, today) -> str:
    from plans.text.sanitize import clean

    status = str(c.state)
    if c.overdue(today):
        status += f", OVERDUE {c.days_overdue(today)} d"
    elif c.open:
        status += f", {(c.due_on - today).days} d left"
    elif c.in_time is False:
        status += ", late"
    return clean(
        f"C-{c.id:<5} {c.record.account_ref:<18} {c.record.received_on}  due {c.due_on}  "
        f"{c.record.category:<18} {c.record.channel:<7} {status}"
    )


def _today(store, policy):
    from plans.conduct.complaints import local_day

    return local_day(store.clock(), policy.conduct)


def run_list(args) -> int:
    store, policy = _open(args)
    try:
        complaints = store.complaints(policy.conduct, args.account)
        today = _today(store, policy)
    finally:
        store.close()
    shown = [c for c in complaints if (not args.open or c.open) and (not args.overdue or c.overdue(today))]
    shown.sort(key=lambda c: (not c.overdue(today), c.due_on if c.open else c.record.received_on, c.id))
    for c in shown:
        print(_line(c, today))
    if not shown:
        print("no complaints" + (" match" if complaints else " yet"))
    return 0


def run_add(args) -> int:
    text = _text_of(args.text, args.file, "--text")
    store, policy = _open(args)
    try:
        c = store.add_complaint(
            args.ref, policy.conduct, args.channel, args.category, text, args.lang, acknowledged=args.acknowledged
        )
    finally:
        store.close()
    print(f"complaint C-{c.id} received on {c.record.received_on}; reply due by {c.due_on}")
    return 0


def run_show(args) -> int:
    from installment_tui.times import local_time
    from plans.text.sanitize import clean

    store, policy = _open(args)
    try:
        c = store.complaint(_number(args.complaint), policy.conduct)
        today = _today(store, policy)
    finally:
        store.close()
    print(_line(c, today))
    print(
        clean(
            f"  received {local_time(c.record.received_at, policy.conduct.time_zone)} by {c.record.received_by} "
            f"({c.record.role}), language {c.record.lang}"
        )
    )
    print(clean("  " + c.record.text.replace("\n", "\n  "), multiline=True))
    for e in c.events:
        extra = ""
        if e.kind == "extended":
            extra = f" to {e.due_on}" + (f", approved by {e.approved_by}" if e.approved_by else "")
        elif e.kind == "resolved":
            extra = f": {e.outcome}"
        print(
            clean(
                f"  {local_time(e.at, policy.conduct.time_zone)} {e.kind}{extra} by {e.actor}"
                + (f" — {e.reason}" if e.reason else ""),
                multiline=True,
            )
        )
    return 0


def run_acknowledge(args) -> int:
    store, policy = _open(args)
    try:
        c = store.acknowledge_complaint(_number(args.complaint), policy.conduct)
    finally:
        store.close()
    print(f"complaint C-{c.id} acknowledged; reply due by {c.due_on}")
    return 0


def run_extend(args) -> int:
    from installment_tui.commands.signin import supervisor

    store, policy = _open(args)
    try:
        boss = supervisor(store, args.as_user, "installment complaints extend")
        if boss is not None:
            store = store.as_actor(boss.name, boss.role)
        c = store.extend_complaint(_number(args.complaint), policy.conduct, args.reason, approved_by=boss)
    finally:
        store.close()
    print(f"complaint C-{c.id} extended; reply now due by {c.due_on}")
    return 0


def run_resolve(args) -> int:
    reply = _text_of(args.reply, args.reply_file, "--reply")
    store, policy = _open(args)
    try:
        c = store.resolve_complaint(_number(args.complaint), policy, args.outcome, reply)
    finally:
        store.close()
    when = "in time" if c.in_time else f"late (due {c.due_on})"
    print(
        f"complaint C-{c.id} resolved ({c.outcome}) on {c.resolved_on}, {when}; "
        f"`installment complaints reply C-{c.id}` prints the reply letter"
    )
    return 0


def run_reply(args) -> int:
    from pathlib import Path

    from plans import files
    from plans.conduct.messages import require_clean
    from plans.conduct.reply import reply_letter
    from plans.summary import mask_reference

    store, policy = _open(args)
    try:
        c = store.complaint(_number(args.complaint), policy.conduct)
        today = _today(store, policy)
    finally:
        store.close()
    if c.open:
        raise InvalidInput(f"complaint C-{c.id} is not resolved yet; resolve it first", "ID")
    letter = require_clean(
        reply_letter(c, policy, c.resolved_on or today, mask_reference(c.record.account_ref)),
        c.record.lang,
        policy,
        what="the reply letter",
    )
    if args.out:
        path = Path(args.out)
        files.write_atomic(path, letter)
        print(f"reply letter of C-{c.id} written to {path}")
    else:
        sys.stdout.write(letter)
    return 0
