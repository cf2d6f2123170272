"""Structured text from outside, read within limits: JSON case files and rows, TOML policies and configurations.

Files come from anywhere, so they are hostile until read: megabytes of ``[`` that
would exhaust Python's recursion, a row of a hundred megabytes, a key given twice
(JSON keeps the last one silently).  Every reader of such text goes through here:

* :func:`json_document` (case files): at most :data:`MAX_DOCUMENT_BYTES`,
  nested at most :data:`MAX_DEPTH` levels, no key twice in one object (the error
  names the key by its JSON path, ``profile.income.salary``);
* :func:`json_row` (one line of a JSON Lines portfolio): the same rules within
  :data:`MAX_ROW_BYTES`, numbers read as exact decimals;
* :func:`toml_document` (policies, kiosk configurations): the size and nesting
  limits (TOML itself refuses a key given twice).

Each raises :class:`LimitError` (an ``InvalidInput``) with a message saying what
is wrong and what is allowed; ``problem_path`` is the JSON path of a duplicate key.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from decimal import Decimal

from calc.errors import InvalidInput

__all__ = [
    "LimitError",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_ROW_BYTES",
    "json_document",
    "json_row",
    "read_text",
    "toml_document",
]

#: A case file is about 1 KiB and a policy about 5 KiB: a megabyte is generous.
MAX_DOCUMENT_BYTES = 1 << 20
#: A portfolio row is a few hundred bytes.
MAX_ROW_BYTES = 1 << 16
#: Case files nest 3 levels (profile.income.salary), policies 4 (authority.agent.waivers.interest).
MAX_DEPTH = 32

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_TOML_STRING = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class LimitError(InvalidInput):
    """Text beyond a limit (size, nesting) or with a key given twice.  ``problem_path`` is the
    JSON path of a duplicate key, else None."""

    def __init__(self, message: str, field: str, problem_path: str | None = None) -> None:
        super().__init__(message, field)
        self.problem_path = problem_path


def _size(nbytes: int, limit: int, what: str, field: str) -> None:
    if nbytes > limit:
        raise LimitError(f"{what} is {nbytes:,} bytes; at most {limit:,} are read", field)


def _depth(text: str, strings: re.Pattern) -> int:
    """How deep brackets nest in ``text``, strings (and TOML comments) left out."""
    depth = deepest = 0
    for m in _BRACKET.finditer(strings.sub("", text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _check_depth(text: str, strings: re.Pattern, what: str, field: str) -> None:
    # counting brackets is cheap; the scan only runs where there are enough of them to matter
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(text, strings) > MAX_DEPTH:
        raise LimitError(
            f"{what} is nested more than {MAX_DEPTH} levels deep; nothing here needs more than a few", field
        )


class _Object(dict):
    """A JSON object that remembers the keys it was given twice."""

    __slots__ = ("twice",)
    twice: list[str]


def _pairs_hook(found: list):
    """A JSON object hook that notes in ``found`` whether any object had a key twice."""

    def pairs(items: list) -> dict:
        if len({k for k, _ in items}) == len(items):
            return dict(items)
        obj = _Object(items)
        seen: set[str] = set()
        obj.twice = []
        for k, _ in items:
            if k in seen:
                obj.twice.append(k)
            seen.add(k)
        found.append(obj)
        return obj

    return pairs


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _first_duplicate(value: object, path: str) -> tuple[str, str] | None:
    """(JSON path of the first key given twice, the key) in ``value``, depth first."""
    if isinstance(value, _Object):
        return _join(path, value.twice[0]), value.twice[0]
    if isinstance(value, dict):
        children = ((_join(path, k), v) for k, v in value.items())
    elif isinstance(value, list):
        children = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for child_path, v in children:
        found = _first_duplicate(v, child_path)
        if found:
            return found
    return None


def _loads(text: str, what: str, field: str, **options) -> object:
    found: list = []
    try:
        data = json.loads(text, object_pairs_hook=_pairs_hook(found), **options)
    except RecursionError:  # nesting the bracket count did not show (cannot happen, but never a traceback)
        raise LimitError(f"{what} is nested too deeply; at most {MAX_DEPTH} levels", field) from None
    dup = _first_duplicate(data, "") if found else None
    if dup:
        path, key = dup
        raise LimitError(
            f"{what}: the key {key!r} appears twice in one object (at {path}); give each key once", field, path
        )
    return data


def read_text(path, what: str, field: str, encoding: str = "utf-8") -> str:
    """The text of a document file, refusing one above :data:`MAX_DOCUMENT_BYTES` without reading it
    all; raises OSError and UnicodeDecodeError as ``Path.read_text`` does, LimitError when too big."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            _size(os.fstat(fh.fileno()).st_size, MAX_DOCUMENT_BYTES, what, field)
    return data.decode(encoding)


def read_document(path, what: str, field: str, kind: str, encoding: str = "utf-8") -> str:
    """:func:`read_text`, with each reason a file cannot be read said as an InvalidInput on ``field``:
    no such file, a folder (not a ``kind`` file), not UTF-8 text, or what the system refused."""
    try:
        return read_text(path, what, field, encoding)
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}", field) from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a {kind} file", field) from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", field) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", field) from None


def json_document(text: str, what: str, field: str) -> object:
    """Parse a JSON document (a case file) within the limits; raises LimitError or json.JSONDecodeError."""
    _size(len(text.encode("utf-8", "surrogatepass")), MAX_DOCUMENT_BYTES, what, field)
    _check_depth(text, _STRING, what, field)
    return _loads(text, what, field)


def json_row(text: str) -> object:
    """Parse one JSON Lines row within the limits (numbers as exact Decimals); raises LimitError
    (field "json") or ValueError for text that is not JSON."""
    if len(text) > MAX_ROW_BYTES // 4:  # cheap: only long rows are measured in bytes
        _size(len(text.encode("utf-8", "surrogatepass")), MAX_ROW_BYTES, "the row", "json")
    _check_depth(text, _STRING, "the row", "json")
    return _loads(text, "the row", "json", parse_float=Decimal)


def _toml_depth(value: object) -> int:
    """How deep tables and arrays nest (without recursion: dotted keys nest without brackets)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, (dict, list)):
            depth += 1
            if depth > MAX_DEPTH:
                return depth
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in (v.values() if isinstance(v, dict) else v))
    return deepest


def toml_document(text: str, what: str, field: str) -> dict:
    """Parse a TOML document within the limits; raises LimitError or tomllib.TOMLDecodeError."""
    _size(len(text.encode("utf-8", "surrogatepass")), MAX_DOCUMENT_BYTES, what, field)
    _check_depth(text, _TOML_STRING, what, field)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise LimitError(f"{what} is nested too deeply; at most {MAX_DEPTH} levels", field) from None
    if _toml_depth(data) > MAX_DEPTH:  # dotted keys and [a.b.c] headers nest without brackets
        raise LimitError(
            f"{what} is nested more than {MAX_DEPTH} levels deep; nothing here needs more than a few", field
        )
    return data
