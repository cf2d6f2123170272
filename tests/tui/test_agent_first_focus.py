"""A screen starts on the widget it names and focuses nothing before it: Textual focuses the first focusable
widget unless told otherwise, and when that is a scroll container, focusing it and moving on restyled
everything it holds (a third of the CPU of opening the profile)."""

from __future__ import annotations

from agent_helpers import make_app, open_account
from textual.screen import Screen


async def test_opening_the_workspace_and_its_forms_focuses_no_scroll_container_on_the_way(db, monkeypatch):
    focused: list = []
    set_focus = Screen.set_focus

    def noted(self, widget, *args, **kwargs):
        if widget is not None:
            focused.append((widget, len(widget.children)))  # a container holds widgets; a control none
        return set_focus(self, widget, *args, **kwargs)

    monkeypatch.setattr(Screen, "set_focus", noted)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        assert app.focused is not None and app.focused.id == "field-pay-input"
        for key, first in (("f3", "field-adults-input"), ("f5", "note")):
            await pilot.press(key)
            await pilot.pause()
            assert app.focused is not None and app.focused.id == first, key
            await pilot.press("escape")
            await pilot.pause()
    assert focused and not [w for w, held in focused if held]
