"""The agent console and kiosk with hostile imported data: escape sequences never reach the terminal,
and F6 exports stay in the --out folder whatever the account reference."""

from __future__ import annotations

import re

from calc.affordability import Profile
from calc.debt import Debt
from installment_tui.agent.screens.export import ExportScreen
from installment_tui.agent.screens.notes import NotesScreen
from installment_tui.agent.screens.queue import QueueScreen
from installment_tui.agent.screens.workspace import WorkspaceScreen
from plans.store import Account, open_store

from agent_helpers import SIZE, make_app, make_db, open_account, settle, store_clock

SEQUENCES = ("\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31m", "\x9b2J", "\u202e", "\x07", "\x1bc")
HOSTILE = "李" + "".join(SEQUENCES) + "娜"
TRAVERSAL = "../../../../tmp/x/pwn"
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|&#27;|&#x1b;|\\[2J|pwned")


def assert_clean(svg: str, where: str) -> None:
    bad = FORBIDDEN.search(svg)
    assert bad is None, f"{where}: {bad.group()!r} near {svg[max(0, bad.start() - 40) : bad.start() + 40]!r}"


def hostile_db(path):
    make_db(path, accounts=5)
    s = open_store(path, actor="import", role="batch", clock=store_clock)
    profile = Profile("CNY", adults=1, income=(("salary", 900000),), spending=(("housing", 200000),), region="beijing")
    s.upsert_accounts(
        [
            (
                Account(
                    TRAVERSAL,
                    "CNY",
                    Debt("CNY", principal=3000000),
                    name=HOSTILE,
                    region=HOSTILE,
                    phone="100\x1b[2J5678",
                ),
                profile,
            ),
            (Account("EVIL\x1b]0;pwned\x07-2", "CNY", Debt("CNY", principal=20000000), name=HOSTILE), profile),
        ]
    )
    s.add_note(TRAVERSAL, f"called; said {HOSTILE}\nsecond line \x1b[31mred")
    s.close()
    return path


async def test_hostile_names_regions_notes_and_references_are_shown_harmless(tmp_path):
    db = hostile_db(tmp_path / "h.db")
    out = tmp_path / "out"
    app = make_app(db, role="supervisor", lang="en", out=out)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#query").value = "李"
        await pilot.pause()
        assert_clean(app.export_screenshot(), "account list")
        await open_account(app, pilot, TRAVERSAL)
        assert isinstance(app.screen, WorkspaceScreen)
        assert_clean(app.export_screenshot(), "workspace (header strip, notes)")
        assert "李****" not in app.export_screenshot()  # the agent sees the name, cleaned
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        assert_clean(app.export_screenshot(), "notes")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert_clean(app.export_screenshot(), "export preview")
        for key in ("r", "h", "s", "p"):
            await pilot.press(key)
            await settle(app, pilot)
        # every file directly in --out, named safely; nothing made outside it or from the reference
        written = sorted(p.name for p in out.iterdir())
        assert len(written) == 4 and all(n.startswith("%2E.%2F..%2F..%2F..%2Ftmp%2Fx%2Fpwn-") for n in written)
        assert not any(p.is_dir() for p in out.iterdir())
        assert not (tmp_path / "tmp").exists() and not any(p.name == "x" for p in tmp_path.iterdir())
        for p in out.iterdir():
            if p.suffix != ".pdf":
                assert_clean(p.read_text(encoding="utf-8").replace("\n", " "), p.name)
        await pilot.press("escape")
        await pilot.pause()
        app.session.save(next(o for o in app.session.offers if o.months == 60))  # into the queue
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert_clean(app.export_screenshot(), "approval queue")


async def test_an_export_of_a_traversal_reference_makes_no_folder_from_data(tmp_path):
    """The issue's case: F6 with ``../../../../tmp/x/pwn`` wrote outside --out and created folders."""
    db = hostile_db(tmp_path / "h.db")
    out = tmp_path / "deep" / "out"  # --out itself may be made (the agent chose it)
    app = make_app(db, role="agent", lang="zh_CN", out=out)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, TRAVERSAL)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("r")
        await settle(app, pilot)
    assert [p.name for p in out.iterdir()] and all(p.parent == out for p in out.iterdir())
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]


async def test_kiosk_screens_and_receipts_show_a_hostile_name_harmless(tmp_path):
    from dataclasses import replace

    import kiosk_helpers as k
    from installment_tui.kiosk.screens.owe import OweScreen
    from installment_tui.kiosk.screens.plan import PlanScreen
    from installment_tui.kiosk.screens.printing import PrintScreen
    from installment_tui.kiosk.steps import Step

    db = k.make_db(tmp_path / "kiosk.db")
    s = open_store(db, actor="import", role="batch", clock=k.store_clock)
    s.upsert_accounts(
        [replace(s.get_account(ref), name=HOSTILE, region="beijing") for ref in ("DEMO-0001", "DEMO-0005")]
    )
    s.close()
    spool = tmp_path / "spool"
    app = k.make_app(db, spool)
    async with app.run_test(size=k.SIZE) as pilot:
        await k.start_at(app, pilot, Step.CONFIRM)
        app.screen.query_one("#agree").value = True
        await pilot.pause()
        app.screen.query_one("#accept").press()
        await pilot.pause()
        assert isinstance(app.screen, PrintScreen)
        await app.screen.wait_printed()
        assert_clean(app.export_screenshot(), "kiosk receipt screen")
    receipts = list(spool.iterdir())
    assert len(receipts) == 1
    assert_clean(receipts[0].read_text(encoding="utf-8").replace("\n", " "), "spooled receipt")
    app = k.make_app(db, spool)
    async with app.run_test(size=k.SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await k.identify(app, pilot, k.ZHANG)
        assert isinstance(app.screen, PlanScreen)  # the plan just agreed is now in force
        assert_clean(app.export_screenshot(), "kiosk: the plan in force")
    app = k.make_app(db, spool)
    async with app.run_test(size=k.SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await k.identify(app, pilot, k.WANG)
        assert isinstance(app.screen, OweScreen)
        svg = app.export_screenshot()
        assert_clean(svg, "kiosk: what you owe")
        assert "李*" in svg  # masked, without the control characters
