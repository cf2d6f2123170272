"""Fixtures of the console tests: the demo database built once per module, a fresh copy for each test
(tests/db_templates.py).  Their apps draw the frames somebody looks at (``frames``) and share what they
parsed of their stylesheets (``parsed_css``); the pilot waits for the widgets that have something to do
(``settled``); what an app drew is let go with the app (``let_go``)."""

from __future__ import annotations

import frames
import parsed_css
import pytest
import settled
from agent_helpers import make_db
from db_templates import set_up_once
from textual._styles_cache import StylesCache

frames.install()
parsed_css.install()
settled.install()

#: The demo accounts, with earlier offers, an agreement and a queued offer.
db = set_up_once(make_db, backends=("sqlite",))


@pytest.fixture(autouse=True)
def let_go():
    """After each test, forget the widgets' render caches that Textual keeps for the whole process.

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its keys hold the last 1,024
    widgets' style caches (each with the lines it drew, and their caches) of apps long gone: about 500,000
    objects in a test process by the end, which every full collection walks (pytest's five at the end of
    each worker took 1.1-1.9 s of CPU each; the kiosk tests that check for leaks collect too).  A later
    app never hits those entries: their keys are widgets of earlier apps."""
    yield
    StylesCache.get_inner_outer.cache_clear()
