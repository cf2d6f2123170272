"""`installment demo-data [--accounts N] [--seed S] [--db FILE]`: fill a database with demo accounts.

The same seed and count give the same data (plans.demo_data); running it again
on the same database changes nothing.  With at least five accounts it also saves
a few offers for the documented accounts (one agreement, one offer waiting for a
supervisor).  It adds the demo console users (``demo.agent`` and ``demo.supervisor``,
password ``demo-password``) and prints them and the documented kiosk accounts.
"""

from __future__ import annotations

from calc.numerals import parse_whole
from installment_tui.commands.db import add_db_argument, current_user

MAX_ACCOUNTS = 1_000_000


def _count(text: str, flag: str, lo: int, hi: int) -> int:
    return parse_whole(text, flag, lo, hi)


def register(sub) -> None:
    p = sub.add_parser(
        "demo-data",
        help="build a realistic demo database",
        description="Build a realistic, deterministic demo database (accounts and profiles).",
    )
    p.add_argument("--accounts", metavar="N", default="200", help="how many accounts (default 200)")
    p.add_argument("--seed", metavar="S", default="2025", help="random seed; the same seed gives the same data")
    add_db_argument(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from plans.demo_data import (
        DEMO_PASSWORD,
        DEMO_USERS,
        SERVICING_AS_OF,
        add_demo_offers,
        add_demo_servicing,
        add_demo_users,
        documented_cases,
        generate,
        servicing_accounts,
    )
    from plans.store import open_store

    count = _count(args.accounts, "--accounts", 1, MAX_ACCOUNTS)
    seed = _count(args.seed, "--seed", 0, 2**63 - 1)
    cases = generate(count, seed)
    store = open_store(args.db, actor=current_user(), role="system")
    try:
        result = store.upsert_accounts(
            (c.account for c in cases), profiles={c.account.ref: c.profile for c in cases if c.profile}
        )
        offers = add_demo_offers(store) if count >= len(documented_cases()) else (0, 0)
        users = add_demo_users(store)
        servicing = add_demo_servicing(store, cases)
    finally:
        store.close()
    print(
        f"demo database {store.path}: {count} accounts ({result.inserted} new, {result.updated} updated, "
        f"{result.unchanged} unchanged), {result.profiles_added} new profiles, {offers[0]} new offers, "
        f"{offers[1] + servicing[0]} new agreements, {servicing[1]} new payments, {users} new users"
    )
    print(
        f"agent console users (password {DEMO_PASSWORD}): " + ", ".join(f"{name} ({role})" for name, role in DEMO_USERS)
    )
    print("kiosk demo accounts (reference, ID last four, birth date):")
    for c in cases:
        if c.note == "random":
            break
        a = c.account
        print(f"  {a.ref}  {a.id_last4}  {_born(a)}  {a.name} - {c.note}")
    chosen = servicing_accounts(cases)
    if chosen:
        print(
            f"agreements in service, as of {SERVICING_AS_OF.isoformat()} "
            "(installment monitor --as-of that day; the consoles show today):"
        )
        for sc, c in chosen:
            a = c.account
            print(f"  {a.ref}  {a.id_last4}  {_born(a)}  {sc.status:<10} - {sc.note}")
    return 0


def _born(account) -> str:
    """The birth date the kiosk asks for (every demo account has one)."""
    return account.birth_date.isoformat() if account.birth_date else "-"
