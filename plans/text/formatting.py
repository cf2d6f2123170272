"""Locale formatting of money, numbers, rates and dates, and display-width helpers.

Babel's ``format_currency`` costs 40-70 µs a call; a summary of a 60-month plan
formats a few hundred amounts, and a batch of letters millions.  So each
:class:`Formats` is built once per language from babel's symbols and patterns
(currency pattern, grouping, decimal and group symbols, currency symbols, the
``long`` date pattern and month names) and then formats with plain string
operations.  ``tests/test_i18n.py`` checks that it agrees with babel.

    >>> f = formats("zh_CN")
    >>> f.money(123456, "CNY"), f.date(date(2025, 1, 31))
    ('¥1,234.56', '2025年1月31日')

Display width: terminals, receipts and fixed-width text count a CJK character
as two columns (East Asian Width W or F) and a combining mark as none.
:func:`display_width`, :func:`pad`, :func:`clip` and :func:`wrap` work in columns.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date

from calc.money import exponent

from .i18n import babel_locale, check_lang

#: ``date`` for annotations inside :class:`Formats`, where ``date`` names its method.
_Day = date

_TOKEN = re.compile(r"'[^']*'|y+|M+|L+|d+|[A-Za-z]+|[^A-Za-z']+")


def _grouping(number_pattern: str) -> tuple[int, int]:
    """(primary, secondary) group sizes of a pattern such as '#,##0.00' or '#,##,##0'."""
    integer = number_pattern.split(".")[0]
    if "," not in integer:
        return 0, 0
    parts = integer.split(",")
    primary = len(parts[-1])
    secondary = len(parts[-2]) if len(parts) > 2 else primary
    return primary, secondary


def _group(digits: str, primary: int, secondary: int, sep: str) -> str:
    if not primary or len(digits) <= primary:
        return digits
    head, tail = digits[:-primary], digits[-primary:]
    groups = [tail]
    while len(head) > secondary:
        groups.append(head[-secondary:])
        head = head[:-secondary]
    if head:
        groups.append(head)
    return sep.join(reversed(groups))


class Formats:
    """Formatters for one language, built once (see :func:`formats`)."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.locale = locale = Locale.parse(babel_locale(lang))
        symbols = locale.number_symbols.get("latn", locale.number_symbols)
        self.decimal_sep = symbols["decimal"]
        self.group_sep = symbols["group"]
        self.minus = symbols.get("minusSign", "-")
        pattern = locale.currency_formats["standard"].pattern.split(";")[0]
        digits = re.search(r"[#0,.]+", pattern)
        if digits is None:
            raise ValueError(f"no number in the currency pattern {pattern!r} of {lang}")
        number = digits.group(0)
        self._cur_prefix, self._cur_suffix = pattern.split(number, 1)
        self._primary, self._secondary = _grouping(number)
        self._symbols: dict[str, str] = {}
        self._money: dict[str, object] = {}
        self._date_parts = self._compile_date(locale.date_formats["long"].pattern)
        self._medium_parts = self._compile_date(locale.date_formats["medium"].pattern)
        self._months = locale.months["format"]["wide"]
        self._months_abbr = locale.months["format"]["abbreviated"]

    # -- numbers and money --------------------------------------------------------
    def symbol(self, currency: str) -> str:
        sym = self._symbols.get(currency)
        if sym is None:
            sym = self._symbols[currency] = self.locale.currency_symbols.get(currency, currency)
        return sym

    def number(self, minor: int, currency: str) -> str:
        """An amount without its currency symbol, grouped: '1,234.56'."""
        exp = exponent(currency)
        sign = self.minus if minor < 0 else ""
        q, r = divmod(abs(minor), 10**exp)
        text = _group(str(q), self._primary, self._secondary, self.group_sep)
        if exp:
            text = f"{text}{self.decimal_sep}{r:0{exp}d}"
        return sign + text

    def money(self, minor: int, currency: str) -> str:
        """An amount with the locale's currency symbol and pattern: '¥1,234.56'."""
        sym = self.symbol(currency)
        body = self.number(abs(minor), currency)
        text = self._cur_prefix.replace("¤", sym) + body + self._cur_suffix.replace("¤", sym)
        return self.minus + text if minor < 0 else text

    def percent(self, fraction: Decimal, places: int = 2) -> str:
        """A fraction as a percentage with ``places`` decimals: Decimal('0.1304') -> '13.04%'."""
        pct = (Decimal(fraction) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{pct:f}"
        if self.decimal_sep != ".":
            text = text.replace(".", self.decimal_sep)
        return text + "%"

    # -- dates --------------------------------------------------------------------
    @staticmethod
    def _compile_date(pattern: str) -> list[tuple[str, str]] | None:
        parts: list[tuple[str, str]] = []
        for tok in _TOKEN.findall(pattern):
            if tok.startswith("'"):
                parts.append(("lit", tok[1:-1] or "'"))
            elif tok[0] in "yMLd" and tok == tok[0] * len(tok):
                parts.append((tok[0] if tok[0] != "L" else "M", str(len(tok))))
            elif tok[0].isalpha():
                return None  # a field this fast path does not know: use babel
            else:
                parts.append(("lit", tok))
        return parts

    def date(self, d: date) -> str:
        """The locale's long date: '2025年1月31日', 'January 31, 2025'."""
        return self._date(d, self._date_parts, "long")

    def date_medium(self, d: _Day) -> str:
        """The locale's medium date, for narrow columns: '2025年1月31日', 'Jan 31, 2025'."""
        return self._date(d, self._medium_parts, "medium")

    def _date(self, d: _Day, parts, style: str) -> str:
        if parts is None:
            return format_date(d, style, locale=self.locale)
        out = []
        for kind, arg in parts:
            if kind == "lit":
                out.append(arg)
            elif kind == "y":
                out.append(f"{d.year:02d}"[-2:] if arg == "2" else f"{d.year:0{int(arg)}d}")
            elif kind == "d":
                out.append(f"{d.day:0{int(arg)}d}")
            elif arg in ("1", "2"):
                out.append(f"{d.month:0{int(arg)}d}")
            else:
                out.append((self._months if arg == "4" else self._months_abbr)[d.month])
        return "".join(out)


@lru_cache(maxsize=None)
def formats(lang: str) -> Formats:
    """The cached :class:`Formats` of ``lang``."""
    return Formats(lang)


# -- display width --------------------------------------------------------------


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal or receipt printer (CJK counts two)."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def clip(text: str, width: int) -> str:
    """The longest prefix of ``text`` that fits ``width`` columns."""
    if display_width(text) <= width:
        return text
    used, out = 0, []
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def pad(text: str, width: int, align: str = "left") -> str:
    """``text`` padded with spaces to exactly ``width`` columns (clipped if longer)."""
    text = clip(text, width)
    gap = width - display_width(text)
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


#: Characters a line should not start with (Chinese line-breaking rules, 避头).
_NO_START = set("，。、；：？！）》」』】”’,.;:?!)%")
#: Characters a line should not end with (避尾).
_NO_END = set("（《「『【“‘(")


def _tokens(text: str) -> list[str]:
    """Words for wrapping: runs of non-space non-wide characters, single wide characters, spaces."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(" ")
        elif char_width(ch) == 2 or (ch in _NO_START and word and char_width(word[-1]) == 2):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns: breaks at spaces, between CJK characters,
    and inside a word only when the word alone is wider than a line.  Keeps
    closing punctuation off the start of a line where it can."""
    if width < 4:
        raise ValueError("width must be at least 4 columns")
    lines: list[str] = []
    for para in text.split("\n"):
        line, used, last = "", 0, 0
        for tok in _tokens(para):
            w = display_width(tok)
            if tok == " ":
                if line and used + 1 <= width:
                    line, used = line + " ", used + 1
                continue
            if used + w <= width:
                last = len(line)
                line, used = line + tok, used + w
                continue
            if tok[0] in _NO_START and line.strip() and w <= 2:
                # Take the last word (or character) down with the punctuation.
                head, carry = line[:last].rstrip(), line[last:].rstrip()
                if head.strip() and display_width(carry + tok) <= width:
                    lines.append(head)
                    line = carry + tok
                    used = display_width(line)
                    last = 0
                    continue
            carry = ""
            if len(line.rstrip()) > 1 and line.rstrip()[-1] in _NO_END:
                carry = line.rstrip()[-1]
                line = line.rstrip()[:-1]
            if line.strip():
                lines.append(line.rstrip())
            if carry and display_width(carry + tok) <= width:
                tok, w = carry + tok, display_width(carry + tok)
            elif carry:
                lines.append(carry)
            line, used = "", 0
            while w > width:
                head = clip(tok, width)
                lines.append(head)
                tok = tok[len(head) :]
                w = display_width(tok)
            line, used, last = tok, w, 0
        lines.append(line.rstrip())
    return lines
