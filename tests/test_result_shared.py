"""score() shares the parts of its results (contributions, domains, needs, bands...) between
results with the same figures: the parts are read-only, and no result sees another's answers,
notes or numbers' spelling."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from riskmanual import Result, score
from riskmanual.scoring import result_data

from . import oracle_scoring_v1 as oracle
from .conftest import TODAY, full_answers


def run(full, notes=None, **answers):
    document = full_answers(**answers)
    if notes:
        document["notes"] = notes
    return score(full, document, lang="en", today=TODAY)


def test_parts_are_read_only(full):
    result = run(full)
    parts = [result.contributions[0], result.domains[0], result.instrument, result.band, result.robustness,
             result.missing_rule, result.target_group]
    for part in parts:
        name = next(iter(type(part).model_fields))
        with pytest.raises(ValidationError):
            setattr(part, name, getattr(part, name))
    assert isinstance(result.missing_rule.exceeded, tuple)


def test_the_same_figures_give_the_same_part(full):
    first, second = run(full), run(full, gang="yes")
    assert first.instrument is second.instrument
    by_item = {c.item: c for c in second.contributions}
    assert by_item["violence"] is {c.item: c for c in first.contributions}["violence"]
    assert by_item["gang"] is not {c.item: c for c in first.contributions}["gang"]


def test_a_result_survives_a_round_trip(full):
    result = run(full, notes={"violence": "Synthetic note."}, prior_offences="unknown")
    assert Result.model_validate(result.model_dump()) == result
    assert Result.model_validate_json(result.model_dump_json()).model_dump_json() == result.model_dump_json()


@pytest.mark.parametrize("sequence", [(0, 0.0, -0.0, 0), (-0.0, 0.0), (2, 2.0, 2), (1, True)])
def test_numbers_are_written_as_given_whatever_came_before(full, sequence):
    for value in sequence:
        document = full_answers(prior_offences=value)
        try:
            expected = oracle.score(full, document, lang="en", today=TODAY).model_dump_json()
        except Exception as error:  # True is no number: both refuse it
            with pytest.raises(type(error)):
                score(full, document, lang="en", today=TODAY)
            continue
        assert score(full, document, lang="en", today=TODAY).model_dump_json() == expected


def test_notes_stay_with_their_assessment(full):
    noted = run(full, notes={"violence": "Synthetic note.", "district": "Another note."})
    plain = run(full)
    again = run(full, notes={"violence": "A third note."})
    assert {c.item: c.note for c in noted.contributions}["violence"] == "Synthetic note."
    assert {c.item: c.note for c in noted.information}["district"] == "Another note."
    assert all(c.note is None for c in plain.contributions + plain.information)
    assert {c.item: c.note for c in again.contributions}["violence"] == "A third note."
    assert {c.item: c.note for c in again.information}["district"] is None


def test_result_data_gives_new_dicts_every_time(full):
    first = result_data(full, full_answers(), lang="en", today=TODAY)
    expected = json.dumps(first)
    first["contributions"][0]["points"] = 99.0
    first["domains"][0]["subtotal"] = 99.0
    first["band"]["label"] = "changed"
    first["robustness"]["lowest_total"] = -99.0
    first["missing_rule"]["exceeded"].append("changed")
    assert json.dumps(result_data(full, full_answers(), lang="en", today=TODAY)) == expected
    assert score(full, full_answers(), lang="en", today=TODAY).model_dump_json() == \
        oracle.score(full, full_answers(), lang="en", today=TODAY).model_dump_json()
