"""Step 4: your situation, a short questionnaire (household, income, spending, other debts, reason,
when things should get better and the income then).

Answers are checked in :meth:`KioskSession.set_situation`; a problem shows in plain
words under its field, and the first field with a problem gets the focus.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from calc.errors import InvalidInputs

from ..session import REASONS
from ..widgets import AMOUNT_KEYS, Keypad
from .base import KioskScreen

#: (field, question, hint); amounts are a month's worth.
NUMBER_FIELDS = (
    ("adults", "Adults in your household (you included)", "1"),
    ("children", "Children in your household", "0"),
    ("income", "Household income a month, after tax", "8000"),
    ("housing", "Rent or mortgage a month", "3000"),
    ("food", "Food a month", "1500"),
    ("other_spending", "Other essentials a month (bills, transport, medicine, school)", "800"),
    ("other_debts", "Payments to other lenders a month", "0"),
    ("savings", "Savings you could use now", "0"),
)
REASON_NAMES = {
    "unemployment": "I lost my job",
    "reduced_income": "My income went down",
    "illness": "Illness or injury",
    "business_failure": "My business failed",
    "family_change": "A change in my family",
    "disaster": "A disaster or accident",
    "other": "Something else",
}
RECOVERY_NAMES = (
    ("3", "In about 3 months"),
    ("6", "In about 6 months"),
    ("12", "In about a year"),
    ("unknown", "I don't know"),
)


class SituationScreen(KioskScreen):
    STEP = 4
    TITLE_ID = "Your situation"
    AUTO_FOCUS = "#adults"

    def compose(self) -> ComposeResult:
        t = self.t
        answers = self.session.answers
        yield from self.header()
        with Horizontal(classes="body"):
            with VerticalScroll(classes="form", id="questions"):
                yield Static(
                    t(
                        "A few questions so we only offer plans you can keep up with. "
                        "Amounts are for one month. Enter 0 if none."
                    ),
                    classes="lead",
                )
                with Grid(classes="questions"):
                    for key, question, hint in NUMBER_FIELDS:
                        with Vertical(classes="question"):
                            yield Label(t(question), classes="field-label")
                            # "e.g. 8000", not "8000": a bare example looks like an answer already given
                            yield Input(
                                answers.get(key, ""),
                                id=key,
                                placeholder=t("e.g. {example}", example=hint),
                                max_length=12,
                                restrict=r"[0-9.,]*",
                            )
                            yield Label("", id=f"{key}-error", classes="field-error")
                yield Label(t("What happened?"), classes="field-label")
                with RadioSet(id="reason"):
                    for reason in REASONS:
                        yield RadioButton(
                            t(REASON_NAMES[reason]), id=f"reason-{reason}", value=answers.get("reason") == reason
                        )
                yield Label("", id="reason-error", classes="field-error")
                yield Label(t("When do you expect things to get better?"), classes="field-label")
                with RadioSet(id="recovery"):
                    for key, name in RECOVERY_NAMES:
                        yield RadioButton(t(name), id=f"recovery-{key}", value=answers.get("recovery") == key)
                yield Label("", id="recovery-error", classes="field-error")
                with Vertical(classes="question"):
                    yield Label(
                        t("Household income a month once things are better (leave empty if you don't know)"),
                        classes="field-label",
                    )
                    yield Input(
                        answers.get("income_after", ""),
                        id="income_after",
                        placeholder=t("e.g. {example}", example="9000"),
                        max_length=12,
                        restrict=r"[0-9.,]*",
                    )
                    yield Label("", id="income_after-error", classes="field-error")
                yield Button(t("Next: choose a plan"), id="next", classes="big primary")
            yield Keypad(t("Delete"), t("Clear"), keys=AMOUNT_KEYS, classes="keypad")
        yield from self.footer(back=True)

    def answers(self) -> dict[str, str]:
        out = {key: self.query_one(f"#{key}", Input).value for key, _, _ in NUMBER_FIELDS}
        out["income_after"] = self.query_one("#income_after", Input).value
        for name in ("reason", "recovery"):
            pressed = self.query_one(f"#{name}", RadioSet).pressed_button
            out[name] = (pressed.id or "").removeprefix(f"{name}-") if pressed is not None else ""
        return out

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#next")
    def _submit(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        t = self.t
        for key in [k for k, _, _ in NUMBER_FIELDS] + ["reason", "recovery", "income_after"]:
            self.query_one(f"#{key}-error", Label).update("")
        try:
            self.session.set_situation(self.answers())
        except InvalidInputs as exc:
            for p in exc.problems:
                self.query_one(f"#{p.field}-error", Label).update(t(p.message))
            first = self.query_one(f"#{exc.problems[0].field}")
            first.focus()
            first.scroll_visible()
            return
        self.kiosk.go_next(self)

    def go_back(self) -> None:
        self.session.answers = self.answers()  # what was typed comes back with the screen (this visit only)
        super().go_back()
