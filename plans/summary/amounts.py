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
    """:func:`runs_text` with the wording looked up once (a batch of letters words thousands of plans)."""

    __slots__ = ("money", "run", "then", "between")

    def __init__(self, t: Translate, money) -> None:
        self.money = money
        self.run = t("{amount} x {count}").format
        self.then = t("{before}, then {after}").format
        self.between = t("between {low} and {high} (see the schedule)").format

    def __call__(self, runs: tuple) -> str:
        money = self.money
        if len(runs) > MAX_RUNS:
            amounts = [a for a, _ in runs]
            return self.between(low=money(min(amounts)), high=money(max(amounts)))
        text = ""
        for amount, count in runs:
            run = self.run(amount=money(amount), count=count)
            text = run if not text else self.then(before=text, after=run)
        return text


def installments_cells(s: Summary, t: Translator, f: Formats, rows: int) -> list[str]:
    """The same, one run per cell (``rows`` cells, "" beyond the plan's runs), for a comparison
    table whose columns must stay narrow; a plan of more runs gives its smallest and largest."""
    m = lambda v: f.money(v, s.currency)  # noqa: E731
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
