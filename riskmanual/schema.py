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

from .instrument import Instrument

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
    """A JSON Schema (draft 2020-12) that accepts what the engine accepts for ``instrument``
    (as far as JSON Schema can say it; :data:`riskmanual.schema_contract.NOT_EXPRESSIBLE` lists the rest)."""
    from .schema_contract import answers_schema as build

    return build(instrument)


if __name__ == "__main__":  # pragma: no cover - maintenance command
    from pathlib import Path

    target = Path(__file__).with_name("schemas") / "instrument.schema.json"
    target.write_text(json.dumps(generate_instrument_schema(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {target}")
