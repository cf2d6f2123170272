"""Times on screen: stored in UTC, shown in the creditor's local time with its zone.

The store keeps every time as UTC ISO text.  The consoles show it in the policy's
``[conduct] time_zone`` (the zone plan dates and contact hours use), labelled with its
offset so nobody mistakes it: ``2026-12-01 09:30 UTC+8``.  One helper for every screen.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from plans.conduct.settings import zone


def _local(at: str, zone_name: str) -> datetime:
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:  # stored times are UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone(zone_name))


def offset_label(moment: datetime) -> str:
    """``UTC+8``, ``UTC-3:30``, ``UTC``: the zone of an aware local time, the same in every language."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local_time(at: str, zone_name: str) -> str:
    """A stored UTC time (ISO text) as ``YYYY-MM-DD HH:MM UTC+8`` in ``zone_name``."""
    moment = _local(at, zone_name)
    return f"{moment:%Y-%m-%d %H:%M} {offset_label(moment)}"


def local_day(at: str, zone_name: str) -> date:
    """The local day of a stored UTC time (what a history line dates an offer by)."""
    return _local(at, zone_name).date()


__all__ = ["local_day", "local_time", "offset_label"]
