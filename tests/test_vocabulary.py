"""One vocabulary: offer kinds, verdicts, authorities, offer statuses, remainder and fee basis are
written as the members of their enums (plans.vocabulary, calc.affordability, calc.terms), never as bare
strings in the code.

The words are StrEnums, so a bare "affordable" still works, which is why nothing but this test notices
one.  It reads the source of calc, plans and installment_tui and fails on a bare literal that is one of
those words, except where the same letters mean something else (listed below with the reason).  Not
counted: docstrings, message ids (arguments of the translation functions: they are catalog keys),
widget ids and CSS classes, and subscripts (``values["first"]``: keys of some data).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from plans.vocabulary import Authority, FeeBasis, OfferKind, OfferStatus, Remainder, Verdict

ROOT = Path(__file__).resolve().parent.parent
WORDS = frozenset(str(m) for enum in (OfferKind, Verdict, Authority, OfferStatus, Remainder, FeeBasis) for m in enum)
#: Where each vocabulary is defined (its enum, or the data it is read from).
DEFINED = {"plans/vocabulary.py", "calc/affordability.py", "calc/terms.py"}
TRANSLATIONS = {"N_", "_", "t", "gettext", "ngettext"}

#: Bare words that mean something else there: (file, word) -> how many times.
OTHER_MEANINGS: dict[tuple[str, str], int] = {
    # the roles of the store and the console (who is signed in: agent, supervisor, kiosk, batch, admin,
    # system), which share three words with the authorities; and the `installment agent` command's name
    ("installment_tui/agent/app.py", "agent"): 3,
    ("installment_tui/agent/app.py", "supervisor"): 2,
    ("installment_tui/agent/contact.py", "supervisor"): 2,
    ("installment_tui/agent/screens/agreement.py", "supervisor"): 1,
    ("installment_tui/agent/screens/complaints.py", "supervisor"): 1,
    ("installment_tui/agent/screens/queue.py", "supervisor"): 3,
    ("installment_tui/agent/screens/supervisor.py", "supervisor"): 3,
    ("installment_tui/agent/session.py", "supervisor"): 2,
    ("installment_tui/agent/texts.py", "agent"): 1,
    ("installment_tui/agent/texts.py", "kiosk"): 1,
    ("installment_tui/agent/texts.py", "supervisor"): 1,
    ("installment_tui/cli.py", "agent"): 1,
    ("installment_tui/commands/accept.py", "agent"): 1,
    ("installment_tui/commands/agent.py", "agent"): 2,
    ("installment_tui/commands/agreement.py", "supervisor"): 1,
    ("installment_tui/commands/kiosk.py", "kiosk"): 2,
    ("installment_tui/commands/signin.py", "supervisor"): 1,
    ("installment_tui/commands/users.py", "agent"): 1,
    ("installment_tui/commands/users.py", "supervisor"): 4,
    ("plans/demo_data.py", "agent"): 3,
    ("plans/demo_data.py", "supervisor"): 4,
    ("plans/store/conduct.py", "supervisor"): 4,
    ("plans/store/records.py", "agent"): 1,
    ("plans/store/records.py", "kiosk"): 1,
    ("plans/store/records.py", "supervisor"): 1,
    ("plans/store/servicing.py", "supervisor"): 1,
    ("plans/store/users.py", "agent"): 1,
    ("plans/store/users.py", "supervisor"): 5,
    # the kiosk's catalog domain (ui_translator("kiosk")), its audit entity, its contact channel, its
    # config table and default id; the `installment kiosk` command's name
    ("installment_tui/cli.py", "kiosk"): 1,
    ("installment_tui/kiosk/app.py", "kiosk"): 3,
    ("installment_tui/kiosk/config.py", "kiosk"): 3,
    ("installment_tui/kiosk/screens/done.py", "kiosk"): 1,
    ("installment_tui/kiosk/screens/staff.py", "kiosk"): 1,
    ("installment_tui/kiosk/screens/unavailable.py", "kiosk"): 1,
    ("installment_tui/kiosk/screens/welcome.py", "kiosk"): 1,
    ("installment_tui/kiosk/session.py", "kiosk"): 2,
    ("plans/conduct/vocabulary.py", "kiosk"): 2,
    ("plans/store/kiosk.py", "kiosk"): 1,
    # the kiosk's step where a debtor is sent to an agent (Step.AGENT names a screen, not an authority)
    ("installment_tui/kiosk/steps.py", "agent"): 1,
    # the policy file's TOML tables [standard], [step] and [settlement] (data the reader reads)
    ("plans/policy/reader.py", "settlement"): 3,
    ("plans/policy/reader.py", "standard"): 3,
    ("plans/policy/reader.py", "step"): 3,
    # the first and last installment of a run (finding values, a figures slot), not the remainder rule
    ("plans/offers/judge.py", "first"): 1,
    ("plans/offers/judge.py", "last"): 1,
    ("plans/offers/shape.py", "first"): 1,
    ("plans/offers/shape.py", "last"): 1,
    ("plans/offers/words.py", "first"): 2,
    ("plans/offers/words.py", "last"): 1,
    # rich's colour system "standard"
    ("plans/summary/terminal.py", "standard"): 1,
}


def bare_words(path: Path) -> Counter[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in TRANSLATIONS:
                skip.update(id(a) for a in node.args)
            # widget ids and CSS classes name parts of a screen, not the vocabulary
            skip.update(id(k.value) for k in node.keywords if k.arg in ("id", "classes"))
        if isinstance(node, ast.Subscript):
            skip.add(id(node.slice))
    return Counter(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in WORDS
        and id(node) not in skip
    )


def found() -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for package in ("calc", "plans", "installment_tui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in DEFINED:
                continue
            for word, count in bare_words(path).items():
                out[rel, word] = count
    return out


def test_no_new_bare_vocabulary_words():
    new = {key: count for key, count in found().items() if count > OTHER_MEANINGS.get(key, 0)}
    assert not new, (
        "write these as the members of their enums (plans.vocabulary: OfferKind, Verdict, Authority, "
        f"OfferStatus, Remainder, FeeBasis), or list them in OTHER_MEANINGS with the reason: {sorted(new)}"
    )


def test_the_list_of_other_meanings_is_not_stale():
    now = found()
    stale = {key: count for key, count in OTHER_MEANINGS.items() if now.get(key, 0) < count}
    assert not stale, f"fewer bare words than listed; lower OTHER_MEANINGS to what is left: {stale}"


def test_the_scanner_sees_a_bare_word(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""affordable in a docstring."""\n'
        'x = "affordable"\n'
        'y = t("tight")\n'
        'z = values["first"]\n'
        'w = "supervisor" if x else "spread"\n',
        encoding="utf-8",
    )
    assert bare_words(sample) == Counter({"affordable": 1, "supervisor": 1, "spread": 1})
