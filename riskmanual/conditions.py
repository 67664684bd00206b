"""Conditions, bins and critical rules in words, in Swedish or English.

``describe(condition, instrument, lang)`` reads an item's ``applies_when`` the way a
social worker says it: *Koppling till kriminellt nätverk* är I utkanten, Aktiv eller Håller
på att lämna — with labels, never ids, Python lists or ``x``. ``bin_range`` says what a bin
covers (``1–2 anmälningar``, ``3 eller fler anmälningar``) and ``critical_words`` what makes
an answer critical and what follows. Pure functions without I/O, shared by the manual, the
result and the explanation.
"""

from __future__ import annotations

import math
from typing import Any, Optional

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
from .messages import message
from .numbers import number, quantity, unit_word
from .text import localize

__all__ = ["answer_label", "bin_range", "critical_words", "describe", "either", "every"]


def every(words: list[str], lang: str) -> str:
    """``a, b och c`` / ``a, b and c``."""
    return _join(words, message("cond.and", lang))


def either(words: list[str], lang: str) -> str:
    """``a, b eller c`` / ``a, b or c``."""
    return _join(words, message("cond.or", lang))


def _join(words: list[str], last: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def answer_label(item: Item, code: Any, lang: str) -> str:
    """The label of an answer code (``high`` -> ``Hög``); booleans are ja/nej, yes/no."""
    response = item.response
    if isinstance(response, BooleanResponse):
        code = "yes" if code is True else "no" if code is False else code
        if code in ("yes", "no"):
            return message(code, lang)
    if isinstance(response, ChoiceResponse):
        for option in response.options:
            if option.code == code:
                return localize(option.label, lang)
    return str(code)


def _unit(item: Item) -> Any:
    response = item.response
    if isinstance(response, NumericResponse):
        return response.unit
    if isinstance(response, DerivedResponse) and response.source == "age":
        return {"singular": {"sv": "år", "en": "year"}, "plural": {"sv": "år", "en": "years"}}
    return None


def _amount(item: Item, value: Any, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return quantity(value, _unit(item), lang)


def describe(condition: Condition, instrument: Instrument, lang: str, emphasis: str = "*") -> str:
    """``condition`` in words: item labels (between ``emphasis`` marks) and answer labels."""
    if isinstance(condition, AllOf):
        return every([_part(c, instrument, lang, emphasis) for c in condition.all], lang)
    if isinstance(condition, AnyOf):
        return either([_part(c, instrument, lang, emphasis) for c in condition.any], lang)
    return _comparison(condition, instrument, lang, emphasis)


def _part(condition: Condition, instrument: Instrument, lang: str, emphasis: str) -> str:
    text = describe(condition, instrument, lang, emphasis)
    return f"({text})" if isinstance(condition, (AllOf, AnyOf)) and len(_children(condition)) > 1 else text


def _children(condition: Condition) -> list[Any]:
    return condition.all if isinstance(condition, AllOf) else condition.any if isinstance(condition, AnyOf) else []


def _comparison(comparison: Comparison, instrument: Instrument, lang: str, emphasis: str) -> str:
    item = instrument.items_by_id.get(comparison.item)
    if item is None:  # validation refuses this; say what is there rather than fail
        return f"{emphasis}{comparison.item}{emphasis} {comparison.op} {comparison.value}"
    label = f"{emphasis}{localize(item.label, lang)}{emphasis}"
    values = comparison.value if isinstance(comparison.value, list) else [comparison.value]
    numeric = isinstance(item.response, (NumericResponse, DerivedResponse))
    if numeric:
        words = [_amount(item, v, lang) for v in values]
    else:
        words = [answer_label(item, v, lang) for v in values]
    op = comparison.op
    if op == "in":
        return message("cond.is", lang, item=label, value=either(words, lang))
    if op == "=":
        return message("cond.is", lang, item=label, value=words[0])
    if op == "!=":
        return message("cond.is_not", lang, item=label, value=words[0])
    if isinstance(item.response, NumericResponse) and item.response.integer and _is_whole(values[0]):
        # whole counts read better as "at least 1 report" than "over 0 reports"
        if op == ">":
            op, words = ">=", [_amount(item, values[0] + 1, lang)]
        elif op == "<" and values[0] - 1 >= item.response.min:
            op, words = "<=", [_amount(item, values[0] - 1, lang)]
    key = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}[op]
    return message(f"cond.{'num' if numeric else 'ord'}.{key}", lang, item=label, value=words[0])


def _is_whole(value: Optional[float]) -> bool:
    return value is not None and math.isfinite(value) and float(value).is_integer()


def bin_range(item: Item, bin_: Any, lang: str) -> str:
    """What a bin covers, with the item's unit: ``1–2 anmälningar``, ``3 eller fler
    anmälningar``, ``högst 14 år``; ``från 1,5 till under 3`` for decimals."""
    response = item.response
    unit = _unit(item)
    whole = isinstance(response, DerivedResponse) or (isinstance(response, NumericResponse) and response.integer)
    lo, below = bin_.min, bin_.below
    if lo is None and isinstance(response, NumericResponse) and not _is_years(unit):
        lo = response.min
    if whole and (lo is None or _is_whole(lo)) and (below is None or _is_whole(below)):
        hi = None if below is None else below - 1
        if isinstance(response, NumericResponse) and hi is not None:
            hi = min(hi, response.max)
        if lo is not None and math.isfinite(lo):
            lo = math.ceil(lo)
        age = isinstance(response, DerivedResponse) or _is_years(unit)
        if lo is None and hi is not None:
            if age:
                return _m("bin.under", lang, value=number(below, lang), unit=_word(unit, 2, lang))
            return _m("bin.at_most", lang, value=number(hi, lang), unit=_word(unit, hi, lang))
        if hi is None:
            if age:
                return _m("bin.age_or_more", lang, value=number(lo, lang))
            return _m("bin.or_more", lang, value=number(lo, lang), unit=_word(unit, 2, lang))
        if lo == hi:
            return quantity(lo, unit, lang)
        if lo > hi:  # an empty bin: validation refuses it
            return _m("bin.from_below", lang, min=number(bin_.min or 0, lang), below=number(below, lang),
                           unit=_word(unit, 2, lang))
        return (number(lo, lang) + "\u2013" + number(hi, lang) + (f" {_word(unit, hi, lang)}" if unit else "")).rstrip()
    if lo is None:
        return _m("bin.under", lang, value=number(below, lang), unit=_word(unit, 2, lang))
    if below is None:
        return _m("bin.from", lang, value=number(lo, lang), unit=_word(unit, 2, lang))
    return _m("bin.from_below", lang, min=number(lo, lang), below=number(below, lang), unit=_word(unit, 2, lang))


def _is_years(unit: Any) -> bool:
    """A unit of years reads as an age: ``under 13 år``, ``15 år eller äldre``."""
    return unit is not None and unit_word(unit, 2, "en").strip().lower() in ("years", "year", "år")


def _m(key: str, lang: str, **values: Any) -> str:
    """An engine phrase with an empty unit left out cleanly."""
    return " ".join(message(key, lang, **values).split())


def _word(unit: Any, n: float, lang: str) -> str:
    return unit_word(unit, n, lang) if unit else ""


def critical_words(item: Item, instrument: Instrument, lang: str) -> str:
    """What makes an answer to ``item`` critical and what follows, or ``""`` when nothing does:
    ``Kritiskt svar: Ja. Följd: bedömarens granskning krävs; nivån blir minst Hög.``"""
    rule = item.critical_rule
    if rule is None:
        return ""
    if rule.answers is not None:
        which = either([answer_label(item, code, lang) for code in rule.answers], lang)
        text = message("crit.answers" if len(rule.answers) > 1 else "crit.answer", lang, answers=which)
    elif rule.at_least is not None:
        text = message("crit.at_least", lang, value=_amount(item, rule.at_least, lang))
    else:
        text = message("crit.any", lang)
    effects = []
    if rule.review:
        effects.append(message("crit.review", lang))
    floor = instrument.band(rule.min_band) if rule.min_band else None
    if floor is not None:
        effects.append(message("crit.min_band", lang, band=localize(floor.label, lang)))
    if effects:
        text += " " + message("crit.effect", lang, effects="; ".join(effects))
    if rule.reason:
        reason = localize(rule.reason, lang).strip()
        text += " " + message("crit.reason", lang, reason=reason.rstrip(".") + ".")
    return text.strip()
