"""`installment offers CASE.json`: the ranked offers for one case under a policy.

Prints a Rich table (``--format table``, default on a terminal), a printable summary of every
offer (``--format text|receipt|md|html|pdf|sms``, see ``_render``) or the
``installment.offers/1`` JSON document (``--format json``, default in a pipe).
Exit status 0 when at least one offer is listed, 3 when none is (with the reason on
stderr), 2 for a bad case or policy file.  Never imports Textual.
"""

from __future__ import annotations

import json
import sys

from plans.vocabulary import AUTHORITIES, Authority, Verdict

from ._render import (
    SUMMARY_FORMATS,
    add_summary_arguments,
    emit,
    emit_rich,
    emit_text,
    offer_summaries,
    plans_warnings,
    print_warnings,
)

FORMATS = ("table", "json", *SUMMARY_FORMATS)


def add_policy_arguments(p) -> None:
    """--policy and --authority, shared with `installment negotiate`."""
    p.add_argument("--policy", metavar="FILE", help="creditor policy (TOML; default: the shipped policy)")
    p.add_argument(
        "--authority",
        choices=AUTHORITIES,
        default=Authority.AGENT,
        help="whose limits apply: kiosk, agent (default) or supervisor",
    )


def register(sub) -> None:
    p = sub.add_parser(
        "offers",
        help="list the ranked offers for a case file",
        description="List the ranked plan offers for one case (debt and hardship profile).",
    )
    p.add_argument("case", metavar="CASE.json", help="the case file (see README, 'Case files')")
    add_policy_arguments(p)
    p.add_argument(
        "--include-escalations", action="store_true", help="also list offers that need a higher authority, flagged"
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="table (Rich; default on a terminal), json (default in a pipe), or a printable "
        "summary of all offers: text, receipt, md, html, pdf, sms",
    )
    add_summary_arguments(p)
    p.set_defaults(run=run)


def run(args) -> int:
    # imported here, not at the top: the offer engine brings numpy, which every other command's start-up
    # (`installment --help` too) would pay for
    from plans.case import load_case
    from plans.offers import generate_offers, offers_document
    from plans.policy import load_policy

    policy = load_policy(args.policy)
    case = load_case(args.case)
    offers = generate_offers(case, policy, args.authority, args.include_escalations)
    fmt = args.format or ("table" if sys.stdout.isatty() else "json")
    if fmt in SUMMARY_FORMATS and offers:
        emit(args, offer_summaries(args, offers, policy))
    elif fmt == "json":
        doc = offers_document(offers, case, policy, args.authority)
        doc["warnings"] = plans_warnings(o.plan for o in offers)
        emit_text(args, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif offers:
        emit_rich(args, lambda console: print_offers(offers, case, policy, args.authority, console))
    if not offers:
        hint = "" if args.include_escalations else "; --include-escalations lists offers that need more"
        print(
            f"installment offers: authority: no offer fits the policy within {args.authority} authority{hint}",
            file=sys.stderr,
        )
        return 3
    return 0


_VERDICT_STYLE: dict[str, str] = {
    Verdict.AFFORDABLE: "bold green",
    Verdict.TIGHT: "bold yellow",
    Verdict.UNAFFORDABLE: "bold red",
}


def print_offers(offers, case, policy, authority: str, console=None) -> None:
    """The offers side by side as a Rich table, then each offer's explanation.

    On a terminal too narrow for the whole table (about 125 columns) each offer is
    printed as its own short list of figures instead, so no figure is cut short.
    """
    from rich.markup import escape
    from rich.table import Table

    from calc.money import amount_formatter
    from plans.text.sanitize import clean

    if console is None:
        from ._render import console as make_console

        console = make_console()
    warnings = plans_warnings(o.plan for o in offers)
    fmt = amount_formatter(case.currency)
    who = f" {clean(case.account.ref)}" if case.account.ref else ""
    title = f"Offers for{who} ({case.currency}), {authority} authority, policy {policy.version}"
    names = ("#", "kind", "months", "down", "installment", "total", "last due", "APR", "verdict", "authority")
    rows = []
    for n, o in enumerate(offers, 1):
        h = o.headline
        verdict = o.verdict or "-"
        needs = o.authority or "none"
        if o.escalation:
            needs = f"[bold magenta]{needs} (escalation)[/]"
        rows.append(
            (
                str(n),
                o.kind,
                str(h.months),
                fmt(h.down_payment),
                fmt(h.largest_installment),
                fmt(h.total_repayable),
                h.last_due.isoformat(),
                f"{h.apr_nominal:.2%}",
                f"[{_VERDICT_STYLE.get(verdict, 'dim')}]{verdict}[/]",
                needs,
            )
        )
    table = Table(title=title)
    for name in names:
        table.add_column(name, justify="left" if name in ("kind", "verdict", "authority") else "right")
    for row in rows:
        table.add_row(*row)
    if console.measure(table, options=console.options.update_width(1000)).maximum <= console.width:
        console.print(table)
        for n, o in enumerate(offers, 1):
            console.print(f"[bold]{n}. {o.kind}[/] [dim]{o.id}[/]  {escape(o.explanation)}")
        print_warnings(console, warnings)
        return
    console.print(f"[bold]{escape(title)}[/]")
    for row, o in zip(rows, offers):
        console.print(f"\n[bold]{row[0]}. {o.kind}[/]  {row[8]}  {row[9]}  [dim]{o.id}[/]")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column(justify="right")
        for name, value in zip(names[2:8], row[2:8]):
            grid.add_row(name, value)
        console.print(grid)
        console.print(escape(o.explanation))
    print_warnings(console, warnings)
