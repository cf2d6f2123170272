"""Every visible string of the agent console is translated in zh_CN and zh_TW, with the same placeholders."""

from __future__ import annotations

import ast
import re
import string
from functools import cache
from pathlib import Path

import pytest

import installment_tui.agent as agent_pkg
from installment_tui.agent import terms_form
from installment_tui.agent.app import AgentApp
from installment_tui.agent.screens import ALL_SCREENS, base
from installment_tui.i18n import domain_catalog, ui_translator
from plans.vocabulary import UI_NAME_TABLES

ROOT = Path(agent_pkg.__file__).parent


@cache
def agent_messages() -> list[str]:
    """Message ids: literal first arguments of t(...) and N_(...), label tables and binding descriptions."""
    msgs: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else (f.attr if isinstance(f, ast.Attribute) else None)
                if (
                    name in ("t", "N_")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    msgs.append(node.args[0].value)
    msgs += list(terms_form.TERM_LABELS.values()) + list(base.FIELD_NAMES.values())
    # the console's own names for kinds, verdicts and authorities live in plans.vocabulary
    msgs += [name for table in UI_NAME_TABLES["agent"] for name in table.values()]
    for screen in list(ALL_SCREENS) + [AgentApp]:
        msgs += [b.description for b in screen.BINDINGS if b.description]
    return list(dict.fromkeys(msgs))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_messages_are_found():
    messages = agent_messages()
    assert len(messages) > 200 and "Save offer" in messages and "Offer {n} months" in messages


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
def test_every_message_is_translated_with_its_placeholders(lang):
    t = ui_translator("agent", lang)
    missing = [m for m in agent_messages() if not t.has(m)]
    assert missing == []
    for m in agent_messages():
        assert fields(t(m)) == fields(m), m
        assert (
            not re.search(
                r"[A-Za-z]{4,}",
                re.sub(r"`[^`]*`", "", t(m))
                .replace("PDF", "")
                .replace("HTML", "")
                .replace("YYYY", "")
                .replace("Ctrl", "")
                .replace("Enter", "")
                .replace("Esc", "")
                .replace("SMS", "")
                .replace("CNY", ""),
            )
            or "{" in m
        ), (m, t(m))


def test_catalog_has_no_stale_entries():
    for lang in ("zh_CN", "zh_TW", "en"):
        assert set(domain_catalog("agent", lang)) <= set(agent_messages()), lang
