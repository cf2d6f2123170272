"""Every kiosk message is translated in every language, with the same placeholders."""

from __future__ import annotations

import re

import pytest


from kiosk_messages import kiosk_messages

from installment_tui.i18n import LOCALE_DIR, domain_catalog

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_source_has_messages():
    ids = kiosk_messages()
    assert len(ids) > 100 and "Tell us who you are" in ids and "Talk to an agent" in ids


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW", "en"])
def test_every_message_translated(lang):
    assert (LOCALE_DIR / lang / "LC_MESSAGES" / "kiosk.po").is_file()
    catalog = domain_catalog("kiosk", lang)
    missing = sorted(kiosk_messages() - set(catalog))
    assert missing == []
    unused = sorted(set(catalog) - kiosk_messages())
    assert unused == []
    for message in kiosk_messages():
        assert set(PLACEHOLDER.findall(catalog[message])) == set(PLACEHOLDER.findall(message)), message


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
def test_chinese_catalogs_are_chinese(lang):
    catalog = domain_catalog("kiosk", lang)
    for message, text in catalog.items():
        if re.search("[A-Za-z]{3,}", PLACEHOLDER.sub("", message)):
            assert re.search("[\u4e00-\u9fff]", text), message


def test_traditional_differs_from_simplified():
    cn, tw = domain_catalog("kiosk", "zh_CN"), domain_catalog("kiosk", "zh_TW")
    assert cn["Tell us who you are"] != tw["Tell us who you are"]
    assert sum(cn[m] != tw[m] for m in cn) > len(cn) // 2
