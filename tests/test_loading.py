"""riskmanual.loading: reading an instrument file, and reporting every problem in it, located.

Most tests edit the text of tests/data/full.yaml (one line each) so that the expected line
and column can be computed from the text itself, and run with and without ``strict_schema``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from riskmanual.errors import InstrumentError, Issue, RiskmanualError
from riskmanual.loading import instrument_from_source, read_instrument, schema_issues
from riskmanual.yamlsource import parse_text

from .conftest import DATA

FULL_PATH = DATA / "full.yaml"
FULL = FULL_PATH.read_text("utf-8")

strictness = pytest.mark.parametrize("strict", [False, True], ids=["models-first", "strict-schema"])


def edited(old: str, new: str) -> str:
    """full.yaml with the single occurrence of ``old`` replaced by ``new``."""
    assert FULL.count(old) == 1, f"full.yaml no longer contains exactly one {old!r}"
    return FULL.replace(old, new)


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of ``needle`` (plus ``offset`` characters) in ``text``."""
    index = text.index(needle) + offset
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def write(tmp_path: Path, text: str, name: str = "instrument.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def problems(tmp_path: Path, text: str, strict: bool = False) -> tuple[Path, list[Issue]]:
    path = write(tmp_path, text)
    with pytest.raises(InstrumentError) as caught:
        read_instrument(path, strict_schema=strict)
    return path, caught.value.issues


def only_problem(tmp_path: Path, text: str, strict: bool = False) -> tuple[Path, Issue]:
    path, issues = problems(tmp_path, text, strict)
    assert len(issues) == 1, "\n".join(map(str, issues))
    return path, issues[0]


# --- a valid instrument ---------------------------------------------------------------------


@strictness
def test_full_instrument_loads(strict: bool) -> None:
    instrument = read_instrument(FULL_PATH, strict_schema=strict)
    assert instrument.id == "test-full"
    assert instrument.version == "1.2.0"
    assert instrument.source == str(FULL_PATH)
    assert [item.id for item in instrument.items][:3] == ["age", "prior_offences", "violence"]


def test_instrument_from_source_names_the_source() -> None:
    instrument = instrument_from_source(parse_text(FULL, "in-memory.yaml"))
    assert instrument.source == "in-memory.yaml"


def test_schema_issues_of_a_valid_instrument_is_empty() -> None:
    assert schema_issues(parse_text(FULL)) == []


def test_sha256_is_stable() -> None:
    first = read_instrument(FULL_PATH).sha256
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert read_instrument(FULL_PATH).sha256 == first
    assert read_instrument(FULL_PATH, strict_schema=True).sha256 == first


def _reverse_keys(value: object) -> object:
    if isinstance(value, dict):
        return {key: _reverse_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reverse_keys(item) for item in value]
    return value


def test_sha256_ignores_key_order_and_layout(tmp_path: Path) -> None:
    data = parse_text(FULL).data
    compact = write(tmp_path, json.dumps(_reverse_keys(data), ensure_ascii=False), "compact.json")
    sorted_ = write(tmp_path, json.dumps(data, indent=4, sort_keys=True), "sorted.json")
    assert read_instrument(compact).sha256 == read_instrument(FULL_PATH).sha256
    assert read_instrument(sorted_).sha256 == read_instrument(FULL_PATH).sha256


def test_sha256_ignores_comments_and_number_spelling(tmp_path: Path) -> None:
    text = edited("        - {code: high, label: {sv: Hög, en: High}, points: 2}",
                  "        - {code: high, label: {sv: Hög, en: High}, points: 2.0}  # same value")
    assert read_instrument(write(tmp_path, "# another comment\n" + text)).sha256 == read_instrument(FULL_PATH).sha256


def test_sha256_changes_when_content_changes(tmp_path: Path) -> None:
    text = edited("        - {code: high, label: {sv: Hög, en: High}, points: 2}",
                  "        - {code: high, label: {sv: Hög, en: High}, points: 2.5}")
    assert read_instrument(write(tmp_path, text)).sha256 != read_instrument(FULL_PATH).sha256


# --- structural errors, located --------------------------------------------------------------


@strictness
@pytest.mark.parametrize(
    ("old", "new", "key", "path", "message"),
    [
        (
            "    label: {sv: Ålder, en: Age}",
            "    lable: {sv: Ålder, en: Age}",
            "lable",
            "items[0].lable",
            "unknown key 'lable'; did you mean 'label'?",
        ),
        (
            "{code: moderate, label: {sv: Måttlig, en: Moderate}, points: 1}",
            "{code: moderate, label: {sv: Måttlig, en: Moderate}, pionts: 1}",
            "pionts",
            "items[2].response.options[1].pionts",
            "unknown key 'pionts'; did you mean 'points'?",
        ),
        (
            "  window_months: 24",
            "  window_month: 24",
            "window_month",
            "outcome.window_month",
            "unknown key 'window_month'; did you mean 'window_months'?",
        ),
        (
            "scoring:\n  protective: subtract",
            "scoring:\n  protection: subtract",
            "protection",
            "scoring.protection",
            "unknown key 'protection'; did you mean 'protective'?",
        ),
    ],
)
def test_misspelt_key_is_named_with_a_suggestion_at_the_key(
    tmp_path: Path, strict: bool, old: str, new: str, key: str, path: str, message: str
) -> None:
    text = edited(old, new)
    file, issues = problems(tmp_path, text, strict)
    issue = next(issue for issue in issues if issue.json_path == path)
    assert issue.message == message
    assert issue.file == str(file)
    assert (issue.line, issue.column) == position(text, new, new.index(key))


@strictness
def test_misspelt_required_key_is_also_reported_missing(tmp_path: Path, strict: bool) -> None:
    text = edited("    label: {sv: Ålder, en: Age}", "    lable: {sv: Ålder, en: Age}")
    _, issues = problems(tmp_path, text, strict)
    assert [(i.json_path, i.message) for i in issues] == [
        ("items[0].lable", "unknown key 'lable'; did you mean 'label'?"),
        ("items[0]", "missing required key 'label'"),
    ]
    assert (issues[1].line, issues[1].column) == position(text, "- id: age", 2)


@strictness
def test_unknown_key_without_a_close_match_lists_the_allowed_keys(tmp_path: Path, strict: bool) -> None:
    text = edited("  override: {allowed: true,", "  override: {zzz: 1, allowed: true,")
    _, issue = only_problem(tmp_path, text, strict)
    assert issue.json_path == "judgement.override.zzz"
    assert issue.message == "unknown key 'zzz'; allowed keys: allowed, direction, reason_required"


@strictness
def test_non_numeric_points_are_located_at_the_value(tmp_path: Path, strict: bool) -> None:
    new = "{code: moderate, label: {sv: Måttlig, en: Moderate}, points: many}"
    text = edited("{code: moderate, label: {sv: Måttlig, en: Moderate}, points: 1}", new)
    _, issue = only_problem(tmp_path, text, strict)
    assert issue.json_path == "items[2].response.options[1].points"
    assert issue.message == "expected a number"
    assert issue.value == "many"
    assert (issue.line, issue.column) == position(text, new, new.index("many"))


@strictness
def test_wrong_response_type_names_the_allowed_types(tmp_path: Path, strict: bool) -> None:
    new = "response: {type: bool, points: {yes: 2, no: 0}}"
    text = edited("response: {type: boolean, points: {yes: 2, no: 0}}", new)
    _, issue = only_problem(tmp_path, text, strict)  # and nothing about the options of other types
    assert issue.json_path == "items[3].response.type"
    assert issue.message == "must be one of: boolean, categorical, derived, numeric, ordinal; did you mean 'boolean'?"
    assert issue.value == "bool"
    assert (issue.line, issue.column) == position(text, new, new.index("bool"))


@strictness
def test_missing_response_type_is_reported(tmp_path: Path, strict: bool) -> None:
    text = edited("response: {type: boolean, points: {yes: 2, no: 0}}", "response: {points: {yes: 2, no: 0}}")
    _, issue = only_problem(tmp_path, text, strict)
    assert (issue.json_path, issue.message) == ("items[3].response", "missing required key 'type'")


@strictness
def test_errors_are_explained_against_the_branch_the_type_names(tmp_path: Path, strict: bool) -> None:
    text = edited("response: {type: boolean, points: {yes: 2, no: 0}}",
                  "response: {type: boolean, options: [], points: {yes: 2, no: 0}}")
    _, issue = only_problem(tmp_path, text, strict)
    assert issue.json_path == "items[3].response.options"
    assert issue.message.startswith("unknown key 'options'")


@strictness
def test_wrong_probability_form_names_the_allowed_forms(tmp_path: Path, strict: bool) -> None:
    _, issue = only_problem(tmp_path, edited("  form: logistic", "  form: logit"), strict)
    assert issue.json_path == "probability.form"
    assert issue.message == "must be one of: logistic, table; did you mean 'logistic'?"


@strictness
@pytest.mark.parametrize("word", ["b", "Hot", "hot och"])
def test_text_map_with_an_unquoted_comma_gets_the_language_code_message(
    tmp_path: Path, strict: bool, word: str
) -> None:
    new = f"label: {{sv: Våld, {word}, en: Violence}}"
    text = edited("label: {sv: Våld, en: Violence}", new)
    _, issue = only_problem(tmp_path, text, strict)
    assert issue.json_path == f"items[2].label.{word}"
    assert issue.message == (
        f"'{word}' is not a language code such as 'sv' or 'en' "
        "(a text with a comma in a {sv: ..., en: ...} map needs quotes)"
    )
    assert (issue.line, issue.column) == position(text, new, new.index(f", {word}") + 2)


@strictness
def test_text_map_with_a_comma_before_a_word_that_looks_like_a_language_code(tmp_path: Path, strict: bool) -> None:
    # 'hot' could be a language code; what gives the comma away is that it has no text.
    new = "label: {sv: Våld, hot, en: Violence}"
    text = edited("label: {sv: Våld, en: Violence}", new)
    _, issue = only_problem(tmp_path, text, strict)
    assert issue.json_path == "items[2].label.hot"
    assert issue.message == (
        "'hot' has no text (if 'hot' belongs to the text before it: "
        "a text with a comma in a {sv: ..., en: ...} map needs quotes)"
    )
    assert (issue.line, issue.column) == position(text, new, new.index("hot"))


@strictness
@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("status: active", "status: actve", "status", "must be one of: draft, active, retired; did you mean 'active'?"),
        ("id: test-full", "id: Test Full", "id",
         "must be an id: lowercase letters, digits, '-' and '_', starting with a letter or digit"),
        ("languages: [sv, en]", "languages: [sv, EN]", "languages[1]", "must be a language code such as 'sv' or 'en'"),
        ("\nversion: 1.2.0\n", "\nversion: 1.2\n", "version", "expected a text"),
        ("\nversion: 1.2.0\n", "\nversion: v1.2\n", "version", "must be a semantic version such as 1.0.0"),
        ('date: "2026-10-01"', 'date: "1 Oct 2026"', "probability.date", "must be a date written YYYY-MM-DD"),
        ("title: {sv: Testinstrument, en: Test instrument}", "title: 12", "title",
         "expected a text or a mapping of keys (or, for a text, {language: text})"),
        ('op: "=", value: yes}', 'op: "==", value: yes}', "items[4].applies_when.op",
         "must be one of: =, !=, <, <=, >, >=, in; did you mean '='?"),
        ('op: "=", value: yes}', 'op: "=", value: {a: 1}}', "items[4].applies_when.value",
         "expected true or false or a number or a text or a list"),
        ("languages: [sv, en]", "languages: []", "languages", "needs at least one entry"),
    ],
)
def test_structural_error_messages(tmp_path: Path, strict: bool, old: str, new: str, path: str, message: str) -> None:
    _, issue = only_problem(tmp_path, edited(old, new), strict)
    assert issue.json_path == path
    assert message in issue.message
    assert issue.line is not None and issue.column is not None


@strictness
def test_missing_top_level_key_is_reported_at_the_document(tmp_path: Path, strict: bool) -> None:
    text = edited("licence: CC-BY-4.0\n", "")
    _, issue = only_problem(tmp_path, text, strict)
    assert (issue.json_path, issue.message) == ("$", "missing required key 'licence'")
    assert (issue.line, issue.column) == position(text, "id: test-full")


@strictness
def test_infinite_points_are_refused_by_the_models_and_located(tmp_path: Path, strict: bool) -> None:
    # The JSON Schema accepts any number; the models refuse infinity: that error is located too.
    new = "{code: moderate, label: {sv: Måttlig, en: Moderate}, points: .inf}"
    text = edited("{code: moderate, label: {sv: Måttlig, en: Moderate}, points: 1}", new)
    _, issue = only_problem(tmp_path, text, strict)
    assert issue.json_path == "items[2].response.options[1].points"
    assert "finite number" in issue.message
    assert (issue.line, issue.column) == position(text, new, new.index(".inf"))


# --- all errors at once ---------------------------------------------------------------------------


@strictness
def test_several_independent_errors_are_reported_together(tmp_path: Path, strict: bool) -> None:
    text = FULL
    for old, new in [
        ("status: active", "status: activ"),
        ("{code: moderate, label: {sv: Måttlig, en: Moderate}, points: 1}",
         "{code: moderate, label: {sv: Måttlig, en: Moderate}, pionts: 1}"),
        ("response: {type: boolean, points: {yes: 1, no: 0}}", "response: {type: boolean, points: {yes: one, no: 0}}"),
        ("  follow_up_months: 24", "  follow_up_months: 0"),
    ]:
        assert text.count(old) == 1
        text = text.replace(old, new)
    path, issues = problems(tmp_path, text, strict)
    assert {issue.json_path for issue in issues} == {
        "status",
        "items[2].response.options[1].pionts",
        "items[6].response.points.yes",
        "probability.follow_up_months",
    }
    assert all(issue.file == str(path) and issue.line and issue.column for issue in issues)


def test_several_problems_of_meaning_are_reported_together(tmp_path: Path) -> None:
    text = edited("  min_band: moderate", "  min_band: moderat")
    text = text.replace("version: 1.2.0\n", "version: 1.3.0\n", 1)
    _, issues = problems(tmp_path, text)
    assert [(i.json_path, i.message) for i in issues] == [
        ("changelog", "the changelog has no entry for this version 1.3.0"),
        ("target_group.min_band", "unknown band 'moderat'; did you mean 'moderate'?"),
    ]
    assert (issues[1].line, issues[1].column) == position(text, "moderat\n")


def test_error_header_counts_the_problems(tmp_path: Path) -> None:
    text = edited("status: active", "status: activ").replace("licence: CC-BY-4.0\n", "")
    path = write(tmp_path, text)
    with pytest.raises(InstrumentError) as caught:
        read_instrument(path)
    assert caught.value.message == f"{path}: invalid instrument (2 problems)"
    lines = str(caught.value).splitlines()
    assert lines[0] == caught.value.message
    assert lines[1:] == [f"  {issue}" for issue in caught.value.issues]


# --- what is raised, and how it prints ---------------------------------------------------------------


BAD_FILES = {
    "missing": None,
    "syntax": "id: [unclosed\n",
    "duplicate": FULL + "id: again\n",
    "list": "- id: test-full\n",
    "structure": FULL.replace("status: active", "status: activ"),
    "meaning": FULL.replace("  min_band: moderate", "  min_band: none"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_every_bad_file_raises_instrument_error_with_located_issues(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.yaml"
    if BAD_FILES[kind] is not None:
        path.write_text(BAD_FILES[kind], "utf-8")
    with pytest.raises(InstrumentError) as caught:
        read_instrument(path)
    error = caught.value
    assert isinstance(error, RiskmanualError) and isinstance(error, ValueError)
    assert error.issues
    assert all(issue.file == str(path) for issue in error.issues)
    assert str(path) in str(error)


def test_a_missing_file_is_an_instrument_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(InstrumentError) as caught:
        read_instrument(path)
    assert caught.value.message == f"{path}: cannot read instrument"
    assert [str(issue) for issue in caught.value.issues] == [f"{path}: $: no such file"]


def test_yaml_errors_become_instrument_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "id: test-full\nid: again\n")
    with pytest.raises(InstrumentError) as caught:
        read_instrument(path)
    assert [str(issue) for issue in caught.value.issues] == [f"{path}:2:1: id: duplicate key 'id' (first at line 1)"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- id: a\n- id: b\n", "a list"), ("just words\n", "a text"), ("42\n", "a number"), ("null\n", "nothing")],
)
def test_a_document_that_is_not_a_mapping_is_refused(tmp_path: Path, text: str, kind: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InstrumentError) as caught:
        read_instrument(path)
    assert caught.value.message == f"{path}: not an instrument"
    [issue] = caught.value.issues
    assert issue.message.startswith(f"an instrument is a mapping of keys, not {kind}")
    assert (issue.json_path, issue.line, issue.column) == ("$", 1, 1)


def test_issue_renders_as_file_line_column_path_message(tmp_path: Path) -> None:
    new = "{code: moderate, label: {sv: Måttlig, en: Moderate}, pionts: 1}"
    text = edited("{code: moderate, label: {sv: Måttlig, en: Moderate}, points: 1}", new)
    path, issue = only_problem(tmp_path, text)
    line, column = position(text, new, new.index("pionts"))
    assert str(issue) == (
        f"{path}:{line}:{column}: items[2].response.options[1].pionts: unknown key 'pionts'; did you mean 'points'?"
    )


def test_issue_with_a_value_shows_what_was_given(tmp_path: Path) -> None:
    text = edited("{code: moderate, label: {sv: Måttlig, en: Moderate}, points: 1}",
                  "{code: moderate, label: {sv: Måttlig, en: Moderate}, points: many}")
    path, issue = only_problem(tmp_path, text)
    assert re.fullmatch(
        re.escape(str(path)) + r":\d+:\d+: items\[2\]\.response\.options\[1\]\.points: "
        r"expected a number \(got 'many'\)",
        str(issue),
    )


def test_issue_as_dict_is_json_ready(tmp_path: Path) -> None:
    new = "{code: moderate, label: {sv: Måttlig, en: Moderate}, pionts: 1}"
    text = edited("{code: moderate, label: {sv: Måttlig, en: Moderate}, points: 1}", new)
    path, issue = only_problem(tmp_path, text)
    line, column = position(text, new, new.index("pionts"))
    assert issue.as_dict() == {
        "file": str(path),
        "line": line,
        "column": column,
        "path": "items[2].response.options[1].pionts",
        "message": "unknown key 'pionts'; did you mean 'points'?",
    }
    json.dumps(issue.as_dict())
