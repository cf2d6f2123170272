"""Case files: the documented format, defaults, and every bad field reported by its JSON path."""

import copy
import json
from datetime import date

import pytest

from calc.errors import InvalidInput
from case_data import EXAMPLE

from plans.case import CaseAccount, CaseError, case_document, load_case, parse_case


def example(**changes):
    data = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for name in parents:
            node = node[name]
        if value is KeyError:
            del node[last]
        else:
            node[last] = value
    return data


def problems(data) -> dict[str, str]:
    with pytest.raises(CaseError) as err:
        parse_case(data)
    return {p.field: p.message for p in err.value.problems}


def test_the_documented_example_parses():
    case = parse_case(EXAMPLE)
    assert case.currency == "CNY" and case.start == date(2025, 12, 1)
    assert case.account == CaseAccount("CC-0001", "王小明", "beijing")
    assert case.ref == "CC-0001" and case.name == "王小明" and case.region == "beijing"
    assert case.debt.total == 5330000 and case.debt.penalty_interest == 150000
    p = case.profile
    assert (p.adults, p.children, p.household_size) == (2, 1, 3)
    assert p.income == (("salary", 900000), ("other", 50000))
    assert p.total_income == 950000 and p.essential_spending == 650000
    assert p.other_debt_payments == 120000 and p.savings == 300000
    assert p.hardship_reason == "illness" and p.recovery_date == date(2026, 6, 1)


def test_start_account_and_profile_are_optional():
    case = parse_case({"debt": {"principal": "100.00"}}, today=date(2025, 3, 4))
    assert case.start == date(2025, 3, 4) and case.currency == "CNY"
    assert case.account == CaseAccount() and case.profile is None and case.region is None
    assert parse_case({"debt": {"principal": "1"}}).start == date.today()


def test_profile_defaults_and_free_income_names():
    case = parse_case(
        {"currency": "JPY", "debt": {"principal": "500000"}, "profile": {"income": {"年金 pension": "120000"}}}
    )
    assert case.profile.adults == 1 and case.profile.children == 0
    assert case.profile.income == (("年金 pension", 120000),)
    assert case.profile.savings == 0 and case.profile.recovery_date is None


def test_every_bad_field_is_reported_by_its_json_path():
    found = problems(
        example(
            debt__principal="48000.001",
            profile__income__salary=9000.5,
            profile__adults=0,
            profile__spending__food="lots",
            profile__hardship_reason="bored",
            start="2025-13-01",
        )
    )
    assert set(found) == {
        "debt.principal",
        "profile.income.salary",
        "profile.adults",
        "profile.spending.food",
        "profile.hardship_reason",
        "start",
    }
    assert "decimal places" in found["debt.principal"]
    assert "float" in found["profile.income.salary"]
    assert "1 to 20" in found["profile.adults"]
    assert "not an amount" in found["profile.spending.food"]
    assert "illness" in found["profile.hardship_reason"]
    assert "YYYY-MM-DD" in found["start"]


def test_unknown_fields_are_named_with_what_is_allowed():
    found = problems(
        example(colour="red", debt__fees="1.00", profile__spending__holidays="900.00", account__phone="123")
    )
    assert "colour" in found and "debt" in found["colour"]
    assert "principal" in found["debt.fees"]
    assert "housing" in found["profile.spending.holidays"]
    assert "ref" in found["account.phone"]


def test_wrong_shapes():
    found = problems(example(debt=["48000"], profile__income="9000", account__ref=7, profile__children="1"))
    assert "object" in found["debt"] and "object" in found["profile.income"]
    assert "text" in found["account.ref"] and "whole number" in found["profile.children"]
    assert "object" in problems([1, 2])["case"]  # the whole file, named rather than left blank


def test_currency_problems():
    assert "ISO 4217" in problems(example(currency="RMB"))["currency"]
    assert "text" in problems(example(currency=156))["currency"]
    assert "decimal places" in problems({"currency": "JPY", "debt": {"principal": "10.5"}})["debt.principal"]


def test_debt_missing_negative_or_zero():
    assert "missing" in problems({"currency": "CNY"})["debt"]
    assert "negative" in problems({"debt": {"principal": "-1"}})["debt.principal"]
    assert "nothing to repay" in problems({"debt": {"principal": "0", "interest": "0"}})["debt"]


def test_a_recovery_date_in_the_past_is_accepted():
    # the offers then judge every installment against the budget after recovery and make no step offer
    assert parse_case(example(profile__recovery_date="2025-11-30")).profile.recovery_date == date(2025, 11, 30)
    assert "YYYY-MM-DD" in problems(example(profile__recovery_date=20260601))["profile.recovery_date"]


def test_income_after_recovery_is_read_like_income_and_needs_a_recovery_date():
    case = parse_case(example(profile__income_after_recovery={"salary": "12000.00", "other": "500.00"}))
    p = case.profile
    assert p.income_after_recovery == (("salary", 1200000), ("other", 50000))
    assert p.total_income_after_recovery == 1250000 and p.total_income == 950000
    assert parse_case(case_document(case)) == case
    assert parse_case(EXAMPLE).profile.income_after_recovery is None
    found = problems(example(profile__income_after_recovery={"salary": "x"}))
    assert "not an amount" in found["profile.income_after_recovery.salary"]
    found = problems(example(profile__recovery_date=KeyError, profile__income_after_recovery={"salary": "1.00"}))
    assert "recovery_date" in found["profile.income_after_recovery"]
    assert (
        "must be an object" in problems(example(profile__income_after_recovery="9000"))["profile.income_after_recovery"]
    )


def test_case_error_is_an_invalid_input_on_one_line():
    with pytest.raises(InvalidInput) as err:
        parse_case(example(debt__interest="x", profile__savings="-5"))
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith("debt.interest: ") and "; profile.savings: " in text
    assert err.value.field == "debt.interest"


def test_load_case_from_files(tmp_path):
    path = tmp_path / "case.json"
    path.write_text("\ufeff" + json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    assert load_case(path) == parse_case(EXAMPLE)
    broken = tmp_path / "broken.json"
    broken.write_text('{"debt": {"principal": "1"', encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_case(broken)
    assert err.value.field == "case" and "line 1" in err.value.message
    with pytest.raises(InvalidInput, match="no such file"):
        load_case(tmp_path / "missing.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"account": {"name": "Müller"}}'.encode("latin-1"))
    with pytest.raises(InvalidInput, match="UTF-8"):
        load_case(latin)


def test_case_document_round_trips():
    case = parse_case(EXAMPLE)
    doc = case_document(case)
    assert parse_case(doc) == case
    assert doc["debt"]["annual_fees"] == "0.00"
    assert json.loads(json.dumps(doc)) == doc
    bare = parse_case({"debt": {"principal": "5"}}, today=date(2025, 1, 1))
    assert parse_case(case_document(bare)) == bare
