"""Printable summaries of offers and agreements, in Chinese and English.

Build a :class:`Summary` with :func:`build_summary` (from a plan) or
:func:`from_offer` (from a ``plans.offers.Offer``), then :func:`render` it in one
of :data:`FORMATS` and one of ``plans.text.i18n.LANGS``::

    s = build_summary(plan, Creditor.from_policy(policy), SummaryAccount("6222...7890"))
    render([s], "receipt", "zh_CN", width=42)      # -> str
    render([s], "pdf", "en")                       # -> bytes

Several summaries render as one document (offers compared side by side, then
each in full) except SMS, which gives one message per offer.  Every text of a
document (and every SMS) is passed through :func:`plans.text.sanitize.clean` on its way
out, so a name or a policy line with escape sequences prints harmless in every format.
"""

from __future__ import annotations

from typing import Literal, overload

from plans.text.i18n import DEFAULT_LANG, check_lang

from .blocks import cleaned
from .document import documents
from .model import SummaryAccount, Creditor, Summary, build_summary, mask_name, mask_reference
from .offer import from_offer
from .sms import SmsLength, render_sms, sms_length
from .text import RECEIPT_WIDTHS

#: Formats :func:`render` knows; "terminal" is the Rich layout as text.
FORMATS = ("text", "receipt", "md", "html", "pdf", "sms", "terminal")
BINARY_FORMATS = ("pdf",)


@overload
def render(
    summaries: list[Summary],
    fmt: Literal["text", "receipt", "md", "html", "sms", "terminal"],
    lang: str = ...,
    *,
    width: int | None = ...,
    font_path=...,
) -> str: ...
@overload
def render(
    summaries: list[Summary], fmt: Literal["pdf"], lang: str = ..., *, width: int | None = ..., font_path=...
) -> bytes: ...
@overload
def render(
    summaries: list[Summary], fmt: str, lang: str = ..., *, width: int | None = ..., font_path=...
) -> str | bytes: ...
def render(
    summaries: list[Summary], fmt: str, lang: str = DEFAULT_LANG, *, width: int | None = None, font_path=None
) -> str | bytes:
    """``summaries`` in format ``fmt`` and language ``lang`` (text, or bytes for PDF)."""
    from calc.errors import InvalidInput

    lang = check_lang(lang)
    if not summaries:
        raise InvalidInput("there is nothing to summarize", "summary")
    if fmt == "sms":
        return "\n\n".join(render_sms(s, lang) for s in summaries) + "\n"
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", "format")
    return render_document(documents(list(summaries), lang), fmt, width=width, font_path=font_path)


def render_document(doc, fmt: str, *, width: int | None = None, font_path=None) -> str | bytes:
    """A document (``plans.summary.blocks.Document``) in ``fmt``: every format but SMS."""
    from calc.errors import InvalidInput

    if fmt not in FORMATS or fmt == "sms":
        raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", "format")
    doc = cleaned(doc)
    if fmt == "text":
        from .text import render_text

        return render_text(doc, width or 80)
    if fmt == "receipt":
        from .text import render_receipt

        return render_receipt(doc, width or 42)
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(doc)
    if fmt == "html":
        from .html import render_html

        return render_html(doc)
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(doc, font_path)
    from .terminal import render_terminal

    return render_terminal(doc, width or 100)


def terminal_renderable(summaries: list[Summary], lang: str = DEFAULT_LANG):
    """The summaries as one Rich renderable, to print in colour on a terminal."""
    from .terminal import renderable

    return renderable(cleaned(documents(list(summaries), check_lang(lang))))


__all__ = [
    "SummaryAccount",
    "BINARY_FORMATS",
    "Creditor",
    "FORMATS",
    "RECEIPT_WIDTHS",
    "SmsLength",
    "Summary",
    "build_summary",
    "from_offer",
    "terminal_renderable",
    "mask_name",
    "mask_reference",
    "render",
    "render_document",
    "render_sms",
    "sms_length",
]
