"""The one gate for messages the project sends in bulk: batch letters and the monitor's reminders.

:func:`clear_to_send` decides, for one message to one debtor on one day, whether it may
go out: the contact rules schedule it (the account's flags, and for an SMS the day's
limit and the contact hours, :func:`plans.conduct.contact_rules.schedule`) and its text
must pass the message checker (:func:`plans.conduct.messages.check_message`).  It
returns a :class:`Cleared` with the sending window, or a :class:`Withheld` saying
which rule held it back (a reason in English for files and logs).  It is cheap: a
written message with no flags costs one pass of the checker over its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from .contact_rules import Breach, debtor_zone, schedule
from .messages import Finding, check_message
from .vocabulary import Channel, Flag


@dataclass(frozen=True, slots=True)
class Cleared:
    """The message may be sent between ``send_from`` and ``send_until`` (aware, UTC)."""

    send_from: datetime
    send_until: datetime


@dataclass(frozen=True, slots=True)
class Withheld:
    """The message must not be sent: ``breaches`` of the contact rules, or ``findings`` of the checker."""

    breaches: tuple[Breach, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def reason(self) -> str:
        if self.breaches:
            return "withheld by the contact rules: " + "; ".join(b.english() for b in self.breaches)
        f = self.findings[0]
        more = f" (and {len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        return f"blocked by the message check: {f.rule} “{f.quote}” at line {f.line}{more}"


def clear_to_send(
    policy,
    channel: Channel | str,
    text: str,
    lang: str,
    day: date,
    *,
    flags: Iterable[Flag] = (),
    region: str | None = None,
    sent_that_day: int = 0,
) -> Cleared | Withheld:
    """May this message (``text`` by ``channel`` to a debtor in ``region`` with ``flags``) go out on ``day``?"""
    conduct = policy.conduct
    tz = debtor_zone(conduct, policy.region(region).time_zone)
    slot = schedule(conduct, tz, flags, Channel(channel), day, sent_that_day)
    window = slot.window
    if window is None:
        return Withheld(breaches=slot.breaches)
    findings = check_message(text, lang, policy)
    if findings:
        return Withheld(findings=findings)
    return Cleared(*window)


class ReminderGate:
    """:func:`clear_to_send` for the monitor's reminders on one day, with the accounts' flags and the day's
    SMS read once.

    ``gate(ref, region, channel, text, lang)`` gives ``(channel, Cleared)`` - the channel may be a letter
    instead of an SMS when the account's flags allow letters only, or when the debtor has had the day's
    SMS already - or a :class:`Withheld`.  ``sent`` holds, by account, when its debtor was sent an SMS
    other than a reminder (``plans.store.conduct.ConductStore.sms_other_than_reminders``); those on the
    debtor's local day count toward the day's limit.  Reminders themselves do not count, so that a
    reminder recorded in the contact log after it was sent does not withhold itself when the monitor
    runs again for the day.
    """

    def __init__(self, policy, day: date, flags: dict | None = None, sent: dict | None = None) -> None:
        self.policy, self.day, self.flags, self.sent = policy, day, flags or {}, sent or {}

    def sent_that_day(self, ref: str, region: str | None) -> int:
        times = self.sent.get(ref)
        if not times:
            return 0
        tz = debtor_zone(self.policy.conduct, self.policy.region(region).time_zone)
        return sum(1 for t in times if t.astimezone(tz).date() == self.day)

    def __call__(self, ref: str, region: str | None, channel: Channel | str, text: str, lang: str):
        flags = self.flags.get(ref, ())
        verdict = clear_to_send(
            self.policy,
            channel,
            text,
            lang,
            self.day,
            flags=flags,
            region=region,
            sent_that_day=self.sent_that_day(ref, region),
        )
        if isinstance(verdict, Withheld) and verdict.breaches and Channel(channel) is Channel.SMS:
            by_letter = clear_to_send(self.policy, Channel.LETTER, text, lang, self.day, flags=flags, region=region)
            if isinstance(by_letter, Cleared):
                return Channel.LETTER, by_letter
        if isinstance(verdict, Withheld):
            return verdict
        return Channel(channel), verdict


class PreparedGate:
    """:func:`clear_to_send` prepared for many messages of one channel, language and day (batch letters and
    SMS): the fixed text they are made of (``fixed``: sample messages of every wording) is checked once, the
    contact rules are decided once per set of flags and region, and each message then needs only its own
    data-bearing texts checked (``personal``: the greeting with the name, the account line; each distinct
    text once).  A finding in
    the fixed text holds back every message, as :func:`clear_to_send` would each one."""

    def __init__(self, policy, channel: Channel | str, lang: str, day: date, fixed: Iterable[str]) -> None:
        self.policy, self.channel, self.lang, self.day = policy, Channel(channel), lang, day
        self.fixed = tuple(f for text in fixed for f in check_message(text, lang, policy))
        self._slots: dict = {}
        self._checked: dict[str, tuple] = {}

    def __call__(self, *personal: str, flags: Iterable[Flag] = (), region: str | None = None) -> Cleared | Withheld:
        key = (tuple(flags), region)
        decided = self._slots.get(key)
        if decided is None:  # (the slot, and the verdict when the message's texts pass: immutable, made once)
            conduct = self.policy.conduct
            tz = debtor_zone(conduct, self.policy.region(region).time_zone)
            slot = schedule(conduct, tz, key[0], self.channel, self.day)
            decided = self._slots[key] = (
                slot,
                Withheld(breaches=slot.breaches) if slot.window is None else Cleared(*slot.window),
            )
        slot, verdict = decided
        if slot.window is None:
            return verdict
        findings = self.fixed
        for text in personal:  # (each text checked once: names are masked, so they repeat)
            found = self._checked.get(text)
            if found is None:
                if len(self._checked) > 200_000:
                    self._checked.clear()
                found = self._checked[text] = check_message(text, self.lang, self.policy)
            findings += found
        if findings:
            return Withheld(findings=findings)
        return verdict


__all__ = ["Cleared", "PreparedGate", "ReminderGate", "Withheld", "clear_to_send"]
