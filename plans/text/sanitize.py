"""Text from data made safe where it leaves the program: one cleaner for text, one for file names.

Names, regions, notes, references and every other text that came from an import
file, a case file, a policy or a person's typing may hold terminal escape
sequences (``\\x1b[2J`` clears an agent's screen, ``\\x1b]0;...\\x07`` retitles the
window), other control characters or bidirectional overrides (which make text
read differently from how it is stored).  :func:`clean` is applied wherever such
text is shown or written for people: terminals, the consoles' widgets, summaries
in every format, SMS, letters, receipts and error messages.

What :func:`clean` does:

* a whole escape sequence (CSI ``ESC [ ... final``, OSC/DCS/APC/PM/SOS strings up
  to BEL or ST, two-character ``ESC x`` sequences, and their 8-bit C1 forms) is
  removed: it is a command to the terminal, not text;
* any other control character (C0, DEL, C1) becomes U+FFFD ``�``, so it shows
  where it was; a tab becomes a space; line breaks (``\\r\\n``, ``\\r``, U+2028,
  U+2029) become ``\\n`` in multi-line text and a space otherwise;
* bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069) and the marks LRM, RLM and ALM are removed;
* a lone surrogate (undecodable input) becomes ``�``.

:func:`safe_name` turns text into one file-name component that can never name
another folder: ASCII letters, digits, ``-``, ``_`` and ``.`` stay, every other
character is percent-encoded (``CC/1`` -> ``CC%2F1``, so distinct texts give
distinct names), a leading dot is encoded (no hidden files, no ``..``), and an
overlong name is cut and given a hash of the whole text.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

REPLACEMENT = "\ufffd"

#: Any character that needs work: controls, C1, bidi controls, line/paragraph separators, surrogates.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
_SEQUENCE = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI ... final byte
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # strings to BEL/ST
    "|\x1b[ -/]*[0-~]"  # ESC x (with intermediates)
)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

#: Longest file-name component :func:`safe_name` returns (bytes; file systems allow 255).
MAX_NAME = 180
_NAME_SAFE = "-_."


def clean(text: object, *, multiline: bool = False) -> str:
    """``text`` without escape sequences, control characters or bidirectional overrides (see module)."""
    text = "" if text is None else str(text)
    if _SUSPECT.search(text) is None:
        return text
    text = _SEQUENCE.sub("", text)
    text = _BIDI.sub("", text)
    text = text.replace("\t", " ")
    text = _BREAK.sub("\n" if multiline else " ", text)
    return _CONTROL.sub(REPLACEMENT, text)


def safe_name(text: object) -> str:
    """One file-name component made from ``text``: safe characters only, never ``.``/``..``, never a path."""
    if text.__class__ is str and text.isalnum() and text.isascii() and len(text) <= MAX_NAME:
        return text  # ASCII letters and digits only: what quote() leaves as it is (a batch names a million letters)
    return _quoted_name(text)


def _quoted_name(text: object) -> str:
    """:func:`safe_name` of any text."""
    raw = "" if text is None else str(text)
    name = quote(raw.encode("utf-8", "surrogatepass"), safe=_NAME_SAFE) or "%"  # a lone % comes from no text
    if name.startswith("."):
        name = "%2E" + name[1:]
    if len(name) > MAX_NAME:
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        head = name[: MAX_NAME - 17]
        cut = head.rfind("%", len(head) - 2)  # never end in half a %XX
        name = (head[:cut] if cut >= 0 else head) + "~" + digest
    return name


__all__ = ["MAX_NAME", "REPLACEMENT", "clean", "safe_name"]
