"""`installment audit verify [--db FILE]`: check the audit log's hash chain.

Exit status 0 when every entry is intact (prints the entry count and the head
hash, worth writing down elsewhere: a chain cannot show its newest entries being
cut off), 1 naming the first broken entry.
"""

from __future__ import annotations

from installment_tui.commands.db import add_db_argument


def register(sub) -> None:
    p = sub.add_parser("audit", help="check the tamper-evident audit log",
                       description="Check the tamper-evident audit log.")
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION")
    actions.required = True
    v = actions.add_parser("verify", help="check every entry's hash chain; exit 1 at the first broken entry",
                           description="Check the audit log's hash chain; exit 1 naming the first broken entry.")
    add_db_argument(v)
    v.set_defaults(run=run_verify)


def run_verify(args) -> int:
    from plans.store import open_store

    store = open_store(args.db, existing=True)
    try:
        broken, count, head = store.verify_audit()
    finally:
        store.close()
    if broken is not None:
        print(f"audit log BROKEN at entry {broken.seq}: {broken.reason} "
              f"(entries before it are intact; last good hash {head})")
        return 1
    print(f"audit log intact: {count} entries; head hash {head}")
    return 0
