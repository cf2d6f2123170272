"""`installment negotiate CASE.json --pay AMOUNT`: the plan for what the debtor can pay.

When a plan fits within the authority it is printed like `installment quote` (a Rich
table, or the ``installment.quote/1`` JSON document) and the exit status is 0.
Otherwise the explanation and what would make a plan fit (a down payment, a waiver,
a longer term needing a higher authority, a higher payment) are printed (text, or
the ``installment.negotiation/1`` JSON document) and the exit status is 3, as for
`installment quote` when no plan fits.  When the proposal makes a plan that only a
higher authority may grant, the text shows that plan's table above the explanation.  Bad input exits 2.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal

from calc.errors import InstallmentError
from calc.money import is_percent, parse_amount, parse_percent
from calc.numerals import parse_whole
from calc.terms import ABSOLUTE_MAX_MONTHS

from .offers import add_policy_arguments
from .quote import parse_waivers


def register(sub) -> None:
    p = sub.add_parser(
        "negotiate",
        help="the plan that fits what the debtor can pay, or what would make one fit",
        description="Build the plan for what the debtor can pay a month (or a given term), "
        "with proposed waivers and down payment, and say which authority it needs.",
    )
    p.add_argument("case", metavar="CASE.json", help="the case file (see README, 'Case files')")
    term = p.add_mutually_exclusive_group(required=True)
    term.add_argument("--pay", metavar="AMOUNT", help="what the debtor can pay a month")
    term.add_argument("--months", metavar="N", help="a term to try instead of a payment")
    p.add_argument(
        "--waive",
        action="append",
        default=[],
        metavar="BUCKET=AMOUNT|PCT%",
        help="proposed waiver (repeatable); replaces the policy's standard waiver of that bucket",
    )
    p.add_argument("--down", metavar="AMOUNT|PCT%", help="proposed down payment (default: the policy minimum)")
    add_policy_arguments(p)
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default=None,
        help="text (default on a terminal) or json (default in a pipe)",
    )
    p.set_defaults(run=run)


def _months(text: str) -> int:
    return parse_whole(text, "--months", 1, ABSOLUTE_MAX_MONTHS)


def run(args) -> int:
    # imported here: negotiation runs the offer engine (numpy), which start-up should not pay for
    from plans.case import load_case
    from plans.documents import quote_document
    from plans.negotiation import negotiate
    from plans.policy import load_policy

    policy = load_policy(args.policy)
    case = load_case(args.case)
    cur = case.currency
    try:
        pay = parse_amount(args.pay, cur, "--pay") if args.pay is not None else None
        months = _months(args.months) if args.months is not None else None
        down = None
        if args.down is not None:
            down = (
                parse_percent(args.down, "--down", maximum=Decimal(99))
                if is_percent(args.down)
                else parse_amount(args.down, cur, "--down")
            )
        waivers = parse_waivers(args.waive, cur)
        answer = negotiate(case, policy, pay=pay, months=months, waivers=waivers, down=down, authority=args.authority)
    except InstallmentError as exc:
        if exc.field in ("waive", "down", "months", "pay", "payment", "tier"):
            exc.field = "--" + {"payment": "pay"}.get(exc.field, exc.field)
        raise
    fmt = args.format or ("text" if sys.stdout.isatty() else "json")
    offer = answer.offer
    if answer.fits and offer is not None and fmt == "json":  # (an answer that fits has its offer)
        json.dump(quote_document(offer.plan, offer.assessment), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "json":
        json.dump(answer.document(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif offer is not None:
        # The plan as proposed, also when it needs more authority: the agent sees what it would be.
        from rich.markup import escape

        from ._render import console as make_console
        from .quote_table import print_plan

        console = make_console()
        print_plan(offer.plan, offer.assessment, console)
        console.print(escape(answer.explanation))
    else:
        print(answer.explanation)
    if answer.fits:
        return 0
    what = f"{args.pay} a month" if args.pay is not None else f"{args.months} months"
    print(
        f"installment negotiate: {'--pay' if args.pay is not None else '--months'}: no plan for {what} fits "
        f"within {args.authority} authority",
        file=sys.stderr,
    )
    return 3
