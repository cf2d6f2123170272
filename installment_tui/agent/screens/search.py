"""Find the account: by reference, name, or the last four digits of the phone."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Label, Static

from installment_tui.widgets.footer import TranslatedFooter
from installment_tui.widgets.tables import FitTable, fill
from plans.store import Account

from .. import present, texts
from .base import AgentScreen


class SearchScreen(AgentScreen):
    BINDINGS = [
        Binding("ctrl+f", "focus_query", "Find", id="search.find"),
        Binding("down", "focus_results", "Results", id="search.results", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-body"):
            yield Label("", id="search-title", classes="title")
            yield Input(id="query")
            yield FitTable(id="results", cursor_type="row", zebra_stripes=True)
            yield Static("", id="status")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        self.accounts: list[Account] = []
        self.query_one("#query", Input).focus()
        self.search("")

    def apply_language(self) -> None:
        self.query_one("#search-title", Label).update(self.t("Find the account"))
        self.query_one("#query", Input).placeholder = self.t("Reference, name or phone last four — Enter opens")
        self._fill()

    def on_screen_resume(self) -> None:
        """Back from an account: the list starts with it (when nothing is typed)."""
        if self.is_mounted and not self.query_one("#query", Input).value.strip():
            self.search("")

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one("#results", DataTable).focus()

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def search(self, query: str) -> None:
        try:
            self.accounts = self.session.find(query) if query.strip() else self.first_accounts()
        except Exception as exc:  # noqa: BLE001 - a broken database is shown, not raised
            self.accounts = []
            self.show_error(exc)
        self._fill()

    def first_accounts(self, limit: int = 100) -> list:
        """Before anything is typed: the accounts opened in this session (latest first), then the
        documented demo accounts the README walks through (those in this database), then the rest."""
        from plans.demo_data import documented_cases
        from plans.store.records import NotFound

        session = self.session
        first = []
        for ref in dict.fromkeys([*reversed(session.recent), *(c.account.ref for c in documented_cases())]):
            try:
                first.append(session.store.get_account(ref))
            except NotFound:
                continue
        shown = {a.ref for a in first}
        return (first + [a for a in session.find("", limit) if a.ref not in shown])[:limit]

    def _fill(self) -> None:
        t, f = self.t, self.app.fmt
        columns = [
            ("ref", t("Reference"), "left"),
            ("name", t("Name"), "left"),
            ("phone", t("Phone"), "left"),
            ("region", t("Region"), "left"),
            ("debt", t("Total debt"), "right"),
            ("overdue", t("Days overdue"), "right"),
        ]
        policy, lang = self.app.policy, self.app.lang
        rows = [
            (
                a.ref,
                (
                    a.ref,
                    a.name or "—",
                    texts.masked_phone(a.phone),
                    present.region_name(policy, a.region, t, lang),
                    f.money(a.debt.total, a.currency),
                    str(a.days_overdue),
                ),
            )
            for a in self.accounts
        ]
        # at 80 columns the region goes first (the reference, name and phone say which account it is)
        fill(self.query_one("#results", DataTable), columns, rows, drop=("region", "phone"))
        status = self.query_one("#status", Static)
        if self.accounts:
            status.update(self.t("{n} accounts found", n=len(self.accounts)))
        elif not self.query_one("#query", Input).value.strip():
            status.update(
                self.t(
                    "The database has no accounts yet: load them with `installment import FILE.csv` "
                    "(or `installment demo-data` for demo accounts)."
                )
            )
        else:
            status.update(self.t("No account matches; try the reference, a name, or the phone's last four digits."))

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        table = self.query_one("#results", DataTable)
        if self.accounts:
            row = table.cursor_row if 0 <= table.cursor_row < len(self.accounts) else 0
            self.open_account(self.accounts[row].ref)

    @on(DataTable.RowSelected, "#results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key and event.row_key.value:
            self.open_account(event.row_key.value)

    def open_account(self, ref: str) -> None:
        from .workspace import WorkspaceScreen

        try:
            self.session.open(ref)
        except Exception as exc:  # noqa: BLE001 - shown on this screen
            self.show_error(exc)
            return
        self.app.push_screen(WorkspaceScreen())
