"""Fixtures of the console tests: the demo database built once per module, a fresh copy for each test
(tests/db_templates.py).  Their apps draw the frames somebody looks at (``frames``) and share what they
parsed of their stylesheets (``parsed_css``)."""

from __future__ import annotations

import frames
import parsed_css
from agent_helpers import make_db
from db_templates import set_up_once

frames.install()
parsed_css.install()

#: The demo accounts, with earlier offers, an agreement and a queued offer.
db = set_up_once(make_db, backends=("sqlite",))
