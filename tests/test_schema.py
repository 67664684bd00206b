"""riskmanual.schema: the shipped instrument JSON Schema and the per-instrument answers schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import riskmanual
from riskmanual.loading import read_instrument
from riskmanual.schema import DRAFT, answers_schema, generate_instrument_schema, instrument_schema
from riskmanual.yamlsource import read_source

from .conftest import DATA, ROOT, full_answers

SHIPPED = Path(riskmanual.__file__).parent / "schemas" / "instrument.schema.json"
BUNDLED = sorted((ROOT / "instruments").glob("*/*.yaml"))
EXAMPLE_ANSWERS = sorted((ROOT / "instruments").glob("*/*answers*.json"))


# --- the instrument schema ------------------------------------------------------------------


def test_shipped_schema_matches_the_models() -> None:
    shipped = json.loads(SHIPPED.read_text("utf-8"))
    assert shipped == generate_instrument_schema(), (
        f"{SHIPPED} is out of date with the pydantic models: run `python -m riskmanual.schema` and commit the result"
    )


def test_instrument_schema_returns_the_shipped_file() -> None:
    assert instrument_schema() == json.loads(SHIPPED.read_text("utf-8"))


def test_schema_declares_draft_2020_12() -> None:
    schema = instrument_schema()
    assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator


def test_schema_refuses_unknown_keys_everywhere() -> None:
    schema = instrument_schema()
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object" and "properties" in definition:
            assert definition.get("additionalProperties") is False, name


def test_language_maps_allow_only_language_codes() -> None:
    validator = jsonschema.Draft202012Validator(instrument_schema())
    data = read_source(DATA / "full.yaml").data
    data["title"] = {"sv": "Test", "Hot": "comma"}
    assert [list(error.absolute_path) for error in validator.iter_errors(data)] == [["title"]]


def test_bundled_instruments_are_found() -> None:
    # Guard for the next test: an empty glob would make it pass without checking anything.
    assert len(BUNDLED) >= 3, BUNDLED


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_instrument_validates_against_the_schema(path: Path) -> None:
    # Read with riskmanual's reader: yaml.safe_load would make the keys yes/no booleans.
    data = read_source(path).data
    errors = sorted(jsonschema.Draft202012Validator(instrument_schema()).iter_errors(data), key=lambda e: e.json_path)
    assert [f"{error.json_path}: {error.message[:200]}" for error in errors] == []


def test_the_test_fixture_validates_against_the_schema() -> None:
    jsonschema.Draft202012Validator(instrument_schema()).validate(read_source(DATA / "full.yaml").data)


# --- the answers schema --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator(full) -> jsonschema.Draft202012Validator:
    schema = answers_schema(full)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, document: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((error.json_path, error.validator) for error in validator.iter_errors(document))


def test_answers_schema_identifies_its_instrument(full) -> None:
    schema = answers_schema(full)
    assert schema["$schema"] == DRAFT
    assert schema["$id"].endswith("/answers/test-full/1.2.0.schema.json")
    assert schema["title"] == "Answers for test-full 1.2.0"


def test_answers_schema_labels_items_and_options_in_every_language(full) -> None:
    properties = answers_schema(full)["properties"]["answers"]["properties"]
    assert list(properties) == ["age", "prior_offences", "violence", "peers", "gang", "school", "adult", "district"]
    violence = properties["violence"]
    assert violence["title"] == "Våld" and violence["x-labels"] == {"sv": "Våld", "en": "Violence"}
    high = next(choice for choice in violence["oneOf"] if choice.get("const") == "high")
    assert high["title"] == "Hög" and high["x-labels"] == {"sv": "Hög", "en": "High"}
    assert [choice.get("const", choice.get("type")) for choice in violence["oneOf"]] == [
        "low", "moderate", "high", "unknown", "null"]
    peers = [choice.get("const", choice.get("type")) for choice in properties["peers"]["oneOf"]]
    assert peers == ["yes", "no", "boolean", "unknown", "null"]


def test_answers_schema_allows_only_null_for_derived_items(full) -> None:
    assert answers_schema(full)["properties"]["answers"]["properties"]["age"]["type"] == "null"


def test_answers_schema_accepts_a_valid_document(validator) -> None:
    assert errors(validator, full_answers()) == []


def test_answers_schema_accepts_notes_and_a_judgement(validator) -> None:
    document = full_answers()
    document |= {"notes": {"violence": "Synthetic note."}, "judgement": {"band": "high", "reason": "Synthetic."},
                 "assessor": "Assessor A", "case": "case-0001"}
    assert errors(validator, document) == []


@pytest.mark.parametrize(
    "answers",
    [
        {"peers": True, "adult": False},
        {"peers": "unknown", "violence": "unknown", "prior_offences": "unknown"},
        {"peers": "no", "gang": "not_applicable", "school": "not_applicable"},
        {"prior_offences": 100, "violence": ...},
        {"prior_offences": 0},
    ],
    ids=["booleans", "unknown", "not-applicable", "max-and-missing", "min"],
)
def test_answers_schema_accepts_other_valid_answers(validator, answers: dict[str, Any]) -> None:
    assert errors(validator, full_answers(**answers)) == []


def changed(change: dict[str, Any], answers: dict[str, Any] | None = None) -> dict[str, Any]:
    document = full_answers(**(answers or {}))
    for key, value in change.items():
        if value is ...:
            del document[key]
        else:
            document[key] = value
    return document


@pytest.mark.parametrize(
    ("document", "path", "keyword"),
    [
        (changed({}, {"violnce": "high"}), "$.answers", "additionalProperties"),
        (changed({}, {"violence": "extreme"}), "$.answers.violence", "oneOf"),
        (changed({}, {"school": "Truant"}), "$.answers.school", "oneOf"),
        (changed({}, {"prior_offences": 101}), "$.answers.prior_offences", "oneOf"),
        (changed({}, {"prior_offences": -1}), "$.answers.prior_offences", "oneOf"),
        (changed({}, {"prior_offences": 2.5}), "$.answers.prior_offences", "oneOf"),
        (changed({}, {"peers": "maybe"}), "$.answers.peers", "oneOf"),
        (changed({}, {"violence": "not_applicable"}), "$.answers.violence", "oneOf"),
        (changed({}, {"district": "unknown"}), "$.answers.district", "oneOf"),
        (changed({"instrument": "other-instrument"}), "$.instrument", "const"),
        (changed({"version": "1.0.0"}), "$.version", "const"),
        (changed({"comment": "extra"}), "$", "additionalProperties"),
        (changed({"assessment_date": ...}), "$", "required"),
        (changed({"assessment_date": "1 Nov 2026"}), "$.assessment_date", "pattern"),
        (changed({"notes": {"agee": "no such item"}}), "$.notes", "additionalProperties"),
        (changed({"judgement": {"band": "extreme", "reason": "x"}}), "$.judgement.band", "oneOf"),
        (changed({"judgement": {"band": "high", "reason": ""}}), "$.judgement.reason", "minLength"),
    ],
    ids=[
        "unknown-item", "unknown-code", "code-case", "above-max", "below-min", "not-integer", "bad-boolean",
        "not-applicable-not-allowed", "unknown-not-allowed", "wrong-instrument", "wrong-version", "extra-key",
        "missing-date", "bad-date", "note-for-unknown-item", "unknown-band", "empty-reason",
    ],
)
def test_answers_schema_rejects(validator, document: dict[str, Any], path: str, keyword: str) -> None:
    assert errors(validator, document) == [(path, keyword)]


def test_answers_schema_for_a_non_integer_numeric_item_accepts_fractions(full) -> None:
    instrument = full.model_copy(deep=True)
    next(item for item in instrument.items if item.id == "prior_offences").response.integer = False
    validator = jsonschema.Draft202012Validator(answers_schema(instrument))
    assert errors(validator, full_answers(prior_offences=2.5)) == []


def test_answers_schema_does_not_change_the_instrument(full) -> None:
    before = copy.deepcopy(full.model_dump())
    answers_schema(full)
    assert full.model_dump() == before


@pytest.mark.parametrize("path", EXAMPLE_ANSWERS, ids=lambda p: p.parent.name)
def test_bundled_example_answers_fit_their_instrument(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    instrument = read_instrument(path.parent / f"{document['version']}.yaml")
    validator = jsonschema.Draft202012Validator(answers_schema(instrument))
    assert [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(document)] == []
