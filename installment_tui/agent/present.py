"""How offers, violations and findings read on screen (Rich text, in the console's language).

No Textual here: these functions turn ``plans`` values into the rows and
paragraphs the screens show, so they are easy to test and to reuse.
"""

from __future__ import annotations

from rich.text import Text

from calc.affordability import Budget
from installment_tui.widgets.budget_bar import BudgetPicture
from installment_tui.widgets.offers_table import OfferRow
from plans.formatting import Formats
from plans.offers import Offer

from . import texts


def kind_word(t, kind: str) -> str:
    return t(texts.KINDS[kind]) if kind in texts.KINDS else kind.replace("_", " ")


def offer_row(offer: Offer, t, f: Formats, key: str | None = None, negotiated: bool = False) -> OfferRow:
    h = offer.headline
    cur = offer.currency
    installment = f.number(h.largest_installment, cur)
    if offer.terms.tiers:
        installment = f"{f.number(min(h.first_installment, h.regular_installment), cur)}→{installment}"
    label = kind_word(t, "negotiated" if negotiated else offer.kind)
    return OfferRow(
        key=key or offer.id, offer=("▶ " if negotiated else "") + label, months=str(h.months),
        down=f.number(h.down_payment, cur), installment=installment, total=f.number(h.total_repayable, cur),
        last_due=h.last_due.isoformat(), apr=f.percent(h.apr_nominal, 2), verdict=offer.verdict,
        verdict_word=t(texts.VERDICTS.get(offer.verdict, texts.VERDICTS[None])),
        authority=t(texts.AUTHORITIES.get(offer.authority, texts.AUTHORITIES[None])),
        within_authority=offer.within_authority, negotiated=negotiated,
    )


def violation_text(v, t) -> str:
    if v.rule.startswith("waiver."):
        bucket = v.rule.split(".", 1)[1]
        return t(texts.RULES["waiver"], value=v.value, limit=v.limit, bucket=t(texts.BUCKETS.get(bucket, bucket)))
    template = texts.RULES.get(v.rule)
    return t(template, value=v.value, limit=v.limit) if template else v.message


def finding_text(finding, t) -> str:
    template = texts.FINDINGS.get(finding.code)
    return t(template) if template else finding.message


def details(offer: Offer | None, t, f: Formats, role_authority: str, lang: str) -> Text:
    """The reasons panel: authority needed, broken rules, budget findings, and (English) the explanation."""
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
    if offer.authority is None:
        out.append("✘ " + t("No authority may grant this offer as it stands.") + "\n", style="bold red")
    elif offer.escalation:
        out.append("⇧ " + t("Needs {authority} approval: saving sends it to the approval queue.",
                            authority=t(texts.AUTHORITIES[offer.authority])) + "\n", style="bold magenta")
    else:
        out.append("✔ " + t("Within your authority.") + "\n", style="green")
    for v in offer.violations:
        out.append("  • " + violation_text(v, t) + "\n", style="magenta" if v.authority else "red")
    if offer.assessment is not None:
        for finding in offer.assessment.findings:
            out.append("  · " + finding_text(finding, t) + "\n", style="yellow")
    if lang == "en" and offer.explanation:
        out.append(offer.explanation, style="dim")
    return out


def option_text(option, t, f: Formats, currency: str) -> str:
    """A ``plans.negotiation.Option`` in the console's language."""
    who = t(texts.AUTHORITIES.get(option.authority, texts.AUTHORITIES[None]))
    amount = f.money(option.amount, currency) if option.amount is not None else ""
    template = texts.OPTIONS.get(option.kind)
    if template is None:
        return option.description
    return t(template, amount=amount, months=option.months or "", authority=who)


def budget_picture(budget: Budget | None, installment: int) -> BudgetPicture | None:
    if budget is None:
        return None
    spending = max(budget.essential_spending, budget.living_floor)
    return BudgetPicture(budget.income, spending, budget.other_debt_payments, installment, budget.available)


def budget_labels(t) -> dict[str, str]:
    return {"income": t("Income"), "spending": t("Spending"), "other_debts": t("Other debts"),
            "installment": t("Installment"), "left": t("Left"), "short": t("Short by"),
            "no_profile": t("No hardship profile yet: press F3 to record one.")}


def offer_titles(t) -> dict[str, str]:
    return {"offer": t("Offer"), "months": t("Months"), "down": t("Down"),
            "installment": t("Installment"), "total": t("Total"), "last_due": t("Last due"),
            "apr": t("APR"), "verdict": t("Verdict"), "authority": t("Authority")}
