"""The words of conduct and complaints, defined once.  Values are the public strings (files, database, CLI)."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """How a contact is made."""

    CALL = "call"
    SMS = "sms"
    LETTER = "letter"
    KIOSK = "kiosk"


#: Channels an outbound contact can use (the kiosk is visited, never used to reach someone).
OUTBOUND_CHANNELS = (Channel.CALL, Channel.SMS, Channel.LETTER)


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Party(StrEnum):
    """Who was contacted (or who made contact)."""

    DEBTOR = "debtor"
    REPRESENTATIVE = "representative"
    THIRD_PARTY = "third_party"


class Outcome(StrEnum):
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    WRONG_PARTY = "wrong_party"
    PROMISE = "promise"
    REFUSED = "refused"
    #: A written contact (SMS, letter, reminder) handed over for delivery.
    SENT = "sent"


class Purpose(StrEnum):
    """Why a contact was made: reminders and complaint replies are counted apart from collection."""

    COLLECTION = "collection"
    REMINDER = "reminder"
    COMPLAINT = "complaint"
    SERVICE = "service"


class Flag(StrEnum):
    """Account flags that stop or limit contact.  ``complaint_open`` is never set by hand: an open
    collection-conduct complaint sets it, and resolving the last one clears it."""

    WRITTEN_ONLY = "written_only"
    REPRESENTED = "represented"
    DISPUTED = "disputed"
    DECEASED = "deceased"
    COMPLAINT_OPEN = "complaint_open"


#: Flags an agent sets and clears (with a reason).
MANUAL_FLAGS = (Flag.WRITTEN_ONLY, Flag.REPRESENTED, Flag.DISPUTED, Flag.DECEASED)


class Decision(StrEnum):
    """What happened to an outbound contact the rules were asked about."""

    ALLOWED = "allowed"
    OVERRIDDEN = "overridden"
    REFUSED = "refused"


class ContactRule(StrEnum):
    """The contact rules a decision can name."""

    BEFORE_HOURS = "before_hours"
    AFTER_HOURS = "after_hours"
    CALLS_PER_DAY = "calls_per_day"
    SMS_PER_DAY = "sms_per_day"
    THIRD_PARTY = "third_party"
    FLAG = "flag"


class ThirdParties(StrEnum):
    """``[conduct] third_parties``: whether anyone but the debtor (or their representative) may be contacted."""

    NEVER = "never"
    #: Only to find the debtor's contact details, never saying anything about the debt.
    LOCATE_ONLY = "locate_only"


class ComplaintCategory(StrEnum):
    COLLECTION_CONDUCT = "collection_conduct"
    AMOUNT_DISPUTE = "amount_dispute"
    PLAN_TERMS = "plan_terms"
    OTHER = "other"


class ComplaintChannel(StrEnum):
    """How a complaint was received."""

    PHONE = "phone"
    KIOSK = "kiosk"
    COUNTER = "counter"
    LETTER = "letter"
    EMAIL = "email"


class ComplaintState(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class ComplaintEvent(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    EXTENDED = "extended"
    RESOLVED = "resolved"


class Resolution(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"


class MessageCategory(StrEnum):
    """What a harmful phrasing in a collection message does."""

    VIOLENCE = "violence"
    CRIMINAL = "criminal"
    IMPERSONATION = "impersonation"
    THIRD_PARTY = "third_party"
    SHAMING = "shaming"
    VISIT = "visit"
    INSULT = "insult"
    FALSE_URGENCY = "false_urgency"
    FALSE_AMOUNT = "false_amount"
    CREDIT_RECORD = "credit_record"


__all__ = [
    "Channel",
    "ComplaintCategory",
    "ComplaintChannel",
    "ComplaintEvent",
    "ComplaintState",
    "ContactRule",
    "Decision",
    "Direction",
    "Flag",
    "MANUAL_FLAGS",
    "MessageCategory",
    "OUTBOUND_CHANNELS",
    "Outcome",
    "Party",
    "Purpose",
    "Resolution",
    "ThirdParties",
]
