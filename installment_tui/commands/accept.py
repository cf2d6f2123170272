"""`installment accept CASE.json --kind KIND [--months N] [--db FILE] [--policy FILE]`: record an agreement.

Makes the offer of that kind for the case (as ``installment offers`` ranks them, within
agent authority), or with ``--kind negotiated --months N`` the plan of N months on the
policy's standard terms, saves it and records it as an agreement with its schedule;
the account (and its profile) is created from the case when it is new.  Prints the
agreement id.  For scripted use and tests; agents accept plans in the console.

Exit status 0; 2 for a bad case, policy or flag, or when the account already has an
agreement (a new plan for it is a re-plan, made in the agent console); 3 when the case
has no offer of that kind within agent authority (the kinds it has are named).
"""

from __future__ import annotations

import sys

from calc.errors import InstallmentError, InvalidInput
from installment_tui.commands.db import add_db_argument, current_user
from plans.vocabulary import Authority, OfferKind

KINDS = tuple(OfferKind)


class NoSuchOffer(InstallmentError):
    """Valid input, but no offer of the kind asked for within agent authority (exit status 3)."""


def register(sub) -> None:
    p = sub.add_parser(
        "accept",
        help="record the offer of one kind for a case file as an agreement",
        description="Record the offer of one kind for a case file as an agreement (creating the "
        "account if it is new) and print the agreement id.",
    )
    p.add_argument("case", metavar="CASE.json", help="the case file (see README, 'Case files')")
    p.add_argument("--kind", required=True, choices=KINDS, help="which offer: " + ", ".join(KINDS))
    p.add_argument("--months", metavar="N", help="with --kind negotiated: the term in months")
    p.add_argument("--policy", metavar="FILE", help="creditor policy (TOML; default: the shipped policy)")
    p.add_argument("--user", metavar="NAME", help="the name recorded in the audit log (default: login name)")
    add_db_argument(p)
    p.set_defaults(run=run)


def choose_offer(case, policy, kind: str, months: str | None):
    """The offer of ``kind`` (agent authority), or the negotiated plan of ``months``."""
    from plans.offers import generate_offers, offer_for_terms

    if kind == OfferKind.NEGOTIATED:
        if months is None:
            raise InvalidInput("is needed with --kind negotiated: the term in months", "--months")
        from installment_tui.agent.session import TermsDraft, parse_draft

        parsed = parse_draft(TermsDraft(months=months), case, policy)
        if parsed.errors or parsed.terms is None:  # (no terms without errors)
            name, message = next(iter(parsed.errors.items()))
            raise InvalidInput(message, "--months" if name == "months" else name)
        offer = offer_for_terms(case, policy, OfferKind.NEGOTIATED, parsed.terms, parsed.waivers, Authority.AGENT)
        if offer.escalation:
            why = "; ".join(v.message for v in offer.violations)
            raise NoSuchOffer(f"a {offer.months}-month plan is beyond agent authority: {why}", "--months")
        return offer
    if months is not None:
        raise InvalidInput("applies to --kind negotiated only", "--months")
    offers = generate_offers(case, policy, Authority.AGENT)
    chosen = [o for o in offers if o.kind == kind]
    if not chosen:
        kinds = ", ".join(sorted({o.kind for o in offers})) or "none"
        raise NoSuchOffer(f"the case has no {kind} offer within agent authority (it has: {kinds})", "--kind")
    return chosen[0]


def run(args) -> int:
    from plans.case import load_case
    from plans.policy import load_policy
    from plans.servicing.agreements import accept_offer
    from plans.store import Account, NotFound, open_store

    policy = load_policy(args.policy)
    case = load_case(args.case)
    ref = case.account.ref
    if not ref:
        raise InvalidInput("the case has no account.ref; an agreement is made for an account", "case")
    try:
        offer = choose_offer(case, policy, args.kind, args.months)
    except NoSuchOffer as exc:
        print(f"installment accept: {exc}", file=sys.stderr)
        return 3
    store = open_store(args.db, actor=args.user or current_user(), role="agent")
    try:
        try:
            stored = store.get_account(ref)
        except NotFound:
            store.upsert_accounts(
                [
                    (
                        Account(
                            ref, case.currency, case.debt, name=case.account.name or "", region=case.account.region
                        ),
                        case.profile,
                    )
                ]
            )
        else:
            if stored.debt != case.debt:
                raise InvalidInput(
                    f"account {ref} is stored with another debt ({stored.debt.total} minor units, "
                    f"the case {case.debt.total}); import the account's current debt first",
                    "case",
                )
            if case.profile is not None:
                store.upsert_accounts([(stored, case.profile)])
        earlier = [r for r in store.agreements(ref) if r.kind == "agreement"]
        if earlier:
            raise InvalidInput(
                f"account {ref} already has agreement {earlier[-1].id}; a new plan for it is a "
                "re-plan of that agreement: make it in the agent console",
                "case",
            )
        agreement = accept_offer(store, offer, reason="accepted from the command line")
    finally:
        store.close()
    print(agreement.id)
    print(f"agreement {agreement.id} for {ref}: {offer.kind}, {offer.months} months, offer {offer.id}", file=sys.stderr)
    return 0
