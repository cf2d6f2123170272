"""`installment policy check FILE` and `installment policy show`.

``check`` prints every problem of a policy file, one a line as ``KEY: message``
(the dotted TOML key), and exits 2 when there is any; 0 and a one-line summary when
the policy is valid.  ``show`` prints the shipped default policy, ready to copy and edit.
"""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "policy",
        help="check a creditor policy file, or show the default one",
        description="Check a creditor policy file, or print the shipped default policy.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser("check", help="validate a policy file and list every problem with its TOML key")
    check.add_argument("file", metavar="FILE", help="the policy file (TOML)")
    check.set_defaults(run=run_check)
    show = actions.add_parser("show", help="print the shipped default policy (copy it, edit it, check it)")
    show.set_defaults(run=run_show)


def run_check(args) -> int:
    from plans.policy import check_policy, load_policy
    from plans.text.sanitize import clean

    problems = check_policy(args.file)
    if problems:
        for problem in problems:  # keys and values quoted from the file: cleaned
            print(clean(str(problem)))
        count = len(problems)
        print(f"installment policy: {args.file}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 2
    policy = load_policy(args.file)
    print(
        f"{args.file}: valid policy {policy.version!r} ({policy.currency}, {policy.min_months} to "
        f"{policy.max_months} months, {len(policy.regions)} regions)"
    )
    return 0


def run_show(args) -> int:
    from plans.policy import default_policy_text

    sys.stdout.write(default_policy_text())
    return 0
