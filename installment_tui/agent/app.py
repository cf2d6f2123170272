"""The agent console app: sign-in, language, role, key map, command palette and the screens.

Start it with ``installment agent``.  The first screen asks who is using the
console (name and password, ``installment users``); the role comes from that
user's account and every change is recorded in the audit log under their name.
Then comes account search; an account opens the negotiation workspace.  The
language (F2) switches at run time: every screen re-labels itself through
:meth:`AgentScreen.apply_language`.

Consoles see each other's changes: every second the app asks the store whether
another console, kiosk or batch committed something (:meth:`Store.watch_changes`),
and if so the screen on top reads its data again (``external_change``): a
supervisor's approval or a payment shows in an agent's open workspace and queue
within two seconds.

An unexpected error (a bug, a database that fails mid-call) never ends the call:
every screen, widget and the app itself handle their messages through
:class:`installment_tui.faults.KeepRunning`, so the error comes to
:meth:`AgentApp.fault`, which says on the screen what failed and where, logs it, and
the console carries on with every draft in place.  Only when errors come faster than
:data:`MAX_FAULTS` a minute, or before the console is up, does it stop, with exit
status 1 and never Textual's traceback with local variables (which would show the
data of the call).
"""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Static

from installment_tui.i18n import LANGS, ui_translator
from plans.text.sanitize import clean
from installment_tui.screen_styles import BreakpointsFirst
from installment_tui.faults import KeepRunning, PlainTraceback, describe
from plans.text.formatting import formats
from plans.policy import Policy
from plans.store import StoreApi, User
from plans.store.backend import Watch

from .commands import AgentCommands
from .keymap import load_keymap
from .session import CallSession

log = logging.getLogger("installment.agent")

#: More unexpected errors than this within a minute stop the console (exit status 1).
MAX_FAULTS = 10


class AgentApp(KeepRunning, PlainTraceback, BreakpointsFirst, App[None]):
    CSS_PATH = "agent.tcss"
    TITLE = "Installment planner"
    COMMANDS = App.COMMANDS | {AgentCommands}
    BINDINGS = [
        Binding("f2", "switch_language", "Language", id="app.language"),
        Binding("f10", "approvals", "Approvals", id="app.approvals"),
    ]

    #: Below 150 columns the workspace narrows its left pane; below 110 (an 80x24 terminal)
    #: the negotiation fields also go three to a row, so each is wide enough to read.
    HORIZONTAL_BREAKPOINTS = [(0, "-small"), (110, "-narrow"), (150, "-wide")]

    lang: reactive[str] = reactive("zh_CN", init=False)
    #: Seconds between two checks for other consoles' changes.
    CHANGE_POLL = 1.0

    def __init__(
        self,
        store: StoreApi,
        policy: Policy,
        role: str | None = None,
        lang: str = "zh_CN",
        *,
        today: date | None = None,
        out_dir: str | Path = "out",
        keymap_path: str | None = None,
        load_user_keymap: bool = True,
        user_name: str = "",
    ) -> None:
        """``role`` None: the console starts with the sign-in screen (``installment agent`` always
        does); a role: ``store``'s actor is taken as signed in with it (tests, benchmarks)."""
        super().__init__()
        self.store = store
        self.policy = policy
        self.today = today or date.today()
        self.user_name = user_name
        self.role = role or ""
        self.session: CallSession | None = None
        if role is not None:
            self.session = CallSession(store, policy, role, self.today)
        self.out_dir = Path(out_dir)
        self.keymap_path = keymap_path
        self.load_user_keymap = load_user_keymap
        self.set_reactive(AgentApp.lang, lang)
        self.t = ui_translator("agent", lang)
        self.fmt = formats(lang)
        self._changes: Watch | None = None
        self.fault_times: list[float] = []
        #: Set once the console is up (after mounting): from then on an error is a fault it carries on after.
        self.up = False

    # -- unexpected errors --------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for an error no handler caught: before the console is up (or while it
        stops) it ends the console with status 1; afterwards it is a :meth:`fault` like any other."""
        if self.up and self.is_running and not self._exit_renderables and self._return_code is None:
            self.fault(error)
        else:
            super()._handle_exception(error)

    def fault(self, error: BaseException) -> None:
        """An unexpected error: say what failed on the screen where it happened and carry on (every
        draft stays); stop with status 1 when errors come too fast to carry on."""
        if not self.up:  # before the console is up there is nothing to carry on with: exit 1, plain traceback
            App._handle_exception(self, error)  # type: ignore[arg-type]  # Textual's handler takes any error
            return
        now = time.monotonic()
        self.fault_times = [t for t in self.fault_times if now - t < 60] + [now]
        what = describe(error)
        log.error("unexpected error: %s", what)
        self.bell()
        if len(self.fault_times) > MAX_FAULTS:
            self.exit(
                return_code=1,
                message=self.t(
                    "The console stopped: {n} unexpected errors within a minute, the last {what}. "
                    "Saved offers, profiles and notes are safe; unsaved drafts are lost.",
                    n=len(self.fault_times),
                    what=what,
                ),
            )
            return
        text = self.t(
            "Unexpected error ({what}). The console keeps running and your drafts are kept: "
            "try again, or tell the support desk.",
            what=what,
        )
        show = getattr(self.screen, "show_error", None)
        if show is not None:
            show(text)
        else:
            self.notify(text, title=self.t("Not done"), severity="error", timeout=10, markup=False)

    # -- screens ------------------------------------------------------------------
    def get_default_screen(self):
        from .screens.search import SearchScreen
        from .screens.signin import SignInScreen

        return SearchScreen() if self.session is not None else SignInScreen(self.user_name)

    def signed_in(self, user: User) -> None:
        """``user`` signed in: everything from now on is done (and audited) as them, in their role."""
        from .screens.search import SearchScreen

        self.role = user.role
        self.session = CallSession(self.store.as_actor(user.name, user.role), self.policy, user.role, self.today)
        self._set_titles()
        self.push_screen(SearchScreen())  # over the sign-in screen, which is never shown again

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "approvals" and self.session is None:
            return None  # nothing before signing in
        return True

    def on_mount(self) -> None:
        self._set_titles()
        try:
            self._changes = self.store.watch_changes()  # what other consoles commit from now on
        except Exception:  # noqa: BLE001 - tried again on each tick (_check_changes)
            self._changes = None
        self.set_interval(self.CHANGE_POLL, self._check_changes, name="changes")
        if self.load_user_keymap:
            keymap, warnings = load_keymap(self.keymap_path, self.binding_ids())
            if keymap:
                self.set_keymap(keymap)
            for w in warnings:
                self.notify(w, severity="warning", timeout=8)
        self.up = True

    def binding_ids(self) -> set[str]:
        """Every binding id of the console (for key maps)."""
        from .screens import ALL_SCREENS

        ids = {b.id for b in self.BINDINGS if isinstance(b, Binding) and b.id}
        for screen in ALL_SCREENS:
            ids |= {b.id for b in screen.BINDINGS if isinstance(b, Binding) and b.id}
        return ids

    # -- other consoles' changes ----------------------------------------------------
    @work(thread=True, exclusive=True, group="changes", exit_on_error=False)
    def _check_changes(self) -> None:
        """Off the event loop (a network round trip on PostgreSQL); a failed check is tried again
        on the next tick with a new watch (the screens report a database that cannot be read)."""
        try:
            if self._changes is None:
                self._changes = self.store.watch_changes()
                return
            changed = self._changes.poll()
        except Exception:  # noqa: BLE001 - see the docstring
            watch, self._changes = self._changes, None
            if watch is not None:
                try:
                    watch.close()
                except Exception:  # noqa: BLE001
                    pass
            return
        if changed:
            self.call_from_thread(self._external_change)

    def _external_change(self) -> None:
        refresh = getattr(self.screen, "external_change", None)
        if refresh is not None and self.session is not None:
            refresh()

    def on_unmount(self) -> None:
        if self._changes is not None:
            self._changes.close()

    # -- language -----------------------------------------------------------------
    def watch_lang(self, lang: str) -> None:
        self.t = ui_translator("agent", lang)
        self.fmt = formats(lang)
        self._set_titles()
        for screen in self.screen_stack:
            for status in screen.query("#status").results(Static):  # it was said in the other language
                status.update("")
            apply = getattr(screen, "apply_language", None)
            if apply is not None:
                apply()
            screen.refresh_bindings()

    def _set_titles(self) -> None:
        self.title = self.t("Installment planner")
        if self.session is None:
            self.sub_title = self.t("Agent console")
            return
        self.sub_title = (
            self.t("Agent console")
            + " · "
            + clean(self.session.store.actor)
            + " · "
            + self.t("supervisor" if self.role == "supervisor" else "agent")
        )

    def action_switch_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]

    def set_language(self, lang: str) -> None:
        self.lang = lang

    def get_system_commands(self, screen):
        """Textual's own palette entries, in the console's language (the theme and the SVG screenshot
        are left out: they change nothing for a call)."""
        from textual.app import SystemCommand

        from .texts import SYSTEM_COMMANDS

        for cmd in super().get_system_commands(screen):
            words = SYSTEM_COMMANDS.get(cmd.title)
            if words is not None:
                yield SystemCommand(self.t(words[0]), self.t(words[1]), cmd.callback, cmd.discover)

    async def action_quit(self) -> None:
        """Ctrl+Q: with unsaved notes, profiles or terms, ask first (Save / Discard / Cancel)."""
        from .screens.quit import QuitScreen
        from .unsaved import unsaved_work

        if isinstance(self.screen, QuitScreen):
            return
        if unsaved_work(self.session):
            self.push_screen(QuitScreen())
        else:
            self.exit()

    def action_approvals(self) -> None:
        from .screens.queue import QueueScreen

        if self.session is not None and not isinstance(self.screen, QueueScreen):
            self.push_screen(QueueScreen())
