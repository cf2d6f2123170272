"""What every agent-console screen shares: translation, an error line, and workers.

Slow or blocking work (database writes, PDF export) runs in a thread worker
started with :meth:`AgentScreen.run_job`; its result or error comes back to one
place, :meth:`on_worker_state_changed`, which calls the job's callback or shows
the error on the screen where it happened.  Nothing raises out of a screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

from textual.binding import Binding
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Select, Static
from textual.worker import Worker, WorkerState

from calc.errors import InstallmentError
from installment_tui.faults import KeepRunning
from installment_tui.screen_styles import StyledOnce

from ..error_words import error_words
from plans.text.sanitize import clean

if TYPE_CHECKING:  # the app imports the screens: the screens name it for the type checker only
    from textual import getters
    from textual.dom import DOMNode

    from ..app import AgentApp
    from ..session import CallSession

    _Node = DOMNode
else:
    _Node = object

FIELD_NAMES = {
    "note": "Note",
    "account_ref": "Account",
    "offer": "Offer",
    "offer_id": "Offer",
    "status": "Status",
    "profile": "Profile",
    "db": "Database",
    "reason": "Reason",
    "summary": "Summary",
    "format": "Format",
    "amount": "Amount",
    "paid_on": "Paid on",
    "reference": "Reference",
    "channel": "How it was paid",
    "agreement": "Agreement",
    "agreement_id": "Agreement",
    "role": "Role",
    "adults": "Adults",
    "children": "Children",
    "recovery_date": "Expected recovery",
    "pay": "Can pay / month",
    "months": "Months",
    "down": "Down payment",
    "first_due": "First due date",
    "tiers": "Step tiers",
}


class JobsMixin(_Node):
    """Thread workers with one place for results and errors (mixed into the agent console's screens)."""

    if TYPE_CHECKING:  # the agent console these screens are shown in (as Textual's MessagePump declares its app)
        app = getters.app(AgentApp)

    @property
    def session(self) -> CallSession:
        """The signed-in user's call session (every screen but sign-in is shown after signing in)."""
        session = self.app.session
        if session is None:
            raise RuntimeError("no one is signed in")
        return session

    def t(self, message: str, /, **values: object) -> str:
        return self.app.t(message, **values)

    def apply_language(self) -> None:
        """Set every visible text in the app's current language (override)."""

    def error_text(self, exc: BaseException) -> str:
        if isinstance(exc, InstallmentError):
            field = getattr(exc, "field", None)
            label = self.t(FIELD_NAMES.get(field, field)) if field else ""
            message = error_words(exc, self.t, self.app.lang)
            return f"{label}: {message}" if label else message
        if isinstance(exc, OSError) and exc.filename:  # an export folder that cannot be written
            return self.t("Could not write {path}: {reason}", path=exc.filename, reason=exc.strerror or exc)
        return f"{type(exc).__name__}: {exc}"

    def show_error(self, exc: BaseException | str) -> None:
        text = clean(exc if isinstance(exc, str) else self.error_text(exc))  # messages may quote data
        for status in self.query("#status").results(Static):
            status.update(f"[b $error]✘[/] {escape(text)}")
        self.app.notify(escape(text), title=self.t("Not done"), severity="error", timeout=8)

    def show_status(self, text: str) -> None:
        text = clean(text)
        for status in self.query("#status").results(Static):
            status.update(f"[b $success]✔[/] {escape(text)}")

    def run_job(self, name: str, fn: Callable[[], Any], done: Callable[[Any], object] | None = None) -> Worker:
        self._jobs = getattr(self, "_jobs", {})
        worker = self.run_worker(fn, name=name, group=name, thread=True, exclusive=True, exit_on_error=False)
        self._jobs[worker] = done
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        jobs = getattr(self, "_jobs", {})
        if event.worker not in jobs:
            return
        if event.state == WorkerState.SUCCESS:
            done = jobs.pop(event.worker)
            if done is not None:
                try:
                    done(event.worker.result)
                except InstallmentError as exc:
                    self.show_error(exc)
                except Exception as exc:  # noqa: BLE001 - a fault: reported, the console goes on
                    self.app.fault(exc)
        elif event.state == WorkerState.ERROR:
            jobs.pop(event.worker)
            error = event.worker.error
            if isinstance(error, (InstallmentError, OSError)):
                self.show_error(error)
            elif error is not None:  # a bug or a database fault: what failed and where, never a bare repr
                self.app.fault(error)
        elif event.state == WorkerState.CANCELLED:
            jobs.pop(event.worker)


# A screen whose first focusable widget is a scroll container names the widget it starts on in AUTO_FOCUS
# rather than focusing it in on_mount: Textual would focus the container first, and focusing (then leaving)
# a container restyles everything it holds (a third of the CPU of opening the profile).
class AgentScreen(KeepRunning, JobsMixin, StyledOnce, Screen):
    def on_mount(self) -> None:
        self.apply_language()

    def key_hint(self, binding_id: str) -> str:
        """The first key bound to ``binding_id`` on this screen now, after the user's key map ("F12"; empty
        when none is), so that a hint never names a key that does something else."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return key_name(active.binding.key)
        return ""


def selected(select: Select) -> str:
    """The value of a ``Select`` made with ``allow_blank=False`` (so never blank)."""
    value = select.selection
    if value is None:
        raise RuntimeError(f"#{select.id} has nothing selected")
    return str(value)


def key_name(key: str) -> str:
    """A Textual key as people write it: ``ctrl+k`` -> ``Ctrl+K``, ``f12`` -> ``F12``."""
    return "+".join(part[:1].upper() + part[1:] for part in key.split("+"))


R = TypeVar("R")


class AgentModal(KeepRunning, JobsMixin, StyledOnce, ModalScreen[R]):
    # A modal hides the app's bindings: the language key is repeated here, with the same id
    # (so a key map moves it too), so F2 works in every dialog.
    BINDINGS = [Binding("f2", "app.switch_language", "Language", id="app.language")]

    def on_mount(self) -> None:
        self.apply_language()
