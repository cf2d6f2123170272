"""`installment users add|list|password|disable|enable`: who may use the agent console, in which role.

    installment users add NAME --role agent|supervisor [--as SUPERVISOR] [--db FILE]
    installment users list [--db FILE]
    installment users password NAME [--as SUPERVISOR] [--db FILE]
    installment users disable NAME [--as SUPERVISOR] [--db FILE]     (and enable)

Passwords are asked twice on a terminal, or read as one line from standard input;
they are stored only as salted PBKDF2-SHA256 hashes (600,000 iterations).  The first
user may be added freely; once an active supervisor exists, these changes need one:
``--as NAME`` names the supervisor, whose password is asked (or read as the next line
of standard input).  Every change is audited.
"""

from __future__ import annotations

from installment_tui.commands.db import add_db_argument, current_user
from installment_tui.commands.signin import add_as_argument, secret, supervisor


def register(sub) -> None:
    p = sub.add_parser(
        "users",
        help="users of the agent console and their roles",
        description="Users of the agent console: names, roles (agent or supervisor), passwords.",
    )
    actions = p.add_subparsers(dest="users_action", metavar="ACTION")
    actions.required = True
    a = actions.add_parser(
        "add",
        help="add a user (password asked, or one line of standard input)",
        description="Add a user of the agent console.",
    )
    a.add_argument("name", metavar="NAME")
    a.add_argument(
        "--role",
        required=True,
        choices=("agent", "supervisor"),
        help="agent, or supervisor (may approve offers beyond an agent's authority)",
    )
    l_ = actions.add_parser("list", help="list the users", description="List the users and their roles.")
    pw = actions.add_parser("password", help="set a user's password", description="Set a user's password.")
    pw.add_argument("name", metavar="NAME")
    d = actions.add_parser("disable", help="stop a user from signing in", description="Stop a user signing in.")
    d.add_argument("name", metavar="NAME")
    e = actions.add_parser("enable", help="let a disabled user sign in again", description="Enable a user again.")
    e.add_argument("name", metavar="NAME")
    for q in (a, pw, d, e):
        add_as_argument(q)
    for q in (a, l_, pw, d, e):
        add_db_argument(q)
    a.set_defaults(run=run_add)
    l_.set_defaults(run=run_list)
    pw.set_defaults(run=run_password)
    d.set_defaults(run=lambda args: run_active(args, False))
    e.set_defaults(run=lambda args: run_active(args, True))


def _store(args):
    from plans.store import open_store

    return open_store(args.db, actor=current_user(), role="admin")


def _authorizer(store, args):
    """The supervisor named by ``--as``, signed in with their password; None without ``--as``."""
    return supervisor(store, args.as_user, "installment users")


def run_add(args) -> int:
    from plans.store.users import check_name, check_password

    name = check_name(args.name)
    password = check_password(secret(f"password for {name}", twice=True))
    store = _store(args)
    try:
        boss = _authorizer(store, args)
        store = store.as_actor(boss.name, "supervisor") if boss else store
        store.add_user(name, args.role, password, authorized_by=boss)
    finally:
        store.close()
    print(f"user {name} added as {args.role}")
    return 0


def run_list(args) -> int:
    store = _store(args)
    try:
        users = store.users()
    finally:
        store.close()
    from installment_tui.times import local_day
    from plans.policy import default_policy

    zone_name = default_policy().conduct.time_zone  # the day as the console shows it
    if not users:
        print("no users yet: add one with `installment users add NAME --role supervisor`")
    for u in users:
        print(
            f"{u.name:<24} {u.role:<10} {'active' if u.active else 'disabled':<8} added {local_day(u.created_at, zone_name)} "
            f"by {u.created_by}"
        )
    return 0


def run_password(args) -> int:
    from plans.store.users import check_password

    password = check_password(secret(f"new password for {args.name}", twice=True))
    store = _store(args)
    try:
        boss = _authorizer(store, args)
        store = store.as_actor(boss.name, "supervisor") if boss else store
        store.set_password(args.name, password, authorized_by=boss)
    finally:
        store.close()
    print(f"password of {args.name} changed")
    return 0


def run_active(args, active: bool) -> int:
    store = _store(args)
    try:
        boss = _authorizer(store, args)
        store = store.as_actor(boss.name, "supervisor") if boss else store
        store.set_active(args.name, active, authorized_by=boss)
    finally:
        store.close()
    print(f"user {args.name} {'enabled' if active else 'disabled'}")
    return 0
