"""A footer whose key descriptions follow the app's language.

The app gives a callable ``translate(text) -> text`` (for the agent console,
``app.t``); bindings keep English descriptions, shown translated here.  Switching
language only needs ``screen.refresh_bindings()``.

Below :data:`NARROW` columns (an 80x24 terminal) the footer is compact, leaves out the
keys that do nothing right now (greyed ones) and the Back key (Esc always goes back), and
wraps the rest onto a second row when they do not fit on one: no key is cut off.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


#: Terminals narrower than this get the compact footer.
NARROW = 110

#: Textual's own default for a footer key (``FooterKey.compact = reactive(True)``), kept by keys not bound
#: to the footer's ``compact`` (the palette key).
KEY_DEFAULT_COMPACT = True


def _width(key: FooterKey) -> int:
    """Cells a compact footer key takes: key, space, description, and the gap after it."""
    return cell_len(key.key_display) + 1 + cell_len(key.description) + 1


def _columns(widths: list[int], room: int) -> int:
    """The most columns (keys in a row) whose widest keys fit in ``room`` cells."""
    for columns in range(len(widths), 1, -1):
        if sum(max(widths[c::columns]) for c in range(columns)) <= room:
            return columns
    return 1


def _born_with(key: FooterKey, compact: bool) -> None:
    """Give a new key the footer's ``compact`` before it is mounted.

    Textual's keys start compact and learn the footer's value from ``data_bind`` once mounted; each
    change of the value then restyles the mounted key (a stylesheet pass over it), twice per key on
    every recompose (every focus change).  Starting with the value it will be bound to, the binding
    changes nothing: same look, no restyling.
    """
    key.set_reactive(FooterKey.compact, compact)
    key.set_class(compact, "-compact", update=False)


class TranslatedFooter(Footer):
    def compose(self) -> ComposeResult:
        translate = getattr(self.app, "t", None)
        width = self.app.size.width
        narrow = self._narrow = width < NARROW
        if narrow:
            self.compact = True
        keys: list = []
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Bound keys get the footer's look; the palette key is not bound and keeps Textual's default
                bound = "compact" in (getattr(widget, "_reactive_connect", None) or {})
                _born_with(widget, self.compact if bound else KEY_DEFAULT_COMPACT)
                # FooterKey keeps "greyed" in a class (its ``disabled`` attribute is Textual's, always False here)
                if narrow and (widget.has_class("-disabled") or widget.key == "escape"):
                    continue
                if translate is not None and widget.description:
                    widget.description = translate(widget.description)
                if narrow:
                    widget.remove_class("-command-palette", update=False)  # in the grid with the others, not docked
            keys.append(widget)
        if narrow and keys:  # wrap onto as few rows as the keys fit in
            widths = [_width(k) for k in keys]
            columns = _columns(widths, width)
            self.styles.layout = "grid"
            self.styles.grid_size_columns = columns
            self.styles.grid_columns = " ".join(str(max(widths[c::columns])) for c in range(columns))
            self.styles.height = -(-len(keys) // columns)
        yield from keys

    def _shown(self) -> tuple:
        """What :meth:`compose` builds the keys from: the screen's shown bindings (key, how it is
        displayed, translated description, action, enabled, tooltip, group), the palette key, and whether
        the footer is narrow and at which width."""
        translate = getattr(self.app, "t", None) or (lambda text: text)
        width = self.app.size.width
        bindings = tuple(
            (
                binding.key,
                self.app.get_key_display(binding),
                translate(binding.description) if binding.description else "",
                binding.action,
                enabled,
                tooltip,
                binding.group,
                binding.show,
            )
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
        )
        palette = (self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, self.app.COMMAND_PALETTE_BINDING)
        return (self._bindings_ready, bindings, palette, width if width < NARROW else None)

    async def recompose(self) -> None:
        """Rebuild the keys only when what they show changed.  Textual recomposes the footer on every
        change of the screen's bindings, i.e. on every focus change, mostly to the same keys: removing,
        creating, mounting and styling them again cost about a tenth of the console's CPU per key press."""
        if not self.is_attached:
            return
        shown = self._shown()
        if shown == getattr(self, "_shown_keys", None):
            return
        self._shown_keys = shown
        await super().recompose()

    async def on_resize(self) -> None:
        if (self.app.size.width < NARROW) != getattr(self, "_narrow", None):
            if self.app.size.width >= NARROW:  # back to Textual's one-row footer
                self.styles.layout = "horizontal"
                self.styles.height = 1
            await self.recompose()
