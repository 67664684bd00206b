"""The bundled SIG manual: version 2.0.0 of both instruments, and 1.0.0 scoring exactly as before."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from riskmanual import AnswersError, explain, load_instrument, score
from riskmanual.cli import cli
from riskmanual.messages import message

from .conftest import DATA, ROOT, TODAY

ASSESSMENT = load_instrument("sig-assessment@2.0.0")
SCREENING = load_instrument("sig-screening@2.0.0")
EXAMPLE = ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json"
SCREENING_EXAMPLE = ROOT / "instruments" / "sig-screening" / "example-answers-2.0.0.json"
NEW_ITEMS = ["exploited_by_older", "victimisation", "mental_health", "housing_economy", "family_exit_support",
             "ongoing_sanction", "own_view"]


def example(path: Path = EXAMPLE, **changes: Any) -> dict[str, Any]:
    """The synthetic example answers; ``name=value`` replaces an answer, ``name=None`` drops it."""
    document = json.loads(path.read_text("utf-8"))
    for key, value in changes.items():
        if key == "birth_date":
            document["birth_date"] = value
        elif value is None:
            document["answers"].pop(key, None)
        else:
            document["answers"][key] = value
    return document


def as_adult(**changes: Any) -> dict[str, Any]:
    """The example for a 19-year-old: supervision at home no longer applies, housing does."""
    base: dict[str, Any] = {"birth_date": "2007-05-01", "parental_supervision": None, "housing_economy": "moderate"}
    return example(**{**base, **changes})


def interventions(result: Any) -> dict[str, list[str]]:
    return {need.item: [i["agency"] for i in need.interventions] for need in result.needs}


def low_case(**changes: Any) -> dict[str, Any]:
    """Every risk item at its lowest rating and every protective item present: band Låg."""
    answers: dict[str, Any] = {}
    for item in ASSESSMENT.items:
        if item.kind == "information" or item.response.type == "derived":
            continue
        if item.response.type == "numeric":
            answers[item.id] = 0
        elif item.response.type == "boolean":
            answers[item.id] = "no" if item.kind == "risk" else "yes"
        else:
            options = sorted(item.response.options, key=lambda o: o.points)
            answers[item.id] = (options[0] if item.kind == "risk" else options[-1]).code
    for item in ("network_pressure", "exit_motivation", "family_exit_support", "housing_economy"):
        answers.pop(item)  # no network link, and under 18
    answers.update(own_view="wants_change", ongoing_sanction="none")
    answers.update(changes)
    return {"instrument": "sig-assessment", "version": "2.0.0", "assessment_date": "2026-11-01",
            "birth_date": "2009-06-14", "answers": answers}


# --- 1.0.0 stays -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["sig-assessment", "sig-screening"])
def test_version_1_answers_score_exactly_as_before(name: str) -> None:
    """The figures of the 1.0.0 examples, recorded before 2.0.0 was added, do not move."""
    expected = json.loads((DATA / "sig-1.0.0-results.json").read_text("utf-8"))[name]
    document = json.loads((ROOT / "instruments" / name / "example-answers.json").read_text("utf-8"))
    result = score(load_instrument(f"{name}@1.0.0"), document, lang="sv")
    assert result.total == expected["total"]
    assert result.band is not None and result.band.id == expected["band"]
    assert result.status == expected["status"]
    assert {c.item: c.points for c in result.contributions} == expected["points"]
    assert result.target_group is not None and result.target_group.met == expected["target_group"]


def test_a_bare_id_scores_answers_with_the_version_they_name() -> None:
    """``score sig-assessment old.json`` uses 1.0.0 for answers that say 1.0.0, 2.0.0 for new ones."""
    runner = CliRunner()
    old = runner.invoke(cli, ["score", "sig-assessment", str(ROOT / "instruments" / "sig-assessment" /
                                                             "example-answers.json")])
    new = runner.invoke(cli, ["score", "sig-assessment", str(EXAMPLE)])
    assert old.exit_code == 0 and new.exit_code == 0, old.output + new.output
    assert json.loads(old.stdout)["instrument"]["version"] == "1.0.0"
    assert json.loads(new.stdout)["instrument"]["version"] == "2.0.0"
    assert load_instrument("sig-assessment").version == "2.0.0"  # the newest, for new assessments


def test_an_explicit_version_still_refuses_answers_for_another() -> None:
    result = CliRunner().invoke(cli, ["score", "sig-assessment@2.0.0", "--lang", "sv",
                                      str(ROOT / "instruments" / "sig-assessment" / "example-answers.json")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "1.0.0" in result.stderr and "Traceback" not in result.stderr


# --- the changelog ----------------------------------------------------------------


@pytest.mark.parametrize("instrument, added", [(ASSESSMENT, NEW_ITEMS), (SCREENING, ["exploited_by_older", "victimised"])])
def test_the_changelog_names_the_new_items_and_keeps_every_old_id(instrument: Any, added: list[str]) -> None:
    entry = instrument.changelog[0]
    assert entry.version == "2.0.0" and entry.added == added and not entry.removed and not entry.renamed
    old = load_instrument(f"{instrument.id}@1.0.0")
    assert {i.id for i in instrument.items} == {i.id for i in old.items} | set(added)
    for item in old.items:  # same ids, same rating levels, same points: only the words changed
        new = instrument.items_by_id[item.id]
        assert new.points_table() == item.points_table(), item.id


# --- labels that read the right way ------------------------------------------------


@pytest.mark.parametrize("item, sv, en", [
    ("parental_supervision", "Bristande tillsyn och gränssättning i hemmet", "Lack of supervision and limit-setting at home"),
    ("attendance", "Frånvaro från skola, arbete eller sysselsättning", "Absence from school, work or occupation"),
    ("school_achievement", "Svaga skolresultat", "Weak school results"),
    ("onset_age", "Tidig debut i brottslighet", "Early onset of offending"),
    ("anger_control", "Svårigheter att hantera ilska och konflikter", "Difficulty handling anger and conflict"),
    ("police_reports_12m", "Misstankar om brott de senaste 12 månaderna", "Suspected offences in the last 12 months"),
    ("prosocial_adult_bond", "En vuxen utan kriminalitet som den unge litar på",
     "An adult who does not offend whom the young person trusts"),
])
def test_risk_labels_are_named_after_the_risk(item: str, sv: str, en: str) -> None:
    assert ASSESSMENT.items_by_id[item].label == {"sv": sv, "en": en}


def test_questions_ask_the_same_way_round_as_the_points() -> None:
    """A yes to the question means more risk: no question on a risk item asks for the strength."""
    questions = {i.id: i.question["sv"] for i in ASSESSMENT.items if i.question}
    assert questions["unstructured_leisure"].startswith("Saknar den unge")
    assert questions["low_empathy"].startswith("Har den unge svårt")
    assert questions["parental_supervision"].startswith("Brister")
    assert questions["network_pressure"].endswith("som håller hen kvar i nätverket?")


def test_swedish_texts_follow_the_native_readers_corrections() -> None:
    text = (ROOT / "instruments" / "sig-assessment" / "2.0.0.yaml").read_text("utf-8")
    text += (ROOT / "instruments" / "sig-screening" / "2.0.0.yaml").read_text("utf-8")
    for wrong in ["håller kvar hen", "kunskapskrav", "behörighet till gymnasiet", "den vuxne", "Svårt att hantera",
                  "Tidig debut i brott\n", "brott senaste 12", "prosocial vuxen", "Närvarande", "omprövning"]:
        assert wrong not in text, wrong
    assert "betygskriterierna i läroplanen (Lgr22)" in text
    assert "ett nationellt program i gymnasieskolan" in text


def test_no_intervention_label_names_its_own_agency() -> None:
    """The result prints ``label (agency)``: 2.0.0 never reads ``… (BUP) (BUP)``."""
    for instrument in (ASSESSMENT, SCREENING):
        for item in instrument.items:
            for intervention in item.interventions or []:
                for lang in ("sv", "en"):
                    agency = message(f"agency.{intervention.agency}", lang)
                    assert not re.search(rf"\b{re.escape(agency)}\b", intervention.label[lang], re.I), \
                        (item.id, intervention.label[lang])


def test_an_old_label_naming_its_agency_is_printed_once() -> None:
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers.json").read_text("utf-8"))
    document["answers"]["substance_use"] = "high"
    text = explain(score(load_instrument("sig-assessment@1.0.0"), document, lang="sv"))
    assert "Samtal på ungdomsmottagningen;" in text or "Samtal på ungdomsmottagningen\n" in text
    assert "(ungdomsmottagningen)" not in text


# --- interventions only where they can apply -----------------------------------------


def test_a_16_year_old_is_offered_child_psychiatry_and_no_adult_services() -> None:
    result = score(ASSESSMENT, example(mental_health="high", low_empathy="high"), lang="sv")
    assert result.age == 17
    offered = interventions(result)
    assert "child_psychiatry" in offered["impulsivity"] and "healthcare" not in offered["impulsivity"]
    assert offered["mental_health"] == ["child_psychiatry", "youth_clinic"]
    assert offered["low_empathy"] == ["social_services", "child_psychiatry"]
    assert "probation" not in offered["antisocial_attitudes"]  # youth service, not probation


def test_a_19_year_old_is_offered_adult_psychiatry_and_no_child_psychiatry() -> None:
    result = score(ASSESSMENT, as_adult(mental_health="high", low_empathy="high"), lang="sv")
    assert result.age == 19
    offered = interventions(result)
    assert all("child_psychiatry" not in agencies for agencies in offered.values()), offered
    assert offered["mental_health"] == ["healthcare", "youth_clinic"]
    assert "healthcare" in offered["impulsivity"]
    assert "housing_economy" in offered


def test_probation_programmes_only_during_probation() -> None:
    result = score(ASSESSMENT, as_adult(ongoing_sanction="probation"), lang="sv")
    assert "probation" in interventions(result)["antisocial_attitudes"]


def test_supervision_at_home_only_under_18_and_housing_only_from_18() -> None:
    with pytest.raises(AnswersError, match="housing_economy"):
        score(ASSESSMENT, example(housing_economy="high"))
    with pytest.raises(AnswersError, match="parental_supervision"):
        score(ASSESSMENT, as_adult(parental_supervision="high"))
    adult = score(ASSESSMENT, as_adult(), lang="sv")
    assert "parental_supervision" in {ref.item for ref in adult.not_applicable}
    assert "housing_economy" in {c.item for c in adult.contributions}


def test_a_young_person_over_22_is_not_sent_to_the_youth_clinic() -> None:
    result = score(ASSESSMENT, as_adult(birth_date="2002-01-01", mental_health="high"), lang="sv")
    assert result.age == 24 and interventions(result)["mental_health"] == ["healthcare"]


# --- critical answers and required items -------------------------------------------------


def test_a_weapon_lifts_a_low_case_into_the_target_group() -> None:
    quiet = score(ASSESSMENT, low_case(), lang="sv")
    assert quiet.band.id == "low" and quiet.target_group.met is False and quiet.needs_policy == "none"
    armed = score(ASSESSMENT, low_case(weapons="yes"), lang="sv")
    assert armed.score_band.id == "low" and armed.band.id == "moderate"
    assert armed.review_required and armed.critical[0].item == "weapons" and armed.critical[0].raised
    assert armed.target_group.met is True


@pytest.mark.parametrize("item, answer, floor", [
    ("violence_history", "high", "moderate"), ("exploited_by_older", "used", "moderate"),
    ("victimisation", "current", None),
])
def test_each_critical_answer_acts(item: str, answer: str, floor: str | None) -> None:
    result = score(ASSESSMENT, low_case(**{item: answer}), lang="sv")
    critical = {c.item: c for c in result.critical}
    assert result.review_required and critical[item].reason
    assert result.band.id == (floor or "low")


@pytest.mark.parametrize("item, answer", [("violence_history", "moderate"), ("exploited_by_older", "approached"),
                                          ("victimisation", "earlier"), ("weapons", "no")])
def test_answers_that_are_not_critical_do_not_act(item: str, answer: str) -> None:
    result = score(ASSESSMENT, low_case(**{item: answer}), lang="sv")
    assert not result.critical and not result.review_required


def test_victimisation_leads_the_explanation_with_protection() -> None:
    text = explain(score(ASSESSMENT, example(victimisation="current"), lang="sv"), width=500)
    critical = text.split("Kritiska svar:")[1].split("\n\n")[0]
    assert "Utsatt för våld, hot eller rån: Pågår nu" in critical and "skydds- och hotbedömning omgående" in critical


@pytest.mark.parametrize("item", ["weapons", "violence_history", "network_involvement", "own_view"])
def test_required_items_cannot_be_left_out_or_unknown(item: str) -> None:
    for changes in ({item: None}, {item: "unknown"}):
        with pytest.raises(AnswersError) as caught:
            score(ASSESSMENT, example(**changes))
        assert [issue.path for issue in caught.value.issues] == [("answers", item)]


def test_the_screening_requires_violence_or_weapons_and_a_yes_warrants_a_full_assessment() -> None:
    with pytest.raises(AnswersError, match="violence_or_weapons"):
        score(SCREENING, example(SCREENING_EXAMPLE, violence_or_weapons=None))
    quiet = {k: "no" for k in ("early_onset", "violence_or_weapons", "earlier_interventions", "exploited_by_older",
                               "victimised", "family_criminality", "school_or_occupation", "substance_use")}
    quiet.update(police_reports_12m="none", criminal_peers="none", prosocial_adult="yes", wants_change="yes")
    document = example(SCREENING_EXAMPLE, **quiet)
    assert score(SCREENING, document).band.id == "no_further"
    document["answers"]["violence_or_weapons"] = "yes"
    lifted = score(SCREENING, document, lang="sv")
    assert lifted.score_band.id == "no_further" and lifted.band.id == "assess" and lifted.target_group.met


# --- the result a social worker reads -------------------------------------------------------


def test_the_screening_decides_a_full_assessment_not_sig() -> None:
    text = explain(score(SCREENING, example(SCREENING_EXAMPLE), lang="sv"), width=200)
    assert "Fördjupad bedömning: JA – nivån är Fördjupad bedömning; åldern 16 år ligger inom 15–25 år." in text
    assert "Målgrupp" not in text
    english = explain(score(SCREENING, example(SCREENING_EXAMPLE), lang="en"), width=200)
    assert "Full assessment: YES - the band is Full assessment; age 16 is within 15–25." in english


def test_bands_follow_the_risk_principle() -> None:
    policies = {band.id: (band.needs, band.reassess_months) for band in ASSESSMENT.bands}
    assert policies == {"low": ("none", None), "moderate": ("offer", 6), "high": ("offer", 3), "very_high": ("offer", 3)}
    assert [band.needs for band in SCREENING.bands] == ["none", "consider", "consider"]
    text = explain(score(ASSESSMENT, low_case(criminal_peers="high", attendance="high"), lang="sv"), width=200)
    assert "Nivån motiverar inga insatser" in text and "Behov att arbeta med" not in text


def test_the_example_explanation_shows_estimates_own_view_and_context() -> None:
    text = explain(score(ASSESSMENT, example(), lang="sv"), width=100)
    assert text.startswith("SIG-bedömning – risker, behov och skyddsfaktorer 2.0.0: 24,12 poäng (möjligt −12 till 49)")
    estimated = text.split("Uppskattade svar")[1].split("\n\n")[0]
    assert "Psykisk ohälsa eller trauma: okänt (uppskattat)" in estimated
    assert "Vad svaret på den okända frågan än blir, förblir nivån Hög." in text
    information = text.split("Information (ger inga poäng):")[1].split("\n\n")[0]
    assert "Pågående påföljd eller vård: Ungdomstjänst" in information
    assert "Den unges egen syn och mål: Vill förändra sin situation – Syntetiskt exempel: vill gå" in information


def test_an_unknown_answer_that_could_change_the_decision_is_said() -> None:
    """8 points is Låg, but the two unknown answers could make it 5 to 9: the decision rests on them."""
    document = low_case(criminal_peers="high", attendance="high", police_reports_12m=3,
                        network_involvement="periphery", network_pressure="unknown", exit_motivation="absent",
                        family_exit_support="unknown", prosocial_involvement="absent", prosocial_adult_bond="absent",
                        intervention_attitude="absent", school_work_commitment="absent")
    result = score(ASSESSMENT, document, lang="sv", today=TODAY)
    robust = result.robustness
    assert result.band.id == "low" and robust.unresolved == 2
    assert (robust.lowest_total, robust.highest_total, robust.lowest_band, robust.highest_band) == (5, 9, "low", "moderate")
    assert robust.decision_stable is False
    text = explain(result, width=500)
    assert "Nivån vilar på uppskattningar: med svar på de 2 okända frågorna kan den bli Låg till Måttlig" in text


def test_the_readme_shows_what_the_program_prints_for_the_swedish_case() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("### One case in Swedish")[1].split("\n## ")[0]
    shown_answers = section.split("```json\n")[1].split("\n```")[0]
    shown_text = section.split("```text\n")[1].split("\n```")[0]
    assert json.loads(shown_answers) == json.loads(EXAMPLE.read_text("utf-8"))
    result = CliRunner().invoke(cli, ["score", "sig-assessment", str(EXAMPLE), "--format", "text", "--lang", "sv"])
    assert result.exit_code == 0
    assert result.stdout.rstrip("\n") == shown_text


def test_the_manual_gives_information_items_no_points_and_names_the_new_rules() -> None:
    from riskmanual.manual import render_manual

    text = render_manual(ASSESSMENT, lang="sv")
    own_view = text.split("Den unges egen syn och mål [own_view]")[1].split("Svar:")[1].split("\n\n")[0]
    assert "  * Vill förändra sin situation [wants_change]\n" in own_view and "poäng" not in own_view
    assert "Kritiskt svar: Pågår nu." in text
    assert "Gäller bara om *Ålder* är minst 18 år" in text
