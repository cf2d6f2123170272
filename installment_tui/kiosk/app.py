"""The kiosk app: a locked-down, full-screen Textual app where debtors serve themselves.

Lock-down:

* no command palette (``ENABLE_COMMAND_PALETTE = False``) and every default
  app binding replaced: ``ctrl+q``, ``ctrl+c``, ``ctrl+p``, ``ctrl+z`` and ``ctrl+s``
  do nothing, and the actions behind them (quit, palette, suspend, screenshot)
  are disabled too, so no widget or link can reach them;
* only the kiosk's own screens exist; each is built fresh from the current visit
  and none is installed, so there is no way back to a previous debtor's screen;
* no clipboard: copying is ignored, so nothing typed can be pasted by the next person;
* the visit ends after ``idle_timeout`` seconds without a touch or key (a countdown
  is always on screen), when the debtor presses Start over, or when the receipt is
  printed: :meth:`KioskApp.end_visit` then drops the visit and every screen that
  showed it;
* the only way out is the staff exit on the welcome screen, which needs the PIN
  whose salted hash is in the configuration.

Faults: any error the screens do not handle themselves (a database locked too long,
a full disk, a damaged file, a bug) comes to :meth:`KioskApp.fault` (Textual sends
every unhandled error to ``_handle_exception``).  The kiosk never exits for one and
never prints a traceback or a value: it logs the error's kind and place
(:func:`installment_tui.faults.describe`), forgets the visit, and shows the
"temporarily unavailable" screen, which tries the database again every few seconds
and returns to the welcome screen when it works.  Only when faults come faster than
:data:`MAX_FAULTS` a minute (the kiosk cannot even show that screen) does it stop,
with exit status :data:`EXIT_FAULT`, so that a service manager restarts it.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.widgets import Button, Input

from installment_tui.screen_styles import BreakpointsFirst
from installment_tui.faults import describe
from installment_tui.i18n import ui_translator
from plans.text.i18n import DEFAULT_LANG
from plans.policy import Policy
from plans.store import StoreApi

from .config import KioskConfig
from .flow import back_step, next_step, screen_for, step_of
from .screens.base import Kiosk, KioskScreen
from .session import KioskSession
from .steps import Step

log = logging.getLogger("installment.kiosk")

#: Seconds the done screen stays before the welcome screen returns.
DONE_TIMEOUT = 15
#: More faults than this within a minute stop the kiosk ...
MAX_FAULTS = 10
#: ... with this exit status (EX_SOFTWARE), for a service manager to restart it.
EXIT_FAULT = 70


class KioskApp(BreakpointsFirst, App[None], inherit_bindings=False):
    CSS_PATH = "kiosk.tcss"
    TITLE = "Kiosk"
    ENABLE_COMMAND_PALETTE = False
    ESCAPE_TO_MINIMIZE = False
    #: Below 100 columns (e.g. an 80x24 terminal) the keypad and the big buttons narrow.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    #: Below 30 rows (an 80x24 terminal) titles, labels and inputs take one row each, so a whole step
    #: (its fields and its button) fits above the footer.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "blocked", show=False, priority=True, id="kiosk.block-quit"),
        Binding("ctrl+c", "blocked", show=False, priority=True, id="kiosk.block-interrupt"),
        Binding("ctrl+p", "blocked", show=False, priority=True, id="kiosk.block-palette"),
        Binding("ctrl+z", "blocked", show=False, priority=True, id="kiosk.block-suspend"),
        Binding("ctrl+s", "blocked", show=False, priority=True, id="kiosk.block-screenshot"),
        Binding("ctrl+x", "blocked", show=False, priority=True, id="kiosk.block-cut"),
        Binding("ctrl+v", "blocked", show=False, priority=True, id="kiosk.block-paste"),
    ]

    def __init__(
        self,
        store: StoreApi,
        policy: Policy,
        config: KioskConfig,
        *,
        today: date | None = None,
        clock: Callable[[], float] = time.monotonic,
        db_path: Path | None = None,
        tick: float = 1.0,
        retry: float = 5.0,
    ) -> None:
        super().__init__()
        self.store = store
        self.policy = policy
        self.config = config
        self.fixed_today = today
        self.clock = clock
        self.db_path = db_path
        self.tick_seconds = tick
        #: Seconds between two tries of the database while the kiosk is unavailable.
        self.retry_seconds = retry
        self.session: KioskSession | None = None
        self.lang = DEFAULT_LANG
        self.last_activity = clock()
        self.staff_failures = 0
        self.staff_locked_until = 0.0
        #: Times (``clock``) of recent faults, and when the kiosk became unavailable (None: it is not).
        self.fault_times: list[float] = []
        self.unavailable_since: float | None = None
        self.fault_kind: str | None = None

    # -- lock-down ---------------------------------------------------------------------
    def action_blocked(self) -> None:
        """What every blocked key does: nothing."""

    async def action_quit(self) -> None:
        """Quitting is only possible through the staff exit."""

    def action_help_quit(self) -> None:
        pass

    def action_command_palette(self) -> None:
        pass

    def action_suspend_process(self) -> None:
        pass

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        pass

    async def action_push_screen(self, screen: str) -> None:
        pass

    async def action_switch_screen(self, screen: str) -> None:
        pass

    async def action_pop_screen(self) -> None:
        pass

    async def action_switch_mode(self, mode: str) -> None:
        pass

    async def action_back(self) -> None:
        pass

    def action_change_theme(self) -> None:
        pass

    def copy_to_clipboard(self, text: str) -> None:
        """No clipboard on a kiosk: what one debtor copies cannot be pasted by the next."""
        self._clipboard = ""

    # -- faults ---------------------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """Every error Textual saw unhandled comes here.  Textual's own handling would exit and print
        a traceback with local variables (the debtor's answers); the kiosk carries on instead."""
        self.fault(error)

    def fault(self, error: BaseException, lang: str | None = None) -> None:
        """Log the fault (its kind and place, never a value), forget the visit, show the unavailable
        screen in the visit's language (``lang``, else the current visit's; all three without a visit);
        stop with :data:`EXIT_FAULT` when faults come too fast to carry on."""
        now = self.clock()
        self.fault_times = [t for t in self.fault_times if now - t < 60] + [now]
        log.error("fault: %s; visit cleared, kiosk unavailable", describe(error))
        lang = lang or (self.lang if self.session is not None else None)
        self._forget_visit()
        if len(self.fault_times) > MAX_FAULTS:
            log.critical("%d faults within a minute: stopping (exit status %d)", len(self.fault_times), EXIT_FAULT)
            self.exit(return_code=EXIT_FAULT)
            return
        if self.unavailable_since is None:
            self.unavailable_since = now
            self.fault_kind = type(error).__name__
        self._show(screen_for(Step.UNAVAILABLE, lang))

    def recovered(self) -> None:
        """The database works again: back to the welcome screen (audited when it can be)."""
        since, kind = self.unavailable_since, self.fault_kind
        self.unavailable_since = self.fault_kind = None
        if since is not None:
            seconds = max(0, int(self.clock() - since))
            log.info("available again after %d s", seconds)
            try:
                self.store.audit(
                    "kiosk.unavailable", "kiosk", self.config.kiosk_id, None, {"fault": kind, "seconds": seconds}
                )
            except Exception as exc:  # noqa: BLE001 - still failing: stay unavailable
                self.fault(exc)
                return
        self.touch()
        self._show(screen_for(Step.WELCOME))

    # -- start ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.push_screen(screen_for(Step.WELCOME))
        self.set_interval(self.tick_seconds, self.tick, name="kiosk-idle")

    def today(self) -> date:
        return self.fixed_today or date.today()

    def t(self, message: str, /, **values: object) -> str:
        return ui_translator("kiosk", self.lang)(message, **values)

    # -- the visit --------------------------------------------------------------------------
    def start_visit(self, lang: str) -> None:
        self.lang = lang
        self.session = KioskSession(self.store, self.policy, lang, self.today())
        self.touch()
        log.info("visit started (%s)", lang)
        self._show(screen_for(Step.IDENTIFY))

    def goto(self, step: Step, *args: Any) -> None:
        """Show ``step`` (a fresh screen from the flow table, built with ``args``)."""
        self.touch()
        self._show(screen_for(step, *args))

    def go_next(self, screen: KioskScreen, *args: Any) -> None:
        """Show the step after ``screen``'s in the flow table."""
        self.goto(next_step(self._step(screen)), *args)

    def go_back(self, screen: KioskScreen) -> None:
        """Show the step before ``screen``'s in the flow table."""
        self.goto(back_step(self._step(screen)))

    @staticmethod
    def _step(screen: KioskScreen) -> Step:
        step = step_of(screen)
        if step is None:
            raise LookupError(f"{type(screen).__name__} is not a step of the kiosk's flow")
        return step

    def _show(self, screen) -> None:
        """Switch to ``screen`` from the app's own message loop.

        Switching from a screen's handler would start the new screen's message loop in a
        context that still names the old screen as the active one (a context variable
        token keeps it), so the old screen, and what it showed, would stay in memory as
        long as the new one runs.  Going through the app's queue starts it from the app.
        """
        self.call_later(self.switch_screen, screen)

    def end_visit(self, reason: str, show_done: bool = False, receipt: bool = True) -> None:
        """Forget the visit and show the welcome screen (or the done screen first; ``receipt``:
        whether it may speak of a receipt, i.e. the visit printed one).  The visit is forgotten
        first, so a database that fails to record its end still leaves nothing behind."""
        ref = self.session.account.ref if self.session is not None and self.session.account is not None else None
        agreed = self.session is not None and self.session.agreement_id is not None
        lang = self.lang
        self._forget_visit()
        log.info("visit ended (%s)", reason)
        if ref is not None:
            try:
                self.store.audit("kiosk.visit_ended", "account", ref, None, {"reason": reason})
                # the contact log: an inbound kiosk visit (a promise when a plan was agreed)
                self.store.log_contact(
                    ref, self.policy, "kiosk", "promise" if agreed else "answered", direction="inbound", note=reason
                )
            except Exception as exc:  # noqa: BLE001 - the unavailable screen, not a crash
                self.fault(exc, lang)
                return
        self.touch()
        self._show(screen_for(Step.DONE, lang, receipt) if show_done else screen_for(Step.WELCOME))

    def _forget_visit(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            session.clear()
        del session
        self._clipboard = ""
        self.clear_notifications()
        self.lang = DEFAULT_LANG

    # -- idle ---------------------------------------------------------------------------------
    def touch(self) -> None:
        self.last_activity = self.clock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.touch()
        await super().on_event(event)

    @on(Button.Pressed)
    @on(Input.Changed)
    def _activity(self) -> None:
        self.touch()

    def seconds_left(self) -> int:
        limit = DONE_TIMEOUT if getattr(self.screen, "IS_DONE", False) else self.config.idle_timeout
        return max(0, int(limit - (self.clock() - self.last_activity) + 0.999))

    def tick(self) -> None:
        """Once a second: update the countdown; end the visit when it reaches zero."""
        try:
            self._tick()
        except Exception as exc:  # noqa: BLE001 - the app's own timer must never stop the kiosk
            self.fault(exc)

    def _tick(self) -> None:
        screen = self.screen
        if not getattr(screen, "TIMED", False):
            return
        left = self.seconds_left()
        if left <= 0:
            if getattr(screen, "IS_DONE", False):
                self.end_visit("done")
            else:
                self.end_visit("idle")
            return
        show = getattr(screen, "show_countdown", None)
        if show is not None:
            show(left)


if TYPE_CHECKING:
    #: mypy checks that the app gives the screens all they use of it (:class:`.screens.base.Kiosk`).
    _THE_APP_IS_A_KIOSK: type[Kiosk] = KioskApp
