"""Numbers typed by people: one set of rules for every amount, percentage and whole number.

Every entry point (command-line flags, case files, policies, portfolio rows, the
agent console and the kiosk) reads numbers through :func:`number_text`, so the
same text means the same number everywhere:

* digits 0-9; full-width digits (０-９, what a Chinese input method types) are
  read as the same digits, and so are the full-width point, comma and percent
  sign (．，％).  Digits of any other script (١٢, ๑๒, ²) are refused;
* an optional decimal point;
* commas only as thousands separators, in correct groups of three
  (``48,000.50``, ``1,234,567``).  ``12,50`` (a decimal comma, which would
  otherwise be read as 1250) and ``1,0000`` are refused with what to write
  instead; so are underscores (``1_000``) and spaces inside a number.

A refused text raises :class:`NumberFormatError` (an ``InvalidInput``) whose
``kind`` names the rule that failed, so an interface can word its own message;
``message`` says in English what is wrong and what to write instead.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidInput

__all__ = ["COMMA_ADVICE", "NumberFormatError", "narrow", "number_text", "parse_whole"]

#: The advice every comma message carries (interfaces recognise it to give their own translated advice).
COMMA_ADVICE = "a comma only separates thousands"
#: Longest number text read (a trillion with decimals and commas is 20 characters).
MAX_LENGTH = 40
#: Full-width forms read as their ASCII counterparts.
_WIDE = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ",", "％": "%", "－": "-", "＋": "+"}
)
_PLAIN = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"-?\d+,\d{1,2}", re.ASCII)
_SCIENTIFIC = re.compile(r"[-+]?\d*\.?\d+[eE][-+]?\d+", re.ASCII)


class NumberFormatError(InvalidInput):
    """Text that is not a number by the rules above.

    ``kind`` is one of ``empty``, ``script`` (digits of another script),
    ``underscore``, ``space``, ``decimal_comma``, ``grouping`` (a comma out of
    place), ``scientific``, ``fraction`` (a whole number was wanted) and
    ``not_a_number``.
    """

    def __init__(self, message: str, field: str | None, kind: str) -> None:
        super().__init__(message, field)
        self.kind = kind

    @property
    def comma(self) -> bool:
        """A comma where it does not belong (a decimal comma, or out of its group of three): worth its own
        advice, "use a point for decimals", in the interfaces' languages."""
        return self.kind in ("decimal_comma", "grouping")


def narrow(text: str) -> str:
    """``text`` with full-width digits, point, comma, percent and signs made ASCII (others untouched)."""
    return text.translate(_WIDE)


def _suggest_plain(text: str) -> str:
    return "".join(ch for ch in text if ch not in ",_" and not ch.isspace())


def number_text(value: str, field: str | None, example: str = "1234.56", noun: str = "number") -> str:
    """``value`` as plain ASCII number text (``-?digits[.digits]``, no commas); raises NumberFormatError.

    A leading minus sign is kept (callers say why a negative is refused).
    """
    text = value.strip().translate(_WIDE)
    if not text:
        raise NumberFormatError(
            f"is empty; give {'an' if noun[0] in 'aeiou' else 'a'} {noun} such as {example}", field, "empty"
        )
    if len(text) > MAX_LENGTH:
        raise NumberFormatError(
            f"is {len(text):,} characters long; a number has at most {MAX_LENGTH}", field, "not_a_number"
        )
    if _PLAIN.fullmatch(text):
        return text
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            name = unicodedata.name(ch, "a digit").lower()
            raise NumberFormatError(
                f"{value!r} has a digit of another script ({name}); write the number with 0-9, e.g. {example}",
                field,
                "script",
            )
    if "_" in text:
        raise NumberFormatError(
            f"{value!r} contains '_'; write the number without it, e.g. {_suggest_plain(text)}", field, "underscore"
        )
    if any(ch.isspace() for ch in text):
        raise NumberFormatError(
            f"{value!r} has a space inside; write the number without spaces, e.g. {_suggest_plain(text)}",
            field,
            "space",
        )
    if "," in text:
        if _GROUPED.fullmatch(text):
            return text.replace(",", "")
        if _DECIMAL_COMMA.fullmatch(text):
            whole, frac = text.split(",")
            raise NumberFormatError(
                f"{value!r} uses a comma as the decimal mark; write {whole}.{frac} ({COMMA_ADVICE}, as in 1,234.56)",
                field,
                "decimal_comma",
            )
        raise NumberFormatError(
            f"{value!r} has a comma out of place; {COMMA_ADVICE} in groups of three (1,234,567.89), or leave "
            f"commas out: {_suggest_plain(text)}",
            field,
            "grouping",
        )
    if _SCIENTIFIC.fullmatch(text):
        raise NumberFormatError(
            f"{value!r} is in scientific notation; write the number in digits, e.g. {example}", field, "scientific"
        )
    if text.lstrip("+-").lower() in ("nan", "snan", "inf", "infinity"):
        raise NumberFormatError(
            f"{value!r} is not a finite {noun}; use digits such as {example}", field, "not_a_number"
        )
    raise NumberFormatError(
        f"{value!r} is not {'an' if noun[0] in 'aeiou' else 'a'} {noun}; use digits such as {example}",
        field,
        "not_a_number",
    )


def parse_whole(value: object, field: str, lo: int, hi: int) -> int:
    """A whole number from ``lo`` to ``hi`` from text (the rules above) or an ``int``.

    >>> parse_whole("６０", "months", 1, 60)
    60
    """
    allowed = f"allowed {lo} to {hi}"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(f"must be a whole number ({allowed}), got {type(value).__name__}", field)
    if isinstance(value, str):
        text = number_text(value, field, example=str(lo))
        if "." in text:
            raise NumberFormatError(f"{value!r} is not a whole number; {allowed}", field, "fraction")
        number = int(text)
    else:
        number = value
    if not lo <= number <= hi:
        raise InvalidInput(f"{number} is out of range; {allowed}", field)
    return number
