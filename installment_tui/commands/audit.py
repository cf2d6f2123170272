"""`installment audit verify|anchor [--db FILE]`: check the keyed, anchored audit log.

``verify`` checks every entry's keyed seal and the chain, then the log's end
against its anchor (recorded outside the database after every change).  Exit status 0
when everything is intact (it prints the entry count, the key's id, the head hash
and where the anchor is), 1 when anything is wrong, one line per problem: an entry
changed (named), entries missing, reordered, cut off the end, the whole log emptied,
the anchor missing or changed, another key.

``anchor`` records the log's current head as the anchor when the database has none
(e.g. after moving it to another machine without its anchor); it never replaces one.

The key file is ``$INSTALLMENT_AUDIT_KEY`` (default ``~/.config/installment/audit.key``),
the anchors ``$INSTALLMENT_AUDIT_ANCHORS`` (default ``audit-anchors`` beside the key).
"""

from __future__ import annotations

from installment_tui.commands.db import add_db_argument, current_user


def register(sub) -> None:
    p = sub.add_parser(
        "audit", help="check the keyed, anchored audit log", description="Check the keyed, anchored audit log."
    )
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION")
    actions.required = True
    v = actions.add_parser(
        "verify",
        help="check every entry and the log's end; exit 1 naming what is wrong",
        description="Check every entry's keyed seal, the chain and the log's end against its "
        "anchor; exit 1 naming what is wrong.",
    )
    add_db_argument(v)
    v.set_defaults(run=run_verify)
    a = actions.add_parser(
        "anchor",
        help="record the log's head as its anchor when it has none",
        description="Record the audit log's current head as its anchor when the database has "
        "none (a lost anchor); an existing anchor is never replaced.",
    )
    add_db_argument(a)
    a.set_defaults(run=run_anchor)


def run_verify(args) -> int:
    from plans.text.sanitize import clean
    from plans.store import open_store

    store = open_store(args.db, existing=True)
    try:
        report = store.verify_audit()
        key_id = store.seal.key.id if report.keyed else None
    finally:
        store.close()
    if not report.intact:
        print(
            f"audit log BROKEN: {len(report.problems)} problem{'s' if len(report.problems) != 1 else ''} "
            f"({report.entries} entries read; last good hash {report.head})"
        )
        for problem in report.problems:
            print(f"  {clean(problem)}")
        return 1
    legacy = f" ({report.legacy_until} from before the key, checked with SHA-256)" if report.legacy_until else ""
    sealed = f", sealed with key {key_id}" if key_id else ""
    print(f"audit log intact: {report.entries} entries{legacy}{sealed}; head hash {report.head}")
    if report.anchor is not None:
        from installment_tui.times import local_time
        from plans.policy import default_policy

        written = local_time(report.anchor.at, default_policy().conduct.time_zone)
        print(f"anchored at entry {report.anchor.seq} (written {written}) in {report.anchor_where}")
    for note in report.notes:
        print(f"note: {clean(note)}")
    return 0


def run_anchor(args) -> int:
    from plans.store import open_store

    store = open_store(args.db, actor=current_user(), role="admin", existing=True)
    try:
        made = store.anchor()
        where = store.seal.anchors.where(store.seal.db_id or "")
    finally:
        store.close()
    print(f"anchor recorded in {where}" if made else f"an anchor already exists in {where}; nothing changed")
    return 0
