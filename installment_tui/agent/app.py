"""The agent console app: language, role, key map, command palette and the screens.

Start it with ``installment agent``.  The first screen is account search; an
account opens the negotiation workspace.  The language (F2) switches at run time:
every screen re-labels itself through :meth:`AgentScreen.apply_language`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from installment_tui.i18n import LANGS, ui_translator
from plans.formatting import formats
from plans.policy import Policy
from plans.store import Store

from .commands import AgentCommands
from .keymap import load_keymap
from .session import CallSession


class AgentApp(App[None]):
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

    def __init__(self, store: Store, policy: Policy, role: str = "agent", lang: str = "zh_CN", *,
                 today: date | None = None, out_dir: str | Path = "out", keymap_path: str | None = None,
                 load_user_keymap: bool = True) -> None:
        super().__init__()
        self.role = role
        self.session = CallSession(store, policy, role, today or date.today())
        self.out_dir = Path(out_dir)
        self.keymap_path = keymap_path
        self.load_user_keymap = load_user_keymap
        self.set_reactive(AgentApp.lang, lang)
        self.t = ui_translator("agent", lang)
        self.fmt = formats(lang)

    # -- screens ------------------------------------------------------------------
    def get_default_screen(self):
        from .screens.search import SearchScreen

        return SearchScreen()

    def on_mount(self) -> None:
        self._set_titles()
        if self.load_user_keymap:
            keymap, warnings = load_keymap(self.keymap_path, self.binding_ids())
            if keymap:
                self.set_keymap(keymap)
            for w in warnings:
                self.notify(w, severity="warning", timeout=8)

    def binding_ids(self) -> set[str]:
        """Every binding id of the console (for key maps)."""
        from .screens import ALL_SCREENS

        ids = {b.id for b in self.BINDINGS if isinstance(b, Binding) and b.id}
        for screen in ALL_SCREENS:
            ids |= {b.id for b in screen.BINDINGS if isinstance(b, Binding) and b.id}
        return ids

    # -- language -----------------------------------------------------------------
    def watch_lang(self, lang: str) -> None:
        self.t = ui_translator("agent", lang)
        self.fmt = formats(lang)
        self._set_titles()
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_language", None)
            if apply is not None:
                apply()
            screen.refresh_bindings()

    def _set_titles(self) -> None:
        self.title = self.t("Installment planner")
        self.sub_title = self.t("Agent console") + " · " + self.t(
            "supervisor" if self.role == "supervisor" else "agent")

    def action_switch_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]

    def set_language(self, lang: str) -> None:
        self.lang = lang

    def action_approvals(self) -> None:
        from .screens.queue import QueueScreen

        if not isinstance(self.screen, QueueScreen):
            self.push_screen(QueueScreen())
