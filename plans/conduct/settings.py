"""The policy's ``[conduct]`` table: contact hours, daily limits, third parties, flags, complaint days.

:class:`Conduct` holds it (``Policy.conduct``); :func:`read_conduct` reads it for
:mod:`plans.policy.reader`, collecting every problem with its dotted key as the rest
of the policy does.  Every key is optional: a policy written before ``[conduct]``
existed gets the defaults below, which follow the industry guidance (no contact
before 08:00 or from 22:00 in the debtor's local time, at most 6 call attempts a
day, nobody but the debtor contacted about the debt) and the complaint-handling
rules for banks (a reply within 15 days, 30 with a reason, 30 more with approval).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from calc.errors import InvalidInput

from .vocabulary import OUTBOUND_CHANNELS, Channel, Flag, ThirdParties

if TYPE_CHECKING:
    from .messages import MessageRule

#: What each flag still allows by default: outbound channels to the debtor.
DEFAULT_FLAG_ALLOWS: tuple[tuple[Flag, frozenset[Channel]], ...] = (
    (Flag.WRITTEN_ONLY, frozenset({Channel.SMS, Channel.LETTER})),
    (Flag.REPRESENTED, frozenset()),
    (Flag.DISPUTED, frozenset({Channel.LETTER})),
    (Flag.DECEASED, frozenset()),
    (Flag.COMPLAINT_OPEN, frozenset({Channel.SMS, Channel.LETTER})),
)
DEFAULT_ZONE = "Asia/Shanghai"
_HOURS = re.compile(r"^\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)\s*$")
KEYS = (
    "hours",
    "time_zone",
    "max_calls_per_day",
    "max_sms_per_day",
    "third_parties",
    "flags",
    "complaints",
    "message_rules",
)
COMPLAINT_KEYS = ("reply_within_days", "extended_to_days", "approved_extension_days")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The time zone called ``name`` (an IANA name such as ``Asia/Shanghai``); InvalidInput if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f"{name!r} is not a known time zone; use an IANA name such as Asia/Shanghai or Asia/Urumqi", "time_zone"
        ) from None


@dataclass(frozen=True, slots=True)
class Conduct:
    """``[conduct]`` (every field has the shipped default)."""

    #: Contact hours in the debtor's local time: from ``start`` (allowed) until ``end`` (not allowed).
    start: time = time(8, 0)
    end: time = time(22, 0)
    #: The time zone of a debtor whose region carries none (``[regions.NAME] time_zone``).
    time_zone: str = DEFAULT_ZONE
    #: Outbound call attempts to the debtor per local day (any outcome).
    max_calls_per_day: int = 6
    #: Outbound SMS to the debtor per local day (reminders included).
    max_sms_per_day: int = 3
    third_parties: ThirdParties = ThirdParties.NEVER
    #: For every flag, the outbound channels to the debtor it still allows.
    flag_allows: tuple[tuple[Flag, frozenset[Channel]], ...] = DEFAULT_FLAG_ALLOWS
    #: Complaints: a reply is due this many days after receipt ...
    reply_within_days: int = 15
    #: ... extendable once, with a reason, to this many days after receipt ...
    extended_to_days: int = 30
    #: ... and once more by this many days with a supervisor's approval.
    approved_extension_days: int = 30
    #: Message rules the policy adds to the shipped ones (``[[conduct.message_rules]]``).
    message_rules: tuple["MessageRule", ...] = field(default=())

    def allows(self, flag: Flag) -> frozenset[Channel]:
        for f, channels in self.flag_allows:
            if f == flag:
                return channels
        return frozenset()

    @property
    def hours_text(self) -> str:
        end = "24:00" if self.end == time(0) else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}-{end}"


def _hours(value, key) -> tuple[time, time]:
    m = _HOURS.match(value) if isinstance(value, str) else None
    if m is None:
        raise InvalidInput('must be the contact hours as text "HH:MM-HH:MM", e.g. "08:00-22:00"', key)
    h1, m1, h2, m2 = map(int, m.groups())
    if h2 == 24 and m2:
        raise InvalidInput(f"{value!r}: the day ends at 24:00", key)
    if (h1, m1) >= (h2, m2):
        raise InvalidInput(f"{value!r}: the end must be after the start (contact hours never cross midnight)", key)
    return time(h1, m1), time(0) if h2 == 24 else time(h2, m2)


def check_zone(value, key) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("must be an IANA time zone name as text, e.g. Asia/Shanghai", key)
    try:
        zone(value.strip())
    except InvalidInput as exc:
        raise InvalidInput(exc.message, key) from None
    return value.strip()


def _channels(value, key) -> frozenset[Channel]:
    names = ", ".join(OUTBOUND_CHANNELS)
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise InvalidInput(
            f'must be a list of channels it still allows, e.g. ["letter"] (from {names}); [] stops all contact', key
        )
    unknown = [x for x in value if x not in OUTBOUND_CHANNELS]
    if unknown:
        raise InvalidInput(f"{unknown[0]!r} is not an outbound channel; use {names}", key)
    return frozenset(Channel(x) for x in value)


def read_conduct(r, data: dict) -> Conduct:
    """``[conduct]`` through the policy reader ``r`` (``plans.policy.reader._Reader``), problems collected there."""
    from .messages import parse_rules

    d = Conduct()
    c = r.table(data, "conduct", "conduct", KEYS, required=False)
    values: dict = {}
    hours = r.get(c, "hours", "conduct.hours", _hours, None)
    if hours is not None:
        values["start"], values["end"] = hours
    values["time_zone"] = r.get(c, "time_zone", "conduct.time_zone", check_zone, None)
    values["max_calls_per_day"] = r.get(c, "max_calls_per_day", "conduct.max_calls_per_day", r.integer(0, 50), None)
    values["max_sms_per_day"] = r.get(c, "max_sms_per_day", "conduct.max_sms_per_day", r.integer(0, 50), None)
    third = r.get(c, "third_parties", "conduct.third_parties", r.choice(tuple(ThirdParties)), None)
    values["third_parties"] = ThirdParties(third) if third else None
    flags = r.table(c, "flags", "conduct.flags", tuple(Flag), required=False)
    allows = []
    for flag, default in d.flag_allows:
        got = r.get(flags, str(flag), f"conduct.flags.{flag}", _channels, default)
        allows.append((flag, default if got is None else got))
    values["flag_allows"] = tuple(allows)
    comp = r.table(c, "complaints", "conduct.complaints", COMPLAINT_KEYS, required=False)
    for name in COMPLAINT_KEYS:
        values[name] = r.get(comp, name, f"conduct.complaints.{name}", r.integer(1, 365), None)
    first = values["reply_within_days"] or d.reply_within_days
    extended = values["extended_to_days"] or d.extended_to_days
    if (values["extended_to_days"] is not None or values["reply_within_days"] is not None) and extended <= first:
        r.add(
            "conduct.complaints.extended_to_days",
            f"{extended} is not after reply_within_days ({first}); an extension gives more time",
        )
    raw_rules = c.get("message_rules", [])
    if "message_rules" in c:
        if not isinstance(raw_rules, list) or not all(isinstance(x, dict) for x in raw_rules):
            r.add("conduct.message_rules", "must be [[conduct.message_rules]] tables (see docs/conduct.md)")
        else:
            problems, rules = parse_rules(raw_rules, "conduct.message_rules")
            for key, message in problems:
                r.add(key, message)
            values["message_rules"] = tuple(rules)
    return Conduct(**{k: v for k, v in values.items() if v is not None})


__all__ = ["Conduct", "DEFAULT_FLAG_ALLOWS", "DEFAULT_ZONE", "check_zone", "read_conduct", "zone"]
