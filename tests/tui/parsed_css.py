"""Console tests parse each stylesheet once per test process, not once per app.

A console test starts an app of its own, and every app parses the CSS of the app and of every widget class
it shows (Textual keeps what it parsed for the life of one app only): about 6 % of the console tests' CPU.
:func:`install` keeps what was parsed for the whole test process, under the same key Textual uses within
one app plus the stylesheet's variables (the theme's colours), which Textual leaves out of its key because
it forgets what it parsed when they change.  The rules are what parsing the same text with the same
variables gives; Textual already reuses them within an app when it parses again.  The consoles themselves
are untouched (one app a process).  ``tests/tui/test_parsed_css.py`` checks that apps of different themes
still get their own colours.
"""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

_parse_for_one_app = Stylesheet._parse_rules
_parsed: dict[tuple, list[RuleSet]] = {}
#: Each different set of variables, numbered; and the number of each variables dict met (kept, so that its
#: ``id`` is not reused): sorting and hashing some 150 variables for every stylesheet parsed was itself 2 % of
#: the console tests' CPU.
_variable_sets: dict[tuple, int] = {}
_numbered: dict[int, tuple[dict, int]] = {}


def _variables_number(stylesheet: Stylesheet) -> int:
    variables = stylesheet._variables  # replaced, never changed in place (Stylesheet.set_variables)
    known = _numbered.get(id(variables))
    if known is None or known[0] is not variables:
        number = _variable_sets.setdefault(tuple(sorted(variables.items())), len(_variable_sets))
        known = _numbered[id(variables)] = (variables, number)
    return known[1]


def _parse_once(
    stylesheet: Stylesheet, css: str, read_from, is_default_rules: bool = False, tie_breaker: int = 0, scope: str = ""
) -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_number(stylesheet))
    rules = _parsed.get(key)
    if rules is None:
        rules = _parsed[key] = _parse_for_one_app(stylesheet, css, read_from, is_default_rules, tie_breaker, scope)
    return rules


def install() -> None:
    Stylesheet._parse_rules = _parse_once
