"""Shared set-up for the agent console tests: a small demo database, a fixed day and clock."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from textual.screen import Screen

from textual.widgets import DataTable
from textual.worker import WorkerFailed

from installment_tui.agent.app import AgentApp
from installment_tui.agent.session import CallSession
from plans.demo_data import add_demo_offers, generate
from plans.policy import default_policy
from plans.store import open_store
from waiting import until

TODAY = date(2026, 12, 1)
SIZE = (160, 48)
POLICY = default_policy()


def store_clock() -> datetime:
    return datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)


def make_db(path: Path, accounts: int = 12) -> Path:
    """The documented demo accounts plus a few random ones (seed 2025: always the same)."""
    store = open_store(path, actor="test", role="system", clock=store_clock)
    cases = generate(accounts, 2025)
    store.upsert_accounts((c.account for c in cases), profiles={c.account.ref: c.profile for c in cases if c.profile})
    add_demo_offers(store, POLICY)  # earlier offers, an agreement and a queued offer, as `demo-data` makes
    store.close()
    return path


def make_app(
    db: Path,
    role: str = "agent",
    lang: str = "en",
    out: Path | None = None,
    keymap: Path | None = None,
    user: str = "wang.agent",
) -> AgentApp:
    store = open_store(db, actor=user, role=role, clock=store_clock)
    return AgentApp(
        store,
        POLICY,
        role,
        lang,
        today=TODAY,
        out_dir=out or db.parent / "out",
        keymap_path=str(keymap) if keymap else None,
        load_user_keymap=keymap is not None,
    )


async def open_account(app: AgentApp, pilot, ref: str):
    """Search for ``ref`` and open it, as an agent types it."""
    await pilot.pause()
    app.screen.query_one("#query").value = ref
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    return app.screen


async def show_for_account(app: AgentApp, pilot, ref: str, screen: Callable[[CallSession], Screen]):
    """Open ``ref`` as the search screen does (``CallSession.open``) and show ``screen(session)``, one of the
    screens the workspace opens over itself (the contact desk, the agreement), without building the
    workspace under it: for tests of that screen.  Getting there from the workspace is other tests'."""
    from installment_tui.agent.screens.search import SearchScreen

    await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.is_mounted)
    assert app.session is not None
    app.session.open(ref)
    shown = screen(app.session)
    await app.push_screen(shown)
    await until(pilot, lambda: app.screen is shown and shown.is_mounted)
    await settle(app, pilot)
    return shown


async def settle(app: AgentApp, pilot) -> None:
    """Wait for the workers (database writes, exports) and the messages they post.  A job that fails is
    what some tests are about: its screen shows the error (``on_worker_state_changed``), which they check;
    Textual's wait raises for it only while the failed worker is still listed, so it is not raised here."""
    try:
        await app.workers.wait_for_complete()
    except WorkerFailed:
        pass
    await pilot.pause()
    await pilot.pause()


def still(app) -> None:
    """No blinking cursor: a snapshot must not depend on when it is taken."""
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False


def text_of(widget) -> str:
    return str(widget.render())


def cell_texts(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
