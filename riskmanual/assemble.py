"""The full result of one assessment as plain dicts, in the exact shape of
:class:`riskmanual.result.Result`, built from what :mod:`riskmanual.engine` decided.

Per item and answer it gives the contribution (label, points, critical; from
:mod:`riskmanual.parts`), then the sections (:mod:`riskmanual.sections`): domains, the missing
rule, critical answers, the assessor's judgement, the target group, robustness, probability and
needs. It imports neither pydantic nor yaml (the command line's warm-cache path uses it as it
is); :func:`riskmanual.scoring.score` validates its dicts into a ``Result``.
"""

from __future__ import annotations

import math
from typing import Any

from .engine import UNKNOWN, Facts, Out, _band_position, _impute, _lift, _round, band_index
from .messages import message
from .parts import band_ref, parts_for
from . import sections
from .text import localize

__all__ = ["result_dict"]


def result_dict(compiled: Out, values: dict[str, Any], age: int | None, facts: Facts, *, lang: str,
                assessment_date: str, notes: dict[str, str], judgement: tuple[str, str | None] | None,
                words: Any = None, make: Any = None) -> tuple[Out | None, list[tuple[tuple[Any, ...], Any, Any]]]:
    """The result as plain dicts in :class:`~riskmanual.result.Result`'s field order, or None and
    the problems with the assessor's judgement. ``judgement`` is ``(band, reason)``; ``words``
    gives a critical item's rule in words for a language not compiled in (``words(item_id, lang)``);
    ``make``, when given, maps ``contribution``, ``domain``, ``ref`` and ``need`` to what builds the result's
    objects from their dicts (remembered and reused, so they must not change)."""
    items = compiled["items"]
    local = parts_for(compiled, lang)
    labels = local.labels
    applies, usable = facts.applies, facts.usable
    missing: list[Out] = []
    unknown: list[Out] = []
    not_applicable: list[Out] = []
    unscored: list[Out] = []
    raw: dict[int, float] = {}
    low = high = 0.0

    ref = local.ref
    signed: list[float] = []  # the points that count in the total
    #: contributions, answers and their cache entries (None for estimates), to be sorted by -|points| and position
    ranked: list[tuple[float, int, Out, Any, Any]] = []
    answered: list[tuple[Out, Any, Any]] = []  # information items' contributions, answers and cache entries
    known = local.answers.get
    skipped: list[int] = []  # the items that do not apply
    for i, sign, item_low, item_high, scored, item in local.rows:
        if not applies[i]:
            skipped.append(i)
            not_applicable.append(ref(i, make))
            continue
        if sign:
            low, high = low + item_low, high + item_high
        value = usable[i]
        if value is None:
            if scored:
                (unknown if values.get(item["id"]) == UNKNOWN else missing).append(ref(i, make))
                unscored.append(item)
            continue
        entry = known((i, value, type(value))) or local.contribution(item, value)
        contribution = entry[0]
        raw[i] = entry[1]
        if scored:
            points = contribution["points"]
            ranked.append((-abs(points), i, contribution, value, entry))
            if sign:
                signed.append(points)
        else:
            answered.append((contribution, value, entry))

    report, complete = sections.missing_report(compiled, local, unscored, lang, make)
    if complete:
        for item in unscored:
            if item["handling"] == "prorate":
                imputed = _round(item["scale_sign"] * _impute(items, item, raw, local.pools))
                ranked.append((-abs(imputed), item["index"], {
                    "item": item["id"], "label": labels[item["index"]], "domain": item["domain"],
                    "kind": item["kind"], "stability": item["stability"], "response": None,
                    "response_label": message("imputed_unknown" if values.get(item["id"]) == UNKNOWN else "imputed",
                                              lang),
                    "points": imputed, "imputed": True, "critical": False, "note": None,
                }, None, None))
                if item["sign"]:
                    signed.append(imputed)

    by_id = compiled.items_by_id if hasattr(compiled, "items_by_id") else {i["id"]: i for i in items}
    ranked.sort()  # by -|points|, then position (unique: the dicts behind are never compared)
    contributions = [entry[2] for entry in ranked]  # the shared templates, to decide with
    information = [entry[0] for entry in answered]
    total = _round(math.fsum(signed))
    protective_total = None
    if compiled["protective"] == "separate":
        protective_total = _round(math.fsum(c["points"] for c in contributions if c["kind"] == "protective"))

    score_band = band_index(compiled, total) if complete else None
    critical = sections.critical_answers(compiled, by_id, contributions + information, score_band, lang, words)
    band = _lift(compiled, score_band, [c["min_band"]["id"] for c in critical if c["min_band"]]) if complete else None
    band_entry = band_ref(compiled, band, lang)
    chosen, problems = sections.judgement(compiled, judgement, band, lang)
    if problems:
        return None, problems
    final = (chosen["band"] if chosen else band_entry) if complete else None
    final_band = compiled["bands"][_band_position(compiled, final["id"])] if final else None
    policy = final_band["needs"] if final_band is not None else "consider"
    recommendation = (localize(final_band["recommendation"], lang) or None) if final_band is not None else None
    emit = local.emit
    note = notes.get if notes else _no_note
    contribution_model = make["contribution"] if make is not None else None
    if make is None:
        shown = [emit(c, value, note(c["item"]), None, None) for _, _, c, value, _ in ranked]
    else:  # most are made already: look them up here rather than call emit for each
        shown = []
        for _, _, c, value, entry in ranked:
            given = note(c["item"])
            found = entry[2] if given is None and entry is not None else None  # never set for 0.0 and -0.0
            shown.append(found if found is not None else emit(c, value, given, contribution_model, entry))
    share = local.share
    robust = sections.robustness(compiled, local, facts, total, ranked, unscored, critical, age, lang, make)
    target = sections.target_group(compiled, local, final_band, facts, age, lang, make)
    score_band_ref = band_ref(compiled, score_band, lang)
    return {
        "instrument": share("instrument", None, {"id": compiled["id"], "version": compiled["version"],
                                                 "sha256": compiled["sha256"], "title": local.title}, make),
        "engine_version": compiled["engine_version"],
        "lang": lang,
        "assessment_date": assessment_date,
        "age": age,
        "status": "complete" if complete else "incomplete",
        "total": total,
        "minimum": _round(low),
        "maximum": _round(high),
        "protective_total": protective_total,
        "band": share("band", band_entry["id"], band_entry, make) if band_entry is not None else None,
        "score_band": share("band", score_band_ref["id"], score_band_ref, make) if score_band_ref is not None else None,
        "recommendation": recommendation,
        "needs_policy": policy,
        "review_required": any(c["review"] for c in critical),
        "critical": [share("critical", (c["item"], c["response_label"], c["review"], c["min_band"] and c["min_band"]["id"],
                                        c["raised"], c["rule"], c["reason"]), c, make) for c in critical],
        "robustness": robust,
        "final_band": share("band", final["id"], final, make) if final is not None else None,
        "judgement": chosen,
        "target_group": target,
        "probability": sections.probability(compiled, total, lang) if complete else None,
        "domains": sections.domains(compiled, local, skipped, ranked, make),
        "contributions": shown,
        "protective_factors": [shown[n] for n, c in enumerate(contributions)
                               if c["kind"] == "protective" and c["points"] != 0 and not c["imputed"]],
        "information": [emit(c, value, note(c["item"]), contribution_model, entry) for c, value, entry in answered],
        "missing": missing,
        "unknown": unknown,
        "not_applicable": not_applicable,
        "missing_rule": report,
        "needs": sections.needs(compiled, local, facts, ranked, make) if policy != "none" else [],
    }, []


def _no_note(item_id: str) -> None:
    return None
