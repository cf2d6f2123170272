"""The shape of a message-rule pattern: where a match can begin, and how much work one match may take.

Message rules are regular expressions, and a policy may add its own, so the checker
must not trust them to be cheap: ``(a+)+`` or ``.*.*.*`` can take exponential or
high-polynomial time on ordinary text.  :func:`analyse` reads a pattern with a small
parser of the regular-expression syntax (public ``re`` only: characters classes like
``\\s`` are tested with ``re.fullmatch``) and gives

* ``first`` - every character a match can begin with (both cases): the checker tries
  the pattern only where one of these stands, which makes checking a letter about
  ten times faster than a search at every character;
* ``cost`` - a bound on the backtracking of one match attempt: sequences multiply,
  alternatives add, and a repetition multiplies by its width only when what it
  repeats can also begin what follows it (``.{0,8}家人`` is ambiguous, ``\\s+your``
  is not); an unbounded repetition counts as :data:`MAX_PHRASE` wide, because every
  match attempt is bounded to that many characters;
* ``problem`` - why the pattern is refused, or None: a repetition of something that
  itself repeats (``(a+)+``, ``(?:\\s*x)*``), a repetition bound above
  :data:`MAX_REPEAT`, a cost above :data:`MAX_COST`, a pattern that can begin
  anywhere (``.``, ``\\w``, ``[^...]``), and syntax the checker does not support
  (back-references, conditionals, inline flags).

``policy check`` reports these problems for ``[[conduct.message_rules]]``; the shipped
rules pass the same test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Characters one match may span; every match attempt is bounded to this many characters.
MAX_PHRASE = 200
#: The largest repetition bound (``{0,100}``).
MAX_REPEAT = 100
#: The most backtracking steps one match attempt may need, by the estimate above.
MAX_COST = 50_000


class _Unsupported(Exception):
    pass


#: Pairs of class escapes that share no character.
_DISJOINT = {frozenset("ds"), frozenset("sw"), frozenset("dS"), frozenset("Dd"), frozenset("Ss"), frozenset("Ww")}


class Chars:
    """A set of characters: listed ones (``chars``), class escapes (``classes``: ``d``, ``s``, ``w`` and
    their negations) and other tests (``.``, ``[^...]``, wide ranges)."""

    def __init__(self, chars=frozenset(), classes=frozenset(), tests=()) -> None:
        self.chars, self.classes, self.tests = frozenset(chars), frozenset(classes), tuple(tests)

    @property
    def listed(self) -> bool:
        """Whether every character is listed in ``chars``."""
        return not self.classes and not self.tests

    def __contains__(self, ch: str) -> bool:
        if ch in self.chars:
            return True
        cased = {ch, ch.lower(), ch.upper()}
        return any(_class_test(k)(c) for k in self.classes for c in cased) or any(
            t(c) for t in self.tests for c in cased
        )

    def __or__(self, other: "Chars") -> "Chars":
        return Chars(self.chars | other.chars, self.classes | other.classes, self.tests + other.tests)

    def meets(self, other: "Chars") -> bool:
        """Whether the two sets may share a character (tests other than class escapes: assumed so)."""
        if any(c in other for c in self.chars) or any(c in self for c in other.chars):
            return True
        if (self.tests and (other.classes or other.tests)) or (other.tests and self.classes):
            return True
        return any(frozenset((a, b)) not in _DISJOINT for a in self.classes for b in other.classes)


def _cased(chars) -> frozenset[str]:
    return frozenset(c for ch in chars for c in (ch, ch.lower(), ch.upper()) if len(c) == 1)


EMPTY = Chars()


@dataclass(frozen=True)
class _Node:
    kind: str  # "char", "zero", "seq", "alt", "rep", "look"
    chars: Chars = EMPTY
    items: tuple = ()
    lo: int = 1
    hi: int | None = 1


# -- parsing -------------------------------------------------------------------------------

_CLASS_ESCAPES = "dDsSwW"
_ZERO_ESCAPES = "bBAZ"
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "0": "\0"}
_QUANT = re.compile(r"\{(\d*)(,?)(\d*)\}")


@lru_cache(maxsize=None)
def _class_test(letter: str):
    pattern = re.compile("\\" + letter)
    return lambda ch: pattern.fullmatch(ch) is not None


class _Parser:
    def __init__(self, text: str) -> None:
        self.s, self.i = text, 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def alt(self) -> _Node:
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return branches[0] if len(branches) == 1 else _Node("alt", items=tuple(branches))

    def seq(self) -> _Node:
        items = []
        while self.peek() not in ("", "|", ")"):
            atom = self.atom()
            items.append(self.quantified(atom))
        return _Node("seq", items=tuple(items))

    def quantified(self, atom: _Node) -> _Node:
        ch = self.peek()
        if ch in ("*", "+", "?"):
            self.i += 1
            lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[ch]
        else:
            m = _QUANT.match(self.s, self.i) if ch == "{" else None
            if m is None or (not m.group(1) and not m.group(3) and m.group(2)):
                return atom
            self.i = m.end()
            lo = int(m.group(1) or 0)
            hi = lo if not m.group(2) else (int(m.group(3)) if m.group(3) else None)
        if self.peek() in ("?", "+"):  # lazy or possessive: the same work bound
            self.i += 1
        return _Node("rep", items=(atom,), lo=lo, hi=hi)

    def atom(self) -> _Node:
        ch = self.s[self.i]
        self.i += 1
        if ch == "(":
            return self.group()
        if ch == "[":
            return _Node("char", chars=self.char_class())
        if ch == "\\":
            return self.escape(in_class=False)
        if ch == ".":
            return _Node("char", chars=Chars(tests=(lambda c: c != "\n",)))
        if ch in "^$":
            return _Node("zero")
        return _Node("char", chars=Chars(_cased(ch)))

    def group(self) -> _Node:
        look = False
        if self.s.startswith("?", self.i):
            rest = self.s[self.i + 1 :]
            if rest.startswith(":"):
                self.i += 2
            elif rest.startswith("P<"):
                self.i = self.s.index(">", self.i) + 1
            elif rest.startswith(("=", "!")):
                self.i += 2
                look = True
            elif rest.startswith(("<=", "<!")):
                self.i += 3
                look = True
            elif rest.startswith("#"):
                self.i = self.s.index(")", self.i) + 1
                return _Node("zero")
            elif rest.startswith("P="):
                raise _Unsupported("refers back to a group ((?P=name)); the checker does not support that")
            elif rest.startswith("("):
                raise _Unsupported("uses a conditional group ((?(...)...)); the checker does not support that")
            else:
                raise _Unsupported(
                    "sets flags inside the pattern ((?i), (?x)...); patterns always ignore case and take no other flags"
                )
        inner = self.alt()
        self.i += 1  # the ")"
        return _Node("look", items=(inner,)) if look else inner

    def escape(self, in_class: bool):
        ch = self.s[self.i]
        self.i += 1
        if ch in _CLASS_ESCAPES:
            chars = Chars(classes={ch})
            return chars if in_class else _Node("char", chars=chars)
        if ch in _ZERO_ESCAPES and not in_class:
            return _Node("zero")
        if ch.isdigit() and ch != "0":
            raise _Unsupported(f"refers back to a group (\\{ch}); the checker does not support that")
        if ch in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[ch]
            ch, self.i = chr(int(self.s[self.i : self.i + width], 16)), self.i + width
        elif ch == "N":
            end = self.s.index("}", self.i)
            import unicodedata

            ch, self.i = unicodedata.lookup(self.s[self.i + 1 : end]), end + 1
        else:
            ch = _SIMPLE.get(ch, ch)
        chars = Chars(_cased(ch))
        return chars if in_class else _Node("char", chars=chars)

    def char_class(self) -> Chars:
        negate = self.peek() == "^"
        if negate:
            self.i += 1
        out = Chars()
        first = True
        while first or self.peek() != "]":
            first = False
            ch = self.s[self.i]
            self.i += 1
            if ch == "\\":
                got = self.escape(in_class=True)
                if not got.listed:
                    out |= got
                    continue
                ch = min(got.chars)
            if self.peek() == "-" and self.i + 1 < len(self.s) and self.s[self.i + 1] != "]":
                self.i += 1
                end = self.s[self.i]
                self.i += 1
                if end == "\\":
                    end = min(self.escape(in_class=True).chars)
                if ord(end) - ord(ch) > 256:
                    out |= Chars(tests=(lambda c, a=ch, b=end: a <= c <= b,))
                else:
                    out |= Chars(_cased(chr(x) for x in range(ord(ch), ord(end) + 1)))
            else:
                out |= Chars(_cased(ch))
        self.i += 1  # the "]"
        if negate:
            return Chars(tests=(lambda c: c not in out,))
        return out


# -- reading the tree --------------------------------------------------------------------


def _first(node: _Node) -> tuple[Chars, bool]:
    """(characters a match of ``node`` can begin with, whether it can match empty text)."""
    if node.kind == "char":
        return node.chars, False
    if node.kind in ("zero", "look"):
        return EMPTY, True
    if node.kind == "rep":
        chars, empty = _first(node.items[0])
        return chars, empty or node.lo == 0
    if node.kind == "alt":
        out, nullable = EMPTY, False
        for b in node.items:
            chars, empty = _first(b)
            out, nullable = out | chars, nullable or empty
        return out, nullable
    out = EMPTY  # a sequence
    for item in node.items:
        chars, empty = _first(item)
        out = out | chars
        if not empty:
            return out, False
    return out, True


def _repeats(node: _Node) -> bool:
    if node.kind == "rep" and (node.hi is None or node.hi > 1):
        return True
    return any(_repeats(i) for i in node.items)


def _cost(node: _Node, follow: Chars) -> int:
    """Backtracking steps of one match attempt, bounded from above (see the module docstring)."""
    if node.kind in ("char", "zero"):
        return 1
    if node.kind == "look":
        return _cost(node.items[0], Chars(tests=(lambda c: True,)))
    if node.kind == "alt":
        return sum(_cost(b, follow) for b in node.items)
    if node.kind == "rep":
        body = node.items[0]
        if (node.hi is None or node.hi > 1) and _repeats(body):
            raise _Unsupported(
                "repeats a part that itself repeats, like (a+)+ or (?:\\s*x)*: that can take "
                "exponential time; write the repetition once"
            )
        if (node.hi or 0) > MAX_REPEAT or node.lo > MAX_REPEAT:
            raise _Unsupported(f"repeats up to {max(node.hi or 0, node.lo)} times; at most {MAX_REPEAT}")
        chars, _ = _first(body)
        inner = _cost(body, chars | follow)
        width = (MAX_PHRASE if node.hi is None else node.hi) - node.lo + 1
        ambiguous = width > 1 and chars.meets(follow)
        return inner * width if ambiguous else inner
    total = 1  # a sequence: what follows each item is the rest of it, then what follows the sequence
    items = node.items
    for n, item in enumerate(items):
        rest = _Node("seq", items=items[n + 1 :])
        chars, empty = _first(rest)
        total *= _cost(item, chars | follow if empty else chars)
        if total > MAX_COST:
            return total
    return total


@dataclass(frozen=True, slots=True)
class Shape:
    #: Characters a match can begin with (both cases); None when it can begin anywhere.
    first: frozenset[str] | None
    cost: int
    #: Why the pattern is refused (a policy's pattern), or None.
    problem: str | None


@lru_cache(maxsize=1024)
def analyse(pattern: str) -> Shape:
    """The shape of ``pattern`` (a valid ``re`` pattern, matched ignoring case); see the module docstring."""
    parser = _Parser(pattern)
    try:
        tree = parser.alt()
        if parser.i != len(pattern):
            raise _Unsupported("has a ')' without its '('")
        chars, empty = _first(tree)
        first = None if empty or not chars.listed or not chars.chars else chars.chars
        cost = _cost(tree, EMPTY)
    except _Unsupported as exc:
        return Shape(None, 0, str(exc))
    except (IndexError, ValueError, KeyError):  # syntax re accepts and this reader does not know
        return Shape(
            None,
            0,
            "uses syntax the checker does not support; use characters, [classes], (?:groups), "
            "| and repetitions (?, *, +, {m,n})",
        )
    if cost > MAX_COST:
        return Shape(
            first,
            cost,
            f"could take about {cost:,} steps at each place it is tried (at most "
            f"{MAX_COST:,}): a repetition is followed by what it can itself match, as in "
            f".*x.*y; bound the repetitions ({{0,10}}) or make them distinct",
        )
    if first is None:
        return Shape(
            None,
            cost,
            "can begin with any character (., \\w, \\s, [^...], or a part that may be left "
            "out); begin with the words of the phrase, e.g. [联聯]系 or \\bvisit",
        )
    return Shape(first, cost, None)


__all__ = ["MAX_COST", "MAX_PHRASE", "MAX_REPEAT", "Shape", "analyse"]
