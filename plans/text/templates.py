"""Text with named fields marked in it: laid out once, filled many times (a batch writes a million letters).

A field is marked ``\\0name\\0`` (:func:`field`) in text that holds no NUL of its own (fixed text is
cleaned, :func:`plans.text.sanitize.clean`).  Marked text is filled by name (:func:`fill`), or turned
once into a ``%`` template and the names of its fields in order (:func:`percent`), which is then filled
by one ``template % values`` per use: the fixed text comes out as written (its ``%`` doubled), each
value as ``str(value)``.

A catalog message (a ``str.format`` text) can be marked the same way when every replacement field in
it is a bare name (:func:`bare`: no conversion, no format spec, no index or attribute): ``str.format``
then puts ``format(value, "")``, that is ``str(value)`` for text and integers, where the field is, so
``message.format(name=field("name"))`` filled later gives exactly ``message.format(name=value)``.
A message with any other field is not marked; its users format it each time instead.
"""

from __future__ import annotations

from string import Formatter


def field(name: str) -> str:
    """A named field in marked text, filled in per use (:func:`fill`, :func:`percent`)."""
    return f"\0{name}\0"


def fill(text: str, values: dict[str, str]) -> str:
    """Marked text with its fields filled in from ``values``."""
    if "\0" not in text:
        return text
    parts = text.split("\0")
    parts[1::2] = [values[name] for name in parts[1::2]]
    return "".join(parts)


def percent(text: str) -> tuple[str, tuple[str, ...]]:
    """Marked text as a ``%`` template and the names of its fields, in order: ``template % values``
    (the values in that order) is ``fill(text, ...)``."""
    parts = text.split("\0")
    names = tuple(parts[1::2])
    parts[0::2] = [x.replace("%", "%%") for x in parts[0::2]]
    parts[1::2] = ["%s"] * len(names)
    return "".join(parts), names


def bare(message: str, names: frozenset[str] | set[str]) -> bool:
    """Whether every replacement field of the ``str.format`` text ``message`` is one of ``names``,
    bare (``{name}``), and the message holds no NUL: then it can be marked (module docstring)."""
    if "\0" in message:
        return False
    try:
        for _literal, name, spec, conversion in Formatter().parse(message):
            if name is not None and (name not in names or spec or conversion is not None):
                return False
    except ValueError:  # a lone brace: str.format refuses it too
        return False
    return True


__all__ = ["bare", "field", "fill", "percent"]
