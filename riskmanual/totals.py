"""The total and band of one plain answers document, in one pass over a compiled instrument.

:func:`quick_total` checks each answer as :func:`riskmanual.quickcheck.quick_values` does,
decides which items apply as :func:`riskmanual.engine.applies_all` does and adds the points as
:func:`riskmanual.engine.total_and_band` does, from tables built once per compiled instrument
(points already signed and rounded). On any doubt it returns None and the caller takes the
full path, which words every error: this module never does.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .engine import _exceeded, _round, evaluate, impute_pools, is_critical, points_of
from .quickcheck import quick_document

__all__ = ["quick_total"]

_LEFT_OUT: Any = object()  # no answer (absent or null)
_UNKNOWN: Any = object()
_NOT_APPLICABLE: Any = object()


def _floor(compiled: Any, item: Any) -> tuple[Any, Any, int] | None:
    """An item's critical rule that sets a band floor: ``(answers, at_least, floor position)``."""
    rule = item["critical"]
    if rule is None or not rule["min_band"]:
        return None
    position = next(i for i, b in enumerate(compiled["bands"]) if b["id"] == rule["min_band"])
    return rule["answers"], rule["at_least"], position


def _plan_item(compiled: Any, item: Any) -> tuple[Any, ...]:
    """One item as :func:`quick_total` reads it (see :class:`_Plan`)."""
    counted = bool(item["scored"] and item["sign"])
    scale = item["scale_sign"]
    floor = _floor(compiled, item)
    kind = item["type"]
    lookup: dict[str, Any] = {}
    if kind in ("boolean", "ordinal", "categorical"):
        for code, points in item["points"].items():  # (value, points in the total or 0.0, floor or -1)
            critical = floor is not None and is_critical(floor[0], floor[1], code)
            lookup[code] = (code, _round(scale * points) if counted else 0.0, floor[2] if critical else -1)
    for word in ("unknown", "not_applicable"):
        lookup.pop(word, None)  # the checks read these words before any code
    if kind != "derived":
        if item["allow_unknown"] and not item["required"]:
            lookup["unknown"] = _UNKNOWN
        if item["allow_not_applicable"] or item["applies_when"] is not None:
            lookup["not_applicable"] = _NOT_APPLICABLE
    bins = [(b["min"], b["below"], _round(scale * b["points"]) if counted else None) for b in item["bins"]]
    number = (item["min"], item["max"], bool(item["integer"])) if kind == "numeric" else None
    return (item["id"], item["index"], item["applies_when"], item["allow_not_applicable"], item["required"],
            kind == "boolean", number, kind == "derived", lookup, bins, counted, floor, item)


class _Plan:
    """What :func:`quick_total` reads, built once per compiled instrument and kept beside its data:
    the item ids, the items without a condition whose answer is a code (``simple``: they depend
    on no other answer), the other items in dependency order and the bands' bounds. ``sound`` is
    false (never after validation) when the order leaves an item out or puts it before an item
    its condition reads: then :func:`quick_total` always doubts."""

    __slots__ = ("sound", "ids", "simple", "rest", "bands", "tables", "pools")

    def __init__(self, compiled: Any) -> None:
        items = compiled["items"]
        planned = [(i, _plan_item(compiled, items[i])) for i in compiled["order"]]
        done: set[int] = set()
        sound = True
        for i in compiled["order"]:
            sound = sound and i not in done and all(j in done for j in _reads(items[i]["applies_when"]))
            done.add(i)
        self.sound = sound and len(done) == len(items)

        def simple(item: Any) -> bool:
            return item["applies_when"] is None and item["type"] in ("boolean", "ordinal", "categorical")

        self.ids = frozenset(item["id"] for item in items)
        self.simple = [(entry[0], i, entry[8], entry[5], items[i]) for i, entry in planned if simple(items[i])]
        self.rest = [entry for i, entry in planned if not simple(items[i])]
        self.bands = [(b["min"], b["below"]) for b in compiled["bands"]]
        self.tables = [item["points"] or None for item in items]  # raw points per code, for prorating
        self.pools = impute_pools(items)  # per item, what a missing answer's mean is taken over


def _plan(compiled: Any) -> _Plan:
    cache = getattr(compiled, "__dict__", None)
    found = cache.get("quick_total_plan") if cache is not None else None
    if found is None:
        found = _Plan(compiled)
        if cache is not None:
            cache["quick_total_plan"] = found
    return found  # type: ignore[no-any-return]


def _reads(condition: Any) -> list[int]:
    if condition is None:
        return []
    if "item" in condition:
        return [condition["index"]]
    return [j for child in condition.get("all", condition.get("any", [])) for j in _reads(child)]


def _imputed(plan: _Plan, items: list[Any], item: Any, usable: list[Any]) -> float:
    """What :func:`riskmanual.engine._impute` gives ``item`` (the same pool, the same mean and
    bounds), from the plan's tables rather than from every answer's points."""
    tables = plan.tables

    def raw(j: int) -> float:
        table = tables[j]
        return table[usable[j]] if table is not None else points_of(items[j], usable[j])  # type: ignore[no-any-return]

    same_domain, same_kind = plan.pools[item["index"]]
    pool = [raw(j) for j in same_domain if usable[j] is not None] or \
        [raw(j) for j in same_kind if usable[j] is not None]
    mean = math.fsum(pool) / len(pool) if pool else 0.0
    low, high = item["range"]
    return min(max(mean, low), high)  # type: ignore[no-any-return]


def quick_total(compiled: Any, doc: Any, today: dt.date) -> tuple[float, str | None] | None:
    """``(total, computed band id or None)`` as the full path gives them, or None when the checks
    might object to ``doc`` (or an answer does not fit which items apply)."""
    plan = _plan(compiled)
    age = quick_document(compiled, doc, today)
    if age is False or not plan.sound:
        return None
    answers = doc.get("answers", {})
    if type(answers) is not dict:
        return None
    if not answers.keys() <= plan.ids:
        return None  # an answer to no item of this instrument
    items = compiled["items"]
    usable: list[Any] = [None] * len(items)
    points: list[float] = []
    unscored: list[Any] = []
    top = -1
    get = answers.get
    append = points.append
    for item_id, i, lookup, boolean, item in plan.simple:
        raw = get(item_id)
        if raw is None:
            if item["required"]:
                return None
            if item["scored"]:
                unscored.append(item)
            continue
        if type(raw) is str:
            entry = lookup.get(raw)
            if entry is None:
                return None
        elif boolean and type(raw) is bool:
            entry = lookup["yes" if raw else "no"]
        else:
            return None
        if type(entry) is tuple:
            usable[i] = entry[0]
            append(entry[1])
            if entry[2] > top:
                top = entry[2]
        elif entry is _UNKNOWN:
            if item["scored"]:
                unscored.append(item)
        # else not_applicable, which such an item allows: it does not apply
    for item_id, i, condition, allow_na, required, boolean, number, derived, lookup, bins, counted, floor, item \
            in plan.rest:
        raw = get(item_id)
        if raw is None:
            entry = _LEFT_OUT
        else:
            kind = type(raw)
            if kind is str:
                entry = lookup.get(raw)
                if entry is None:
                    return None
            elif kind is bool and boolean:
                entry = lookup["yes" if raw else "no"]
            elif (kind is int or kind is float) and number is not None:
                try:
                    value = float(raw)
                except OverflowError:
                    return None
                low, high, integer = number
                if not math.isfinite(value) or (integer and value != int(value)) or not low <= value <= high:
                    return None
                entry = value
            else:
                return None
            if entry is _NOT_APPLICABLE:
                if allow_na or (condition is not None and evaluate(condition, usable, items) is False):
                    continue  # does not apply, as answered
                return None  # applies: cannot be not_applicable
        if condition is not None and evaluate(condition, usable, items) is False:
            if entry is _LEFT_OUT:
                continue
            return None  # answered, but does not apply
        if entry is _LEFT_OUT:
            if required:
                return None
            if not derived or age is None:
                if item["scored"]:
                    unscored.append(item)
                continue
            entry = float(age)
        elif entry is _UNKNOWN:
            if item["scored"]:
                unscored.append(item)
            continue
        if type(entry) is tuple:  # a code: its points and floor are in the table
            usable[i] = entry[0]
            append(entry[1])
            if entry[2] > top:
                top = entry[2]
            continue
        usable[i] = entry  # a number
        for low, below, bin_points in bins:
            if (low is None or entry >= low) and (below is None or entry < below):
                if counted:
                    points.append(bin_points)
                break
        else:
            if counted:
                points.append(0.0)
        if floor is not None and floor[2] > top and is_critical(floor[0], floor[1], entry):
            top = floor[2]
    complete = not unscored or not _exceeded(compiled, unscored)
    if complete and unscored:
        for item in unscored:
            if item["handling"] == "prorate" and item["sign"]:
                append(_round(item["scale_sign"] * _imputed(plan, items, item, usable)))
    total = _round(math.fsum(points))
    if not complete:
        return total, None
    for position, (low, below) in enumerate(plan.bands):
        if (low is None or total >= low) and (below is None or total < below):
            return total, compiled["bands"][max(position, top)]["id"]
    return total, None
