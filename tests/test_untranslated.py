"""No English sentence in zh_CN or zh_TW: summaries, explanations, findings, the console's offer details,
the kiosk's cards and the console's words for data-layer errors, for every documented demo account.

The check: after taking out the data (names, references, the creditor's own bilingual lines),
no run of two or more ASCII words is left; single tokens (CNY, APR, UTC+8, an id) are allowed.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from calc.errors import CurrencyMismatch, InstallmentError, InvalidInput, NoPlanFits
from calc.numerals import NumberFormatError
from installment_tui.agent import present
from installment_tui.agent.error_words import error_words
from installment_tui.i18n import ui_translator
from installment_tui.kiosk.offer_words import figures, sentence, title
from plans.demo_data import documented_cases
from plans.text.formatting import formats
from plans.offers import generate_offers
from plans.offers.words import explain, finding_text
from plans.policy import default_policy
from plans.store import StoreError
from plans.store.records import InvalidTransition, NotAllowed, NotFound
from plans.summary import from_offer, render

POLICY = default_policy()
TODAY = date(2026, 12, 1)
RUN = re.compile(r"[A-Za-z][A-Za-z']+(?:[ ,;:]+[A-Za-z][A-Za-z']+)+")


def english_runs(text: str, data: list[str]) -> list[str]:
    """Runs of ASCII words with a word that is not the data's own (data is wrapped over lines too)."""
    known = {w.lower() for d in data for w in re.findall(r"[A-Za-z']+", d)}
    return [run for run in RUN.findall(text) if any(w.lower() not in known for w in re.findall(r"[A-Za-z']+", run))]


def data_of(case) -> list[str]:
    creditor = [
        POLICY.creditor.name,
        *POLICY.creditor.contact,
        *POLICY.creditor.complaints,
        *POLICY.servicing.payment_methods,
    ]
    acc = case.account
    return [acc.name or "", acc.ref, acc.region or "", *creditor]


def cases():
    for demo in documented_cases():
        try:
            offers = generate_offers(
                demo.account.case(TODAY, demo.profile), POLICY, "supervisor", include_escalations=True
            )
        except InstallmentError:
            offers = []
        yield demo, offers


CASES = list(cases())


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
def test_summaries_explanations_and_findings_have_no_english(lang):
    f = formats(lang)
    seen = 0
    for demo, offers in CASES:
        data = data_of(demo)
        for offer in offers:
            seen += 1
            texts = [explain(offer, lang)]
            if offer.assessment is not None:
                texts += [
                    finding_text(ui_translator("agent", lang), f, x, offer.currency) for x in offer.assessment.findings
                ]
            summary = from_offer(offer, POLICY, summary_date=TODAY)
            texts += [render([summary], fmt, lang) for fmt in ("text", "receipt", "md")]
            for text in texts:
                assert english_runs(text, data) == [], (demo.account.ref, offer.kind, text)
    assert seen >= 10


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
def test_console_details_and_kiosk_cards_have_no_english(lang):
    t, f = ui_translator("agent", lang), formats(lang)
    k = ui_translator("kiosk", lang)
    for demo, offers in CASES:
        data = data_of(demo)
        for offer in offers:
            texts = [present.details(offer, t, f, lang).plain]
            texts += [title(offer, k), sentence(offer, k, f)] + [" ".join(row) for row in figures(offer, k, f)]
            for text in texts:
                assert english_runs(text, data) == [], (demo.account.ref, offer.kind, text)


ERRORS = [
    NotFound("no account 'X-1'", "account_ref"),
    NotAllowed("role agent may not approve", "status"),
    InvalidTransition(
        "offer of-1 is accepted; it can become nothing (it is final), not offered",
        "status",
        current="accepted",
        wanted="offered",
    ),
    InvalidTransition("agreement 3 is not in force", "agreement_id"),
    StoreError("database is locked", "db"),
    NoPlanFits("no plan fits", months_needed=None, min_payment=1, max_months=60),
    CurrencyMismatch("CNY and JPY"),
    InvalidInput("must be positive", "amount"),
    NumberFormatError("'²' has a digit of another script", "months", "script"),
    InstallmentError("something"),
]


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_data_layer_errors_are_worded_in_the_language(lang, error):
    text = error_words(error, ui_translator("agent", lang), lang)
    assert text and english_runs(text, []) == [], text
