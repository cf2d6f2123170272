"""Make a complaint: what it is about and what happened, recorded in the complaints register.

The screen lists the creditor's complaint channels (from the policy) for those who
prefer another way, says within how many days we reply (above the form, so that it stays
in view while the form scrolls on a small screen), and after recording gives
the complaint's number and the reply date.  A complaint about how the debtor was
contacted limits contact while it is open (the policy says how).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from calc.errors import InvalidInputs
from plans.text.formatting import formats
from plans.text.sanitize import clean

from .base import KioskScreen


class ComplaintScreen(KioskScreen):
    STEP = 0
    TITLE_ID = "Make a complaint"
    AUTO_FOCUS = "#category"

    def compose(self) -> ComposeResult:
        t = self.t
        days = self.kiosk.policy.conduct.reply_within_days
        categories = (
            ("collection_conduct", t("How you were contacted about the debt")),
            ("amount_dispute", t("The amount we say you owe")),
            ("plan_terms", t("The terms of a repayment plan")),
            ("other", t("Something else")),
        )
        yield from self.header()
        # the reply time stays in view above the form, which scrolls on a small screen
        yield Static(
            t("Tell us what went wrong. We record it now and reply within {days} days.", days=days),
            classes="lead",
            id="complaint-lead",
        )
        with VerticalScroll(classes="body", id="complaint-form"):
            yield Label(t("What is it about?"), classes="field-label")
            with RadioSet(id="category"):
                for key, label in categories:
                    yield RadioButton(label, id=f"category-{key}")
            yield Label("", id="category-error", classes="field-error")
            yield Label(t("What happened? (up to 500 characters)"), classes="field-label")
            yield Input(id="text", max_length=500, placeholder=t("e.g. who called, when, what was said"))
            yield Label("", id="text-error", classes="field-error")
            with Horizontal(classes="actions"):
                yield Button(t("Send the complaint"), id="send", classes="big primary")
            yield Static(t("You can also complain through:"), classes="note")
            for line in self.kiosk.policy.complaint_channels:
                yield Static(clean(line), classes="contact", markup=False)
        yield from self.footer(back=True)

    @on(Input.Submitted, "#text")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    @on(Button.Pressed, "#send")
    def _send(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        t = self.t
        for key in ("category", "text"):
            self.query_one(f"#{key}-error", Label).update("")
        pressed = self.query_one("#category", RadioSet).pressed_button
        category = (pressed.id or "").removeprefix("category-") if pressed is not None else ""
        try:
            complaint = self.session.make_complaint(category, self.query_one("#text", Input).value)
        except InvalidInputs as exc:
            for p in exc.problems:
                self.query_one(f"#{p.field}-error", Label).update(t(p.message))
            self.query_one(f"#{exc.problems[0].field}").focus()
            return
        self.kiosk.go_next(self, complaint.id, complaint.due_on)


class ComplaintDoneScreen(KioskScreen):
    STEP = 0
    TITLE_ID = "Your complaint is recorded"
    AUTO_FOCUS = "#finish"

    def __init__(self, number: int, due) -> None:
        super().__init__()
        self.number = number
        self.due = due

    def compose(self) -> ComposeResult:
        t = self.t
        yield from self.header()
        with VerticalScroll(classes="body"):
            yield Static(
                t("Your complaint number is {number}. Please write it down.", number=f"C-{self.number}"), classes="lead"
            )
            yield Static(
                t(
                    "We will reply by {date}, in the language you chose here.",
                    date=formats(self.kiosk.lang).date(self.due),
                ),
                classes="note",
            )
            yield Static(t("When you press Finish, your details are cleared from this kiosk."), classes="note")
            yield Button(t("Finish"), id="finish", classes="big primary")
        yield from self.footer(start_over=False)

    @on(Button.Pressed, "#finish")
    def _finish(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.end_visit("complaint made", show_done=True, receipt=False)
