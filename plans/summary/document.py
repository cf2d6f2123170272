"""A summary in words: :class:`~plans.summary.model.Summary` -> :class:`~plans.summary.blocks.Document`.

Every format but SMS prints the same document, in this order: who and what
(creditor, contact, account, dates), the debt by bucket, what is waived, the plan
(balance, down payment and when it is due, totals, fees, APR), the schedule, the
affordability check when there is one, the agreement's terms (how to pay, charges,
the undertaking, rights and obligations, what happens if an installment is missed,
other matters: :mod:`.agreement_terms`), and the complaint channels.  Several offers print as a comparison table followed
by each offer in full.
"""

from __future__ import annotations

from plans.text.formatting import Formats, formats
from plans.text.i18n import Translator, translator
from plans.vocabulary import AUTHORITY_NAMES, FEE_BASIS_NAMES, VERDICT_NAMES, bucket_name, kind_name
from plans.offers.words import PLAN_CODES, finding_text

from .agreement_terms import terms_blocks
from .amounts import installments_cells, installments_text, runs_shown
from .blocks import Document, Fields, Heading, Items, PageBreak, Paragraph, Table
from .model import Summary


def title_of(s: Summary, t: Translator) -> str:
    return t("Settlement offer") if s.lump_sum else t("Installment plan summary")


def _who(s: Summary, t: Translator, f: Formats) -> Fields:
    rows = [(t("Creditor"), s.creditor.name)]
    rows += [(t("Contact") if n == 0 else "", line) for n, line in enumerate(s.creditor.contact)]
    rows.append((t("Account"), s.account or t("not given")))
    if s.holder:
        rows.append((t("Account holder"), s.holder))
    rows.append((t("Date of this summary"), f.date(s.summary_date)))
    rows.append((t("Agreement date"), f.date(s.agreement_date)))
    rows.append((t("Offer"), s.label or kind_name(t, s.kind)))
    if s.authority:
        rows.append((t("Approval needed"), t(AUTHORITY_NAMES.get(s.authority, s.authority))))
    if s.creditor.policy_version:
        rows.append((t("Policy version"), s.creditor.policy_version))
    return Fields(None, tuple(rows))


def _debt(s: Summary, t: Translator, f: Formats) -> tuple[Table, Paragraph]:
    m = lambda v: f.money(v, s.currency)
    shown = [b for b in s.buckets if b.owed] or list(s.buckets[:1])
    table = Table(
        t("Debt by bucket"),
        (t("Bucket"), t("Owed"), t("Waived"), t("To repay")),
        ("l", "r", "r", "r"),
        tuple((bucket_name(t, b.bucket), m(b.owed), m(b.waived), m(b.remaining)) for b in shown),
        (t("Total"), m(s.debt_total), m(s.waived_total), m(s.debt_total - s.waived_total)),
        narrow=(0, 1, 2, 3),
    )
    waived = [b for b in s.buckets if b.waived]
    if waived:
        parts = t("; ").join(
            t("{bucket} {amount}", bucket=bucket_name(t, b.bucket), amount=m(b.waived)) for b in waived
        )
        text = t("Waived: {parts}. Total waived: {total}.", parts=parts, total=m(s.waived_total))
    else:
        text = t("Nothing is waived.")
    return table, Paragraph(t("What is waived"), text)


def _plan(s: Summary, t: Translator, f: Formats) -> Fields:
    m = lambda v: f.money(v, s.currency)
    rows = [(t("Plan balance"), m(s.plan_balance))]
    if s.down_payment:
        rows.append(
            (
                t("Down payment"),
                t(
                    "{amount}, due {date} (at the agreement date)",
                    amount=m(s.down_payment),
                    date=f.date(s.agreement_date),
                ),
            )
        )
    else:
        rows.append((t("Down payment"), t("none")))
    if s.lump_sum:
        rows.append((t("Settlement amount"), m(s.first_amount)))
        rows.append((t("Pay by"), f.date(s.first_due)))
    else:
        rows.append((t("Amount in installments"), m(s.financed)))
        rows.append((t("Number of installments"), str(s.months)))
        if s.level:
            rows.append((t("Each installment"), m(s.first_amount)))
        else:
            rows.append((t("Installments"), installments_text(s, t, f)))
        rows.append((t("First due date"), f.date(s.first_due)))
        rows.append((t("Last due date"), f.date(s.last_due)))
    rows.append((t("Total repayable"), m(s.total_repayable)))
    rows.append((t("Total fees"), m(s.total_fees)))
    if s.fee_rate:
        rows.append(
            (
                t("Fee rate"),
                t(
                    "{rate} a month, {basis}",
                    rate=f.percent(s.fee_rate),
                    basis=t(FEE_BASIS_NAMES.get(s.fee_basis, s.fee_basis)),
                ),
            )
        )
    rows.append((t("APR (nominal)"), f.percent(s.apr_nominal)))
    rows.append((t("APR (effective)"), f.percent(s.apr_effective)))
    return Fields(t("The plan"), tuple(rows))


def _schedule(s: Summary, t: Translator, f: Formats) -> Table:
    m = lambda v: f.money(v, s.currency)
    fees = s.has_fees
    headers = (t("No."), t("Due date")) + ((t("Principal"), t("Fee")) if fees else ()) + (t("Amount"),)
    aligns = ("r", "l") + (("r", "r") if fees else ()) + ("r",)
    rows = []
    if s.down_payment:
        rows.append(
            (t("Down"), f.date(s.agreement_date)) + ((m(s.down_payment), m(0)) if fees else ()) + (m(s.down_payment),)
        )
    for i in s.installments:
        n = t("Lump sum") if s.lump_sum else str(i.n)
        rows.append((n, f.date(i.due)) + ((m(i.principal), m(i.fee)) if fees else ()) + (m(i.amount),))
    footer = (t("Total"), "") + ((m(s.plan_balance), m(s.total_fees)) if fees else ()) + (m(s.total_repayable),)
    last = len(headers) - 1
    return Table(t("Repayment schedule"), headers, aligns, tuple(rows), footer, narrow=(0, 1, last))


def _budget_table(s: Summary, t: Translator, f: Formats) -> Table | None:
    """Every term of the budget beside the installment: income, essential spending or the living
    floor, other debts, the contingency kept back, what is available, the installment, what is left."""
    if not s.budgets:
        return None
    m = lambda v: f.money(v, s.currency)
    heads = tuple(
        t("This month") if b.since is None else t("From {date}", date=f.date_medium(b.since)) for b in s.budgets
    )
    spending = t("Living floor") if all(b.floor_used for b in s.budgets) else t("Essential spending")
    rows = [
        (t("Income"),) + tuple(m(b.income) for b in s.budgets),
        (spending,) + tuple(m(b.spending) for b in s.budgets),
        (t("Other debt payments"),) + tuple(m(b.other_debts) for b in s.budgets),
        (t("Contingency"),) + tuple(m(b.contingency) for b in s.budgets),
        (t("Available"),) + tuple(m(b.available) for b in s.budgets),
        (t("Installment"),) + tuple(m(b.installment) for b in s.budgets),
    ]
    footer = (t("Left"),) + tuple(
        m(b.left) if b.left >= 0 else t("short by {amount}", amount=m(-b.left)) for b in s.budgets
    )
    return Table(
        t("Household budget, a month"),
        (t("Budget"),) + heads,
        ("l",) + ("r",) * len(heads),
        tuple(rows),
        footer,
        narrow=tuple(range(len(heads) + 1)),
    )


def _affordability(s: Summary, t: Translator, f: Formats) -> list:
    if s.verdict is None and not s.violations and not s.explanation:
        return []
    items = []
    if s.verdict is not None:
        items.append(t("Affordability: {verdict}", verdict=t(VERDICT_NAMES.get(s.verdict, s.verdict))))
    if s.explain is not None:  # an offer: its explanation (from the same findings), then the case's findings
        items.append(s.explain(t.lang))
        items += [finding_text(t, f, x, s.currency) for x in s.findings if x.code not in PLAN_CODES]
    else:
        items += [finding_text(t, f, x, s.currency) for x in s.findings]
        if t.lang == "en":
            items += list(s.violations)
            if s.explanation:
                items.append(s.explanation)
        elif s.violations:
            items.append(
                t(
                    "This offer goes beyond the limits of the requested authority in {n} respect(s).",
                    n=len(s.violations),
                )
            )
    blocks: list = [Items(t("Affordability and policy checks"), tuple(items))]
    budget = _budget_table(s, t, f)
    if budget is not None:
        blocks.append(budget)
    return blocks


def body(s: Summary, lang: str) -> list:
    """The blocks of one summary (without its title)."""
    t, f = translator(lang), formats(lang)
    debt, waived = _debt(s, t, f)
    blocks = [_who(s, t, f), debt, waived, _plan(s, t, f), _schedule(s, t, f)]
    if s.provisional_from is not None and s.holidays_known_until is not None:  # (set together)
        blocks.append(
            Paragraph(
                t("Due dates may move"),
                t(
                    "The due dates from {date} on rest on holidays computed from the holiday rules: the official "
                    "holidays and make-up working days after {published} are not published yet, and when they are, "
                    "these dates may move to another working day.",
                    date=f.date(s.provisional_from),
                    published=f.date(s.holidays_known_until),
                ),
            )
        )
    blocks += _affordability(s, t, f)
    blocks.extend(terms_blocks(s, t, f))  # how to pay, charges, undertaking, rights, breach, other matters
    channels = s.creditor.complaints or (t("Ask the creditor's customer service for its complaint procedure."),)
    blocks.append(Items(t("Complaints"), tuple(channels)))
    return blocks


def footer_of(lang: str) -> str:
    t = translator(lang)
    return t("This summary explains the offer; the signed agreement prevails.")


def document(s: Summary, lang: str) -> Document:
    """The document of one summary in ``lang``."""
    t = translator(lang)
    sub = s.label or kind_name(t, s.kind)
    return Document(t.lang, title_of(s, t), sub, tuple(body(s, lang)), footer_of(lang))


def comparison(summaries: list[Summary], lang: str) -> Table:
    """The offers side by side: one column per offer, headed by its number."""
    t, f = translator(lang), formats(lang)

    def row(label, fn):
        return (label,) + tuple(fn(s) for s in summaries)

    m = lambda s, v: f.money(v, s.currency)
    rows = [
        row(t("Offer"), lambda s: str(summaries.index(s) + 1)),
        row(t("Number of installments"), lambda s: str(s.months)),
        row(t("Down payment"), lambda s: m(s, s.down_payment)),
        *_installment_rows(summaries, t, f),
        row(t("First due date"), lambda s: f.date_medium(s.first_due)),
        row(t("Last due date"), lambda s: f.date_medium(s.last_due)),
        row(t("Total waived"), lambda s: m(s, s.waived_total)),
        row(t("Total fees"), lambda s: m(s, s.total_fees)),
        row(t("Total repayable"), lambda s: m(s, s.total_repayable)),
        row(t("APR (nominal)"), lambda s: f.percent(s.apr_nominal)),
    ]
    if any(s.authority for s in summaries):
        rows.append(
            row(
                t("Approval needed"), lambda s: t(AUTHORITY_NAMES.get(s.authority, s.authority)) if s.authority else "-"
            )
        )
    if any(s.verdict for s in summaries):
        rows.append(row(t("Affordability"), lambda s: t(VERDICT_NAMES.get(s.verdict, s.verdict)) if s.verdict else "-"))
    return Table(None, rows[0], ("l",) + ("r",) * len(summaries), tuple(rows[1:]))


def _installment_rows(summaries: list[Summary], t: Translator, f: Formats) -> list[tuple]:
    """The installments of each offer as the schedule charges them, one run a row ("x 14", then "x 10")."""
    n = max(runs_shown(s) for s in summaries)
    cells = [installments_cells(s, t, f, n) for s in summaries]
    return [(t("Installments") if k == 0 else t("then"),) + tuple(c[k] for c in cells) for k in range(n)]


def documents(summaries: list[Summary], lang: str) -> Document:
    """One document for one or more summaries (several: compared first, then each in full)."""
    if len(summaries) == 1:
        return document(summaries[0], lang)
    t = translator(lang)
    names = tuple(t("Offer {n}: {name}", n=n, name=s.label or kind_name(t, s.kind)) for n, s in enumerate(summaries, 1))
    blocks: list = [Items(t("Offers compared"), names), comparison(summaries, lang)]
    for n, s in enumerate(summaries, 1):
        blocks.append(PageBreak())
        blocks.append(Heading(t("Offer {n}: {name}", n=n, name=s.label or kind_name(t, s.kind))))
        blocks.extend(body(s, lang))
    return Document(t.lang, t("Offers"), t("{n} offers", n=len(summaries)), tuple(blocks), footer_of(lang))
