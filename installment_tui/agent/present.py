"""How offers, violations and findings read on screen (Rich text, in the console's language).

No Textual here: these functions turn ``plans`` values into the rows and
paragraphs the screens show, so they are easy to test and to reuse.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from calc.affordability import Budget
from calc.errors import InstallmentError
from calc.money import parse_amount
from installment_tui.times import local_time
from installment_tui.widgets.budget_bar import BudgetPicture
from installment_tui.widgets.offers_table import OfferRow
from plans.text.formatting import Formats
from plans.offers import Offer, words
from plans.offers.saved import saved_amounts
from plans.text.sanitize import clean
from plans.summary.amounts import runs_text
from plans.summary.model import runs_of
from plans.vocabulary import OfferKind, Verdict

from . import texts


def kind_word(t, kind: str) -> str:
    return t(texts.KINDS[kind]) if kind in texts.KINDS else kind.replace("_", " ")


def installments_text(offer: Offer, t, money) -> str:
    """A step plan's installments as the summaries word them ("100.00 x 14, then 3,749.95 x 10"), by
    ``plans.summary.amounts.runs_text``; any other plan's largest installment.  ``money``: minor units -> text."""
    if offer.terms.tiers:
        return runs_text(runs_of(offer.plan.amounts), t, money)
    return money(offer.headline.largest_installment)


def saved_installments_text(rec, policy, t, money) -> str:
    """A saved offer's installments (a ``plans.store.records.OfferRecord``), worded as the summaries
    word a plan's runs when its record says them (``plans.offers.saved.saved_amounts``), else the
    number of installments and the largest, which is all the record holds."""
    h = rec.headline or {}
    amounts = saved_amounts(rec.inputs or {}, h, policy, rec.currency)
    if amounts:
        return runs_text(runs_of(amounts), t, money)
    try:
        largest = money(parse_amount(str(h.get("installment")), rec.currency, "installment"))
        return t("{months} installments, up to {amount}", months=int(h["months"]), amount=largest)
    except (InstallmentError, KeyError, TypeError, ValueError):
        return "—"


def offer_row(offer: Offer, t, f: Formats, key: str | None = None, negotiated: bool = False) -> OfferRow:
    h = offer.headline
    cur = offer.currency
    largest = f.number(h.largest_installment, cur)
    kind = OfferKind.NEGOTIATED if negotiated else offer.kind
    label = kind_word(t, kind)
    marker = "▶ " if negotiated else ""
    return OfferRow(
        key=key or offer.id,
        offer=marker + label,
        months=str(h.months),
        down=f.number(h.down_payment, cur),
        # one amount per cell: a step plan's largest, marked as rising to it (the reasons panel words its runs)
        installment=("↑" if offer.terms.tiers else "") + largest,
        total=f.number(h.total_repayable, cur),
        last_due=h.last_due.isoformat(),
        apr=f.percent(h.apr_nominal, 2),
        verdict=offer.verdict,
        verdict_word=t(texts.VERDICTS.get(offer.verdict, texts.VERDICTS[None])),
        authority=t(texts.AUTHORITIES.get(offer.authority, texts.AUTHORITIES[None])),
        within_authority=offer.within_authority,
        negotiated=negotiated,
        offer_short=marker + t(texts.KINDS_COMPACT.get(kind, texts.KINDS_COMPACT[OfferKind.NEGOTIATED])),
        verdict_short=t(texts.VERDICTS_COMPACT.get(offer.verdict, texts.VERDICTS_COMPACT[None])),
        authority_short=t(texts.AUTHORITIES_COMPACT.get(offer.authority, texts.AUTHORITIES_COMPACT[None])),
    )


def violation_text(v, t) -> str:
    if v.rule.startswith("waiver."):
        bucket = v.rule.split(".", 1)[1]
        return t(texts.RULES["waiver"], value=v.value, limit=v.limit, bucket=t(texts.BUCKETS.get(bucket, bucket)))
    template = texts.RULES.get(v.rule)
    return t(template, value=v.value, limit=v.limit) if template else v.message


def finding_text(finding, t, f: Formats, currency: str) -> str:
    """A finding in the console's language (the same sentence summaries print)."""
    return words.finding_text(t, f, finding, currency)


def details(offer: Offer | None, t, f: Formats, lang: str) -> Text:
    """The reasons panel: authority needed, broken rules, what the verdict found (which installments
    do not fit and by how much), and the explanation composed from the same findings."""
    out = Text()
    if offer is None:
        out.append(t("Choose an offer to see why it is or is not allowed."), style="dim")
        return out
    cur = offer.currency
    h = offer.headline
    out.append(kind_word(t, offer.kind), style="bold")
    out.append(f"  {t('Plan balance')} {f.money(h.plan_balance, cur)}")
    waived = offer.case.debt.total - h.plan_balance
    if waived:
        out.append(f"  {t('Waived')} {f.money(waived, cur)}", style="green")
    out.append(f"  {t('First due')} {h.first_due.isoformat()}\n")
    if offer.terms.tiers:  # a step plan: its installments as the summaries word them
        out.append(t("Installments: {runs}", runs=installments_text(offer, t, lambda v: f.money(v, cur))) + "\n")
    if offer.authority is None:
        out.append("✘ " + t("No authority may grant this offer as it stands.") + "\n", style="bold red")
    elif offer.escalation:
        out.append(
            "⇧ "
            + t(
                "Needs {authority} approval: saving sends it to the approval queue.",
                authority=t(texts.AUTHORITIES[offer.authority]),
            )
            + "\n",
            style="bold magenta",
        )
    else:
        out.append("✔ " + t("Within your authority.") + "\n", style="green")
    for v in offer.violations:
        out.append("  • " + violation_text(v, t) + "\n", style="magenta" if v.authority else "red")
    if offer.assessment is not None:  # about the case (what the verdict found is in the explanation)
        for finding in offer.assessment.findings:
            if finding.code not in words.PLAN_CODES:
                out.append("  · " + finding_text(finding, t, f, cur) + "\n", style="yellow")
    out.append(offer.explain(lang), style="yellow" if offer.verdict not in (None, Verdict.AFFORDABLE) else "dim")
    return out


def option_text(option, t, f: Formats, currency: str) -> str:
    """A ``plans.negotiation.Option`` in the console's language."""
    who = t(texts.AUTHORITIES.get(option.authority, texts.AUTHORITIES[None]))
    amount = f.money(option.amount, currency) if option.amount is not None else ""
    template = texts.OPTIONS.get(option.kind)
    if template is None:
        return option.description
    return t(template, amount=amount, months=option.months or "", authority=who)


def budget_picture(budget: Budget | None, installment: int, since: date | None = None) -> BudgetPicture | None:
    if budget is None:
        return None
    return BudgetPicture(
        budget.income,
        budget.spending_used,
        budget.other_debt_payments,
        installment,
        budget.available,
        budget.contingency,
        budget.floor_used,
        since,
    )


def offer_budget(offer: Offer | None) -> BudgetPicture | None:
    """The budget beside an offer's verdict: the one its deciding installment was judged against."""
    a = offer.assessment if offer is not None else None
    if a is None or not hasattr(a, "budget_after"):
        return None
    since = a.recovery_date if a.budget_after is not None and a.budget is a.budget_after else None
    return budget_picture(a.budget, a.installment, since)


def budget_labels(t) -> dict[str, str]:
    return {
        "income": t("Income"),
        "spending": t("Spending"),
        "floor": t("Living floor"),
        "other_debts": t("Other debts"),
        "contingency": t("Contingency"),
        "available": t("available {amount}", amount="{amount}"),
        "installment": t("Installment"),
        "left": t("Left"),
        "short": t("Short by"),
        "since": t("from {date}", date="{date}"),
        "no_profile": t("No hardship profile yet: press F3 to record one."),
    }


def offer_titles(t) -> dict[str, str]:
    return {
        "offer": t("Offer"),
        "months": t("Months"),
        "down": t("Down"),
        "installment": t("Installment"),
        "total": t("Total"),
        "last_due": t("Last due"),
        "apr": t("APR"),
        "verdict": t("Verdict"),
        "authority": t("Authority"),
    }


def offer_titles_compact(t) -> dict[str, str]:
    """The compact offers table's titles (only its columns)."""
    return {
        "offer": t("Offer"),
        "months": t("Mo."),
        "installment": t("Monthly"),
        "verdict": t("Budget"),
        "authority": t("Authority"),
    }


def region_name(policy, name: str | None, t, lang: str) -> str:
    """A region as the console shows it: the policy's label in ``lang``; a region the policy does not
    define is its stored key, said to be not in the policy (never a key passed off as a name)."""
    if not name:
        return "—"
    if policy.knows_region(name):
        return clean(policy.region_label(name, lang))
    return t("{region} (not in the policy)", region=clean(name))


def decision_text(decision, t, zone_name: str) -> str:
    """Who decided an offer's status, in which role, when, and why (``installment_tui.agent.decisions``)."""
    who = t(
        "{status} by {actor} ({role}), {when}",
        status=t(texts.STATUSES.get(decision.status, decision.status)),
        actor=clean(decision.actor),
        role=t(texts.ROLES.get(decision.role, decision.role)),
        when=local_time(decision.at, zone_name),
    )
    if decision.reason:
        who += t(": “{reason}”", reason=clean(decision.reason))
    return who
