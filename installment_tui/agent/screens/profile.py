"""The hardship profile form: household, income, essential spending, other debts, savings,
reason, expected recovery and the income expected from then on.  Every field validates as you type and says what is wrong
beside it; unsaved text is kept per account when the form is closed.  Ctrl+S saves a new
profile version (never overwriting an old one) and the offers are computed again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from calc.affordability import HARDSHIP_REASONS, MAX_HOUSEHOLD, SPENDING_CATEGORIES, Profile
from calc.dates import parse_date
from calc.errors import InvalidInput
from calc.money import format_amount, parse_amount
from calc.numerals import NumberFormatError, parse_whole
from installment_tui.widgets.field import ValidatedField

from installment_tui.widgets.footer import TranslatedFooter
from plans.text.sanitize import clean

from .. import present, texts
from ..profile_values import profile_from_values, saved_values
from .base import AgentModal


class ProfileScreen(AgentModal[int | None]):
    AUTO_FOCUS = "#field-adults-input"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save profile", id="profile.save"),
        Binding("escape", "close", "Close", id="profile.close"),
    ]

    # -- initial values -------------------------------------------------------------
    def _values(self) -> dict[str, str]:
        """What the form shows: the account's unsaved draft, else the saved profile."""
        s = self.session
        if not hasattr(self, "_shown"):
            self._shown = dict(s.profile_drafts.get(s.open_account.ref) or saved_values(s))
        return self._shown

    # -- checks (return the message shown beside the field) ------------------------------
    def _count(self, lo: int):
        def check(text: str) -> str | None:
            try:
                parse_whole(text, "count", lo, MAX_HOUSEHOLD)
            except InvalidInput:
                return "✘ " + self.t("a whole number from {lo} to {hi}", lo=lo, hi=MAX_HOUSEHOLD)
            return None

        return check

    def _amount(self, text: str) -> str | None:
        if not text.strip():
            return None
        try:
            parse_amount(text.strip(), self.session.open_account.currency, "amount")
        except NumberFormatError as exc:
            if exc.comma:
                return "✘ " + self.t(texts.COMMA_HELP)
            return "✘ " + self.t("an amount such as 1200 or 1200.50, not negative")
        except InvalidInput:
            return "✘ " + self.t("an amount such as 1200 or 1200.50, not negative")
        return None

    def _date(self, text: str) -> str | None:
        if not text.strip():
            return None
        try:
            parse_date(text.strip(), "recovery_date")
        except InvalidInput:
            return "✘ " + self.t("a date as YYYY-MM-DD, or empty")
        return None

    def _after(self, text: str) -> str | None:
        """The income after recovery: an amount, and only with a recovery date."""
        bad = self._amount(text)
        if bad is not None or not text.strip():
            return bad
        if not self._values().get("recovery_date", "").strip():
            return "✘ " + self.t("give the expected recovery date too")
        return None

    def compose(self) -> ComposeResult:
        v = self._values()
        t = self.t
        zero = format_amount(0, self.session.open_account.currency)  # "0.00", or "0" for a currency without decimals
        with Vertical(id="profile-box", classes="dialog"):
            yield Label("", id="profile-title", classes="section")
            with VerticalScroll(id="profile-scroll"):
                with Grid(id="profile-grid"):
                    with Vertical(id="profile-left"):
                        yield ValidatedField("adults", "", self._count(1), v["adults"])
                        yield ValidatedField("children", "", self._count(0), v["children"])
                        with Horizontal(classes="select-row"):
                            yield Label("", id="region-label", classes="field--label")
                            regions = [r.name for r in self.session.policy.regions]
                            if v["region"] and v["region"] not in regions:
                                regions.append(v["region"])
                            policy, lang = self.session.policy, self.app.lang
                            self._region_keys = regions
                            yield Select(
                                [(present.region_name(policy, r, self.t, lang), r) for r in regions],
                                value=v["region"] or Select.NULL,
                                id="region",
                            )
                        for key in [k for k in v if k.startswith("income.")]:
                            yield ValidatedField(key, "", self._amount, v[key], placeholder=zero)
                        yield ValidatedField(
                            "other_debt_payments", "", self._amount, v["other_debt_payments"], placeholder=zero
                        )
                        yield ValidatedField("savings", "", self._amount, v["savings"], placeholder=zero)
                        with Horizontal(classes="select-row"):
                            yield Label("", id="reason-label", classes="field--label")
                            yield Select(
                                [(t(texts.HARDSHIP[r]), r) for r in HARDSHIP_REASONS],
                                value=v["hardship_reason"] or Select.NULL,
                                id="hardship_reason",
                            )
                        yield ValidatedField(
                            "recovery_date",
                            "",
                            self._date,
                            v["recovery_date"],
                            placeholder=self.t(texts.DATE_PLACEHOLDER),
                        )
                        yield ValidatedField(
                            "income_after_recovery", "", self._after, v["income_after_recovery"], placeholder=zero
                        )
                    with Vertical(id="profile-right"):
                        for cat in SPENDING_CATEGORIES:
                            yield ValidatedField(
                                f"spending.{cat}", "", self._amount, v[f"spending.{cat}"], placeholder=zero
                            )
            yield Static("", id="status")
        yield TranslatedFooter()

    def apply_language(self) -> None:
        self.query_one("#field-recovery_date-input", Input).placeholder = self.t(texts.DATE_PLACEHOLDER)
        t = self.t
        self.query_one("#profile-title", Label).update(
            t(
                "Hardship profile of {ref} — Ctrl+S saves a new version, Esc closes (what you typed is kept)",
                ref=escape(clean(self.session.open_account.ref)),
            )
        )
        labels = {
            "adults": t("Adults"),
            "children": t("Children"),
            "other_debt_payments": t("Other debts / month"),
            "savings": t("Savings now"),
            "recovery_date": t("Expected recovery"),
            "income_after_recovery": t("Income after recovery / month"),
        }
        for f in self.query(ValidatedField):
            name = f.field_name
            if name.startswith("income."):
                src = name.split(".", 1)[1]
                f.label = t(texts.INCOME[src]) if src in texts.INCOME else clean(src).replace("_", " ")
            elif name.startswith("spending."):
                f.label = t(texts.SPENDING[name.split(".", 1)[1]])
            else:
                f.label = labels[name]
            f.revalidate()
        self.query_one("#region-label", Label).update(t("Region"))
        region = self.query_one("#region", Select)
        chosen = region.value
        with self.prevent(Select.Changed):  # the region names in the new language
            policy = self.session.policy
            region.set_options([(present.region_name(policy, r, t, self.app.lang), r) for r in self._region_keys])
            if chosen is not Select.NULL:
                region.value = chosen
        self.query_one("#reason-label", Label).update(t("Hardship reason"))
        reason = self.query_one("#hardship_reason", Select)
        value = reason.value
        with self.prevent(Select.Changed):
            reason.set_options([(t(texts.HARDSHIP[r]), r) for r in HARDSHIP_REASONS])
            if value is not Select.NULL:
                reason.value = next(r for r in HARDSHIP_REASONS if r != value)
            reason.value = value

    def _keep(self, name: str, value: str) -> None:
        """Keep what was typed as the account's draft, or drop the draft when it matches the saved profile."""
        s = self.session
        values = self._values()
        values[name] = value
        if values == saved_values(s):
            s.profile_drafts.pop(s.open_account.ref, None)
        else:
            s.profile_drafts[s.open_account.ref] = values

    def on_validated_field_changed(self, event: ValidatedField.Changed) -> None:
        self._keep(event.name, event.value)
        if event.name == "recovery_date":  # the income after recovery needs one: check it again
            self.query_one("#field-income_after_recovery", ValidatedField).revalidate()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id:
            self._keep(event.select.id, "" if event.value is Select.NULL else str(event.value))

    def build(self) -> Profile:
        return profile_from_values(self._values(), self.session.open_account.currency)

    def action_save(self) -> None:
        bad = [f for f in self.query(ValidatedField) if f.revalidate() is not None]
        if bad:
            self.show_error(
                self.t("1 field needs fixing (marked ✘); nothing was saved.")
                if len(bad) == 1
                else self.t("{n} fields need fixing (marked ✘); nothing was saved.", n=len(bad))
            )
            bad[0].input.focus()
            return
        try:
            profile = self.build()
        except InvalidInput as exc:
            self.show_error(exc)
            return
        session = self.session
        ref = session.open_account.ref

        def done(version: int) -> None:
            session.profile_drafts.pop(ref, None)
            self.dismiss(version)

        self.run_job("profile", lambda: session.save_profile(profile), done)

    def action_close(self) -> None:
        self.dismiss(None)
