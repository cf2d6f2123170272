"""Printable summaries on the command line, shared by `installment quote` and `installment offers`.

``--format text|receipt|md|html|pdf|sms`` renders summaries through
:mod:`plans.summary` in ``--lang zh_CN|zh_TW|en`` (receipts ``--width 32|42|48``,
default 42) to standard output or to ``-o FILE``.  ``text`` on a terminal is drawn
with Rich (tables and colour: the summaries' "terminal" format); in a pipe or a
file it is plain text.  A file is written whole or not
at all: to a temporary name in the same folder, then renamed over the target.
A file that cannot be written is an error (exit status 2) naming the file and why.

PDF is binary: it goes to ``-o FILE``, or to standard output only when that is
not a terminal.  For SMS, the message goes to standard output (or the file) and
its length (characters, encoding, segments) to standard error.
"""

from __future__ import annotations

import os
import sys
from datetime import date

from calc.errors import InstallmentError, InvalidInput

#: Formats this module renders; the commands keep their own table and json.
SUMMARY_FORMATS = ("text", "receipt", "md", "html", "pdf", "sms")
RECEIPT_WIDTHS = (32, 42, 48)


def console(**options):
    """A Rich console for standard output whose reader may leave early (``| head -1``).

    Rich's own answer to a closed pipe is ``SystemExit(1)``, "a check failed" in our exit
    statuses; this one raises BrokenPipeError, which the command line ends quietly with 0."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return PipeConsole(**options)


def plans_warnings(plans) -> list[dict]:
    """The ``warnings`` of one document about ``plans`` (calc.schedule.Plan): due dates that may move,
    from the earliest such date (plans.policy.calendars.date_warnings)."""
    from plans.policy.calendars import date_warnings

    dated = [(p.provisional_from, p.terms.calendar) for p in plans if p.provisional_from is not None]
    return date_warnings(*min(dated, key=lambda x: x[0])) if dated else []


def print_warnings(console, warnings: list[dict]) -> None:
    from rich.markup import escape

    for w in warnings:
        console.print(f"[bold yellow]warning:[/] {escape(w['message'])}")


def _lang(text: str) -> str:
    from plans.text.i18n import check_lang

    try:
        return check_lang(text)
    except InvalidInput as exc:
        import argparse

        raise argparse.ArgumentTypeError(exc.message) from None


def _width(text: str) -> int:
    """--width: 32, 42 or 48, read by the one rule for whole numbers."""
    import argparse

    from calc.numerals import parse_whole

    try:
        width = parse_whole(text, "--width", 1, 1000)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None
    if width not in RECEIPT_WIDTHS:
        raise argparse.ArgumentTypeError(f"{width} is not a receipt width; use 32, 42 or 48")
    return width


def add_summary_arguments(p, *, account: bool = False) -> None:
    """--lang, --width, -o, --summary-date, --font (and for quote --account, --holder)."""
    g = p.add_argument_group("printable summary (--format text, receipt, md, html, pdf or sms)")
    g.add_argument(
        "--lang",
        type=_lang,
        default="zh_CN",
        metavar="LANG",
        help="language of the summary: zh_CN (default), zh_TW or en",
    )
    g.add_argument(
        "--width", type=_width, default=None, metavar="COLS", help="receipt width in columns: 32, 42 (default) or 48"
    )
    g.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the output (summary, json or table) to FILE (default standard output)",
    )
    g.add_argument("--summary-date", metavar="DATE", help="date printed on the summary (default today)")
    g.add_argument(
        "--font",
        metavar="FILE",
        help="TrueType font for PDF (default: the bundled WenQuanYi Micro Hei; or $INSTALLMENT_PDF_FONT)",
    )
    if account:
        g.add_argument("--account", metavar="REF", help="account reference (printed masked: ****1234)")
        g.add_argument("--holder", metavar="NAME", help="account holder's name (printed masked)")


def summary_date(args) -> date | None:
    from calc.dates import parse_date

    return parse_date(args.summary_date, "--summary-date") if getattr(args, "summary_date", None) else None


def creditor_of(policy=None):
    """The summary creditor: the given policy's, else the shipped policy's."""
    from plans.summary import Creditor

    if policy is None:
        from plans.policy import default_policy

        policy = default_policy()
    return Creditor.from_policy(policy)


def plan_summaries(args, plan, assessment=None, policy=None) -> list:
    """The one summary of `installment quote`."""
    from plans.summary import SummaryAccount, build_summary

    account = SummaryAccount(getattr(args, "account", None) or "", getattr(args, "holder", None))
    return [build_summary(plan, creditor_of(policy), account, summary_date=summary_date(args), assessment=assessment)]


def offer_summaries(args, offers, policy) -> list:
    """One summary per offer of `installment offers`, in ranked order."""
    from plans.summary import from_offer

    creditor = creditor_of(policy)
    when = summary_date(args)
    return [from_offer(o, creditor=creditor, summary_date=when) for o in offers]


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; a failure is an error naming ``-o``."""
    from plans.files import write_atomic

    try:
        write_atomic(path, data)
    except OSError as exc:
        raise InstallmentError(f"cannot write {str(path)!r}: {exc.strerror or exc}", "-o") from None


def _to_file(args) -> bool:
    return bool(getattr(args, "output", None) and args.output != "-")


def emit_text(args, text: str) -> None:
    """``text`` (a JSON document) to ``-o FILE``, written atomically, or to standard output."""
    if _to_file(args):
        write_atomically(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def emit_rich(args, draw) -> None:
    """``draw(console)`` to standard output, or with ``-o FILE`` as plain text into the file."""
    if not _to_file(args):
        draw(None)
        return
    import io

    buf = io.StringIO()
    draw(console(file=buf, width=120, color_system=None, force_terminal=False, legacy_windows=False))
    write_atomically(args.output, buf.getvalue().encode("utf-8"))


def emit(args, summaries: list) -> int:
    """Render ``summaries`` as ``args.format`` and write them; returns the exit status."""
    from plans.summary import render, sms_length

    fmt = args.format
    to_file = bool(args.output and args.output != "-")
    if fmt == "text" and not to_file and sys.stdout.isatty():
        from plans.summary import terminal_renderable

        console().print(terminal_renderable(summaries, args.lang))
        return 0
    if fmt == "receipt":
        width = args.width or 42
    elif args.width is not None:
        raise InvalidInput(f"applies to --format receipt only, not {fmt}", "--width")
    else:
        width = None
    try:
        out = render(summaries, fmt, args.lang, width=width, font_path=args.font)
    except InstallmentError as exc:
        if exc.field == "font":
            exc.field = "--font"
        raise
    data = out if isinstance(out, bytes) else out.encode("utf-8")
    if fmt == "sms":
        for n, message in enumerate(out.strip().split("\n\n"), 1):
            info = sms_length(message)
            label = f"SMS {n}" if len(summaries) > 1 else "SMS"
            print(
                f"{label}: {info.characters} characters, {info.encoding}, {info.segments} segment"
                f"{'s' if info.segments != 1 else ''} ({'160/153' if info.encoding == 'GSM-7' else '70/67'}"
                " characters per single/split SMS)",
                file=sys.stderr,
            )
    if to_file:
        write_atomically(args.output, data)
        return 0
    if fmt == "pdf" and sys.stdout.isatty():
        raise InvalidInput("PDF is binary and is not printed on a terminal; give -o FILE.pdf", "-o")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0
