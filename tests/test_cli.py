"""The ``riskmanual`` command line, run in-process with click's CliRunner."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from riskmanual.cli import cli

DATA = Path(__file__).parent / "data"
FULL = DATA / "full.yaml"
ROOT = Path(__file__).parent.parent
ACTUARIAL_ANSWERS = ROOT / "instruments" / "example-actuarial" / "example-answers.json"
SPJ_ANSWERS = ROOT / "instruments" / "example-spj" / "example-answers.json"

#: ``FILE:LINE:COL: JSONPATH: message``
ISSUE_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[^:]+): (?P<message>.+)$")

#: A synthetic string shaped like a Swedish personnummer; it belongs to nobody.
FAKE_PNR = "20101010-1234"


def run(*args: str, input: str | None = None, env: dict[str, str | None] | None = None) -> Result:
    """Run the command line; in English unless ``env`` says otherwise (the default is Swedish)."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=input,
                              env={"RISKMANUAL_LANG": "en"} if env is None else env)


def full_answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid answers document for tests/data/full.yaml (total 5, band moderate)."""
    doc: dict[str, Any] = {
        "instrument": "test-full",
        "version": "1.2.0",
        "assessment_date": "2026-11-01",
        "birth_date": "2008-05-14",
        "answers": {
            "prior_offences": 2,
            "violence": "moderate",
            "peers": "yes",
            "gang": "no",
            "school": "truant",
            "adult": "yes",
            "district": "north",
        },
    }
    doc.update(changes)
    return doc


def with_answers(**answers: Any) -> dict[str, Any]:
    doc = full_answers()
    doc["answers"].update(answers)
    return doc


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), "utf-8")
    return path


def score_full(tmp_path: Path, doc: dict[str, Any], *extra: str) -> Result:
    return run("score", FULL, write_json(tmp_path / "answers.json", doc), *extra)


def assert_clean_failure(result: Result) -> None:
    """Exit 1, something on stderr, no traceback anywhere."""
    assert result.exit_code == 1, result.output
    assert result.stderr.strip()
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- validate ---------------------------------------------------------------------------


def invalid_copy(tmp_path: Path) -> Path:
    """full.yaml with two structural errors: a bad item kind and a negative window."""
    text = FULL.read_text("utf-8")
    text = text.replace("window_months: 24", "window_months: -3", 1)
    text = text.replace("kind: protective", "kind: protectiv", 1)
    path = tmp_path / "cli_invalid.yaml"
    path.write_text(text, "utf-8")
    return path


def test_validate_valid_files_exit_0_with_ok_lines() -> None:
    spj = ROOT / "instruments" / "example-spj" / "1.0.0.yaml"
    result = run("validate", FULL, spj)
    assert result.exit_code == 0, result.output
    assert f"{FULL}: ok (test-full@1.2.0, 8 items)" in result.stdout
    assert f"{spj}: ok (example-spj@1.0.0" in result.stdout
    assert result.stderr == ""


def test_validate_one_invalid_file_among_valid_exits_1(tmp_path: Path) -> None:
    bad = invalid_copy(tmp_path)
    result = run("validate", FULL, bad)
    assert result.exit_code == 1
    assert f"{FULL}: ok" in result.stdout
    assert str(bad) not in result.stdout
    assert "Traceback" not in result.output


def test_validate_reports_every_error_located(tmp_path: Path) -> None:
    bad = invalid_copy(tmp_path)
    result = run("validate", bad)
    lines = result.stderr.strip().splitlines()
    matches = [ISSUE_LINE.match(line) for line in lines]
    assert all(matches), lines
    by_path = {m["path"]: m for m in matches if m}
    assert set(by_path) == {"items[6].kind", "outcome.window_months"}
    assert all(m["file"] == str(bad) for m in by_path.values())
    assert by_path["outcome.window_months"]["line"] == "19"
    assert "did you mean 'protective'" in by_path["items[6].kind"]["message"]


def test_validate_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "cli_nothing_here.yaml"
    result = run("validate", missing)
    assert_clean_failure(result)
    assert str(missing) in result.stderr
    assert "no such file" in result.stderr


def test_validate_file_that_is_a_list(tmp_path: Path) -> None:
    path = tmp_path / "cli_list.yaml"
    path.write_text("- 1\n- 2\n", "utf-8")
    result = run("validate", path)
    assert_clean_failure(result)
    assert ISSUE_LINE.match(result.stderr.strip())
    assert "mapping" in result.stderr


def test_validate_without_arguments_is_a_usage_error() -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


# --- list -------------------------------------------------------------------------------


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A RISKMANUAL_PATH folder holding a copy of full.yaml and a YAML file that is no instrument."""
    folder = tmp_path / "user"
    folder.mkdir()
    shutil.copy(FULL, folder / "cli_full.yaml")
    (folder / "cli_settings.yaml").write_text("colour: blue\nitems_per_page: 10\n", "utf-8")
    monkeypatch.setenv("RISKMANUAL_PATH", str(folder))
    return folder


def test_list_text_shows_bundled_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKMANUAL_PATH", raising=False)
    result = run("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    actuarial = next(line for line in lines if line.startswith("example-actuarial@1.0.0"))
    assert "active" in actuarial and "bundled" in actuarial
    assert any(line.startswith("example-spj@1.0.0") for line in lines)


def test_list_json_parses_with_bundled_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKMANUAL_PATH", raising=False)
    result = run("list", "--format", "json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    for ident in ("example-actuarial", "example-spj"):
        assert rows[ident]["origin"] == "bundled"
        assert rows[ident]["version"] == "1.0.0"
        assert rows[ident]["status"] == "active"
        assert Path(rows[ident]["path"]).is_file()


def test_list_includes_user_instruments(user_dir: Path) -> None:
    rows = json.loads(run("list", "--format", "json").stdout)
    user = [row for row in rows if row["origin"] == "user"]
    assert [(row["id"], row["version"]) for row in user] == [("test-full", "1.2.0")]
    assert Path(user[0]["path"]) == user_dir / "cli_full.yaml"


def test_list_skips_yaml_that_is_not_an_instrument(user_dir: Path) -> None:
    result = run("list", "--format", "json")
    paths = [row["path"] for row in json.loads(result.stdout)]
    assert not any(p.endswith("cli_settings.yaml") for p in paths)
    assert "cli_settings" not in run("list").stdout


def test_list_text_shows_user_origin(user_dir: Path) -> None:
    line = next(line for line in run("list").stdout.splitlines() if line.startswith("test-full@1.2.0"))
    assert "user" in line
    assert "Test instrument" in line


# --- show -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_show_english_has_labels_bands_and_guidance(fmt: str) -> None:
    result = run("show", FULL, "--lang", "en", "--format", fmt)
    assert result.exit_code == 0
    out = result.stdout
    for label in ("Age", "Prior offences", "Violence", "Criminal peers", "Network", "School situation",
                  "Prosocial adult", "District"):
        assert label in out
    for band in ("Low", "Moderate", "High"):
        assert band in out
    assert "Repeated violence." in out  # rating-level guidance of `violence: high`
    assert "points" in out
    assert "Testinstrument" not in out


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_show_swedish_has_labels_bands_and_guidance(fmt: str) -> None:
    result = run("show", FULL, "--lang", "sv", "--format", fmt)
    assert result.exit_code == 0
    out = result.stdout
    for label in ("Ålder", "Tidigare brott", "Våld", "Kriminella kamrater", "Nätverk", "Skolsituation",
                  "Prosocial vuxen", "Stadsdel"):
        assert label in out
    for band in ("Låg", "Måttlig", "Hög"):
        assert band in out
    assert "Upprepat våld." in out
    assert "poäng" in out
    assert "Criminal peers" not in out


def test_show_markdown_uses_headings() -> None:
    out = run("show", FULL, "--format", "markdown", "--lang", "en").stdout
    assert out.startswith("# Test instrument\n")
    assert "\n## Domains and items\n" in out
    assert "\n## Bands\n" in out


def test_show_bundled_spj_by_id_has_level_guidance() -> None:
    result = run("show", "example-spj", "--lang", "en")
    assert result.exit_code == 0
    assert "Example structured professional judgement" in result.stdout
    assert "Rejects violence." in result.stdout


def test_show_default_language_is_the_instruments_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKMANUAL_LANG", raising=False)
    assert run("show", FULL, env={"RISKMANUAL_LANG": None}).stdout.startswith("Testinstrument\n")


def test_show_by_id_and_version() -> None:
    result = run("show", "example-actuarial@1.0.0", "--lang", "en")
    assert result.exit_code == 0
    assert "Example actuarial instrument" in result.stdout


def test_show_unknown_instrument_lists_known_ids() -> None:
    result = run("show", "no-such-instrument")
    assert_clean_failure(result)
    assert "no-such-instrument" in result.stderr
    assert "example-actuarial" in result.stderr and "example-spj" in result.stderr


def test_show_unknown_version_lists_available_versions() -> None:
    result = run("show", "example-spj@9.9.9")
    assert_clean_failure(result)
    assert "9.9.9" in result.stderr
    assert "available: 1.0.0" in result.stderr


def test_show_unsupported_language_is_a_usage_error() -> None:
    result = run("show", FULL, "--lang", "de")
    assert result.exit_code == 2
    assert "--lang" in result.stderr


# --- score: success -----------------------------------------------------------------------

RESULT_KEYS = {
    "instrument", "engine_version", "status", "total", "minimum", "maximum", "band", "final_band",
    "target_group", "domains", "contributions", "protective_factors", "missing", "unknown",
    "not_applicable", "missing_rule", "needs",
}


def test_score_json_has_the_result_keys(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers())
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert RESULT_KEYS <= set(data)
    assert data["instrument"]["id"] == "test-full"
    assert data["instrument"]["version"] == "1.2.0"
    assert re.fullmatch(r"[0-9a-f]{64}", data["instrument"]["sha256"])
    assert data["status"] == "complete"
    assert data["band"]["id"] == data["final_band"]["id"] == "moderate"


def test_score_json_total_is_the_sum_of_counted_contributions(tmp_path: Path) -> None:
    data = json.loads(score_full(tmp_path, full_answers()).stdout)
    # full.yaml subtracts protective factors, so both risk and protective points count.
    counted = [c["points"] for c in data["contributions"] if c["kind"] in ("risk", "protective")]
    assert data["total"] == pytest.approx(sum(counted)) == 5
    assert data["minimum"] <= data["total"] <= data["maximum"]


def test_score_json_total_excludes_a_separate_protective_scale() -> None:
    result = run("score", "example-spj", SPJ_ANSWERS)
    data = json.loads(result.stdout)
    risk = sum(c["points"] for c in data["contributions"] if c["kind"] == "risk")
    protective = sum(c["points"] for c in data["contributions"] if c["kind"] == "protective")
    assert data["total"] == pytest.approx(risk)
    assert data["protective_total"] == pytest.approx(protective)


def test_score_bundled_actuarial_example() -> None:
    result = run("score", "example-actuarial", ACTUARIAL_ANSWERS)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["instrument"]["id"] == "example-actuarial"
    assert data["final_band"] == data["band"]


def test_score_text_in_english(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(), "--format", "text", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("Test instrument 1.2.0: 5 points")
    assert "band: Moderate" in result.stdout
    assert "Main contributing factors:" in result.stdout


def test_score_text_in_swedish(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(), "--format", "text", "--lang", "sv")
    assert result.exit_code == 0
    assert result.stdout.startswith("Testinstrument 1.2.0: 5 poäng")
    assert "nivå: Måttlig" in result.stdout
    assert "Det som bidrar mest:" in result.stdout


def test_score_reads_answers_from_stdin() -> None:
    result = run("score", FULL, "-", input=json.dumps(full_answers()))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 5


def test_score_accepts_yaml_answers(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "instrument: test-full\nversion: 1.2.0\nassessment_date: 2026-11-01\nbirth_date: 2008-05-14\n"
        "answers:\n  prior_offences: 2\n  violence: moderate\n  peers: yes\n  gang: no\n"
        "  school: truant\n  adult: yes\n  district: north\n",
        "utf-8",
    )
    result = run("score", FULL, path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 5


def test_score_up_override_with_reason_changes_final_band(tmp_path: Path) -> None:
    doc = full_answers(judgement={"band": "high", "reason": "Synthetic reason for raising."})
    result = score_full(tmp_path, doc)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["band"]["id"] == "moderate"
    assert data["final_band"]["id"] == "high"
    assert data["judgement"]["direction"] == "up"


# --- score: errors ------------------------------------------------------------------------


def test_score_reports_every_problem_at_once(tmp_path: Path) -> None:
    doc = with_answers(prior_ofences=1, violence="moderat", prior_offences=500)
    doc["assessment_date"] = "2099-01-01"
    result = score_full(tmp_path, doc)
    assert_clean_failure(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4
    assert all(ISSUE_LINE.match(line) for line in lines), lines


def test_score_unknown_item_suggests_a_close_id(tmp_path: Path) -> None:
    result = score_full(tmp_path, with_answers(prior_ofences=1))
    assert_clean_failure(result)
    assert "answers.prior_ofences" in result.stderr
    assert "did you mean 'prior_offences'" in result.stderr


def test_score_code_not_among_options(tmp_path: Path) -> None:
    result = score_full(tmp_path, with_answers(violence="extreme"))
    assert_clean_failure(result)
    assert "answers.violence" in result.stderr
    assert "low, moderate, high" in result.stderr


def test_score_number_out_of_range(tmp_path: Path) -> None:
    result = score_full(tmp_path, with_answers(prior_offences=500))
    assert_clean_failure(result)
    assert "answers.prior_offences: out of range: expected 0 to 100" in result.stderr


def test_score_wrong_instrument_id(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(instrument="example-spj"))
    assert_clean_failure(result)
    assert "instrument: these answers are for 'example-spj', not 'test-full'" in result.stderr


def test_score_wrong_version(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(version="1.1.0"))
    assert_clean_failure(result)
    assert "version: " in result.stderr and "1.1.0" in result.stderr and "1.2.0" in result.stderr


def test_score_future_assessment_date(tmp_path: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    result = score_full(tmp_path, full_answers(assessment_date=future))
    assert_clean_failure(result)
    assert "assessment_date: the assessment date is in the future" in result.stderr


def test_score_birth_date_after_assessment_date(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(birth_date="2026-11-02"))
    assert_clean_failure(result)
    assert "birth_date: the birth date is after the assessment date" in result.stderr


def test_score_invalid_json_is_located_by_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"instrument": "test-full",\n "version": "1.2.0",\n "answers": {,}\n}\n', "utf-8")
    result = run("score", FULL, path)
    assert_clean_failure(result)
    match = ISSUE_LINE.match(result.stderr.strip())
    assert match and match["line"] == "3"
    assert "syntax error" in result.stderr


def test_score_invalid_yaml_is_located_by_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("instrument: test-full\nversion: 1.2.0\nanswers: {peers: [yes\n", "utf-8")
    result = run("score", FULL, path)
    assert_clean_failure(result)
    match = ISSUE_LINE.match(result.stderr.strip())
    assert match and int(match["line"]) in (3, 4)
    assert "syntax error" in result.stderr


def test_score_answers_file_that_is_a_list(tmp_path: Path) -> None:
    result = run("score", FULL, write_json(tmp_path / "answers.json", [full_answers()]))
    assert_clean_failure(result)
    assert "mapping" in result.stderr


def test_score_missing_required_keys_all_reported(tmp_path: Path) -> None:
    doc = full_answers()
    del doc["version"], doc["assessment_date"]
    result = score_full(tmp_path, doc)
    assert_clean_failure(result)
    assert "version: missing required key" in result.stderr
    assert "assessment_date: missing required key" in result.stderr


def test_score_missing_answers_file(tmp_path: Path) -> None:
    result = run("score", FULL, tmp_path / "absent.json")
    assert_clean_failure(result)
    assert "no such file" in result.stderr


def test_score_item_answered_when_its_condition_is_false(tmp_path: Path) -> None:
    result = score_full(tmp_path, with_answers(peers="no", gang="yes"))
    assert_clean_failure(result)
    assert "answers.gang" in result.stderr
    assert "does not apply" in result.stderr


def test_score_not_applicable_on_an_item_that_does_not_allow_it(tmp_path: Path) -> None:
    result = score_full(tmp_path, with_answers(prior_offences="not_applicable"))
    assert_clean_failure(result)
    assert "answers.prior_offences" in result.stderr
    assert "'not_applicable' is not allowed" in result.stderr


def test_score_not_applicable_is_reported_once(tmp_path: Path) -> None:
    result = score_full(tmp_path, with_answers(prior_offences="not_applicable"))
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("where", ["case", "note"])
def test_score_refuses_a_personnummer_without_echoing_it(tmp_path: Path, where: str) -> None:
    doc = full_answers()
    if where == "case":
        doc["case"] = FAKE_PNR
    else:
        doc["notes"] = {"violence": f"Synthetic note about {FAKE_PNR}."}
    result = score_full(tmp_path, doc)
    assert_clean_failure(result)
    assert "personnummer" in result.stderr
    for digits in (FAKE_PNR, "20101010", "101010", "1234"):
        assert digits not in result.stderr
        assert digits not in result.stdout


def test_score_missing_key_error_does_not_echo_a_personnummer(tmp_path: Path) -> None:
    result = score_full(tmp_path, {"case": FAKE_PNR})
    assert_clean_failure(result)
    assert "101010" not in result.output


def test_score_type_error_does_not_echo_a_personnummer(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(case=201010101234))
    assert_clean_failure(result)
    assert "101010" not in result.output


def test_score_spj_without_judgement_fails(tmp_path: Path) -> None:
    doc = json.loads(SPJ_ANSWERS.read_text("utf-8"))
    del doc["judgement"]
    result = run("score", "example-spj", write_json(tmp_path / "answers.json", doc))
    assert_clean_failure(result)
    assert "judgement" in result.stderr


def test_score_override_on_instrument_that_forbids_it(tmp_path: Path) -> None:
    doc = json.loads(ACTUARIAL_ANSWERS.read_text("utf-8"))
    doc["judgement"] = {"band": "low", "reason": "Synthetic reason."}
    result = run("score", "example-actuarial", write_json(tmp_path / "answers.json", doc))
    assert_clean_failure(result)
    assert "does not allow the assessor to override" in result.stderr


def test_score_override_in_forbidden_direction(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(judgement={"band": "low", "reason": "Synthetic reason."}))
    assert_clean_failure(result)
    assert "judgement.band: overrides may only go up" in result.stderr


def test_score_override_without_reason(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(judgement={"band": "high"}))
    assert_clean_failure(result)
    assert "judgement.reason" in result.stderr
    assert "reason is required" in result.stderr


def test_score_unknown_instrument(tmp_path: Path) -> None:
    result = run("score", "no-such-instrument", write_json(tmp_path / "answers.json", full_answers()))
    assert_clean_failure(result)
    assert "known: " in result.stderr


def test_score_with_an_invalid_instrument_file(tmp_path: Path) -> None:
    result = run("score", invalid_copy(tmp_path), write_json(tmp_path / "answers.json", full_answers()))
    assert_clean_failure(result)
    assert "items[6].kind" in result.stderr


def test_score_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = score_full(tmp_path, full_answers(), "--format", "xml")
    assert result.exit_code == 2


# --- schema -------------------------------------------------------------------------------


def test_schema_instrument_is_draft_2020_12() -> None:
    result = run("schema", "instrument")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_answers_lists_the_item_ids() -> None:
    result = run("schema", "answers", "example-actuarial")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    text = json.dumps(schema["properties"]["answers"])
    for item in ("police_reports", "age_first_suspicion", "violent_suspicion", "offence_versatility",
                 "breach_of_conditions", "placement_history"):
        assert item in text
    assert schema["properties"]["instrument"] == {"const": "example-actuarial"}


def test_schema_answers_validates_the_example_answers() -> None:
    import jsonschema

    schema = json.loads(run("schema", "answers", "example-actuarial").stdout)
    doc = json.loads(ACTUARIAL_ANSWERS.read_text("utf-8"))
    jsonschema.validate(doc, schema)
    bad = copy.deepcopy(doc)
    bad["answers"]["offence_versatility"] = "seven"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_schema_answers_unknown_instrument() -> None:
    result = run("schema", "answers", "no-such-instrument")
    assert_clean_failure(result)


def test_schema_result_parses() -> None:
    result = run("schema", "result")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "total" in schema["properties"] and "contributions" in schema["properties"]


def test_schema_result_describes_score_output(tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads(run("schema", "result").stdout)
    jsonschema.validate(json.loads(score_full(tmp_path, full_answers()).stdout), schema)


# --- language of messages -----------------------------------------------------------------

NO_LANG: dict[str, str | None] = {"RISKMANUAL_LANG": None}
SV: dict[str, str | None] = {"RISKMANUAL_LANG": "sv"}


def broken_instrument(tmp_path: Path) -> Path:
    text = FULL.read_text("utf-8").replace("kind: protective", "kind: protectiv", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(("args", "env"), [(("--lang", "sv"), NO_LANG), ((), SV), ((), NO_LANG)])
def test_validate_errors_in_swedish(tmp_path: Path, args: tuple[str, ...], env: dict[str, str | None]) -> None:
    """--lang sv, $RISKMANUAL_LANG=sv, and by default (the file's first language is sv)."""
    result = run("validate", broken_instrument(tmp_path), *args, env=env)
    assert_clean_failure(result)
    assert "måste vara något av: risk, protective, information; menade du 'protective'? (angivet: 'protectiv')" \
        in result.stderr
    assert "must be one of" not in result.stderr
    ok = run("validate", FULL, *args, env=env)
    assert ok.stdout.strip().endswith("ok (test-full@1.2.0, 8 frågor)")


def test_validate_errors_in_english(tmp_path: Path) -> None:
    result = run("validate", broken_instrument(tmp_path), "--lang", "en", env=SV)
    assert "must be one of: risk, protective, information; did you mean 'protective'? (got 'protectiv')" \
        in result.stderr
    assert run("validate", FULL, "--lang", "en", env=SV).stdout.strip().endswith("(test-full@1.2.0, 8 items)")


def test_validate_meaning_errors_in_swedish_number_style(tmp_path: Path) -> None:
    path = tmp_path / "gap.yaml"
    path.write_text(FULL.read_text("utf-8").replace("\n    below: 3\n", "\n    below: 2.5\n", 1), "utf-8")
    sv = run("validate", path, "--lang", "sv")
    assert sv.stderr.endswith("bands[1].min: glapp: inget täcker 2,5 <= x < 3 mellan nivå 0 och 1 (angivet: 3)\n")
    en = run("validate", path, "--lang", "en")
    assert en.stderr.endswith("bands[1].min: gap: nothing covers 2.5 <= x < 3 between bands 0 and 1 (got 3)\n")


def test_score_errors_follow_the_language(tmp_path: Path) -> None:
    doc = with_answers(prior_ofences=2, violence="extreme")
    sv = score_full(tmp_path, doc, "--lang", "sv")
    assert_clean_failure(sv)
    assert "frågan 'prior_ofences' finns inte" in sv.stderr or "prior_ofences" in sv.stderr
    env = run("score", FULL, tmp_path / "answers.json", env=SV)
    assert env.stderr == sv.stderr
    en = score_full(tmp_path, doc, "--lang", "en")
    assert "did you mean 'prior_offences'" in en.stderr


def test_not_found_in_swedish_and_english() -> None:
    sv = run("show", "example-spj@9.9.9", env=SV)
    assert_clean_failure(sv)
    assert sv.stderr.startswith("fel: 'example-spj' finns inte i version 9.9.9; tillgängliga versioner: 1.0.0")
    en = run("score", "no-such-instrument", "-", "--lang", "en", input="{}")
    assert en.stderr.startswith("error: no instrument 'no-such-instrument'; known: ")


def test_unreadable_answers_in_swedish(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"instrument: test-full\ncase: caf\xe9\n")
    result = run("score", FULL, path, env=SV)
    assert_clean_failure(result)
    assert f"{path}:2:10: $: ingen UTF-8-text: byte 31 (0xE9) på rad 2 går inte att läsa; spara filen som UTF-8" \
        in result.stderr


def test_an_unknown_language_in_the_environment_is_a_usage_error() -> None:
    result = run("list", env={"RISKMANUAL_LANG": "de"})
    assert result.exit_code == 2
    assert "RISKMANUAL_LANG" in result.stderr


def test_list_in_swedish_and_english() -> None:
    sv = run("list", "--lang", "sv", env=NO_LANG)
    line = next(line for line in sv.stdout.splitlines() if line.startswith("example-actuarial@1.0.0"))
    assert re.search(r"\baktiv\s+medföljer\s+Exempel på aktuariellt instrument", line), line
    assert run("list", env=NO_LANG).stdout == sv.stdout
    en = run("list", "--lang", "en", env=SV)
    line = next(line for line in en.stdout.splitlines() if line.startswith("example-actuarial@1.0.0"))
    assert re.search(r"\bactive\s+bundled\s+Example actuarial instrument", line), line


def test_the_language_is_restored_after_a_command(tmp_path: Path) -> None:
    from riskmanual.messages import current_language

    run("validate", broken_instrument(tmp_path), "--lang", "sv")
    assert current_language() == "en"


@pytest.mark.parametrize("given", ["hög", "Hög", "HIGH", " high ", "High"])
def test_an_answer_given_as_a_label_or_in_the_wrong_case(tmp_path: Path, given: str) -> None:
    sv = score_full(tmp_path, with_answers(violence=given), "--lang", "sv")
    assert_clean_failure(sv)
    assert "answers.violence: frågan har inget sådant svar; menade du 'high' (Hög)?" in sv.stderr
    en = score_full(tmp_path, with_answers(violence=given), "--lang", "en")
    assert "answers.violence: not an answer to this item; did you mean 'high' (High)?" in en.stderr


@pytest.mark.parametrize("given", ["ja", "Ja", "JA", "Yes", "TRUE"])
def test_a_yes_no_answer_given_in_words(tmp_path: Path, given: str) -> None:
    sv = score_full(tmp_path, with_answers(peers=given), "--lang", "sv")
    assert "answers.peers: förväntade yes eller no; menade du 'yes' (ja)?" in sv.stderr
    en = score_full(tmp_path, with_answers(peers=given), "--lang", "en")
    assert "answers.peers: expected yes or no; did you mean 'yes' (yes)?" in en.stderr


def test_answers_for_the_wrong_version_stop_at_that_error(tmp_path: Path) -> None:
    doc = with_answers(**{f"item_{i}": "yes" for i in range(30)})
    doc["version"] = "1.0.0"
    result = score_full(tmp_path, doc, "--lang", "sv")
    assert_clean_failure(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert ("version: svaren gäller version 1.0.0, men instrumentet har version 1.2.0; poängsätt dem med "
            "test-full@1.0.0") in lines[0]


def test_show_in_swedish_by_default_and_in_english_on_request() -> None:
    sv = run("show", "sig-screening", env=NO_LANG)
    assert "Status: aktiv" in sv.stdout and "Kalibrering: okalibrerad" in sv.stdout
    en = run("show", "sig-screening", "--lang", "en", env=SV)
    assert "Status: active" in en.stdout and "Calibration: uncalibrated" in en.stdout
