"""The `installment` command line.

Each subcommand lives in its own module under ``installment_tui.commands`` and
exposes ``register(subparsers)``, which adds its parser and sets ``run`` to a
function taking the parsed arguments and returning an exit status.  Modules keep
heavy imports (Textual, PDF) inside ``run`` so that ``installment quote`` and
``installment batch`` start fast and never import Textual.

Exit statuses: 0 success, 1 a check failed (e.g. audit verify), 2 invalid input,
3 valid input but no plan fits, 130 interrupted.

Conventions: ``installment --version``; bare ``installment`` prints the usage and
the commands (exit 2); an empty value for any flag or argument, or text that is
not valid UTF-8, is refused naming that flag; a reader that closes the pipe early
(``installment quote ... | head -1``) ends the command quietly with status 0.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn

from calc.errors import InstallmentError, InvalidInput, NoPlanFits

#: Subcommand modules, in the order ``installment --help`` lists them.
COMMANDS = (
    "quote",
    "demo_data",
    "import_accounts",
    "db",
    "audit",
    "batch",
    "offers",
    "negotiate",
    "policy",
    "kiosk",
    "agent",
    "users",
    "accept",
    "payments",
    "monitor",
    "agreement",
    "conduct",
    "complaints",
)

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_NO_PLAN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: which flag, what is wrong, no usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INVALID, f"{self.prog}: {message}\n")


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("installment-planner")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


class _Version(argparse.Action):
    """``--version``, looked up only when asked for (reading package metadata costs every start some ms)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(f"installment {version()}\n")
        parser.exit(0)


def build_parser() -> Parser:
    parser = Parser(
        prog="installment",
        description="Interest-suspended installment planner (停息分期).",
        epilog="'installment COMMAND --help' lists the flags of a command. Exit status: 0 success, "
        "1 a check failed, 2 invalid input, 3 no plan fits, 130 interrupted.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, title="commands")
    for name in COMMANDS:
        importlib.import_module(f"installment_tui.commands.{name}").register(sub)
    return parser


def _command_parser(parser: argparse.ArgumentParser, args) -> argparse.ArgumentParser:
    """The innermost parser that read ``args`` (``policy check`` has two levels)."""
    current = parser
    while True:
        subs = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            return current
        chosen = getattr(args, subs[0].dest, None)
        if chosen is None or chosen not in subs[0].choices:
            return current
        current = subs[0].choices[chosen]


def check_values(parser: argparse.ArgumentParser, args) -> None:
    """Refuse an empty value and text that is not UTF-8, naming the flag (or argument) it was given to.

    An empty ``--start ''`` never means "the default", and a byte that is not UTF-8
    (argv reaches Python with such bytes as lone surrogates) cannot be printed or saved.
    """
    for action in _command_parser(parser, args)._actions:
        value = getattr(args, action.dest, None) if action.dest != argparse.SUPPRESS else None
        values = value if isinstance(value, list) else [value]
        metavar = action.metavar if isinstance(action.metavar, str) else None  # (a tuple names several values)
        name = action.option_strings[0] if action.option_strings else (metavar or action.dest)
        for v in values:
            if not isinstance(v, str):
                continue
            if not v.strip():
                raise InvalidInput("is empty; give a value or leave the flag out", name)
            try:
                v.encode("utf-8")
            except UnicodeEncodeError as exc:
                byte = ord(v[exc.start]) - 0xDC00 if 0xDC80 <= ord(v[exc.start]) <= 0xDCFF else None
                what = f"byte {byte:#04x}" if byte is not None else "a character that cannot be encoded"
                raise InvalidInput(
                    f"is not valid UTF-8 text ({what} at position {exc.start + 1}); check the terminal's encoding", name
                ) from None


def _quiet_stdout() -> None:
    """After the reader of standard output has gone: send the rest (and the final flush) nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    single_threaded_blas()
    try:
        return _main(argv)
    except BrokenPipeError:  # e.g. `installment quote ... | head -1`: the reader has what it wanted
        _quiet_stdout()
        return EXIT_OK


def single_threaded_blas() -> None:
    """The offer engine computes with numpy element by element and never calls BLAS, but OpenBLAS starts a
    thread per core when numpy is imported, and they spin: about 0.1 s of CPU for every command that makes
    offers.  One thread, unless the environment says otherwise (before anything imports numpy)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command is None:
        if unknown:
            parser.error(f"unknown command or flag {unknown[0]!r}; see 'installment --help'")
        parser.print_help()
        return EXIT_INVALID
    if unknown:  # name the command, as every other error does
        print(
            f"installment {args.command}: unrecognized arguments: {' '.join(unknown)}; "
            f"see 'installment {args.command} --help'",
            file=sys.stderr,
        )
        return EXIT_INVALID
    from plans.text.sanitize import clean

    try:
        check_values(parser, args)
        return int(args.run(args) or 0)
    except NoPlanFits as exc:
        print(f"installment {args.command}: {clean(exc)}", file=sys.stderr)
        return EXIT_NO_PLAN
    except InstallmentError as exc:  # messages may quote data (a reference, a name): cleaned
        print(f"installment {args.command}: {clean(exc)}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print(f"installment {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
