"""Affordability verdicts told apart by colour, symbol and word (never colour alone)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static
from plans.vocabulary import Verdict

#: verdict -> (symbol, style)
VERDICT_LOOK: dict[str | None, tuple[str, str]] = {
    Verdict.AFFORDABLE: ("✔", "bold green"),
    Verdict.TIGHT: ("▲", "bold yellow"),
    Verdict.UNAFFORDABLE: ("✘", "bold red"),
    None: ("·", "dim"),
}


def verdict_text(verdict: str | None, word: str) -> Text:
    """``✔ affordable`` in green, ``▲ tight`` in yellow, ``✘ unaffordable`` in red."""
    symbol, style = VERDICT_LOOK.get(verdict, VERDICT_LOOK[None])
    return Text(f"{symbol} {word}", style=style)


class VerdictBadge(Static):
    """A verdict as a badge; set ``verdict`` and ``word`` (the translated verdict)."""

    DEFAULT_CSS = """
    VerdictBadge { width: auto; padding: 0 1; }
    VerdictBadge.-affordable { background: $success 20%; }
    VerdictBadge.-tight { background: $warning 20%; }
    VerdictBadge.-unaffordable { background: $error 20%; }
    """

    # layout=True: the badge is ``width: auto``, so a longer word (another language) must widen it.
    verdict: reactive[str | None] = reactive(None, layout=True)
    word: reactive[str] = reactive("", layout=True)

    def render(self) -> Text:
        return verdict_text(self.verdict, self.word)

    def watch_verdict(self, old: str | None, new: str | None) -> None:
        self.remove_class(f"-{old}")
        if new:
            self.add_class(f"-{new}")
