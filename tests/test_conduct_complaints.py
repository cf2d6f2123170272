"""Complaints: due dates, the two extensions, resolution in time or late, overdue, the work queue
and the reply letter in every language."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from db_templates import set_up_once
from zoneinfo import ZoneInfo

from calc.debt import Debt
from calc.errors import InvalidInput
from plans.conduct.complaints import ComplaintRecord, complaint_state, next_extension
from plans.conduct.messages import check_message
from plans.conduct.reply import reply_letter
from plans.conduct.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintState
from plans.conduct.work import complaint_work
from plans.policy import default_policy, default_policy_text, parse_policy
from plans.store import Account, NotAllowed, open_store

POLICY = default_policy()
CONDUCT = POLICY.conduct


class Clock:
    def __init__(self, when):
        self.now = when

    def __call__(self):
        return self.now


def local(y, m, d, h=10):
    """A time ``h`` o'clock in Shanghai, as UTC."""
    return datetime(y, m, d, h, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)


START = local(2026, 12, 1)


@pytest.fixture
def clock():
    return Clock(START)


def three_accounts_and_a_supervisor(db) -> None:
    s = open_store(db, actor="wang.agent", role="agent", clock=Clock(START))
    s.upsert_accounts([Account(f"A-{i}", "CNY", Debt("CNY", 100_000 * i)) for i in range(1, 4)])
    s.add_user("li.super", "supervisor", "correct horse")
    s.close()


set_up_db = set_up_once(three_accounts_and_a_supervisor)


@pytest.fixture
def store(set_up_db, clock):
    s = open_store(set_up_db, actor="wang.agent", role="agent", clock=clock)
    yield s
    s.close()


def test_a_reply_is_due_fifteen_days_after_receipt(store):
    c = store.add_complaint("A-1", CONDUCT, "phone", "collection_conduct", "深夜来电", "zh_CN")
    assert (c.record.received_on, c.due_on, c.state) == (date(2026, 12, 1), date(2026, 12, 16), ComplaintState.RECEIVED)
    assert not c.overdue(date(2026, 12, 16)) and c.overdue(date(2026, 12, 17))
    assert c.days_overdue(date(2026, 12, 20)) == 4


def test_the_day_of_receipt_is_the_creditors_local_day(store, clock):
    clock.now = datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)  # 01:00 on 1 December in Shanghai
    assert store.add_complaint("A-1", CONDUCT, "email", "other", "x", "en").record.received_on == date(2026, 12, 1)


def test_extended_once_with_a_reason_then_again_with_a_supervisor(store):
    c = store.add_complaint("A-1", CONDUCT, "letter", "amount_dispute", "余额有误", "zh_CN", acknowledged=True)
    with pytest.raises(InvalidInput, match="empty"):
        store.extend_complaint(c.id, CONDUCT, "")
    c = store.extend_complaint(c.id, CONDUCT, "需要调取三年的账单")
    assert (c.due_on, c.extensions) == (date(2026, 12, 31), 1)  # 30 days after receipt
    ext = next_extension(c, CONDUCT)
    assert ext.due_on == date(2027, 1, 30) and ext.needs_supervisor
    with pytest.raises(NotAllowed, match="supervisor"):
        store.extend_complaint(c.id, CONDUCT, "still checking")
    agent_as_boss = store.as_actor("wang.agent", "agent")
    with pytest.raises(NotAllowed):
        agent_as_boss.extend_complaint(c.id, CONDUCT, "x", approved_by=object())
    boss = store.authenticate("li.super", "correct horse")
    c = store.as_actor(boss.name, boss.role).extend_complaint(c.id, CONDUCT, "外部机构尚未回复", approved_by=boss)
    assert (c.due_on, c.extensions) == (date(2027, 1, 30), 2)
    assert c.events[-1].approved_by == "li.super" and c.events[-1].actor == "li.super"
    with pytest.raises(InvalidInput, match="extended twice"):
        store.extend_complaint(c.id, CONDUCT, "more", approved_by=boss)


def test_policy_complaint_days():
    text = (
        default_policy_text()
        .replace("reply_within_days = 15", "reply_within_days = 10")
        .replace("approved_extension_days = 30", "approved_extension_days = 15")
    )
    conduct = parse_policy(text).conduct
    rec = ComplaintRecord(
        1,
        "A",
        "2026-12-01T02:00:00+00:00",
        date(2026, 12, 1),
        ComplaintChannel.PHONE,
        ComplaintCategory.OTHER,
        "x",
        "en",
        "a",
        "agent",
    )
    c = complaint_state(rec, [], conduct)
    assert c.due_on == date(2026, 12, 11)
    assert next_extension(c, conduct).due_on == date(2026, 12, 31)


def test_resolved_in_time_or_late(store, clock):
    on_time = store.add_complaint("A-1", CONDUCT, "phone", "plan_terms", "期数太长", "zh_CN")
    late = store.add_complaint("A-2", CONDUCT, "phone", "plan_terms", "期数太长", "zh_CN")
    clock.now = local(2026, 12, 16, 21)
    on_time = store.resolve_complaint(on_time.id, POLICY, "not_upheld", "经核实，分期期数符合您签署的协议。")
    assert on_time.in_time and on_time.days_to_resolve == 15
    clock.now = local(2026, 12, 17)
    late = store.resolve_complaint(late.id, POLICY, "partly_upheld", "我们已为您调整还款日。")
    assert late.in_time is False and late.state is ComplaintState.RESOLVED
    with pytest.raises(InvalidInput, match="resolved already"):
        store.resolve_complaint(late.id, POLICY, "upheld", "again")


def test_a_harmful_reply_is_refused(store):
    c = store.add_complaint("A-1", CONDUCT, "phone", "collection_conduct", "x", "zh_CN")
    with pytest.raises(InvalidInput, match=r"threat\.criminal") as exc:
        store.resolve_complaint(c.id, POLICY, "not_upheld", "你再投诉就报警抓你。")
    assert exc.value.field == "reply"
    assert store.complaint(c.id, CONDUCT).open


def test_overdue_complaints_top_the_work_queue(store, clock):
    a = store.add_complaint("A-1", CONDUCT, "phone", "collection_conduct", "x", "zh_CN")  # due 12-16
    clock.now = local(2026, 12, 5)
    b = store.add_complaint("A-2", CONDUCT, "phone", "other", "y", "zh_CN")  # due 12-20
    clock.now = local(2026, 12, 10)
    store.add_complaint("A-3", CONDUCT, "phone", "other", "z", "zh_CN")  # due 12-25
    store.resolve_complaint(
        store.add_complaint("A-3", CONDUCT, "phone", "other", "w", "zh_CN").id, POLICY, "upheld", "已处理。"
    )
    rows = complaint_work(store.complaints(CONDUCT), date(2026, 12, 18))
    assert rows == [("A-1", "complaint_overdue", 0, "2026-12-17"), ("A-2", "complaint_due_soon", 0, "2026-12-21")]
    # servicing work (priorities from 1) sorts after every complaint row
    queue = sorted(rows + [("A-9", "broken", 1, "2026-01-01")], key=lambda r: (r[2], r[3], r[0], r[1]))
    assert [r[1] for r in queue] == ["complaint_overdue", "complaint_due_soon", "broken"]
    assert complaint_work(store.complaints(CONDUCT), date(2026, 12, 10)) == []
    assert a.id and b.id


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh_CN", ("核实", "调解", "仲裁", "诉讼", "投诉成立", "12378")),
        ("zh_TW", ("核實", "調解", "仲裁", "訴訟", "申訴成立", "12378")),
        ("en", ("Verification", "Mediation", "Arbitration", "Litigation", "upheld", "12378")),
    ],
)
def test_the_reply_letter_names_the_further_channels_in_the_debtors_language(store, lang, words):
    c = store.add_complaint("A-1", CONDUCT, "kiosk", "collection_conduct", "text", lang)
    c = store.resolve_complaint(c.id, POLICY, "upheld", "We apologise." if lang == "en" else "我们向您致歉。")
    letter = reply_letter(c, POLICY, date(2026, 12, 2), "****A-1")
    for w in words:
        assert w in letter
    assert f"C-{c.id}" in letter and check_message(letter, lang, POLICY) == ()
    if lang != "en":
        assert "Dear customer" not in letter


def test_complaint_input_is_checked(store):
    with pytest.raises(InvalidInput) as exc:
        store.add_complaint("A-1", CONDUCT, "fax", "other", "x", "zh_CN")
    assert exc.value.field == "channel"
    with pytest.raises(InvalidInput) as exc:
        store.add_complaint("A-1", CONDUCT, "phone", "other", " ", "zh_CN")
    assert exc.value.field == "complaint"
    with pytest.raises(InvalidInput) as exc:
        store.add_complaint("A-1", CONDUCT, "phone", "other", "x" * 4001, "zh_CN")
    assert "4000" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        store.add_complaint("A-1", CONDUCT, "phone", "other", "x", "fr")
    assert exc.value.field == "lang"


def test_the_report_counts_by_local_day(store, clock):
    from plans.conduct.report import conduct_report, render
    from plans.store.conduct import ContactRefused, Override

    boss = store.authenticate("li.super", "correct horse")
    clock.now = local(2026, 11, 30, 23)  # 30 November, after hours
    with pytest.raises(ContactRefused):
        store.log_contact("A-1", POLICY, "call", "answered")
    clock.now = local(2026, 12, 1, 7)  # 07:00 on 1 December (still 30 November in UTC)
    store.log_contact("A-1", POLICY, "call", "answered", override=Override(boss, "asked for an early call"))
    clock.now = local(2026, 12, 1, 10)
    store.log_contact("A-1", POLICY, "call", "no_answer")
    store.log_contact("A-2", POLICY, "sms", "sent")
    store.log_contact("A-2", POLICY, "kiosk", "promise", direction="inbound")
    a = store.add_complaint("A-1", CONDUCT, "phone", "collection_conduct", "x", "zh_CN")
    b = store.add_complaint("A-2", CONDUCT, "letter", "amount_dispute", "y", "zh_CN")
    store.add_complaint("A-3", CONDUCT, "kiosk", "other", "z", "zh_CN")  # due 12-16, never resolved
    clock.now = local(2026, 12, 4)
    store.resolve_complaint(a.id, POLICY, "upheld", "已处理。")  # 3 days
    clock.now = local(2026, 12, 20)
    store.resolve_complaint(b.id, POLICY, "not_upheld", "经核实金额无误。")  # 19 days: late
    start, end = date(2026, 12, 1), date(2026, 12, 31)
    lo = datetime(2026, 11, 30, 16, tzinfo=timezone.utc)
    r = conduct_report(
        store.contacts_between(lo, lo + timedelta(days=31)), store.complaints(CONDUCT), start, end, CONDUCT
    )
    assert r["contacts"]["total"] == 4
    assert r["contacts"]["by_channel_and_outcome"]["call"] == {
        "answered": 1,
        "no_answer": 1,
        "wrong_party": 0,
        "promise": 0,
        "refused": 0,
        "sent": 0,
    }
    assert r["contacts"]["by_channel"] == {"call": 2, "sms": 1, "letter": 0, "kiosk": 1}
    assert r["refusals"]["total"] == 0  # the refusal fell on 30 November, local time
    assert r["overrides"] == {"total": 1, "by_rule": {"before_hours": 1}}
    c = r["complaints"]
    assert (c["opened"], c["resolved"], c["resolved_in_time"], c["resolved_late"], c["overdue"]) == (3, 2, 1, 1, 1)
    assert c["median_days_to_resolve"] == 11.0 and c["opened_by_category"]["other"] == 1
    november = conduct_report(
        store.contacts_between(lo - timedelta(days=30), lo),
        store.complaints(CONDUCT),
        date(2026, 11, 1),
        date(2026, 11, 30),
        CONDUCT,
    )
    assert november["refusals"] == {"total": 1, "by_rule": {"after_hours": 1}}
    assert "median_days_to_resolve" in render(r, "table") and render(r, "csv").startswith("section,name,value")
