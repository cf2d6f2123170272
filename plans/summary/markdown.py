"""Markdown (CommonMark with GitHub tables)."""

from __future__ import annotations

import re

from .blocks import Document, Fields, Heading, Items, PageBreak, Paragraph, Table

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax so creditor text or names print literally."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def _table(headers, aligns, rows) -> list[str]:
    out = [
        "| " + " | ".join(md_escape(h) for h in headers) + " |",
        "|" + "|".join("---:" if a == "r" else ":---" for a in aligns) + "|",
    ]
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(doc: Document) -> str:
    out = [f"# {md_escape(doc.title)}", ""]
    if doc.subtitle:
        out += [f"*{md_escape(doc.subtitle)}*", ""]
    for block in doc.blocks:
        title = getattr(block, "title", None)
        if title:
            out += [f"### {md_escape(title)}", ""]
        if isinstance(block, Fields):
            for n, (label, value) in enumerate(block.rows):
                if not label and n:  # a further line of the field above (e.g. a second contact line)
                    out[-1] += "  "  # a hard line break
                    out.append(f"  {md_escape(value)}")
                else:
                    out.append(f"- **{md_escape(label)}**: {md_escape(value)}")
        elif isinstance(block, Table):
            out += _table(block.headers, block.aligns, block.rows)
            if block.footer:
                out.append("| " + " | ".join(f"**{md_escape(c)}**" if c else "" for c in block.footer) + " |")
        elif isinstance(block, Paragraph):
            out.append(md_escape(block.text))
        elif isinstance(block, Items):
            out += [f"- {md_escape(item)}" for item in block.items]
        elif isinstance(block, Heading):
            out.append(f"## {md_escape(block.text)}")
        elif isinstance(block, PageBreak):
            out.append("---")
        out.append("")
    if doc.footer:
        out += [f"*{md_escape(doc.footer)}*", ""]
    return "\n".join(out)
