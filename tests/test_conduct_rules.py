"""Contact rules: hour boundaries in the debtor's time zone, the daily counter across midnight, flags,
third parties, inbound contacts, and the schedule of written messages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from plans.conduct.contact_rules import Earlier, decide, debtor_zone, schedule
from plans.conduct.settings import Conduct
from plans.conduct.vocabulary import Channel, ContactRule, Decision, Direction, Flag, Party
from plans.policy import default_policy, parse_policy, default_policy_text

SH = ZoneInfo("Asia/Shanghai")
UR = ZoneInfo("Asia/Urumqi")
LON = ZoneInfo("Europe/London")
C = Conduct()


def at(tz, y, mo, d, h, mi=0, s=0, us=0):
    return datetime(y, mo, d, h, mi, s, us, tzinfo=tz)


def call(when, decision=Decision.ALLOWED, party=Party.DEBTOR, direction=Direction.OUTBOUND, channel=Channel.CALL):
    return Earlier(when, channel, direction, party, decision)


@pytest.mark.parametrize(
    "local, allowed, rule",
    [
        ((7, 59, 59, 999999), False, ContactRule.BEFORE_HOURS),
        ((8, 0, 0, 0), True, None),
        ((21, 59, 59, 999999), True, None),
        ((22, 0, 0, 0), False, ContactRule.AFTER_HOURS),
        ((23, 30, 0, 0), False, ContactRule.AFTER_HOURS),
        ((0, 0, 0, 0), False, ContactRule.BEFORE_HOURS),
    ],
)
def test_hour_boundaries_in_local_time(local, allowed, rule):
    h, m, s, us = local
    d = decide(C, SH, (), Channel.CALL, at(SH, 2026, 12, 1, h, m, s, us).astimezone(timezone.utc))
    assert d.allowed is allowed
    assert [b.rule for b in d.breaches] == ([] if rule is None else [rule])
    assert d.local.tzinfo is SH


def test_the_words_of_the_hours_rules():
    early = decide(C, SH, (), Channel.CALL, at(SH, 2026, 12, 1, 7, 40))
    assert early.breaches[0].english() == "not before 08:00"
    assert early.next_allowed == at(SH, 2026, 12, 1, 8)
    late = decide(C, SH, (), Channel.SMS, at(SH, 2026, 12, 1, 22, 5))
    assert late.breaches[0].english() == "not from 22:00"
    assert late.next_allowed == at(SH, 2026, 12, 2, 8)


def test_the_same_instant_is_allowed_in_one_zone_and_not_in_another():
    """09:30 in Shanghai is 07:30 in Urumqi: a debtor in a region with its own zone is not called yet."""
    now = at(SH, 2026, 12, 1, 9, 30)
    assert decide(C, SH, (), Channel.CALL, now).allowed
    far_west = decide(C, UR, (), Channel.CALL, now)
    assert not far_west.allowed and far_west.breaches[0].rule is ContactRule.BEFORE_HOURS
    assert far_west.local.hour == 7 and far_west.next_allowed == at(UR, 2026, 12, 1, 8)


def test_summer_time_moves_the_window_in_utc():
    """A London debtor: 08:00 local is 08:00 UTC in winter and 07:00 UTC in summer."""
    winter = datetime(2026, 1, 15, 7, 30, tzinfo=timezone.utc)
    summer = datetime(2026, 7, 15, 7, 30, tzinfo=timezone.utc)
    assert not decide(C, LON, (), Channel.CALL, winter).allowed
    assert decide(C, LON, (), Channel.CALL, summer).allowed
    # the morning the clocks go forward (29 March 2026, 01:00 UTC)
    assert decide(C, LON, (), Channel.CALL, datetime(2026, 3, 29, 7, 0, tzinfo=timezone.utc)).allowed
    assert not decide(C, LON, (), Channel.CALL, datetime(2026, 3, 28, 7, 0, tzinfo=timezone.utc)).allowed


def test_the_region_zone_comes_from_the_policy():
    text = default_policy_text().replace(
        "[regions.beijing]",
        '[regions.xinjiang]\nreserve_per_person = "900.00"\ntime_zone = "Asia/Urumqi"\n\n[regions.beijing]',
    )
    policy = parse_policy(text)
    assert policy.time_zone("xinjiang") == "Asia/Urumqi"
    assert policy.time_zone("beijing") == "Asia/Shanghai" == policy.time_zone(None)
    assert debtor_zone(policy.conduct, policy.region("xinjiang").time_zone) == UR


def test_the_sixth_attempt_is_the_last_of_the_day():
    now = at(SH, 2026, 12, 1, 15)
    earlier = [call(at(SH, 2026, 12, 1, 9 + i)) for i in range(5)]
    d = decide(C, SH, (), Channel.CALL, now, earlier)
    assert d.allowed and d.today == 5 and d.limit == 6
    d = decide(C, SH, (), Channel.CALL, now, earlier + [call(at(SH, 2026, 12, 1, 14))])
    assert not d.allowed and d.breaches[0].english() == "6 of 6 attempts today"
    assert d.next_allowed == at(SH, 2026, 12, 2, 8)


def test_the_counter_starts_again_at_local_midnight():
    earlier = [call(at(SH, 2026, 12, 1, 21, 50 + i)) for i in range(6)]  # six calls 21:50-21:55
    assert not decide(C, SH, (), Channel.CALL, at(SH, 2026, 12, 1, 21, 58), earlier).allowed
    d = decide(C, SH, (), Channel.CALL, at(SH, 2026, 12, 2, 8, 0), earlier)
    assert d.allowed and d.today == 0
    # the same calls seen from Urumqi fell on its 1 December too (19:50 local); the next morning is clear
    assert decide(C, UR, (), Channel.CALL, at(UR, 2026, 12, 2, 8), earlier).today == 0


def test_midnight_is_local_not_utc():
    """16:30 UTC is 00:30 the next day in Shanghai: calls before it belong to the day before."""
    earlier = [call(datetime(2026, 12, 1, 15, 50, tzinfo=timezone.utc)) for _ in range(6)]  # 23:50 local
    d = decide(C, SH, (), Channel.CALL, datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc), earlier)  # 09:00 local
    assert d.allowed and d.today == 0


def test_what_the_counter_leaves_out():
    now = at(SH, 2026, 12, 1, 15)
    earlier = (
        [call(at(SH, 2026, 12, 1, 9), Decision.REFUSED)] * 3
        + [call(at(SH, 2026, 12, 1, 10), direction=Direction.INBOUND)] * 3
        + [call(at(SH, 2026, 12, 1, 11), party=Party.REPRESENTATIVE)] * 3
        + [call(at(SH, 2026, 12, 1, 12), channel=Channel.SMS)] * 3
        + [call(at(SH, 2026, 12, 1, 13), Decision.OVERRIDDEN)] * 2
    )
    assert decide(C, SH, (), Channel.CALL, now, earlier).today == 2
    assert decide(C, SH, (), Channel.SMS, now, earlier).today == 3
    assert not decide(C, SH, (), Channel.SMS, now, earlier).allowed  # 3 of 3 SMS


@pytest.mark.parametrize(
    "flag, call_ok, sms_ok, letter_ok",
    [
        (Flag.WRITTEN_ONLY, False, True, True),
        (Flag.REPRESENTED, False, False, False),
        (Flag.DISPUTED, False, False, True),
        (Flag.DECEASED, False, False, False),
        (Flag.COMPLAINT_OPEN, False, True, True),
    ],
)
def test_flags_stop_or_limit_contact(flag, call_ok, sms_ok, letter_ok):
    now = at(SH, 2026, 12, 1, 10)
    got = [decide(C, SH, {flag}, ch, now).allowed for ch in (Channel.CALL, Channel.SMS, Channel.LETTER)]
    assert got == [call_ok, sms_ok, letter_ok]
    refused = decide(C, SH, {flag}, Channel.CALL, now)
    assert refused.breaches[0].code == f"flag:{flag}" and refused.next_allowed is None


def test_flag_words_say_what_is_still_allowed():
    now = at(SH, 2026, 12, 1, 10)
    assert (
        decide(C, SH, {Flag.WRITTEN_ONLY}, Channel.CALL, now).breaches[0].english()
        == "written contact only: only SMS, letter"
    )
    assert decide(C, SH, {Flag.DECEASED}, Channel.LETTER, now).breaches[0].english() == "deceased: no contact"
    from plans.text.i18n import translator

    assert (
        decide(C, SH, {Flag.WRITTEN_ONLY}, Channel.CALL, now).breaches[0].words(translator("zh_CN"))
        == "仅限书面联系：仅可短信、信函"
    )


def test_represented_allows_the_representative():
    now = at(SH, 2026, 12, 1, 10)
    assert not decide(C, SH, {Flag.REPRESENTED}, Channel.CALL, now).allowed
    assert decide(C, SH, {Flag.REPRESENTED}, Channel.CALL, now, party=Party.REPRESENTATIVE).allowed
    assert not decide(C, SH, {Flag.DECEASED}, Channel.CALL, now, party=Party.REPRESENTATIVE).allowed


def test_third_parties():
    now = at(SH, 2026, 12, 1, 10)
    d = decide(C, SH, (), Channel.CALL, now, party=Party.THIRD_PARTY)
    assert not d.allowed and d.codes == ("third_party",)
    text = default_policy_text().replace('third_parties = "never"', 'third_parties = "locate_only"')
    assert decide(parse_policy(text).conduct, SH, (), Channel.CALL, now, party=Party.THIRD_PARTY).allowed


def test_inbound_contacts_are_always_allowed():
    d = decide(C, SH, {Flag.DECEASED}, Channel.CALL, at(SH, 2026, 12, 1, 23, 30), direction=Direction.INBOUND)
    assert d.allowed and not d.breaches


def test_every_broken_rule_is_named_and_waiting_is_offered_only_when_it_helps():
    earlier = [call(at(SH, 2026, 12, 1, 9 + i)) for i in range(6)]
    d = decide(C, SH, {Flag.COMPLAINT_OPEN}, Channel.CALL, at(SH, 2026, 12, 1, 22, 30), earlier)
    assert d.codes == ("flag:complaint_open", "after_hours", "calls_per_day") and d.next_allowed is None
    d = decide(C, SH, (), Channel.CALL, at(SH, 2026, 12, 1, 22, 30), earlier)
    assert d.codes == ("after_hours", "calls_per_day") and d.next_allowed == at(SH, 2026, 12, 2, 8)


def test_policy_hours_and_limits():
    text = (
        default_policy_text()
        .replace('hours = "08:00-22:00"', 'hours = "09:30-21:00"')
        .replace("max_calls_per_day = 6", "max_calls_per_day = 3")
    )
    c = parse_policy(text).conduct
    assert c.start == time(9, 30) and c.end == time(21) and c.max_calls_per_day == 3
    assert not decide(c, SH, (), Channel.CALL, at(SH, 2026, 12, 1, 9, 29)).allowed
    assert decide(c, SH, (), Channel.CALL, at(SH, 2026, 12, 1, 9, 30)).allowed
    earlier = [call(at(SH, 2026, 12, 1, 10))] * 3
    assert decide(c, SH, (), Channel.CALL, at(SH, 2026, 12, 1, 11), earlier).codes == ("calls_per_day",)


def test_schedule_of_written_messages():
    day = date(2026, 12, 1)
    sms = schedule(C, SH, (), Channel.SMS, day)
    assert sms.allowed and sms.send_from == datetime(2026, 12, 1, 0, 0, tzinfo=timezone.utc)
    assert sms.send_until == datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)
    letter = schedule(C, SH, (), Channel.LETTER, day)
    assert letter.send_from == datetime(2026, 11, 30, 16, tzinfo=timezone.utc)
    assert letter.send_until - letter.send_from == timedelta(days=1)
    assert not schedule(C, SH, {Flag.DECEASED}, Channel.LETTER, day).allowed
    assert schedule(C, SH, {Flag.WRITTEN_ONLY}, Channel.SMS, day).allowed
    assert schedule(C, SH, (), Channel.SMS, day, sent_that_day=3).breaches[0].rule is ContactRule.SMS_PER_DAY
    assert sms.window == (sms.send_from, sms.send_until)
    assert schedule(C, SH, {Flag.DECEASED}, Channel.LETTER, day).window is None


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(timezone.utc)),
    st.sampled_from([SH, UR, LON, ZoneInfo("America/New_York")]),
)
def test_a_call_is_allowed_exactly_within_the_local_hours(now, tz):
    local = now.astimezone(tz)
    inside = time(8) <= local.time() < time(22)
    assert decide(C, tz, (), Channel.CALL, now).allowed is inside
    # a letter is never held back by the hour
    assert decide(C, tz, (), Channel.LETTER, now).allowed


def test_default_policy_has_the_guidance_defaults():
    c = default_policy().conduct
    assert (c.start, c.end, c.max_calls_per_day, c.third_parties) == (time(8), time(22), 6, "never")
    assert (c.reply_within_days, c.extended_to_days, c.approved_extension_days) == (15, 30, 30)
