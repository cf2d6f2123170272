"""The negotiation workspace: one account on a call.

Left: the debt by bucket (with what the highlighted offer waives), earlier
offers and agreements, the latest notes.  Right: the negotiation fields, the
ranked offers side by side with the negotiated one on top, the household budget
picture and the reasons an offer is or is not within authority.  Every keystroke
in a field recomputes the negotiated offer at once.
"""

from __future__ import annotations


from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from calc.debt import BUCKETS, waived_amounts
from calc.terms import ABSOLUTE_MAX_MONTHS
from installment_tui.times import local_day, local_time
from installment_tui.widgets.budget_bar import BudgetBar
from installment_tui.widgets.footer import TranslatedFooter
from installment_tui.widgets.offers_table import OffersTable
from installment_tui.widgets.tables import fill
from installment_tui.widgets.text_panel import TextPanel
from installment_tui.widgets.verdict import VerdictBadge
from plans.text.sanitize import clean

from plans.summary.servicing_words import STATUS_NAMES, name
from plans.vocabulary import OfferKind, OfferStatus

from .. import present, texts
from ..session import Negotiated, draft_from_offer
from ..terms_form import TermsForm
from .agreement import STATUS_STYLE, replan_text
from .base import AgentScreen

NEGOTIATED = OfferKind.NEGOTIATED
#: Below this many columns (the app's ``-small`` breakpoint) the workspace is compact.
NARROW_BELOW = 110
_STATUS_STYLE: dict[str, str] = {
    OfferStatus.ACCEPTED: "bold green",
    OfferStatus.APPROVED: "green",
    OfferStatus.NEEDS_APPROVAL: "magenta",
    OfferStatus.REJECTED: "red",
    OfferStatus.DECLINED: "red",
    OfferStatus.OFFERED: "cyan",
}


class WorkspaceScreen(AgentScreen):
    AUTO_FOCUS = "#field-pay-input"
    #: Left for another screen at least once (a dialog, the profile): coming back reads the statuses again.
    _away = False
    BINDINGS = [
        Binding("escape", "back", "Back", id="agent.back"),
        Binding("ctrl+s", "save", "Save offer", id="agent.save"),
        Binding("f3", "profile", "Profile", id="agent.profile"),
        Binding("f4", "schedule", "Schedule", id="agent.schedule"),
        Binding("f5", "notes", "Notes", id="agent.notes"),
        Binding("f6", "export", "Export", id="agent.export"),
        Binding("f7", "mark('offered')", "Offered", id="agent.offered"),
        Binding("f8", "mark('accepted')", "Accepted", id="agent.accepted"),
        Binding("f9", "mark('declined')", "Declined", id="agent.declined"),
        Binding("f11,ctrl+g", "agreement", "Agreement", id="agent.agreement"),
        Binding("ctrl+n", "replan", "Re-plan", id="agent.replan"),
        Binding("f12,ctrl+k", "contact", "Contact", id="agent.contact"),
        Binding("ctrl+r", "reset_terms", "Clear terms", id="agent.reset", show=False),
        Binding("ctrl+o", "focus_offers", "Offers", id="agent.offers", show=False),
        Binding("ctrl+t", "focus_terms", "Terms", id="agent.terms", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.negotiated = Negotiated()

    def compose(self) -> ComposeResult:
        s = self.session
        yield Header()
        yield Static("", id="account-strip")
        yield Static("", id="agreement-strip")
        yield Static("", id="contact-strip")
        with Horizontal(id="ws-body"):
            with VerticalScroll(id="ws-left"):
                yield Label("", id="debt-title", classes="section")
                yield DataTable(id="debt", cursor_type="none", show_cursor=False)
                yield Label("", id="history-title", classes="section")
                yield Static("", id="history")
                yield Label("", id="notes-title", classes="section")
                yield Static("", id="last-notes")
            with VerticalScroll(id="ws-main"):
                yield Label("", id="terms-title", classes="section")
                yield TermsForm(s.draft, s.policy.remainder, s.open_account.currency, compact=self.narrow, id="terms")
                yield Label("", id="offers-title", classes="section")
                yield OffersTable(id="offers")
                with Horizontal(id="ws-bottom"):
                    with Vertical(id="budget-box"):
                        with Horizontal(id="budget-head"):
                            yield Label("", id="budget-title", classes="section")
                            yield VerdictBadge(id="verdict")
                        yield BudgetBar(id="budget")
                    yield TextPanel(id="details")
        yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        # The figures are computed by apply_language (AgentScreen.on_mount, which Textual calls next).
        self.set_interval(30, self.refresh_contact, name="contact-rules")  # "allowed now" changes with the clock
        self.refresh_contact()
        if self.session.problem is not None:
            self.show_error(self.session.problem)

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        """Back from a dialog, the queue or the schedule: a supervisor in another console may
        have approved or rejected an offer meanwhile, so the statuses (and the keys that
        apply) are read again.  Not when the screen is first shown: it has just read them."""
        if self._away:
            self.external_change()

    def external_change(self) -> None:
        """Another console changed something (an approval, a payment): statuses, agreement and keys
        again.  What the agent is typing stays as it is."""
        if not self.is_mounted:
            return
        s = self.session
        had_agreement = s.agreement is not None
        try:
            s.reload_history()
            if had_agreement or s.agreement is not None:  # a payment, cancellation or re-plan moves the debt
                s.rebuild_case()
        except Exception as exc:  # noqa: BLE001 - a database that cannot be read is shown, the call goes on
            self.show_error(exc)
            return
        self.after_agreement_change()
        self.refresh_contact()

    # -- language ----------------------------------------------------------------
    def apply_language(self) -> None:
        t = self.t
        cur = self.session.open_account.currency
        self.query_one("#debt-title", Label).update(
            t("Still owed by bucket ({currency})", currency=cur)
            if self.session.replan is not None
            else t("Debt by bucket ({currency})", currency=cur)
        )
        for wid, text in (
            ("#history-title", texts.N_("Earlier offers and agreements")),
            ("#notes-title", texts.N_("Call notes")),
            ("#terms-title", texts.N_("Negotiate")),
            ("#budget-title", texts.N_("Household budget")),
        ):
            self.query_one(wid, Label).update(t(text))
        self.query_one("#offers-title", Label).update(
            t("Offers, best first (amounts in {currency})", currency=self.session.open_account.currency)
        )
        self.query_one(TermsForm).relabel(t)
        self.query_one(OffersTable).set_titles(present.offer_titles(t), present.offer_titles_compact(t))
        self.refresh_account()
        self.recompute()

    # -- account, debt and history ------------------------------------------------
    def refresh_account(self) -> None:
        s, t, f = self.session, self.t, self.app.fmt
        a = s.open_account
        profile = (
            t(
                "profile v{n} of {date}",
                n=s.profile.version,
                date=f.date(local_day(s.profile.created_at, s.policy.conduct.time_zone)),
            )
            if s.profile
            else t("no hardship profile")
        )
        strip = Text()
        strip.append(f" {clean(a.ref)} ", style="bold reverse")
        strip.append(f"  {clean(a.name) or '—'}", style="bold")
        strip.append(
            f"   {t('Phone')} {clean(texts.masked_phone(a.phone))}   "
            f"{t('Region')} {present.region_name(s.policy, a.region, t, self.app.lang)}   "
        )
        strip.append(f"{t('Days overdue')} {a.days_overdue}", style="bold red" if a.days_overdue > 90 else "bold")
        strip.append(f"   {t('Total debt')} {f.money(a.debt.total, a.currency)}", style="bold")
        strip.append(f"   {profile}", style="dim")
        self.query_one("#account-strip", Static).update(strip)
        self.refresh_agreement()
        self.refresh_contact()
        self.refresh_history()

    def refresh_agreement(self) -> None:
        """The agreement strip: the agreement's status and, with offers on screen, what they would re-plan."""
        s, t, f = self.session, self.t, self.app.fmt
        strip = self.query_one("#agreement-strip", Static)
        view = s.agreement
        strip.display = view is not None
        if view is None:
            return
        st = view.standing
        text = Text()
        status = str(st.status)
        text.append(f" {t('Agreement {n}', n=view.id)} ", style="bold reverse")
        text.append(" ● " + name(STATUS_NAMES, t, status), style=STATUS_STYLE.get(status, "bold"))
        if st.arrears and st.status.in_force:
            text.append("  " + t("overdue {amount}", amount=f.money(st.arrears, view.currency)), style="bold red")
        if st.next_due is not None:
            text.append(
                "  "
                + t(
                    "next {amount} by {date}",
                    amount=f.money(st.next_amount, view.currency),
                    date=f.date_medium(st.next_due),
                )
            )
        if view.replan is not None and s.open_account.ref in s.replanning:
            text.append(
                "  " + t("Re-planning: accepting an offer replaces agreement {n}.", n=view.id), style="bold magenta"
            )
        elif view.replan is not None:
            text.append(
                "  "
                + t(
                    "{show} shows it; {replan} re-plans it.",
                    show=self.key_hint("agent.agreement"),
                    replan=self.key_hint("agent.replan"),
                ),
                style="dim",
            )
        text.append("\n")
        text.append_text(replan_text(view, t, f))
        strip.update(text)

    def refresh_contact(self) -> None:
        """Whether a call is allowed now and why not, the flags and open complaints (one line)."""
        from ..contact import ContactDesk
        from .contact_texts import contact_line

        try:
            line = contact_line(ContactDesk(self.session), self.t, self.key_hint("agent.contact"))
        except Exception as exc:  # noqa: BLE001 - a database that cannot be read is shown, the call goes on
            self.show_error(exc)
            return
        self.query_one("#contact-strip", Static).update(line)

    def refresh_debt(self) -> None:
        s, t, f = self.session, self.t, self.app.fmt
        a = s.open_account
        offer = self.selected
        debt = s.case.debt if s.case is not None else a.debt  # a re-plan: what is still owed (and restored)
        waived = waived_amounts(debt, offer.waivers) if offer is not None else dict.fromkeys(BUCKETS, 0)
        narrow = self.narrow
        signature = (self.app.lang, a.ref, debt, tuple(waived.values()), narrow)
        if signature == getattr(self, "_debt_shown", None):
            return
        self._debt_shown = signature
        # amounts without the currency symbol (the title names the currency), so the columns fit the
        # left pane in every language; a narrow pane (80 columns) has room for two columns only, so a
        # waived amount goes on a line of its own under its bucket's

        def number(v: int) -> str:
            return f.number(v, a.currency)

        rows: list[tuple[object, object, int, str]] = []
        for b in BUCKETS:
            amount = getattr(debt, b)
            if amount or waived[b]:
                rows.append((t(texts.BUCKETS[b]), number(amount), waived[b], ""))
        rows.append(
            (Text(t("Total"), style="bold"), Text(number(debt.total), style="bold"), sum(waived.values()), "bold")
        )
        table = self.query_one("#debt", DataTable)
        if narrow:
            lines = []
            for label, owed, gone, style in rows:
                lines.append((None, (label, Text(str(owed), justify="right", style=style))))
                if gone:
                    lines.append(
                        (
                            None,
                            (
                                Text("  " + t("Waived"), style="green " + style),
                                Text("−" + number(gone), justify="right", style="green " + style),
                            ),
                        )
                    )
            fill(table, [("bucket", t("Bucket"), "left"), ("owed", t("Owed"), "right")], lines)
            return
        fill(
            table,
            [("bucket", t("Bucket"), "left"), ("owed", t("Owed"), "right"), ("waived", t("Waived"), "right")],
            [
                (
                    None,
                    (
                        label,
                        Text(str(owed), justify="right", style=style),
                        Text(
                            number(gone) if gone else "—", justify="right", style=("green " + style) if gone else "dim"
                        ),
                    ),
                )
                for label, owed, gone, style in rows
            ],
        )

    @property
    def narrow(self) -> bool:
        """An 80-column terminal (the app's ``-small`` breakpoint): the compact layout."""
        return self.app.size.width < NARROW_BELOW

    def on_resize(self) -> None:
        """Across the narrow breakpoint: the debt table's columns and the negotiation fields' look."""
        self.query_one(TermsForm).set_compact(self.narrow)
        self.refresh_debt()

    def refresh_history(self) -> None:
        """Agreements first (what is in force matters most), then the offers, newest first, each decided
        one with who decided and why; the last notes.  Times are local, with their zone."""
        s, t, f = self.session, self.t, self.app.fmt
        tz = s.policy.conduct.time_zone
        history = Text()
        latest = s.agreement
        for ag in reversed(s.agreements):
            word = {"agreement": t("Agreement"), "cancellation": t("Cancellation"), "breach": t("Breach")}[ag.kind]
            history.append(f"{local_day(ag.created_at, tz).isoformat()} ", style="dim")
            history.append(f"{word} {ag.id}" if ag.kind == "agreement" else word, style="bold")
            if latest is not None and ag.id == latest.id:
                status = str(latest.status)
                history.append(f" · {name(STATUS_NAMES, t, status)}\n", style=STATUS_STYLE.get(status, ""))
            else:
                history.append("\n")
        for rec in reversed(s.saved):
            status = t(texts.STATUSES.get(rec.status, rec.status))
            history.append(f"{local_day(rec.created_at, tz).isoformat()} ", style="dim")
            history.append(present.kind_word(t, rec.kind), style="bold")
            history.append(f" · {status}\n", style=_STATUS_STYLE.get(rec.status, ""))
            money = lambda v, c=rec.currency: f.money(v, c)
            history.append(f"   {present.saved_installments_text(rec, s.policy, t, money)}\n")
            decision = s.decisions.get(rec.id)
            if decision is not None:
                history.append(
                    "   " + present.decision_text(decision, t, tz) + "\n", style=_STATUS_STYLE.get(rec.status, "dim")
                )
        if not s.saved and not s.agreements:
            history.append(t("none yet"), style="dim")
        self.query_one("#history", Static).update(history)
        notes = Text()
        for n in s.notes[-3:][::-1]:
            notes.append(f"{local_time(n.created_at, tz)} {clean(n.actor)}\n", style="dim")
            notes.append(clean(n.text[:200], multiline=True) + "\n")
        if not s.notes:
            notes.append(t("No notes yet: F5 writes one."), style="dim")
        self.query_one("#last-notes", Static).update(notes)

    # -- offers ------------------------------------------------------------------------
    @property
    def selected(self):
        key = self.query_one(OffersTable).current_key
        if key == NEGOTIATED:
            return self.negotiated.offer
        for o in self.session.offers:
            if o.id == key:
                return o
        return self.negotiated.offer if key is None else None

    def recompute(self) -> None:
        """Negotiate the current draft and refresh every figure (the keystroke path; a few ms)."""
        s, t, f = self.session, self.t, self.app.fmt
        form = self.query_one(TermsForm)
        s.draft = form.draft
        try:
            self.negotiated = s.negotiate(form.draft)
        except Exception as exc:  # noqa: BLE001 - a fault in the offer code is shown, the call goes on
            self.negotiated = Negotiated()
            self.show_error(exc)
        # the months follow the payment only when the payment can be read
        paying = form.draft.pay.strip() and "pay" not in self.negotiated.errors
        hints = {"months": t("set by the payment")} if paying else {}
        form.show_errors(self.negotiated.errors, t, self.app.lang, hints)
        table = self.query_one(OffersTable)
        keep = table.current_key
        rows = []
        if self.negotiated.offer is not None:
            rows.append(present.offer_row(self.negotiated.offer, t, f, NEGOTIATED, negotiated=True))
        rows += [present.offer_row(o, t, f) for o in s.offers]
        table.show(rows, keep=keep)
        self.refresh_selection()

    def refresh_selection(self) -> None:
        s, t, f = self.session, self.t, self.app.fmt
        offer = self.selected
        details = self.query_one("#details", TextPanel)
        problem = self.negotiated.problem
        if problem is not None and (offer is None or offer is not self.negotiated.offer):
            text = Text()
            min_pay = getattr(problem, "min_payment", None)
            if min_pay is not None:
                text.append(
                    "✘ "
                    + t(
                        "No term up to {n} months fits that payment; the least that fits is {amount}.",
                        n=getattr(problem, "max_months", ABSOLUTE_MAX_MONTHS),
                        amount=f.money(min_pay, s.open_account.currency),
                    )
                    + "\n",
                    style="bold red",
                )
            else:
                text.append("✘ " + str(problem) + "\n", style="bold red")
            details.show(text + present.details(offer, t, f, self.app.lang) + self._options_text())
        else:
            extra = self._options_text() if offer is not None and offer is self.negotiated.offer else Text()
            details.show(present.details(offer, t, f, self.app.lang) + extra)
        badge = self.query_one(VerdictBadge)
        badge.verdict = offer.verdict if offer is not None else None
        badge.word = t(texts.VERDICTS.get(badge.verdict, texts.VERDICTS[None])) if offer is not None else ""
        budget = self.query_one(BudgetBar)
        picture = present.offer_budget(offer)
        if picture is None and s.offers:  # a settlement (judged against savings) or no offer: today's budget
            first = next((o.assessment for o in s.offers if o.assessment is not None), None)
            if first is not None:
                picture = present.budget_picture(first.budget_now, 0)
        labels = present.budget_labels(t)
        if picture is None and s.profile is not None:  # a profile, but no offer judged it (e.g. no plan can be made)
            labels["no_profile"] = t(
                "Profile v{n} is saved, but no offer could be made to judge it against.", n=s.profile.version
            )
        budget.show(picture, lambda m: f.money(m, s.open_account.currency), labels)
        self.refresh_debt()
        rec = self.session.record_of(offer) if offer is not None else None
        signature = (offer is None, offer is not None and offer.escalation, rec and rec.status)
        if signature != getattr(self, "_bindings_shown", None):  # the footer is rebuilt only when it changes
            self._bindings_shown: tuple[object, ...] | None = signature
            self.refresh_bindings()

    def _options_text(self) -> Text:
        options = self.negotiated.options
        out = Text()
        if options:
            out.append("\n" + self.t("What would make it fit:") + "\n", style="bold")
            for o in options:
                out.append(
                    "  → " + present.option_text(o, self.t, self.app.fmt, self.session.open_account.currency) + "\n",
                    style="cyan",
                )
        return out

    @on(TermsForm.Changed)
    def _terms_changed(self) -> None:
        self.recompute()
        table = self.query_one(OffersTable)
        if self.negotiated.offer is not None and table.current_key != NEGOTIATED:
            table.move_cursor(row=0, animate=False)

    @on(OffersTable.Highlighted)
    def _highlighted(self) -> None:
        self.refresh_selection()

    @on(OffersTable.Chosen)
    def _chosen(self, event: OffersTable.Chosen) -> None:
        """Enter on a generated offer copies its terms into the fields, to adjust them."""
        offer = next((o for o in self.session.offers if o.id == event.key), None)
        if offer is None:
            return
        form = self.query_one(TermsForm)
        form.load(draft_from_offer(offer))
        self.recompute()
        self.query_one(OffersTable).move_cursor(row=0, animate=False)
        self.show_status(
            self.t(
                "Terms of “{offer}” copied into the fields: adjust them.", offer=present.kind_word(self.t, offer.kind)
            )
        )
        self.query_one("#field-months-input").focus()

    # -- commands (palette) ------------------------------------------------------------
    def command_months(self, months: int) -> None:
        form = self.query_one(TermsForm)
        form.set_value("pay", "")
        form.set_value("months", str(months))

    def command_waive(self, bucket: str) -> None:
        self.query_one(TermsForm).set_value(f"waive.{bucket}", "100%")

    def command_export(self, fmt: str) -> None:
        self.action_export(fmt)

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        s = self.session
        if action == "agreement":  # shown only for an account with an agreement
            return s.agreement is not None
        if action == "replan":
            return s.agreement is not None and s.agreement.replan is not None and not s.may_save
        if action in ("save", "mark") and not s.may_save:
            return None  # an agreement is on the account: only a re-plan of it (Ctrl+N) may be saved
        if action in ("save", "schedule", "export", "mark"):
            offer = self.selected if self.is_mounted else None
            if offer is None:
                return None
            rec = self.session.record_of(offer)
            if action == "save" and rec is not None:
                return None  # saved already: its status keys move it on
            if action == "mark":
                return True if (parameters and parameters[0] in self.session.next_statuses(offer)) else None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_focus_offers(self) -> None:
        self.query_one(OffersTable).focus()

    def action_focus_terms(self) -> None:
        self.query_one("#field-pay-input").focus()

    def action_reset_terms(self) -> None:
        self.query_one(TermsForm).load(self.session.default_draft())
        self.recompute()

    def action_save(self) -> None:
        offer = self.selected
        if offer is None:
            return
        session = self.session

        def done(rec) -> None:
            self.refresh_history()
            self.refresh_selection()
            if rec.status == OfferStatus.NEEDS_APPROVAL:
                self.show_status(self.t("Saved and sent to the supervisor approval queue."))
            else:
                self.show_status(self.t("Offer saved ({status}).", status=self.t(texts.STATUSES[rec.status])))

        self.run_job("save", lambda: session.save(offer), done)

    def action_mark(self, status: str) -> None:
        offer = self.selected
        if offer is None:
            return
        session = self.session

        def job():
            rec = session.record_of(offer) or session.save(offer)
            return session.set_status(rec.id, status, offer=offer)

        def done(rec) -> None:
            if rec.status == OfferStatus.ACCEPTED:  # an agreement now: the offers re-plan it, from what is left
                self.after_agreement_change()
            else:
                self.refresh_history()
                self.refresh_selection()
            self.show_status(self.t("Offer marked {status}.", status=self.t(texts.STATUSES[rec.status])))

        self.run_job("mark", job, done)

    def action_agreement(self) -> None:
        from .agreement import AgreementScreen

        if self.session.agreement is not None:
            self.app.push_screen(AgreementScreen())

    def action_replan(self) -> None:
        s = self.session
        if s.agreement is None or s.agreement.replan is None:
            return
        s.start_replan()
        self.after_agreement_change()
        self.show_status(
            self.t("Re-planning agreement {n}: the offers start from what is still owed.", n=s.agreement.id)
        )
        self.query_one("#field-pay-input").focus()

    def after_agreement_change(self) -> None:
        """The agreement changed (a payment, a cancellation, a re-plan): figures, offers and keys again."""
        self.refresh_account()
        self.recompute()
        self._bindings_shown = None
        self.refresh_bindings()

    def action_schedule(self) -> None:
        from .schedule import ScheduleScreen

        if self.selected is not None:
            self.app.push_screen(ScheduleScreen(self.selected))

    def action_export(self, fmt: str = "receipt") -> None:
        from .export import ExportScreen

        if self.selected is not None:
            self.app.push_screen(ExportScreen(self.selected, fmt))

    def action_contact(self) -> None:
        from ..contact import ContactDesk
        from .contact import ContactScreen

        self.app.push_screen(ContactScreen(ContactDesk(self.session)))

    def action_notes(self) -> None:
        from .notes import NotesScreen

        self.app.push_screen(NotesScreen(), lambda _: self.refresh_history())

    def action_profile(self) -> None:
        from .profile import ProfileScreen

        def saved(version: int | None) -> None:
            if version:
                self.refresh_account()
                self.recompute()
                self.show_status(self.t("Profile saved as version {n}; offers recomputed.", n=version))

        self.app.push_screen(ProfileScreen(), saved)


__all__ = ["WorkspaceScreen"]
