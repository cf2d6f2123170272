"""Kiosk identification: reference + national-ID last four + birth date, with a persisted lockout."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from calc.debt import Debt
from plans.store import LOCK_TIME, MAX_FAILURES, Account, open_store


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
def db(tmp_path, clock):
    path = tmp_path / "kiosk.db"
    s = open_store(path, clock=clock)
    s.upsert_accounts([Account("DEMO-0005", "CNY", Debt("CNY", principal=4200_00), name="王芳",
                               id_last4="802X", birth_date=date(1995, 5, 20))])
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
