"""SMS summaries: what they say, and their length in characters and segments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.debt import Debt
from calc.schedule import build_plan
from calc.terms import Terms
from plans.text.i18n import LANGS
from plans.summary import SummaryAccount, Creditor, build_summary, render, render_sms, sms_length

CREDITOR = Creditor("示例银行 (Example Bank)", ("客服热线 400-000-0000",), ("投诉 12378",), full_summary="95500")
EN_CREDITOR = Creditor("Example Bank", full_summary="call 0800 000 000")


def summary(months, creditor=CREDITOR, kind="installment", down=None, principal="12000"):
    p = build_plan(
        Debt.parse("CNY", {"principal": principal}),
        [],
        Terms(start=date(2025, 1, 31), months=months, down_amount=down, fee_rate=Decimal(0)),
    )
    return build_summary(p, creditor, SummaryAccount("6222021234567890"), summary_date=date(2025, 1, 31), kind=kind)


def test_gsm7_and_ucs2_segments():
    assert sms_length("a" * 160) == (160, "GSM-7", 160, 1)
    assert sms_length("a" * 161).segments == 2
    assert sms_length("a" * 306).segments == 2 and sms_length("a" * 307).segments == 3
    assert sms_length("€" * 80) == (80, "GSM-7", 160, 1)  # extension characters take two septets
    assert sms_length("¥1,000.00 £ é").encoding == "GSM-7"
    assert sms_length("还" * 70) == (70, "UCS-2", 70, 1)
    assert sms_length("还" * 71).segments == 2
    assert sms_length("还" * 134).segments == 2 and sms_length("还" * 135).segments == 3
    assert sms_length("😀").units == 2  # outside the BMP: a UTF-16 surrogate pair
    assert "2 SMS segments" in sms_length("还" * 71).describe()


@given(st.text(max_size=400))
def test_segments_cover_the_units(text):
    info = sms_length(text)
    per = 153 if info.encoding == "GSM-7" else 67
    single = 160 if info.encoding == "GSM-7" else 70
    assert info.characters == len(text)
    assert info.segments == 1 if info.units <= single else (info.segments - 1) * per < info.units <= info.segments * per


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("months", (6, 60))
def test_sms_says_installment_first_due_months_and_where_to_get_more(lang, months):
    s = summary(months)
    text = render_sms(s, lang)
    assert "\n" not in text
    assert "95500" in text
    assert str(months) in text
    if lang == "en":
        assert f"{months} monthly installments of CN¥{12000 / months:,.2f}" in text
        assert "first due February 28, 2025" in text
        assert text.startswith("[示例银行]")
    else:
        assert f"分{months}期" in text and "首期2025年2月28日到期" in text
        assert text.startswith("【示例银行】")
    assert sms_length(text).segments <= 2


def test_sms_is_short_and_gsm7_in_english_with_a_latin_creditor():
    text = render_sms(summary(12, EN_CREDITOR), "en")
    info = sms_length(text)
    assert info.encoding == "GSM-7" and info.segments == 1, (text, info)


def test_sms_uneven_first_installment_and_down_payment():
    text = render_sms(summary(7, down=100000), "zh_CN")
    assert "首付¥1,000.00" in text and "分7期：¥1,571.48 x 1期，之后¥1,571.42 x 6期；" in text


def test_settlement_sms():
    s = summary(1, kind="settlement")
    assert render_sms(s, "zh_CN") == "【示例银行】一次性结清：请于2025年2月28日前还款¥12,000.00。完整方案：95500"
    assert "Settlement: pay CN¥12,000.00 by February 28, 2025." in render_sms(s, "en")


def test_several_offers_give_one_message_each():
    out = render([summary(6), summary(12)], "sms", "zh_TW")
    assert out.count("【示例银行】") == 2 and len(out.strip().split("\n\n")) == 2


def _step_summary(months):
    p = build_plan(
        Debt.parse("CNY", {"principal": "12000"}),
        [],
        Terms(start=date(2025, 1, 31), months=months, tiers=((3, 50000),)),
    )
    return build_summary(p, CREDITOR, SummaryAccount("6222021234567890"), summary_date=date(2025, 1, 31), kind="step")


def test_step_plan_sms_says_how_many_low_installments_come_first():
    level_after = render_sms(_step_summary(10), "zh_CN")  # 3 x 500.00, then 7 x 1,500.00
    assert "分10期：¥500.00 x 3期，之后¥1,500.00 x 7期；首期2025年2月28日到期。" in level_after
    uneven_after = render_sms(_step_summary(12), "en")  # 3 x 500.00, then 1,166.72 and 8 x 1,166.66
    assert "12 monthly installments: CN¥500.00 x 3, then CN¥1,166.72 x 1, then CN¥1,166.66 x 8;" in uneven_after
    assert "約" not in render_sms(_step_summary(12), "zh_TW")  # no "about": the amounts charged
