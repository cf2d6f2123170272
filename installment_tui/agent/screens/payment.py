"""Record a payment to the account's agreement: amount, date (today unless typed), how it was paid and
the payment's reference (made up when left empty).  Saved and audited; a bad field is marked and named."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from plans.servicing.vocabulary import Channel
from plans.summary.servicing_words import CHANNEL_NAMES, name

from .. import texts
from .base import AgentModal

FIELDS = ("amount", "paid_on", "channel", "reference")
#: Enter in a field moves on to the next one (past the choice of channel, which Tab reaches).
NEXT = {"amount": "paid_on", "paid_on": "reference"}


class PaymentScreen(AgentModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save payment", id="payment.save"),
        Binding("escape", "close", "Close", id="payment.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="payment-box", classes="dialog"):
            yield Label("", id="payment-title", classes="section")
            for field in FIELDS:
                with Horizontal(classes="payment-row", id=f"{field}-row"):
                    yield Label("", id=f"{field}-label", classes="payment-label")
                    if field == "channel":
                        yield Select(
                            self._channels(), value=str(Channel.BANK_TRANSFER), allow_blank=False, id="channel"
                        )
                    else:
                        yield Input(
                            id=field,
                            max_length=64,
                            placeholder=self.t(texts.DATE_PLACEHOLDER) if field == "paid_on" else "",
                        )
            yield Static("", id="status")

    def _channels(self) -> list[tuple[str, str]]:
        return [(name(CHANNEL_NAMES, self.t, c), str(c)) for c in Channel]

    def on_mount(self) -> None:
        self.query_one("#paid_on", Input).value = self.session.today.isoformat()
        self.query_one("#amount", Input).focus()

    def apply_language(self) -> None:
        t = self.t
        view = self.session.agreement
        self.query_one("#payment-title", Label).update(
            t("Record a payment to agreement {n} — Ctrl+S saves, Esc closes", n=view.id if view else "-")
        )
        for field, label in (
            ("amount", t("Amount ({currency})", currency=view.currency if view else "")),
            ("paid_on", t("Paid on")),
            ("channel", t("How it was paid")),
            ("reference", t("Reference (optional)")),
        ):
            self.query_one(f"#{field}-label", Label).update(label)
        select = self.query_one("#channel", Select)
        value = select.value
        select.set_options(self._channels())
        select.value = value

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        following = NEXT.get(event.input.id or "")
        if following:
            self.query_one(f"#{following}", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        s = self.session
        values = {f: self.query_one(f"#{f}", Input).value for f in ("amount", "paid_on", "reference")}
        channel = str(self.query_one("#channel", Select).value)
        for f in FIELDS:
            self.query_one(f"#{f}-row").remove_class("-invalid")
        self.run_job(
            "payment",
            lambda: s.record_payment(values["amount"], values["paid_on"], channel, values["reference"]),
            self.dismiss,
        )

    def show_error(self, exc) -> None:
        """The error on the status line, its field marked and focused."""
        field = getattr(exc, "field", None)
        if field in FIELDS:
            self.query_one(f"#{field}-row").add_class("-invalid")
            self.query_one(f"#{field}").focus()
        super().show_error(exc)

    def action_close(self) -> None:
        self.dismiss(None)
