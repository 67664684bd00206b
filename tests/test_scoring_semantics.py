"""Critical answers that act, required items, the risk principle, robustness, domain scales."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from riskmanual import AnswersError, InstrumentError, read_instrument, score
from riskmanual.loading import instrument_from_source
from riskmanual.yamlsource import read_source

from .conftest import DATA

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def inst():
    return read_instrument(DATA / "critical.yaml")


def doc(birth: str = "2009-06-14", **answers: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"reports": 2, "weapon": "no", "network": "periphery", "peers": "moderate", "adult": "yes"}
    base.update(answers)
    return {"instrument": "test-critical", "version": "1.0.0", "assessment_date": "2026-11-30",
            "birth_date": birth, "answers": {k: v for k, v in base.items() if v is not ...}}


def run(inst, lang: str = "en", **kw: Any):
    return score(inst, doc(**kw), lang=lang, today=TODAY)


def test_a_critical_answer_lifts_the_band_and_asks_for_review(inst) -> None:
    quiet = run(inst)
    assert quiet.total == 3 and quiet.band.id == "moderate" and not quiet.critical and not quiet.review_required
    loud = run(inst, weapon="yes")
    assert loud.total == 5 and loud.band.id == "high"
    alarm = run(inst, weapon="yes", network="none", peers="low", reports=0)
    assert alarm.total == 2 and alarm.score_band.id == "low" and alarm.band.id == "high"
    [critical] = alarm.critical
    assert critical.item == "weapon" and critical.review and critical.raised and critical.min_band.id == "high"
    assert "critical" in critical.rule and "at least High" in critical.rule
    assert alarm.review_required and alarm.target_group.met is True
    assert [c.item for c in alarm.contributions if c.critical] == ["weapon"]


def test_only_the_declared_answers_are_critical(inst) -> None:
    assert not run(inst, weapon="no").critical
    assert [c.item for c in run(inst, reports=10).critical] == ["reports"]
    assert not run(inst, reports=9).critical


def test_format_one_critical_true_flags_only_answers_above_the_lowest(full) -> None:
    rule = next(item for item in full.items if item.critical is True).critical_rule
    assert rule is not None and rule.review and rule.min_band is None


def test_critical_rules_are_in_swedish(inst) -> None:
    [critical] = run(inst, "sv", weapon="yes").critical
    assert critical.rule == "svaret 'ja' är kritiskt: bedömarens granskning krävs; nivån är minst Hög"


def test_a_required_item_cannot_be_left_out_or_unknown(inst) -> None:
    for value in (..., None, "unknown"):
        with pytest.raises(AnswersError) as caught:
            run(inst, weapon=value)
        assert [i.path for i in caught.value.issues] == [("answers", "weapon")]
        assert "required" in caught.value.issues[0].message


def test_the_band_decides_whether_needs_are_offered(inst) -> None:
    low = run(inst, network="none", peers="moderate", reports=0)
    assert low.band.id == "low" and low.needs_policy == "none" and low.needs == []
    assert low.recommendation == "No intensive interventions"
    moderate = run(inst)
    assert moderate.needs_policy == "consider" and [n.item for n in moderate.needs] == ["network", "peers"]
    assert run(inst, weapon="yes").needs_policy == "offer"


def test_interventions_follow_their_conditions(inst) -> None:
    def agencies(birth: str) -> list[str]:
        need = next(n for n in score(inst, doc(birth=birth), today=TODAY).needs if n.item == "network")
        return [i["agency"] for i in need.interventions]

    assert agencies("2009-06-14") == ["social_services", "child_psychiatry"]  # 17
    assert agencies("2006-06-14") == ["social_services", "healthcare"]  # 20
    no_age = doc()
    del no_age["birth_date"]
    need = next(n for n in score(inst, no_age, today=TODAY).needs if n.item == "network")
    assert len(need.interventions) == 3  # undecidable: nothing is hidden


def test_robustness_shows_what_the_unknown_answers_could_do(inst) -> None:
    sure = run(inst)
    assert sure.robustness.unresolved == 0 and sure.robustness.decision_stable is True
    assert sure.robustness.lowest_band == sure.robustness.highest_band == "moderate"
    unsure = run(inst, network="unknown")
    r = unsure.robustness
    assert r.unresolved == 1 and r.imputed_points == 1  # the mean of peers' 1 point
    assert (r.lowest_total, r.highest_total) == (2, 5)
    assert (r.lowest_band, r.highest_band) == ("low", "high") and r.decision_stable is False
    assert unsure.contributions[[c.item for c in unsure.contributions].index("network")].imputed


def test_robustness_counts_a_possible_critical_floor(inst) -> None:
    low = score(inst, {**doc(reports="unknown", network="none", peers="low")}, today=TODAY)
    assert low.robustness.lowest_band == "low"


def test_an_incomplete_assessment_has_no_band_but_keeps_its_critical_answers(inst) -> None:
    result = run(inst, weapon="yes", network="unknown", peers="unknown", reports="unknown")
    assert result.status == "incomplete" and result.band is None and result.final_band is None
    assert [c.item for c in result.critical] == ["weapon"] and result.review_required
    assert result.robustness.unresolved == 3


def test_an_incomplete_final_rating_has_no_final_band() -> None:
    spj = read_instrument(DATA.parent.parent / "instruments" / "example-spj" / "1.0.0.yaml")
    import json

    answers = json.loads((DATA.parent.parent / "instruments" / "example-spj" / "example-answers.json").read_text())
    complete = score(spj, answers, today=TODAY)
    assert complete.final_band is not None
    scored = [i.id for i in spj.items if i.scored and i.response.type != "derived"]
    answers["answers"] = {k: ("unknown" if k in scored else v) for k, v in answers["answers"].items()}
    incomplete = score(spj, answers, today=TODAY)
    assert incomplete.status == "incomplete" and incomplete.final_band is None


def test_separate_protective_points_stay_out_of_the_domain_subtotals(inst) -> None:
    result = run(inst)
    domains = {d.id: d for d in result.domains}
    assert domains["support"].subtotal == 0 and domains["support"].protective == 2
    assert domains["current"].subtotal == 2 and domains["current"].risk == 2 and domains["current"].protective == 2
    assert domains["network"].parent == "current" and domains["current"].parent is None
    assert result.protective_total == 2 and result.total == 3


def test_units_have_a_singular_and_a_plural(inst) -> None:
    def label(n: int, lang: str) -> str:
        return next(c.response_label for c in run(inst, lang, reports=n).contributions if c.item == "reports")

    assert label(1, "sv").startswith("1 anmälan") and label(2, "sv").startswith("2 anmälningar")
    assert label(1, "en").startswith("1 report") and label(4, "en").startswith("4 reports")


def test_the_decision_has_its_own_words(inst) -> None:
    assert run(inst, "sv").target_group.decision == "Fördjupad bedömning"


def test_notes_have_a_size_limit(inst) -> None:
    answers = doc()
    answers["notes"] = {"peers": "x" * 5_001}
    with pytest.raises(AnswersError) as caught:
        score(inst, answers, today=TODAY)
    assert caught.value.issues[0].path == ("notes", "peers") and "5,000" in caught.value.issues[0].message
    answers["notes"] = {"peers": "x" * 5_000}
    assert score(inst, answers, today=TODAY).contributions


def _bad(tmp_path, text: str, old: str, new: str) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(InstrumentError) as caught:
        instrument_from_source(read_source(path))
    return [f"{i.json_path}: {i.message}" for i in caught.value.issues]


def test_bad_critical_rules_and_conditions_are_refused(tmp_path) -> None:
    text = (DATA / "critical.yaml").read_text("utf-8")
    assert _bad(tmp_path, text, 'answers: ["yes"]', 'answers: ["ja"]') == [
        "items[2].critical.answers[0]: unknown answer 'ja'; expected one of: yes, no"]
    assert "unknown band 'hgh'" in _bad(tmp_path, text, "min_band: high, reason", "min_band: hgh, reason")[0]
    assert "use answers" in _bad(tmp_path, text, 'answers: ["yes"]', "at_least: 1")[0]
    assert "use at_least" in _bad(tmp_path, text, "{at_least: 10, review: true}", "{answers: [x]}")[0]
    found = _bad(tmp_path, text, '{item: age, op: "<", value: 18}', '{item: ages, op: "<", value: 18}')
    assert found[0].startswith("items[3].interventions[1].applies_when.item: unknown item 'ages'")


def test_a_band_that_can_never_be_reached_is_refused(tmp_path) -> None:
    text = (DATA / "critical.yaml").read_text("utf-8")
    text = text.replace("{id: high, label: {sv: Hög, en: High}, min: 5,", "{id: high, label: {sv: Hög, en: High}, min: 5, below: 50,")
    text = text.replace("target_group:", "  - {id: never, label: {sv: Aldrig, en: Never}, min: 50}\ntarget_group:")
    assert any("can never be reached" in line for line in _bad(tmp_path, text, "", ""))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CHOICES = {
    "reports": st.one_of(st.integers(0, 50), st.just("unknown"), st.just(...)),
    "weapon": st.sampled_from(["yes", "no"]),
    "network": st.sampled_from(["none", "periphery", "member", "unknown", ...]),
    "peers": st.sampled_from(["low", "moderate", "high", "unknown", ...]),
    "adult": st.sampled_from(["yes", "no", "unknown", ...]),
}


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries(_CHOICES))
def test_the_result_lies_within_its_robustness_range(answers: dict[str, Any]) -> None:
    inst = read_instrument(DATA / "critical.yaml")
    result = score(inst, doc(**answers), today=TODAY)
    r = result.robustness
    assert r.lowest_total <= result.total + 1e-9 <= r.highest_total + 2e-9
    ids = [b.id for b in inst.bands]
    if result.band is not None:
        assert ids.index(r.lowest_band) <= ids.index(result.band.id) <= ids.index(r.highest_band)
    if r.unresolved == 0:
        assert r.lowest_total == r.highest_total == result.total and r.decision_stable is not False
