"""Agreement statements: what each states, in every format and language, for agreements in every status."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from plans.demo_data import SERVICING_AS_OF, add_demo_servicing, generate, servicing_accounts
from plans.text.formatting import display_width, formats
from plans.text.i18n import LANGS, catalog, translator
from plans.policy import default_policy
from plans.servicing.agreements import latest_agreement, load_agreement
from plans.store import open_store
from plans.summary import SummaryAccount
from plans.summary.servicing_words import STATUS_NAMES
from plans.summary.statement import render_statement, statement_of

from summary_helpers import plain

POLICY = default_policy()
CASES = {sc.status: c.account for sc, c in servicing_accounts(generate(24, 2025))}


@pytest.fixture(scope="module")
def statements(tmp_path_factory):
    path = tmp_path_factory.mktemp("st") / "s.db"
    store = open_store(path, clock=lambda: datetime(2026, 12, 1, 1, tzinfo=timezone.utc))
    cases = generate(24, 2025)
    store.upsert_accounts([c.account for c in cases])
    add_demo_servicing(store, cases)
    out = {}
    for status, acc in CASES.items():
        view = latest_agreement(store, acc.ref, POLICY, SERVICING_AS_OF)
        if status == "superseded":
            view = load_agreement(store, view.record.supersedes, POLICY, SERVICING_AS_OF)
        assert str(view.status) == status
        out[status] = statement_of(view, POLICY, SummaryAccount(acc.ref, acc.name))
    store.close()
    return out


def facts(s, lang: str) -> list[str]:
    t, f = translator(lang), formats(lang)
    m = lambda v: f.money(v, s.currency)
    out = [
        "****" + s.account[-4:],
        str(s.agreement_id),
        f.date(s.statement_date),
        t(STATUS_NAMES[s.status]),
        m(s.total),
        m(s.paid),
        m(s.outstanding),
        t("Paid to date"),
        t("Complaints"),
        *s.creditor.complaints,
    ]
    if s.status in ("current", "in_grace", "in_arrears"):
        out += [
            t("Remaining schedule"),
            t("If an installment is missed"),
            f.date(s.next_due),
            m(s.next_amount),
            *s.creditor.servicing.payment_methods,
        ]
        out += [f.date_medium(x.due) for x in s.lines if x.paid < x.amount]
    if s.arrears and s.status != "broken":
        out.append(m(s.arrears))
    if s.status == "broken":
        out += [t("The plan is broken"), m(s.replan_debt)]
    return out


@pytest.mark.parametrize("status", sorted(CASES))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["text", "receipt", "md", "html", "terminal"])
def test_every_statement_states_what_it_must(statements, status, lang, fmt):
    s = statements[status]
    text = plain(render_statement(s, fmt, lang), fmt)
    missing = [x for x in facts(s, lang) if re.sub(r"\s+", "", x) not in text]
    assert not missing, missing
    assert CASES[status].ref not in text


@pytest.mark.parametrize("status", sorted(CASES))
@pytest.mark.parametrize("fmt", ["text", "receipt", "md", "html"])
def test_no_english_left_in_chinese(statements, status, fmt):
    s = statements[status]
    out = plain(render_statement(s, fmt, "zh_CN"), fmt)
    c = s.creditor
    for own in (c.name, *c.contact, *c.complaints, *c.servicing.payment_methods):  # the policy's own words
        out = out.replace(plain(own, "text"), "")
    english = [m for m in catalog("en") if re.search(r"[A-Za-z]{4}", re.sub(r"\{\w+\}", "", m))]
    leaked = [
        m
        for m in english
        if len(re.sub(r"\s+", "", m.split("{")[0])) > 6 and re.sub(r"\s+", "", m.split("{")[0]) in out
    ]
    assert not leaked, leaked
    assert not re.search(r"[A-Za-z]{3,}", out), re.findall(r"[A-Za-z]{3,}", out)


@pytest.mark.parametrize("width", (32, 42, 48))
@pytest.mark.parametrize("lang", LANGS)
def test_receipts_fit_the_paper(statements, width, lang):
    for s in statements.values():
        out = render_statement(s, "receipt", lang, width=width)
        assert max(display_width(x) for x in out.splitlines()) <= width


def test_the_sms_and_the_pdf(statements):
    from io import BytesIO

    from pypdf import PdfReader

    s = statements["in_arrears"]
    sms = render_statement(s, "sms", "zh_CN")
    assert "逾期" in sms and "****" in sms and len(sms) < 200
    assert "The plan is broken; please contact us" in render_statement(statements["broken"], "sms", "en")
    pdf = render_statement(s, "pdf", "zh_CN")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "还款协议对账单" in re.sub(r"\s+", "", text) and "剩余还款计划" in re.sub(r"\s+", "", text)


def test_a_broken_statement_names_what_comes_back(statements):
    s = statements["broken"]
    en = render_statement(s, "text", "en")
    assert "This plan is broken" in en and "penalty interest" in en and "is charged again" in en
    assert s.replan_debt == s.outstanding + sum(a for _, a in s.restorable)
    assert date(2026, 7, 26) == s.status_since
