"""`installment agent`: the agent console, to negotiate a plan during a phone call.

    installment agent [--db FILE] [--policy FILE] [--lang zh_CN|zh_TW|en] [--user NAME] [--out DIR]
                      [--keymap FILE]

The console starts by asking who is using it (a user of ``installment users``): the
role comes from that user's account, never from a flag, and every change is audited
under their name.  ``--user`` fills in the name.  Textual is imported inside ``run``
only, so other commands never load it.
"""

from __future__ import annotations

import argparse

from calc.errors import InvalidInput
from installment_tui.commands.db import add_db_argument, current_user


def register(sub) -> None:
    p = sub.add_parser(
        "agent",
        help="the agent console (negotiate a plan on a call)",
        description="The agent console: sign in, find an account, record the hardship profile, "
        "compare and negotiate offers, save them, and export the summary.",
    )
    add_db_argument(p)
    p.add_argument("--policy", metavar="FILE", help="creditor policy TOML (default: the shipped policy)")
    p.add_argument("--role", help=argparse.SUPPRESS)  # gone: refused with a message saying why
    p.add_argument("--lang", default="zh_CN", help="zh_CN (default), zh_TW or en; F2 switches while running")
    p.add_argument("--user", metavar="NAME", help="the name to sign in with (asked on the first screen)")
    p.add_argument("--out", metavar="DIR", default="out", help="folder for exported summaries (default ./out)")
    p.add_argument("--keymap", metavar="FILE", help="key map TOML (default $XDG_CONFIG_HOME/installment/keymap.toml)")
    p.set_defaults(run=run)


def run(args) -> int:
    from plans.text.i18n import check_lang
    from plans.policy import load_policy
    from plans.store import open_store

    if args.role is not None:
        raise InvalidInput(
            "is no longer a flag: the role comes from the account you sign in with (see `installment users`)", "--role"
        )
    lang = check_lang(args.lang)
    policy = load_policy(args.policy)
    store = open_store(args.db, actor=current_user(), role="agent")
    try:
        from installment_tui.agent.app import AgentApp

        from installment_tui.collector import pace_for_console

        app = AgentApp(store, policy, None, lang, out_dir=args.out, keymap_path=args.keymap, user_name=args.user or "")
        pace_for_console()
        app.run()
    finally:
        store.close()
    return app.return_code or 0
