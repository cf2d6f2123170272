"""A new screen is styled once, not three times.

Textual styles each widget of a screen as it is mounted.  It then styled the whole screen
twice more, although nothing had changed:

* on its first ``Resize``, a moment after it is mounted, Textual gives the screen its
  breakpoint classes (``-narrow``, ``-short``...: ``HORIZONTAL_BREAKPOINTS`` and
  ``VERTICAL_BREAKPOINTS``); the classes change, so every node is styled again.  Worse,
  what was laid out before (with the classes of another size) had already scrolled the
  screen: at 80x24 a kiosk step could open scrolled down, its greeting out of sight.
  :class:`BreakpointsFirst` gives a screen the classes of the terminal's size before it is
  mounted, so its first ``Resize`` finds nothing to change.  A later resize moves them as
  before: Textual's ``Screen._on_resize`` still keeps them right.
* when it is first shown (``ScreenResume``), Textual styles it whole again, which a screen
  coming back needs (what changed while it was hidden) but one just mounted does not:
  :class:`StyledOnce` skips that one.

Each push of a screen used to pay for styling it three times (a third to a half of the
consoles' CPU on a new screen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the mixins are mixed into (at run time they add to it through the MRO)
    from textual import events
    from textual.app import App
    from textual.screen import Screen

    _App = App[Any]
    _Screen = Screen[Any]
else:
    _App = _Screen = object

Breakpoints = list[tuple[int, str]]


def breakpoint_classes(width: int, height: int, horizontal: Breakpoints, vertical: Breakpoints) -> dict[str, bool]:
    """Each breakpoint class, and whether a screen of ``width`` x ``height`` has it: of each list of
    ``(from, class)``, the class with the largest ``from`` that the dimension reaches (Textual's rule)."""
    classes = dict.fromkeys((name for _, name in [*horizontal, *vertical]), False)
    for size, points in ((width, horizontal), (height, vertical)):
        reached = [(start, name) for start, name in points if size >= start]
        if reached:
            classes[max(reached)[1]] = True
    return classes


class BreakpointsFirst(_App):
    """Mixed into a Textual ``App`` (before ``App``): a screen pushed or switched to gets the breakpoint
    classes of the app's size before it is mounted."""

    def _with_breakpoints(self, screen: object) -> None:
        from textual.screen import Screen

        if not isinstance(screen, Screen) or screen.is_attached:
            return
        horizontal = screen.HORIZONTAL_BREAKPOINTS
        vertical = screen.VERTICAL_BREAKPOINTS
        width, height = self.size
        screen.update_classes(
            breakpoint_classes(
                width,
                height,
                (self.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal) or [],
                (self.VERTICAL_BREAKPOINTS if vertical is None else vertical) or [],
            ),
            update=False,
        )

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self._with_breakpoints(screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        self._with_breakpoints(screen)
        return super().switch_screen(screen)


class StyledOnce(_Screen):
    """Mixed into a Textual ``Screen`` (before ``Screen``): the first time it is shown it is not styled
    again.  Textual calls the ``_on_screen_resume`` of every class in the MRO, this one before
    ``Screen``'s, which reads ``refresh_styles``."""

    __shown = False  # private to this mixin (name-mangled): screens keep their own attributes

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self.__shown:
            self.__shown = True
            event.refresh_styles = False


__all__ = ["BreakpointsFirst", "StyledOnce", "breakpoint_classes"]
