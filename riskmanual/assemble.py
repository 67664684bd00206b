"""The full result of one assessment as plain dicts, in the exact shape of
:class:`riskmanual.result.Result`, built from what :mod:`riskmanual.engine` decided.

Per item and answer it gives the contribution (label, points, critical), then the domains,
the missing rule, critical answers, the assessor's judgement, the target group, robustness,
probability and needs. It imports neither pydantic nor yaml (the command line's warm-cache path
uses it as it is); :func:`riskmanual.scoring.score` validates its dicts into a ``Result``.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from .engine import (
    UNKNOWN,
    Facts,
    Out,
    _band_position,
    _exceeded,
    _impute,
    _lift,
    _round,
    band_index,
    evaluate,
    impute_pools,
    is_critical,
    points_of,
)
from .messages import count_items, message, tr
from .numbers import quantity
from .text import localize

__all__ = ["result_dict"]


def _label(item: Out, value: Any, lang: str) -> str:
    kind = item["type"]
    if kind == "boolean":
        return message(str(value), lang)
    if kind in ("ordinal", "categorical"):
        return localize(item["option_labels"][value], lang)
    number = float(value)
    label = quantity(number, item["unit"], lang)  # 2,5 timmar; 1 anmälan; 17 år
    for b in item["bins"]:
        if (b["min"] is None or number >= b["min"]) and (b["below"] is None or number < b["below"]):
            if b["label"]:
                label += f" ({localize(b['label'], lang)})"
            break
    return label


def _critical_answer(item: Out, value: Any) -> bool:
    rule = item["critical"]
    return rule is not None and is_critical(rule["answers"], rule["at_least"], value)

class _Local:
    """An instrument's texts in one language and what follows from them alone, built once per
    compiled instrument and language (kept beside the data, not in its JSON): labels, the
    item references, each answer's contribution (remembered as it is first met), per-domain item
    lists and interventions."""

    __slots__ = ("labels", "domain_labels", "band_labels", "interventions", "fixed_interventions", "members", "title",
                 "refs", "answers", "lang", "need_items", "pools", "rows", "parts", "domains", "made_refs", "needs", "domain_keys")

    def __init__(self, compiled: Out, lang: str) -> None:
        items = compiled["items"]
        self.lang = lang
        self.labels = [localize(item["label"], lang) for item in items]
        self.domain_labels = [localize(d["label"], lang) for d in compiled["domains"]]
        self.band_labels = [localize(b["label"], lang) for b in compiled["bands"]]
        self.title = localize(compiled["title"], lang)
        self.refs = [{"item": item["id"], "label": label, "domain": item["domain"]}
                     for item, label in zip(items, self.labels)]
        self.interventions = [
            [(iv["applies_when"], {"label": localize(iv["label"], lang), "agency": iv["agency"],
                                   "agency_label": message(f"agency.{iv['agency']}", lang)})
             for iv in item["interventions"]]
            for item in items
        ]
        #: per item the interventions when none has a condition (the same for every assessment), else None
        self.fixed_interventions = [None if any(c is not None for c, _ in ivs) else [w for _, w in ivs]
                                    for ivs in self.interventions]
        position = {d["id"]: n for n, d in enumerate(compiled["domains"])}
        #: per domain its scored items (position, adds to the total, a risk, lowest and highest points)
        self.members: list[list[tuple[int, bool, bool, float, float]]] = [[] for _ in position]
        for item in items:
            chain = tuple(position[domain_id] for domain_id in item["chain"]) if item["scored"] else ()
            for d in chain:
                self.members[d].append((item["index"], bool(item["sign"]), item["kind"] == "risk", item["low"],
                                        item["high"]))
        #: per domain a function from the items' states (see _domains) to its members' states
        self.domain_keys = [_picker([m[0] for m in members]) for members in self.members]
        #: per item, answer and the answer's type (1, 1.0 and True are one key, but not one JSON): see contribution
        self.answers: dict[tuple[int, Any, type], list[Any]] = {}
        self.pools = impute_pools(items)
        #: per item what the loop in result_dict reads of it (dict lookups are what that loop costs)
        self.rows = [(item["index"], item["sign"], item["low"], item["high"], item["scored"], item) for item in items]
        #: per item whether a positive contribution is a need (a dynamic risk)
        self.need_items = [item["scored"] and item["kind"] == "risk" and item["stability"] == "dynamic" for item in items]
        #: per domain, by its members' states, its figures and what ``make`` built from them
        self.domains: list[dict[Any, list[Any]]] = [{} for _ in position]
        #: per kind of part (see share) what ``make`` built, by the part's figures
        self.parts: dict[str, dict[Any, Any]] = {}
        #: item references and needs as ``make`` built them
        self.made_refs: list[Any] = [None] * len(items)
        self.needs: dict[tuple[Any, ...], Any] = {}

    def contribution(self, item: Out, value: Any) -> list[Any]:
        """This answer's contribution dict (note None; shared: read it, never change it), its raw
        points, and slots for what ``make`` builds of it and of its need (see :meth:`emit`, :func:`_needs`)."""
        key = (item["index"], value, type(value))
        found = self.answers.get(key)
        if found is None:
            if len(self.answers) > 50_000:  # numeric answers are many; the cache must not grow with them
                self.answers.clear()
            points = points_of(item, value)
            found = self.answers[key] = [{
                "item": item["id"], "label": self.labels[item["index"]], "domain": item["domain"], "kind": item["kind"],
                "stability": item["stability"], "response": value, "response_label": _label(item, value, self.lang),
                "points": _round(item["scale_sign"] * points), "imputed": False,
                "critical": _critical_answer(item, value), "note": None,
            }, points, None, None]
        return found

    def share(self, kind: str, key: Any, data: Out, make: Any) -> Any:
        """``data`` as the result holds it: itself, or what ``make[kind]`` built from the same
        figures (``key``) before."""
        if make is None:
            return data
        memo = self.parts.get(kind)
        if memo is None:
            memo = self.parts[kind] = {}
        found = memo.get(key)
        if found is None:
            if len(memo) > 10_000:
                memo.clear()
            found = memo[key] = make[kind](data)
        return found

    def ref(self, index: int, make: Any) -> Any:
        """The item's reference as the result holds it (a new dict, or ``make``'s, remembered)."""
        if make is None:
            return self.refs[index].copy()
        found = self.made_refs[index]
        if found is None:
            found = self.made_refs[index] = make["ref"](self.refs[index].copy())
        return found

    @staticmethod
    def emit(template: Out, value: Any, note: str | None, make: Any, entry: list[Any] | None) -> Any:
        """The contribution as the result holds it: a new dict, or what ``make`` builds from one
        (remembered in ``entry``, :meth:`contribution`'s, when there is no note: the same answer
        gives the same contribution)."""
        if make is None or note is not None or entry is None or (value == 0 and type(value) is float):
            # a note or an estimate is this assessment's own; 0.0 and -0.0 are one key, not one JSON
            out = template.copy()
            out["response"] = value
            out["note"] = note
            return out if make is None else make(out)
        found = entry[2]
        if found is None:
            found = entry[2] = make(template.copy())
        return found


def _picker(positions: list[int]) -> Any:
    """A function from a list to the tuple of its elements at ``positions``."""
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return operator.itemgetter(*positions) if positions else lambda values: ()


def _local(compiled: Out, lang: str) -> _Local:
    cache = getattr(compiled, "__dict__", None)
    if cache is None:
        return _Local(compiled, lang)
    found = cache.get(("local", lang))
    if found is None:
        found = cache[("local", lang)] = _Local(compiled, lang)
    return found  # type: ignore[no-any-return]


def _band_ref(compiled: Out, band: int | None, lang: str) -> Out | None:
    if band is None:
        return None
    return {"id": compiled["bands"][band]["id"], "label": _local(compiled, lang).band_labels[band]}


def result_dict(compiled: Out, values: dict[str, Any], age: int | None, facts: Facts, *, lang: str,
                assessment_date: str, notes: dict[str, str], judgement: tuple[str, str | None] | None,
                words: Any = None, make: Any = None) -> tuple[Out | None, list[tuple[tuple[Any, ...], Any, Any]]]:
    """The result as plain dicts in :class:`~riskmanual.result.Result`'s field order, or None and
    the problems with the assessor's judgement. ``judgement`` is ``(band, reason)``; ``words``
    gives a critical item's rule in words for a language not compiled in (``words(item_id, lang)``);
    ``make``, when given, maps ``contribution``, ``domain``, ``ref`` and ``need`` to what builds the result's
    objects from their dicts (remembered and reused, so they must not change)."""
    items = compiled["items"]
    local = _local(compiled, lang)
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

    report, complete = _missing_report(compiled, local, unscored, lang, make)
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
    critical = _critical(compiled, by_id, contributions + information, score_band, lang, words)
    band = _lift(compiled, score_band, [c["min_band"]["id"] for c in critical if c["min_band"]]) if complete else None
    band_ref = _band_ref(compiled, band, lang)
    chosen, problems = _judgement(compiled, judgement, band, lang)
    if problems:
        return None, problems
    final = (chosen["band"] if chosen else band_ref) if complete else None
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
    robustness = _robustness(compiled, local, facts, total, ranked, unscored, critical, age, lang, make)
    target = _target_group(compiled, local, final_band, facts, age, lang, make)
    score_band_ref = _band_ref(compiled, score_band, lang)
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
        "band": share("band", band_ref["id"], band_ref, make) if band_ref is not None else None,
        "score_band": share("band", score_band_ref["id"], score_band_ref, make) if score_band_ref is not None else None,
        "recommendation": recommendation,
        "needs_policy": policy,
        "review_required": any(c["review"] for c in critical),
        "critical": [share("critical", (c["item"], c["response_label"], c["review"], c["min_band"] and c["min_band"]["id"],
                                        c["raised"], c["rule"], c["reason"]), c, make) for c in critical],
        "robustness": robustness,
        "final_band": share("band", final["id"], final, make) if final is not None else None,
        "judgement": chosen,
        "target_group": target,
        "probability": _probability(compiled, total, lang) if complete else None,
        "domains": _domains(compiled, local, skipped, ranked, make),
        "contributions": shown,
        "protective_factors": [shown[n] for n, c in enumerate(contributions)
                               if c["kind"] == "protective" and c["points"] != 0 and not c["imputed"]],
        "information": [emit(c, value, note(c["item"]), contribution_model, entry) for c, value, entry in answered],
        "missing": missing,
        "unknown": unknown,
        "not_applicable": not_applicable,
        "missing_rule": report,
        "needs": _needs(compiled, local, facts, ranked, make) if policy != "none" else [],
    }, []


def _no_note(item_id: str) -> None:
    return None


def _missing_report(compiled: Out, local: _Local, unscored: list[Out], lang: str, make: Any) -> tuple[Any, bool]:
    """Which missing-item rule applies to the unscored items, and whether the result is complete;
    with ``make``, what it builds of the report (remembered by which items are unscored)."""
    if make is None:
        return _missing_dict(compiled, unscored, lang)
    key = tuple(item["index"] for item in unscored)
    memo = local.parts.get("missing_rule_by_items")
    if memo is None:
        memo = local.parts["missing_rule_by_items"] = {}
    found = memo.get(key)
    if found is None:
        if len(memo) > 10_000:
            memo.clear()
        report, complete = _missing_dict(compiled, unscored, lang)
        found = memo[key] = (make["missing_rule"](report), complete)
    return found


def _missing_dict(compiled: Out, unscored: list[Out], lang: str) -> tuple[Out, bool]:
    exceeded = _exceeded(compiled, unscored)
    n = len(unscored)
    if exceeded:
        applied = "incomplete"
        text = message("missing.incomplete", lang, items=count_items(n, lang), scopes=", ".join(exceeded))
    elif not unscored:
        applied, text = "none", message("missing.none", lang)
    else:
        handlings = {item["handling"] for item in unscored}
        applied = handlings.pop() if len(handlings) == 1 else "prorate+zero"
        key = {"prorate": "missing.prorate", "zero": "missing.zero"}.get(applied, "missing.mixed")
        text = message(key, lang, items=count_items(n, lang))
    report = {"applied": applied, "max_missing": compiled["missing"]["max_missing"], "counted": n,
              "exceeded": exceeded, "description": text}
    return report, not exceeded


def _critical(compiled: Out, by_id: dict[str, Out], contributions: list[Out], score_band: int | None, lang: str,
              words: Any) -> list[Out]:
    """The critical answers given, in the instrument's order, with what follows from each."""
    out = []
    for c in sorted((c for c in contributions if c["critical"]), key=lambda c: by_id[c["item"]]["index"]):
        item = by_id[c["item"]]
        rule = item["critical"]
        floor = _band_position(compiled, rule["min_band"]) if rule["min_band"] else None
        raised = bool(floor is not None and score_band is not None and floor > score_band)
        text = rule["words"].get(lang)
        if text is None:
            text = words(item["id"], lang) if words is not None else rule["words"].get("en", "")
        out.append({
            "item": item["id"], "label": c["label"], "response_label": c["response_label"], "review": rule["review"],
            "min_band": _band_ref(compiled, floor, lang), "raised": raised, "rule": text,
            "reason": localize(rule["reason"], lang) or None,
        })
    return out


def _judgement(compiled: Out, given: tuple[str, str | None] | None, band: int | None,
               lang: str) -> tuple[Out | None, list[tuple[tuple[Any, ...], Any, Any]]]:
    rules = compiled["judgement"]
    problems: list[tuple[tuple[Any, ...], Any, Any]] = []
    if given is None:
        if rules["final_rating"] == "assessor":
            problems.append((("judgement",), tr("this instrument's result is the assessor's final rating: "
                                                "give judgement: {{band: ..., reason: ...}}"), None))
        return None, problems
    given_band, reason = given
    chosen = _band_position(compiled, given_band)  # an unknown band is refused by the answers' checks
    if band is None:
        direction = "none"
    else:
        step = chosen - band
        direction = "up" if step > 0 else "down" if step < 0 else "same"
    override = rules["override"]
    kind = "final_rating" if rules["final_rating"] == "assessor" else "override"
    if kind == "override":
        if not override["allowed"]:
            problems.append((("judgement",), tr("{ref} does not allow the assessor to override the computed band",
                                                ref=compiled["ref"]), given_band))
        elif band is None:
            problems.append((("judgement",), tr("an incomplete assessment has no computed band to override"),
                             given_band))
        elif override["direction"] != "both" and direction not in (override["direction"], "same"):
            problems.append((("judgement", "band"), _wrong_direction(override["direction"], given_band, direction,
                                                                     compiled["bands"][band]["id"]), given_band))
    needs_reason = override["reason_required"] or kind == "final_rating"
    if needs_reason and not reason:
        problems.append((("judgement", "reason"), tr("a written reason is required for the assessor's band"), None))
    if problems:
        return None, problems
    return {"kind": kind, "band": _band_ref(compiled, chosen, lang), "direction": direction, "reason": reason}, []


def _wrong_direction(allowed: str, given: str, direction: str, computed: str) -> Any:
    """``overrides may only go up; low is down from high`` in either language."""
    if allowed == "up":
        return tr("overrides may only go up; {given} is lower than the computed band {computed}", given=given,
                  computed=computed)
    return tr("overrides may only go down; {given} is higher than the computed band {computed}", given=given,
              computed=computed)


def _target_group(compiled: Out, local: _Local, band: Out | None, facts: Facts, age: int | None, lang: str,
                  make: Any) -> Any:
    """Whether the young person meets the target-group rule, and why, remembered by what it reads
    (the band, the age and the condition's verdict); with ``make``, what it builds of that."""
    rule = compiled["target_group"]
    if rule is None:
        return None
    holds = evaluate(rule["when"], facts.usable, compiled["items"]) if rule["when"] is not None else None
    key = (band["id"] if band is not None else None, age if rule["age"] is not None else None, holds)
    found = local.parts.get("target_group", {}).get(key) if make is not None else None
    if found is None:
        found = local.share("target_group", key, _target_dict(compiled, rule, band, holds, age, lang), make)
    return found


def _target_dict(compiled: Out, rule: Out, band: Out | None, holds: bool | None, age: int | None, lang: str) -> Out:
    bands = compiled["bands"]
    min_position = _band_position(compiled, rule["min_band"])
    min_band = bands[min_position]
    reasons: list[str] = []
    verdicts: list[bool | None] = []
    if band is None:
        verdicts.append(None)
        reasons.append(message("tg.no_band", lang))
    else:
        ok = _band_position(compiled, band["id"]) >= min_position
        verdicts.append(ok)
        key = "tg.band_at" if band["id"] == min_band["id"] else "tg.band_ok" if ok else "tg.band_low"
        reasons.append(message(key, lang, band=localize(band["label"], lang), min_band=localize(min_band["label"], lang)))
    if rule["age"] is not None:
        low, high = rule["age"]
        if age is None:
            verdicts.append(None)
            reasons.append(message("tg.no_age", lang))
        else:
            ok = low <= age <= high
            verdicts.append(ok)
            reasons.append(message("tg.age_ok" if ok else "tg.age_out", lang, age=age, min=low, max=high))
    if rule["when"] is not None:
        verdicts.append(holds)
        reasons.append(message({True: "tg.when_ok", False: "tg.when_no", None: "tg.when_unknown"}[holds], lang))
    met = False if False in verdicts else (None if None in verdicts else True)
    return {"rule": localize(rule["label"], lang), "decision": localize(rule["decision"], lang) or None,
            "met": met, "reasons": reasons}


def _target_met(compiled: Out, band: int | None, holds: bool | None, age: int | None) -> bool | None:
    """The target-group verdict if the band were ``band`` (age and the condition's verdict ``holds`` as answered)."""
    rule = compiled["target_group"]
    verdicts: list[bool | None] = [None if band is None else band >= _band_position(compiled, rule["min_band"])]
    if rule["age"] is not None:
        verdicts.append(None if age is None else rule["age"][0] <= age <= rule["age"][1])
    if rule["when"] is not None:
        verdicts.append(holds)
    return False if False in verdicts else (None if None in verdicts else True)


def _robustness(compiled: Out, local: _Local, facts: Facts, total: float, ranked: list[tuple[float, int, Out, Any, Any]],
                unscored: list[Out], critical: list[Out], age: int | None, lang: str, make: Any) -> Any:
    """The totals and bands the unresolved items could still give: all lowest vs all highest;
    with ``make``, what it builds of them (remembered by the totals and floors they follow from)."""
    items = compiled["items"]
    imputed = math.fsum(c["points"] for _, i, c, _, _ in ranked if c["imputed"] and items[i]["sign"]) \
        if unscored else 0.0  # only unscored items are imputed
    low = high = total - imputed
    for item in unscored:
        if not item["sign"]:
            continue
        may_not_apply = item["applies_when"] is not None
        low += min(item["low"], 0.0) if may_not_apply else item["low"]
        high += max(item["high"], 0.0) if may_not_apply else item["high"]
    undecided = facts.undecided
    if True in undecided:
        for _, i, c, _, _ in ranked:  # answered items that apply only because their condition is undecided
            if not c["imputed"] and undecided[i] and items[i]["sign"]:
                low, high = low + min(-c["points"], 0.0), high + max(-c["points"], 0.0)
    floors = [c["min_band"]["id"] for c in critical if c["min_band"]]
    possible = floors + [item["critical"]["min_band"] for item in unscored
                         if item["critical"] is not None and item["critical"]["min_band"]]
    rule = compiled["target_group"]
    holds = evaluate(rule["when"], facts.usable, items) if rule is not None and rule["when"] is not None else None
    key = None
    if make is not None:
        key = (len(unscored), imputed, low, high, tuple(floors), tuple(possible), holds,
               age if rule is not None and rule["age"] is not None else None)
        found = local.parts.get("robustness", {}).get(key)
        if found is not None:
            return found
    low_band = _lift(compiled, band_index(compiled, _round(low)), floors)
    high_band = _lift(compiled, band_index(compiled, _round(high)), possible)
    stable = None
    if rule is not None:
        at_low, at_high = _target_met(compiled, low_band, holds, age), _target_met(compiled, high_band, holds, age)
        stable = at_low == at_high if at_low is not None and at_high is not None else None
    bands = compiled["bands"]
    out = {
        "unresolved": len(unscored), "imputed_points": _round(imputed), "lowest_total": _round(low),
        "highest_total": _round(high),
        "lowest_band": bands[low_band]["id"] if low_band is not None else None,
        "highest_band": bands[high_band]["id"] if high_band is not None else None,
        "lowest_band_label": localize(bands[low_band]["label"], lang) if low_band is not None else None,
        "highest_band_label": localize(bands[high_band]["label"], lang) if high_band is not None else None,
        "decision_stable": stable,
    }
    return local.share("robustness", key, out, make) if make is not None else out


def _probability(compiled: Out, total: float, lang: str) -> Out | None:
    model = compiled["probability"]
    if model is None:
        return None
    common = {"sample": localize(model["sample"], lang), "date": model["date"],
              "follow_up_months": model["follow_up_months"]}
    if model["form"] == "logistic":
        z = model["intercept"] + model["slope"] * (total - model["reference_score"])
        return {"value": 1.0 / (1.0 + math.exp(-z)), "form": "logistic", "ci": None, "n": model["n"], **common}
    for row in model["rows"]:
        if (row["min"] is None or total >= row["min"]) and (row["below"] is None or total < row["below"]):
            return {"value": row["rate"], "form": "table", "ci": row["ci"], "n": row["n"], **common}
    return None


#: A domain member's state in :func:`_domains`' keys when the item does not apply.
_SKIPPED = ("not_applicable",)


def _domains(compiled: Out, local: _Local, skipped: list[int], ranked: list[tuple[float, int, Out, Any, Any]],
             make: Any) -> list[Any]:
    """Each domain's subtotal, risk and protective points, range and counts; with ``make``, what
    it builds from them. A domain's figures follow from its items' states alone (points, estimated
    points, unanswered or not applicable), so they are remembered by those: most assessments
    repeat most domains. ``skipped`` are the items that do not apply, ``ranked`` the contributions
    with their items' positions."""
    state: list[Any] = [None] * len(compiled["items"])
    for i in skipped:
        state[i] = _SKIPPED
    for _, i, contribution, _, _ in ranked:
        state[i] = (contribution["points"],) if contribution["imputed"] else contribution["points"]
    out = []
    for d, key_of in enumerate(local.domain_keys):
        seen = local.domains[d]
        key = key_of(state)
        found = seen.get(key)
        if found is None:
            if len(seen) > 10_000:
                seen.clear()
            figures = _domain(compiled["domains"][d], local.domain_labels[d], local.members[d], state)
            found = seen[key] = [figures, make["domain"](figures) if make is not None else None]
        elif make is not None and found[1] is None:
            found[1] = make["domain"](found[0])
        out.append(found[1] if make is not None else found[0].copy())
    return out


def _domain(domain: Out, label: str, members: list[tuple[int, bool, bool, float, float]], state: list[Any]) -> Out:
    """One domain's figures from its items' states (see :func:`_domains`), added in the items' order."""
    sums: list[float] = []
    risk: list[float] = []
    protective: list[float] = []
    low = high = 0.0
    answered = missing = 0
    for index, sign, is_risk, item_low, item_high in members:
        found = state[index]
        if found is _SKIPPED:
            continue
        if sign:  # the range of what the domain adds to the total
            low += item_low
            high += item_high
        if found is None:
            missing += 1
            continue
        if type(found) is tuple:  # an estimate counts as missing
            missing += 1
            points = found[0]
        else:
            answered += 1
            points = found
        if sign:
            sums.append(points)
        (risk if is_risk else protective).append(points)
    fsum, rounded = math.fsum, _round
    return {"id": domain["id"], "label": label, "parent": domain["parent"],
            "subtotal": rounded(fsum(sums)) if sums else 0.0, "risk": rounded(fsum(risk)) if risk else 0.0,
            "protective": rounded(fsum(protective)) if protective else 0.0,
            "minimum": rounded(low), "maximum": rounded(high), "answered": answered, "missing": missing}


def _needs(compiled: Out, local: _Local, facts: Facts, ranked: list[tuple[float, int, Out, Any, Any]],
           make: Any) -> list[Any]:
    """The dynamic risk items that add points, in the contributions' order, with the interventions
    whose conditions hold; with ``make``, what it builds from them. Remembered in the answer's
    cache entry (slot 3): False when the answer is no need, the need when the item's interventions
    are fixed; by item, points and interventions when they have conditions."""
    needs = []
    items = compiled["items"]
    need_items, fixed_interventions = local.need_items, local.fixed_interventions
    for _, index, entry, _, cached in ranked:
        if cached is None:  # an estimate is never a need
            continue
        known = cached[3]
        if known is False:
            continue
        if known is not None and make is not None:
            needs.append(known)
            continue
        if not need_items[index] or entry["points"] <= 0:
            cached[3] = False
            continue
        fixed = fixed_interventions[index]
        if fixed is not None:
            found = {"item": entry["item"], "label": entry["label"], "points": entry["points"],
                     "interventions": [words.copy() for words in fixed]}
            if make is not None:
                found = cached[3] = make["need"](found)
            needs.append(found)
            continue
        chosen = tuple(n for n, (condition, _) in enumerate(local.interventions[index])
                       if condition is None or evaluate(condition, facts.usable, items) is not False)
        key = (index, entry["points"], chosen)
        found = local.needs.get(key) if make is not None else None
        if found is None:
            found = {"item": entry["item"], "label": entry["label"], "points": entry["points"],
                     "interventions": [local.interventions[index][n][1].copy() for n in chosen]}
            if make is not None:
                if len(local.needs) > 50_000:
                    local.needs.clear()
                found = local.needs[key] = make["need"](found)
        needs.append(found)
    return needs
