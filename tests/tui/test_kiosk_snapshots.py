"""Snapshots of every kiosk step at a fixed size (fixed demo data, fixed day, fake clock)."""

from __future__ import annotations

import pytest

from kiosk_helpers import SIZE, ZHANG, fill_situation, identify, make_app, make_db, start_at

from installment_tui.kiosk.steps import Step

LANG_KEYS = {"zh_CN": "1", "zh_TW": "2", "en": "3"}
STEPS = (
    "welcome",
    "identify",
    "identify_failed",
    "owe",
    "situation",
    "situation_invalid",
    "plans",
    "confirm",
    "print",
    "done",
    "agent",
    "staff",
)


async def put_at(app, pilot, lang: str, step: str) -> None:
    """Put the app at ``step`` (``start_at``: the visit's state made by the app's own calls, and only the
    step's screen built; the walk there is the flow tests'), do what the step shows the outcome of, and
    let it settle: no cursor blink, no button flash, the countdown shown."""
    from textual.widgets import Button, Input

    async def settle():
        await pilot.pause()
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        for button in app.screen.query(Button):  # the short "pressed" flash of Button.press()
            button.remove_class("-active")
        app.tick()
        await pilot.pause()

    if step == "welcome":
        return await settle()
    if step == "staff":
        await pilot.press("f12")
        await pilot.pause()
        app.screen.query_one("#pin").value = "1111"
        app.screen.try_exit()
        return await settle()
    if step == "identify_failed":
        await start_at(app, pilot, Step.IDENTIFY, lang)
        await identify(app, pilot, (ZHANG[0], "9999", ZHANG[2]))
        return await settle()
    if step == "situation_invalid":
        await start_at(app, pilot, Step.SITUATION, lang)
        await fill_situation(app, pilot, {"adults": "0", "income": "12.345", "housing": "3500"})
        return await settle()
    await start_at(app, pilot, Step(step), lang)
    if step == "confirm":
        app.screen.query_one("#agree").value = True
    await settle()


def snapshot(snap_compare, tmp_path, lang: str, step: str, size: tuple[int, int] = SIZE) -> bool:
    db = make_db(tmp_path / "kiosk.db")
    app = make_app(db, tmp_path / "spool")

    async def run_before(pilot) -> None:
        await put_at(app, pilot, lang, step)

    return snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("step", STEPS)
def test_each_step_in_english(snap_compare, tmp_path, step):
    assert snapshot(snap_compare, tmp_path, "en", step)


@pytest.mark.parametrize("step", ["identify", "owe", "plans", "confirm", "done"])
def test_chinese_steps(snap_compare, tmp_path, step):
    assert snapshot(snap_compare, tmp_path, "zh_CN", step)


@pytest.mark.parametrize("step", ["owe", "plans"])
def test_traditional_chinese_steps(snap_compare, tmp_path, step):
    assert snapshot(snap_compare, tmp_path, "zh_TW", step)


@pytest.mark.parametrize("lang", ["zh_CN", None])
def test_temporarily_unavailable(snap_compare, tmp_path, lang):
    """After a fault: in the visit's language, or in all three when there was no visit (80x24 fits)."""
    db = make_db(tmp_path / "kiosk.db")
    app = make_app(db, tmp_path / "spool", retry=3600)

    async def run_before(pilot) -> None:
        if lang:
            await pilot.press(LANG_KEYS[lang])
            await pilot.pause()
        app.fault(RuntimeError("a fault"))
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("step", ["welcome", "identify", "owe", "situation", "plans", "confirm", "print", "done"])
def test_each_step_at_80x24(snap_compare, tmp_path, step, lang):
    assert snapshot(snap_compare, tmp_path, lang, step, (80, 24))
