"""The kiosk's "make a complaint": the creditor's channels shown, the complaint recorded in the register
(in the visit's language, acknowledged with its number and reply date), nothing kept after the visit;
every kiosk visit is in the contact log; snapshots at 80x24 and the normal size."""

from __future__ import annotations


import pytest
from textual.widgets import Input, RadioButton

from kiosk_helpers import SIZE, ZHANG, identify, make_app, make_db, screen_text, start_at, wait_for_screen

from installment_tui.kiosk.screens.complaint import ComplaintScreen
from installment_tui.kiosk.steps import Step

from plans.conduct.vocabulary import Flag
from plans.policy import default_policy
from plans.store import open_store

CONDUCT = default_policy().conduct
LANG_KEYS = {"zh_CN": "1", "zh_TW": "2", "en": "3"}


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "kiosk.db")


async def to_complaint(app, pilot, lang: str = "en") -> None:
    """The way a debtor gets there: the language, who they are, "Make a complaint" under what they owe."""
    await pilot.press(LANG_KEYS[lang])
    await pilot.pause()
    await identify(app, pilot, ZHANG)
    app.screen.query_one("#complain").press()
    await wait_for_screen(app, pilot, ComplaintScreen)


async def test_a_complaint_is_recorded_and_acknowledged(db, tmp_path):
    app = make_app(db, tmp_path / "spool")
    async with app.run_test(size=SIZE) as pilot:
        await to_complaint(app, pilot)
        shown = screen_text(app)
        assert "Make a complaint" in shown and "12378" in shown and "within 15 days" in shown
        app.screen.query_one("#send").press()
        await pilot.pause()
        assert "Please choose what it is about." in screen_text(app)
        assert "Please tell us what happened." in screen_text(app)
        app.screen.query_one("#category-collection_conduct", RadioButton).value = True
        app.screen.query_one("#text", Input).value = "An agent called me at 23:00 and shouted."
        app.screen.query_one("#send").press()
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        assert "Your complaint number is C-1" in shown and "reply by December 16, 2026" in shown
        app.screen.query_one("#finish").press()
        await pilot.pause()
        await pilot.pause()
        assert app.session is None
    s = open_store(db, existing=True)
    [c] = s.complaints(CONDUCT, "DEMO-0001")
    assert (c.record.channel, c.record.category, c.record.lang, c.record.role) == (
        "kiosk",
        "collection_conduct",
        "en",
        "kiosk",
    )
    assert c.state == "acknowledged" and Flag.COMPLAINT_OPEN in s.contact_flags("DEMO-0001")
    [visit] = s.contacts("DEMO-0001")
    assert (visit.channel, visit.direction, visit.outcome, visit.note) == (
        "kiosk",
        "inbound",
        "answered",
        "complaint made",
    )
    s.close()


async def test_back_returns_to_the_debt_and_start_over_keeps_nothing(db, tmp_path):
    app = make_app(db, tmp_path / "spool")
    async with app.run_test(size=SIZE) as pilot:
        await start_at(app, pilot, Step.COMPLAINT)
        app.screen.query_one("#text", Input).value = "draft"
        app.screen.query_one("#back").press()
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "OweScreen"
        app.screen.query_one("#start-over").press()
        await pilot.pause()
        await pilot.pause()
    s = open_store(db, existing=True)
    assert s.complaints(CONDUCT, "DEMO-0001") == []
    assert [c.note for c in s.contacts("DEMO-0001")] == ["abandoned"]
    s.close()


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_complaint_screen_snapshot(snap_compare, db, tmp_path, lang, size):
    app = make_app(db, tmp_path / "spool")

    async def run_before(pilot):
        await start_at(app, pilot, Step.COMPLAINT, lang)
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        app.tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_complaint_done_snapshot(snap_compare, db, tmp_path, lang):
    app = make_app(db, tmp_path / "spool")

    async def run_before(pilot):
        await start_at(app, pilot, Step.COMPLAINT, lang)
        app.screen.query_one("#category-other", RadioButton).value = True
        app.screen.query_one("#text", Input).value = "x"
        app.screen.query_one("#send").press()
        await pilot.pause()
        await pilot.pause()
        app.tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_the_reply_time_stays_in_view_while_the_categories_have_focus(db, tmp_path, lang):
    """At 80x24 the form scrolls; the lead sentence (we reply within 15 days) must not scroll away."""
    from textual.widgets import RadioSet, Static

    app = make_app(db, tmp_path / "spool")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_at(app, pilot, Step.COMPLAINT, lang)
        lead = app.screen.query_one("#complaint-lead", Static)
        for step in range(5):
            assert isinstance(app.focused, RadioSet), step
            region = lead.region
            assert region.height and region.y >= 0 and region.bottom <= 24, step
            for x, y in ((region.x + 2, region.y + 1), (region.x + 2, region.bottom - 1)):
                assert app.screen.get_widget_at(x, y)[0] is lead, (step, x, y)
            await pilot.press("down")
            await pilot.pause()
        app.screen.query_one("#text", Input).focus()
        await pilot.pause()
        assert app.screen.get_widget_at(lead.region.x + 2, lead.region.y + 1)[0] is lead
