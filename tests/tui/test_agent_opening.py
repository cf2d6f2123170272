"""Opening an account does its work once: the offers are negotiated once, the history is read once, and at
80x24 the negotiation fields are made compact rather than made, styled and then restyled.  Each repeat of
that work was a share of the CPU of every call an agent opens (and of every console test)."""

from __future__ import annotations

import pytest
from agent_helpers import make_app, open_account
from textual.dom import DOMNode
from textual.widgets import Input, Select

from installment_tui.agent.session import CallSession
from installment_tui.agent.terms_form import TermsForm


@pytest.fixture
def counted(monkeypatch):
    """How often each piece of work ran: ``negotiate``, ``reload_history``, and the compact look changed on
    a field that was already mounted (a restyle)."""
    counts = {"negotiate": 0, "reload_history": 0, "restyled compact": 0}
    for name in ("negotiate", "reload_history"):
        original = getattr(CallSession, name)

        def wrapper(self, *args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(CallSession, name, wrapper)
    set_class = DOMNode.set_class

    def noted(self, add, *class_names, update=True):
        changes = "-textual-compact" in class_names and add != self.has_class("-textual-compact")
        if changes and isinstance(self, (Input, Select)) and self.is_mounted:
            counts["restyled compact"] += 1
        return set_class(self, add, *class_names, update=update)

    monkeypatch.setattr(DOMNode, "set_class", noted)
    return counts


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_opening_an_account_negotiates_once_and_reads_again_only_after_leaving(db, counted, size):
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")  # a default waiver and a remainder in its fields
        await pilot.pause()
        assert counted == {"negotiate": 1, "reload_history": 1, "restyled compact": 0}
        form = ws.query_one(TermsForm)
        compact = size[0] < 110
        assert all(w.compact is compact for w in form.query("Input, Select"))
        # what the fields were made with is not an edit: the draft is still the one the account opened with
        assert form.draft == ws.session.saved_terms["DEMO-0001"] and form.draft.field("waive.late_fees") == "100%"
        await pilot.press("f3")  # the profile, and back: another console may have changed something meanwhile
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert counted == {"negotiate": 2, "reload_history": 2, "restyled compact": 0}
        form.set_value("months", "24")  # an edit is one
        await pilot.pause()
        assert counted["negotiate"] == 3


async def test_the_fields_follow_the_terminal_across_the_narrow_breakpoint(db, counted):
    app = make_app(db)
    async with app.run_test(size=(160, 48)) as pilot:
        ws = await open_account(app, pilot, "DEMO-0001")
        form = ws.query_one(TermsForm)
        for width, compact in ((80, True), (160, False)):
            await pilot.resize_terminal(width, 48)
            await pilot.pause()
            assert all(w.compact is compact for w in form.query("Input, Select")), width
        assert counted["restyled compact"] == 2 * len(form.query("Input, Select"))
