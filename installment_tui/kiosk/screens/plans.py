"""Step 5: choose a plan: at most four offers within kiosk authority that the budget rates affordable
or tight (the screen says how many others are left out, and why), or talk to an agent.

Only offers that kiosk authority may grant are ever built into this screen
(:func:`installment_tui.kiosk.session.only_within_kiosk`); anything more is for an agent.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Button, Static

from plans.text.formatting import formats

from ..figures import figures_table
from ..offer_words import budget_sentence, figures, sentence, title
from ..steps import Step
from .base import KioskScreen


class PlansScreen(KioskScreen):
    STEP = 5
    TITLE_ID = "Choose a plan"
    AUTO_FOCUS = "#choose-0, #agent"

    def compose(self) -> ComposeResult:
        t = self.t
        s = self.session
        f = formats(s.lang)
        offers = s.make_offers()
        yield from self.header()
        with VerticalScroll(classes="body"):
            if offers:
                yield Static(t("These plans can be agreed here and now. Interest stops while you pay."), classes="lead")
                for text in self.budget_lines(offers, f):
                    yield Static(text, classes="budget-line")
                with Grid(classes="offers"):
                    for n, offer in enumerate(offers):
                        with Vertical(classes=f"offer verdict-{offer.verdict or 'none'}"):
                            yield Static(f"{n + 1}. {title(offer, t)}", classes="offer-title")
                            yield Static(sentence(offer, t, f), classes="offer-sentence")
                            yield Static(figures_table(figures(offer, t, f)), classes="offer-figures")
                            yield Button(t("Choose plan {n}", n=n + 1), id=f"choose-{n}", classes="big primary choose")
            else:
                yield Static(
                    t(
                        "No plan can be agreed at this kiosk for your situation. An agent can look "
                        "at more options with you."
                    ),
                    classes="result error",
                )
            if s.hidden:
                yield Static(
                    t("1 more plan is not shown: your budget could not carry it.")
                    if s.hidden == 1
                    else t("{n} more plans are not shown: your budget could not carry them.", n=s.hidden),
                    classes="note",
                )
            yield Static(t("None of these suits you? An agent may be able to offer more."), classes="note")
            yield Button(t("Talk to an agent"), id="agent", classes="big")
        yield from self.footer(back=True)

    def on_mount(self) -> None:
        """Back from "check and agree": the plan the debtor chose has the focus, not plan 1."""
        index = self.session.chosen_index
        if index is not None and index < len(self.session.offers):
            self.query_one(f"#choose-{index}", Button).focus()

    def budget_lines(self, offers, f) -> list[str]:
        """The budget the plans were judged against (and the one from the expected recovery, if given)."""
        first = next((o.assessment for o in offers if o.assessment is not None and o.assessment.runs), None)
        if first is None:
            return []
        cur = offers[0].currency
        lines = [budget_sentence(first.budget_now, self.t, f, cur)]
        if first.budget_after is not None:
            lines.append(budget_sentence(first.budget_after, self.t, f, cur, first.recovery_date))
        return lines

    @on(Button.Pressed, ".choose")
    def _choose(self, event: Button.Pressed) -> None:
        event.stop()
        self.session.choose(int((event.button.id or "choose-0").removeprefix("choose-")))
        self.kiosk.go_next(self)

    @on(Button.Pressed, "#agent")
    def _agent(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.goto(Step.AGENT, "no kiosk plan chosen" if self.session.offers else "no kiosk plan possible")
