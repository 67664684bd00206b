"""The answers contract: a JSON Schema (draft 2020-12) that accepts what the engine accepts.

:func:`answers_schema` mirrors :func:`riskmanual.answers.check_answers` and
:func:`riskmanual.scoring.score` as far as JSON Schema can say it; ``tests/test_schema_contract.py``
generates answers documents and checks that jsonschema and the engine give the same verdict.

Conditions (``applies_when``) are three-valued in the engine: true, false, or undecided when
an answer they need is missing, unknown, not applicable or belongs to an item that does not
apply; an undecided condition makes its item apply. The schema expresses each condition as
two predicates over the whole document, "surely false" and "surely not false", shared in
``$defs`` so that chains of conditions do not repeat. They are exact complements except
where a condition looks at the derived age, which JSON Schema cannot compute from the two
dates: there the schema neither refuses an answer nor requires one (it accepts what the
engine may refuse, never the other way round).
"""

from __future__ import annotations

from typing import Any

from .instrument import (
    AllOf,
    AnyOf,
    BooleanResponse,
    ChoiceResponse,
    Comparison,
    Condition,
    DerivedResponse,
    Instrument,
    Item,
    NumericResponse,
)
from .answers import MAX_NOTE, NOT_APPLICABLE, UNKNOWN
from .messages import message
from .privacy import schema_pattern
from .text import localize

__all__ = ["NOT_EXPRESSIBLE", "answers_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://riskmanual.example/schemas"

#: A calendar date YYYY-MM-DD that exists (leap years included), years 0001-9999. With
#: minLength/maxLength 10, so that no regex engine lets a trailing newline through.
DATE_PATTERN = (
    r"^(?:(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-"
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)$"
)
#: What riskmanual.privacy refuses as a personnummer, without look-behind (ASCII and fullwidth digits).
PERSONNUMMER_PATTERN = schema_pattern()

#: What JSON Schema cannot express of the engine's checks: the schema accepts what the engine may
#: still refuse (for numbers written as text, the schema is the stricter).
NOT_EXPRESSIBLE = (
    "an assessment date after today (the schema does not know today's date)",
    "a birth date after the assessment date, or one that gives an age above 120 (comparing two fields)",
    "conditions on the derived age item: the schema cannot compute the age from the dates, so for an item "
    "whose condition looks at the age it neither refuses an answer nor requires one",
    "an override in a direction the instrument does not allow, and an override of an incomplete assessment "
    "(both depend on the computed total and the number of missing items)",
    "numbers written as text ('3', '3,5'): the engine reads them for hand-written files, the schema asks for "
    "JSON numbers (it cannot compare text with a minimum and maximum)",
    "a personnummer written with digits other than 0-9 and fullwidth ０-９ in case, assessor, notes or reason (the engine "
    "looks for every kind of digit)",
)

_NULL = {"sv": "inget svar (saknas)", "en": "no answer (missing)"}


def answers_schema(instrument: Instrument) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) that accepts exactly the answers ``instrument`` can score,
    as far as JSON Schema can say it (see :data:`NOT_EXPRESSIBLE`)."""
    return _Builder(instrument).build()


class _Builder:
    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.items = instrument.items_by_id
        self.lang = instrument.languages[0]
        self.defs: dict[str, Any] = {}

    # --- texts --------------------------------------------------------------------

    def labelled(self, text: Any, **schema: Any) -> dict[str, Any]:
        """``schema`` with ``title`` in the first language and ``x-labels`` in every language."""
        labels = {lang: localize(text, lang) for lang in self.instrument.languages}
        return {**schema, "title": labels[self.lang], "x-labels": labels}

    def engine_word(self, key: str, **schema: Any) -> dict[str, Any]:
        return self.labelled({lang: message(key, lang) for lang in self.instrument.languages}, **schema)

    # --- the document ---------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        instrument = self.instrument
        answers = {item.id: self.value(item) for item in instrument.items}
        rules = [rule for item in instrument.items for rule in self.rules(item)]
        text = {"type": ["string", "null"], "not": {"type": "string", "pattern": PERSONNUMMER_PATTERN}}
        schema: dict[str, Any] = {
            "$schema": DRAFT,
            "$id": f"{BASE}/answers/{instrument.id}/{instrument.version}.schema.json",
            "title": f"Answers for {instrument.id} {instrument.version}",
            "description": (
                f"Answers that {instrument.ref} can score. A missing answer may be left out or given as null. "
                "Where JSON Schema cannot say what the engine checks, the schema accepts what the engine may "
                "still refuse (numbers written as text the other way round): " + "; ".join(NOT_EXPRESSIBLE) + "."
            ),
            "x-not-expressible": list(NOT_EXPRESSIBLE),
            "type": "object",
            "additionalProperties": False,
            "required": ["instrument", "version", "assessment_date"],
            "properties": {
                "instrument": {"const": instrument.id},
                "version": {"const": instrument.version},
                "assessment_date": self.date("the day of the assessment; not after today"),
                "birth_date": {**self.date("gives the derived age items their value; not after the assessment date"),
                               "type": ["string", "null"]},
                "answers": {"type": "object", "additionalProperties": False, "properties": answers},
                "notes": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        item.id: {"type": "string", "maxLength": MAX_NOTE, "not": {"type": "string", "pattern": PERSONNUMMER_PATTERN}}
                        for item in instrument.items
                    },
                },
                "judgement": self.judgement(),
                "assessor": {**text, "description": "who made the assessment; never a personnummer"},
                "case": {**text, "description": "a case reference; never a personnummer"},
            },
        }
        if instrument.judgement.final_rating == "assessor":
            schema["required"].append("judgement")
        if rules:
            schema["allOf"] = rules
        defs = {key: value for key, value in sorted(self.defs.items()) if not isinstance(value, bool)}
        if defs:
            schema["$defs"] = defs
        return schema

    @staticmethod
    def date(description: str) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN, "minLength": 10, "maxLength": 10,
                "description": f"YYYY-MM-DD; {description}"}

    def judgement(self) -> dict[str, Any]:
        rules = self.instrument.judgement
        assessor = rules.final_rating == "assessor"
        if not assessor and not rules.override.allowed:
            return {"type": "null", "description": f"{self.instrument.ref} does not allow the assessor to override the band"}
        bands = [self.labelled(band.label, const=band.id) for band in self.instrument.bands]
        needs_reason = assessor or rules.override.reason_required
        reason = {"type": "string" if needs_reason else ["string", "null"], "minLength": 1,
                  "not": {"type": "string", "pattern": PERSONNUMMER_PATTERN}, "description": "why the assessor chose this band"}
        judgement: dict[str, Any] = {
            "type": "object" if assessor else ["object", "null"],
            "additionalProperties": False,
            "required": ["band", "reason"] if needs_reason else ["band"],
            "properties": {"band": {"oneOf": bands}, "reason": reason},
        }
        if assessor:
            judgement["description"] = "the assessor's final rating (required), with a reason"
            return judgement
        direction = rules.override.direction
        judgement["description"] = ("an override of the computed band" + ("" if direction == "both" else f" ({direction} only)")
                                    + "; not for an incomplete assessment")
        return judgement

    # --- one answer -------------------------------------------------------------------

    def value(self, item: Item) -> dict[str, Any]:
        """Every value ``item`` may have, whatever the other answers."""
        response = item.response
        described: dict[str, Any] = self.labelled(item.label)
        if item.question is not None:
            described["description"] = localize(item.question, self.lang)
        if isinstance(response, DerivedResponse):
            return {**described, "type": "null",
                    "description": f"computed by the engine ({response.source}, from birth_date); leave it out"}
        choices: list[dict[str, Any]]
        if isinstance(response, BooleanResponse):
            choices = [self.engine_word("yes", const="yes"), self.engine_word("no", const="no"),
                       {"type": "boolean", "description": "true for yes, false for no"}]
        elif isinstance(response, ChoiceResponse):
            choices = [self.labelled(option.label, const=option.code) for option in response.options]
        else:
            assert isinstance(response, NumericResponse)
            number: dict[str, Any] = {"type": "integer" if response.integer else "number",
                                      "minimum": response.min, "maximum": response.max}
            if response.unit is not None:
                unit = response.unit_text(2)
                number["x-unit"] = {lang: localize(unit, lang) for lang in self.instrument.languages}
            choices = [number]
        if item.allow_unknown and not item.required:
            choices.append(self.engine_word("unknown", const=UNKNOWN))
        if item.allow_not_applicable or item.applies_when is not None:
            choices.append(self.engine_word("not_applicable", const=NOT_APPLICABLE))
        choices.append(self.labelled(_NULL, type="null"))
        return {**described, "oneOf": choices}

    # --- rules between answers ------------------------------------------------------------

    def rules(self, item: Item) -> list[dict[str, Any]]:
        """What depends on other answers: the item's condition, and its being required."""
        if isinstance(item.response, DerivedResponse):
            return []
        out = []
        condition = item.applies_when
        if condition is not None:
            # Condition false: the item does not apply; only no answer or not_applicable.
            out.append({"if": self.surely_false(condition),
                        "then": _answer(item.id, {"enum": [None, NOT_APPLICABLE]}, present=False)})
            if not item.allow_not_applicable:
                # Condition true or undecided: the item applies; not_applicable is refused.
                out.append({"if": self.surely_not_false(condition),
                            "then": _answer(item.id, {"not": {"const": NOT_APPLICABLE}}, present=False)})
        if item.required:
            # A required item that applies has a real answer (not_applicable only where allowed).
            real = _answer(item.id, {"not": {"enum": [None, UNKNOWN]}}, present=True)
            out.append(real if condition is None else {"if": self.surely_not_false(condition), "then": real})
        return out

    def surely_false(self, condition: Condition) -> dict[str, Any]:
        if isinstance(condition, AllOf):
            return _any([self.surely_false(child) for child in condition.all])
        if isinstance(condition, AnyOf):
            return _all([self.surely_false(child) for child in condition.any])
        assert isinstance(condition, Comparison)
        target = self.items[condition.item]
        if isinstance(target.response, DerivedResponse):
            return False  # the schema cannot know the age
        return _all([self.applies(target), _answer(target.id, self.matching(target, condition, False), present=True)])

    def surely_not_false(self, condition: Condition) -> dict[str, Any]:
        if isinstance(condition, AllOf):
            return _all([self.surely_not_false(child) for child in condition.all])
        if isinstance(condition, AnyOf):
            return _any([self.surely_not_false(child) for child in condition.any])
        assert isinstance(condition, Comparison)
        target = self.items[condition.item]
        if isinstance(target.response, DerivedResponse):
            # Undecided without a birth date; otherwise the schema cannot know.
            no_birth_date = {"not": {"required": ["birth_date"], "properties": {"birth_date": {"type": "string"}}}}
            return _any([self.does_not_apply(target), no_birth_date])
        return _any([self.does_not_apply(target),
                     {"not": _answer(target.id, self.matching(target, condition, False), present=True)}])

    def applies(self, item: Item) -> Any:
        """Surely applies: not answered not_applicable where allowed, and its condition surely not false."""
        key = f"applies.{item.id}"
        if key not in self.defs:
            self.defs[key] = True  # placeholder; conditions have no cycles
            parts = []
            if item.allow_not_applicable:
                parts.append({"not": _answer(item.id, {"const": NOT_APPLICABLE}, present=True)})
            if item.applies_when is not None:
                parts.append(self.surely_not_false(item.applies_when))
            self.defs[key] = _all(parts)
        return _ref(key, self.defs[key])

    def does_not_apply(self, item: Item) -> Any:
        key = f"inapplicable.{item.id}"
        if key not in self.defs:
            self.defs[key] = False
            parts = []
            if item.allow_not_applicable:
                parts.append(_answer(item.id, {"const": NOT_APPLICABLE}, present=True))
            if item.applies_when is not None:
                parts.append(self.surely_false(item.applies_when))
            self.defs[key] = _any(parts)
        return _ref(key, self.defs[key])

    def matching(self, item: Item, comparison: Comparison, holds: bool) -> dict[str, Any]:
        """The real answers of ``item`` for which ``comparison`` is ``holds``."""
        from .scoring import _compare  # the engine's own comparison, so the two cannot differ

        response = item.response
        if isinstance(response, (BooleanResponse, ChoiceResponse)):
            codes = [code for code in response.codes if _compare(item, code, comparison) is holds]
            values: list[Any] = list(codes)
            if isinstance(response, BooleanResponse):
                values += [code == "yes" for code in codes]
            return {"enum": values}
        assert isinstance(response, NumericResponse)
        targets = comparison.value if isinstance(comparison.value, list) else [comparison.value]
        target = targets[0]
        op = comparison.op
        true = {
            "in": {"enum": targets}, "=": {"const": target}, "!=": {"not": {"const": target}},
            "<": {"exclusiveMaximum": target}, "<=": {"maximum": target},
            ">": {"exclusiveMinimum": target}, ">=": {"minimum": target},
        }[op]
        return {"type": "number", **(true if holds else {"not": true})}


def _answer(item_id: str, value: dict[str, Any], *, present: bool) -> dict[str, Any]:
    """The document's answer to ``item_id`` matches ``value`` (``present``: and is given)."""
    inner: dict[str, Any] = {"properties": {item_id: value}}
    outer: dict[str, Any] = {"properties": {"answers": inner}}
    if present:
        inner["required"] = [item_id]
        outer["required"] = ["answers"]
    return outer


def _ref(key: str, schema: Any) -> Any:
    return schema if isinstance(schema, bool) else {"$ref": f"#/$defs/{key}"}


def _all(parts: list[Any]) -> Any:
    if any(part is False for part in parts):
        return False
    parts = [part for part in parts if part is not True]
    return True if not parts else parts[0] if len(parts) == 1 else {"allOf": parts}


def _any(parts: list[Any]) -> Any:
    if any(part is True for part in parts):
        return True
    parts = [part for part in parts if part is not False]
    return False if not parts else parts[0] if len(parts) == 1 else {"anyOf": parts}
