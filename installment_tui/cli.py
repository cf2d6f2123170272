"""The `installment` command line.

Each subcommand lives in its own module under ``installment_tui.commands`` and
exposes ``register(subparsers)``, which adds its parser and sets ``run`` to a
function taking the parsed arguments and returning an exit status.  Modules keep
heavy imports (Textual, PDF) inside ``run`` so that ``installment quote`` and
``installment batch`` start fast and never import Textual.

Exit statuses: 0 success, 1 a check failed (e.g. audit verify), 2 invalid input,
3 valid input but no plan fits, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from calc.errors import InstallmentError, NoPlanFits

#: Subcommand modules, in the order ``installment --help`` lists them.
COMMANDS = (
    "quote",
    "demo_data",
    "import_accounts",
    "db",
    "audit",
    "batch",
    "offers", "negotiate", "policy",
    "kiosk",
    "agent",
    "users",
)

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_NO_PLAN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: which flag, what is wrong, no usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INVALID, f"{self.prog}: {message}\n")


def build_parser() -> Parser:
    parser = Parser(
        prog="installment",
        description="Interest-suspended installment planner (停息分期).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"installment_tui.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # name the command, as every other error does
        print(f"installment {args.command}: unrecognized arguments: {' '.join(unknown)}; "
              f"see 'installment {args.command} --help'", file=sys.stderr)
        return EXIT_INVALID
    from plans.sanitize import clean

    try:
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
    except BrokenPipeError:  # e.g. `installment quote ... | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
