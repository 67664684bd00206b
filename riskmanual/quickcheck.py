"""A quick yes-or-don't-know check of an answers document against a compiled instrument.

:func:`quick_values` accepts only a plain document (``dict``, ``str``, numbers, as JSON gives
them) that the full checks (:class:`riskmanual.answers.Answers` and
:func:`riskmanual.answers.check_answers`) would accept too, and then returns the same
normalised values. On any doubt it returns None and the caller takes the full path, which
reports every problem, located: this module never words an error. It imports neither
pydantic nor yaml, so the command line's warm-cache path can use it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .privacy import looks_like_personnummer
from .text import has_control

__all__ = ["quick_document", "quick_values"]

_KEYS = frozenset(("instrument", "version", "assessment_date", "birth_date", "answers", "notes", "judgement",
                   "assessor", "case"))
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Any decimal digit (``str`` patterns match every Unicode one, as privacy's folding reads them).
_DIGIT = re.compile(r"\d")
#: As :data:`riskmanual.answers.MAX_NOTE` (tests/test_compiled_differential.py holds them equal).
MAX_NOTE = 5_000


def _date(value: Any) -> dt.date | None:
    if type(value) is not str or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _clean(text: Any) -> bool:
    """A free text the checks would let through (``None`` or a plain, harmless string)."""
    if text is None:
        return True
    if type(text) is not str or has_control(text):
        return False
    # a personnummer has at least ten digits: fewer, and the (slower) look for one is not needed
    return len(_DIGIT.findall(text)) < 10 or not looks_like_personnummer(text)


def _clean_all(texts: list[str]) -> bool:
    """Whether every text is clean, as :func:`_clean` judges them: one look at them all joined by
    spaces (which :func:`~riskmanual.text.has_control` allows) when fewer than ten digits are in
    them all, so that no personnummer can be; one by one otherwise."""
    joined = " ".join(texts)
    if has_control(joined):
        return False
    return len(_DIGIT.findall(joined)) < 10 or all(_clean(text) for text in texts)


def quick_document(compiled: Any, doc: Any, today: dt.date) -> int | None | bool:
    """Everything but the answers, as :func:`quick_values` checks it: the age (None when no birth
    date is given), or False when the full checks might object."""
    if type(doc) is not dict or not doc.keys() <= _KEYS:
        return False
    if doc.get("instrument") != compiled["id"] or doc.get("version") != compiled["version"] \
            or type(doc["instrument"]) is not str or type(doc["version"]) is not str:
        return False
    assessed = _date(doc.get("assessment_date"))
    if assessed is None or assessed > today:
        return False
    age = None
    if doc.get("birth_date") is not None:
        born = _date(doc["birth_date"])
        if born is None or born > assessed:
            return False
        age = assessed.year - born.year - ((assessed.month, assessed.day) < (born.month, born.day))
        if age > 120:
            return False
    texts = []  # the free texts, for one look at them all
    for text in (doc.get("assessor"), doc.get("case")):
        if text is not None:
            if type(text) is not str:
                return False
            texts.append(text)
    by_id = compiled.items_by_id
    notes = doc.get("notes", {})
    if type(notes) is not dict:
        return False
    for key, note in notes.items():
        if key not in by_id or type(note) is not str or len(note) > MAX_NOTE:
            return False
        texts.append(note)
    judgement = doc.get("judgement")
    if judgement is not None:
        if type(judgement) is not dict or "band" not in judgement or not judgement.keys() <= {"band", "reason"}:
            return False
        band, reason = judgement["band"], judgement.get("reason")
        if type(band) is not str or all(b["id"] != band for b in compiled["bands"]):
            return False
        if reason is not None:
            if type(reason) is not str or not reason:
                return False
            texts.append(reason)
    if texts and not _clean_all(texts):
        return False
    return age


def quick_values(compiled: Any, doc: Any, today: dt.date) -> tuple[dict[str, Any], int | None] | None:
    """``(values, age)`` as the full checks would give them, or None when they might object."""
    age = quick_document(compiled, doc, today)
    if age is False:
        return None
    answers = doc.get("answers", {})
    if type(answers) is not dict:
        return None
    accepted = _accepted(compiled)
    values: dict[str, Any] = {}
    for item_id, raw in answers.items():
        found = accepted.get(item_id)
        if found is None:
            return None
        if raw is None:
            continue
        codes, item = found
        kind = type(raw)
        if kind is str or kind is bool:
            code = codes.get(raw)
            if code is None:
                return None
            values[item_id] = code
            continue
        if item is None or (kind is not int and kind is not float):  # a number only for a number item
            return None
        try:
            number = float(raw)
        except OverflowError:
            return None
        if not math.isfinite(number) or (item["integer"] and number != int(number)) \
                or not item["min"] <= number <= item["max"]:
            return None
        values[item_id] = number
    return values, age


def _accepted(compiled: Any) -> dict[str, tuple[dict[Any, str], Any]]:
    """Per item id the strings and booleans the checks accept as its answer, each with the code it
    stands for (``unknown`` and ``not_applicable`` where the item allows them), and the item when it
    takes a number (else None). Built once per compiled instrument."""
    cache = getattr(compiled, "__dict__", {})
    found = cache.get("quick_accepted")
    if found is not None:
        return found  # type: ignore[no-any-return]
    accepted = {}
    for item in compiled["items"]:
        kind = item["type"]
        codes: dict[Any, str] = {}
        if kind == "boolean":
            codes = {"yes": "yes", "no": "no", True: "yes", False: "no"}
        elif kind in ("ordinal", "categorical"):
            codes = {code: code for code in item["points"]}
        if kind != "derived":  # a derived item is never answered
            for special, allowed in (("unknown", not item["required"] and item["allow_unknown"]),
                                     ("not_applicable", item["allow_not_applicable"] or item["applies_when"] is not None)):
                if allowed:
                    codes[special] = special
                else:
                    codes.pop(special, None)
        accepted[item["id"]] = (codes, item if kind not in ("boolean", "ordinal", "categorical", "derived") else None)
    cache["quick_accepted"] = accepted
    return accepted
