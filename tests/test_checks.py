"""riskmanual.checks: the checks of meaning on a structurally valid instrument.

Each test takes the data of tests/data/full.yaml, changes one thing and loads the result.
The data is read with riskmanual's own reader, not yaml.safe_load: PyYAML would turn the
``yes``/``no`` keys of boolean points into True/False. Score range of full.yaml: -1 to 11.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from riskmanual.checks import check_instrument, condition_items
from riskmanual.errors import InstrumentError, Issue
from riskmanual.loading import instrument_from_source, read_instrument
from riskmanual.yamlsource import parse_text

from .conftest import DATA

FULL_TEXT = (DATA / "full.yaml").read_text("utf-8")
BASE: dict[str, Any] = parse_text(FULL_TEXT, "full.yaml").data

Edit = Callable[[dict[str, Any]], Any]


def item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(entry for entry in data["items"] if entry["id"] == item_id)


def problems(edit: Edit) -> list[Issue]:
    """The issues of full.yaml after ``edit``; [] when it loads."""
    data = copy.deepcopy(BASE)
    edit(data)
    source = parse_text(json.dumps(data, indent=2, ensure_ascii=False), "variant.json")
    try:
        instrument_from_source(source)
    except InstrumentError as error:
        assert all(issue.file == "variant.json" and issue.line and issue.column for issue in error.issues)
        return error.issues
    return []


def found(edit: Edit) -> list[tuple[str, str]]:
    return [(issue.json_path, issue.message) for issue in problems(edit)]


def the_problem(edit: Edit) -> Issue:
    issues = problems(edit)
    assert len(issues) == 1, "\n".join(map(str, issues))
    return issues[0]


def text(sv: str, en: str | None = None) -> dict[str, str]:
    return {"sv": sv, "en": en or sv}


# --- the fixture is clean --------------------------------------------------------------------


def test_full_instrument_has_no_problems_of_meaning(full) -> None:
    assert check_instrument(full) == []
    assert full.score_range() == (-1.0, 11.0)


def test_condition_items_lists_every_item_a_condition_names(full) -> None:
    assert condition_items(full.items_by_id["gang"].applies_when) == {"peers"}


# --- ids ---------------------------------------------------------------------------------------


def test_duplicate_item_id_is_reported_at_the_second_use() -> None:
    issue = the_problem(lambda d: item(d, "adult").update(id="district"))  # items[6], before 'district' at [7]
    assert (issue.json_path, issue.message) == ("items[7].id", "item id 'district' is used twice")
    assert issue.value == "district"


def test_duplicate_option_code() -> None:
    issue = the_problem(lambda d: item(d, "district")["response"]["options"][1].update(code="north"))
    assert issue.json_path == "items[7].response.options[1].code"
    assert issue.message == "option code 'north' is used twice"


def test_duplicate_domain_id() -> None:
    issues = found(lambda d: d["domains"][1]["domains"][0].update(id="history"))
    assert ("domains[1].domains[0].id", "domain id 'history' is used twice") in issues


def test_duplicate_band_id() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["bands"][2]["id"] = "low"

    assert ("bands[2].id", "band id 'low' is used twice") in found(edit)


@pytest.mark.parametrize("code", ["unknown", "not_applicable"])
def test_reserved_option_codes(code: str) -> None:
    issue = the_problem(lambda d: item(d, "district")["response"]["options"][1].update(code=code))
    assert issue.json_path == "items[7].response.options[1].code"
    assert issue.message == f"'{code}' is reserved: use allow_unknown / allow_not_applicable"


# --- domains -----------------------------------------------------------------------------------


def test_item_in_unknown_domain_gets_a_suggestion() -> None:
    issue = the_problem(lambda d: item(d, "violence").update(domain="histroy"))
    assert issue.json_path == "items[2].domain"
    assert issue.message == "unknown domain 'histroy'; did you mean 'history'?"


def test_item_in_unknown_domain_without_a_close_match_lists_the_domains() -> None:
    issue = the_problem(lambda d: item(d, "violence").update(domain="zzz"))
    assert issue.message == "unknown domain 'zzz'; expected one of: history, current, peers, school, strengths"


def test_item_in_a_domain_that_has_subdomains() -> None:
    issue = the_problem(lambda d: item(d, "violence").update(domain="current"))
    assert issue.json_path == "items[2].domain"
    assert issue.message == "domain 'current' has subdomains: put the item in one of them"


def test_domain_without_items_or_subdomains() -> None:
    issue = the_problem(lambda d: d["domains"].append({"id": "spare", "label": text("Reserv", "Spare")}))
    assert (issue.json_path, issue.message) == ("domains[3]", "domain 'spare' has no items and no subdomains")


# --- conditions ---------------------------------------------------------------------------------


def condition(**comparison: Any) -> Edit:
    """Make the condition of 'gang' (items[4]) ``comparison``."""
    return lambda d: item(d, "gang").update(applies_when=comparison)


def test_condition_on_unknown_item() -> None:
    issue = the_problem(condition(item="peer", op="=", value="yes"))
    assert issue.json_path == "items[4].applies_when.item"
    assert issue.message == "unknown item 'peer'; did you mean 'peers'?"


def test_condition_cycle_is_reported_with_the_cycle() -> None:
    def edit(d: dict[str, Any]) -> None:
        item(d, "gang")["applies_when"] = {"item": "school", "op": "=", "value": "truant"}
        item(d, "school")["applies_when"] = {"item": "gang", "op": "=", "value": "yes"}

    issue = the_problem(edit)
    assert issue.json_path == "items[4].applies_when"
    assert issue.message == "conditions form a cycle: gang -> school -> gang"


def test_condition_on_itself_is_a_cycle() -> None:
    issue = the_problem(condition(item="gang", op="=", value="yes"))
    assert issue.message == "conditions form a cycle: gang -> gang"


def test_a_long_chain_of_conditions_is_not_a_cycle_and_does_not_overflow() -> None:
    def edit(d: dict[str, Any]) -> None:
        for k in range(1500):
            d["items"].append({
                "id": f"c{k}", "domain": "strengths", "kind": "information", "stability": "static", "label": "C",
                "response": {"type": "boolean", "points": {"yes": 0, "no": 0}},
                "applies_when": {"item": f"c{k + 1}", "op": "=", "value": "yes"},
            })
        del d["items"][-1]["applies_when"]

    assert problems(edit) == []


@pytest.mark.parametrize(("target", "op"), [("school", "<"), ("school", ">="), ("peers", ">"), ("peers", "<=")])
def test_order_comparison_on_a_non_ordinal_item(target: str, op: str) -> None:
    value = "truant" if target == "school" else "yes"
    issue = the_problem(condition(item=target, op=op, value=value))
    assert issue.json_path == "items[4].applies_when.op"
    assert issue.message == f"'{op}' needs an ordered item; '{target}' is not ordinal"


def test_order_comparison_on_an_ordinal_item_is_fine() -> None:
    assert problems(condition(item="violence", op=">=", value="moderate")) == []


def test_condition_value_not_among_the_codes() -> None:
    issue = the_problem(condition(item="violence", op="=", value="hgih"))
    assert issue.json_path == "items[4].applies_when.value"
    assert issue.message == "unknown answer code of item 'violence' 'hgih'; did you mean 'high'?"
    assert issue.value == "hgih"


def test_condition_value_in_a_nested_condition_is_located() -> None:
    issue = the_problem(condition(all=[
        {"item": "peers", "op": "=", "value": "yes"},
        {"any": [{"item": "violence", "op": "in", "value": ["high", "extreme"]}]},
    ]))
    assert issue.json_path == "items[4].applies_when.all[1].any[0].value"
    assert issue.message.startswith("unknown answer code of item 'violence' 'extreme'")


@pytest.mark.parametrize("value", [True, False, "yes", "no"])
def test_boolean_items_accept_true_false_yes_and_no(value: object) -> None:
    assert problems(condition(item="peers", op="=", value=value)) == []


def test_in_needs_a_list() -> None:
    issue = the_problem(condition(item="violence", op="in", value="high"))
    assert (issue.json_path, issue.message) == ("items[4].applies_when.value", "'in' needs a list of values")


def test_equality_needs_a_single_value() -> None:
    issue = the_problem(condition(item="violence", op="=", value=["high"]))
    assert (issue.json_path, issue.message) == ("items[4].applies_when.value", "'=' needs a single value, not a list")


def test_numeric_item_is_compared_with_a_number() -> None:
    issue = the_problem(condition(item="prior_offences", op=">", value="3"))
    assert issue.message == "item 'prior_offences' is numeric: compare it with a number"
    assert problems(condition(item="prior_offences", op=">", value=3)) == []


def test_target_group_condition_on_unknown_item() -> None:
    issue = the_problem(lambda d: d["target_group"].update(when={"item": "gnag", "op": "=", "value": "yes"}))
    assert (issue.json_path, issue.message) == ("target_group.when.item", "unknown item 'gnag'; did you mean 'gang'?")


# --- bins -------------------------------------------------------------------------------------------


def bins(*ranges: dict[str, float]) -> Edit:
    """Give 'prior_offences' (numeric, 0 to 100; items[1]) these bins."""
    return lambda d: item(d, "prior_offences")["response"].update(bins=list(ranges))


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (
            bins({"min": 0, "below": 1}, {"min": 2, "below": 3}, {"min": 3}),
            "items[1].response.bins[1].min",
            "gap: nothing covers 1 <= x < 2 between bins 0 and 1",
        ),
        (
            bins({"min": 0, "below": 2}, {"min": 1, "below": 3}, {"min": 3}),
            "items[1].response.bins[1].min",
            "overlap: bins 0 and 1 both cover 1 <= x < 2",
        ),
        (
            bins({"min": 1, "below": 3}, {"min": 3}),
            "items[1].response.bins[0].min",
            "values below 1 (down to 0) are covered by no bin",
        ),
        (
            bins({"min": 0, "below": 1}, {"min": 1, "below": 50}),
            "items[1].response.bins[1].below",
            "values from 50 (up to 100) are covered by no bin",
        ),
        (
            bins({"min": 0, "below": 1}, {"min": 1, "below": 100}),  # below is exclusive; max 100 is a valid answer
            "items[1].response.bins[1].below",
            "values from 100 (up to 100) are covered by no bin",
        ),
        (
            bins({"min": 0, "below": 0}, {"min": 0}),
            "items[1].response.bins[0].below",
            "bin is empty: below must be above min (0)",
        ),
        (bins(), "items[1].response.bins", "at least one bin is needed"),
        (
            bins({"min": 0, "below": 1}, {"below": 3}, {"min": 3}),
            "items[1].response.bins[1].min",
            "only the first bin may leave min open",
        ),
        (
            bins({"min": 0}, {"min": 1}),
            "items[1].response.bins[0].below",
            "only the last bin may leave below open",
        ),
    ],
    ids=[
        "gap", "overlap", "min-uncovered", "max-uncovered", "max-exclusive", "empty", "none", "open-min", "open-below",
    ],
)
def test_numeric_bins(edit: Edit, path: str, message: str) -> None:
    assert found(edit) == [(path, message)]


def test_numeric_bins_may_leave_the_ends_open() -> None:
    assert problems(bins({"below": 1}, {"min": 1})) == []


def test_numeric_max_must_be_above_min() -> None:
    issue = the_problem(lambda d: item(d, "prior_offences")["response"].update(min=5, max=5))
    assert (issue.json_path, issue.message) == ("items[1].response.max", "max must be above min (5)")


def test_derived_bins_must_be_open_at_both_ends() -> None:
    def edit(d: dict[str, Any]) -> None:
        item(d, "age")["response"]["bins"] = [{"min": 10, "below": 18, "points": 2}, {"min": 18}]

    assert found(edit) == [("items[0].response.bins[0].min", "values below 10 (down to any) are covered by no bin")]


@pytest.mark.parametrize(("item_id", "index", "kind"), [("age", 0, "derived"), ("prior_offences", 1, "numeric")])
def test_scored_numbers_need_bins(item_id: str, index: int, kind: str) -> None:
    issue = the_problem(lambda d: item(d, item_id)["response"].pop("bins"))
    assert issue.json_path == f"items[{index}].response.bins"
    assert issue.message == f"a scored {kind} item needs bins that map values to points"


# --- bands ------------------------------------------------------------------------------------------


def band(band_id: str, low: float | None = None, below: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": band_id, "label": text(band_id)}
    if low is not None:
        out["min"] = low
    if below is not None:
        out["below"] = below
    return out


def bands(*entries: dict[str, Any]) -> Edit:
    return lambda d: d.update(bands=list(entries))


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (
            bands(band("low", 0, 3), band("moderate", 3, 6), band("high", 6)),
            "bands[0].min",
            "values below 0 (down to -1) are covered by no band",
        ),
        (
            bands(band("low", None, 3), band("moderate", 3, 6), band("high", 6, 11)),
            "bands[2].below",
            "values from 11 (up to 11) are covered by no band",
        ),
        (
            bands(band("low", None, 4), band("moderate", 3, 6), band("high", 6)),
            "bands[1].min",
            "overlap: bands 0 and 1 both cover 3 <= x < 4",
        ),
        (
            bands(band("low", None, 3), band("moderate", 4, 6), band("high", 6)),
            "bands[1].min",
            "gap: nothing covers 3 <= x < 4 between bands 0 and 1",
        ),
    ],
    ids=["below-range", "above-range", "overlap", "gap"],
)
def test_bands_must_cover_the_score_range_without_gaps_or_overlaps(edit: Edit, path: str, message: str) -> None:
    assert found(edit) == [(path, message)]


def test_bands_with_closed_ends_covering_the_range_are_fine() -> None:
    assert problems(bands(band("low", -1, 3), band("moderate", 3, 6), band("high", 6, 11.5))) == []


def test_the_score_range_follows_the_protective_rule() -> None:
    # With protective points on their own scale the total cannot go below 0.
    def edit(d: dict[str, Any]) -> None:
        d["scoring"]["protective"] = "separate"
        d["bands"][0]["min"] = 0

    assert problems(edit) == []


def test_target_group_min_band_must_be_a_band() -> None:
    issue = the_problem(lambda d: d["target_group"].update(min_band="moderat"))
    assert issue.json_path == "target_group.min_band"
    assert issue.message == "unknown band 'moderat'; did you mean 'moderate'?"


def test_target_group_min_band_is_located_in_the_file(tmp_path) -> None:
    source = FULL_TEXT.replace("  min_band: moderate\n", "  min_band: severe\n")
    path = tmp_path / "tg.yaml"
    path.write_text(source, "utf-8")
    with pytest.raises(InstrumentError) as caught:
        read_instrument(path)
    [issue] = caught.value.issues
    line = source[: source.index("  min_band: severe")].count("\n") + 1
    assert (issue.file, issue.line, issue.column) == (str(path), line, 13)
    assert issue.message == "unknown band 'severe'; expected one of: low, moderate, high"


@pytest.mark.parametrize(("where", "path"), [("population", "population.age"), ("target_group", "target_group.age")])
def test_age_range_must_be_ordered(where: str, path: str) -> None:
    issue = the_problem(lambda d: d[where]["age"].update(min=30, max=20))
    assert (issue.json_path, issue.message) == (path, "age.min is above age.max")


# --- languages -----------------------------------------------------------------------------------------


def test_text_missing_a_declared_language() -> None:
    issue = the_problem(lambda d: item(d, "violence").update(label={"sv": "Våld"}))
    assert issue.json_path == "items[2].label"
    assert issue.message == "text is missing the declared language(s) en"


def test_text_with_an_undeclared_language() -> None:
    issue = the_problem(lambda d: item(d, "violence").update(label={"sv": "Våld", "en": "Violence", "de": "Gewalt"}))
    assert issue.json_path == "items[2].label"
    assert issue.message == "text has language(s) de not declared in 'languages'"


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: item(d, "violence")["response"]["options"][1].update(label={"en": "Moderate"}),
         "items[2].response.options[1].label"),
        (lambda d: item(d, "violence")["guidance"]["levels"].update(high={"en": "Repeated"}),
         "items[2].guidance.levels.high"),
        (lambda d: item(d, "prior_offences")["guidance"].update(sources=[text("Register"), {"en": "Records"}]),
         "items[1].guidance.sources[1]"),
        (lambda d: d["outcome"].update(description={"en": "A new suspicion."}), "outcome.description"),
        (lambda d: d["domains"][1]["domains"][0].update(label={"en": "Peers"}), "domains[1].domains[0].label"),
        (lambda d: d["bands"][0].update(recommendation={"en": "No SIG."}), "bands[0].recommendation"),
        (lambda d: item(d, "peers")["interventions"][0].update(label={"en": "Mentor"}),
         "items[3].interventions[0].label"),
    ],
)
def test_every_text_is_checked_for_languages(edit: Edit, path: str) -> None:
    assert found(edit) == [(path, "text is missing the declared language(s) sv")]


def test_a_plain_string_text_serves_every_language() -> None:
    assert problems(lambda d: item(d, "violence").update(label="Violence")) == []


def test_rating_levels_written_as_plain_strings_are_texts_not_language_maps() -> None:
    levels = {"low": "No violence", "moderate": "Some violence", "high": "Repeated violence"}
    assert problems(lambda d: item(d, "violence")["guidance"].update(levels=levels)) == []


def test_a_language_listed_twice() -> None:
    issue = the_problem(lambda d: d.update(languages=["sv", "en", "sv"]))
    assert (issue.json_path, issue.message) == ("languages", "a language is listed twice")


# --- items ----------------------------------------------------------------------------------------------


def test_information_item_with_points() -> None:
    issue = the_problem(lambda d: item(d, "district")["response"]["options"][1].update(points=1))
    assert issue.json_path == "items[7].response"
    assert issue.message == "information items are not scored: their points must be 0"
    assert issue.value == [0.0, 1.0]


def test_protective_item_with_negative_points() -> None:
    issue = the_problem(lambda d: item(d, "adult")["response"].update(points={"yes": -1, "no": 0}))
    assert issue.json_path == "items[6].response"
    assert issue.message == (
        "protective points are strengths and must not be negative; scoring.protective says whether they are subtracted"
    )
    assert issue.value == -1.0


def test_interventions_on_a_static_item() -> None:
    intervention = {"label": text("Stöd", "Support"), "agency": "school"}
    issue = the_problem(lambda d: item(d, "violence").update(interventions=[intervention]))
    assert issue.json_path == "items[2].interventions"
    assert issue.message == "only dynamic items can have interventions: a static item cannot change"


def test_rating_level_that_is_not_a_code() -> None:
    issue = the_problem(lambda d: item(d, "violence")["guidance"]["levels"].update(hihg=text("x")))
    assert (issue.json_path, issue.message) == (
        "items[2].guidance.levels.hihg", "unknown rating level 'hihg'; did you mean 'high'?"
    )


# --- metadata and probability -----------------------------------------------------------------------------


def test_changelog_without_the_current_version() -> None:
    issue = the_problem(lambda d: d.update(version="1.3.0"))
    assert issue.json_path == "changelog"
    assert issue.message == "the changelog has no entry for this version 1.3.0"
    assert issue.value == ["1.0.0", "1.2.0"]


def test_changelog_item_ids_are_checked_against_this_version() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["changelog"][1].update(added=["adult", "ghost"], renamed={"old_gang": "gang", "x": "nowhere"},
                                 removed=["peers", "gone"])
        d["changelog"][0].update(added=["never_here"])  # an earlier version's items are not checked

    assert found(edit) == [
        ("changelog[1].added[1]", "the changelog names item 'ghost', which this version does not have"),
        ("changelog[1].renamed.x", "the changelog names item 'nowhere', which this version does not have"),
        ("changelog[1].removed[0]", "the changelog says item 'peers' was removed, but this version still has it"),
    ]


def table(*rows: dict[str, Any]) -> Edit:
    probability = {"form": "table", "rows": list(rows), "sample": text("Urval", "Sample"),
                   "date": "2026-10-01", "follow_up_months": 24}
    return lambda d: d.update(probability=probability)


def test_a_consistent_probability_table_is_fine() -> None:
    edit = table({"below": 3, "rate": 0.1, "n": 100, "events": 10, "ci": [0.05, 0.17]},
                 {"min": 3, "rate": 0.3, "n": 50, "events": 15, "ci": [0.18, 0.45]})
    assert problems(edit) == []


def test_probability_row_whose_interval_does_not_contain_the_rate() -> None:
    issue = the_problem(table({"below": 3, "rate": 0.1, "n": 100, "ci": [0.15, 0.2]}, {"min": 3, "rate": 0.3, "n": 50}))
    assert issue.json_path == "probability.rows[0].ci"
    assert issue.message == "the interval does not contain the rate 0.1"
    assert issue.value == [0.15, 0.2]


def test_probability_row_with_more_events_than_cases() -> None:
    issue = the_problem(table({"below": 3, "rate": 0.1, "n": 100}, {"min": 3, "rate": 0.3, "n": 50, "events": 51}))
    assert issue.json_path == "probability.rows[1].events"
    assert issue.message == "more events than cases (n = 50)"


def test_probability_rows_must_cover_the_score_range() -> None:
    edit = table({"min": 0, "below": 3, "rate": 0.1, "n": 100}, {"min": 3, "rate": 0.3, "n": 50})
    assert found(edit) == [("probability.rows[0].min", "values below 0 (down to -1) are covered by no row")]


def test_carry_over_must_land_on_answers_the_items_take() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["carry_over"] = [{"from": "other", "items": {"ghost": "x", "violence": {"item": "v", "answers": {"a": "nope"}},
                                                       "peers": "peers"}}]

    assert found(edit) == [
        ("carry_over[0].items.ghost", "unknown item 'ghost'; expected one of: age, prior_offences, violence, peers, "
                                       "gang, school, adult, district"),
        ("carry_over[0].items.violence.answers.a", "'nope' is not an answer item 'violence' takes"),
    ]


def test_the_goals_item_is_an_information_item_of_the_instrument() -> None:
    def ghost(d: dict[str, Any]) -> None:
        d["goals_item"] = "ghost"

    def scored(d: dict[str, Any]) -> None:
        d["goals_item"] = "violence"

    assert [path for path, _ in found(ghost)] == ["goals_item"]
    assert found(scored) == [("goals_item", "the goals item must be an information item: goals give no points")]
