"""Every installment amount a summary prints is one the schedule charges (issue 19: a step plan's
"每期还款" used to show its low installment for all 24 months)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.debt import Debt
from calc.errors import InvalidInput
from calc.schedule import build_plan
from calc.terms import Terms
from plans.text.formatting import formats
from plans.text.i18n import LANGS, translator
from plans.summary import Creditor, SummaryAccount, build_summary, render
from plans.summary.amounts import installments_text
from plans.summary.blocks import Fields, Table
from plans.summary.document import comparison, document

CREDITOR = Creditor("示例银行", ("客服热线 400-000-0000",), ("投诉热线 400-000-0001",))
MONEY = re.compile(r"(?:CN)?¥-?[\d,]+\.\d\d")


def step_plan():
    """Account P5-00000000 of the issue: 14 installments of 100.00, then 10 of 3,749.95."""
    debt = Debt.parse("CNY", {"principal": "38899.50"})
    terms = Terms(start=date(2025, 12, 1), months=24, tiers=((14, 10000),))
    return build_summary(
        build_plan(debt, (), terms),
        CREDITOR,
        SummaryAccount("P5-00000000"),
        summary_date=date(2025, 12, 1),
        kind="step",
    )


def test_a_step_plan_is_told_as_its_runs_in_every_language():
    s = step_plan()
    assert s.runs == ((10000, 14), (374995, 10))
    said = {lang: installments_text(s, translator(lang), formats(lang)) for lang in LANGS}
    assert said["en"] == "CN¥100.00 x 14, then CN¥3,749.95 x 10"
    assert said["zh_CN"] == "¥100.00 x 14期，之后¥3,749.95 x 10期"
    assert said["zh_TW"].endswith("x 10期") and "之後" in said["zh_TW"]
    for lang in LANGS:
        text = render([s], "text", lang)
        assert said[lang] in text
        assert said[lang] in render([s, s], "text", lang)  # the comparison table too
        assert said[lang] in render([s], "sms", lang)


def test_a_plan_of_many_amounts_gives_its_smallest_and_largest():
    debt = Debt.parse("CNY", {"principal": "20000"})
    plan = build_plan(
        debt, (), Terms(start=date(2025, 1, 1), months=12, fee_rate=Decimal("0.005"), fee_basis="declining")
    )
    s = build_summary(plan, CREDITOR, SummaryAccount("x"), summary_date=date(2025, 1, 1))
    text = installments_text(s, translator("en"), formats("en"))
    f = formats("en")
    assert text == (
        f"between {f.money(min(plan.amounts), 'CNY')} and {f.money(max(plan.amounts), 'CNY')} (see the schedule)"
    )


def _installment_texts(s, lang: str) -> list[str]:
    """What the plan section, the comparison table and the SMS say about the installments."""
    t = translator(lang)
    labels = {t("Installments"), t("Each installment")}
    out = [v for b in document(s, lang).blocks if isinstance(b, Fields) for k, v in b.rows if k in labels]
    table: Table = comparison([s, s], lang)
    out += [cell for row in table.rows if row[0] in (t("Installments"), t("then")) for cell in row[1:2]]
    sms = render([s], "sms", lang)
    out.append(sms.split(t("Full summary: {where}", where=""))[0])  # (not the creditor's phone number)
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    principal=st.integers(100, 5_000_000_00),
    months=st.integers(1, 60),
    tier=st.one_of(st.none(), st.tuples(st.integers(1, 30), st.integers(1, 2_000_00))),
    fee=st.sampled_from(["0", "0.003", "0.006"]),
    basis=st.sampled_from(["flat", "declining"]),
    remainder=st.sampled_from(["first", "last", "spread"]),
    down=st.integers(0, 3),
    lang=st.sampled_from(LANGS),
)
def test_every_installment_amount_printed_is_charged_by_the_schedule(
    principal, months, tier, fee, basis, remainder, down, lang
):
    debt = Debt(currency="CNY", principal=principal)
    try:
        terms = Terms(
            start=date(2025, 1, 31),
            months=months,
            fee_rate=Decimal(fee),
            fee_basis=basis,
            remainder=remainder,
            tiers=(tier,) if tier else (),
            down_amount=principal * down // 10,
        )
        plan = build_plan(debt, (), terms)
    except InvalidInput:
        return  # terms the schedule refuses (a tier beyond the balance...)
    s = build_summary(plan, CREDITOR, SummaryAccount("x"), summary_date=date(2025, 1, 31))
    f = formats(lang)
    charged = {f.money(a, "CNY") for a in [*plan.amounts, plan.down_payment]}  # (the SMS names the down payment)
    texts = _installment_texts(s, lang)
    assert texts
    for text in texts:
        found = MONEY.findall(text)
        assert found, text
        assert set(found) <= charged, (text, sorted(charged))
    if not s.level and len(s.runs) <= 3:  # every run is told, amount and count, in due order
        told = [(m, int(n)) for m, n in re.findall(r"((?:CN)?¥[\d,]+\.\d\d) x (\d+)", texts[0])]
        assert told == [(f.money(a, "CNY"), n) for a, n in s.runs]
        assert sum(n for _, n in told) == len(plan.installments)


class OddCatalog:
    """A translator with some messages replaced: fields reordered or repeated, ``%`` and markup in the
    text, or fields that are not bare (a conversion, a format spec)."""

    def __init__(self, lang: str, messages: dict[str, str]) -> None:
        self.t, self.messages, self.lang = translator(lang), messages, lang

    def __call__(self, message: str, /, **values: object) -> str:
        text = self.messages.get(message) or self.t(message)
        return text.format(**values) if values else text


ODD_CATALOGS = {
    "reordered": {
        "{amount} x {count}": "{count}% × {amount} ({amount})",
        "{before}, then {after}": "{after} <{before}>",
    },
    "not bare": {"{amount} x {count}": "{amount!s} x {count:d}", "{before}, then {after}": "{before:>3}; {after}"},
    "half bare": {"{before}, then {after}": "{after!r} after {before}"},
}


@settings(max_examples=300)
@given(
    st.sampled_from([(lang, None) for lang in LANGS] + [("en", name) for name in ODD_CATALOGS]),
    st.lists(st.tuples(st.integers(-(10**12), 10**12), st.integers(0, 60)), max_size=5).map(tuple),
)
def test_runs_wording_laid_out_once_says_what_each_message_formatted_says(catalog, runs):
    """RunsWording lays out the words of 1..MAX_RUNS runs once as a template when the catalog's messages
    have bare fields; the words are the messages formatted one by one, in every language, whatever
    order the translation puts the fields in, and it formats each message when they are not bare."""
    from plans.summary.amounts import RunsWording

    lang, odd = catalog
    t = translator(lang) if odd is None else OddCatalog(lang, ODD_CATALOGS[odd])
    f = formats(lang)
    wording = RunsWording(t, lambda v: f.money(v, "CNY"))
    assert (wording.forms is None) == (odd in ("not bare", "half bare"))
    assert wording(runs) == wording.words(runs)
