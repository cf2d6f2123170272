"""The account's agreement as it stands today: status, what is paid and owed, the schedule marked
paid / partly paid / due / overdue / missed, the payments received, and what a re-plan would start from.

Keys: **P** records a payment, **N** starts a re-plan (back in the workspace the offers
then replace this agreement), **C** cancels it (a supervisor, with a reason), **S** writes its
statement (PDF and receipt text) to the output folder, **Esc** goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label, Static

from installment_tui.widgets.footer import TranslatedFooter
from installment_tui.widgets.tables import fill
from plans.servicing.vocabulary import Status
from plans.summary.servicing_words import CHANNEL_NAMES, MARK_NAMES, STATUS_NAMES, name

from .. import texts
from .base import AgentScreen

#: How each status and mark is shown: colour (and the word says it too).
STATUS_STYLE = {
    "current": "bold green",
    "in_grace": "bold yellow",
    "in_arrears": "bold red",
    "broken": "bold red",
    "completed": "bold green",
    "cancelled": "bold",
    "superseded": "bold",
}
MARK_STYLE = {"paid": "green", "partly_paid": "yellow", "due": "", "overdue": "yellow", "missed": "bold red"}


class AgreementScreen(AgentScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreement.back"),
        Binding("p", "pay", "Record payment", id="agreement.pay"),
        Binding("n", "replan", "Re-plan", id="agreement.replan"),
        Binding("c", "cancel_agreement", "Cancel agreement", id="agreement.cancel"),
        Binding("s", "statement", "Statement", id="agreement.statement"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="agreement-body"):
            yield Static("", id="agreement-head")
            yield Static("", id="agreement-figures")
            yield Static("", id="agreement-replan")
            yield DataTable(id="agreement-schedule", cursor_type="row", zebra_stripes=True)
            yield Label("", id="payments-title", classes="section")
            yield DataTable(id="agreement-payments", cursor_type="none", show_cursor=False)
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        self.query_one("#agreement-schedule", DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.apply_language()
            self.refresh_bindings()

    # -- what is shown ---------------------------------------------------------------
    def apply_language(self) -> None:
        t, f, s = self.t, self.app.fmt, self.session
        view = s.agreement
        if view is None:
            self.query_one("#agreement-head", Static).update(t("The account has no agreement."))
            return
        st, cur = view.standing, view.currency
        m = lambda v: f.money(v, cur)
        head = Text()
        head.append(t("Agreement {n}", n=view.id) + "  ", style="bold")
        head.append(f"{s.open_account.ref}  ")
        head.append("● " + name(STATUS_NAMES, t, str(st.status)), style=STATUS_STYLE.get(str(st.status), "bold"))
        head.append("  " + t("since {date}", date=f.date(st.since)), style="dim")
        self.query_one("#agreement-head", Static).update(head)

        figures = Text()
        parts = [
            (t("Total"), m(view.schedule.total)),
            (t("Paid"), m(st.paid)),
            (t("Left"), m(st.outstanding)),
            (t("Installments paid"), t("{paid} of {total}", paid=st.installments_paid, total=st.installments_total)),
        ]
        if st.arrears:
            parts.append((t("Overdue now"), m(st.arrears)))
        if st.missed:
            parts.append((t("Missed"), str(st.missed)))
        if st.next_due is not None:
            parts.append((t("Next due"), t("{amount} by {date}", amount=m(st.next_amount), date=f.date(st.next_due))))
        if st.credit:
            parts.append((t("Credit"), m(st.credit)))
        for label, value in parts:
            figures.append(f"{label} ", style="dim")
            figures.append(f"{value}   ", style="bold red" if label in (t("Overdue now"), t("Missed")) else "bold")
        self.query_one("#agreement-figures", Static).update(figures)
        self.query_one("#agreement-replan", Static).update(replan_text(view, t, f))

        rows = []
        for o, got, mark in zip(view.schedule.obligations, st.applied, view.marks):
            rows.append(
                (
                    str(o.n),
                    (
                        t("Down") if o.n == 0 else str(o.n),
                        f.date(o.due),
                        Text(m(o.amount), justify="right"),
                        Text(m(got), justify="right"),
                        Text(m(o.amount - got), justify="right"),
                        Text(name(MARK_NAMES, t, str(mark)), style=MARK_STYLE.get(str(mark), "")),
                    ),
                )
            )
        table = self.query_one("#agreement-schedule", DataTable)
        fill(
            table,
            [
                ("n", "#", "right"),
                ("due", t("Due date"), "left"),
                ("amount", t("Amount"), "right"),
                ("paid", t("Paid"), "right"),
                ("left", t("Left"), "right"),
                ("state", t("State"), "left"),
            ],
            rows,
        )
        first_open = next((i for i, got in enumerate(st.applied) if got < view.schedule.obligations[i].amount), 0)
        table.move_cursor(row=first_open, animate=False)
        self.query_one("#payments-title", Label).update(t("Payments received ({n})", n=len(view.payments)))
        pays = [
            (
                str(p.id),
                (f.date(p.paid_on), Text(m(p.amount), justify="right"), name(CHANNEL_NAMES, t, p.channel), p.reference),
            )
            for p in reversed(view.payments)
        ]
        fill(
            self.query_one("#agreement-payments", DataTable),
            [
                ("on", t("Date"), "left"),
                ("amount", t("Amount"), "right"),
                ("how", t("How"), "left"),
                ("ref", t("Reference"), "left"),
            ],
            pays,
        )

    # -- keys ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.session.agreement
        if action in ("pay", "statement"):
            return True if view is not None else None
        if action == "replan":
            return True if view is not None and view.replan is not None else None
        if action == "cancel_agreement":
            ok = view is not None and view.status.in_force and self.session.role == "supervisor"
            return True if ok else None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_pay(self) -> None:
        from .payment import PaymentScreen

        def done(saved) -> None:
            if saved:
                self.apply_language()
                self.refresh_bindings()
                self.show_status(
                    self.t(
                        "Payment recorded: {amount} on {date}.",
                        amount=self.app.fmt.money(saved.amount, saved.currency),
                        date=self.app.fmt.date(saved.paid_on),
                    )
                )

        self.app.push_screen(PaymentScreen(), done)

    def action_replan(self) -> None:
        s = self.session
        if s.agreement is None or s.agreement.replan is None:
            return
        s.start_replan()
        self.app.pop_screen()

    def action_cancel_agreement(self) -> None:
        from .reason import ReasonScreen

        s = self.session
        view = s.agreement
        if view is None:
            return

        def decided(reason: str | None) -> None:
            if not reason:
                return

            def done(record) -> None:
                self.apply_language()
                self.refresh_bindings()
                self.show_status(self.t("Agreement {n} cancelled.", n=view.id))

            self.run_job("cancel", lambda: s.cancel_agreement(reason), done)

        self.app.push_screen(
            ReasonScreen(
                self.t("Why is agreement {n} cancelled?", n=view.id),
                True,
                s.reason_drafts,
                (view.id, "cancel"),
                self.t("A reason is needed to cancel an agreement."),
            ),
            decided,
        )

    def action_statement(self) -> None:
        s, lang, out = self.session, self.app.lang, self.app.out_dir

        def job():
            return s.export_statement(out, lang)

        def done(paths) -> None:
            self.show_status(self.t("Statement written: {files}", files=", ".join(str(p) for p in paths)))

        self.run_job("statement", job, done)


def replan_text(view, t, f) -> Text:
    """What a re-plan of the agreement would start from (with the restored amounts), or why there is none."""
    out = Text()
    basis = view.replan
    cur = view.currency
    if basis is None:
        if view.successor is not None:
            out.append(t("Replaced by agreement {n}.", n=view.successor), style="dim")
        elif view.status is Status.COMPLETED:
            out.append(t("Paid off: nothing is left to plan."), style="green")
        return out
    out.append(
        t(
            "A re-plan starts from {amount}: still owed {owed}",
            amount=f.money(basis.debt.total, cur),
            owed=f.money(basis.owed_total, cur),
        ),
        style="bold",
    )
    restored = [(b, a) for b, a in basis.restored if a]
    if restored:
        out.append(
            " "
            + t(
                "+ restored {amount} ({items})",
                amount=f.money(basis.restored_total, cur),
                items=t(", ").join(f"{t(texts.BUCKETS[b])} {f.money(a, cur)}" for b, a in restored),
            ),
            style="bold red",
        )
    elif basis.after_breach:
        out.append(" · " + t("nothing restored"), style="dim")
    else:
        out.append(" · " + t("nothing restored: the plan has not broken"), style="dim")
    if basis.fees_dropped:
        out.append(
            " · " + t("fees not yet due dropped: {amount}", amount=f.money(basis.fees_dropped, cur)), style="dim"
        )
    if basis.needs_supervisor:
        out.append(
            "\n⇧ "
            + t(
                "{n} re-plan(s) after a breach already granted: this one needs a supervisor.",
                n=basis.replans_after_breach,
            ),
            style="magenta",
        )
    return out


__all__ = ["AgreementScreen", "replan_text"]
