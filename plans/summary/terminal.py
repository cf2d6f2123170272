"""The summary as Rich renderables, for a terminal or the agent console.

Rich measures Chinese characters as two columns, so tables line up.  All text is
passed as ``rich.text.Text``, never as markup, so a creditor name with brackets
prints literally.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from .blocks import Document, Fields, Heading, Items, PageBreak, Paragraph, Table


def _title(text: str | None) -> list[RenderableType]:
    return [Text(""), Text(text, style="bold underline")] if text else []


def renderable(doc: Document) -> RenderableType:
    """A Rich renderable of the whole document."""
    parts: list[RenderableType] = [
        Text(doc.title, style="bold"),
    ]
    if doc.subtitle:
        parts.append(Text(doc.subtitle, style="italic"))
    for block in doc.blocks:
        parts += _title(getattr(block, "title", None))
        if isinstance(block, Fields):
            grid = RichTable.grid(padding=(0, 2))
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(overflow="fold")
            for label, value in block.rows:
                grid.add_row(Text(label), Text(value))
            parts.append(grid)
        elif isinstance(block, Table):
            table = RichTable(box=box.SIMPLE_HEAD, show_footer=bool(block.footer), pad_edge=False)
            for n, (h, a) in enumerate(zip(block.headers, block.aligns)):
                table.add_column(
                    Text(h),
                    justify="right" if a == "r" else "left",
                    footer=Text(block.footer[n], style="bold") if block.footer else "",
                    no_wrap=a == "r",
                    overflow="fold",
                )
            for row in block.rows:
                table.add_row(*(Text(c) for c in row))
            parts.append(table)
        elif isinstance(block, Paragraph):
            parts.append(Text(block.text))
        elif isinstance(block, Items):
            for item in block.items:
                parts.append(Text("• ") + Text(item))
        elif isinstance(block, Heading):
            parts.append(Rule(Text(block.text, style="bold")))
        elif isinstance(block, PageBreak):
            parts.append(Text(""))
    if doc.footer:
        parts += [Rule(), Text(doc.footer, style="dim")]
    return Group(*parts)


def render_terminal(doc: Document, width: int = 100, color: bool = False) -> str:
    """The Rich rendering as text (with ANSI colours when ``color``)."""
    console = Console(
        width=width,
        record=False,
        force_terminal=color,
        color_system="standard" if color else None,
        file=io.StringIO(),  # nothing is written to it: the capture below takes the output
        legacy_windows=False,
    )
    with console.capture() as cap:
        console.print(renderable(doc))
    return "\n".join(line.rstrip() for line in cap.get().split("\n"))
