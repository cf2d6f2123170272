"""Step 6: the full terms, what happens if a payment is missed, and an explicit confirmation.

The debtor ticks "I have read ... and agree" (the box shows a tick mark, not only a colour;
Space or Enter ticks it and moves on to "Agree and print"), then agrees.  "Agree and print"
can always be reached with Tab; pressed without the tick it says what to do first.
Agreeing saves the offer and the agreement (audited as the kiosk) and goes to printing;
Back returns to the plans with the chosen one focused.
"""

from __future__ import annotations

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Static

from calc.errors import InstallmentError
from plans.store import StoreError
from plans.text.formatting import formats
from plans.text.i18n import translator
from plans.summary.agreement_terms import MISSED_SETTLEMENT, UNDERTAKING
from plans.summary.servicing_words import missed_paragraph

from ..figures import BUCKET_IDS, figures_table
from ..offer_words import figures, sentence, title
from ..widgets import TickBox
from .base import KioskScreen


class ConfirmScreen(KioskScreen):
    STEP = 6
    TITLE_ID = "Check and agree"
    AUTO_FOCUS = "#terms"

    def compose(self) -> ComposeResult:
        t = self.t
        s = self.session
        offer = s.chosen
        assert offer is not None
        f = formats(s.lang)
        cur = offer.currency
        plan = offer.plan
        yield from self.header()
        with VerticalScroll(classes="body", id="terms"):
            yield Static(title(offer, t), classes="offer-title")
            yield Static(sentence(offer, t, f), classes="lead")
            yield Static(figures_table(figures(offer, t, f)), classes="offer-figures")
            yield Static(t("Your debt and what is waived"), classes="subtitle")
            debt = Table(expand=True, show_edge=False, header_style="bold")
            debt.add_column(t("Part of the debt"))
            debt.add_column(t("You owe"), justify="right")
            debt.add_column(t("Waived"), justify="right")
            debt.add_column(t("To repay"), justify="right")
            for bucket, name in BUCKET_IDS.items():
                owed = getattr(offer.case.debt, bucket)
                if owed:
                    waived = plan.waived.get(bucket, 0)
                    debt.add_row(t(name), f.money(owed, cur), f.money(waived, cur), f.money(owed - waived, cur))
            yield Static(debt, classes="debt")
            yield Static(t("Your payments"), classes="subtitle")
            sched = Table(expand=True, show_edge=False, header_style="bold")
            sched.add_column("#", justify="right")
            sched.add_column(t("Due date"))
            sched.add_column(t("Amount"), justify="right")
            if plan.down_payment:
                sched.add_row("0", f.date(offer.terms.start), f.money(plan.down_payment, cur))
            for inst in plan.installments:
                sched.add_row(str(inst.n), f.date(inst.due), f.money(inst.amount, cur))
            yield Static(sched, classes="schedule")
            yield Static(t("If you miss a payment"), classes="subtitle")
            words = translator(s.lang)  # the summaries' own sentences, from the policy's [servicing]
            sv = self.kiosk.policy.servicing
            restored = tuple((b, f.money(a, cur)) for b, a in plan.waived.items() if a and b in sv.restore_on_break)
            yield Static(
                words(MISSED_SETTLEMENT) if offer.is_settlement else missed_paragraph(words, sv, restored),
                classes="warning-text",
            )
            yield Static(words("Your undertaking"), classes="subtitle")
            yield Static(words(UNDERTAKING), classes="warning-text")
            yield Static(t("Tick the box (Space), then press Agree and print."), classes="note", id="agree-how")
            yield TickBox(t("I have read these terms and I agree to this plan."), id="agree")
            yield Static("", id="result", classes="result")
            with Horizontal(classes="actions"):
                yield Button(t("Agree and print"), id="accept", classes="big primary")
        yield from self.footer(back=True)

    @on(Checkbox.Changed, "#agree")
    def _agree(self, event: Checkbox.Changed) -> None:
        result = self.query_one("#result", Static)
        result.remove_class("error")
        result.update("")
        if event.value:  # the next step is agreeing: take the debtor there
            self.query_one("#accept", Button).focus()

    @on(Button.Pressed, "#accept")
    def _accept(self, event: Button.Pressed) -> None:
        event.stop()
        box = self.query_one("#agree", Checkbox)
        if not box.value:
            result = self.query_one("#result", Static)
            result.add_class("error")
            result.update(self.t("Please tick the box first to say you have read the terms and agree."))
            box.focus()
            return
        try:
            self.session.accept(self.kiosk.config.receipt_width)
        except StoreError as exc:  # the database, not the plan: the kiosk is unavailable for now
            self.kiosk.fault(exc)
            return
        except InstallmentError:
            result = self.query_one("#result", Static)
            result.add_class("error")
            result.update(self.t("This plan could not be saved. Please talk to an agent."))
            return
        self.kiosk.go_next(self)
