"""The approval queue: offers beyond an agent's authority, waiting for a supervisor.

Everyone can see the queue; only a supervisor (``--role supervisor``) may approve
or reject (``check_action`` disables the keys otherwise).  Rejecting needs a reason.
A decided offer leaves the queue, so below it the offers decided most recently are
listed, the latest first: the decision, who made it, when (local time) and why.
"""

from __future__ import annotations

from types import SimpleNamespace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label, Static

from calc.errors import InstallmentError, InvalidInput
from calc.money import parse_amount
from installment_tui.times import local_time
from installment_tui.widgets.footer import TranslatedFooter
from installment_tui.widgets.tables import FitTable, fill
from plans.text.sanitize import clean
from plans.vocabulary import OfferStatus
from plans.store import OfferRecord

from .. import present, texts
from ..decisions import decisions
from .base import AgentScreen


class QueueScreen(AgentScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="queue.back"),
        Binding("a", "decide('approved')", "Approve", id="queue.approve"),
        Binding("r", "decide('rejected')", "Reject", id="queue.reject"),
        Binding("f5", "reload", "Reload", id="queue.reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="queue-body"):
            yield Label("", id="queue-title", classes="section")
            yield FitTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield Static("", id="queue-details")
            yield Label("", id="decided-title", classes="section")
            yield FitTable(id="decided", cursor_type="none", show_cursor=False, zebra_stripes=True)
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        self.records: list[OfferRecord] = []
        self.load()
        self.query_one("#queue", DataTable).focus()

    #: How many recently decided offers are listed below the queue.
    RECENT = 10

    def load(self) -> None:
        store = self.session.store
        try:
            self.records = store.supervisor_queue()
            recent = store.recently_decided(self.RECENT)
            self.recent = [(r, d) for r in recent if (d := decisions(store, [r]).get(r.id)) is not None]
        except Exception as exc:  # noqa: BLE001 - shown here
            self.records, self.recent = [], []
            self.show_error(exc)
        self.apply_language()
        self.refresh_bindings()

    def action_reload(self) -> None:
        self.load()

    def external_change(self) -> None:
        """Another console approved, rejected or escalated an offer: the queue again, on the same offer."""
        keep = self.current.id if self.current is not None else None
        self.load()
        ids = [r.id for r in self.records]
        if keep in ids:
            self.query_one("#queue", DataTable).move_cursor(row=ids.index(keep))

    def action_back(self) -> None:
        self.app.pop_screen()

    def apply_language(self) -> None:
        t, f = self.t, self.app.fmt
        records = getattr(self, "records", [])
        title = t("Offers waiting for approval: {n}", n=len(records))
        if self.app.role != "supervisor":
            title += " — " + t("only a supervisor may approve or reject")
        self.query_one("#queue-title", Label).update(title)
        rows = []
        for rec in records:
            h = rec.headline or {}
            rows.append(
                (
                    rec.id,
                    (
                        local_time(rec.created_at, self.app.policy.conduct.time_zone),
                        rec.account_ref,
                        present.kind_word(t, rec.kind),
                        str(h.get("months", "—")),
                        _money(f, h.get("installment"), rec.currency),
                        t(texts.AUTHORITIES.get(rec.authority, texts.AUTHORITIES[None])),
                        rec.actor,
                    ),
                )
            )
        if not rows:
            rows.append((None, ("—", t("Nothing is waiting."), "", "", "", "", "")))
        fill(
            self.query_one("#queue", DataTable),
            [
                ("saved", t("Saved"), "left"),
                ("account", t("Account"), "left"),
                ("offer", t("Offer"), "left"),
                ("months", t("Months"), "right"),
                ("installment", t("Installment"), "right"),
                ("authority", t("Authority"), "left"),
                ("actor", t("Saved by"), "left"),
            ],
            rows,
            drop=("offer", "authority"),  # at 80 columns: the details below say its kind and why it needs a supervisor
        )
        self.show_decided()
        self.show_details()

    def show_decided(self) -> None:
        """The offers decided most recently, the latest first: decision, who, when (local time), why."""
        t = self.t
        tz = self.app.policy.conduct.time_zone
        recent = getattr(self, "recent", [])
        self.query_one("#decided-title", Label).update(t("Recently decided: {n}", n=len(recent)))
        rows: list[tuple[str | None, tuple[object, ...]]] = [
            (
                rec.id,
                (
                    local_time(d.at, tz),
                    rec.account_ref,
                    Text(
                        t(texts.STATUSES.get(d.status, d.status)),
                        style="green" if d.status == OfferStatus.APPROVED else "red",
                    ),
                    clean(d.actor),  # only a supervisor decides: the name says who
                    clean(d.reason) if d.reason else "—",
                    present.kind_word(t, rec.kind),
                ),
            )
            for rec, d in recent
        ]
        if not rows:
            rows.append((None, ("—", t("Nothing decided yet."), "", "", "", "")))
        fill(  # what was decided, by whom and why first: at 80 columns the offer's kind, then the account go
            self.query_one("#decided", DataTable),
            [
                ("at", t("Decided"), "left"),
                ("account", t("Account"), "left"),
                ("decision", t("Decision"), "left"),
                ("by", t("By"), "left"),
                ("reason", t("Reason"), "left"),
                ("offer", t("Offer"), "left"),
            ],
            rows,
            drop=("offer", "account"),
        )

    @property
    def current(self):
        table = self.query_one("#queue", DataTable)
        if not self.records or not 0 <= table.cursor_row < len(self.records):
            return None
        return self.records[table.cursor_row]

    @on(DataTable.RowHighlighted, "#queue")
    def _highlight(self) -> None:
        self.show_details()
        self.refresh_bindings()

    def show_details(self) -> None:
        t, f = self.t, self.app.fmt
        rec = self.current
        out = Text()
        if rec is not None:
            h = rec.headline or {}
            out.append(f"{clean(rec.account_ref)}  {present.kind_word(t, rec.kind)}  ", style="bold")
            out.append(
                f"{t('Total')} {_money(f, h.get('total_repayable'), rec.currency)}  "
                f"{t('Down payment')} {_money(f, h.get('down_payment'), rec.currency)}  "
                f"{t('Last due')} {h.get('last_due', '—')}\n"
            )
            for v in h.get("violations", []):
                out.append("  • " + present.violation_text(SimpleNamespace(**v), t) + "\n", style="magenta")
            store, tz = self.session.store, self.app.policy.conduct.time_zone
            try:  # earlier decisions on the account's offers: why one was rejected before, and by whom
                earlier = decisions(store, [r for r in store.offers(rec.account_ref) if r.id != rec.id])
            except InstallmentError as exc:
                earlier = {}
                self.show_error(exc)
            for d in earlier.values():
                out.append("  " + present.decision_text(d, t, tz) + "\n", style="dim")
        self.query_one("#queue-details", Static).update(out)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            if self.app.role != "supervisor":
                return None
            return (self.is_mounted and self.current is not None) or None
        return True

    def action_decide(self, status: str) -> None:
        from .reason import ReasonScreen

        rec = self.current
        if rec is None or self.app.role != "supervisor":
            return
        session = self.session

        def decided(reason: str | None) -> None:
            if reason is None:
                return

            def done(new) -> None:
                self.load()
                self.show_status(self.t("Offer {id} {status}.", id=new.id, status=self.t(texts.STATUSES[new.status])))

            self.run_job("decide", lambda: session.set_status(rec.id, status, reason or None), done)

        ref = escape(clean(rec.account_ref))
        title = (
            self.t("Approve the offer for {ref}?", ref=ref)
            if status == OfferStatus.APPROVED
            else self.t("Reject the offer for {ref}?", ref=ref)
        )
        self.app.push_screen(
            ReasonScreen(
                title, required=status == OfferStatus.REJECTED, drafts=session.reason_drafts, key=(rec.id, status)
            ),
            decided,
        )


def _money(f, text, currency: str) -> str:
    try:
        return f.money(parse_amount(str(text), currency, "amount"), currency)
    except (InvalidInput, TypeError):
        return "—"
