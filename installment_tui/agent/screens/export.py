"""Preview and export the summary of one offer: receipt and SMS text side by side; PDF, HTML,
receipt and SMS files written to the output folder (atomically) in a worker, and audited.

Every export passes the message checker first (``plans.conduct.messages``, with the policy's
rules): the SMS text and the receipt as they are, a PDF or HTML summary as the same summary in
plain text.  One that fails is not written; the screen names the rule and the phrase, and the
refusal is audited (``summary.blocked``)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Label, Static

from installment_tui.widgets.footer import TranslatedFooter
from plans import files
from plans.text.sanitize import clean, safe_name

from .base import AgentScreen

EXTENSIONS = {"pdf": "pdf", "html": "html", "receipt": "txt", "sms": "sms.txt"}


def export_path(out_dir: Path, ref: str | None, offer_id: str, lang: str, fmt: str) -> Path:
    """Where an export goes: always directly in ``out_dir``, named from the reference made safe
    (``../x/y`` cannot leave the folder or make one)."""
    stem = safe_name(f"{ref or 'offer'}-{offer_id[:11]}-{lang}")
    return out_dir / f"{stem}.{EXTENSIONS[fmt]}"


def write_atomic(path: Path, data: str | bytes) -> Path:
    files.make_dir(path.parent)  # the --out folder (never one named by data)
    return files.write_atomic(path, data)


class ExportScreen(AgentScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="export.back"),
        Binding("p", "export('pdf')", "PDF", id="export.pdf"),
        Binding("h", "export('html')", "HTML", id="export.html"),
        Binding("r", "export('receipt')", "Receipt", id="export.receipt"),
        Binding("s", "export('sms')", "SMS text", id="export.sms"),
    ]

    def __init__(self, offer, start_with: str = "receipt") -> None:
        super().__init__()
        self.offer = offer
        self.start_with = start_with
        self.written: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="export-body"):
            yield Label("", id="export-title", classes="section")
            with Horizontal(id="export-previews"):
                with VerticalScroll(id="receipt-box"):
                    yield Static("", id="receipt-preview", markup=False)
                with Vertical(id="sms-box"):
                    yield Label("", id="sms-title", classes="section")
                    yield Static("", id="sms-preview", markup=False)
                    yield Static("", id="sms-length")
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        self.query_one("#receipt-box").focus()
        if self.start_with in ("pdf", "html", "sms"):
            self.action_export(self.start_with)

    def action_back(self) -> None:
        self.app.pop_screen()

    def summary(self):
        from plans.summary import from_offer

        s = self.session
        return from_offer(self.offer, s.policy, summary_date=s.today)

    def apply_language(self) -> None:
        from plans.summary import render, sms_length

        lang = self.app.lang
        self.query_one("#export-title", Label).update(
            self.t(
                "Summary for {ref} — P: PDF, H: HTML, R: receipt, S: SMS text; files go to {folder}",
                ref=escape(clean(self.offer.case.ref or "")),
                folder=escape(str(self.app.out_dir)),
            )
        )
        self.query_one("#sms-title", Label).update(self.t("SMS text"))
        try:
            summary = self.summary()
            self.query_one("#receipt-preview", Static).update(render([summary], "receipt", lang, width=42))
            sms = render([summary], "sms", lang).strip()
        except Exception as exc:  # noqa: BLE001 - shown where it happened
            self.show_error(exc)
            return
        self.query_one("#sms-preview", Static).update(sms)
        n = sms_length(sms)
        self.query_one("#sms-length", Static).update(
            Text(
                self.t(
                    "{chars} characters, {segments} SMS segments ({encoding})",
                    chars=n.characters,
                    segments=n.segments,
                    encoding=n.encoding,
                ),
                style="dim",
            )
        )

    def action_export(self, fmt: str) -> None:
        from plans.summary import render

        s = self.session
        offer, lang, out_dir = self.offer, self.app.lang, self.app.out_dir

        def job() -> Path:
            from plans.conduct.messages import MessageBlocked, check_message

            summary = self.summary()
            data = render([summary], fmt, lang, width=42 if fmt == "receipt" else None)
            text = data if isinstance(data, str) and fmt in ("sms", "receipt") else render([summary], "text", lang)
            # (PDF, HTML: checked as text)
            findings = check_message(text, lang, s.policy)
            if findings:
                s.store.audit(
                    "summary.blocked",
                    "offer",
                    offer.id,
                    None,
                    {
                        "format": fmt,
                        "lang": lang,
                        "account_ref": offer.case.ref,
                        "rules": sorted({f.rule for f in findings}),
                    },
                )
                raise MessageBlocked(findings)
            path = write_atomic(export_path(out_dir, offer.case.ref, offer.id, lang, fmt), data)
            s.store.audit(
                "summary.export",
                "offer",
                offer.id,
                None,
                {"format": fmt, "lang": lang, "file": path.name, "account_ref": offer.case.ref},
            )
            return path

        def done(path: Path) -> None:
            self.written.append(path)
            self.show_status(self.t("Written: {path}", path=str(path)))

        self.show_status(self.t("Writing {fmt}…", fmt=fmt.upper()))
        self.run_job(f"export-{fmt}", job, done)

    def show_error(self, exc) -> None:
        from plans.conduct.messages import MessageBlocked
        from plans.conduct.words import MESSAGE_CATEGORIES, name

        if isinstance(exc, MessageBlocked):
            findings, f = exc.findings, exc.findings[0]
            exc = self.t(
                "Not written: the text breaks the conduct rule {rule} ({category}): “{quote}”. "
                "Tell a supervisor; the wording must be changed.",
                rule=f.rule,
                category=name(MESSAGE_CATEGORIES, self.t, f.category),
                quote=f.quote,
            )
            if len(findings) > 1:
                exc += " " + self.t("({n} more)", n=len(findings) - 1)
        super().show_error(exc)
