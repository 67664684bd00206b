"""Starting answers carried from an earlier assessment with another instrument (a screening into
the full assessment): declared mappings first, then items with the same id whose answer fits.
Pure: the assessor still goes through every item."""

from __future__ import annotations

from typing import Any

from ..answers import NOT_APPLICABLE, UNKNOWN
from ..instrument import BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, Item, NumericResponse

__all__ = ["carried_answers"]


def _fits(item: Item, value: Any) -> bool:
    response = item.response
    if value in (UNKNOWN, NOT_APPLICABLE, None):
        return False
    if isinstance(response, BooleanResponse):
        return value in ("yes", "no")
    if isinstance(response, ChoiceResponse):
        return value in response.codes
    if isinstance(response, NumericResponse):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and response.min <= value <= response.max \
            and (not response.integer or float(value).is_integer())
    return False


def carried_answers(instrument: Instrument, source_id: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers of ``instrument`` that an assessment with ``source_id`` gives (only values that fit)."""
    items = instrument.items_by_id
    out: dict[str, Any] = {}
    for rule in instrument.carry_over or []:
        if rule.from_instrument != source_id:
            continue
        for target, source in rule.items.items():
            name = source if isinstance(source, str) else source.item
            if target not in items or name not in answers:
                continue
            value = answers[name]
            if not isinstance(source, str) and source.answers is not None:
                value = source.answers.get(str(value))
            if _fits(items[target], value):
                out[target] = int(value) if isinstance(value, float) and value.is_integer() else value
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is not None and item_id not in out and not isinstance(item.response, DerivedResponse) \
                and _fits(item, value):
            out[item_id] = value
    return out
