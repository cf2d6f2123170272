"""Kiosk identification: reference + national-ID last four + birth date, with a persisted lockout."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from calc.debt import Debt
from plans.store import KIOSK_MAX_FAILURES, KIOSK_PAUSE, LOCK_TIME, MAX_FAILURES, Account, open_store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def db(db, clock):
    """The kiosk's database, on each backend (the ``db`` of conftest.py), with one account."""
    path = db
    s = open_store(path, clock=clock)
    s.upsert_accounts(
        [
            Account(
                "DEMO-0005",
                "CNY",
                Debt("CNY", principal=4200_00),
                name="王芳",
                id_last4="802X",
                birth_date=date(1995, 5, 20),
            )
        ]
    )
    s.close()
    return path


def kiosk(path, clock):
    return open_store(path, actor="kiosk-1", role="kiosk", clock=clock)


def test_right_answers_identify(db, clock):
    s = kiosk(db, clock)
    result = s.identify("DEMO-0005", "802x", "1995-05-20")
    assert result.ok and result.account.name == "王芳"
    assert s.identify("DEMO-0005", "802X", date(1995, 5, 20)).ok
    assert s.audit_log("account", "DEMO-0005")[-1].action == "kiosk.identified"


@pytest.mark.parametrize("last4, born", [("8021", "1995-05-20"), ("802X", "1995-05-21"), ("", "")])
def test_any_wrong_answer_fails_and_counts(db, clock, last4, born):
    s = kiosk(db, clock)
    result = s.identify("DEMO-0005", last4, born)
    assert not result.ok and result.account is None and result.tries_left == MAX_FAILURES - 1


def test_five_failures_lock_for_fifteen_minutes_and_the_lock_survives_a_restart(db, clock):
    s = kiosk(db, clock)
    for i in range(MAX_FAILURES - 1):
        assert s.identify("DEMO-0005", "0000", "1995-05-20").tries_left == MAX_FAILURES - 1 - i
    locked = s.identify("DEMO-0005", "0000", "1995-05-20")
    assert not locked.ok and locked.locked_until
    assert datetime.fromisoformat(locked.locked_until) == clock.now + LOCK_TIME
    s.close()

    s = kiosk(db, clock)  # a restarted kiosk still sees the lock
    clock.advance(minutes=14, seconds=59)
    assert s.lockout("DEMO-0005") == locked.locked_until
    refused = s.identify("DEMO-0005", "802X", "1995-05-20")  # even the right answers
    assert not refused.ok and refused.locked_until == locked.locked_until
    clock.advance(seconds=1)
    assert s.lockout("DEMO-0005") is None
    assert s.identify("DEMO-0005", "802X", "1995-05-20").ok
    s.close()


def test_success_resets_the_count(db, clock):
    s = kiosk(db, clock)
    for _ in range(MAX_FAILURES - 1):
        s.identify("DEMO-0005", "0000", "1995-05-20")
    assert s.identify("DEMO-0005", "802X", "1995-05-20").ok
    assert s.identify("DEMO-0005", "0000", "1995-05-20").tries_left == MAX_FAILURES - 1


def test_unknown_references_fail_and_lock_like_known_ones(db, clock):
    s = kiosk(db, clock)
    for _ in range(MAX_FAILURES):
        result = s.record_failed_identification("NO-SUCH")
    assert result.locked_until and s.lockout("NO-SUCH") == result.locked_until
    assert not s.identify("NO-SUCH", "1234", "1990-01-01").ok


def test_an_account_without_kiosk_details_cannot_be_identified(db, clock):
    s = kiosk(db, clock)
    s.upsert_accounts([Account("CC-7", "CNY", Debt("CNY", principal=100_00))])
    assert not s.identify("CC-7", "", "").ok


# -- the per-kiosk limit ------------------------------------------------------------------------


def test_ten_failures_at_one_kiosk_pause_it_across_references_and_restarts(db, clock):
    s = kiosk(db, clock)
    for n in range(KIOSK_MAX_FAILURES - 1):  # someone trying many references, each below its own limit
        clock.advance(seconds=30)
        assert not s.identify(f"GUESS-{n}", "1234", "1990-01-01").paused_until
    clock.advance(seconds=30)
    tenth = s.identify("GUESS-X", "1234", "1990-01-01")
    assert tenth.paused_until == (clock.now + KIOSK_PAUSE).isoformat(timespec="microseconds")
    assert s.audit_log("kiosk")[-1].action == "kiosk.paused"
    s.close()
    s = kiosk(db, clock)  # restarting the kiosk does not end the pause
    refused = s.identify("DEMO-0005", "802X", "1995-05-20")  # not even the right answers are checked
    assert not refused.ok and refused.paused_until == tenth.paused_until
    assert s.kiosk_paused_until() == tenth.paused_until
    other = open_store(db, actor="kiosk-2", role="kiosk", clock=clock)  # another kiosk is not paused
    assert other.identify("DEMO-0005", "802X", "1995-05-20").ok
    other.close()
    clock.advance(minutes=10)
    assert s.kiosk_paused_until() is None
    assert s.identify("DEMO-0005", "802X", "1995-05-20").ok
    s.close()


def test_failures_older_than_the_window_do_not_count(db, clock):
    s = kiosk(db, clock)
    for n in range(KIOSK_MAX_FAILURES - 1):
        s.identify(f"GUESS-{n}", "1234", "1990-01-01")
    clock.advance(minutes=10, seconds=1)
    for n in range(KIOSK_MAX_FAILURES - 1):
        assert not s.identify(f"MORE-{n}", "1234", "1990-01-01").paused_until
    assert s.identify("DEMO-0005", "802X", "1995-05-20").ok
    s.close()
