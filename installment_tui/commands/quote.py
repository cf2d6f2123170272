"""`installment quote`: compute one plan from flags and print it (a summary, tables or JSON).

Never imports Textual: it runs on calc and plans only.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal

from calc.affordability import AffordabilityParams, Profile, assess, budget
from calc.debt import BUCKETS, Debt, Waiver
from calc.errors import InstallmentError, InvalidInput
from calc.dates import parse_date
from calc.money import is_percent, parse_amount, parse_percent
from calc.numerals import parse_whole
from calc.schedule import build_plan
from calc.terms import ABSOLUTE_MAX_MONTHS, Terms
from plans.policy.calendars import CALENDARS, calendar
from plans.documents import quote_document
from plans.vocabulary import FeeBasis, Remainder

from ._render import SUMMARY_FORMATS, add_summary_arguments, emit, emit_rich, emit_text, plan_summaries

#: calc field names whose flag is not simply ``--`` + the name with dashes.
_FLAG_OF_FIELD = {
    "down_fraction": "--down",
    "down_amount": "--down",
    "payment": "--payment",
    "waive": "--waive",
    "tier": "--tier",
    "debt": "--principal",
    "adults": "--household",
}


def flag_of(field: str | None) -> str | None:
    if field is None or field.startswith("--"):
        return field
    return _FLAG_OF_FIELD.get(field, "--" + field.replace("_", "-"))


def as_flag_error(exc: InstallmentError) -> InstallmentError:
    """The same error, naming the command-line flag instead of the internal field."""
    exc.field = flag_of(exc.field)
    return exc


def add_plan_arguments(p) -> None:
    """Flags shared by commands that build a plan from flags."""
    p.add_argument("--currency", default="CNY", help="ISO 4217 code (default CNY)")
    for bucket in BUCKETS:
        p.add_argument(
            "--" + bucket.replace("_", "-"), metavar="AMOUNT", default="0", help=f"{bucket.replace('_', ' ')} bucket"
        )
    p.add_argument(
        "--waive",
        action="append",
        default=[],
        metavar="BUCKET=AMOUNT|PCT%",
        help="waive part of a bucket (repeatable), e.g. penalty_interest=100%%",
    )
    p.add_argument("--down", metavar="AMOUNT|PCT%", help="down payment, due at the agreement date")
    term = p.add_mutually_exclusive_group()
    term.add_argument("--months", metavar="N", help=f"number of installments (1..max, at most {ABSOLUTE_MAX_MONTHS})")
    term.add_argument("--payment", metavar="AMOUNT", help="target monthly payment: the shortest plan within it")
    p.add_argument(
        "--max-months",
        metavar="N",
        default=str(ABSOLUTE_MAX_MONTHS),
        help=f"longest term allowed (default {ABSOLUTE_MAX_MONTHS})",
    )
    p.add_argument("--start", metavar="DATE", help="agreement date YYYY-MM-DD (default today)")
    p.add_argument("--first-due", metavar="DATE", help="first due date (default one month after --start)")
    p.add_argument("--due-day", metavar="D", help="day of the month installments fall due (1-31)")
    p.add_argument("--fee-rate", metavar="PCT%", default="0%", help="monthly fee rate, e.g. 0.6%% (default 0)")
    p.add_argument("--fee-basis", choices=(FeeBasis.FLAT, FeeBasis.DECLINING), default=FeeBasis.FLAT)
    p.add_argument(
        "--remainder",
        choices=(Remainder.FIRST, Remainder.LAST, Remainder.SPREAD),
        default=Remainder.FIRST,
        help="which installment takes what does not divide evenly (default first)",
    )
    p.add_argument("--round-to", metavar="AMOUNT", help="rounding unit of installments, e.g. 1 or 10")
    p.add_argument(
        "--tier",
        action="append",
        default=[],
        metavar="COUNTxAMOUNT",
        help="step tier paid first (repeatable), e.g. 6x200",
    )
    p.add_argument("--business-days", choices=("none", "following", "preceding", "modified_following"), default="none")
    p.add_argument(
        "--calendar",
        choices=CALENDARS,
        default="weekends",
        help="business-day calendar: weekends, or cn (mainland China holidays and make-up days)",
    )


def add_profile_arguments(p) -> None:
    g = p.add_argument_group("affordability")
    g.add_argument("--income", metavar="AMOUNT", help="monthly net income")
    g.add_argument("--essential-spending", metavar="AMOUNT", help="monthly essential spending")
    g.add_argument("--other-debt-payments", metavar="AMOUNT", help="monthly payments to other creditors")
    g.add_argument("--household", metavar="N", help="people in the household (default 1)")
    g.add_argument(
        "--reserve-per-person",
        metavar="AMOUNT",
        help="living floor per person a month (default: the policy's default region)",
    )


def _int(text: str | None, flag: str, lo: int, hi: int) -> int | None:
    return None if text is None else parse_whole(text, flag, lo, hi)


def parse_waivers(items: list[str], currency: str) -> list[Waiver]:
    waivers = []
    for item in items:
        bucket, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise InvalidInput(f"{item!r} is not BUCKET=AMOUNT or BUCKET=PCT%", "--waive")
        if bucket.strip() not in BUCKETS:
            raise InvalidInput(f"unknown bucket {bucket.strip()!r}; use one of {', '.join(BUCKETS)}", "--waive")
        waivers.append(Waiver.parse(bucket.strip(), value, currency))
    return waivers


def parse_tiers(items: list[str], currency: str) -> tuple[tuple[int, int], ...]:
    tiers = []
    for item in items:
        count, sep, amount = item.lower().replace("×", "x").partition("x")
        if not sep:
            raise InvalidInput(f"{item!r} is not COUNTxAMOUNT, e.g. 6x200", "--tier")
        n = parse_whole(count.strip(), "--tier", 1, ABSOLUTE_MAX_MONTHS)
        tiers.append((n, parse_amount(amount, currency, "tier")))
    return tuple(tiers)


def terms_from_args(args, today: date | None = None) -> Terms:
    cur = args.currency
    start = parse_date(args.start, "start") if args.start else (today or date.today())
    down_amount = down_fraction = None
    if args.down:
        if is_percent(args.down):
            down_fraction = parse_percent(args.down, "down")
        else:
            down_amount = parse_amount(args.down, cur, "down")
    if args.months is None and args.payment is None:
        raise InvalidInput("give the term as --months N or a target --payment AMOUNT", "--months")
    max_months = parse_whole(args.max_months, "--max-months", 1, ABSOLUTE_MAX_MONTHS)  # (it has a default)
    return Terms(
        start=start,
        months=_int(args.months, "--months", 1, max_months),
        payment=parse_amount(args.payment, cur, "payment") if args.payment else None,
        max_months=max_months,
        down_amount=down_amount,
        down_fraction=down_fraction,
        first_due=parse_date(args.first_due, "first_due") if args.first_due else None,
        due_day=_int(args.due_day, "--due-day", 1, 31),
        fee_rate=parse_percent(args.fee_rate, "fee_rate", maximum=Decimal(5)),
        fee_basis=args.fee_basis,
        remainder=args.remainder,
        round_to=parse_amount(args.round_to, cur, "round_to") if args.round_to else 1,
        tiers=parse_tiers(args.tier, cur),
        business_days=args.business_days,
        calendar=calendar(args.calendar),
    )


def debt_from_args(args) -> Debt:
    return Debt.parse(args.currency, {b: getattr(args, b) for b in BUCKETS})


def default_params(currency: str) -> AffordabilityParams:
    """Affordability thresholds and living floor of the shipped policy's default region;
    in a currency other than the policy's, the same thresholds with no living floor."""
    from plans.policy import default_policy

    policy = default_policy()
    params = policy.affordability_params()
    return params if policy.currency == currency else replace(params, reserve_per_person=0, food_per_person=None)


def assessment_from_args(args, installment: int):
    flags = (args.income, args.essential_spending, args.other_debt_payments, args.household, args.reserve_per_person)
    if all(v is None for v in flags):
        return None
    cur = args.currency
    if args.income is None:
        raise InvalidInput("is needed for an affordability check (with the other profile flags)", "--income")
    profile = Profile(
        currency=cur,
        adults=_int(args.household, "--household", 1, 20) or 1,
        income=(("income", parse_amount(args.income, cur, "income")),),
        spending=(("other", parse_amount(args.essential_spending or "0", cur, "essential_spending")),),
        other_debt_payments=parse_amount(args.other_debt_payments or "0", cur, "other_debt_payments"),
    )
    params = default_params(cur)
    if args.reserve_per_person is not None:
        params = replace(params, reserve_per_person=parse_amount(args.reserve_per_person, cur, "reserve_per_person"))
    return assess(budget(profile, params), installment, params)


def register(sub) -> None:
    p = sub.add_parser(
        "quote", help="compute one plan from flags", description="Compute one installment plan from flags and print it."
    )
    add_plan_arguments(p)
    add_profile_arguments(p)
    p.add_argument(
        "--format",
        choices=("table", "json", *SUMMARY_FORMATS),
        default=None,
        help="text: the summary (drawn with Rich on a terminal, the default there; plain text "
        "in a pipe or file); json: the installment.quote/1 document (default in a pipe); "
        "table: every installment's parts and the budget figures; or receipt, md, html, "
        "pdf, sms",
    )
    add_summary_arguments(p, account=True)
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        terms = terms_from_args(args)
        plan = build_plan(debt_from_args(args), parse_waivers(args.waive, args.currency), terms)
        assessment = assessment_from_args(args, plan.largest_installment)
    except InstallmentError as exc:
        raise as_flag_error(exc) from None
    fmt = args.format = args.format or ("text" if sys.stdout.isatty() else "json")
    if fmt in SUMMARY_FORMATS:
        return emit(args, plan_summaries(args, plan, assessment))
    if fmt == "json":
        emit_text(args, json.dumps(quote_document(plan, assessment), ensure_ascii=False, indent=2) + "\n")
    else:
        from installment_tui.commands.quote_table import print_plan

        emit_rich(args, lambda console: print_plan(plan, assessment, console))
    return 0
