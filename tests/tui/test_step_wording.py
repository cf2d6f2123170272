"""A step plan's installments on screen say their runs, in the words the summaries use (issue 14, item 6):
the console's reasons panel and the kiosk's card both call ``plans.summary.amounts.runs_text``."""

from __future__ import annotations

from datetime import date

import pytest

from installment_tui.agent import present
from installment_tui.i18n import ui_translator
from installment_tui.kiosk.offer_words import sentence
from calc.errors import InstallmentError
from plans.case import Case, CaseAccount
from plans.demo_data import documented_cases
from plans.text.formatting import formats
from plans.offers import generate_offers
from plans.policy import default_policy
from plans.summary import from_offer
from plans.summary.amounts import installments_text

POLICY = default_policy()
TODAY = date(2026, 12, 1)


def step_offers():
    for demo in documented_cases():
        acc = demo.account
        case = Case(acc.currency, TODAY, acc.debt, CaseAccount(acc.ref, acc.name, acc.region), demo.profile)
        try:
            offers = generate_offers(case, POLICY, "supervisor", include_escalations=True)
        except InstallmentError:
            continue
        yield from (o for o in offers if o.terms.tiers)


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW", "en"])
def test_step_plans_say_their_runs_as_the_summaries_do(lang):
    f = formats(lang)
    offers = list(step_offers())
    assert offers
    for offer in offers:
        summary = from_offer(offer, POLICY)
        words = installments_text(summary, ui_translator("agent", lang), f)
        assert "," in words or "，" in words  # more than one run
        panel = present.details(offer, ui_translator("agent", lang), f, lang).plain
        assert words in panel, (words, panel)
        card = sentence(offer, ui_translator("kiosk", lang), f)
        assert installments_text(summary, ui_translator("kiosk", lang), f) in card, card
