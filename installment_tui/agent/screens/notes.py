"""Call notes: what was said or agreed, saved with who and when.  Unsaved text is kept per account."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static, TextArea

from installment_tui.times import local_time
from installment_tui.widgets.footer import TranslatedFooter
from plans.text.sanitize import clean

from .. import texts
from .base import AgentModal


class NotesScreen(AgentModal[bool]):
    AUTO_FOCUS = "#note"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="notes.save"),
        Binding("escape", "close", "Close", id="notes.close"),
    ]

    def compose(self) -> ComposeResult:
        s = self.session
        with Vertical(id="notes-box", classes="dialog"):
            yield Label("", id="notes-heading", classes="section")
            yield TextArea(s.note_drafts.get(s.open_account.ref, ""), id="note", soft_wrap=True)
            yield Static("", id="note-warning")
            yield Static("", id="status")
            with VerticalScroll(id="notes-list"):
                yield Static("", id="notes-earlier")
        yield TranslatedFooter()

    def apply_language(self) -> None:
        s = self.session
        self.query_one("#notes-heading", Label).update(
            self.t(
                "Call notes for {ref} — Ctrl+S saves, Esc closes (the text is kept)",
                ref=escape(clean(s.open_account.ref)),
            )
        )
        from rich.text import Text

        earlier = Text()
        for n in reversed(s.notes):
            role = self.t(texts.AUTHORITIES.get(n.role, n.role))
            when = local_time(n.created_at, s.policy.conduct.time_zone)
            earlier.append(f"{when}  {clean(n.actor)} ({role})\n", style="dim")
            earlier.append(clean(n.text, multiline=True) + "\n\n")
        if not s.notes:
            earlier.append(self.t("No notes yet."), style="dim")
        self.query_one("#notes-earlier", Static).update(earlier)

    @on(TextArea.Changed, "#note")
    def _keep(self, event: TextArea.Changed) -> None:
        s = self.session
        s.note_drafts[s.open_account.ref] = event.text_area.text
        self.warn(event.text_area.text)

    def warn(self, text: str) -> tuple:
        """Call notes are checked against the conduct rules: a warning, never a block."""
        from ..contact import ContactDesk
        from .contact_texts import warning_text

        findings = ContactDesk(self.session).check_note(text, self.app.lang)
        self.query_one("#note-warning", Static).update(warning_text(findings, self.t))
        return findings

    def action_save(self) -> None:
        text = self.query_one("#note", TextArea).text
        session = self.session

        findings = self.warn(text)

        def done(_note) -> None:
            self.query_one("#note", TextArea).text = ""
            session.note_drafts.pop(session.open_account.ref, None)
            self.apply_language()
            if findings:
                self.show_status(
                    self.t(
                        "Note saved, with a warning: it records phrases the conduct rules forbid saying to a debtor."
                    )
                )
            else:
                self.show_status(self.t("Note saved."))

        self.run_job("note", lambda: session.add_note(text), done)

    def action_close(self) -> None:
        self.dismiss(True)
