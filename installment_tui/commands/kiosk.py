"""`installment kiosk [--db FILE] [--policy FILE] [--config FILE] [--demo]`: the self-service kiosk.

Runs the full-screen kiosk app (:mod:`installment_tui.kiosk`) until a member of
staff leaves it with the PIN from the configuration (exit status 0), or until
faults come too fast for it to carry on (exit status 70, for a service manager to
restart it; see :mod:`installment_tui.kiosk.app`).  ``--hash-pin`` prints the
``pin_hash`` line for the configuration instead: it reads the PIN from the
terminal (asked twice) or from one line of standard input.  ``--demo`` first fills
the database with the deterministic demo accounts (see README "Kiosk").
"""

from __future__ import annotations

import sys

from calc.errors import InvalidInput
from installment_tui.commands.db import add_db_argument


def register(sub) -> None:
    p = sub.add_parser(
        "kiosk",
        help="run the self-service kiosk (full screen)",
        description="Run the locked-down self-service kiosk where debtors make their own plan.",
    )
    add_db_argument(p)
    p.add_argument("--policy", metavar="FILE", help="creditor policy TOML (default: the shipped policy)")
    p.add_argument("--config", metavar="FILE", help="kiosk configuration TOML (see examples/kiosk.toml)")
    p.add_argument("--demo", action="store_true", help="fill the database with the demo accounts first")
    p.add_argument(
        "--hash-pin",
        action="store_true",
        help="print the pin_hash line for the configuration (PIN read from the terminal or stdin)",
    )
    p.set_defaults(run=run)


def read_pin() -> str:
    from installment_tui.kiosk.config import check_pin_text

    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("staff PIN (4 to 32 digits): ")
        if getpass.getpass("the same PIN again: ") != first:
            raise InvalidInput("the two PINs differ", "pin")
    else:
        first = sys.stdin.readline()
    return check_pin_text(first)


def run(args) -> int:
    from installment_tui.kiosk.config import hash_pin, load_config

    if args.hash_pin:
        print(f'pin_hash = "{hash_pin(read_pin())}"')
        return 0
    config = load_config(args.config)
    from plans.policy import load_policy
    from pathlib import Path

    from plans.store import open_store, parse_db

    policy = load_policy(args.policy or config.policy)
    db = parse_db(args.db or config.db)
    store = open_store(
        db,
        actor=config.actor,
        role="kiosk",
        busy_timeout=config.busy_timeout,
        audit_key=config.audit_key,
        audit_anchors=config.audit_anchors,
    )
    try:
        if args.demo:
            from plans.demo_data import generate

            cases = generate()
            store.as_actor("demo", "system").upsert_accounts(
                (c.account for c in cases), profiles={c.account.ref: c.profile for c in cases if c.profile}
            )
        from installment_tui.kiosk.logmask import setup_logging

        log = setup_logging(config.log_file)
        from installment_tui.faults import describe, quiet_process
        from installment_tui.kiosk.app import EXIT_FAULT, KioskApp

        quiet_process(log)
        from installment_tui.collector import pace_for_console

        app = KioskApp(store, policy, config, db_path=db if isinstance(db, Path) else None)
        pace_for_console()
        try:
            app.run()
        except Exception as exc:  # noqa: BLE001 - outside the app (the terminal itself): no traceback either
            log.critical("stopped: %s", describe(exc))
            print("installment kiosk: stopped after an error (see the kiosk log)", file=sys.stderr)
            return EXIT_FAULT
        return app.return_code or 0
    finally:
        store.close()
