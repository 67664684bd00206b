"""The interpreter of a :class:`~riskmanual.compiled.CompiledInstrument`: one assessment in one pass.

Given checked answer values (option codes, floats, ``unknown``, ``not_applicable``; see
:func:`riskmanual.answers.check_answers`) it decides which items apply (three-valued
conditions, in dependency order), lists the answers that cannot stand, and gives each answer's
points, the total and the band; :mod:`riskmanual.assemble` builds the full result from the
same facts. It imports neither pydantic nor yaml, so the command line's warm-cache path can use
it as it is.
"""

from __future__ import annotations

import math
from typing import Any

from .messages import tr

__all__ = ["Facts", "applies_all", "band_index", "check_applicability", "evaluate", "is_critical", "points_of",
           "total_and_band"]

UNKNOWN = "unknown"
NOT_APPLICABLE = "not_applicable"
#: Marks a problem whose value must not be shown (the same object as :data:`riskmanual.answers.NO_VALUE`
#: when that module is loaded; compared by identity only in :func:`riskmanual.answers.issues_from`).
NO_VALUE: Any = object()

Out = dict[str, Any]
_ROUND = 9


_ROUNDED: dict[float, float] = {}


def _round(value: float) -> float:
    """``value`` rounded to 9 decimals (never -0.0); remembered, as ``round`` is slow and the same
    few values recur in every scoring of an instrument."""
    found = _ROUNDED.get(value)
    if found is None:
        if len(_ROUNDED) > 100_000:
            _ROUNDED.clear()
        found = _ROUNDED[value] = round(value, _ROUND) + 0.0
    return found


class Facts:
    """Which items apply and their usable values (None: does not apply, missing or unknown)."""

    __slots__ = ("applies", "usable", "undecided")

    def __init__(self, applies: list[bool], usable: list[Any], undecided: list[bool]) -> None:
        self.applies = applies
        self.usable = usable
        self.undecided = undecided  # applies only because its condition cannot be decided


def evaluate(condition: Any, usable: list[Any], items: list[Out]) -> bool | None:
    """Three-valued: True, False, or None when an answer it needs is not available."""
    if "item" in condition:
        value = usable[condition["index"]]
        if value is None:
            return None
        op, targets = condition["op"], condition["values"]
        if op == "in":
            return value in targets
        if op == "=":
            return bool(value == targets[0])
        if op == "!=":
            return bool(value != targets[0])
        left = items[condition["index"]]["codes"].index(str(value)) if condition["rank"] else float(value)
        right = targets[0]
        if op == "<":
            return left < right
        if op == "<=":
            return left <= right
        if op == ">":
            return left > right
        return left >= right
    if "all" in condition:
        results = [evaluate(child, usable, items) for child in condition["all"]]
        return False if False in results else (None if None in results else True)
    results = [evaluate(child, usable, items) for child in condition["any"]]
    return True if True in results else (None if None in results else False)


def applies_all(compiled: Out, values: dict[str, Any], age: int | None) -> Facts:
    """Which items apply (``False`` only where a condition is known to be false) and their values."""
    items = compiled["items"]
    n = len(items)
    applies = [True] * n
    usable: list[Any] = [None] * n
    undecided = [False] * n
    for i, item_id, condition, allow_not_applicable, derived in _in_order(compiled):
        value = values.get(item_id)
        if value == NOT_APPLICABLE and allow_not_applicable:
            applies[i] = False
            continue
        if condition is not None:
            verdict = evaluate(condition, usable, items)
            if verdict is False:
                applies[i] = False
                continue
            undecided[i] = verdict is None
        if derived:
            usable[i] = float(age) if age is not None else None
        elif value is not None and value != UNKNOWN and value != NOT_APPLICABLE:
            usable[i] = value
    return Facts(applies, usable, undecided)


def _in_order(compiled: Out) -> list[tuple[int, str, Any, bool, bool]]:
    """The items in dependency order, as :func:`applies_all` reads them (built once per compiled instrument)."""
    cache = getattr(compiled, "__dict__", None)
    found = cache.get("applies_order") if cache is not None else None
    if found is None:
        items = compiled["items"]
        found = [(i, items[i]["id"], items[i]["applies_when"], items[i]["allow_not_applicable"],
                  items[i]["type"] == "derived") for i in compiled["order"]]
        if cache is not None:
            cache["applies_order"] = found
    return found  # type: ignore[no-any-return]


_ABSENT: Any = object()


def _applicable_as_answered(compiled: Out, values: dict[str, Any], facts: Facts) -> bool:
    """Whether :func:`check_applicability` finds nothing, looking only at the conditional and the
    required items (most assessments: it then need not go through every answer in order)."""
    cache = getattr(compiled, "__dict__", None)
    found = cache.get("applicability_items") if cache is not None else None
    if found is None:
        items = compiled["items"]
        found = ([(i["id"], i["index"], i["allow_not_applicable"]) for i in items if i["applies_when"] is not None],
                 [(i["id"], i["index"]) for i in items if i["required"]])
        if cache is not None:
            cache["applicability_items"] = found
    conditional, required = found
    applies = facts.applies
    for item_id, index, allow_not_applicable in conditional:
        value = values.get(item_id, _ABSENT)
        if value is _ABSENT:
            continue
        if value == NOT_APPLICABLE:
            if not allow_not_applicable and applies[index]:
                return False
        elif not applies[index]:
            return False
    return all(item_id in values or not applies[index] for item_id, index in required)


def check_applicability(compiled: Out, values: dict[str, Any], facts: Facts) -> list[tuple[tuple[Any, ...], Any, Any]]:
    """Answers to items that do not apply, not_applicable where an item applies, required items
    left out: ``(path, message, value)`` in the order the scorer has always listed them."""
    if _applicable_as_answered(compiled, values, facts):
        return []
    by_id = compiled.items_by_id if hasattr(compiled, "items_by_id") else {i["id"]: i for i in compiled["items"]}
    problems: list[tuple[tuple[Any, ...], Any, Any]] = []
    for item_id, value in values.items():
        item = by_id[item_id]
        if item["applies_when"] is None or value == NOT_APPLICABLE:
            continue
        if not facts.applies[item["index"]]:
            problems.append((("answers", item_id), tr("item '{item}' does not apply here (its condition is "
                                                      "false): leave it out or answer not_applicable", item=item_id),
                             value))
    for item_id, value in values.items():
        item = by_id[item_id]
        if value != NOT_APPLICABLE or item["applies_when"] is None or item["allow_not_applicable"]:
            continue  # answers.check_answers judged it
        if facts.applies[item["index"]]:
            problems.append((("answers", item_id), tr("item '{item}' applies here (its condition holds or "
                                                      "cannot be decided): it cannot be not_applicable", item=item_id),
                             value))
    for item in compiled["items"]:
        if item["required"] and item["id"] not in values and facts.applies[item["index"]]:
            problems.append((("answers", item["id"]), tr("item '{item}' is required and applies here: answer it "
                                                         "(it is never estimated)", item=item["id"]), NO_VALUE))
    return problems


# --- points and bands ----------------------------------------------------------------


def points_of(item: Out, value: Any) -> float:
    """Raw points of an answer (before the scale sign)."""
    table = item["points"]
    if table:
        return table[value]  # type: ignore[no-any-return]
    number = float(value)
    for b in item["bins"]:
        if (b["min"] is None or number >= b["min"]) and (b["below"] is None or number < b["below"]):
            return b["points"]  # type: ignore[no-any-return]
    return 0.0


def is_critical(answers: list[str] | None, at_least: float | None, value: Any) -> bool:
    """Whether an answer is one a critical rule (its ``answers``, its ``at_least``) names."""
    if answers is not None and str(value) in answers:
        return True
    return at_least is not None and isinstance(value, float) and value >= at_least


def band_index(compiled: Out, total: float) -> int | None:
    """Position of the first band that contains ``total``."""
    for i, b in enumerate(compiled["bands"]):
        if (b["min"] is None or total >= b["min"]) and (b["below"] is None or total < b["below"]):
            return i
    return None


def _band_position(compiled: Out, band_id: str) -> int:
    positions = getattr(compiled, "band_positions", None)
    if positions is not None:
        return positions[band_id]  # type: ignore[no-any-return]
    return next(i for i, b in enumerate(compiled["bands"]) if b["id"] == band_id)


def _lift(compiled: Out, band: int | None, floors: list[str]) -> int | None:
    if band is None or not floors:
        return band
    top = max(_band_position(compiled, f) for f in floors)
    return top if top > band else band


def _total_plan(compiled: Out) -> list[tuple[Any, ...]]:
    """Per item what the total needs, as a tuple (built once per compiled instrument)."""
    cache = getattr(compiled, "__dict__", None)
    found = cache.get("total_plan") if cache is not None else None
    if found is None:
        found = []
        for item in compiled["items"]:
            rule = item["critical"]
            floor = (rule["answers"], rule["at_least"], rule["min_band"]) if rule is not None and rule["min_band"] else None
            bins = [(b["min"], b["below"], b["points"]) for b in item["bins"]]
            found.append((item["index"], item["scored"], item["sign"], item["scale_sign"], item["points"], bins, floor,
                          item))
        if cache is not None:
            cache["total_plan"] = found
    return found  # type: ignore[no-any-return]


def total_and_band(compiled: Out, facts: Facts) -> tuple[float, str | None]:
    """The total and the computed band id (lifted by critical answers; None when incomplete),
    with every rule :func:`result_dict` applies to those two."""
    applies, usable = facts.applies, facts.usable
    raw: dict[int, float] = {}
    unscored: list[Out] = []
    points: list[float] = []
    floors: list[str] = []
    for i, scored, sign, scale, table, bins, floor, item in _total_plan(compiled):
        if not applies[i]:
            continue
        value = usable[i]
        if value is None:
            if scored:
                unscored.append(item)
            continue
        if table:
            p = table[value]
        else:
            p = 0.0
            for low, below, bin_points in bins:
                if (low is None or value >= low) and (below is None or value < below):
                    p = bin_points
                    break
        raw[i] = p
        if scored and sign:
            points.append(_round(scale * p))
        if floor is not None and is_critical(floor[0], floor[1], value):
            floors.append(floor[2])
    complete = not _exceeded(compiled, unscored) if unscored else True
    if complete:
        items = compiled["items"]
        for item in unscored:
            if item["handling"] == "prorate" and item["sign"]:
                points.append(_round(item["scale_sign"] * _impute(items, item, raw)))
    total = _round(math.fsum(points))
    if not complete:
        return total, None
    band = _lift(compiled, band_index(compiled, total), floors)
    return total, compiled["bands"][band]["id"] if band is not None else None


def _exceeded(compiled: Out, unscored: list[Out]) -> list[str]:
    exceeded = []
    limit = compiled["missing"]["max_missing"]
    if limit is not None and len(unscored) > limit:
        exceeded.append(compiled["id"])
    if not unscored:
        return exceeded
    counts: dict[str, int] = {}
    for item in unscored:
        for domain_id in item["chain"]:
            counts[domain_id] = counts.get(domain_id, 0) + 1
    for domain_id, domain_limit in compiled["limits"]:
        if counts.get(domain_id, 0) > domain_limit:
            exceeded.append(domain_id)
    return exceeded


def impute_pools(items: list[Out]) -> list[tuple[list[int], list[int]]]:
    """Per item the positions of the items its estimate may be made from: those of its domain
    and kind, and those of its kind (see :func:`_impute`)."""
    groups: dict[Any, list[int]] = {}
    for j, item in enumerate(items):
        groups.setdefault((item["domain"], item["kind"]), []).append(j)
        groups.setdefault(item["kind"], []).append(j)
    return [(groups[item["domain"], item["kind"]], groups[item["kind"]]) for item in items]


def _impute(items: list[Out], item: Out, raw: dict[int, float],
            pools: list[tuple[list[int], list[int]]] | None = None) -> float:
    """Mean points of answered items of the same domain and kind, kept within the item's range
    (``pools``, :func:`impute_pools` of ``items``, only saves looking through them all)."""
    if pools is not None:
        same_domain, same_kind = pools[item["index"]]
        pool = [raw[j] for j in same_domain if j in raw] or [raw[j] for j in same_kind if j in raw]
    else:
        pool = [p for i, p in raw.items() if items[i]["domain"] == item["domain"] and items[i]["kind"] == item["kind"]] \
            or [p for i, p in raw.items() if items[i]["kind"] == item["kind"]]
    mean = math.fsum(pool) / len(pool) if pool else 0.0
    low, high = item["range"]
    return min(max(mean, low), high)  # type: ignore[no-any-return]
