"""The guided assessment's state machine, driven directly."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskmanual import load_instrument, score
from riskmanual.case.flow import Flow, FlowError

from ..conftest import ROOT

SCREENING = load_instrument("sig-screening@2.0.0")
ASSESSMENT = load_instrument("sig-assessment@2.0.0")
DAY, BORN = dt.date(2026, 12, 1), dt.date(2009, 5, 14)


def flow(instrument=SCREENING, **kwargs) -> Flow:
    return Flow(instrument, DAY, BORN, **kwargs)


@pytest.mark.parametrize("typed, code", [("2", "one"), ("one", "one"), ("En", "one"), ("en", "one"), ("ONE", "one"),
                                         ("Två eller fler", "two_or_more"), ("two or more", "two_or_more"),
                                         ("okänt", "unknown"), ("4", "unknown"), ("  två   eller fler ", "two_or_more")])
def test_an_answer_is_a_number_code_or_label_in_either_language(typed: str, code: str) -> None:
    f = flow()
    f.answer(typed, "sv")
    assert f.answers["police_reports_12m"] == code and f.cursor == 1


def test_yes_no_in_swedish_and_a_critical_answer_is_flagged_at_once() -> None:
    f = flow(answers={"police_reports_12m": "none", "early_onset": "no"}, cursor=2)
    assert f.current.id == "violence_or_weapons"
    assert f.answer("JA", "sv") is True
    assert f.answer("nej", "sv") is False and f.answers["earlier_interventions"] == "no"


def test_a_wrong_answer_says_what_would_fit_and_changes_nothing() -> None:
    f = flow()
    with pytest.raises(FlowError) as caught:
        f.answer("hög", "sv")
    assert caught.value.msg.render("sv") == ("inget svar på den här frågan; skriv något av: 1 Ingen, 2 En, "
                                             "3 Två eller fler, 4 okänt / går ej att bedöma")
    assert f.answers == {} and f.cursor == 0


def test_a_required_item_cannot_be_skipped_and_others_can() -> None:
    f = flow(answers={"police_reports_12m": "none", "early_onset": "no"}, cursor=2)
    with pytest.raises(FlowError, match="cannot be skipped"):
        f.skip(as_unknown=False)
    f.answer("nej", "sv")
    f.skip(as_unknown=True)
    assert f.answers["earlier_interventions"] == "unknown"
    f.back()
    f.skip(as_unknown=False)
    assert "earlier_interventions" not in f.answers


def test_items_follow_the_conditions_as_answers_change() -> None:
    f = flow(ASSESSMENT)
    asked = {i.id for i in f.items()}
    assert "parental_supervision" in asked and "housing_economy" not in asked  # 17 years old
    f.goto("network_involvement")
    f.answer("Ingen känd koppling", "sv")
    assert "network_pressure" not in {i.id for i in f.items()}
    f.goto("network_involvement")
    f.answer("aktiv i ett nätverk", "sv")
    assert f.current.id == "network_pressure"
    with pytest.raises(FlowError, match="no item 'nope'"):
        f.goto("nope")


def test_numbers_notes_and_their_limits() -> None:
    f = flow(ASSESSMENT)
    assert f.current.id == "police_reports_12m"
    with pytest.raises(FlowError, match="from 0 to 200"):
        f.answer("201", "sv")
    with pytest.raises(FlowError, match="whole number"):
        f.answer("2,5", "sv")
    f.answer("3", "sv")
    assert f.answers["police_reports_12m"] == 3
    with pytest.raises(FlowError, match="personnummer"):
        f.note("Ringde 19900101-1234")
    with pytest.raises(FlowError, match="at most"):
        f.note("x" * 5001)
    f.note("Syntetiskt exempel")
    assert f.notes == {"onset_age": "Syntetiskt exempel"}


def test_the_document_scores_like_the_example_file() -> None:
    example = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    f = Flow(ASSESSMENT, dt.date(2026, 11, 30), dt.date(2009, 6, 14))
    while not f.done:
        f.answer(str(example["answers"][f.current.id]), "en")
    for item, note in example["notes"].items():
        f.notes[item] = note
    assert score(ASSESSMENT, f.document()).model_dump() == score(ASSESSMENT, example).model_dump()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_path_through_the_flow_gives_a_document_the_engine_scores(data: st.DataObject) -> None:
    f = flow(ASSESSMENT)
    while not f.done:
        choices = f.choices(f.current, "sv")
        if not choices:
            number = f.current.response
            f.answer(str(data.draw(st.integers(int(number.min), int(min(number.max, 20))))), "sv")
            continue
        choice = data.draw(st.sampled_from(choices))
        f.answer(data.draw(st.sampled_from([str(choice.number), choice.code, choice.label])), "sv")
    result = score(ASSESSMENT, f.document())
    assert result.status in ("complete", "incomplete")


def test_a_source_goes_with_the_note_and_the_assessors_band_with_its_reason() -> None:
    f = flow()
    f.note("Syntetiskt exempel")
    f.source("Polisens underrättelse")
    f.answer("1", "sv")
    f.source("Samtal med den unge")
    document = f.document()
    assert document["notes"] == {"police_reports_12m": "Syntetiskt exempel (Källa: Polisens underrättelse)",
                                 "early_onset": "Källa: Samtal med den unge"}
    with pytest.raises(FlowError, match="no band 'huge'"):
        f.judge("huge", "x")
    with pytest.raises(FlowError, match="written reason"):
        f.judge("urgent", "  ")
    f.judge("urgent", "Skyddsbehov")
    assert f.document()["judgement"] == {"band": "urgent", "reason": "Skyddsbehov"}


def test_a_screening_carries_only_answers_that_fit_the_assessment() -> None:
    from riskmanual.case.carry import carried_answers

    screening = json.loads((ROOT / "instruments" / "sig-screening" / "example-answers-2.0.0.json").read_text("utf-8"))
    carried = carried_answers(ASSESSMENT, "sig-screening", screening["answers"])
    assert carried == {"police_reports_12m": 1, "intervention_failure": "low", "criminal_peers": "moderate",
                       "substance_use": "low", "family_criminality": "no"}
    assert "victimisation" not in carried  # a yes on the screening does not say earlier or ongoing
    more = carried_answers(ASSESSMENT, "sig-screening", {"victimised": "no", "police_reports_12m": "two_or_more"})
    assert more == {"victimisation": "none"}  # "two or more" is no number: not carried
    assert carried_answers(ASSESSMENT, "another-tool", {"criminal_peers": "some", "weapons": "yes"}) == {"weapons": "yes"}


def test_a_numeric_item_takes_the_number_itself_and_unknown_in_words() -> None:
    f = flow(ASSESSMENT)
    f.answer("1", "sv")
    assert f.answers["police_reports_12m"] == 1  # not the first listed special
    f.back()
    f.answer("okänt", "sv")
    assert f.answers["police_reports_12m"] == "unknown"
