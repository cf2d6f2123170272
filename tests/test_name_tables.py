"""The names of the vocabulary's words are defined once, in ``plans/vocabulary.py``, and name every word.

Each name table there is keyed by the members of an enum (an offer kind, a verdict, an authority...)
and must name each member: a kind added to ``OfferKind`` without a compact or a debtor-facing name
fails here, not on a screen.  Outside ``plans/vocabulary.py`` no module may keep a table of its own
that names those words (a dict literal keyed by the members whose values are words): the console, the
kiosk and the summaries take their names from the vocabulary.  A table's words are message ids of the
summaries' catalog (marked ``N_``) unless :data:`plans.vocabulary.UI_NAME_TABLES` lists the table under
a console's catalog; the catalog tests check each is translated there.
"""

from __future__ import annotations

import ast
from enum import Enum
from pathlib import Path

from plans import vocabulary
from plans.vocabulary import UI_NAME_TABLES, Authority, OfferKind, OfferStatus, Remainder, Verdict

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "plans" / "vocabulary.py"
NAMED = {cls.__name__: cls for cls in (OfferKind, Verdict, Authority, OfferStatus, Remainder)}


def name_tables() -> dict[str, dict]:
    """The vocabulary's module-level dicts keyed (at least partly) by enum members."""
    return {
        name: value
        for name, value in vars(vocabulary).items()
        if isinstance(value, dict) and value and any(isinstance(k, Enum) for k in value)
    }


def test_the_tables_are_found():
    tables = name_tables()
    for name in ("KIND_NAMES", "KIND_SHORT_NAMES", "KIND_COMPACT_NAMES", "KIND_DEBTOR_NAMES"):
        assert name in tables
    for name in ("VERDICT_NAMES", "VERDICT_COMPACT_NAMES", "VERDICT_DEBTOR_WORDS", "AUTHORITY_COMPACT_NAMES"):
        assert name in tables


def test_every_table_names_every_member_of_its_enums():
    for name, table in name_tables().items():
        enums = {type(k) for k in table if isinstance(k, Enum)}
        for enum in enums:
            missing = [m for m in enum if m not in table]
            assert missing == [], f"{name} has no name for {missing}"
        assert all(isinstance(v, str) and v for v in table.values()), name


def test_every_console_table_is_a_vocabulary_table():
    tables = {id(t): n for n, t in name_tables().items()}
    for domain, listed in UI_NAME_TABLES.items():
        assert listed and all(id(t) in tables for t in listed), domain


def _assigned_dicts(tree: ast.Module):
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(node.value, ast.Dict):
            yield node.target.id, node.value
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                yield target.id, node.value


def _is_n(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_"


def test_summary_tables_are_marked_and_console_tables_are_not():
    """A summaries' table's words are ``N_`` (the summaries' catalog test reads them); a console's are plain."""
    console = {n for n, t in name_tables().items() if any(t is u for ts in UI_NAME_TABLES.values() for u in ts)}
    assert console
    seen = set()
    for name, value in _assigned_dicts(ast.parse(VOCABULARY.read_text(encoding="utf-8"))):
        if name not in name_tables():
            continue
        seen.add(name)
        words = [v for k, v in zip(value.keys, value.values) if k is not None]
        if name in console:
            assert all(isinstance(v, ast.Constant) for v in words), name
        else:
            assert all(_is_n(v) for v in words), name
    assert console <= seen


def _member_key(node: ast.expr | None) -> bool:
    """``OfferKind.STEP``, ``Verdict.TIGHT``...: a key that is a member of the named vocabularies."""
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in NAMED


def _is_word(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("N_", "_", "t")
    )


#: Tables outside the vocabulary keyed by its members whose strings are not names: (file, table) -> why.
NOT_NAMES = {
    ("plans/offers/words.py", "OPENINGS"): "the first sentence of each kind's explanation",
    ("installment_tui/agent/screens/workspace.py", "_STATUS_STYLE"): "Rich styles of the statuses",
    ("installment_tui/commands/offers.py", "_VERDICT_STYLE"): "Rich styles of the verdicts",
    ("installment_tui/commands/quote_table.py", "_VERDICT_STYLE"): "Rich styles of the verdicts",
}


def _tables_of_words(tree: ast.Module):
    """(name, line) of each dict literal keyed by vocabulary members whose values are strings or message ids."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                names[id(node.value)] = target.id
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keyed = [v for k, v in zip(node.keys, node.values) if _member_key(k)]
            if keyed and all(_is_word(v) for v in keyed):
                yield names.get(id(node), "<dict>"), node.lineno


def test_no_name_table_outside_the_vocabulary():
    found, excused = [], set()
    for package in ("calc", "plans", "installment_tui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == VOCABULARY:
                continue
            where = str(path.relative_to(ROOT))
            for name, line in _tables_of_words(ast.parse(path.read_text(encoding="utf-8"))):
                if (where, name) in NOT_NAMES:
                    excused.add((where, name))
                else:
                    found.append(f"{where}:{line} {name}")
    assert found == [], "name tables outside plans/vocabulary.py: " + ", ".join(found)
    assert excused == set(NOT_NAMES), "NOT_NAMES lists tables that are gone"


def test_the_scan_catches_a_table_of_names():
    """The kiosk's old table of debtor-facing kind names (plain strings), and the console's (``N_``)."""
    kiosk = 'KIND_TITLES: dict[str, str] = {OfferKind.STEP: "Start low, then pay more", OfferKind.STANDARD: "x"}'
    console = 'def f():\n    return {Verdict.TIGHT: N_("tight"), None: N_("no data")}'
    assert [n for n, _ in _tables_of_words(ast.parse(kiosk))] == ["KIND_TITLES"]
    assert [n for n, _ in _tables_of_words(ast.parse(console))] == ["<dict>"]
    assert list(_tables_of_words(ast.parse('ORDER = {Verdict.TIGHT: 1, "x": "y"}'))) == []
