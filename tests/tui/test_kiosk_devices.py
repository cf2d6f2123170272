"""Kiosk devices and staff: the PIN-guarded staff exit, the on-screen keypad, the printer, no clipboard."""

from __future__ import annotations

import sys

import pytest

from kiosk_helpers import (
    wait_for_screen,
    SIZE,
    make_app,
    make_db,
    screen_text,
    start_at,
)

from installment_tui.kiosk.screens.welcome import WelcomeScreen
from installment_tui.kiosk.steps import Step
from plans.store import open_store


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "kiosk.db")


@pytest.fixture
def spool(tmp_path):
    return tmp_path / "spool"


async def test_no_clipboard_between_debtors(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press(*"DEMO-0001")
        app.copy_to_clipboard("DEMO-0001")
        assert app.clipboard == ""
        await pilot.press("ctrl+c", "ctrl+x")
        assert app.clipboard == ""


async def test_staff_exit_needs_the_pin(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#pin").value = "1111"
        await pilot.click("#exit")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert "Wrong PIN" in str(screen.query_one("#result").content)
        assert screen.query_one("#pin").value == ""
        await pilot.click("#cancel")
        await wait_for_screen(app, pilot, WelcomeScreen)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.click("#staff")
        await pilot.pause()
        await pilot.press(*"246810", "enter")
        await pilot.pause()
    assert app.return_code == 0
    store = open_store(db)
    actions = [e.action for e in store.audit_log() if e.actor == "kiosk:test-01"]
    assert actions == ["kiosk.staff_pin_failed", "kiosk.staff_exit"]
    store.close()


async def test_staff_exit_locks_after_five_wrong_pins(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        for _ in range(5):
            app.screen.query_one("#pin").value = "0000"
            app.screen.try_exit()
        app.screen.query_one("#pin").value = "246810"
        app.screen.try_exit()
        await pilot.pause()
        assert app.is_running and "locked" in str(app.screen.query_one("#result").content).lower()
        await pilot.press("ctrl+q")
        assert app.is_running


async def test_no_pin_configured_means_no_staff_exit(db, spool):
    from installment_tui.kiosk.config import KioskConfig

    app = make_app(db, spool, config=KioskConfig(spool_dir=str(spool)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        for pin in ("", "246810", "0000"):
            app.screen.query_one("#pin").value = pin
            app.screen.try_exit()
            await pilot.pause()
            assert app.is_running


async def test_a_failing_printer_is_told_and_the_plan_stays_saved(db, spool):
    from installment_tui.kiosk.config import KioskConfig

    config = KioskConfig(kiosk_id="test-01", printer_command=(sys.executable, "-c", "import sys; sys.exit(1)"))
    app = make_app(db, spool, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await start_at(app, pilot, Step.CONFIRM, choice=2)
        app.screen.query_one("#agree").value = True
        await pilot.pause()
        app.screen.query_one("#accept").press()
        await pilot.pause()
        await app.screen.wait_printed()
        await pilot.pause()
        assert "could not be printed" in screen_text(app)
        again = app.screen.query_one("#again")
        assert not again.disabled
        again.press()
        await pilot.pause()
        await app.screen.wait_printed()
        await pilot.pause()
        assert "could not be printed" in screen_text(app)
    store = open_store(db)
    failed = [e for e in store.audit_log() if e.action == "kiosk.receipt_failed"]
    assert len(failed) == 2 and failed[0].after == {"error": "printer command exited with status 1"}
    assert [a for a in store.agreements("DEMO-0001") if a.active]
    store.close()


async def _identify_keypad(app, pilot) -> dict:
    """The English identify step's keypad keys by name."""
    from installment_tui.kiosk.widgets import KeyButton

    await pilot.press("3")
    await pilot.pause()
    return {b.name: b for b in app.screen.query(KeyButton)}


async def _type(app, pilot, keys: dict, field: str, taps) -> None:
    app.screen.query_one(field).focus()
    await pilot.pause()
    for name in taps:
        await pilot.click(keys[name])


async def test_the_keypad_types_into_the_focused_field(db, spool):
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        keys = await _identify_keypad(app, pilot)
        await _type(app, pilot, keys, "#last4", ("1", "2", "3", "9", "delete", "X"))
        assert app.screen.query_one("#last4").value == "123X"
        assert app.focused is app.screen.query_one("#last4")
        await _type(app, pilot, keys, "#birth", "1985-03-12")
        assert app.screen.query_one("#birth").value == "1985-03-12"
        await pilot.click(keys["clear"])
        assert app.screen.query_one("#birth").value == ""


async def test_a_key_tapped_again_while_it_still_flashes_types_again(db, spool):
    """Textual's Button ignores clicks during its 0.2 s "pressed" flash: the second 0 of "100" was lost."""
    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        keys = await _identify_keypad(app, pilot)
        for key in keys.values():  # a flash that outlasts the taps, however slowly this machine runs them
            key.active_effect_duration = 60
        await _type(app, pilot, keys, "#birth", "1100--")
        assert keys["-"].has_class("-active"), "the second tap came during the flash"
        assert app.screen.query_one("#birth").value == "1100--"


async def test_an_80x24_terminal_shows_whole_buttons_beside_the_keypad(db, spool):
    from textual.widgets import Button

    def whole(button: Button) -> bool:  # the whole label shows inside the border
        return button.region.width - 2 >= len(str(button.label))

    app = make_app(db, spool)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        keypad = app.screen.query_one(".keypad")
        keys = list(keypad.query(Button))
        for button in (b for b in app.screen.query(Button) if b not in keys):  # Exit and Cancel
            assert button.region.right <= 80 and not button.region.overlaps(keypad.region), button.id
            assert whole(button), button.label
        await pilot.click("#cancel")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert all(whole(key) for key in app.screen.query_one(".keypad").query(Button) if key.display)  # "Delete"


async def test_an_account_number_with_letters_can_be_typed_on_the_keypad(db, spool):
    from installment_tui.kiosk.widgets import KeyButton

    app = make_app(db, spool)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        keys = {b.name: b for b in app.screen.query(KeyButton)}
        assert not keys["letter-D"].display and keys["1"].display  # digits first
        await pilot.click(keys["mode"])  # ABC
        assert keys["letter-D"].display and not keys["1"].display and str(keys["mode"].label) == "123"
        for name in "DEMO":
            await pilot.click(keys[f"letter-{name}"])
        await pilot.click(keys["mode"])  # 123
        for name in "-0001":
            await pilot.click(keys[name])
            await pilot.pause(0.6)  # Pilot: two quick clicks on one key are one double click
        assert app.screen.query_one("#ref").value == "DEMO-0001"
        await pilot.click(keys["mode"])  # ABC again: the letters take the digits' place and height
        keypad = app.screen.query_one(".keypad").region
        assert keypad.height == 15 and all(keypad.contains_region(k.region) for k in keys.values() if k.display)
