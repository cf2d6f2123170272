"""``[servicing]`` in the policy: the shipped terms, defaults for older policies, every check, and the
summaries saying what the monitor will do."""

from __future__ import annotations

from pathlib import Path

from plans.policy import Servicing, check_policy, default_policy, default_policy_text, parse_policy
from plans.summary.servicing_words import missed_paragraph
from plans.text.i18n import translator

DEFAULT = default_policy_text()


def problems_of(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return {p.field: p.message for p in check_policy(path)}


def without_servicing() -> str:
    return DEFAULT[: DEFAULT.index("# After the agreement")]


def test_the_shipped_terms():
    sv = default_policy().servicing
    assert (sv.grace_days, sv.break_after_missed, sv.reminder_days_before, sv.replans_allowed) == (5, 3, 3, 1)
    assert sv.restore_on_break == ("interest", "penalty_interest", "late_fees")
    assert len(sv.payment_methods) == 3


def test_a_policy_without_servicing_gets_the_defaults(tmp_path):
    assert problems_of(tmp_path, without_servicing()) == {}
    sv = parse_policy(without_servicing()).servicing
    assert sv == Servicing() and sv.payment_methods == ()


def test_every_key_is_checked(tmp_path):
    body = (
        without_servicing()
        + """
[servicing]
grace_days = -1
break_after_missed = 0
restore_on_break = ["interest", "fines", "interest"]
reminder_days_before = "3"
replans_allowed = 99
payment_methods = ["", 5]
colour = "red"
"""
    )
    problems = problems_of(tmp_path, body)
    assert set(problems) == {
        "servicing.grace_days",
        "servicing.break_after_missed",
        "servicing.restore_on_break",
        "servicing.reminder_days_before",
        "servicing.replans_allowed",
        "servicing.payment_methods",
        "servicing.colour",
    }
    assert "from 0 to 90" in problems["servicing.grace_days"]
    assert "'fines' is not a debt bucket" in problems["servicing.restore_on_break"]
    assert "unknown key" in problems["servicing.colour"]
    twice = problems_of(tmp_path, without_servicing() + '[servicing]\nrestore_on_break = ["interest", "interest"]\n')
    assert twice == {"servicing.restore_on_break": "names a bucket twice"}


def test_the_terms_are_read_in_bucket_order(tmp_path):
    p = parse_policy(
        without_servicing() + '[servicing]\nrestore_on_break = ["late_fees", "interest"]\n'
        "grace_days = 0\nbreak_after_missed = 1\n"
    )
    assert p.servicing.restore_on_break == ("interest", "late_fees")
    en = missed_paragraph(translator("en"), p.servicing, (("late_fees", "CN¥300.00"),))
    assert "on its due date counts as missed" in en and "A missed installment breaks the agreement." in en
    assert "What was waived of late fees (CN¥300.00) is charged again." in en
    zh = missed_paragraph(translator("zh_CN"), default_policy().servicing, ())
    assert "5天" in zh and "3期" in zh and "已减免" not in zh
