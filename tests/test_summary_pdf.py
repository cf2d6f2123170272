"""PDF summaries: text read back with pypdf, A4 pages, the embedded Chinese font."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from calc.debt import Debt, Waiver
from calc.errors import InstallmentError
from calc.schedule import build_plan
from calc.terms import Terms
from plans.text.formatting import formats
from plans.text.i18n import LANGS, translator
from plans.summary import SummaryAccount, Creditor, build_summary, render
from plans.summary.pdf import DEFAULT_FONT, FONT_ENV

CREDITOR = Creditor("示例银行信用卡中心", ("客服热线 400-000-0000",), ("投诉热线 400-000-0001",))


def summary(months, fee="0", down=None, kind="installment"):
    debt = Debt.parse("CNY", {"principal": "36000", "interest": "1200", "late_fees": "250"})
    p = build_plan(
        debt,
        [Waiver.parse("late_fees", "100%", "CNY")],
        Terms(start=date(2025, 3, 15), months=months, down_amount=down, fee_rate=Decimal(fee)),
    )
    return build_summary(
        p, CREDITOR, SummaryAccount("6222021234567890", "张三丰"), summary_date=date(2025, 3, 14), kind=kind
    )


PLANS = {"short": summary(6, "0.005", 200000), "60-month": summary(60), "settlement": summary(1, kind="settlement")}


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "".join(page.extract_text() for page in reader.pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("lang", LANGS)
def test_pdf_text_states_the_summary(lang, plan):
    s = PLANS[plan]
    pdf = render([s], "pdf", lang)
    assert pdf.startswith(b"%PDF-")
    reader, text = read(pdf)
    text = squeeze(text)
    t, f = translator(lang), formats(lang)
    m = lambda v: f.money(v, "CNY")
    expected = [
        s.creditor.name,
        "****7890",
        f.date(s.summary_date),
        m(s.plan_balance),
        m(s.total_repayable),
        m(s.total_fees),
        f.percent(s.apr_nominal),
        f.percent(s.apr_effective),
        t("Complaints"),
        "投诉热线400-000-0001",
        t("Debt by bucket"),
        t("Principal"),
        m(25000),
    ]
    expected += [f.date(i.due) for i in s.installments] + [m(i.amount) for i in s.installments]
    if s.down_payment:
        expected += [m(s.down_payment), f.date(s.agreement_date)]
    expected.append(t("If a payment is missed") if s.lump_sum else t("If an installment is missed"))
    missing = [x for x in expected if squeeze(x) not in text]
    assert not missing, missing
    assert "6222021234567890" not in text


def test_a4_pages_and_the_schedule_continues():
    reader, text = read(render([PLANS["60-month"]], "pdf", "zh_CN"))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.28) < 0.5 and abs(h - 841.89) < 0.5
    # the schedule header row is repeated on the continuation page, with the page count in the footer
    second = squeeze(reader.pages[1].extract_text())
    assert "期数" in second and "到期日" in second and f"2/{len(reader.pages)}" in second
    short, _ = read(render([PLANS["short"]], "pdf", "zh_CN"))
    assert len(short.pages) <= 2  # a short plan: its figures and schedule on page 1, the agreement terms after


def test_the_chinese_font_is_embedded():
    reader, _ = read(render([PLANS["short"]], "pdf", "zh_CN"))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        desc = font.get("/FontDescriptor")
        if desc is not None and "/FontFile2" in desc.get_object():
            embedded.append(str(font["/BaseFont"]))
    assert embedded and all("WenQuanYi" in name or "+" in name for name in embedded)
    assert not any("STSong" in str(ref.get_object().get("/BaseFont")) for ref in fonts.values())


def test_several_offers_each_start_a_page():
    reader, text = read(render(list(PLANS.values()), "pdf", "en"))
    assert len(reader.pages) >= 4  # the comparison, then one or more pages per offer
    assert "Offers compared" in text
    assert "Offer 3: Settlement (one payment)" in reader.pages[-1].extract_text() or "Offer 3" in text


def test_font_path_is_configurable(tmp_path, monkeypatch):
    copy = tmp_path / "myfont.ttc"
    shutil.copyfile(DEFAULT_FONT, copy)
    monkeypatch.setenv(FONT_ENV, str(copy))
    _, text = read(render([PLANS["short"]], "pdf", "zh_TW"))
    assert "還款計畫" in squeeze(text)
    monkeypatch.delenv(FONT_ENV)
    bad = tmp_path / "not-a-font.ttf"
    bad.write_bytes(b"this is not a font")
    with pytest.raises(InstallmentError) as exc:
        render([PLANS["short"]], "pdf", "en", font_path=bad)
    assert exc.value.field == "font" and "not-a-font.ttf" in exc.value.message
    with pytest.raises(InstallmentError):
        render([PLANS["short"]], "pdf", "en", font_path=tmp_path / "missing.ttf")


def test_a_font_without_chinese_glyphs_is_refused():
    from pathlib import Path

    import reportlab

    latin_only = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # ships with reportlab
    with pytest.raises(InstallmentError) as exc:
        render([PLANS["short"]], "pdf", "en", font_path=latin_only)
    assert exc.value.field == "font" and "no Chinese glyphs" in exc.value.message


def test_pdf_output_is_deterministic():
    assert render([PLANS["short"]], "pdf", "zh_CN") == render([PLANS["short"]], "pdf", "zh_CN")
