"""Snapshots of every kiosk step at a fixed size (fixed demo data, fixed day, fake clock)."""

from __future__ import annotations


import pytest

from kiosk_helpers import SIZE, ZHANG, fill_situation, identify, make_app, make_db

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


async def walk(app, pilot, lang: str, step: str) -> None:
    """Drive the app to ``step`` the way a debtor would."""
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
    await pilot.press(LANG_KEYS[lang])
    await pilot.pause()
    if step == "identify":
        return await settle()
    if step == "identify_failed":
        await identify(app, pilot, (ZHANG[0], "9999", ZHANG[2]))
        return await settle()
    await identify(app, pilot, ZHANG)
    if step == "owe":
        return await settle()
    if step == "agent":
        app.screen.query_one("#agent").press()
        return await settle()
    app.screen.query_one("#next").press()
    await pilot.pause()
    if step == "situation":
        return await settle()
    if step == "situation_invalid":
        await fill_situation(app, pilot, {"adults": "0", "income": "12.345", "housing": "3500"})
        return await settle()
    await fill_situation(app, pilot)
    if step == "plans":
        return await settle()
    app.screen.query_one("#choose-0").press()
    await pilot.pause()
    if step == "confirm":
        app.screen.query_one("#agree").value = True
        return await settle()
    app.screen.query_one("#agree").value = True
    await pilot.pause()
    app.screen.query_one("#accept").press()
    await pilot.pause()
    await app.screen.wait_printed()
    await pilot.pause()
    if step == "print":
        return await settle()
    app.screen.query_one("#finish").press()
    await settle()


def snapshot(snap_compare, tmp_path, lang: str, step: str, size: tuple[int, int] = SIZE) -> bool:
    db = make_db(tmp_path / "kiosk.db")
    app = make_app(db, tmp_path / "spool")

    async def run_before(pilot) -> None:
        await walk(app, pilot, lang, step)

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
