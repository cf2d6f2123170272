"""The one problem collector (calc.errors.Problems) and the error it raises (InvalidInputs)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.dates import parse_date
from calc.errors import InstallmentError, InvalidInput, InvalidInputs, Problem, Problems
from plans.case import CaseError, parse_case
from plans.policy import PolicyError, parse_policy


def test_nothing_noted_raises_nothing():
    problems = Problems()
    problems.raise_if_any()
    assert not problems and len(problems) == 0 and list(problems) == [] and problems.by_field() == {}


def test_every_problem_is_raised_at_once_in_order():
    problems = Problems()
    problems.add("months", "must be from 1 to 60")
    problems.add("pay", "must be more than zero")
    problems.add("months", "a second word about months")
    with pytest.raises(InvalidInputs) as err:
        problems.raise_if_any()
    exc = err.value
    assert exc.problems == (
        Problem("months", "must be from 1 to 60"),
        Problem("pay", "must be more than zero"),
        Problem("months", "a second word about months"),
    )
    # one hierarchy: a caller that catches InvalidInput / InstallmentError / ValueError shows the first problem
    assert isinstance(exc, InvalidInput) and isinstance(exc, InstallmentError) and isinstance(exc, ValueError)
    assert (exc.field, exc.message) == ("months", "must be from 1 to 60")
    assert str(exc) == "months: must be from 1 to 60; pay: must be more than zero; months: a second word about months"
    assert problems.by_field() == {"months": "must be from 1 to 60", "pay": "must be more than zero"}
    assert "pay" in problems and "down" not in problems


def test_check_turns_an_invalid_input_into_a_problem_and_goes_on():
    problems = Problems()
    with problems.check():
        parse_date("2026-02-30", "start")
    with problems.check("due", "Please enter a date"):
        parse_date("soon", "first_due")
    with problems.check("fine"):
        parse_date("2026-02-28", "fine")
    assert [p.field for p in problems] == ["start", "due"]
    assert problems.as_tuple()[1].message == "Please enter a date"


def test_check_lets_other_errors_through():
    problems = Problems()
    with pytest.raises(ZeroDivisionError), problems.check("x"):
        1 / 0  # noqa: B018 - a programming error is no input problem
    assert not problems


def test_check_keeps_every_problem_of_a_nested_collector():
    inner = Problems()
    inner.add("a", "first")
    inner.add("b", "second")
    outer = Problems()
    with outer.check():
        inner.raise_if_any()
    assert [(p.field, p.message) for p in outer] == [("a", "first"), ("b", "second")]


def test_attempt_returns_the_value_or_the_default():
    problems = Problems()
    assert problems.attempt("start", lambda: parse_date("2026-12-01", "start")).isoformat() == "2026-12-01"
    assert problems.attempt("start", lambda: parse_date("nope", "start")) is None
    assert problems.attempt("due", lambda: parse_date("nope", "due"), default=0) == 0
    assert [p.field for p in problems] == ["start", "due"]


def test_raise_if_any_raises_the_callers_subclass():
    problems = Problems()
    problems.add("terms.min_months", "must be from 1 to 60, got 0")
    with pytest.raises(PolicyError) as err:
        problems.raise_if_any(lambda found: PolicyError(found, "p.toml"))
    assert err.value.message == "p.toml: terms.min_months: must be from 1 to 60, got 0"
    with pytest.raises(CaseError):
        problems.raise_if_any(CaseError)


def test_invalid_inputs_needs_a_problem():
    with pytest.raises(ValueError, match="at least one problem"):
        InvalidInputs([])


def test_case_policy_and_kiosk_problems_are_one_type():
    with pytest.raises(CaseError) as case:
        parse_case({"debt": {"principal": "x"}, "currency": 1})
    with pytest.raises(PolicyError) as policy:
        parse_policy('version = 1\ncurrency = "CNY"\n')
    for err in (case.value, policy.value):
        assert isinstance(err, InvalidInputs)
        assert all(type(p) is Problem for p in err.problems) and len(err.problems) >= 2


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.text(max_size=20)), min_size=1, max_size=10))
def test_problems_come_back_as_they_were_noted(noted):
    problems = Problems()
    for field, message in noted:
        problems.add(field, message)
    with pytest.raises(InvalidInputs) as err:
        problems.raise_if_any()
    assert [(p.field, p.message) for p in err.value.problems] == noted
    assert err.value.field == noted[0][0] and err.value.message == noted[0][1]
