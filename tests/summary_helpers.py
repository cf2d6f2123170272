"""Reading rendered summaries in tests: the visible text of HTML, Markdown and plain outputs."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class Html(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.tags, self.attrs = [], [], [], {}

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.setdefault(tag, []).append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] not in ("style", "title"):
            self.text.append(data)


def plain(output: str | bytes, fmt: str) -> str:
    """The visible text of an output with all whitespace removed (wrapping may split anything)."""
    if fmt == "html":
        parser = Html()
        parser.feed(output)
        parser.close()
        assert parser.stack == [], parser.stack
        output = "".join(parser.text)
    elif fmt == "md":
        output = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*\*", "", output))
    return re.sub(r"\s+", "", output)
