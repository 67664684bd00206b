"""riskmanual.answers: what an answers document may hold (the shape the answers schema mirrors)."""

from __future__ import annotations

from typing import Any

import pytest

from riskmanual import AnswersError, score

from .conftest import TODAY, full_answers


def refused(full: Any, document: dict[str, Any]) -> list[str]:
    with pytest.raises(AnswersError) as error:
        score(full, document, today=TODAY)
    return [f"{'.'.join(map(str, issue.path))}: {issue.message}" for issue in error.value.issues]


@pytest.mark.parametrize("value", ["unknown", "not_applicable", 17])
def test_a_derived_item_takes_no_answer_not_even_unknown(full, value: Any) -> None:
    assert refused(full, full_answers(age=value)) == [
        "answers.age: item 'age' is computed by the engine (from the birth date); do not answer it"]


def test_a_derived_item_may_be_null(full) -> None:
    assert score(full, full_answers(age=None), today=TODAY).age == 17


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "nan", "-inf", 10**400])
def test_numbers_that_are_not_finite_are_refused_without_a_traceback(full, value: Any) -> None:
    assert refused(full, full_answers(prior_offences=value)) == ["answers.prior_offences: expected a number (or unknown)"]


@pytest.mark.parametrize("value", ["2026-11-01T00:00:00", "2026-11-01T00:00:00Z", 0, 1_700_000_000, "2026-11-1"])
def test_dates_are_written_yyyy_mm_dd(full, value: Any) -> None:
    problems = refused(full, {**full_answers(), "assessment_date": value})
    assert len(problems) == 1 and problems[0].startswith("assessment_date: ")


def test_a_date_may_be_a_date_object(full) -> None:
    import datetime as dt

    document = {**full_answers(), "assessment_date": dt.date(2026, 11, 1), "birth_date": dt.date(2009, 3, 2)}
    assert score(full, document, today=TODAY).age == 17
