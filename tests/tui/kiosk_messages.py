"""Every message id the kiosk translates, read from its source with ``ast`` (used by the catalog tests)."""

from __future__ import annotations

import ast
from pathlib import Path

import installment_tui.kiosk as kiosk_pkg
from installment_tui.kiosk.figures import BUCKET_IDS
from plans.vocabulary import UI_NAME_TABLES

KIOSK_DIR = Path(kiosk_pkg.__file__).resolve().parent
#: Module-level tables whose strings are message ids: name -> index within each item (None: the value).
TABLES = {
    "REASON_NAMES": None,
    "NUMBER_FIELDS": 1,
    "RECOVERY_NAMES": 1,
}


def _call_name(node: ast.Call) -> str | None:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


def kiosk_messages() -> set[str]:
    # the kiosk's names for kinds and verdicts live in plans.vocabulary, listed under its domain
    found: set[str] = {name for table in UI_NAME_TABLES["kiosk"] for name in table.values()}
    found |= set(BUCKET_IDS.values())  # the vocabulary's bucket names, worded for a debtor in the kiosk's catalog
    for path in sorted(KIOSK_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = _call_name(node)
                if name == "t" and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
            # problems noted for the screens: problems.add(field, message id), problems.check(field, message id)
            noted = isinstance(node, ast.Call) and (
                _call_name(node) == "Problem"
                or (
                    _call_name(node) in ("add", "check")
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "problems"
                )
            )
            # (config.py's problems are the operator's, in English on stderr: not message ids)
            if isinstance(node, ast.Call) and noted and len(node.args) == 2 and path.name != "config.py":
                for arg in ast.walk(node.args[1]):
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
            assigned = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                assigned = node.target
            if isinstance(assigned, ast.Name):
                assert isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
                target = assigned.id
                if target == "TITLE_ID" and isinstance(node.value, ast.Constant) and node.value.value:
                    found.add(node.value.value)
                if target in TABLES:
                    index = TABLES[target]
                    value = node.value
                    if isinstance(value, ast.Dict):
                        found.update(v.value for v in value.values if isinstance(v, ast.Constant))
                    elif isinstance(value, ast.Tuple):
                        for item in value.elts:
                            if isinstance(item, ast.Tuple) and isinstance(item.elts[index], ast.Constant):
                                found.add(item.elts[index].value)
    return found


if __name__ == "__main__":  # print the ids, one a line, for writing catalogs
    for message in sorted(kiosk_messages()):
        print(message)
