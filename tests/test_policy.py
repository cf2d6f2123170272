"""Creditor policy: the shipped default, loading, and every kind of validation problem."""

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from calc.affordability import AffordabilityParams
from calc.errors import InvalidInput
from plans.policy import (
    AUTHORITIES,
    PolicyError,
    check_policy,
    default_policy,
    default_policy_text,
    load_policy,
    parse_policy,
)

DEFAULT = default_policy_text()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path, text):
    return {p.field: p.message for p in check_policy(write(tmp_path, text))}


def edited(old: str, new: str) -> str:
    assert old in DEFAULT, old
    return DEFAULT.replace(old, new, 1)


def test_shipped_default_is_valid_and_complete(tmp_path):
    assert check_policy(write(tmp_path, DEFAULT)) == []
    p = default_policy()
    assert p is load_policy() and p is load_policy(None)
    assert p.version == "default-2025.1"
    assert p.currency == "CNY"
    assert p.creditor.name and p.contact and p.complaint_channels
    assert (p.min_months, p.max_months) == (3, 60)
    assert p.min_installment == 10000
    assert p.round_to == 1
    assert [a.name for a in p.authorities] == list(AUTHORITIES) == ["kiosk", "agent", "supervisor"]
    months = [a.max_months for a in p.authorities]
    assert months == sorted(months) and months[-1] <= p.max_months
    assert p.authority("agent").waiver_limit("late_fees") == Decimal(1)
    assert p.authority("kiosk").waiver_limit("principal") == 0
    assert p.source_text == DEFAULT


def test_the_default_file_is_package_data_and_commented():
    import plans.policy

    path = Path(plans.policy.__file__).with_name("default_policy.toml")
    assert path.read_text(encoding="utf-8") == DEFAULT
    comments = [line for line in DEFAULT.splitlines() if line.strip().startswith("#")]
    assert len(comments) > 40


def test_affordability_params_by_region_with_the_default_for_unknown_regions():
    p = default_policy()
    beijing = p.affordability_params("beijing")
    assert isinstance(beijing, AffordabilityParams)
    assert beijing.reserve_per_person == 132000
    assert beijing.contingency_share == Decimal("0.10")
    assert beijing.tight_share == Decimal("0.80")
    assert beijing.max_dti == Decimal("0.50")
    national = p.affordability_params(None)
    assert national.reserve_per_person == 80000
    assert p.affordability_params("atlantis") == national
    assert p.reserve_per_person("beijing") == 132000 and p.reserve_per_person(None) == 80000
    assert p.creditor_name == p.creditor.name
    assert p.knows_region("beijing") and not p.knows_region("atlantis") and not p.knows_region(None)


def test_first_due_window_and_minimum_down_payment():
    p = default_policy()
    assert p.first_due(date(2025, 1, 31)) is None  # one month later (28 days) lies within 7..45 days
    narrow = parse_policy(edited("max_days = 45", "max_days = 20"))
    assert narrow.first_due(date(2025, 1, 15)) == date(2025, 2, 4)
    assert p.min_down_payment(100000) == 0
    pct = parse_policy(edited('min_down_payment = "0"', 'min_down_payment = "10%"'))
    assert pct.min_down_payment(123455) == 12346  # half up
    amount = parse_policy(edited('min_down_payment = "0"', 'min_down_payment = "500.00"'))
    assert amount.min_down_payment(123455) == 50000


def test_max_waivers_and_standard_waivers_are_calc_waivers():
    p = default_policy()
    kiosk = {w.bucket: w.fraction for w in p.max_waivers("kiosk")}
    assert kiosk == {"penalty_interest": Decimal("0.5"), "late_fees": Decimal(1), "annual_fees": Decimal(1)}
    assert [(w.bucket, w.fraction) for w in p.standard_waiver_list()] == [("late_fees", Decimal(1))]


def test_unknown_authority_is_refused():
    with pytest.raises(InvalidInput) as err:
        default_policy().authority("manager")
    assert err.value.field == "authority" and "kiosk, agent, supervisor" in err.value.message


def test_unknown_keys_are_reported_with_their_toml_key(tmp_path):
    text = "colour = 'red'\n" + edited("[terms]\n", "[terms]\nmax_month = 48\n")
    text = text.replace("[authority.agent.waivers]\n", '[authority.agent.waivers]\nprinciple = "5%"\n')
    found = problems_of(tmp_path, text)
    assert "colour" in found and "unknown key" in found["colour"]
    assert "terms.max_month" in found and "max_months" in found["terms.max_month"]
    assert "authority.agent.waivers.principle" in found
    assert "penalty_interest" in found["authority.agent.waivers.principle"]


def test_wrong_types_are_reported_with_what_is_allowed(tmp_path):
    text = (
        DEFAULT.replace("min_months = 3", 'min_months = "3"')
        .replace('min_installment = "100.00"', "min_installment = 100.5")
        .replace('fee_rate = "0%"', 'fee_rate = "0.6"')
        .replace('fee_basis = "flat"', 'fee_basis = "compound"')
        .replace('version = "default-2025.1"', "version = 7")
        .replace('max_dti = "50%"', "max_dti = 0.5")
    )
    found = problems_of(tmp_path, text)
    assert "integer" in found["terms.min_months"] and "text" in found["terms.min_months"]
    assert '"100.00"' in found["terms.min_installment"]
    assert '"50%"' in found["terms.fee_rate"]
    assert "flat, declining" in found["terms.fee_basis"]
    assert "text" in found["version"]
    assert "percentage" in found["affordability.max_dti"]


def test_max_months_above_sixty_is_refused(tmp_path):
    found = problems_of(tmp_path, edited("min_months = 3\nmax_months = 60", "min_months = 3\nmax_months = 72"))
    assert "60" in found["terms.max_months"] and "72" in found["terms.max_months"]
    found = problems_of(
        tmp_path, edited("[authority.supervisor]\nmax_months = 60", "[authority.supervisor]\nmax_months = 61")
    )
    assert "authority.supervisor.max_months" in found


def test_contradicting_limits(tmp_path):
    text = (
        DEFAULT.replace("min_months = 3", "min_months = 40")
        .replace("[authority.agent]\nmax_months = 48", "[authority.agent]\nmax_months = 30")
        .replace(
            '[authority.agent.waivers]\ninterest = "20%"\npenalty_interest = "100%"',
            '[authority.agent.waivers]\ninterest = "20%"\npenalty_interest = "40%"',
        )
        .replace(
            '[authority.supervisor]\nmax_months = 60\nsettlement_discount = "30%"',
            '[authority.supervisor]\nmax_months = 60\nsettlement_discount = "5%"',
        )
        .replace("min_days = 7", "min_days = 50")
        .replace('default_region = "national"', 'default_region = "atlantis"')
    )
    found = problems_of(tmp_path, text)
    assert (
        "terms.max_months" in found["authority.kiosk.max_months"]
        or "terms.min_months" in found["authority.kiosk.max_months"]
    )
    assert "kiosk" in found["authority.agent.max_months"]
    assert "kiosk" in found["authority.agent.waivers.penalty_interest"]
    assert "agent" in found["authority.supervisor.settlement_discount"]
    assert "first_due.max_days" in found["first_due.min_days"]
    assert "standard.months" in found
    assert "beijing" in found["affordability.default_region"]


def test_min_months_above_max_months(tmp_path):
    found = problems_of(tmp_path, edited("min_months = 3\nmax_months = 60", "min_months = 12\nmax_months = 6"))
    assert "terms.max_months" in found["terms.min_months"]


def test_standard_waiver_beyond_every_authority(tmp_path):
    found = problems_of(
        tmp_path,
        edited('[standard.waivers]\nlate_fees = "100%"', '[standard.waivers]\nlate_fees = "100%"\nprincipal = "50%"'),
    )
    assert "supervisor" in found["standard.waivers.principal"]


def test_empty_text_is_called_empty(tmp_path):
    found = problems_of(tmp_path, edited('version = "default-2025.1"', 'version = ""'))
    assert found["version"] == "must be non-empty text, got empty text"


def test_standard_term_beyond_every_authority(tmp_path):
    found = problems_of(
        tmp_path, edited("[authority.supervisor]\nmax_months = 60", "[authority.supervisor]\nmax_months = 20")
    )
    assert "authority.supervisor.max_months = 20" in found["standard.months"]


def test_missing_tables_and_keys(tmp_path):
    found = problems_of(tmp_path, 'version = "x"\ncurrency = "CNY"\n')
    for key in ("creditor", "terms", "standard", "authority", "affordability"):
        assert "missing" in found[key], key
    assert "regions" in found


def test_unknown_currency_and_amount_digits(tmp_path):
    found = problems_of(tmp_path, edited('currency = "CNY"', 'currency = "XYZ"'))
    assert "ISO 4217" in found["currency"]
    found = problems_of(tmp_path, edited('currency = "CNY"', 'currency = "JPY"'))
    assert "decimal places" in found["terms.round_to"]  # "0.01" yen
    assert "terms.min_installment" not in found  # "100.00" is a whole number of yen


def test_not_toml(tmp_path):
    found = problems_of(tmp_path, "version = \n")
    assert "not valid TOML" in found["(file)"]


def test_load_policy_raises_with_every_problem(tmp_path):
    path = write(
        tmp_path, DEFAULT.replace("min_months = 3", "min_months = 0").replace('max_dti = "50%"', 'max_dti = "0%"')
    )
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    keys = [p.field for p in err.value.problems]
    assert keys == ["terms.min_months", "affordability.max_dti"]
    assert "terms.min_months" in str(err.value) and "affordability.max_dti" in str(err.value)
    assert isinstance(err.value, InvalidInput)


def test_missing_policy_file(tmp_path):
    with pytest.raises(InvalidInput) as err:
        load_policy(tmp_path / "nope.toml")
    assert err.value.field == "policy" and "no such file" in err.value.message


def test_edited_policy_loads_its_own_figures(tmp_path):
    text = edited('version = "default-2025.1"', 'version = "bank-7"').replace('fee_rate = "0%"', 'fee_rate = "0.6%"')
    p = load_policy(write(tmp_path, text))
    assert p.version == "bank-7" and p.fee_rate == Decimal("0.006")
    assert tomllib.loads(p.source_text)["version"] == "bank-7"


def test_region_labels_by_language_and_their_checks(tmp_path):
    policy = default_policy()
    assert [policy.region_label("beijing", lang) for lang in ("zh_CN", "zh_TW", "en")] == ["北京", "北京", "Beijing"]
    assert policy.region_label("atlantis", "zh_CN") == "atlantis"  # not a policy region: shown as stored
    assert policy.region_label(None, "en") == ""
    beijing = 'label = { zh_CN = "北京", zh_TW = "北京", en = "Beijing" }'
    found = problems_of(tmp_path, edited(beijing, 'label = { fr = "Pékin" }'))
    assert "'fr' is not a language" in found["regions.beijing.label"]
    found = problems_of(tmp_path, edited(beijing, 'label = "Beijing"'))
    assert "table of names by language" in found["regions.beijing.label"]
    found = problems_of(tmp_path, edited(beijing, 'label = { en = "Bei\\u001b[31mjing" }'))
    assert "printable" in found["regions.beijing.label"]
    only_en = parse_policy(edited(beijing, 'label = { en = "Beijing" }'))
    assert only_en.region_label("beijing", "zh_CN") == "Beijing"  # no zh_CN label: English, never blank
