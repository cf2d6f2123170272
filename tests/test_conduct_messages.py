"""The message checker: a corpus of harmful and lawful messages in every language, spans, suggestions,
negations, the account's real amounts, and rules the policy adds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from plans.conduct.messages import MessageBlocked, MessageFacts, check_message, require_clean, shipped_rules
from plans.conduct.vocabulary import MessageCategory
from plans.policy import check_policy, default_policy_text, parse_policy

DATA = Path(__file__).parent / "data"
LANGS = ("zh_CN", "zh_TW", "en")


def corpus(lang: str) -> list[tuple[str, frozenset[str]]]:
    out = []
    for line in (DATA / f"conduct_corpus_{lang}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, expected = line.rsplit("|", 1)
        out.append((text.strip(), frozenset(e.strip() for e in expected.split(",") if e.strip())))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_the_corpus_is_large_and_balanced(lang):
    items = corpus(lang)
    harmful = [t for t, e in items if e]
    assert len(items) >= 60 and len(harmful) >= 35 and len(items) - len(harmful) >= 20
    # every shipped rule is exercised in every language
    assert {r for _, e in items for r in e} == {r.id for r in shipped_rules()}


@pytest.mark.parametrize("lang", LANGS)
def test_every_corpus_message_gets_exactly_its_expected_findings(lang):
    wrong = []
    for text, expected in corpus(lang):
        got = frozenset(f.rule for f in check_message(text, lang))
        if got != expected:
            wrong.append((text, sorted(expected), sorted(got)))
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_findings_quote_the_span_and_suggest_in_the_language(lang):
    for text, _expected in corpus(lang):
        for f in check_message(text, lang):
            assert text[f.start : f.end] == f.quote and f.quote.strip()
            assert f.line == 1 and f.column == f.start + 1
            assert f.suggestion
            if lang == "en":
                assert f.suggestion.isascii()
            else:
                assert not f.suggestion.isascii()


def test_traditional_and_simplified_suggestions_differ():
    cn = check_message("你这个老赖", "zh_CN")[0].suggestion
    tw = check_message("你這個老賴", "zh_TW")[0].suggestion
    assert cn != tw and "称呼" in cn and "稱呼" in tw


def test_lines_and_columns_count_from_one():
    text = "尊敬的客户：\n您好。\r\n再不还钱就等着坐牢。"
    (f,) = check_message(text)
    assert (f.line, f.column, f.quote) == (3, 8, "坐牢")


@pytest.mark.parametrize(
    "text, found",
    [
        ("我们不会联系您的家人。", False),
        ("我们绝不会以任何方式联系您的家人。", False),
        ("如果不还款，我们将联系您的家人。", True),
        ("不还款就联系您的家人", True),
        ("We will not contact your employer.", False),
        ("We won't ever contact your employer.", False),
        ("If you do not pay we will contact your employer.", True),
        ("No one will contact your friends.", False),
        ("Do not worry: we never visit your home.", False),
        ("If you don't answer, we will visit your home.", True),
    ],
)
def test_a_negation_right_before_the_phrase_dismisses_it(text, found):
    assert bool(check_message(text, "en" if text.isascii() else "zh_CN")) is found


def test_insults_are_not_excused_by_a_negation():
    assert check_message("你不是老赖吗？")[0].rule == "insult"


def test_a_threat_in_another_language_inside_a_message_is_found():
    got = check_message("尊敬的客户，您好。Pay now or we will call the police will arrest you.", "zh_CN")
    assert {f.rule for f in got} == {"threat.criminal"}
    assert all(f.suggestion.isascii() for f in got)  # the advice in the language of the phrase


def test_amounts_must_be_the_accounts_own():
    facts = MessageFacts("CNY", frozenset({1_200_000, 50_000}))
    assert check_message("您当前欠款合计12,000.00元，每期还款¥500。", "zh_CN", facts=facts) == ()
    (f,) = check_message("您当前欠款合计15,000.00元。", "zh_CN", facts=facts)
    assert (f.rule, f.category, f.quote) == ("amount.unknown", MessageCategory.FALSE_AMOUNT, "15,000.00元")
    assert check_message("You owe CNY 12,000.01 today.", "en", facts=facts)[0].quote == "CNY 12,000.01"
    assert check_message("请拨打400-000-0000，账号6222 0000。", "zh_CN", facts=facts) == ()  # not amounts
    assert check_message("欠款12,000.001元", "zh_CN", facts=facts)[0].rule == "amount.unknown"


def test_require_clean_is_the_one_call_for_writers():
    assert require_clean("请于到期日前还款。") == "请于到期日前还款。"
    with pytest.raises(MessageBlocked, match=r"threat\.criminal “坐牢”"):
        require_clean("不还就坐牢", what="the letter")


def test_the_policy_adds_and_replaces_rules():
    text = (
        default_policy_text()
        + """
[[conduct.message_rules]]
id = "house.nickname"
category = "insult"
zh = ['小气鬼']
en = ['\\bcheapskate\\b']
[conduct.message_rules.suggest]
zh_CN = "使用尊重的称呼。"
zh_TW = "使用尊重的稱呼。"
en = "Use a respectful form of address."

[[conduct.message_rules]]
id = "visit.home"
category = "visit"
zh = ['登门拜访']
[conduct.message_rules.suggest]
zh_CN = "不以上门相要挟。"
zh_TW = "不以上門相要脅。"
en = "Do not threaten a visit."
"""
    )
    policy = parse_policy(text)
    assert [f.rule for f in check_message("你这个小气鬼", "zh_CN", policy)] == ["house.nickname"]
    assert check_message("You cheapskate", "en", policy)[0].suggestion == "Use a respectful form of address."
    assert check_message("我们将登门拜访", "zh_CN", policy)[0].rule == "visit.home"
    assert check_message("我们明天上门", "zh_CN", policy) == ()  # the shipped visit.home is replaced
    assert check_message("我们明天上门", "zh_CN")[0].rule == "visit.home"  # the default policy keeps it


def test_policy_check_names_every_problem_of_a_rule(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        default_policy_text()
        + """
[[conduct.message_rules]]
id = "Bad Id"
category = "rudeness"
zh = ['(unclosed', '.*']
colour = "red"
[conduct.message_rules.suggest]
zh_CN = "x"
""",
        encoding="utf-8",
    )
    keys = {p.field for p in check_policy(path)}
    assert {
        "conduct.message_rules[0].id",
        "conduct.message_rules[0].category",
        "conduct.message_rules[0].zh[0]",
        "conduct.message_rules[0].zh[1]",
        "conduct.message_rules[0].colour",
        "conduct.message_rules[0].suggest",
    } <= keys


def test_policy_check_of_the_conduct_table(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        default_policy_text()
        .replace('hours = "08:00-22:00"', 'hours = "22:00-08:00"')
        .replace('time_zone = "Asia/Shanghai"', 'time_zone = "Mars/Olympus"')
        .replace("max_calls_per_day = 6", "max_calls_per_day = -1")
        .replace('disputed = ["letter"]', 'disputed = ["fax"]')
        .replace("extended_to_days = 30", "extended_to_days = 10")
        .replace('reserve_per_person = "1320.00"', 'reserve_per_person = "1320.00"\ntime_zone = "Nowhere"'),
        encoding="utf-8",
    )
    problems = {p.field: p.message for p in check_policy(path)}
    assert "end must be after the start" in problems["conduct.hours"]
    assert "not a known time zone" in problems["conduct.time_zone"]
    assert "conduct.max_calls_per_day" in problems
    assert "'fax' is not an outbound channel" in problems["conduct.flags.disputed"]
    assert "conduct.complaints.extended_to_days" in problems
    assert "not a known time zone" in problems["regions.beijing.time_zone"]


def test_a_policy_without_a_conduct_table_gets_the_defaults():
    text = default_policy_text()
    policy = parse_policy(text[: text.index("# Collection conduct and complaints")])
    assert policy.conduct.max_calls_per_day == 6 and policy.conduct.time_zone == "Asia/Shanghai"


def test_hostile_text_is_checked_without_harm():
    text = "\x1b[2J" + "[" * 100_000 + "坐牢" + "\u202e" * 1000
    assert [f.rule for f in check_message(text)] == ["threat.criminal"]
    assert check_message("") == ()


def _pieces() -> list[str]:
    out = []
    for lang in LANGS:
        for text, _ in corpus(lang):
            out += [text[i : i + 7] for i in range(0, len(text), 5)]
    return out


PIECES = _pieces()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=12).map("".join))
def test_looking_only_where_a_match_can_start_finds_what_a_full_search_finds(text):
    from plans.conduct.messages import _finder

    for rule in shipped_rules():
        for _, pattern in rule.patterns:
            fast = [(m.start(), m.end()) for m in _finder(pattern)(text)]
            full = [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
            assert fast == full, (rule.id, pattern.pattern[:40], text)


def test_every_shipped_pattern_passes_the_guard_and_has_a_known_first_character():
    from plans.conduct.pattern_shape import analyse

    assert [
        (r.id, p.pattern[:30])
        for r in shipped_rules()
        for _, p in r.patterns + r.excepts
        if analyse(p.pattern).first is None
    ] == []
    assert shipped_rules()  # parse_rules checked every pattern with the guard (a problem would raise)


def test_a_rule_pattern_begins_where_one_of_its_parts_does():
    """The checker takes a rule pattern's first characters from its parts (messages._FIRST), without
    reading the joined pattern again: the same as reading it, for every shipped pattern and a policy's."""
    from plans.conduct.messages import _FIRST, _compile
    from plans.conduct.pattern_shape import analyse

    joined = [p for r in shipped_rules() for _, p in r.patterns + r.excepts]
    problems: list = []
    extra = _compile([r"\bvisit\b", "[联聯]系", "a?b", "(?=x)y"], "x", problems)
    assert problems == [] and extra is not None
    for pattern in joined + [extra]:
        assert _FIRST[pattern.pattern] == analyse.__wrapped__(pattern.pattern).first, pattern.pattern[:40]


@pytest.mark.parametrize(
    "pattern, problem",
    [
        ("(a+)+b", "repeats a part that itself repeats"),
        (r"(?:\s*[xy])*z", "repeats a part that itself repeats"),
        ("联系.*家人.*单位.*曝光", "could take about 8,120,601 steps"),
        (r"x\s{1000}y", "repeats up to 1000 times; at most 100"),
        (r".*催收", "can begin with any character"),
        (r"\w+催收", "can begin with any character"),
        (r"[^，]催收", "can begin with any character"),
        (r"(?:a)?.b", "can begin with any character"),
        (r"(a)\1", "refers back to a group"),
        (r"(?P<x>a)(?P=x)", "refers back to a group"),
        (r"(?x) a b", "sets flags inside the pattern"),
        (r"(a)?(?(1)b|c)", "conditional group"),
    ],
)
def test_policy_check_refuses_patterns_that_could_hang_the_checker(tmp_path, pattern, problem):
    path = tmp_path / "p.toml"
    path.write_text(
        default_policy_text()
        + f"""
[[conduct.message_rules]]
id = "house.rule"
category = "violence"
zh = ['催收', '{pattern}']
[conduct.message_rules.suggest]
zh_CN = "a"
zh_TW = "b"
en = "c"
""",
        encoding="utf-8",
    )
    problems = {p.field: p.message for p in check_policy(path)}
    assert list(problems) == ["conduct.message_rules[0].zh[1]"]
    assert problem in problems["conduct.message_rules[0].zh[1]"]


@pytest.mark.parametrize(
    "pattern, first",
    [
        (r"\bvisit\b", "vV"),
        ("[联聯]系", "联聯"),
        ("a?b", "aAbB"),
        ("(?:我(?:们|們)?是|代表)", "我代"),
        (r"(?=x)y", "yY"),
        (r"\x41\u4e00", "aA"),
        ("[a-c]x", "aAbBcC"),
        (r"[\.\-]x", ".-"),
    ],
)
def test_first_characters_are_read_from_the_pattern(pattern, first):
    from plans.conduct.pattern_shape import analyse

    assert analyse(pattern).first == frozenset(first)


def test_allowed_patterns_stay_fast_on_hostile_text():
    """Two ambiguous repetitions are the most allowed: each attempt is bounded to MAX_PHRASE characters,
    so a megabyte of the worst text is still checked (a count of work, not a timing)."""
    from plans.conduct.messages import Checker, parse_rules
    from plans.conduct.pattern_shape import MAX_PHRASE

    problems, rules = parse_rules(
        [{"id": "x", "category": "violence", "zh": ["联.*系.*人"], "suggest": {"zh_CN": "a", "zh_TW": "b", "en": "c"}}],
        "r",
    )
    assert problems == []
    text = "联系" * 5000  # every attempt finds 系 everywhere and 人 nowhere
    assert Checker(rules).check(text) == ()
    # the clause read around a phrase and the negation before it are bounded too: findings in one
    # long clause cost the same each
    long = ("上门" + "啊" * (MAX_PHRASE * 2)) * 200
    assert len(check_message(long)) == 200
