"""Marked text (plans.text.templates): a ``%`` template filled in is the marked text filled in, and a
catalog message marked with bare fields gives what ``str.format`` gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plans.text.templates import bare, field, fill, percent

TEXT = st.text(alphabet=st.characters(blacklist_characters="\0"), max_size=12)
NAMES = st.sampled_from(["a", "b", "count", "amount"])


@given(st.lists(st.tuples(TEXT, NAMES), max_size=6), TEXT, st.dictionaries(NAMES, TEXT, min_size=4))
def test_a_percent_template_filled_in_is_the_marked_text_filled_in(pieces, tail, values):
    values = {name: values.get(name, "") for name in ("a", "b", "count", "amount")}
    marked = "".join(text + field(name) for text, name in pieces) + tail
    template, names = percent(marked)
    assert names == tuple(name for _, name in pieces)
    assert template % tuple(values[name] for name in names) == fill(marked, values)


@given(
    st.lists(st.tuples(TEXT.map(lambda x: x.replace("{", "{{").replace("}", "}}")), NAMES), max_size=5),
    st.dictionaries(NAMES, st.one_of(TEXT, st.integers()), min_size=4),
)
def test_a_message_with_bare_fields_marked_then_filled_is_the_message_formatted(pieces, values):
    values = {name: values.get(name, 0) for name in ("a", "b", "count", "amount")}
    message = "".join(text + "{" + name + "}" for text, name in pieces)
    assert bare(message, set(values))
    marked = message.format(**{name: field(name) for name in values})
    assert fill(marked, {k: str(v) for k, v in values.items()}) == message.format(**values)


def test_fields_that_are_not_bare_are_refused():
    names = {"a", "b"}
    assert bare("{a} and {b} {{literal}}", names)
    for message in ("{a!r}", "{a:>5}", "{a.real}", "{a[0]}", "{0}", "{}", "{c}", "{a", "x\0{a}", "{a:{b}}"):
        assert not bare(message, names), message
