"""A short SMS: the installment, the first due date, the months, and where the full summary is.

:func:`sms_length` reports the length as a phone network counts it: a message
in the GSM 03.38 alphabet (GSM-7) fits 160 characters in one segment and 153 per
segment when split (characters of the extension table count two); anything else
is sent as UCS-2: 70 in one segment, 67 per segment when split (characters
outside the Basic Multilingual Plane count two, as UTF-16 does).
"""

from __future__ import annotations

from typing import NamedTuple

from plans.text.formatting import formats
from plans.text.i18n import translator
from plans.text.sanitize import clean

from .amounts import installments_text
from .model import Summary

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


class SmsLength(NamedTuple):
    characters: int
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int

    def describe(self) -> str:
        return f"{self.characters} characters, {self.encoding}, {self.segments} SMS segment" + (
            "s" if self.segments != 1 else ""
        )


def sms_length(text: str) -> SmsLength:
    """Characters, encoding and segments of ``text`` as an SMS."""
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        units = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        single, multi, enc = 160, 153, "GSM-7"
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, multi, enc = 70, 67, "UCS-2"
    segments = 1 if units <= single else -(-units // multi)
    return SmsLength(len(text), enc, units, segments)


def render_sms(s: Summary, lang: str, where: str | None = None) -> str:
    """The SMS text of one summary.  ``where`` says how to get the full summary
    (default: the creditor's ``full_summary``, else its first contact line)."""
    t, f = translator(lang), formats(lang)
    m = lambda v: f.money(v, s.currency)
    where = where or s.creditor.full_summary or (s.creditor.contact[0] if s.creditor.contact else None)
    name = s.creditor.name.split(" (")[0].strip()
    parts = [t("[{creditor}]", creditor=name)]
    if s.lump_sum:
        parts.append(t("Settlement: pay {amount} by {date}.", amount=m(s.first_amount), date=f.date(s.first_due)))
    else:
        if s.down_payment:
            parts.append(t("Down payment {amount} now.", amount=m(s.down_payment)))
        if s.level:
            parts.append(
                t(
                    "{months} monthly installments of {amount}, first due {date}.",
                    months=s.months,
                    amount=m(s.first_amount),
                    date=f.date(s.first_due),
                )
            )
        else:  # a step plan, a remainder in one installment...: the amounts as the schedule charges them
            parts.append(
                t(
                    "{months} monthly installments: {amounts}; first due {date}.",
                    months=s.months,
                    amounts=installments_text(s, t, f),
                    date=f.date(s.first_due),
                )
            )
    if where:
        parts.append(t("Full summary: {where}", where=where))
    else:
        parts.append(t("Ask us for the full summary."))
    sep = "" if t.lang.startswith("zh") else " "
    return clean(sep.join(parts))
