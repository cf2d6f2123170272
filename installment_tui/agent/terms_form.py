"""The negotiation fields: "the debtor can pay", months, down payment, first due date, remainder,
step tiers, and a waiver per debt bucket.

The form keeps the text exactly as typed and posts :class:`TermsForm.Changed` for
every edit; the workspace recomputes and hands back the field errors with
:meth:`TermsForm.show_errors`, shown beside (below) each field.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select

from calc.debt import BUCKETS
from calc.money import format_amount, parse_amount
from calc.numerals import COMMA_ADVICE
from calc.terms import ABSOLUTE_MAX_MONTHS
from installment_tui.faults import KeepRunning
from installment_tui.widgets.field import ValidatedField

from . import texts
from .session import TermsDraft

TERM_LABELS = {
    "pay": "Can pay / month",
    "months": "Months",
    "down": "Down payment",
    "first_due": "First due date",
    "tiers": "Step tiers",
}
TERM_PLACEHOLDERS = {
    "pay": "1500.00",
    "months": "24",
    "down": "10% / 500",
    "first_due": texts.DATE_PLACEHOLDER,  # shown translated (relabel)
    "tiers": "6x200, 6x500",
}


def _no_check(_: str) -> None:
    return None


class TermsForm(KeepRunning, Vertical):
    @dataclass
    class Changed(Message):
        form: "TermsForm"
        name: str
        value: str

        @property
        def control(self) -> "TermsForm":
            return self.form

    def __init__(
        self,
        draft: TermsDraft,
        remainder_default: str,
        currency: str = "CNY",
        *,
        compact: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        # Composed compact when the screen already is narrow: making them compact at the first resize
        # restyled every input, 8 % of the CPU of opening an account at 80x24.
        self._compact = compact
        self.draft = draft
        self.remainder_default = remainder_default
        self.currency = currency

    def placeholder(self, name: str) -> str:
        """The field's example, with the account currency's decimals (none for JPY)."""

        def amount(text: str) -> str:
            return format_amount(parse_amount(text, self.currency, name), self.currency)

        if name == "pay":
            return amount("1500")
        if name == "down":
            return f"10% / {amount('500')}"
        if name == "tiers":
            return f"6x{amount('200')}, 6x{amount('500')}"
        return TERM_PLACEHOLDERS[name]

    def compose(self) -> ComposeResult:
        d = self.draft
        with Grid(id="terms-grid"):
            for name in ("pay", "months", "down", "first_due"):
                yield ValidatedField(
                    name,
                    TERM_LABELS[name],
                    _no_check,
                    getattr(d, name),
                    placeholder=self.placeholder(name),
                    classes="-stacked",
                    compact=self._compact,
                )
            with Vertical(id="remainder-box", classes="stacked-select"):
                yield Label("", id="remainder-label", classes="field--label")
                yield Select(
                    [(k, k) for k in texts.REMAINDERS],
                    value=d.remainder or self.remainder_default,
                    allow_blank=False,
                    id="remainder",
                    compact=self._compact,
                )
            yield ValidatedField(
                "tiers",
                TERM_LABELS["tiers"],
                _no_check,
                d.tiers,
                placeholder=self.placeholder("tiers"),
                classes="-stacked",
                compact=self._compact,
            )
        yield Label("", id="waivers-label", classes="subsection")
        with Grid(id="waivers-grid"):
            for bucket in BUCKETS:
                yield ValidatedField(
                    f"waive.{bucket}",
                    bucket,
                    _no_check,
                    d.waiver(bucket),
                    placeholder="0",
                    classes="-stacked",
                    compact=self._compact,
                )

    def relabel(self, t) -> None:
        for name, label in TERM_LABELS.items():
            self.field(name).label = t(label)
        for bucket in BUCKETS:
            self.field(f"waive.{bucket}").label = t(texts.BUCKETS[bucket])
        self.query_one("#waivers-label", Label).update(t("Waivers (amount, or % of the bucket)"))
        self.query_one("#remainder-label", Label).update(t("Remainder in"))
        self.field("first_due").query_one(Input).placeholder = t(texts.DATE_PLACEHOLDER)
        select = self.query_one("#remainder", Select)
        value = select.value
        with self.prevent(Select.Changed):
            select.set_options([(t(label), key) for key, label in texts.REMAINDERS.items()])
            # Select keeps the old prompt when the value is unchanged: move off it and back.
            others = [k for k in texts.REMAINDERS if k != value]
            select.value = others[0]
            select.value = value

    def set_compact(self, compact: bool) -> None:
        """One-row inputs without borders (an 80x24 terminal), so the offers stay on screen."""
        for widget in self.query("Input, Select"):
            widget.compact = compact  # type: ignore[attr-defined]

    def field(self, name: str) -> ValidatedField:
        return self.query_one(f"#field-{name.replace('.', '-')}", ValidatedField)

    def load(self, draft: TermsDraft) -> None:
        """Show ``draft`` (e.g. the terms of a generated offer) without posting changes."""
        self.draft = draft
        with self.prevent(Input.Changed, Select.Changed):
            for name in ("pay", "months", "down", "first_due", "tiers"):
                self.field(name).value = getattr(draft, name)
            for bucket in BUCKETS:
                self.field(f"waive.{bucket}").value = draft.waiver(bucket)
            self.query_one("#remainder", Select).value = draft.remainder or self.remainder_default

    def set_value(self, name: str, value: str) -> None:
        """Type ``value`` into field ``name`` (posts a change like typing would)."""
        self.field(name).value = value

    def show_errors(self, errors: dict[str, str], t, lang: str, hints: dict[str, str] | None = None) -> None:
        hints = hints or {}
        for f in self.query(ValidatedField):
            name = f.field_name
            message = errors.get(name)
            if message is None:
                f.error = None
                f.hint = hints.get(name, "")
                continue
            key = "waive" if name.startswith("waive.") else name
            allowed = t(texts.FIELD_HELP[key], n=ABSOLUTE_MAX_MONTHS) if key in texts.FIELD_HELP else ""
            if lang == "en":
                f.error = f"✘ {message}"
            elif COMMA_ADVICE in message:  # a decimal comma (12,50): the advice itself, translated
                f.error = f"✘ {t(texts.COMMA_HELP)}"
            else:
                f.error = f"✘ {t('should be')} {allowed}"

    @on(ValidatedField.Changed)
    def _field_changed(self, event: ValidatedField.Changed) -> None:
        event.stop()
        if event.value == self.draft.field(event.name):
            return  # a field reporting the text it was made with (Textual posts it once mounted): no edit
        self.draft = self.draft.with_field(event.name, event.value)
        self.post_message(self.Changed(self, event.name, event.value))

    @on(Select.Changed, "#remainder")
    def _remainder_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = "" if event.value is Select.NULL else str(event.value)
        if value == (self.draft.remainder or self.remainder_default):
            return  # the select reporting the value it shows (once mounted, after relabelling): no edit
        self.draft = self.draft.with_field("remainder", value)
        self.post_message(self.Changed(self, "remainder", value))
