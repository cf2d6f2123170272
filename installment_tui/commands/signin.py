"""Who is acting on the command line: passwords asked on a terminal or read from standard input,
and the supervisor a change needs (``--as NAME``), signed in against the store's users."""

from __future__ import annotations

import sys

from calc.errors import InvalidInput


def secret(prompt: str, twice: bool) -> str:
    """A password: asked (twice when ``twice``) on a terminal, else one line of standard input."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(f"{prompt}: ")
        if twice and getpass.getpass(f"{prompt} again: ") != first:
            raise InvalidInput("the two passwords differ", "password")
        return first
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput("no password on standard input", "password")
    return line.rstrip("\r\n")


def add_as_argument(parser, required: bool = False) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="SUPERVISOR",
        required=required,
        help="the supervisor who authorizes this (password asked, or the next line of standard input)",
    )


def supervisor(store, name: str | None, where: str):
    """The supervisor ``name`` (``--as``), signed in with their password; None without a name."""
    if not name:
        return None
    password = secret(f"password of supervisor {name}", twice=False)
    user = store.authenticate(name, password, where=where)
    if user.role != "supervisor":
        raise InvalidInput(f"{name!r} is not a supervisor", "--as")
    return user
