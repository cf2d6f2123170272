"""Fixtures of the console tests: the demo database built once per module, copied fresh for each test.
Their apps draw the frames somebody looks at (``frames``) and share what they parsed of their stylesheets
(``parsed_css``)."""

from __future__ import annotations

import frames
import parsed_css
import pytest
from agent_helpers import make_db

from plans.store import open_store

frames.install()
parsed_css.install()


@pytest.fixture(scope="module")
def db_template(tmp_path_factory):
    """The demo database, built once per test module."""
    return make_db(tmp_path_factory.mktemp("agentdb") / "demo.db")


@pytest.fixture
def db(db_template, tmp_path):
    """A fresh copy of the demo database for one test."""
    path = tmp_path / "demo.db"
    src = open_store(db_template, actor="test", role="system", existing=True)
    src.backend.backup(path)
    src.close()
    return path
