"""What the console says about an error, in the agent's language.

The program's errors carry an English message for the command line and the logs.  In
English the console shows that message; in Chinese it says what kind of problem it is,
in the catalog's words, from the error's class and facts (the statuses of a refused
status change, the kind of number that was refused): never an English sentence from the
data layer, never an internal id.
"""

from __future__ import annotations

from calc.errors import CurrencyMismatch, InstallmentError, InvalidInput, NoPlanFits
from calc.numerals import NumberFormatError
from plans.store import StoreError
from plans.store.records import AuditKeyMismatch, InvalidTransition, NewerSchema, NotADatabase, NotAllowed, NotFound

from .texts import N_, STATUSES

#: NumberFormatError.kind -> what is wrong with the number typed.
NUMBER_KINDS = {
    "empty": N_("is empty; type a number with 0-9"),
    "script": N_("has a digit of another script; type the number with 0-9"),
    "underscore": N_("has an underscore; type the number with 0-9 only"),
    "space": N_("has a space inside; type the number without spaces"),
    "decimal_comma": N_("a comma only separates thousands: use a point for decimals, e.g. 12.50"),
    "grouping": N_("a comma only separates thousands: use a point for decimals, e.g. 12.50"),
    "scientific": N_("is in scientific notation; type the number in digits"),
    "fraction": N_("must be a whole number"),
    "not_a_number": N_("is not a number; type digits such as 1200"),
}
#: By class, most specific first: what the console says in Chinese when it has no facts to add.
BY_CLASS: tuple[tuple[type, str], ...] = (
    (NotFound, N_("was not found (it may have been removed or renamed)")),
    (NotAllowed, N_("your role may not do this")),
    (InvalidTransition, N_("this change is not allowed from the current status")),
    (
        AuditKeyMismatch,
        N_(
            "this database's audit log is sealed with another key, so nothing can be saved; ask the administrator "
            "to start the console with this database's audit key"
        ),
    ),
    (NewerSchema, N_("this database was written by a newer version of the program; use that version")),
    (NotADatabase, N_("there is no installment database there; check which database the console was started with")),
    (StoreError, N_("the database cannot be used right now; try again, or tell the support desk")),
    (NoPlanFits, N_("no plan fits these terms")),
    (CurrencyMismatch, N_("amounts of different currencies cannot be combined")),
    (InvalidInput, N_("is not valid here; check what was typed")),
    (InstallmentError, N_("could not be done")),
)


def transition_words(current: str, wanted: str, t) -> str:
    """An offer that is ``current`` cannot become ``wanted``, in the agent's words (no offer id)."""
    return t(
        "the offer is {current}; it cannot be marked {wanted} now",
        current=t(STATUSES.get(current, current)),
        wanted=t(STATUSES.get(wanted, wanted)),
    )


def error_words(exc: InstallmentError, t, lang: str) -> str:
    """The message for ``exc`` (without the field label)."""
    current, wanted = getattr(exc, "current", None), getattr(exc, "wanted", None)
    if isinstance(exc, InvalidTransition) and current and wanted:
        return transition_words(current, wanted, t)
    if lang == "en":
        return exc.message
    if isinstance(exc, NumberFormatError) and exc.kind in NUMBER_KINDS:
        return t(NUMBER_KINDS[exc.kind])
    return t(next(words for cls, words in BY_CLASS if isinstance(exc, cls)))


__all__ = ["BY_CLASS", "NUMBER_KINDS", "error_words", "transition_words"]
