"""End-to-end: run the real `installment offers`, `negotiate` and `policy` commands."""

import cli_process
import copy
import json
import os
import sys
import tomllib
from pathlib import Path

import pytest

from plans.policy import default_policy_text

from case_data import EXAMPLE

SCRIPT = Path(sys.executable).with_name("installment")


def run(*args):
    return cli_process.run(args, env={**os.environ, "COLUMNS": "160"})


@pytest.fixture
def case_file(tmp_path):
    def make(data=EXAMPLE, name="case.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return make


def assert_one_line_error(r, *fragments):
    assert r.stdout == "" or r.returncode != 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    for f in fragments:
        assert f in lines[0], lines[0]


WITH_AFTER = copy.deepcopy(EXAMPLE)
WITH_AFTER["profile"]["income_after_recovery"] = {"salary": "12000.00", "other": "500.00"}


def test_offers_json(case_file):
    r = run("offers", case_file(WITH_AFTER), "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["schema"] == "installment.offers/1" and doc["policy_version"] == "default-2025.1"
    assert [o["kind"] for o in doc["offers"]] == ["step", "shortest_affordable", "lowest_payment", "standard"]
    first = doc["offers"][0]
    for key in (
        "id",
        "kind",
        "months",
        "down_payment",
        "installment",
        "total_repayable",
        "first_due",
        "last_due",
        "apr",
        "verdict",
        "authority",
        "violations",
        "explanation",
        "terms",
    ):
        assert key in first
    assert first["total_repayable"] == "52700.00" and first["apr"]["nominal"] == "0.0000"
    assert all(o["violations"] == [] for o in doc["offers"])
    aff = first["affordability"]  # every term of the deciding budget: the one after recovery
    assert (aff["income"], aff["contingency"], aff["available"], aff["installment"], aff["left"]) == (
        "12500.00",
        "480.00",
        "4320.00",
        "3301.54",
        "1018.46",
    )
    assert aff["after_recovery"]["from"] == "2026-06-01"


def test_offers_json_is_the_default_in_a_pipe_and_a_table_on_request(case_file):
    path = case_file(WITH_AFTER)
    assert json.loads(run("offers", path).stdout)["schema"] == "installment.offers/1"
    r = run("offers", path, "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "shortest_affordable" in r.stdout and "3301.54" in r.stdout and "affordable" in r.stdout


def test_offers_escalations_and_authority(case_file):
    path = case_file()
    kiosk = json.loads(run("offers", path, "--authority", "kiosk").stdout)
    assert all(o["months"] <= 36 and o["within_authority"] for o in kiosk["offers"])
    wider = json.loads(run("offers", path, "--authority", "kiosk", "--include-escalations").stdout)
    flagged = [o for o in wider["offers"] if not o["within_authority"]]
    assert flagged and {o["authority"] for o in flagged} == {"agent", "supervisor"}
    assert all(o["violations"][0]["rule"] == "max_months" for o in flagged)
    text = run("offers", path, "--authority", "kiosk", "--include-escalations", "--format", "table").stdout
    assert "escalation" in text


def test_offers_json_and_table_go_to_the_output_file_too(case_file, tmp_path):
    doc, table = tmp_path / "offers.json", tmp_path / "offers.txt"
    r = run("offers", case_file(), "--format", "json", "-o", doc)
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(doc.read_text(encoding="utf-8"))["schema"] == "installment.offers/1"
    r = run("offers", case_file(), "--format", "table", "-o", table)
    assert r.returncode == 0 and r.stdout == "" and "shortest_affordable" in table.read_text(encoding="utf-8")


def test_offers_with_a_policy_file(case_file, tmp_path):
    policy = tmp_path / "bank.toml"
    policy.write_text(
        default_policy_text()
        .replace('version = "default-2025.1"', 'version = "bank-9"')
        .replace('fee_rate = "0%"', 'fee_rate = "0.6%"'),
        encoding="utf-8",
    )
    doc = json.loads(run("offers", case_file(), "--policy", policy).stdout)
    assert doc["policy_version"] == "bank-9"
    assert all(o["terms"]["fee_rate"] == "0.0060" and o["total_fees"] != "0.00" for o in doc["offers"])


def test_offers_bad_case_exits_2_naming_every_field(case_file):
    data = copy.deepcopy(EXAMPLE)
    data["debt"]["principal"] = "48000.001"
    data["profile"]["income"]["salary"] = "nine thousand"
    r = run("offers", case_file(data))
    assert r.returncode == 2
    assert_one_line_error(r, "installment offers: debt.principal:", "profile.income.salary:")


def test_offers_missing_case_or_bad_policy_exits_2(case_file, tmp_path):
    r = run("offers", tmp_path / "nope.json")
    assert r.returncode == 2
    assert_one_line_error(r, "no such file")
    bad = tmp_path / "bad.toml"
    bad.write_text(default_policy_text().replace("max_months = 60\n#", "max_months = 61\n#"), encoding="utf-8")
    r = run("offers", case_file(), "--policy", bad)
    assert r.returncode == 2
    assert_one_line_error(r, "terms.max_months")
    r = run("offers", case_file(), "--authority", "boss")
    assert r.returncode == 2 and "boss" in r.stderr


def test_offers_none_fit_exits_3(case_file):
    tiny = {"start": "2025-01-10", "debt": {"principal": "150.00"}}
    r = run("offers", case_file(tiny), "--format", "json")
    assert r.returncode == 3
    assert json.loads(r.stdout)["offers"] == []
    assert_one_line_error(r, "no offer fits", "--include-escalations")
    r = run("offers", case_file(tiny), "--include-escalations")
    assert r.returncode == 0
    assert {v["rule"] for o in json.loads(r.stdout)["offers"] for v in o["violations"]} == {"min_installment"}


def test_negotiate_fits_prints_the_quote_document(case_file):
    r = run("negotiate", case_file(), "--pay", "2000", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["schema"] == "installment.quote/1" and doc["months"] == 27
    assert doc["waived"]["late_fees"] == "600.00"
    assert doc["affordability"]["verdict"] == "unaffordable"
    r = run("negotiate", case_file(), "--pay", "2000", "--format", "text")
    assert r.returncode == 0 and "2028-03-01" in r.stdout


def test_negotiate_no_fit_exits_3_with_the_explanation(case_file):
    r = run("negotiate", case_file(), "--pay", "1000", "--format", "json")
    assert r.returncode == 3
    doc = json.loads(r.stdout)
    assert doc["schema"] == "installment.negotiation/1" and doc["fits"] is False
    assert {o["kind"] for o in doc["options"]} >= {"down_payment", "longer_term", "higher_payment"}
    assert_one_line_error(r, "installment negotiate: --pay:")
    text = run("negotiate", case_file(), "--pay", "1000", "--format", "text")
    assert text.returncode == 3 and "supervisor approval" in text.stdout


def test_negotiate_with_waivers_and_down_payment(case_file):
    r = run("negotiate", case_file(), "--pay", "1000", "--down", "4708.46", "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["down_payment"] == "4708.46"
    r = run("negotiate", case_file(), "--months", "24", "--waive", "interest=50%", "--authority", "supervisor")
    assert r.returncode == 0 and json.loads(r.stdout)["waived"]["interest"] == "1600.00"
    r = run("negotiate", case_file(), "--months", "24", "--waive", "interest=50%")
    assert r.returncode == 3 and "supervisor" in r.stdout
    text = run("negotiate", case_file(), "--months", "24", "--waive", "interest=50%", "--format", "text")
    assert text.returncode == 3 and "supervisor approval" in text.stdout
    assert "Schedule" in text.stdout and "2027-12-01" in text.stdout  # the plan it would be, shown too


def test_negotiate_bad_input_exits_2(case_file):
    for args, fragment in (
        (["--pay", "12.345"], "--pay"),
        (["--pay", "1000", "--waive", "fees=1"], "--waive"),
        (["--pay", "1000", "--down", "abc"], "--down"),
        (["--months", "99"], "--months"),
    ):
        r = run("negotiate", case_file(), *args)
        assert r.returncode == 2, (args, r.stderr)
        assert_one_line_error(r, fragment)
    r = run("negotiate", case_file())
    assert r.returncode == 2 and "--pay" in r.stderr


def test_policy_show_prints_a_valid_policy_and_check_accepts_it(tmp_path):
    r = run("policy", "show")
    assert r.returncode == 0 and r.stdout == default_policy_text()
    assert tomllib.loads(r.stdout)["version"] == "default-2025.1"
    path = tmp_path / "copy.toml"
    path.write_text(r.stdout, encoding="utf-8")
    r = run("policy", "check", path)
    assert r.returncode == 0 and "valid" in r.stdout and r.stderr == ""


def test_policy_check_lists_every_problem_and_exits_2(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        "colour = 1\n"
        + default_policy_text()
        .replace("min_months = 3", 'min_months = "3"')
        .replace("max_months = 60\n#", "max_months = 72\n#"),
        encoding="utf-8",
    )
    r = run("policy", "check", path)
    assert r.returncode == 2
    keys = [line.split(":")[0] for line in r.stdout.splitlines()]
    assert keys == ["colour", "terms.min_months", "terms.max_months"]
    assert "3 problems" in r.stderr
    r = run("policy", "check", tmp_path / "missing.toml")
    assert r.returncode == 2
    assert_one_line_error(r, "no such file")


@pytest.mark.parametrize("width", (80, 160))
def test_offers_table_never_cuts_a_figure_short(width):
    import io

    from rich.console import Console

    from installment_tui.commands.offers import print_offers
    from plans.case import parse_case
    from plans.offers import generate_offers
    from plans.policy import default_policy

    case, policy = parse_case(EXAMPLE), default_policy()
    offers = generate_offers(case, policy, "agent", True)
    out = io.StringIO()
    print_offers(offers, case, policy, "agent", Console(file=out, width=width, color_system=None))
    text = out.getvalue()
    assert "…" not in text
    for o in offers:  # every offer's kind, installment and last due date in full
        assert o.kind in text and o.headline.last_due.isoformat() in text
    assert ("┃ # ┃" in text) == (width == 160)  # side by side when it fits, one block per offer when not
