"""The checker of collection messages: harmful phrasings found, quoted and answered with a lawful wording.

:func:`check_message` is the one call every writer of messages uses (the console's
SMS and call notes, ``installment conduct check``, batch letters, the monitor's
reminders, the tests over every template).  It returns :class:`Finding` records:
the rule, its category, where the phrase is (offsets, line and column), the phrase
quoted, and a lawful wording to use instead, in the message's language.

Rules live in ``message_rules.toml`` beside this module (documented there) and a
policy may add or replace rules with ``[[conduct.message_rules]]`` tables of the
same form.  A rule has patterns for Chinese (``zh``, written once for simplified and
traditional script, e.g. ``[联聯][系繫络絡]``) and for English (``en``); every pattern
runs on every message, so a threat in English inside a Chinese message is found too.

What counts as one phrase: text is cut into clauses at sentence and clause
punctuation (not at the comma of "1,234.56").  A match is dismissed when

* the clause matches one of the rule's ``zh_except``/``en_except`` patterns, or
* the rule is ``negatable`` (the default) and a negation stands right before the
  match in its clause: "我们**不会**联系您的家人", "we will **never** contact your
  employer".  Only a negation directly before the phrase counts, so "如果不还款，就联系
  您的家人" and "if you do not pay we will contact your employer" are still found.

Patterns are checked when they are read (``plans.conduct.pattern_shape``: no repetition of a
repetition, bounded work per attempt, a known first character) and each match attempt spans
at most ``MAX_PHRASE`` characters, so a policy's pattern cannot hang the checker; a clause is
read at most that far either side of a phrase, and a negation at most ``_NEGATION_REACH``
characters before it.

With :class:`MessageFacts` (the account's real amounts) a currency amount the
message states that is not one of them is a finding too (``amount.unknown``).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Iterable

from calc.errors import InvalidInput

from .pattern_shape import MAX_PHRASE, analyse
from .vocabulary import MessageCategory

LANGS = ("zh_CN", "zh_TW", "en")
SCRIPTS = ("zh", "en")
MAX_PATTERN = 400
RULE_KEYS = ("id", "category", "zh", "en", "zh_except", "en_except", "negatable", "suggest")

_CLAUSE_BREAK = re.compile(r"[。！？!?；;，：\n\r]|,(?!\d{3}(?!\d))|(?<=[^\d\s])[.:](?=\s|$)|(?<=\D)\.(?=\D)")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_ZH_NEGATION = re.compile(
    r"(?:不会|不會|绝不|絕不|决不|決不|不得|从不|從不|从未|從未|并不|並不|并未|並未|没有|沒有|无权|無權|不能|不可|不准|"
    r"禁止|严禁|嚴禁|杜绝|杜絕|不|未|非|勿|别|別)"
    r"(?:催收人员|催收人員|工作人员|工作人員|任何人|我们|我們|我方|我行|本行|会|會|再|去|主动|主動|擅自|以任何方式|以任何形式|向任何人|以任何理由|因此|因此而|导致|導致|被|要|让您|讓您|使您|"
    r"随意|隨意|私自|对您|對您)*$"
)
_EN_NEGATION = re.compile(
    r"(?:\bnot|\bnever|n't|\bcannot|\bno one will|\bnobody will|\bno)"
    r"(?:\s+(?:ever|be|been|being|\w+ly))*$",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"(?:¥|￥|CNY|RMB|人民币|人民幣)\s*(?P<a>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<af>\d+))?"
    r"|(?P<b>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<bf>\d+))?\s*(?:元|圆|圓|块|塊|yuan\b|CNY\b|RMB\b)",
    re.IGNORECASE,
)


class RuleError(ValueError):
    """A rule file or policy rule with problems: ``problems`` are ``(key, message)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {m}" for k, m in problems))


#: The first characters of each rule pattern :func:`_compile` made (an alternation of checked parts):
#: the union of its parts' (an alternation begins where one of its branches does), so the joined
#: pattern is not read again (what :func:`analyse` would give it; tests/test_conduct_messages.py).
_FIRST: dict[str, frozenset[str]] = {}


def _finder(pattern: re.Pattern):
    """``finditer`` for ``pattern``, trying it only where a first character of a match stands
    (``plans.conduct.pattern_shape``), each attempt bounded to ``MAX_PHRASE`` characters."""
    chars = _FIRST.get(pattern.pattern) or analyse(pattern.pattern).first
    if chars is None:  # not for a rule that passed the checks: they all begin with known characters
        return pattern.finditer
    starts = re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")
    match = pattern.match

    def finditer(text: str):
        end = -1
        for s in starts.finditer(text):
            pos = s.start()
            if pos < end:
                continue
            m = match(text, pos, pos + MAX_PHRASE)
            if m is not None and m.end() > pos:
                end = m.end()
                yield m

    return finditer


def _found_in(finders, text: str) -> bool:
    return any(next(iter(f(text)), None) is not None for f in finders)


@dataclass(frozen=True, slots=True)
class MessageRule:
    id: str
    category: MessageCategory
    #: One compiled pattern per script ("zh", "en"); absent when the rule has none for it.
    patterns: tuple[tuple[str, re.Pattern], ...]
    excepts: tuple[tuple[str, re.Pattern], ...] = ()
    #: A lawful wording, by language.
    suggest: tuple[tuple[str, str], ...] = ()
    negatable: bool = True

    def suggestion(self, lang: str) -> str:
        table = dict(self.suggest)
        return table.get(lang) or table.get("en") or ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One harmful phrase: rule id, category, offsets ``start:end`` in the text, 1-based line and column,
    the phrase, and a lawful wording."""

    rule: str
    category: MessageCategory
    start: int
    end: int
    line: int
    column: int
    quote: str
    suggestion: str

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": str(self.category),
            "line": self.line,
            "column": self.column,
            "quote": self.quote,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What an account's messages may state: its currency and every amount (minor units) that is true of it
    (the debt, its buckets, an offer's installment, the plan balance, arrears...)."""

    currency: str
    amounts: frozenset[int] = field(default_factory=frozenset)


# -- reading rules ----------------------------------------------------------------


def _compile(patterns: list[str], key: str, problems: list) -> re.Pattern | None:
    good = []
    first: frozenset[str] = frozenset()
    for i, p in enumerate(patterns):
        k = f"{key}[{i}]"
        if not isinstance(p, str) or not p.strip():
            problems.append((k, "must be a non-empty regular expression as text"))
            continue
        if len(p) > MAX_PATTERN:
            problems.append((k, f"is {len(p)} characters; at most {MAX_PATTERN}"))
            continue
        try:
            compiled = re.compile(p, re.IGNORECASE)
        except re.error as exc:
            problems.append((k, f"is not a valid regular expression: {exc}"))
            continue
        if compiled.search("") is not None:
            problems.append((k, "matches empty text, so it would match every message"))
            continue
        shape = analyse(p)
        if shape.problem is not None:
            problems.append((k, shape.problem))
            continue
        assert shape.first is not None  # (a pattern without a problem begins with known characters)
        good.append(f"(?:{p})")
        first |= shape.first
    if not good:
        return None
    joined = "|".join(good)
    if len(_FIRST) < 4096:
        _FIRST[joined] = first
    return re.compile(joined, re.IGNORECASE)


def parse_rules(items: Iterable[dict], key: str) -> tuple[list[tuple[str, str]], list[MessageRule]]:
    """Rules from TOML tables (the rule file's ``[[rule]]`` or a policy's ``[[conduct.message_rules]]``);
    returns ``(problems, rules)`` with every problem as ``(dotted key, message)``."""
    problems: list[tuple[str, str]] = []
    rules: list[MessageRule] = []
    seen: set[str] = set()
    for n, item in enumerate(items):
        k = f"{key}[{n}]"
        before = len(problems)
        for name in item:
            if name not in RULE_KEYS:
                problems.append((f"{k}.{name}", f"unknown key; a message rule takes {', '.join(RULE_KEYS)}"))
        rid = item.get("id")
        if not isinstance(rid, str) or not re.fullmatch(r"[a-z][a-z0-9_.-]{0,63}", rid):
            problems.append(
                (f"{k}.id", "must be a rule name of lowercase letters, digits, '.', '_' or '-', e.g. threat.criminal")
            )
        elif rid in seen:
            problems.append((f"{k}.id", f"{rid!r} is used twice"))
        else:
            seen.add(rid)
        category = item.get("category")
        if category not in tuple(MessageCategory):
            problems.append((f"{k}.category", f"must be one of {', '.join(MessageCategory)}, got {category!r}"))
        compiled: list[tuple[str, re.Pattern]] = []
        excepts: list[tuple[str, re.Pattern]] = []
        for script in SCRIPTS:
            for target, suffix in ((compiled, ""), (excepts, "_except")):
                raw = item.get(script + suffix, [])
                if not isinstance(raw, list):
                    problems.append((f"{k}.{script}{suffix}", "must be a list of regular expressions"))
                    continue
                pattern = _compile(raw, f"{k}.{script}{suffix}", problems)
                if pattern is not None:
                    target.append((script, pattern))
        if not compiled and not any(p[0].startswith(f"{k}.zh") or p[0].startswith(f"{k}.en") for p in problems):
            problems.append((k, "has no patterns; give zh = [...] or en = [...]"))
        suggest = item.get("suggest")
        if not isinstance(suggest, dict) or any(
            not isinstance(suggest.get(lang), str) or not suggest[lang].strip() for lang in LANGS
        ):
            problems.append((f"{k}.suggest", f"must be a table with a lawful wording for each of {', '.join(LANGS)}"))
            suggest = {}
        negatable = item.get("negatable", True)
        if not isinstance(negatable, bool):
            problems.append((f"{k}.negatable", "must be true or false"))
        if len(problems) == before and isinstance(rid, str) and isinstance(category, str):  # (checked above)
            rules.append(
                MessageRule(
                    rid,
                    MessageCategory(category),
                    tuple(compiled),
                    tuple(excepts),
                    tuple((lang, suggest[lang].strip()) for lang in LANGS),
                    negatable,
                )
            )
    return problems, rules


@lru_cache(maxsize=1)
def shipped_rules() -> tuple[MessageRule, ...]:
    """The rules in ``message_rules.toml`` (a broken file is a bug: it raises RuleError)."""
    text = resources.files("plans.conduct").joinpath("message_rules.toml").read_text(encoding="utf-8")
    problems, rules = parse_rules(tomllib.loads(text).get("rule", []), "rule")
    if problems:
        raise RuleError(problems)
    return tuple(rules)


# -- checking ---------------------------------------------------------------------------


class Checker:
    """Rules compiled once; :meth:`check` a message."""

    def __init__(self, rules: Iterable[MessageRule]) -> None:
        self.rules = tuple(rules)
        self._finders = [[(script, _finder(pattern)) for script, pattern in r.patterns] for r in self.rules]
        self._excepts = [[_finder(pattern) for _, pattern in r.excepts] for r in self.rules]

    def check(self, text: str, lang: str = "zh_CN", facts: MessageFacts | None = None) -> tuple[Finding, ...]:
        if not text:
            return ()
        found: list[Finding] = []
        cache: dict[str, list[int]] = {}

        def positions(name: str, pattern: re.Pattern) -> list[int]:  # computed only when something matched
            if name not in cache:
                cache[name] = [0] + [m.end() for m in pattern.finditer(text)]
            return cache[name]

        def add(rule_id, category, start, end, suggestion) -> None:
            lines = positions("lines", _LINE_BREAK)
            line = bisect_right(lines, start)
            found.append(
                Finding(rule_id, category, start, end, line, start - lines[line - 1] + 1, text[start:end], suggestion)
            )

        for rule, finders, excepts in zip(self.rules, self._finders, self._excepts):
            taken = -1
            for script, finditer in finders:
                for m in finditer(text):
                    if m.start() < taken or m.end() == m.start():
                        continue
                    breaks = positions("clauses", _CLAUSE_BREAK)
                    lo = breaks[bisect_right(breaks, m.start()) - 1]
                    hi_i = bisect_right(breaks, m.start())
                    hi = breaks[hi_i] if hi_i < len(breaks) else len(text)
                    # the clause, at most MAX_PHRASE characters either side of the phrase (a text without
                    # punctuation is one clause: the work per phrase stays bounded)
                    clause = text[max(lo, m.start() - MAX_PHRASE) : min(hi, m.end() + MAX_PHRASE)]
                    if excepts and _found_in(excepts, clause):
                        continue
                    if rule.negatable and _negated(text[max(lo, m.start() - _NEGATION_REACH) : m.start()]):
                        continue
                    lang_of = (
                        lang if script == "zh" and lang in ("zh_CN", "zh_TW") else ("zh_CN" if script == "zh" else "en")
                    )
                    add(rule.id, rule.category, m.start(), m.end(), rule.suggestion(lang_of))
                    taken = m.end()
        if facts is not None:
            for start, end, minor in _amounts(text, facts.currency):
                if minor not in facts.amounts:
                    add("amount.unknown", MessageCategory.FALSE_AMOUNT, start, end, _AMOUNT_SUGGEST[lang])
        found.sort(key=lambda f: (f.start, f.rule))
        return tuple(found)


_AMOUNT_SUGGEST = {
    "zh_CN": "只写账户上真实的金额，例如“您当前欠款合计”后接账户的实际金额。",
    "zh_TW": "只寫帳戶上真實的金額，例如「您目前欠款合計」後接帳戶的實際金額。",
    "en": 'State only the account\'s real figures, e.g. "You owe" followed by the amount on the account.',
}


#: How far before a phrase a negation is looked for ("我们不会以任何方式" is 8 characters).
_NEGATION_REACH = 60


def _negated(before: str) -> bool:
    before = before.rstrip()
    return bool(_ZH_NEGATION.search(before) or _EN_NEGATION.search(before))


def _amounts(text: str, currency: str) -> list[tuple[int, int, int]]:
    """``(start, end, minor units)`` of every currency amount written in ``text`` (CNY-style markers)."""
    from calc.money import exponent

    exp = exponent(currency)
    out = []
    for m in _AMOUNT.finditer(text):
        whole = (m.group("a") or m.group("b")).replace(",", "")
        frac = m.group("af") if m.group("a") else m.group("bf")
        try:
            value = Decimal(f"{whole}.{frac}" if frac else whole)
        except InvalidOperation:
            continue
        minor = value.scaleb(exp)
        if minor == minor.to_integral_value():
            out.append((m.start(), m.end(), int(minor)))
        else:
            out.append((m.start(), m.end(), -1))  # more digits than the currency has: never a real figure
    return out


@lru_cache(maxsize=32)
def _checker_for(extra: tuple[MessageRule, ...]) -> Checker:
    by_id = {r.id: r for r in shipped_rules()}
    for r in extra:  # the policy adds rules, or replaces a shipped rule of the same id
        by_id[r.id] = r
    return Checker(by_id.values())


def checker(policy=None) -> Checker:
    """The checker with the shipped rules and ``policy``'s ``[[conduct.message_rules]]``."""
    extra = tuple(policy.conduct.message_rules) if policy is not None else ()
    return _checker_for(extra)


def check_message(
    text: str, lang: str = "zh_CN", policy=None, facts: MessageFacts | None = None
) -> tuple[Finding, ...]:
    """Every harmful phrase in ``text`` (see the module docstring); empty when the message is clean."""
    return checker(policy).check(text, lang, facts)


class MessageBlocked(InvalidInput):
    """A generated or written message failed the checker: ``findings`` say where and why.  An expected
    refusal (an :class:`~calc.errors.InstallmentError`), shown to the user, never a fault."""

    def __init__(self, findings: tuple[Finding, ...], what: str = "the message") -> None:
        self.findings = findings
        first = findings[0]
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(f"{what} breaks the conduct rules: {first.rule} “{first.quote}”{more}", "text")


def require_clean(
    text: str, lang: str = "zh_CN", policy=None, facts: MessageFacts | None = None, what: str = "the message"
) -> str:
    """``text`` when it passes the checker; else raises :class:`MessageBlocked`.  The one call for writers
    that must not send a harmful message (letters, reminders, the console's SMS)."""
    findings = check_message(text, lang, policy, facts)
    if findings:
        raise MessageBlocked(findings, what)
    return text


__all__ = [
    "Checker",
    "Finding",
    "MessageBlocked",
    "MessageFacts",
    "MessageRule",
    "RuleError",
    "check_message",
    "checker",
    "parse_rules",
    "require_clean",
    "shipped_rules",
]
