"""Readable explanations rendered from score() results, in Swedish and English."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from riskmanual import Instrument, Result, explain, load_instrument, read_instrument, score

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def full() -> Instrument:
    return read_instrument(DATA / "full.yaml")


@pytest.fixture(scope="module")
def spj() -> Instrument:
    return load_instrument("example-spj")


@pytest.fixture(scope="module")
def actuarial() -> Instrument:
    return load_instrument("example-actuarial")


def example(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "instruments" / name / "example-answers.json").read_text("utf-8"))


def full_doc(**answers: Any) -> dict[str, Any]:
    """Answers for full.yaml: complete by default (total 5, moderate); None drops an answer."""
    base: dict[str, Any] = {
        "prior_offences": 2, "violence": "moderate", "peers": "yes", "gang": "no",
        "school": "truant", "adult": "yes", "district": "north",
    }
    base.update(answers)
    return {
        "instrument": "test-full", "version": "1.2.0",
        "assessment_date": "2026-11-01", "birth_date": "2008-05-14",
        "answers": {k: v for k, v in base.items() if v is not None},
    }


def run(instrument: Instrument, doc: dict[str, Any], lang: str = "en") -> Result:
    return score(instrument, doc, lang=lang, today=TODAY)


def section(text: str, heading: str) -> list[str]:
    """The lines under ``heading`` up to the next blank line."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


# --- headline -----------------------------------------------------------------------------


def test_headline_has_total_range_and_band_in_english(full: Instrument) -> None:
    first = explain(run(full, full_doc())).splitlines()[0]
    assert first == "Test instrument 1.2.0: 5 points (possible -1 to 11), band: Moderate."


def test_headline_has_total_range_and_band_in_swedish(full: Instrument) -> None:
    first = explain(run(full, full_doc(), "sv")).splitlines()[0]
    assert first == "Testinstrument 1.2.0: 5 poäng (möjligt −1 till 11), nivå: Måttlig."


def test_headline_of_the_actuarial_example(actuarial: Instrument) -> None:
    first = explain(run(actuarial, example("example-actuarial"))).splitlines()[0]
    assert "1.0.0: 7 points" in first and "band: High." in first


# --- incomplete ---------------------------------------------------------------------------

INCOMPLETE = {"prior_offences": None, "violence": "unknown", "peers": "no", "gang": None}


def test_incomplete_says_so_and_gives_no_band_in_english(full: Instrument) -> None:
    result = run(full, full_doc(**INCOMPLETE))
    assert result.status == "incomplete"
    first = explain(result).splitlines()[0]
    assert "INCOMPLETE" in first and "no band" in first
    assert "Low" not in first and "Moderate" not in first and "High" not in first


def test_incomplete_says_so_and_gives_no_band_in_swedish(full: Instrument) -> None:
    first = explain(run(full, full_doc(**INCOMPLETE), "sv")).splitlines()[0]
    assert "OFULLSTÄNDIG" in first and "ingen nivå" in first
    assert "Låg" not in first and "Måttlig" not in first and "Hög" not in first


def test_incomplete_explains_the_exceeded_rule(full: Instrument) -> None:
    text = explain(run(full, full_doc(**INCOMPLETE)))
    assert "more than allowed (history)" in text
    assert "CANNOT BE DECIDED" in text


# --- protective factors -------------------------------------------------------------------


def test_protective_factors_section_lists_present_factors(full: Instrument) -> None:
    lines = section(explain(run(full, full_doc())), "Protective factors present:")
    assert len(lines) == 1
    assert lines[0].split() == ["-1", "pt", "Prosocial", "adult:", "yes"]


def test_no_protective_factors_says_so(full: Instrument) -> None:
    text = explain(run(full, full_doc(adult="no")))
    assert "No protective factor is marked present." in text
    assert "Protective factors present:" not in text


def test_separate_protective_scale_is_reported(spj: Instrument) -> None:
    text = explain(run(spj, example("example-spj")))
    assert "Protective factors (separate scale): 1 points." in text
    assert "Strong bond to a prosocial adult: Present" in "\n".join(section(text, "Protective factors present:"))


# --- what was not answered ----------------------------------------------------------------


def test_missing_unknown_and_not_applicable_are_listed_with_the_rule(full: Instrument) -> None:
    doc = full_doc(prior_offences=None, school="unknown", peers="no", gang=None)
    result = run(full, doc)
    assert result.status == "complete"
    lines = section(explain(result), "Not answered:")
    assert lines == [
        "  missing: Prior offences",
        "  unknown: School situation",
        "  not applicable: Network",
        "  " + result.missing_rule.description,
    ]
    assert "prorating" in result.missing_rule.description


def test_not_applicable_answer_is_listed(full: Instrument) -> None:
    lines = section(explain(run(full, full_doc(school="not_applicable"), "sv")), "Det som inte är besvarat:")
    assert "  ej tillämpligt: Skolsituation" in lines


def test_all_answered_says_so(full: Instrument) -> None:
    assert section(explain(run(full, full_doc())), "Not answered:") == ["  Every scored item is answered."]


# --- needs ----------------------------------------------------------------------------------


def test_needs_with_interventions_and_agencies(full: Instrument) -> None:
    lines = section(explain(run(full, full_doc())), "Needs to work on:")
    assert lines == [
        "  - Criminal peers: Mentor (social services); Exit support (police)",
        "  - School situation",
    ]


def test_needs_in_swedish(full: Instrument) -> None:
    lines = section(explain(run(full, full_doc(), "sv")), "Behov att arbeta med:")
    assert "  - Kriminella kamrater: Mentor (socialtjänsten); Avhopparstöd (polisen)" in lines


def test_no_needs_section_without_dynamic_risk(full: Instrument) -> None:
    text = explain(run(full, full_doc(peers="no", gang=None, school="attending")))
    assert "Needs to work on:" not in text


# --- judgement --------------------------------------------------------------------------------


def test_override_line_has_band_direction_and_reason(full: Instrument) -> None:
    doc = full_doc()
    doc["judgement"] = {"band": "high", "reason": "Synthetic reason for raising."}
    lines = explain(run(full, doc)).splitlines()
    assert "Assessor's final band: High (raised). Reason: Synthetic reason for raising." in lines


def test_override_line_in_swedish(full: Instrument) -> None:
    doc = full_doc()
    doc["judgement"] = {"band": "high", "reason": "Syntetisk motivering."}
    assert "Bedömarens slutliga nivå: Hög (höjd). Motivering: Syntetisk motivering." in explain(run(full, doc, "sv"))


def test_no_judgement_line_without_judgement(full: Instrument) -> None:
    assert "Assessor's final band" not in explain(run(full, full_doc()))


def test_spj_final_rating_line(spj: Instrument) -> None:
    doc = example("example-spj")
    text = explain(run(spj, doc))
    assert "band: Moderate." in text.splitlines()[0]
    assert f"Assessor's final band: High (raised). Reason: {doc['judgement']['reason']}" in text


def test_spj_final_rating_on_incomplete_is_not_called_unchanged(spj: Instrument) -> None:
    doc = example("example-spj")
    for item in ("early_onset", "exposure_to_violence", "peer_delinquency"):
        del doc["answers"][item]
    result = run(spj, doc)
    assert result.status == "incomplete"
    assert "unchanged" not in explain(result)


# --- main factors and top ---------------------------------------------------------------------


def test_main_factors_largest_first_with_critical_marker(full: Instrument) -> None:
    lines = section(explain(run(full, full_doc(violence="high"))), "Main contributing factors:")
    assert lines[0].split()[:2] == ["+2", "pt"]
    assert any("Violence: High [critical]" in line for line in lines)


def test_note_is_shown_with_its_factor(full: Instrument) -> None:
    doc = full_doc()
    doc["notes"] = {"peers": "Synthetic note."}
    assert "Criminal peers: yes – Synthetic note." in explain(run(full, doc))


def test_top_limits_the_factors(full: Instrument) -> None:
    result = run(full, full_doc())
    lines = section(explain(result, top=2), "Main contributing factors:")
    assert len(lines) == 3
    assert lines[-1] == "  ... and 3 more (+3 points); show all with --all"


def test_top_in_swedish(full: Instrument) -> None:
    lines = section(explain(run(full, full_doc(), "sv"), top=1), "Det som bidrar mest:")
    assert lines[-1] == "  … och 4 till (+4 poäng); visa alla med --all"


def test_top_larger_than_the_factors_lists_all(full: Instrument) -> None:
    lines = section(explain(run(full, full_doc()), top=10), "Main contributing factors:")
    assert len(lines) == 5
    assert not any("more" in line for line in lines)


def test_default_top_is_eight(actuarial: Instrument) -> None:
    lines = section(explain(run(actuarial, example("example-actuarial"))), "Main contributing factors:")
    assert len(lines) == 6 and not any(line.lstrip().startswith("...") for line in lines)  # 6 factors, all shown


def test_no_risk_factors_says_so(full: Instrument) -> None:
    doc = full_doc(prior_offences=0, violence="low", peers="no", gang=None, school="attending")
    doc["birth_date"] = "2000-01-01"
    text = explain(run(full, doc))
    assert "No risk factor adds points." in text
    assert "Main contributing factors:" not in text


# --- other lines, language --------------------------------------------------------------------


def test_calibration_note_only_when_uncalibrated(full: Instrument) -> None:
    result = run(full, full_doc())
    note = "Note: this instrument's weights are not calibrated against outcomes."
    assert note in explain(result, calibrated=False)
    assert note not in explain(result, calibrated=True)
    assert note not in explain(result)


def test_target_group_and_probability_lines(actuarial: Instrument) -> None:
    text = explain(run(actuarial, example("example-actuarial")))
    assert "Target group (" in text and "): YES - " in text
    assert "Probability of the outcome within 24 months: 52% [42%–62%]" in text


def test_swedish_and_english_differ_and_use_their_own_words(full: Instrument) -> None:
    english = explain(run(full, full_doc(), "en"))
    swedish = explain(run(full, full_doc(), "sv"))
    assert english != swedish
    for word in ("points", "band:", "Main contributing factors:", "Protective factors present:", "By domain:"):
        assert word in english and word not in swedish
    for word in ("poäng", "nivå:", "Det som bidrar mest:", "Skyddsfaktorer som finns:", "Per område:"):
        assert word in swedish and word not in english


def test_explanation_ends_with_a_newline(full: Instrument) -> None:
    assert explain(run(full, full_doc())).endswith("\n")
