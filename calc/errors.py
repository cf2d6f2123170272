"""The project's one exception hierarchy.

Every error a user can cause carries a message meant for that user and, where it
concerns one input, the name of that input (``field``).  Interfaces show the
message beside the field (TUI), on stderr (command line) or in the rejects file
(batch); none of them shows a traceback for bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar, overload


class InstallmentError(Exception):
    """Root of every error the project raises on purpose."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:  # "field: message" reads well on one stderr line
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(InstallmentError, ValueError):
    """An input value is malformed or out of the allowed range."""


class UnknownCurrency(InvalidInput):
    """The currency code is not an ISO 4217 code babel knows."""


class CurrencyMismatch(InstallmentError):
    """Two amounts of different currencies were combined."""


class NoPlanFits(InstallmentError):
    """The inputs are valid but no plan satisfies the limits.

    ``months_needed`` is how many months the requested payment would need (None when
    no term at all reaches it) and ``min_payment`` the smallest payment, in minor
    units, that fits within ``max_months``.
    """

    def __init__(
        self,
        message: str,
        *,
        months_needed: int | None,
        min_payment: int,
        max_months: int,
        field: str | None = None,
    ) -> None:
        super().__init__(message, field)
        self.months_needed = months_needed
        self.min_payment = min_payment
        self.max_months = max_months


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad input: the name of the input (``field``: a form field, a JSON path, a TOML key) and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInputs(InvalidInput):
    """Several inputs with problems: ``problems`` lists every one, in the order they were found.

    ``message`` and ``field`` are those of the first problem, so a caller that shows one
    problem shows the first; ``str()`` lists them all.
    """

    def __init__(self, problems: Sequence[Problem], message: str | None = None, field: str | None = None) -> None:
        if not problems:
            raise ValueError("InvalidInputs needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0]
        super().__init__(first.message if message is None else message, first.field if field is None else field)

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


_T = TypeVar("_T")
_D = TypeVar("_D")


class Problems:
    """The one way to check many inputs and report every problem at once.

    Collect with :meth:`add`, or let :meth:`check` / :meth:`attempt` turn an
    :class:`InvalidInput` raised by a parser into a problem; then :meth:`raise_if_any`
    raises one :class:`InvalidInputs` (or a subclass) carrying every problem in order::

        problems = Problems()
        months = problems.attempt("months", lambda: parse_whole(text, "months", 1, 60))
        if months is not None and months > limit:
            problems.add("months", f"must be at most {limit}")
        problems.raise_if_any()
    """

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        """Note that ``field`` is bad, saying ``message``."""
        self._items.append(Problem(field, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    @contextmanager
    def check(self, field: str | None = None, message: str | None = None) -> Iterator[None]:
        """Run the block; an InvalidInput it raises becomes a problem instead of stopping the checks.

        The problem is named ``field`` (else the error's own field) and says ``message`` (else
        the error's own message).
        """
        try:
            yield
        except InvalidInput as exc:
            if isinstance(exc, InvalidInputs) and field is None and message is None:
                self._items.extend(exc.problems)  # already every problem, each with its own field
            else:
                self.add(field or exc.field or "", exc.message if message is None else message)

    @overload
    def attempt(self, field: str | None, parse: Callable[[], _T], default: None = None) -> _T | None: ...
    @overload
    def attempt(self, field: str | None, parse: Callable[[], _T], default: _D) -> _T | _D: ...
    def attempt(self, field: str | None, parse: Callable[[], _T], default: object = None) -> object:
        """``parse()``, or ``default`` after noting its InvalidInput as a problem of ``field``."""
        with self.check(field):
            return parse()
        return default

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __contains__(self, field: object) -> bool:
        """Whether some problem concerns ``field``."""
        return any(p.field == field for p in self._items)

    def as_tuple(self) -> tuple[Problem, ...]:
        return tuple(self._items)

    def by_field(self) -> dict[str, str]:
        """Field -> message, the first problem of each field, in the order found."""
        out: dict[str, str] = {}
        for p in self._items:
            out.setdefault(p.field, p.message)
        return out

    def raise_if_any(self, error: Callable[[Sequence[Problem]], InvalidInputs] = InvalidInputs) -> None:
        """Raise ``error(problems)`` (InvalidInputs by default) when any problem was noted."""
        if self._items:
            raise error(tuple(self._items))
