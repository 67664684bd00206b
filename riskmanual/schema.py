"""JSON Schemas: the instrument schema shipped with the package, and per-instrument answers schemas.

The instrument schema (draft 2020-12) is generated from the pydantic models and committed as
``riskmanual/schemas/instrument.schema.json``; a test keeps the two in step. Regenerate it
with ``python -m riskmanual.schema``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .instrument import BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, NumericResponse

__all__ = ["answers_schema", "generate_instrument_schema", "instrument_schema", "instrument_validator"]

SCHEMA_ID = "https://riskmanual.example/schemas/instrument.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def generate_instrument_schema() -> dict[str, Any]:
    """The instrument JSON Schema, generated from :class:`Instrument`."""
    schema = Instrument.model_json_schema()
    _close_pattern_maps(schema)
    return {"$schema": DRAFT, "$id": SCHEMA_ID, **schema}


def _close_pattern_maps(node: Any) -> None:
    """Language maps allow only language-code keys: pydantic leaves other keys open."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for child in node.values():
            _close_pattern_maps(child)
    elif isinstance(node, list):
        for child in node:
            _close_pattern_maps(child)


@lru_cache(maxsize=1)
def instrument_schema() -> dict[str, Any]:
    """The shipped instrument JSON Schema (draft 2020-12)."""
    text = resources.files("riskmanual").joinpath("schemas/instrument.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def instrument_validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(instrument_schema())


def answers_schema(instrument: Instrument) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) that accepts exactly the answers ``instrument`` can score."""
    properties: dict[str, Any] = {}
    for item in instrument.items:
        response = item.response
        if isinstance(response, DerivedResponse):
            continue
        specials = (["unknown"] if item.allow_unknown else []) + (
            ["not_applicable"] if item.allow_not_applicable or item.applies_when is not None else []
        )
        if isinstance(response, BooleanResponse):
            value: dict[str, Any] = {"anyOf": [{"type": "boolean"}, {"enum": ["yes", "no", *specials]}]}
        elif isinstance(response, ChoiceResponse):
            value = {"enum": [*response.codes, *specials]}
        else:
            assert isinstance(response, NumericResponse)
            number: dict[str, Any] = {
                "type": "integer" if response.integer else "number",
                "minimum": response.min,
                "maximum": response.max,
            }
            value = {"anyOf": [number, {"enum": specials}]} if specials else number
        value["description"] = _plain(item.label)
        properties[item.id] = value
    date = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
    bands = [band.id for band in instrument.bands]
    return {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_ID.rsplit('/', 1)[0]}/answers/{instrument.id}/{instrument.version}.schema.json",
        "title": f"Answers for {instrument.id} {instrument.version}",
        "type": "object",
        "additionalProperties": False,
        "required": ["instrument", "version", "assessment_date", "answers"],
        "properties": {
            "instrument": {"const": instrument.id},
            "version": {"const": instrument.version},
            "assessment_date": date,
            "birth_date": date,
            "answers": {"type": "object", "additionalProperties": False, "properties": properties},
            "notes": {
                "type": "object",
                "additionalProperties": False,
                "properties": {item_id: {"type": "string"} for item_id in properties},
            },
            "judgement": {
                "type": "object",
                "additionalProperties": False,
                "required": ["band"],
                "properties": {"band": {"enum": bands}, "reason": {"type": "string", "minLength": 1}},
            },
            "assessor": {"type": "string"},
            "case": {"type": "string", "description": "a case reference; never a personnummer"},
        },
    }


def _plain(text: Any) -> str:
    if isinstance(text, str):
        return text
    return " / ".join(text.values())


if __name__ == "__main__":  # pragma: no cover - maintenance command
    from pathlib import Path

    target = Path(__file__).with_name("schemas") / "instrument.schema.json"
    target.write_text(json.dumps(generate_instrument_schema(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {target}")
