"""The console's words for domain values, and how figures are shown.

Every visible string is an English message id translated through
``installment_tui.i18n.ui_translator("agent", lang)`` (the console's own catalog,
then the summaries' catalog).  ``N_`` marks ids translated later;
``tests/tui/test_agent_i18n.py`` checks each one is translated in zh_CN and zh_TW.
"""

from __future__ import annotations

from datetime import date

from plans.text.formatting import Formats
from plans.vocabulary import (
    AUTHORITY_COMPACT_NAMES,
    AUTHORITY_NAMES,
    BUCKET_NAMES,
    KIND_COMPACT_NAMES,
    KIND_SHORT_NAMES,
    REMAINDER_NAMES,
    STATUS_NAMES,
    VERDICT_COMPACT_NAMES,
    VERDICT_NAMES,
)


def N_(message: str) -> str:
    return message


# Debt buckets, offer kinds, verdicts, authorities, statuses and remainders are named once, in plans.vocabulary.
BUCKETS = BUCKET_NAMES
KINDS = KIND_SHORT_NAMES
VERDICTS: dict[str | None, str] = {**dict(VERDICT_NAMES.items()), None: N_("no profile")}
AUTHORITIES: dict[str | None, str] = {**dict(AUTHORITY_NAMES.items()), None: N_("not allowed")}
STATUSES = STATUS_NAMES
#: The offers table's words when the table is compact (an 80-column terminal), and for no verdict or
#: no authority.
KINDS_COMPACT = KIND_COMPACT_NAMES
VERDICTS_COMPACT: dict[str | None, str] = {**dict(VERDICT_COMPACT_NAMES.items()), None: N_("no data")}
AUTHORITIES_COMPACT: dict[str | None, str] = {**dict(AUTHORITY_COMPACT_NAMES.items()), None: N_("none")}
#: How a date is typed, as a field's placeholder.
DATE_PLACEHOLDER = N_("YYYY-MM-DD")
REMAINDERS = REMAINDER_NAMES
#: Who made a change, by the store's role.
ROLES = {
    "agent": N_("agent"),
    "supervisor": N_("supervisor"),
    "kiosk": N_("self-service"),
    "admin": N_("administrator"),
    "batch": N_("batch run"),
    "system": N_("system"),
}
SPENDING = {
    "housing": N_("Housing"),
    "utilities": N_("Utilities"),
    "food": N_("Food"),
    "transport": N_("Transport"),
    "medical": N_("Medical"),
    "education": N_("Education"),
    "childcare": N_("Childcare"),
    "other": N_("Other"),
}
INCOME = {
    "salary": N_("Salary"),
    "partner_salary": N_("Partner's salary"),
    "unemployment_benefit": N_("Unemployment benefit"),
    "pension": N_("Pension"),
    "benefits": N_("Benefits"),
    "business": N_("Business income"),
    "other": N_("Other income"),
}
HARDSHIP = {
    "unemployment": N_("Unemployment"),
    "illness": N_("Illness or injury"),
    "business_failure": N_("Business failure"),
    "family_change": N_("Family change"),
    "disaster": N_("Disaster"),
    "reduced_income": N_("Reduced income"),
    "other": N_("Other reason"),
}
#: Textual's palette entries kept in the console (title -> (title, help) message ids).
SYSTEM_COMMANDS = {
    "Quit": (N_("Quit"), N_("Quit the console (asks first when something is not saved)")),
    "Keys": (N_("Keys"), N_("Show or hide the keys of this screen")),
    "Maximize": (N_("Maximize"), N_("Show the focused panel on the whole screen")),
    "Minimize": (N_("Minimize"), N_("Back to the normal layout")),
}
#: The footer's command-palette key (Textual's own binding description).
PALETTE = N_("palette")
LANG_NAMES = {"zh_CN": "简体中文", "zh_TW": "繁體中文", "en": "English"}

#: Policy rule codes (plans.offers.rules) -> what the agent reads.
RULES = {
    "min_months": N_("At least {limit} installments; this has {value}."),
    "max_months": N_("{value} months is beyond the {limit} months this role may grant."),
    "min_installment": N_("An installment of {value} is below the minimum of {limit}."),
    "min_down_payment": N_("A down payment of {value} is below the minimum of {limit}."),
    "first_due": N_("First due date {value} is outside the allowed window {limit}."),
    "settlement_due": N_("The lump sum is due {value}, after the latest allowed date {limit}."),
    "settlement_discount": N_("A settlement discount of {value} is above the {limit} this role may grant."),
    "waiver": N_("Waiving {value} of {bucket} is above the {limit} this role may grant."),
}
#: plans.negotiation option kinds -> what would make a payment fit.
OPTIONS = {
    "down_payment": N_("With a down payment of {amount}, it fits {months} months ({authority})."),
    "waiver": N_("Waiving {amount} more makes it fit in {months} months ({authority})."),
    "longer_term": N_("It needs {months} months ({authority})."),
    "higher_payment": N_("A payment of {amount} fits {months} months."),
}
#: Field -> what is allowed (shown beside a bad field).
#: Shown beside an amount with a comma out of place (a decimal comma such as 12,50).
COMMA_HELP = N_("a point for decimals (1200.50); commas only between thousands (1,200)")

FIELD_HELP = {
    "pay": N_("an amount above zero, e.g. 1500 or 1500.00"),
    "months": N_("whole months from 1 to {n}"),
    "down": N_("an amount or a percentage below 100%, e.g. 500 or 10%"),
    "first_due": N_("a date YYYY-MM-DD after today, within the policy window"),
    "remainder": N_("first, last or spread"),
    "tiers": N_("months x amount, e.g. 6x200, 6x500"),
    "waive": N_("an amount up to what is owed, or a percentage, e.g. 50%"),
}


def money(f: Formats, minor: int | None, currency: str) -> str:
    return "—" if minor is None else f.money(minor, currency)


def day(d: date | None) -> str:
    return "—" if d is None else d.isoformat()


def masked_phone(phone: str | None) -> str:
    if not phone:
        return "—"
    return "*" * max(0, len(phone) - 4) + phone[-4:]
