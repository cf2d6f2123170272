"""Every message the project generates passes the checker: every catalog template in every language,
every summary format for every demo account, the complaint reply letter; and the conduct words are
translated in every catalog."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from plans.conduct.messages import check_message
from plans.conduct.words import MESSAGE_CATEGORIES
from plans.demo_data import documented_cases, generate
from plans.text.i18n import LANGS, catalog, translator
from plans.offers import generate_offers
from plans.policy import default_policy
from plans.summary import from_offer, render

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted(ROOT.glob("*/locale/*/LC_MESSAGES/*.po"))
#: The names of the harms themselves: labels for staff (the checker's report, the console), never sent.
LABELS = set(MESSAGE_CATEGORIES.values())
POLICY = default_policy()


def test_catalogs_are_found():
    assert len(CATALOGS) == 9


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parts[-4]}-{p.parts[-3]}-{p.stem}")
def test_every_template_in_every_catalog_passes(path):
    lang = path.parts[-3]
    with open(path, "rb") as fh:
        cat = read_po(fh)
    harmful = []
    for m in cat:
        if not m.id or m.id in LABELS:
            continue
        for text in (m.id, m.string):
            if text and check_message(text, lang):
                harmful.append((m.id, text, [f.rule for f in check_message(text, lang)]))
    assert harmful == []


def test_the_labels_left_out_are_only_the_names_of_the_harms():
    flagged = {m for m in LABELS if check_message(m, "en") or check_message(translator("zh_CN")(m), "zh_CN")}
    assert flagged and flagged <= LABELS


def _summaries():
    cases = [c for c in documented_cases() + generate(12, seed=7) if c.account.currency == "CNY"]
    out = []
    for case in cases:
        offers = generate_offers(case.account.case(date(2026, 12, 1), case.profile), POLICY, "agent")
        out.append([from_offer(o, POLICY, summary_date=date(2026, 12, 1)) for o in offers[:3]])
    return out


SUMMARIES = _summaries()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["text", "receipt", "md", "html", "sms"])
def test_every_summary_format_passes(lang, fmt):
    for summaries in SUMMARIES:
        for i in range(len(summaries)):
            text = render(summaries[i : i + 1] if fmt == "sms" else summaries, fmt, lang)
            if fmt == "html":
                text = re.sub(r"<[^>]+>", " ", text)
            findings = check_message(text, lang, POLICY)
            assert findings == (), (fmt, lang, [(f.rule, f.quote) for f in findings])
            if fmt != "sms":
                break


def test_the_conduct_words_are_translated_in_every_catalog():
    ids = []
    for path in sorted((ROOT / "plans" / "conduct").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else (f.attr if isinstance(f, ast.Attribute) else None)
                if name in ("t", "N_", "_"):
                    ids.append(node.args[0].value)
    assert len(ids) > 60
    names = lambda text: sorted(re.findall(r"\{(\w+)\}", text))
    for lang in LANGS:
        table = catalog(lang)
        missing = [m for m in ids if not table.get(m)]
        assert missing == [], lang
        assert all(names(table[m]) == names(m) for m in ids), lang
    assert catalog("zh_CN")["debt disputed"] != catalog("zh_TW")["debt disputed"]
