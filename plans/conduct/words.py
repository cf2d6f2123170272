"""Display names and sentences of conduct and complaints, marked for the summaries' catalogs (``plans/locale``).

Message ids are English; every table maps a vocabulary value to its message id, so a
word is translated in one place whichever screen, file or letter shows it.
"""

from __future__ import annotations

from plans.text.i18n import N_

from .vocabulary import (
    Channel,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintState,
    ContactRule,
    Decision,
    Direction,
    Flag,
    MessageCategory,
    Outcome,
    Party,
    Purpose,
    Resolution,
)

CHANNELS = {
    Channel.CALL: N_("call"),
    Channel.SMS: N_("SMS"),
    Channel.LETTER: N_("letter"),
    Channel.KIOSK: N_("kiosk visit"),
}
DIRECTIONS = {Direction.OUTBOUND: N_("outbound"), Direction.INBOUND: N_("inbound")}
PARTIES = {Party.DEBTOR: N_("debtor"), Party.REPRESENTATIVE: N_("representative"), Party.THIRD_PARTY: N_("third party")}
OUTCOMES = {
    Outcome.ANSWERED: N_("answered"),
    Outcome.NO_ANSWER: N_("no answer"),
    Outcome.WRONG_PARTY: N_("wrong party"),
    Outcome.PROMISE: N_("promise to pay"),
    Outcome.REFUSED: N_("refused to pay"),
    Outcome.SENT: N_("sent"),
}
PURPOSES = {
    Purpose.COLLECTION: N_("collection"),
    Purpose.REMINDER: N_("reminder"),
    Purpose.COMPLAINT: N_("complaint"),
    Purpose.SERVICE: N_("service"),
}
DECISIONS = {Decision.ALLOWED: N_("allowed"), Decision.OVERRIDDEN: N_("overridden"), Decision.REFUSED: N_("refused")}
FLAGS = {
    Flag.WRITTEN_ONLY: N_("written contact only"),
    Flag.REPRESENTED: N_("represented"),
    Flag.DISPUTED: N_("debt disputed"),
    Flag.DECEASED: N_("deceased"),
    Flag.COMPLAINT_OPEN: N_("conduct complaint open"),
}
#: Why a flag stops a contact: what the flag still allows (from the policy), or that it allows nothing.
FLAG_ONLY = N_("{flag}: only {channels}")
FLAG_NONE = N_("{flag}: no contact")
#: Between the names of a list ("SMS, letter").
LIST_SEPARATOR = N_(", ")
RULE_TEXT = {
    ContactRule.BEFORE_HOURS: N_("not before {hour}"),
    ContactRule.AFTER_HOURS: N_("not from {hour}"),
    ContactRule.CALLS_PER_DAY: N_("{count} of {limit} attempts today"),
    ContactRule.SMS_PER_DAY: N_("{count} of {limit} SMS today"),
    ContactRule.THIRD_PARTY: N_("third parties are never contacted about the debt"),
    ContactRule.FLAG: N_("an account flag stops it"),
}
COMPLAINT_CATEGORIES = {
    ComplaintCategory.COLLECTION_CONDUCT: N_("collection conduct"),
    ComplaintCategory.AMOUNT_DISPUTE: N_("amount dispute"),
    ComplaintCategory.PLAN_TERMS: N_("plan terms"),
    ComplaintCategory.OTHER: N_("other"),
}
COMPLAINT_CHANNELS = {
    ComplaintChannel.PHONE: N_("phone"),
    ComplaintChannel.KIOSK: N_("kiosk"),
    ComplaintChannel.COUNTER: N_("counter"),
    ComplaintChannel.LETTER: N_("letter"),
    ComplaintChannel.EMAIL: N_("email"),
}
COMPLAINT_STATES = {
    ComplaintState.RECEIVED: N_("received"),
    ComplaintState.ACKNOWLEDGED: N_("acknowledged"),
    ComplaintState.RESOLVED: N_("resolved"),
}
RESOLUTIONS = {
    Resolution.UPHELD: N_("upheld"),
    Resolution.PARTLY_UPHELD: N_("partly upheld"),
    Resolution.NOT_UPHELD: N_("not upheld"),
}
MESSAGE_CATEGORIES = {
    MessageCategory.VIOLENCE: N_("threat of violence"),
    MessageCategory.CRIMINAL: N_("threat of arrest, detention or prosecution over a civil debt"),
    MessageCategory.IMPERSONATION: N_("impersonating the police, a court or a lawyer"),
    MessageCategory.THIRD_PARTY: N_("contacting family, employers or contacts"),
    MessageCategory.SHAMING: N_("shaming or exposing the debtor"),
    MessageCategory.VISIT: N_("threat of a visit"),
    MessageCategory.INSULT: N_("insult"),
    MessageCategory.FALSE_URGENCY: N_("false urgency"),
    MessageCategory.FALSE_AMOUNT: N_("false or unexplained amount"),
    MessageCategory.CREDIT_RECORD: N_("false claim about the credit record"),
}


def names(table: dict, t, values) -> str:
    """Several display names, joined as the language lists them."""
    return t(LIST_SEPARATOR).join(name(table, t, v) for v in values)


def name(table: dict, t, value) -> str:
    """``value``'s display name from ``table`` through the translator ``t`` (the value itself if unknown)."""
    message = table.get(value)
    return t(message) if message else str(value)


__all__ = [
    "CHANNELS",
    "COMPLAINT_CATEGORIES",
    "COMPLAINT_CHANNELS",
    "COMPLAINT_STATES",
    "DECISIONS",
    "DIRECTIONS",
    "FLAGS",
    "FLAG_NONE",
    "FLAG_ONLY",
    "LIST_SEPARATOR",
    "MESSAGE_CATEGORIES",
    "OUTCOMES",
    "PARTIES",
    "PURPOSES",
    "RESOLUTIONS",
    "RULE_TEXT",
    "name",
    "names",
]
