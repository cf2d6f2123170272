"""Kiosk identification: answers checked in the database, with two limits kept there too.

* Per account reference: :data:`MAX_FAILURES` wrong answers in a row lock that
  reference for :data:`LOCK_TIME`.
* Per kiosk (the store's actor, ``kiosk:<id>``): :data:`KIOSK_MAX_FAILURES` failed
  identifications within :data:`KIOSK_WINDOW`, whatever the references, pause the
  kiosk's identification for :data:`KIOSK_PAUSE`; someone trying many references
  (each below its own limit) is slowed to a few tries an hour.

Both are rows in the database, so restarting a kiosk resets neither.  A locked
reference or a paused kiosk is refused without checking the answers; an unknown
reference fails like a wrong answer.
"""

from __future__ import annotations

import hmac
from datetime import date, datetime, timedelta

from .audit_log import AuditLog
from .records import Account, Identification

#: This many wrong answers in a row lock the reference ...
MAX_FAILURES = 5
#: ... for this long.
LOCK_TIME = timedelta(minutes=15)
#: This many failed identifications at one kiosk within KIOSK_WINDOW ...
KIOSK_MAX_FAILURES = 10
KIOSK_WINDOW = timedelta(minutes=10)
#: ... pause identification at that kiosk for this long.
KIOSK_PAUSE = timedelta(minutes=10)


def _plus(now: str, delta: timedelta) -> str:
    return (datetime.fromisoformat(now) + delta).isoformat(timespec="microseconds")


class KioskIdentification(AuditLog):
    """Identification by reference, ID last four and birth date (mixed into :class:`plans.store.Store`)."""

    def lockout(self, ref: str) -> str | None:
        """UTC ISO time until which kiosk identification for ``ref`` is locked, or None."""
        with self.backend.read() as tx:
            row = tx.kiosk_attempts(ref)
        if row and row["locked_until"] and row["locked_until"] > self._now():
            return row["locked_until"]
        return None

    def kiosk_paused_until(self) -> str | None:
        """UTC ISO time until which this kiosk (the store's actor) may not identify anyone, or None."""
        with self.backend.read() as tx:
            until = tx.kiosk_pause(self.actor)
        return until if until and until > self._now() else None

    def record_failed_identification(self, ref: str) -> Identification:
        now = self._now()
        with self._write() as tx:
            return self._fail(tx, now, ref)

    def _fail(self, tx, now: str, ref: str, locked: str | None = None) -> Identification:
        paused = self._kiosk_failure(tx, now)
        if locked is not None:
            return Identification(False, locked_until=locked, paused_until=paused)
        row = tx.kiosk_attempts(ref) or {"failures": 0, "locked_until": None}
        if row["locked_until"] and row["locked_until"] > now:
            return Identification(False, locked_until=row["locked_until"], paused_until=paused)
        failures = row["failures"] + 1
        locked_until = None
        if failures >= MAX_FAILURES:
            locked_until = _plus(now, LOCK_TIME)
            failures = 0
        tx.set_kiosk_attempts(ref, failures, now, locked_until)
        self._audit(
            tx,
            now,
            "kiosk.identify_failed",
            "account",
            ref,
            None,
            {"locked_until": locked_until} if locked_until else {"failures": failures},
        )
        return Identification(
            False,
            locked_until=locked_until,
            paused_until=paused,
            tries_left=0 if locked_until else MAX_FAILURES - failures,
        )

    def _kiosk_failure(self, tx, now: str) -> str | None:
        """Count a failure at this kiosk; the pause's end when this one starts a pause."""
        since = (datetime.fromisoformat(now) - KIOSK_WINDOW).isoformat(timespec="microseconds")
        if tx.add_kiosk_failure(self.actor, now, since) < KIOSK_MAX_FAILURES:
            return None
        until = _plus(now, KIOSK_PAUSE)
        tx.set_kiosk_pause(self.actor, until)
        tx.clear_kiosk_failures(self.actor)
        self._audit(
            tx,
            now,
            "kiosk.paused",
            "kiosk",
            self.actor,
            None,
            {
                "failures": KIOSK_MAX_FAILURES,
                "window_minutes": int(KIOSK_WINDOW.total_seconds() // 60),
                "paused_until": until,
            },
        )
        return until

    def identify(self, ref: str, id_last4: str, birth_date: date | str) -> Identification:
        """Kiosk identification by reference, national-ID last four and birth date (see the module)."""
        now = self._now()
        given_birth = birth_date.isoformat() if isinstance(birth_date, date) else str(birth_date).strip()
        with self._write() as tx:
            paused = tx.kiosk_pause(self.actor)
            if paused and paused > now:
                return Identification(False, paused_until=paused)
            row = tx.kiosk_attempts(ref)
            if row and row["locked_until"] and row["locked_until"] > now:
                return self._fail(tx, now, ref, locked=row["locked_until"])
            acc = tx.get_account(ref)
            ok = acc is not None and acc["id_last4"] is not None and acc["birth_date"] is not None
            ok = hmac.compare_digest((acc or {}).get("id_last4") or "", str(id_last4).strip().upper()) and ok
            ok = hmac.compare_digest((acc or {}).get("birth_date") or "", given_birth) and ok
            if not ok:
                return self._fail(tx, now, ref)
            if row:
                tx.clear_kiosk_attempts(ref)
            self._audit(tx, now, "kiosk.identified", "account", ref, None, None)
            return Identification(True, account=Account.from_dict(acc), tries_left=MAX_FAILURES)


__all__ = ["KIOSK_MAX_FAILURES", "KIOSK_PAUSE", "KIOSK_WINDOW", "KioskIdentification", "LOCK_TIME", "MAX_FAILURES"]
