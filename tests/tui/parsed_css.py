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


def _parse_once(
    stylesheet: Stylesheet, css: str, read_from, is_default_rules: bool = False, tie_breaker: int = 0, scope: str = ""
) -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(stylesheet._variables.items())))
    rules = _parsed.get(key)
    if rules is None:
        rules = _parsed[key] = _parse_for_one_app(stylesheet, css, read_from, is_default_rules, tie_breaker, scope)
    return rules


def install() -> None:
    Stylesheet._parse_rules = _parse_once
