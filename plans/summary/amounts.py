"""How a summary words the amounts of a plan's installments: from the schedule, never a guess.

A level plan is one amount.  Any other plan is told as runs of equal amounts, in due
order ("¥100.00 x 14, then ¥3,749.95 x 10" for a step plan; "¥416.86 x 1, then
¥416.82 x 11" for a remainder put into the first installment).  A plan of more runs
than a reader can follow (a fee on the declining balance changes every installment)
is told by its smallest and largest installment, with a pointer to the schedule.
Every amount these words print is one the schedule charges
(``tests/test_summary_amounts.py`` checks it over random plans in every language).
"""

from __future__ import annotations

from plans.text.formatting import Formats
from plans.text.i18n import Translate, Translator
from plans.text.templates import bare, field, percent

from .model import Summary

#: Beyond this many runs, the smallest and the largest installment instead of every run.
MAX_RUNS = 3


def installments_text(s: Summary, t: Translator, f: Formats) -> str:
    """The installments' amounts in words: ``"¥100.00 x 14, then ¥3,749.95 x 10"``."""
    return runs_text(s.runs, t, lambda v: f.money(v, s.currency))


def runs_text(runs: tuple, t: Translate, money) -> str:
    """Runs of equal amounts (``Summary.runs``) in words, amounts by ``money`` (minor units -> text)."""
    return RunsWording(t, money)(runs)


class RunsWording:
    """:func:`runs_text` with the wording looked up once (a batch of letters words thousands of plans).

    Up to :data:`MAX_RUNS` runs, the words for each number of runs are laid out once as a ``%``
    template (:mod:`plans.text.templates`) when the catalog's two messages allow it (bare fields), and
    filled with the amounts and counts; :meth:`words` is the same wording made message by message."""

    __slots__ = ("money", "run", "then", "between", "forms", "two", "messages")

    def __init__(self, t: Translate, money) -> None:
        self.money = money
        run, then = t("{amount} x {count}"), t("{before}, then {after}")
        between = t("between {low} and {high} (see the schedule)")
        #: The catalog's messages the words are made of (with the amounts and the counts).
        self.messages = (run, then, between)
        self.run, self.then, self.between = run.format, then.format, between.format
        self.forms = _run_forms(run, then)
        #: The template of two runs when its values are in their natural order (most plans have two runs:
        #: a remainder, or a step), filled without laying out a list of values first.
        self.two = self.forms[1][0] if self.forms is not None and self.forms[1][1] is None else None

    def __call__(self, runs: tuple) -> str:
        if len(runs) == 2 and self.two is not None:
            (a0, c0), (a1, c1) = runs
            money = self.money
            return self.two % (money(a0), c0, money(a1), c1)
        forms = self.forms
        if forms is None or not 0 < len(runs) <= MAX_RUNS:
            return self.words(runs)
        template, order = forms[len(runs) - 1]
        money = self.money
        flat: list = []
        for amount, count in runs:
            flat += (money(amount), count)
        return template % (tuple(flat) if order is None else tuple([flat[i] for i in order]))

    def words(self, runs: tuple) -> str:
        """The same words, each message formatted (what the prepared forms stand for)."""
        money = self.money
        if len(runs) > MAX_RUNS:
            amounts = [a for a, _ in runs]
            return self.between(low=money(min(amounts)), high=money(max(amounts)))
        text = ""
        for amount, count in runs:
            run = self.run(amount=money(amount), count=count)
            text = run if not text else self.then(before=text, after=run)
        return text


def _run_forms(run: str, then: str) -> tuple | None:
    """For 1..MAX_RUNS runs: ``(template, order)``, the words of that many runs as a ``%`` template
    whose values are the amounts (text) and counts ``a0, c0, a1, c1...`` (``order``: None) or those
    picked in ``order``; None when a message's fields are not bare (then each is formatted)."""
    if not (bare(run, {"amount", "count"}) and bare(then, {"before", "after"})):
        return None
    forms, text = [], ""
    for i in range(MAX_RUNS):
        one = run.format(amount=field(f"a{i}"), count=field(f"c{i}"))
        text = one if not text else then.format(before=text, after=one)
        template, names = percent(text)
        natural = [f"{x}{k}" for k in range(i + 1) for x in "ac"]
        forms.append((template, None if list(names) == natural else tuple(natural.index(x) for x in names)))
    return tuple(forms)


def installments_cells(s: Summary, t: Translator, f: Formats, rows: int) -> list[str]:
    """The same, one run per cell (``rows`` cells, "" beyond the plan's runs), for a comparison
    table whose columns must stay narrow; a plan of more runs gives its smallest and largest."""
    m = lambda v: f.money(v, s.currency)
    runs = s.runs
    if len(runs) > MAX_RUNS:
        amounts = [a for a, _ in runs]
        cells = [t("from {amount}", amount=m(min(amounts))), t("to {amount}", amount=m(max(amounts)))]
    else:
        cells = [t("{amount} x {count}", amount=m(a), count=n) for a, n in runs]
    return cells + [""] * (rows - len(cells))


def runs_shown(s: Summary) -> int:
    """How many cells :func:`installments_cells` needs for ``s``."""
    return 2 if len(s.runs) > MAX_RUNS else len(s.runs)
