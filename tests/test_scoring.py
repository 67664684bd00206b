"""Scoring: points, applicability, missing rules, bands, target group, probability, judgement."""

from __future__ import annotations

import math

import pytest

from riskmanual import AnswersError, score
from riskmanual.scoring import parse_answers

from .conftest import TODAY, full_answers


def run(full, **answers):
    return score(full, full_answers(**answers), lang="en", today=TODAY)


def counted(result):
    return [c for c in result.contributions if c.kind == "risk" or c.kind == "protective"]


def test_total_is_the_sum_of_points_and_band_follows(full):
    result = run(full)
    # age 17 -> 2, prior 2 -> 1, violence high -> 2, peers yes -> 2, gang no -> 0, truant -> 1, adult -> -1
    assert result.total == 7
    assert result.band.id == "high" and result.final_band.id == "high"
    assert result.status == "complete"
    assert math.isclose(sum(c.points for c in counted(result)), result.total)


def test_result_records_the_instrument_and_its_hash(full):
    result = run(full)
    assert result.instrument.id == "test-full" and result.instrument.version == "1.2.0"
    assert result.instrument.sha256 == full.sha256 and len(full.sha256) == 64
    assert result.engine_version


def test_contributions_are_ranked_by_absolute_points(full):
    points = [abs(c.points) for c in run(full).contributions]
    assert points == sorted(points, reverse=True)


def test_protective_items_subtract_and_are_listed(full):
    with_adult = run(full, adult="yes")
    without = run(full, adult="no")
    assert with_adult.total == without.total - 1
    assert [c.item for c in with_adult.protective_factors] == ["adult"]
    assert without.protective_factors == []


def test_separate_protective_scale(full):
    separate = full.model_copy(update={"scoring": full.scoring.model_copy(update={"protective": "separate"})})
    result = score(separate, full_answers(), today=TODAY)
    assert result.total == 8
    assert result.protective_total == 1
    assert result.protective_factors[0].points == 1


def test_numeric_bins_and_derived_age(full):
    assert {c.item: c.points for c in run(full, prior_offences=0).contributions}["prior_offences"] == 0
    assert {c.item: c.points for c in run(full, prior_offences=7).contributions}["prior_offences"] == 2
    older = full_answers()
    older["birth_date"] = "2003-01-01"  # 23 at the assessment date
    result = score(full, older, today=TODAY)
    assert result.age == 23
    assert {c.item: c.points for c in result.contributions}["age"] == 0


def test_age_is_counted_in_completed_years(full):
    answers = full_answers()
    answers["birth_date"] = "2008-11-02"  # turns 18 the day after the assessment
    assert score(full, answers, today=TODAY).age == 17
    answers["birth_date"] = "2008-11-01"
    assert score(full, answers, today=TODAY).age == 18


def test_item_whose_condition_is_false_is_not_applicable_not_missing(full):
    result = run(full, peers="no", gang=...)
    assert "gang" in [ref.item for ref in result.not_applicable]
    assert result.missing == [] and result.status == "complete"


def test_undecidable_condition_keeps_the_item_applicable(full):
    result = run(full, peers="unknown", gang=...)
    assert [ref.item for ref in result.missing] == ["gang"]
    assert [ref.item for ref in result.unknown] == ["peers"]


def test_answering_an_item_whose_condition_is_false_is_an_error(full):
    with pytest.raises(AnswersError) as caught:
        run(full, peers="no", gang="yes")
    assert caught.value.issues[0].json_path == "answers.gang"


def test_not_applicable_is_accepted_only_where_allowed(full):
    result = run(full, school="not_applicable")
    assert "school" in [ref.item for ref in result.not_applicable]
    with pytest.raises(AnswersError) as caught:
        run(full, violence="not_applicable")
    assert "always applies" in caught.value.issues[0].message


def test_prorating_imputes_the_domain_mean_within_the_item_range(full):
    result = run(full, violence="unknown")
    imputed = [c for c in result.contributions if c.imputed]
    assert [c.item for c in imputed] == ["violence"]
    # answered history items: age 2, prior_offences 1 -> mean 1.5
    assert imputed[0].points == 1.5
    assert result.missing_rule.applied == "prorate"
    assert result.status == "complete"
    assert math.isclose(sum(c.points for c in counted(result)), result.total)


def test_domain_limit_makes_the_assessment_incomplete(full):
    # history allows one missing item: two missing make it incomplete
    result = run(full, violence="unknown", prior_offences=...)
    assert result.status == "incomplete"
    assert result.band is None and result.final_band is None
    assert result.missing_rule.applied == "incomplete"
    assert result.missing_rule.exceeded == ("history",)
    assert result.target_group.met is None
    assert result.probability is None
    assert not any(c.imputed for c in result.contributions)


def test_instrument_limit_makes_the_assessment_incomplete(full):
    result = run(full, violence="unknown", school=..., adult=...)
    assert result.status == "incomplete"
    assert result.missing_rule.exceeded == ("test-full",)


def test_zero_handling_counts_missing_items_as_nothing(full):
    zero = full.model_copy(
        update={"scoring": full.scoring.model_copy(update={"missing": full.scoring.missing.model_copy(update={"handling": "zero"})})}
    )
    result = score(zero, full_answers(school=...), today=TODAY)
    assert result.missing_rule.applied == "zero"
    assert result.total == 6
    assert not any(c.imputed for c in result.contributions)


def test_target_group_needs_band_and_age(full):
    assert run(full).target_group.met is True
    low = run(full, violence="low", peers="no", gang=..., prior_offences=0, school="attending")
    assert low.band.id == "low" and low.target_group.met is False
    no_birth = full_answers()
    del no_birth["birth_date"]
    result = score(full, no_birth, lang="en", today=TODAY)
    assert result.age is None
    assert result.target_group.met is None
    assert any("age" in reason for reason in result.target_group.reasons)


def test_logistic_probability(full):
    result = run(full)
    expected = 1 / (1 + math.exp(-(-1.0 + 0.4 * (7 - 3))))
    assert result.probability.value == pytest.approx(expected)
    assert result.probability.follow_up_months == 24


def test_override_up_with_reason_keeps_both_bands(full):
    answers = full_answers(violence="low", peers="no", gang=..., prior_offences=0)
    answers["judgement"] = {"band": "high", "reason": "Synthetic reason: escalating threats."}
    result = score(full, answers, today=TODAY)
    assert result.band.id == "low"
    assert result.final_band.id == "high"
    assert result.judgement.direction == "up" and result.judgement.kind == "override"
    assert result.target_group.met is True


def test_override_rules_are_enforced(full):
    down = full_answers()
    down["judgement"] = {"band": "low", "reason": "Synthetic."}
    with pytest.raises(AnswersError, match="only go up"):
        score(full, down, today=TODAY)
    no_reason = full_answers(violence="low")
    no_reason["judgement"] = {"band": "high"}
    with pytest.raises(AnswersError, match="reason"):
        score(full, no_reason, today=TODAY)


def test_needs_are_dynamic_risk_items_with_points_and_interventions(full):
    needs = run(full).needs
    assert [n.item for n in needs] == ["peers", "school"]
    assert {i["agency"] for i in needs[0].interventions} == {"social_services", "police"}


def test_domain_subtotals_nest(full):
    domains = {d.id: d for d in run(full).domains}
    assert domains["current"].subtotal == domains["peers"].subtotal + domains["school"].subtotal
    assert domains["history"].subtotal == 5
    assert domains["strengths"].subtotal == -1


def test_information_items_are_reported_but_not_scored(full):
    result = run(full)
    assert [c.item for c in result.information] == ["district"]
    assert "district" not in [c.item for c in result.contributions]


def test_labels_follow_the_language(full):
    assert run(full).band.label == "High"
    assert score(full, full_answers(), lang="sv", today=TODAY).band.label == "Hög"


def test_answers_errors_are_all_reported(full):
    answers = full_answers(violence="extreme", prior_offences=1000, nonsense="x")
    answers["assessment_date"] = "2027-01-01"
    with pytest.raises(AnswersError) as caught:
        score(full, answers, today=TODAY)
    paths = {issue.json_path for issue in caught.value.issues}
    assert {"answers.violence", "answers.prior_offences", "answers.nonsense", "assessment_date"} <= paths


@pytest.mark.parametrize(("key", "value", "path"), [("version", "9.9.9", "version"), ("instrument", "sig-assessment",
                                                                                      "instrument")])
def test_answers_for_another_instrument_or_version_stop_at_that_error(full, key, value, path):
    """Answers for something else would give an unknown-item error per answer: give the one that matters."""
    answers = full_answers(violence="extreme", nonsense="x")
    answers[key] = value
    answers["answers"].update({f"other_{i}": "yes" for i in range(20)})
    answers["colour"] = "red"
    with pytest.raises(AnswersError) as caught:
        score(full, answers, today=TODAY)
    assert [issue.json_path for issue in caught.value.issues] == [path]
    assert value in caught.value.issues[0].message
    assert "score them with" in caught.value.issues[0].message
    assert caught.value.issues[0].message.render("sv").startswith("svaren gäller ")


def test_parse_answers_reports_shape_errors():
    with pytest.raises(AnswersError) as caught:
        parse_answers({"instrument": "x", "answers": [], "colour": "red"})
    paths = {issue.json_path for issue in caught.value.issues}
    assert {"version", "assessment_date", "answers", "colour"} <= paths


def test_json_output_round_trips(full):
    from riskmanual import Result

    result = run(full)
    again = Result.model_validate_json(result.model_dump_json())
    assert again.total == result.total and again.band == result.band
