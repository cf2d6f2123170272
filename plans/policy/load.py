"""Loading a policy: a TOML file (or the shipped ``default_policy.toml``) into a :class:`Policy`.

:func:`load_policy` reads one into an immutable :class:`Policy`; :func:`check_policy` lists every
problem with its TOML key (``terms.max_months``, ``authority.agent.waivers.interest``) instead of
stopping at the first one.  The rules for each key are in :mod:`plans.policy.reader`.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

from calc.errors import Problem

from ..input_limits import LimitError, read_document, toml_document
from .model import Policy, PolicyError
from .reader import read_policy


def default_policy_text() -> str:
    """The shipped default policy, as TOML text (what `installment policy show` prints)."""
    return resources.files("plans.policy").joinpath("default_policy.toml").read_text(encoding="utf-8")


def _read_text(path: str | Path) -> str:
    return read_document(path, str(path), "policy", "policy")


def _problems_and_policy(text: str) -> tuple[Sequence[Problem], Policy | None]:
    try:
        data = toml_document(text, "the policy", "policy")
    except tomllib.TOMLDecodeError as exc:
        return [Problem("(file)", f"not valid TOML: {exc}")], None
    except LimitError as exc:
        return [Problem("(file)", exc.message)], None
    problems, fields = read_policy(data)
    if problems:
        return problems, None
    return [], Policy(**fields, source_text=text)


def parse_policy(text: str) -> Policy:
    """A policy from TOML text; raises PolicyError listing every problem."""
    problems, policy = _problems_and_policy(text)
    if problems:
        raise PolicyError(problems)
    assert policy is not None
    return policy


def check_policy(path: str | Path) -> list[Problem]:
    """Every problem of the policy file at ``path`` (an empty list when it is valid).

    Each problem (:class:`calc.errors.Problem`) has ``field`` (the dotted TOML key, e.g.
    ``terms.max_months``) and ``message``.
    A file that cannot be read raises InvalidInput.
    """
    return list(_problems_and_policy(_read_text(path))[0])


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The policy shipped with the package (cached: it never changes within a run)."""
    return parse_policy(default_policy_text())


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy at ``path``, or the shipped default when ``path`` is None."""
    if path is None:
        return default_policy()
    problems, policy = _problems_and_policy(_read_text(path))
    if problems:
        raise PolicyError(problems, str(path))
    assert policy is not None
    return policy
