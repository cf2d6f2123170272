"""Every format in every language, for a short plan, a 60-month plan and a settlement:
what each summary must state, receipt widths, HTML structure, no untranslated text."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from summary_helpers import Html, plain

from calc.debt import Debt, Waiver
from calc.schedule import build_plan
from calc.terms import Terms
from plans.text.formatting import display_width, formats
from plans.text.i18n import LANGS, catalog, translator
from plans.summary import SummaryAccount, Creditor, build_summary, render
from plans.policy import Servicing
from plans.summary.agreement_terms import MISSED_SETTLEMENT, UNDERTAKING
from plans.vocabulary import BUCKET_NAMES
from plans.summary.servicing_words import missed_paragraph

CREDITOR = Creditor(
    "示例银行信用卡中心",
    ("客服热线 400-000-0000",),
    ("投诉热线 400-000-0001", "银保监投诉 12378"),
    policy_version="2025.1",
)
ACCOUNT = SummaryAccount("6222021234567890", "张三丰")
TEXT_FORMATS = ("text", "receipt", "md", "html", "terminal")


def _summary(months, fee, down, kind="installment", waive=True):
    debt = Debt.parse(
        "CNY", {"principal": "20000", "interest": "1500.50", "penalty_interest": "800", "late_fees": "300"}
    )
    waivers = (
        [Waiver.parse("late_fees", "100%", "CNY"), Waiver.parse("penalty_interest", "50%", "CNY")] if waive else []
    )
    p = build_plan(
        debt, waivers, Terms(start=date(2025, 1, 31), months=months, down_amount=down, fee_rate=Decimal(fee))
    )
    return build_summary(p, CREDITOR, ACCOUNT, summary_date=date(2025, 1, 30), kind=kind)


PLANS = {
    "short": _summary(6, "0.006", 100000),
    "60-month": _summary(60, "0", None, waive=False),
    "settlement": _summary(1, "0", None, kind="settlement"),
}


def facts(s, lang) -> list[str]:
    """What every summary (but SMS) must state, as formatted text."""
    t, f = translator(lang), formats(lang)
    m = lambda v: f.money(v, s.currency)
    out = [
        s.creditor.name,
        "****7890",
        "张**",
        f.date(s.summary_date),
        m(s.plan_balance),
        m(s.total_repayable),
        m(s.total_fees),
        f.percent(s.apr_nominal),
        f.percent(s.apr_effective),
        t("Down payment"),
        t("Total repayable"),
        t("Total fees"),
        t("APR (nominal)"),
        t("APR (effective)"),
        *s.creditor.complaints,
        t("Complaints"),
    ]
    for b in s.buckets:
        if b.owed:
            out += [t(BUCKET_NAMES[b.bucket]), m(b.owed)]
        if b.waived:
            out.append(m(b.waived))
    if s.down_payment:
        out += [m(s.down_payment), f.date(s.agreement_date)]
    for i in s.installments:
        out += [f.date(i.due), m(i.amount)]
    missed = "If a payment is missed" if s.lump_sum else "If an installment is missed"
    out.append(t(missed))
    # article 70: the terms of servicing the policy sets (here its defaults), the undertaking, how to pay
    if s.lump_sum:
        out.append(t(MISSED_SETTLEMENT))
    else:
        sv = Servicing()
        restored = tuple(
            (b.bucket, f.money(b.waived, s.currency)) for b in s.buckets if b.waived and b.bucket in sv.restore_on_break
        )
        out.append(missed_paragraph(t, sv, restored))
    out += [
        t("Your undertaking"),
        t(UNDERTAKING),
        t("Repayment method"),
        t("Currency"),
        t("Repayment cycle"),
        t("How to pay"),
        t("Charges during the plan"),
        t("Rights and obligations"),
        t("Other repayment matters"),
    ]
    return out


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_every_summary_states_what_it_must(fmt, lang, plan):
    s = PLANS[plan]
    out = render([s], fmt, lang)
    text = plain(out, fmt)
    missing = [x for x in facts(s, lang) if re.sub(r"\s+", "", x) not in text]
    assert not missing, missing
    assert "6222021234567890" not in text and "张三丰" not in text


@pytest.mark.parametrize("width", (32, 42, 48))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("plan", PLANS)
def test_receipt_lines_fit_the_paper(width, lang, plan):
    out = render([PLANS[plan]], "receipt", lang, width=width)
    lines = out.splitlines()
    too_wide = [(display_width(x), x) for x in lines if display_width(x) > width]
    assert not too_wide, too_wide
    assert lines[0] == "=" * width


def test_receipt_of_several_offers_fits_too():
    out = render(list(PLANS.values()), "receipt", "zh_TW", width=32)
    assert max(display_width(x) for x in out.splitlines()) <= 32


def test_text_is_80_columns():
    out = render([PLANS["60-month"]], "text", "zh_CN")
    assert max(display_width(x) for x in out.splitlines()) <= 80


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_one_self_contained_print_ready_page(lang):
    out = render([PLANS["short"]], "html", lang)
    parser = Html()
    parser.feed(out)
    assert out.startswith("<!DOCTYPE html>")
    assert parser.attrs["html"][0]["lang"] == {"zh_CN": "zh-CN", "zh_TW": "zh-TW", "en": "en"}[lang]
    assert {"script", "img", "link", "iframe"}.isdisjoint(parser.tags)
    assert "@page" in out and "A4" in out and "http" not in out
    assert parser.tags.count("table") == 5  # who, debt, plan, schedule, repayment method


def test_html_escapes_creditor_text():
    s = build_summary(_plan_for_escape(), Creditor("<b>Bank & Co</b>"), ACCOUNT)
    out = render([s], "html", "en")
    assert "<b>Bank" not in out and "&lt;b&gt;Bank &amp; Co&lt;/b&gt;" in out
    md = render([s], "md", "en")
    assert "\\<b\\>Bank & Co\\</b\\>" in md


def _plan_for_escape():
    return build_plan(Debt.parse("CNY", {"principal": "1000"}), [], Terms(start=date(2025, 1, 1), months=2))


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("plan", PLANS)
def test_no_untranslated_message_in_chinese(fmt, plan):
    out = plain(render([PLANS[plan]], fmt, "zh_CN"), fmt)
    english = [m for m in catalog("en") if re.search(r"[A-Za-z]{2}", re.sub(r"\{\w+\}", "", m))]
    leaked = [
        m
        for m in english
        if len(m) > 3 and re.sub(r"\s+", "", m.split("{")[0]) in out and re.sub(r"\s+", "", m.split("{")[0])
    ]
    assert not leaked, leaked
    assert not re.search(r"[A-Za-z]{2,}", out), re.findall(r"[A-Za-z]{2,}", out)


def test_settlement_reads_as_one_payment():
    s = PLANS["settlement"]
    out = render([s], "text", "en")
    assert "Settlement offer" in out and "Pay by" in out and "Lump sum" in out
    assert "Number of installments" not in out
    zh = render([s], "text", "zh_CN")
    assert "一次性结清方案" in zh and "结清金额" in zh


def test_several_offers_side_by_side_then_each_in_full():
    out = render(list(PLANS.values()), "text", "en")
    head = out.split("Offer 1:")[2]  # the legend names it first, then its heading
    assert "Offers compared" in out
    row = next(line for line in out.splitlines() if line.startswith("Total repayable"))
    assert len(re.findall(r"CN¥[\d,]+\.\d\d", row)) == 3  # one column per offer on one line
    assert out.count("Offer 2:") == 2 and out.count("Offer 3:") == 2  # legend and heading
    assert "Repayment schedule" in head
    md = render(list(PLANS.values()), "md", "zh_CN")
    assert "| 方案 | 1 | 2 | 3 |" in md


def test_waivers_are_stated_and_nothing_waived_too():
    out = render([PLANS["short"]], "text", "en")
    assert "Waived: Penalty interest CN¥400.00; Late fees CN¥300.00." in out.replace("\n", " ")
    assert "Nothing is waived." in render([PLANS["60-month"]], "text", "en")
    assert "无减免。" in render([PLANS["60-month"]], "text", "zh_CN")


def test_policy_paragraph_on_missed_payments_replaces_the_standard_one():
    s = PLANS["short"]
    custom = Creditor(
        s.creditor.name, s.creditor.contact, s.creditor.complaints, missed_payment="逾期按合同第8条处理。"
    )
    out = render([build_summary(_plan_for_escape(), custom, ACCOUNT)], "text", "zh_CN")
    assert "逾期按合同第8条处理。" in out and "征信" not in out


def test_unknown_format_and_empty_input_are_refused():
    from calc.errors import InvalidInput

    with pytest.raises(InvalidInput):
        render([PLANS["short"]], "docx", "en")
    with pytest.raises(InvalidInput):
        render([], "text", "en")
    with pytest.raises(InvalidInput):
        render([PLANS["short"]], "receipt", "en", width=40)


@pytest.mark.parametrize("lang", LANGS)
def test_terminal_on_a_narrow_screen_wraps_rather_than_cuts(lang):
    s = PLANS["short"]
    narrow = render([s], "terminal", lang, width=56)
    assert "…" not in narrow  # a cell too narrow folds onto the next line; nothing is cut off
    assert max(display_width(x) for x in narrow.splitlines()) <= 56
    text = plain(render([s], "terminal", lang, width=80), "terminal")
    missing = [x for x in facts(s, lang) if re.sub(r"\s+", "", x) not in text]
    assert not missing, missing


def test_markdown_continues_a_field_over_several_lines_without_an_empty_label():
    two_lines = Creditor("示例银行", ("客服热线 400-000-0000", "地址 示例路 1 号"), ("投诉 12378",))
    md = render([build_summary(_plan_for_escape(), two_lines, ACCOUNT)], "md", "en")
    assert "****" not in md.replace("\\*", "")  # no bold empty label
    assert "- **Contact**: 客服热线 400-000-0000  \n  地址 示例路 1 号\n" in md
