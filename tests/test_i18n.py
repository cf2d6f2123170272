"""Catalogs, fallbacks, locale formatters and display-width helpers."""

from __future__ import annotations

import ast
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.errors import InvalidInput
from plans.text.formatting import clip, display_width, formats, pad, wrap
from plans.text.i18n import LANGS, N_, Translator, catalog, check_lang, translator

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    sorted((ROOT / "plans" / "summary").glob("*.py"))
    + sorted((ROOT / "plans" / "offers").glob("*.py"))
    + [ROOT / "plans" / "vocabulary.py"]
)


def marked_messages() -> dict[str, str]:
    """Every string marked for translation in plans/summary: t("..."), N_("...")."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("t", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.name}:{node.lineno}")
    return found


def test_there_are_marked_messages():
    assert len(marked_messages()) > 80


@pytest.mark.parametrize("lang", LANGS)
def test_every_marked_message_is_translated(lang):
    table = catalog(lang)
    missing = {m: where for m, where in marked_messages().items() if not table.get(m)}
    assert not missing, f"untranslated in {lang}: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders(lang):
    names = lambda text: sorted(re.findall(r"\{(\w+)\}", text))
    for msgid, text in catalog(lang).items():
        assert names(msgid) == names(text), (lang, msgid, text)


def test_chinese_catalogs_are_in_chinese():
    for lang in ("zh_CN", "zh_TW"):
        for msgid, text in catalog(lang).items():
            if re.search(r"[A-Za-z]{3}", re.sub(r"\{\w+\}", "", msgid)):
                assert re.search(r"[\u4e00-\u9fff]", text), (lang, msgid, text)


def test_simplified_and_traditional_differ_where_the_script_does():
    assert translator("zh_CN")("Account") == "账户"
    assert translator("zh_TW")("Account") == "帳戶"
    assert translator("zh_CN")("Repayment schedule") != translator("zh_TW")("Repayment schedule")


def test_missing_translation_falls_back_to_english_never_blank(tmp_path, monkeypatch):
    t = translator("zh_CN")
    assert t("A message nobody translated") == "A message nobody translated"
    assert t("Offer {n}: {name}", n=2, name="x") == "方案 2：x"
    assert N_("x") == "x"
    # An empty msgstr in a catalog counts as missing.
    po = tmp_path / "zh_TW" / "LC_MESSAGES"
    po.mkdir(parents=True)
    (po / "installment.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Plan balance"\nmsgstr ""\n\nmsgid "Total"\nmsgstr "合計"\n',
        encoding="utf-8",
    )
    import plans.text.i18n as i18n

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalog.cache_clear()
    try:
        t = Translator("zh_TW")
        assert t("Plan balance") == "Plan balance"
        assert t("Total") == "合計"
        assert not t.has("Plan balance")
    finally:
        i18n.catalog.cache_clear()


def test_languages_are_checked_and_aliases_accepted():
    assert check_lang("zh-cn") == "zh_CN"
    assert check_lang("zh_Hant_TW") == "zh_TW"
    assert check_lang("EN") == "en"
    with pytest.raises(InvalidInput) as exc:
        check_lang("fr")
    assert exc.value.field == "lang" and "zh_CN" in exc.value.message


# -- formatters -------------------------------------------------------------------


def test_examples_from_the_issue():
    f = formats("zh_CN")
    assert f.money(123456, "CNY") == "¥1,234.56"
    assert f.date(date(2025, 1, 31)) == "2025年1月31日"
    assert formats("en").date(date(2025, 1, 31)) == "January 31, 2025"
    assert formats("en").date_medium(date(2025, 1, 31)) == "Jan 31, 2025"
    assert f.percent(Decimal("0.1304")) == "13.04%"
    assert f.money(500000, "JPY") == "JP¥500,000"
    assert f.number(-123456789, "CNY") == "-1,234,567.89"


_BABEL = {"zh_CN": "zh_Hans_CN", "zh_TW": "zh_Hant_TW", "en": "en"}


@settings(max_examples=300, deadline=None)
@given(
    minor=st.integers(min_value=-(10**14), max_value=10**14),
    lang=st.sampled_from(LANGS),
    currency=st.sampled_from(("CNY", "USD", "JPY", "KWD", "HKD", "TWD")),
)
def test_money_matches_babel(minor, lang, currency):
    from calc.money import to_decimal

    expected = format_currency(to_decimal(minor, currency), currency, locale=_BABEL[lang])
    assert formats(lang).money(minor, currency) == expected


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), lang=st.sampled_from(LANGS))
def test_dates_match_babel(d, lang):
    assert formats(lang).date(d) == format_date(d, "long", locale=_BABEL[lang])
    assert formats(lang).date_medium(d) == format_date(d, "medium", locale=_BABEL[lang])


# -- display width ----------------------------------------------------------------


def test_display_width_counts_cjk_as_two():
    assert display_width("abc") == 3
    assert display_width("还款计划") == 8
    assert display_width("¥1,234.56") == 9
    assert display_width("２０２５") == 8  # full-width digits
    assert display_width("e\u0301") == 1  # combining accent
    assert pad("还款", 6, "right") == "  还款"
    assert pad("还款", 5, "center") == "还款 "
    assert clip("还款计划", 5) == "还款"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("还款计划，。（）ab c1234567890¥ -")), max_size=200),
    width=st.integers(min_value=4, max_value=60),
)
def test_wrap_never_overflows_and_keeps_every_character(text, width):
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_keeps_punctuation_off_the_line_start():
    lines = wrap("如未能在到期日前足额偿还任何一期分期款项，请立即与我们联系。", 32)
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert not any(line.endswith("（") for line in wrap("¥1,000.00，于 2025年1月31日（协议日）支付", 30))
