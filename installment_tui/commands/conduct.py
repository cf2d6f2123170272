"""`installment conduct check|report|allowed|log|flag`: collection conduct from the command line.

    installment conduct check FILE [--lang zh_CN|zh_TW|en] [--format text|json] [--policy FILE]
    installment conduct report --from DATE --to DATE [--format table|csv|json] [--db FILE] [--policy FILE]
    installment conduct allowed REF [--channel call|sms|letter] [--party debtor|representative|third_party]
    installment conduct log REF --channel C --outcome O [--direction] [--party] [--purpose] [--note TEXT]
                                [--as SUPERVISOR --reason TEXT]
    installment conduct flag REF [--set FLAG | --clear FLAG] [--reason TEXT]
    installment conduct import-sent FILE

``check`` reads one message (FILE, or ``-`` for standard input) and prints every
harmful phrase with its rule, line and column, the phrase, and a lawful wording
(exit 0 clean, 1 findings, 2 bad input).  ``allowed`` asks whether an outbound
contact may be made now (exit 0 yes, 1 no with the reasons).  ``log`` records a
contact; one the rules refuse is recorded as a refusal (exit 1) unless ``--as`` names
a supervisor (whose password is asked, or read from standard input) and ``--reason``
says why.  ``flag`` lists an account's flags, or sets or clears one with a reason.
``import-sent`` records the messages a sender sent (its ``sent.csv``: the monitor's
reminders, see ``plans.conduct.sent_input``) in the contact log: exit 0, 1 when some
were sent against the contact rules (recorded, and listed), 2 when the file is refused.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from calc.errors import InvalidInput
from installment_tui.commands.db import add_db_argument, current_user
from plans.conduct.vocabulary import (
    MANUAL_FLAGS,
    OUTBOUND_CHANNELS,
    Channel,
    Direction,
    Outcome,
    Party,
    Purpose,
)


def register(sub) -> None:
    p = sub.add_parser(
        "conduct",
        help="collection conduct: check messages, contact rules, the contact log, report",
        description="Collection conduct: check messages against the rules of harmful phrasings, "
        "decide and log contacts, account flags, and the conduct report.",
    )
    actions = p.add_subparsers(dest="conduct_action", metavar="ACTION")
    actions.required = True
    c = actions.add_parser(
        "check",
        help="check a message (file or -) for harmful phrasings; exit 1 with findings",
        description="Check one message for harmful collection phrasings. Exit 0 clean, 1 with "
        "findings, 2 for bad input.",
    )
    c.add_argument("file", metavar="FILE", help="the message as UTF-8 text, or - for standard input")
    c.add_argument("--lang", default="zh_CN", help="language of the message and the advice: zh_CN (default), zh_TW, en")
    c.add_argument("--format", dest="fmt", choices=("text", "json"), default="text")
    c.add_argument("--policy", metavar="FILE", help="policy whose [[conduct.message_rules]] add to the rules")
    c.set_defaults(run=run_check)
    r = actions.add_parser(
        "report",
        help="contacts, refusals, overrides and complaints over a period",
        description="Contacts by channel and outcome, rule refusals and overrides, complaints "
        "opened, resolved in time, overdue, and the median days to resolve.",
    )
    r.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day (YYYY-MM-DD)")
    r.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day, included (YYYY-MM-DD)")
    r.add_argument("--format", dest="fmt", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=run_report)
    a = actions.add_parser(
        "allowed",
        help="may this account be contacted now? exit 1 with the reasons if not",
        description="Whether an outbound contact is allowed now; exit 0 yes, 1 no (with why).",
    )
    a.add_argument("ref", metavar="REF", help="account reference")
    a.add_argument("--channel", choices=[str(x) for x in OUTBOUND_CHANNELS], default="call")
    a.add_argument("--party", choices=[str(x) for x in Party], default="debtor")
    a.add_argument(
        "--at",
        metavar="TIME",
        help="ask for another time (ISO 8601 with its offset, e.g. 2026-12-01T07:30+08:00) instead of now",
    )
    a.set_defaults(run=run_allowed)
    lg = actions.add_parser(
        "log",
        help="record a contact (refused when it breaks a rule, unless overridden)",
        description="Record a contact in the contact log. An outbound contact the rules refuse "
        "is recorded as a refusal (exit 1) unless a supervisor overrides it.",
    )
    lg.add_argument("ref", metavar="REF", help="account reference")
    lg.add_argument("--channel", required=True, choices=[str(x) for x in Channel])
    lg.add_argument("--outcome", required=True, choices=[str(x) for x in Outcome])
    lg.add_argument("--direction", choices=[str(x) for x in Direction], default="outbound")
    lg.add_argument("--party", choices=[str(x) for x in Party], default="debtor")
    lg.add_argument("--purpose", choices=[str(x) for x in Purpose], default="collection")
    lg.add_argument("--note", help="what was said (checked: findings are printed as warnings)")
    lg.add_argument(
        "--as",
        dest="as_user",
        metavar="SUPERVISOR",
        help="a supervisor who overrides a rule (password asked, or read from standard input)",
    )
    lg.add_argument("--reason", help="why the supervisor overrides the rule (with --as)")
    lg.set_defaults(run=run_log)
    f = actions.add_parser(
        "flag",
        help="list, set or clear an account's contact flags",
        description="List an account's contact flags and their history, or set or clear one with a reason.",
    )
    f.add_argument("ref", metavar="REF", help="account reference")
    which = f.add_mutually_exclusive_group()
    which.add_argument("--set", dest="set_flag", choices=[str(x) for x in MANUAL_FLAGS])
    which.add_argument("--clear", dest="clear_flag", choices=[str(x) for x in MANUAL_FLAGS])
    f.add_argument("--reason", help="why (needed to set or clear a flag)")
    f.set_defaults(run=run_flag)
    im = actions.add_parser(
        "import-sent",
        help="record the messages a sender sent (sent.csv) in the contact log",
        description="Record the SMS and letters a sender sent (a CSV with account_ref, channel, "
        "sent_at and optionally purpose and text; the monitor's reminders.csv with a "
        "sent_at column will do) as contacts. Importing a file again changes nothing. "
        "Exit 0, 1 when some were sent against the contact rules, 2 for a bad file.",
    )
    im.add_argument("file", metavar="FILE", help="the sender's sent.csv (UTF-8)")
    im.set_defaults(run=run_import_sent)
    for q in (r, a, lg, f, im):
        add_db_argument(q)
        q.add_argument("--policy", metavar="FILE", help="policy file (default: the shipped policy)")


def _read_message(path: str) -> str:
    from plans.input_limits import MAX_DOCUMENT_BYTES, read_document

    if path == "-":
        data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise InvalidInput(
                f"standard input is more than {MAX_DOCUMENT_BYTES:,} bytes; at most that is read", "FILE"
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("standard input is not UTF-8 text", "FILE") from None
    return read_document(path, "the message", "FILE", "message")


def run_check(args) -> int:
    from plans.conduct.messages import check_message
    from plans.conduct.words import MESSAGE_CATEGORIES, name
    from plans.text.i18n import check_lang, translator
    from plans.policy import load_policy
    from plans.text.sanitize import clean

    lang = check_lang(args.lang)
    policy = load_policy(args.policy)
    text = _read_message(args.file).removeprefix("\ufeff")
    findings = check_message(text, lang, policy)
    where = "-" if args.file == "-" else args.file
    if args.fmt == "json":
        print(
            json.dumps(
                {"file": where, "lang": lang, "clean": not findings, "findings": [f.as_dict() for f in findings]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 1 if findings else 0
    t = translator(lang)
    for f in findings:
        print(
            clean(
                f"{where}:{f.line}:{f.column}: {f.rule} ({name(MESSAGE_CATEGORIES, t, f.category)}): "
                f"“{f.quote}” → {f.suggestion}"
            )
        )
    if findings:
        print(
            f"installment conduct check: {clean(where)}: {len(findings)} finding{'s' if len(findings) != 1 else ''}",
            file=sys.stderr,
        )
        return 1
    print(f"{clean(where)}: clean (no harmful phrasing found)")
    return 0


def run_report(args) -> int:
    from datetime import timedelta

    from calc.dates import parse_date
    from plans.conduct.report import conduct_report, render
    from plans.conduct.settings import zone
    from plans.policy import load_policy
    from plans.store import open_store

    start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
    if end < start:
        raise InvalidInput(f"{end.isoformat()} is before --from {start.isoformat()}", "--to")
    policy = load_policy(args.policy)
    tz = zone(policy.conduct.time_zone)
    store = open_store(args.db, existing=True)
    try:
        lo = datetime.combine(start, datetime.min.time(), tz)
        hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tz)
        report = conduct_report(
            store.contacts_between(lo, hi), store.complaints(policy.conduct), start, end, policy.conduct
        )
    finally:
        store.close()
    sys.stdout.write(render(report, args.fmt))
    return 0


def _store(args, role: str = "system"):
    from plans.store import open_store

    return open_store(args.db, actor=current_user(), role=role)


def _decision_lines(decision) -> list[str]:
    local = decision.local.strftime("%Y-%m-%d %H:%M %Z")
    if decision.allowed:
        lines = [f"allowed now (debtor's local time {local}"]
        if decision.limit:
            lines[0] += f", {decision.today} of {decision.limit} today"
        lines[0] += ")"
        return lines
    lines = [f"not allowed now (debtor's local time {local}):"] + [f"  {b.english()}" for b in decision.breaches]
    if decision.next_allowed is not None:
        lines.append(f"  allowed from {decision.next_allowed.strftime('%Y-%m-%d %H:%M %Z')}")
    return lines


def run_allowed(args) -> int:
    from plans.policy import load_policy

    policy = load_policy(args.policy)
    when = None
    if args.at:
        try:
            when = datetime.fromisoformat(args.at)
        except ValueError:
            raise InvalidInput(
                "must be an ISO 8601 time with its offset, e.g. 2026-12-01T07:30+08:00", "--at"
            ) from None
        if when.tzinfo is None:
            raise InvalidInput("needs its offset from UTC, e.g. 2026-12-01T07:30+08:00", "--at")
    store = _store(args)
    try:
        decision = store.contact_decision(args.ref, policy, args.channel, args.party, now=when)
    finally:
        store.close()
    for line in _decision_lines(decision):
        print(line)
    return 0 if decision.allowed else 1


def run_log(args) -> int:
    from installment_tui.commands.signin import supervisor
    from plans.conduct.messages import check_message
    from plans.policy import load_policy
    from plans.text.sanitize import clean
    from plans.store.conduct import ContactRefused, Override

    policy = load_policy(args.policy)
    if bool(args.as_user) != bool(args.reason):
        raise InvalidInput(
            "an override needs both --as SUPERVISOR and --reason", "--reason" if args.as_user else "--as"
        )
    note = args.note or ""
    for f in check_message(note, "zh_CN", policy):
        print(clean(f"warning: note {f.line}:{f.column}: {f.rule}: “{f.quote}” → {f.suggestion}"), file=sys.stderr)
    store = _store(args)
    try:
        override = None
        if args.as_user:
            override = Override(supervisor(store, args.as_user, "installment conduct log"), args.reason)
        try:
            rec = store.log_contact(
                args.ref,
                policy,
                args.channel,
                args.outcome,
                direction=args.direction,
                party=args.party,
                purpose=args.purpose,
                note=note,
                override=override,
            )
        except ContactRefused as exc:
            print(
                f"installment conduct log: refused (recorded as a refusal): "
                f"{'; '.join(b.english() for b in exc.decision.breaches)}",
                file=sys.stderr,
            )
            return 1
    finally:
        store.close()
    extra = f" (overridden by {rec.override_by}: {', '.join(rec.rules)})" if rec.override_by else ""
    print(clean(f"contact {rec.id} logged: {rec.direction} {rec.channel} to {rec.party}, {rec.outcome}{extra}"))
    return 0


def run_flag(args) -> int:
    from installment_tui.times import local_time
    from plans.policy import load_policy
    from plans.text.sanitize import clean

    store = _store(args)
    try:
        flag = args.set_flag or args.clear_flag
        if flag:
            if not args.reason:
                raise InvalidInput("is needed to set or clear a flag; say why", "--reason")
            rec = store.set_flag(args.ref, flag, bool(args.set_flag), args.reason)
            print(clean(f"{rec.flag} {'set' if rec.is_set else 'cleared'} on {args.ref}"))
            return 0
        store.get_account(args.ref)
        flags = store.contact_flags(args.ref)
        history = store.flag_history(args.ref)
    finally:
        store.close()
    print(clean(f"{args.ref}: {', '.join(sorted(flags)) or 'no flags'}"))
    zone_name = load_policy(getattr(args, "policy", None)).conduct.time_zone  # times as the console shows them
    for h in history:
        print(
            clean(
                f"  {local_time(h.at, zone_name)}  {'set  ' if h.is_set else 'clear'} {h.flag:<13} "
                f"{h.actor}: {h.reason}"
            )
        )
    return 0


def run_import_sent(args) -> int:
    from plans.conduct.sent_input import MAX_FILE_BYTES, SentFileError, read_sent
    from plans.policy import load_policy
    from plans.text.sanitize import clean

    policy = load_policy(args.policy)
    try:
        with open(args.file, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {args.file}", "FILE") from None
    except IsADirectoryError:
        raise InvalidInput(f"{args.file} is a folder, not a sent file", "FILE") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {args.file}: {exc.strerror}", "FILE") from None
    try:
        rows = read_sent(data)
        store = _store(args)
        try:
            result = store.import_sent(rows, policy)
        finally:
            store.close()
    except SentFileError as exc:
        print(
            f"installment conduct import-sent: {clean(args.file)}: {clean(exc.message, multiline=True)}",
            file=sys.stderr,
        )
        return 2
    print(
        f"{result.recorded} sent message{'s' if result.recorded != 1 else ''} recorded in the contact log"
        + (f" ({result.already} already there)" if result.already else "")
    )
    for line, ref, decision in result.against_rules:
        print(
            clean(
                f"line {line}: {ref}: sent against the contact rules (recorded): "
                f"{'; '.join(b.english() for b in decision.breaches)}"
            ),
            file=sys.stderr,
        )
    return 1 if result.against_rules else 0
