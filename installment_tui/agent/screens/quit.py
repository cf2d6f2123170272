"""Quitting with unsaved work: the console lists it and asks Save / Discard / Cancel.

Save saves each piece (:func:`installment_tui.agent.unsaved.save_work`) and quits when all
of it is saved; a piece that cannot be saved stays, with why, and the console stays open.
Discard quits without saving; Cancel (or Esc) goes back to the call.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Button, Label, Static

from plans.text.sanitize import clean

from ..texts import N_
from ..unsaved import Unsaved, save_work, unsaved_work
from .base import AgentModal

WHAT = {
    "note": N_("{ref}: an unsaved call note"),
    "profile": N_("{ref}: an unsaved hardship profile"),
    "terms": N_("{ref}: negotiated terms not saved as an offer"),
}


class QuitScreen(AgentModal[None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="quit.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.failed: dict[Unsaved, Exception] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box", classes="dialog"):
            yield Label("", id="quit-title", classes="section")
            yield Static("", id="quit-list")
            with Horizontal(id="quit-buttons"):
                yield Button("", id="quit-save", variant="primary")
                yield Button("", id="quit-discard", variant="error")
                yield Button("", id="quit-cancel")
            yield Static("", id="status")

    def on_mount(self) -> None:
        self.query_one("#quit-save", Button).focus()

    @property
    def work(self) -> list[Unsaved]:
        return unsaved_work(self.app.session)

    def apply_language(self) -> None:
        t = self.t
        self.query_one("#quit-title", Label).update(t("Quit the console? This is not saved yet:"))
        lines = []
        for w in self.work:
            line = "• " + t(WHAT[w.kind], ref=clean(w.ref))
            if w in self.failed:
                line += "\n  ✘ " + t("not saved: {why}", why=clean(self.error_text(self.failed[w])))
            lines.append(escape(line))
        self.query_one("#quit-list", Static).update("\n".join(lines))
        self.query_one("#quit-save", Button).label = t("Save and quit")
        self.query_one("#quit-discard", Button).label = t("Discard and quit")
        self.query_one("#quit-cancel", Button).label = t("Cancel")

    @on(Button.Pressed, "#quit-save")
    def _save(self) -> None:
        session = self.session
        work = self.work

        def done(failed) -> None:
            self.failed = failed
            if not failed:
                self.app.exit()
                return
            self.apply_language()
            self.show_error(
                self.t("{n} of {total} could not be saved; the console stays open.", n=len(failed), total=len(work))
            )

        self.run_job("quit-save", lambda: save_work(session, work), done)

    @on(Button.Pressed, "#quit-discard")
    def _discard(self) -> None:
        self.app.exit()

    @on(Button.Pressed, "#quit-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["QuitScreen"]
