"""Whether a contact is allowed now, and when a written message may go out.

Pure functions of the policy's ``[conduct]``, the debtor's time zone, the account's
flags, its earlier contacts and the time, so the console, ``installment conduct
allowed``, the monitor's reminders and the batch letters decide the same way:

* :func:`decide` - may this outbound contact be made at ``now``?  The answer names
  every rule it would break (:class:`Breach`), how many attempts the debtor has had
  today (the debtor's local day: an attempt at 21:59 yesterday does not count), and
  when waiting would make it allowed.  Inbound contacts (the debtor calls, or visits
  a kiosk) are always allowed: the rules limit what the creditor does.
* :func:`schedule` - the window on a day within which a written message (SMS,
  letter, reminder) may be sent, or the rules that withhold it.

The rules, in the order a decision lists them: the account's flags (what each still
allows is in the policy), third parties, the contact hours (calls and SMS; a letter
is posted, not delivered at an hour), then the daily limits (calls; SMS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, NamedTuple
from zoneinfo import ZoneInfo

from .settings import Conduct, zone
from .vocabulary import Channel, ContactRule, Decision, Direction, Flag, Party, ThirdParties


class Earlier(NamedTuple):
    """An earlier contact, as far as the rules care."""

    at: datetime  # aware
    channel: Channel
    direction: Direction
    party: Party
    decision: Decision


@dataclass(frozen=True, slots=True)
class Breach:
    """One rule a contact would break, with the figures its message needs."""

    rule: ContactRule
    flag: Flag | None = None
    #: The contact hours' start or end, as HH:MM (hours rules).
    hour: str = ""
    #: Attempts (or SMS) made today and the day's limit (limit rules).
    count: int = 0
    limit: int = 0
    #: The outbound channels the flag still allows (flag rules).
    allowed: tuple[Channel, ...] = ()

    @property
    def code(self) -> str:
        """The rule as one word, as the contact log and reports keep it: ``before_hours``, ``flag:deceased``."""
        return f"{self.rule}:{self.flag}" if self.flag is not None else str(self.rule)

    def english(self) -> str:
        """The reason in English (the command line and the database)."""
        return self.words(lambda m, **v: m.format(**v))

    def words(self, t) -> str:
        """The reason through the translator ``t`` (``plans.text.i18n`` or a console's)."""
        from .words import CHANNELS, FLAG_NONE, FLAG_ONLY, FLAGS, RULE_TEXT, name, names

        if self.rule is ContactRule.FLAG:
            flag = name(FLAGS, t, self.flag)
            if not self.allowed:
                return t(FLAG_NONE, flag=flag)
            return t(FLAG_ONLY, flag=flag, channels=names(CHANNELS, t, self.allowed))
        return t(RULE_TEXT[self.rule], hour=self.hour, count=self.count, limit=self.limit)


@dataclass(frozen=True, slots=True)
class ContactDecision:
    """The answer of :func:`decide`."""

    allowed: bool
    breaches: tuple[Breach, ...]
    #: The debtor's local time when asked.
    local: datetime
    #: Outbound call attempts (or SMS, for an SMS) to the debtor on the local day, and the day's limit.
    today: int
    limit: int
    #: When waiting would make the contact allowed (None: allowed now, or waiting does not help).
    next_allowed: datetime | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.breaches)


def debtor_zone(conduct: Conduct, region_zone: str | None) -> ZoneInfo:
    """The debtor's time zone: their region's when it carries one, else ``[conduct] time_zone``."""
    return zone(region_zone or conduct.time_zone)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _end_minutes(conduct: Conduct) -> int:
    return 1440 if conduct.end == time(0) else _minutes(conduct.end)


def _at(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    if minutes >= 1440:
        return datetime.combine(day + timedelta(days=1), time(0), tz)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tz)


def flag_breaches(conduct: Conduct, flags: Iterable[Flag], channel: Channel, party: Party) -> list[Breach]:
    """The flags that stop ``channel`` to ``party``.  ``represented`` stops contact with the debtor,
    not with the representative; the other flags limit contact about the account with anyone."""
    out = []
    for flag in sorted(set(flags), key=list(Flag).index):
        if flag is Flag.REPRESENTED and party is Party.REPRESENTATIVE:
            continue
        allows = conduct.allows(flag)
        if channel not in allows:
            out.append(Breach(ContactRule.FLAG, flag=flag, allowed=tuple(c for c in Channel if c in allows)))
    return out


def counted_today(earlier: Iterable[Earlier], channel: Channel, tz: ZoneInfo, day: date) -> int:
    """Outbound contacts by ``channel`` with the debtor that were made (not refused) on the local ``day``."""
    n = 0
    for e in earlier:
        if (
            e.channel == channel
            and e.direction == Direction.OUTBOUND
            and e.party == Party.DEBTOR
            and e.decision != Decision.REFUSED
            and e.at.astimezone(tz).date() == day
        ):
            n += 1
    return n


def decide(
    conduct: Conduct,
    tz: ZoneInfo,
    flags: Iterable[Flag],
    channel: Channel,
    now: datetime,
    earlier: Iterable[Earlier] = (),
    *,
    party: Party = Party.DEBTOR,
    direction: Direction = Direction.OUTBOUND,
) -> ContactDecision:
    """May this contact be made at ``now`` (an aware time)?  See the module docstring."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    channel, party, direction = Channel(channel), Party(party), Direction(direction)
    local = now.astimezone(tz)
    day = local.date()
    limit = {Channel.CALL: conduct.max_calls_per_day, Channel.SMS: conduct.max_sms_per_day}.get(channel, 0)
    today = counted_today(earlier, channel, tz, day) if channel in (Channel.CALL, Channel.SMS) else 0
    if direction is Direction.INBOUND:
        return ContactDecision(True, (), local, today, limit)
    breaches = flag_breaches(conduct, flags, channel, party)
    waitable = []
    if party is Party.THIRD_PARTY and conduct.third_parties is ThirdParties.NEVER:
        breaches.append(Breach(ContactRule.THIRD_PARTY))
    if channel in (Channel.CALL, Channel.SMS):
        minute = local.hour * 60 + local.minute
        start, end = _minutes(conduct.start), _end_minutes(conduct)
        if minute < start:
            b = Breach(ContactRule.BEFORE_HOURS, hour=conduct.start.strftime("%H:%M"))
            waitable.append((b, _at(day, start, tz)))
        elif minute >= end:
            b = Breach(ContactRule.AFTER_HOURS, hour=conduct.hours_text[-5:])
            waitable.append((b, _at(day + timedelta(days=1), start, tz)))
        if party is Party.DEBTOR and today >= limit:
            rule = ContactRule.CALLS_PER_DAY if channel is Channel.CALL else ContactRule.SMS_PER_DAY
            waitable.append((Breach(rule, count=today, limit=limit), _at(day + timedelta(days=1), start, tz)))
    breaches += [b for b, _ in waitable]
    next_allowed = None
    if waitable and len(breaches) == len(waitable):  # only time stands in the way
        next_allowed = max(when for _, when in waitable)
    return ContactDecision(not breaches, tuple(breaches), local, today, limit, next_allowed)


@dataclass(frozen=True, slots=True)
class Slot:
    """When a written message may be sent on a day: ``send_from`` until ``send_until`` (aware, UTC), or
    ``breaches`` say why it is withheld."""

    day: date
    channel: Channel
    send_from: datetime | None
    send_until: datetime | None
    breaches: tuple[Breach, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.breaches

    @property
    def window(self) -> tuple[datetime, datetime] | None:
        """``(send_from, send_until)`` when the message may go out that day, else None."""
        if self.send_from is None or self.send_until is None:
            return None
        return self.send_from, self.send_until


def schedule(
    conduct: Conduct, tz: ZoneInfo, flags: Iterable[Flag], channel: Channel, day: date, sent_that_day: int = 0
) -> Slot:
    """The window on the debtor's local ``day`` in which an SMS may go out (the contact hours) or a
    letter may be posted (the whole day), or the rules that withhold it: the account's flags, and
    for an SMS the day's limit (``sent_that_day`` SMS counted already)."""
    channel = Channel(channel)
    breaches = flag_breaches(conduct, flags, channel, Party.DEBTOR)
    if channel is Channel.SMS:
        if sent_that_day >= conduct.max_sms_per_day:
            breaches.append(Breach(ContactRule.SMS_PER_DAY, count=sent_that_day, limit=conduct.max_sms_per_day))
        start, end = _at(day, _minutes(conduct.start), tz), _at(day, _end_minutes(conduct), tz)
    else:
        start, end = _at(day, 0, tz), _at(day, 1440, tz)
    if breaches:
        return Slot(day, channel, None, None, tuple(breaches))
    return Slot(day, channel, start.astimezone(timezone.utc), end.astimezone(timezone.utc))


__all__ = [
    "Breach",
    "ContactDecision",
    "Earlier",
    "Slot",
    "counted_today",
    "debtor_zone",
    "decide",
    "flag_breaches",
    "schedule",
]
