"""Key maps from the user's config file, binding ids, check_action and the command palette."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from installment_tui.agent.app import AgentApp
from installment_tui.agent.commands import AgentCommands
from installment_tui.agent.keymap import default_keymap_path, load_keymap
from installment_tui.agent.screens import ALL_SCREENS
from installment_tui.agent.screens.workspace import WorkspaceScreen
from installment_tui.agent.terms_form import TermsForm

from agent_helpers import SIZE, make_app, make_db, open_account, settle

IDS = {"agent.save", "app.language"}


def test_every_binding_has_an_id_and_a_description():
    for screen in list(ALL_SCREENS) + [AgentApp]:
        for b in screen.BINDINGS:
            assert isinstance(b, Binding) and b.id and b.description, (screen.__name__, b)


def test_keymap_file_is_read_and_problems_become_warnings(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_keymap_path() == tmp_path / "installment" / "keymap.toml"
    assert load_keymap(None, IDS) == ({}, [])  # no file: no keymap, no warning
    path = tmp_path / "keys.toml"
    path.write_text('[keymap]\n"agent.save" = "f12, ctrl+s"\n"agent.nope" = "f1"\n"app.language" = 3\n')
    keymap, warnings = load_keymap(path, IDS)
    assert keymap == {"agent.save": "f12,ctrl+s"}
    assert any("unknown binding id 'agent.nope'" in w for w in warnings)
    assert any("app.language must be keys as text" in w for w in warnings)
    path.write_text("agent.save = [")
    assert load_keymap(path, IDS)[0] == {} and "not valid TOML" in load_keymap(path, IDS)[1][0]
    assert "no such file" in load_keymap(tmp_path / "missing.toml", IDS)[1][0]


async def test_user_keymap_remaps_a_binding(tmp_path):
    db = make_db(tmp_path / "demo.db", accounts=5)
    keys = tmp_path / "keymap.toml"
    keys.write_text('"agent.save" = "f12"\n')
    app = make_app(db, keymap=keys)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        offer = ws.selected
        await pilot.press("f12")
        await settle(app, pilot)
        assert app.session.store.get_offer(offer.id).status == "draft"


async def test_palette_offers_domain_commands_that_act_on_the_workspace(tmp_path):
    db = make_db(tmp_path / "demo.db", accounts=5)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        provider = AgentCommands(ws)
        found = {hit.text: hit for hit in [h async for h in provider.search("offer 30")]}
        assert "Offer 30 months" in found
        found["Offer 30 months"].command()
        await pilot.pause()
        assert ws.query_one(TermsForm).field("months").value == "30" and ws.negotiated.offer.months == 30
        hits = {h.text: h async for h in provider.search("waive penalty")}
        hits["Waive penalty interest"].command()
        await pilot.pause()
        assert ws.query_one(TermsForm).field("waive.penalty_interest").value == "100%"
        names = [h.text async for h in provider.discover()]
        for name in ("Export PDF", "Save offer", "Mark accepted", "Approval queue", "Language: 简体中文"):
            assert name in names
        hits = {h.text: h async for h in provider.search("简体")}
        hits["Language: 简体中文"].command()
        await pilot.pause()
        assert app.lang == "zh_CN"
        assert "导出 PDF" in [h.text async for h in provider.discover()]


async def test_check_action_disables_what_does_not_apply(tmp_path):
    db = make_db(tmp_path / "demo.db", accounts=5)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        assert isinstance(ws, WorkspaceScreen)
        assert ws.check_action("save", ()) is True
        assert ws.check_action("mark", ("offered",)) is True
        await pilot.press("f7")
        await settle(app, pilot)
        assert app.session.record_of(ws.selected).status == "offered"
        assert ws.check_action("mark", ("offered",)) is None  # already offered
        assert ws.check_action("mark", ("accepted",)) is True


def test_agent_command_line_help_does_not_start_textual():
    import subprocess
    import sys

    code = (
        "import sys; from installment_tui.cli import build_parser; "
        "build_parser(); assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    out = subprocess.run(
        [sys.executable, "-m", "installment_tui.cli", "agent", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--user NAME" in out and "--lang" in out and "--keymap" in out and "--role" not in out
    bad = subprocess.run(
        [sys.executable, "-m", "installment_tui.cli", "agent", "--lang", "fr"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "unknown language 'fr'" in bad.stderr
    flag = subprocess.run(
        [sys.executable, "-m", "installment_tui.cli", "agent", "--role", "supervisor"], capture_output=True, text=True
    )
    assert flag.returncode == 2 and "--role: is no longer a flag" in flag.stderr


@pytest.mark.parametrize("role", ["agent", "supervisor"])
async def test_the_signed_in_role_sets_authority_and_title(tmp_path, role):
    db = make_db(tmp_path / "demo.db", accounts=5)
    app = make_app(db, role=role, lang="en")
    async with app.run_test(size=SIZE):
        assert app.session.authority == role
        assert app.sub_title == f"Agent console · wang.agent · {role}"


def _documented_keymap() -> dict[str, str]:
    import re
    import tomllib
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "agent-console.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*Your own keys\*\*.*?```toml\n(.*?)```", text, re.S).group(1)
    return tomllib.loads(block)["keymap"]


def test_the_documented_keymap_example_takes_no_key_another_binding_uses():
    """A key the example adds to a binding must not be a key of any other binding once the example is
    applied (the console's own on any screen, the dialogs', the text fields' and Textual's)."""
    from textual.widgets import Input

    from installment_tui.agent.screens.base import AgentModal

    keymap = {k: v.split(",") for k, v in _documented_keymap().items()}
    known = {b.id for s in list(ALL_SCREENS) + [AgentApp, AgentModal] for b in s.BINDINGS}
    assert set(keymap) <= known
    taken: dict[str, set[str]] = {}
    for owner in list(ALL_SCREENS) + [AgentApp, AgentModal, Input]:
        for b in owner.BINDINGS:
            b = b if isinstance(b, Binding) else Binding(*b)
            keys = keymap.get(b.id) or b.key.split(",")
            for key in keys:
                taken.setdefault(key, set()).add(b.id or f"{owner.__name__}.{b.action}")
    for key in ("ctrl+q", "ctrl+p", "ctrl+c"):  # Textual's own
        taken.setdefault(key, set()).add("textual")
    shipped = {b.id: b.key.split(",") for s in list(ALL_SCREENS) + [AgentApp] for b in s.BINDINGS}
    added = [(binding_id, key) for binding_id, keys in keymap.items() for key in keys if key not in shipped[binding_id]]
    assert added  # the example does map new keys
    for binding_id, key in added:
        assert taken[key] == {binding_id}, (binding_id, key, taken[key])


async def test_the_workspace_hints_name_the_keys_bound_now(tmp_path):
    from textual.widgets import Static

    db = make_db(tmp_path / "demo.db", accounts=5)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        assert "F12: contact and complaints" in str(app.screen.query_one("#contact-strip", Static).render())
    keys = tmp_path / "keymap.toml"
    keys.write_text('[keymap]\n"agent.save" = "ctrl+s,f12"\n"agent.contact" = "ctrl+b"\n')
    app = make_app(db, keymap=keys)
    async with app.run_test(size=SIZE) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        line = str(ws.query_one("#contact-strip", Static).render())
        assert "Ctrl+B: contact and complaints" in line and "F12" not in line
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ContactScreen"


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["wide", "80x24"])
async def test_moving_focus_does_not_restyle_the_footer_keys(db, size):
    """The footer is rebuilt on every focus change (its keys follow the focused widget).  Its new keys must
    be born with the footer's look (compact or not), not restyled one by one once mounted: each restyle is a
    stylesheet pass, and this cost about a fifth of the console's CPU per key press that moves focus."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        await settle(app, pilot)
        restyled: list[str] = []
        update_styles = app.update_styles

        def recording(node, animate=True):
            if isinstance(node, FooterKey):
                restyled.append(node.key)
            update_styles(node, animate)

        app.update_styles = recording  # type: ignore[method-assign]
        for _ in range(4):
            await pilot.press("tab")
            await pilot.pause()
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        footer = ws.query_one(Footer)
        keys = list(ws.query(FooterKey))
        assert keys, "the footer shows keys"
        assert all(key.compact == key.has_class("-compact") for key in keys)
        # Textual binds every key but the palette's to the footer's look (the palette key stays compact)
        assert all(key.compact == footer.compact for key in keys if not key.has_class("-command-palette"))
        assert restyled == []


def _footer_keys(footer) -> list[tuple]:
    from textual.widgets._footer import FooterKey

    return [(k.key, k.key_display, k.description, k.disabled, k.has_class("-compact")) for k in footer.query(FooterKey)]


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["wide", "80x24"])
async def test_the_footer_is_rebuilt_only_when_its_keys_change_and_then_always(db, size):
    """Focus moves that keep the same keys leave the footer's keys in place (no rebuild); after every step
    (focus moves, a dialog, the language, back) the footer shows exactly what a forced rebuild shows."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await open_account(app, pilot, "DEMO-0001")
        await settle(app, pilot)
        kept = 0
        for keys in (["tab"], ["tab"], ["shift+tab"], ["ctrl+o"], ["f2"], ["f5"], ["escape"], ["f2"], ["tab"]):
            footer = app.screen.query_one(Footer)
            before = list(footer.query(FooterKey))
            await pilot.press(*keys)
            await settle(app, pilot)
            footer = app.screen.query_one(Footer)
            after = list(footer.query(FooterKey))
            kept += after == before
            shown = _footer_keys(footer)
            footer.call_later(Footer.recompose, footer)  # Textual's own, which always rebuilds
            await settle(app, pilot)
            assert list(footer.query(FooterKey)) != after, "rebuilt"
            assert _footer_keys(footer) == shown, keys
        assert kept, "some focus move kept the same keys"
