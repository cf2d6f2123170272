"""The import graph's shape: no module imports a module that imports it back (in calc, plans and
installment_tui), and the kiosk's screens know each other only through the app's flow table.

The same rules are import-linter contracts in pyproject.toml (``make test`` runs them); these tests
also cover a screen module added later, which a contract listing the modules would miss."""

from __future__ import annotations

import grimp
import pytest

from installment_tui.kiosk.flow import FLOW, back_step, next_step
from installment_tui.kiosk.screens.base import KioskScreen
from installment_tui.kiosk.steps import Step

SCREENS = "installment_tui.kiosk.screens"


@pytest.fixture(scope="module")
def graph():
    # imports under `if TYPE_CHECKING:` never run (pyproject's import-linter settings say the same)
    return grimp.build_graph("calc", "plans", "installment_tui", exclude_type_checking_imports=True, cache_dir=None)


def _cycles(graph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    group.append(m)
                    if m == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def test_cycle_finder_finds_a_cycle():
    g = grimp.ImportGraph()
    for m in ("a", "a.x", "a.y", "a.z"):
        g.add_module(m)
    g.add_import(importer="a.x", imported="a.y")
    g.add_import(importer="a.y", imported="a.x")
    g.add_import(importer="a.y", imported="a.z")
    assert _cycles(g, {"a.x", "a.y", "a.z"}) == [["a.x", "a.y"]]


# The store keeps servicing's schedule value and checks payments against servicing's channels (both
# import nothing of plans); the console's palette commands check that the palette is the console's own
# app, imported when the palette opens.  The import-linter contract names the same imports.
KNOWN = {
    ("plans.store.servicing", "plans.servicing.schedule"),
    ("plans.store.servicing", "plans.servicing.vocabulary"),
    ("installment_tui.agent.commands", "installment_tui.agent.app"),
}


@pytest.mark.parametrize("package", ["calc", "plans", "installment_tui"])
def test_no_module_imports_one_that_imports_it_back(graph, package):
    modules = {m for m in graph.modules if m == package or m.startswith(package + ".")}
    for importer, imported in KNOWN:
        if importer in modules:
            graph.remove_import(importer=importer, imported=imported)
    assert _cycles(graph, modules) == []


def test_no_kiosk_screen_imports_another(graph):
    screens = set(graph.find_children(SCREENS))
    shared = {f"{SCREENS}.base"}
    for m in sorted(screens - shared):
        others = graph.find_modules_directly_imported_by(m) & (screens - {m})
        assert others <= shared, f"{m} imports {sorted(others - shared)}: ask the app for a step instead"


def test_the_flow_table_names_every_screen_and_leads_somewhere():
    import importlib
    import pkgutil

    import installment_tui.kiosk.screens as pkg

    classes = set()
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{SCREENS}.{info.name}")
        for value in vars(module).values():
            own = isinstance(value, type) and value.__module__ == module.__name__
            if own and issubclass(value, KioskScreen) and value is not KioskScreen:
                classes.add(value)
    assert classes == {rule.screen for rule in FLOW.values()}
    assert set(FLOW) == set(Step)
    for step, rule in FLOW.items():
        if rule.next is not None:
            assert next_step(step) in FLOW
        if rule.back is not None:
            assert back_step(step) in FLOW
    with pytest.raises(LookupError):
        next_step(Step.DONE)
