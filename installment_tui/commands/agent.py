"""`installment agent`: the agent console, to negotiate a plan during a phone call.

    installment agent [--db FILE] [--policy FILE] [--role agent|supervisor] [--lang zh_CN|zh_TW|en]
                      [--user NAME] [--out DIR] [--keymap FILE]

Textual is imported inside ``run`` only, so other commands never load it.
"""

from __future__ import annotations

from installment_tui.commands.db import add_db_argument, current_user


def register(sub) -> None:
    p = sub.add_parser("agent", help="the agent console (negotiate a plan on a call)",
                       description="The agent console: find an account, record the hardship profile, compare "
                                   "and negotiate offers, save them, and export the summary.")
    add_db_argument(p)
    p.add_argument("--policy", metavar="FILE", help="creditor policy TOML (default: the shipped policy)")
    p.add_argument("--role", choices=("agent", "supervisor"), default="agent",
                   help="who is using the console; a supervisor may approve offers (default agent)")
    p.add_argument("--lang", default="zh_CN", help="zh_CN (default), zh_TW or en; F2 switches while running")
    p.add_argument("--user", metavar="NAME", help="the name recorded in the audit log (default: login name)")
    p.add_argument("--out", metavar="DIR", default="out", help="folder for exported summaries (default ./out)")
    p.add_argument("--keymap", metavar="FILE",
                   help="key map TOML (default $XDG_CONFIG_HOME/installment/keymap.toml)")
    p.set_defaults(run=run)


def run(args) -> int:
    from plans.i18n import check_lang
    from plans.policy import load_policy
    from plans.store import open_store

    lang = check_lang(args.lang)
    policy = load_policy(args.policy)
    store = open_store(args.db, actor=args.user or current_user(), role=args.role)
    try:
        from installment_tui.agent.app import AgentApp

        AgentApp(store, policy, args.role, lang, out_dir=args.out, keymap_path=args.keymap).run()
    finally:
        store.close()
    return 0
