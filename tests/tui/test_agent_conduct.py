"""The agent console's contact and complaints: whether a call is allowed now, logging contacts (refused
when a rule is broken, overridden only by a supervisor who signs in), SMS checked before it goes, call
notes warned about, complaints taken, extended and resolved; snapshots of the new screens."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from db_templates import set_up_once
from textual.widgets import Input, Select, TextArea

from plans.conduct.vocabulary import Decision
from plans.store import open_store

from agent_helpers import POLICY, SIZE, TODAY, make_db, open_account, settle, show_for_account, still, text_of

SMALL = (80, 24)


class Clock:
    def __init__(self, when):
        self.now = when

    def __call__(self):
        return self.now


def app_at(db, when: datetime, role: str = "agent", lang: str = "en", user: str = "wang.agent"):
    """The console with its store's clock at ``when`` (contact rules read the time)."""
    from installment_tui.agent.app import AgentApp

    store = open_store(db, actor=user, role=role, clock=Clock(when))
    return AgentApp(store, POLICY, role, lang, today=TODAY, out_dir=db.parent / "out", load_user_keymap=False)


def demo_with_a_supervisor(path) -> None:
    """The demo database (as tests/tui/conftest.py makes it) with a supervisor to override."""
    make_db(path)
    s = open_store(path, actor="setup", role="admin")
    s.add_user("li.super", "supervisor", "correct horse")
    s.close()


db_with_supervisor = set_up_once(demo_with_a_supervisor, backends=("sqlite",))


async def contact_desk(app, pilot):
    """DEMO-0001's contact desk as F12 in its workspace shows it, without the workspace under it (the
    first contact-log test goes there with F12)."""
    from installment_tui.agent.contact import ContactDesk
    from installment_tui.agent.screens.contact import ContactScreen

    return await show_for_account(app, pilot, "DEMO-0001", lambda session: ContactScreen(ContactDesk(session)))


MORNING = datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)  # 09:30 in Beijing
EARLY = datetime(2026, 11, 30, 23, 40, tzinfo=timezone.utc)  # 07:40 in Beijing


async def test_the_workspace_says_whether_a_call_is_allowed_now(db):
    app = app_at(db, EARLY)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        strip = text_of(ws.query_one("#contact-strip"))
        assert "Call: not now (07:40 local): not before 08:00; allowed from 12-01 08:00" in strip
        app.session.store.clock.now = MORNING
        ws.refresh_contact()
        assert "allowed now (09:30 local, 0 of 6 today)" in text_of(ws.query_one("#contact-strip"))


async def test_logging_contacts_counts_them_and_refuses_the_seventh(db):
    app = app_at(db, MORNING)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f12")
        await pilot.pause()
        for _ in range(7):
            await pilot.press("l")
            await pilot.pause()
            app.screen.query_one("#lc-outcome", Select).value = "no_answer"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        assert type(app.screen).__name__ == "LogContactDialog"  # the seventh stays open, refused
        assert "Refused and recorded: 6 of 6 attempts today" in text_of(app.screen.query_one("#status"))
        assert app.screen.check_action("override", ()) is True
        await pilot.press("escape")
        await pilot.pause()
        log = app.session.store.contacts("DEMO-0001")
        assert [c.decision for c in log] == [Decision.ALLOWED] * 6 + [Decision.REFUSED]
        assert "6 of 6 attempts today" in text_of(app.screen.query_one("#contact-now"))


async def test_an_agent_gets_a_supervisor_to_override(db_with_supervisor):
    db = db_with_supervisor
    app = app_at(db, EARLY)
    async with app.run_test(size=SIZE) as pilot:
        await contact_desk(app, pilot)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.refused
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "SupervisorDialog"
        dialog.query_one("#supervisor-name", Input).value = "li.super"
        dialog.query_one("#supervisor-password", Input).value = "wrong password"
        dialog.query_one("#supervisor-reason", Input).value = "the debtor asked for a call before work"
        dialog.query_one("#supervisor-reason", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog and "wrong name or password" in text_of(dialog.query_one("#status"))
        assert dialog.query_one("#supervisor-password", Input).value == ""
        dialog.query_one("#supervisor-password", Input).value = "correct horse"
        dialog.query_one("#supervisor-reason", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ContactScreen"
        last = app.session.store.contacts("DEMO-0001")[-1]
        assert (last.decision, last.override_by, last.actor) == (Decision.OVERRIDDEN, "li.super", "wang.agent")


async def test_a_signed_in_supervisor_overrides_with_a_reason(db_with_supervisor):
    db = db_with_supervisor
    app = app_at(db, EARLY, role="supervisor", user="li.super")
    async with app.run_test(size=SIZE) as pilot:
        await contact_desk(app, pilot)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not app.screen.query("#supervisor-password")
        await pilot.press("enter")  # no reason yet
        await pilot.pause()
        assert "A reason is needed." in text_of(app.screen.query_one("#status"))
        app.screen.query_one("#supervisor-reason", Input).value = "callback agreed yesterday"
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        last = app.session.store.contacts("DEMO-0001")[-1]
        assert last.override_by == "li.super" and last.override_reason == "callback agreed yesterday"


async def test_an_sms_is_checked_before_it_goes(db):
    app = app_at(db, MORNING)
    async with app.run_test(size=SIZE) as pilot:
        await contact_desk(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        area = app.screen.query_one("#sms-text", TextArea)
        area.text = "You owe 99,999.00 yuan. Pay within 24 hours or we will tell your employer."
        await pilot.pause()
        check = text_of(app.screen.query_one("#sms-check"))
        assert "3 phrases to change" in check and "Sending is blocked" in check
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SmsDialog"
        assert app.session.store.contacts("DEMO-0001") == []
        await pilot.press("escape")  # the draft is kept
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "99,999.00" in app.screen.query_one("#sms-text", TextArea).text
        app.screen.query_one("#sms-text", TextArea).text = "You owe 56,603.77 yuan. Call us to agree a plan."
        await pilot.pause()
        assert "No harmful phrasing found." in text_of(app.screen.query_one("#sms-check"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        sent = list((db.parent / "out").glob("DEMO-0001-*.sms.txt"))
        assert len(sent) == 1 and "56,603.77" in sent[0].read_text(encoding="utf-8")
        assert oct(sent[0].stat().st_mode & 0o777) == "0o600"
        last = app.session.store.contacts("DEMO-0001")[-1]
        assert (last.channel, last.outcome) == ("sms", "sent")


async def test_an_sms_out_of_hours_is_refused(db):
    app = app_at(db, EARLY)
    async with app.run_test(size=SIZE) as pilot:
        await contact_desk(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#sms-text", TextArea).text = "Please call us about your plan."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Refused and recorded: not before 08:00" in text_of(app.screen.query_one("#status"))
        assert not list((db.parent / "out").glob("*.sms.txt"))


async def test_call_notes_are_warned_about_but_saved(db):
    app = app_at(db, MORNING)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one("#note", TextArea).text = "Told him he would go to jail if he does not pay."
        await pilot.pause()
        assert "1 phrases to change" in text_of(app.screen.query_one("#note-warning"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "with a warning" in text_of(app.screen.query_one("#status"))
        assert app.session.store.notes("DEMO-0001")[-1].text.startswith("Told him")


async def test_flags_and_complaints_from_the_console(db_with_supervisor):
    db = db_with_supervisor
    app = app_at(db, MORNING)
    async with app.run_test(size=SIZE) as pilot:
        await contact_desk(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#flag-reason", Input).value = "asked in writing"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "written contact only" in text_of(app.screen.query_one("#contact-flags"))
        assert "Call: ✘ not now" in text_of(app.screen.query_one("#contact-now"))
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#cn-text", TextArea).text = "The collector shouted at me."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [c] = app.session.store.complaints(POLICY.conduct, "DEMO-0001")
        assert (c.record.channel, c.record.category, c.record.lang, c.state) == (
            "phone",
            "collection_conduct",
            "en",
            "acknowledged",
        )
        assert "conduct complaint open" in text_of(app.screen.query_one("#contact-flags"))
        table = app.screen.query_one("#complaints")
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ComplaintScreen"
        assert "2026-12-16 (15 days left)" in text_of(app.screen.query_one("#complaint-details"))
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#reason", Input).value = "we need the call recording"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "to 2027-01-30 — needs a supervisor's approval" in text_of(app.screen.query_one("#complaint-details"))
        await pilot.press("e")
        await pilot.pause()
        sup = app.screen
        sup.query_one("#supervisor-name", Input).value = "li.super"
        sup.query_one("#supervisor-password", Input).value = "correct horse"
        sup.query_one("#supervisor-reason", Input).value = "the recording is with the vendor"
        sup.query_one("#supervisor-reason", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        details = text_of(app.screen.query_one("#complaint-details"))
        assert "2027-01-30" in details and "approved by li.super" in details
        assert app.screen.check_action("extend", ()) is None
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#resolve-reply", TextArea).text = "Complain again and you will be arrested."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ResolveDialog"  # refused: the reply breaks a rule
        app.screen.query_one(
            "#resolve-reply", TextArea
        ).text = "We listened to the call, apologise and retrained the agent."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        [letter] = (db.parent / "out").glob("*.reply.txt")
        assert "Litigation" in letter.read_text(encoding="utf-8")
        assert Flag_open(app) is False


def Flag_open(app) -> bool:
    from plans.conduct.vocabulary import Flag

    return Flag.COMPLAINT_OPEN in app.session.store.contact_flags("DEMO-0001")


# -- snapshots -------------------------------------------------------------------------------------


async def _contact(app, pilot, with_data: bool = True):
    if with_data:
        s = app.session.store
        s.log_contact("DEMO-0001", POLICY, "call", "no_answer")
        s.log_contact("DEMO-0001", POLICY, "call", "answered", direction="inbound", note="asked about the plan")
        s.add_complaint(
            "DEMO-0001", POLICY.conduct, "phone", "collection_conduct", "late calls", "zh_CN", acknowledged=True
        )
    await contact_desk(app, pilot)
    still(app)
    await pilot.pause()


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "160x48"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_contact_screen_snapshot(snap_compare, db, lang, size):
    app = app_at(db, MORNING, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=lambda pilot: _contact(app, pilot))


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "160x48"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_refused_contact_snapshot(snap_compare, db, lang, size):
    app = app_at(db, EARLY, lang=lang)

    async def run_before(pilot):
        await _contact(app, pilot, with_data=False)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        app.clear_notifications()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "160x48"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_sms_with_findings_snapshot(snap_compare, db, lang, size):
    app = app_at(db, MORNING, lang=lang)

    async def run_before(pilot):
        await _contact(app, pilot, with_data=False)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#sms-text", TextArea).text = (
            "你这个老赖，三天内不还就上门。" if lang == "zh_CN" else "Pay within 24 hours or we visit your home."
        )
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "160x48"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_complaint_screen_snapshot(snap_compare, db, lang, size):
    app = app_at(db, MORNING, lang=lang)

    async def run_before(pilot):
        await _contact(app, pilot)
        table = app.screen.query_one("#complaints")
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_a_summary_export_that_fails_the_message_check_is_not_written(db, tmp_path):
    """F6: the SMS text, receipt, PDF and HTML of a summary are checked with the policy's rules when they
    are exported; one that fails is not written, and the screen names the rule."""
    from installment_tui.agent.app import AgentApp
    from installment_tui.agent.screens.export import ExportScreen
    from plans.policy import default_policy_text, parse_policy

    policy = parse_policy(
        default_policy_text()
        + """
[[conduct.message_rules]]
id = "house.instalments"
category = "false_urgency"
zh = ['分期']
en = ['\\binstallments?\\b']
[conduct.message_rules.suggest]
zh_CN = "换一种说法。"
zh_TW = "換一種說法。"
en = "Say it another way."
"""
    )
    out = tmp_path / "exports"
    store = open_store(db, actor="wang.agent", role="agent", clock=Clock(MORNING))
    app = AgentApp(store, policy, "agent", "en", today=TODAY, out_dir=out, load_user_keymap=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        await pilot.press("f6")
        await settle(app, pilot)
        export = app.screen
        assert isinstance(export, ExportScreen)
        for key in ("s", "r", "p", "h"):
            await pilot.press(key)
            await settle(app, pilot)
            status = text_of(export.query_one("#status"))
            assert "Not written: the text breaks the conduct rule house.instalments (false urgency):" in status, key
        assert not out.exists() or list(out.iterdir()) == []
        audit = [e for e in app.session.store.audit_log("offer") if e.action == "summary.blocked"]
        assert len(audit) == 4 and audit[0].after["rules"] == ["house.instalments"]
        assert not [e for e in app.session.store.audit_log("offer") if e.action == "summary.export"]
