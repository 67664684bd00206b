"""The full result of one assessment as plain dicts, in the exact shape of
:class:`riskmanual.result.Result`, built from what :mod:`riskmanual.engine` decided.

Per item and answer it gives the contribution (label, points, critical), then the domains,
the missing rule, critical answers, the assessor's judgement, the target group, robustness,
probability and needs. It imports neither pydantic nor yaml (the command line's warm-cache path
uses it as it is); :func:`riskmanual.scoring.score` validates its dicts into a ``Result``.
"""

from __future__ import annotations

import math
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
                 "refs", "answers", "lang", "made", "domains", "made_refs", "needs", "chains", "ranges")

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
        #: per domain its scored items (position, adds to the total, lowest and highest points)
        self.members: list[list[tuple[int, bool, float, float]]] = [[] for _ in position]
        #: per item the positions of the domains it counts in, whether it adds to the total, whether a risk
        self.chains: list[tuple[tuple[int, ...], bool, bool]] = []
        for item in items:
            chain = tuple(position[domain_id] for domain_id in item["chain"]) if item["scored"] else ()
            self.chains.append((chain, bool(item["sign"]), item["kind"] == "risk"))
            for d in chain:
                self.members[d].append((item["index"], bool(item["sign"]), item["low"], item["high"]))
        #: per set of items that do not apply, each domain's rounded range and applying items
        self.ranges: dict[tuple[int, ...], list[tuple[float, float, int]]] = {}
        self.answers: dict[tuple[int, Any], tuple[Out, float]] = {}
        #: what a caller's ``make`` built from a contribution without a note, per item, answer and its type
        self.made: dict[tuple[int, Any, type], Any] = {}
        #: the same for domains (by their figures), item references and needs
        self.domains: dict[tuple[Any, ...], Any] = {}
        self.made_refs: list[Any] = [None] * len(items)
        self.needs: dict[tuple[Any, ...], Any] = {}

    def contribution(self, item: Out, value: Any) -> tuple[Out, float]:
        """This answer's contribution dict (note None; shared: read it, never change it) and its raw points."""
        key = (item["index"], value)
        found = self.answers.get(key)
        if found is None:
            if len(self.answers) > 50_000:  # numeric answers are many; the cache must not grow with them
                self.answers.clear()
            points = points_of(item, value)
            found = self.answers[key] = ({
                "item": item["id"], "label": self.labels[item["index"]], "domain": item["domain"], "kind": item["kind"],
                "stability": item["stability"], "response": value, "response_label": _label(item, value, self.lang),
                "points": _round(item["scale_sign"] * points), "imputed": False,
                "critical": _critical_answer(item, value), "note": None,
            }, points)
        return found

    def domain_ranges(self, skipped: tuple[int, ...]) -> list[tuple[float, float, int]]:
        """Each domain's lowest and highest subtotal and number of items when ``skipped`` do not
        apply (added in the items' order, so the figures do not depend on the answers' order)."""
        left_out = set(skipped)
        ranges = []
        for members in self.members:
            low = high = 0.0
            applying = 0
            for index, sign, item_low, item_high in members:
                if index in left_out:
                    continue
                applying += 1
                if sign:
                    low += item_low
                    high += item_high
            ranges.append((_round(low), _round(high), applying))
        if len(self.ranges) > 10_000:
            self.ranges.clear()
        self.ranges[skipped] = ranges
        return ranges

    def ref(self, index: int, make: Any) -> Any:
        """The item's reference as the result holds it (a new dict, or ``make``'s, remembered)."""
        if make is None:
            return self.refs[index].copy()
        found = self.made_refs[index]
        if found is None:
            found = self.made_refs[index] = make["ref"](self.refs[index].copy())
        return found

    def emit(self, index: int, template: Out, value: Any, note: str | None, make: Any) -> Any:
        """The contribution as the result holds it: a new dict, or what ``make`` builds from one
        (remembered when there is no note: the same answer gives the same contribution)."""
        if make is None or note is not None or template["imputed"] or (value == 0 and type(value) is float):
            # a note or an estimate is this assessment's own; 0.0 and -0.0 are one key, not one JSON
            out = template.copy()
            out["response"] = value  # 1 and 1.0 are one key, but not one JSON
            out["note"] = note
            return out if make is None else make(out)
        key = (index, value, type(value))
        found = self.made.get(key)
        if found is None:
            if len(self.made) > 50_000:
                self.made.clear()
            found = self.made[key] = make(self.emit(index, template, value, None, None))
        return found


def _local(compiled: Out, lang: str) -> _Local:
    cache = getattr(compiled, "__dict__", None)
    if cache is None:
        return _Local(compiled, lang)
    found = cache.get(("local", lang))
    if found is None:
        found = cache[("local", lang)] = _Local(compiled, lang)
    return found  # type: ignore[no-any-return]


def _rank(entry: tuple[float, int, Out]) -> tuple[float, int]:
    return entry[0], entry[1]


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
    ranked: list[tuple[float, int, Out, Any]] = []  # contributions and answers, to be sorted by -|points| and position
    answered: list[tuple[int, Out, Any]] = []  # information items' contributions and answers
    skipped: list[int] = []  # the items that do not apply
    for item in items:
        i = item["index"]
        if not applies[i]:
            skipped.append(i)
            not_applicable.append(ref(i, make))
            continue
        sign = item["sign"]
        if sign:
            low, high = low + item["low"], high + item["high"]
        value = usable[i]
        if value is None:
            if item["scored"]:
                (unknown if values.get(item["id"]) == UNKNOWN else missing).append(ref(i, make))
                unscored.append(item)
            continue
        contribution, raw[i] = local.contribution(item, value)
        if item["scored"]:
            points = contribution["points"]
            ranked.append((-abs(points), i, contribution, value))
            if sign:
                signed.append(points)
        else:
            answered.append((i, contribution, value))

    report, complete = _missing_report(compiled, unscored, lang)
    if complete:
        for item in unscored:
            if item["handling"] == "prorate":
                imputed = _round(item["scale_sign"] * _impute(items, item, raw))
                ranked.append((-abs(imputed), item["index"], {
                    "item": item["id"], "label": labels[item["index"]], "domain": item["domain"],
                    "kind": item["kind"], "stability": item["stability"], "response": None,
                    "response_label": message("imputed_unknown" if values.get(item["id"]) == UNKNOWN else "imputed",
                                              lang),
                    "points": imputed, "imputed": True, "critical": False, "note": None,
                }, None))
                if item["sign"]:
                    signed.append(imputed)

    by_id = compiled.items_by_id if hasattr(compiled, "items_by_id") else {i["id"]: i for i in items}
    ranked.sort(key=_rank)
    contributions = [entry[2] for entry in ranked]  # the shared templates, to decide with
    information = [entry[1] for entry in answered]
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
        shown = [emit(i, c, value, note(c["item"]), None) for _, i, c, value in ranked]
    else:  # most are made already: look them up here rather than call emit for each
        made = local.made
        shown = []
        for _, i, c, value in ranked:
            given = note(c["item"])
            found = made.get((i, value, type(value))) if given is None else None
            shown.append(found if found is not None else emit(i, c, value, given, contribution_model))
    return {
        "instrument": {"id": compiled["id"], "version": compiled["version"], "sha256": compiled["sha256"],
                       "title": local.title},
        "engine_version": compiled["engine_version"],
        "lang": lang,
        "assessment_date": assessment_date,
        "age": age,
        "status": "complete" if complete else "incomplete",
        "total": total,
        "minimum": _round(low),
        "maximum": _round(high),
        "protective_total": protective_total,
        "band": band_ref,
        "score_band": _band_ref(compiled, score_band, lang),
        "recommendation": recommendation,
        "needs_policy": policy,
        "review_required": any(c["review"] for c in critical),
        "critical": critical,
        "robustness": _robustness(compiled, by_id, facts, total, contributions, unscored, critical, age, lang),
        "final_band": final,
        "judgement": chosen,
        "target_group": _target_group(compiled, final_band, facts, age, lang),
        "probability": _probability(compiled, total, lang) if complete else None,
        "domains": _domains(compiled, local, tuple(skipped), ranked, make),
        "contributions": shown,
        "protective_factors": [shown[n] for n, c in enumerate(contributions)
                               if c["kind"] == "protective" and c["points"] != 0 and not c["imputed"]],
        "information": [emit(i, c, value, note(c["item"]), contribution_model) for i, c, value in answered],
        "missing": missing,
        "unknown": unknown,
        "not_applicable": not_applicable,
        "missing_rule": report,
        "needs": _needs(compiled, local, by_id, facts, contributions, make) if policy != "none" else [],
    }, []


def _no_note(item_id: str) -> None:
    return None


def _missing_report(compiled: Out, unscored: list[Out], lang: str) -> tuple[Out, bool]:
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


def _target_group(compiled: Out, band: Out | None, facts: Facts, age: int | None, lang: str) -> Out | None:
    rule = compiled["target_group"]
    if rule is None:
        return None
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
        holds = evaluate(rule["when"], facts.usable, compiled["items"])
        verdicts.append(holds)
        reasons.append(message({True: "tg.when_ok", False: "tg.when_no", None: "tg.when_unknown"}[holds], lang))
    met = False if False in verdicts else (None if None in verdicts else True)
    return {"rule": localize(rule["label"], lang), "decision": localize(rule["decision"], lang) or None,
            "met": met, "reasons": reasons}


def _target_met(compiled: Out, band: int | None, facts: Facts, age: int | None) -> bool | None:
    """The target-group verdict if the band were ``band`` (age and condition as answered)."""
    rule = compiled["target_group"]
    verdicts: list[bool | None] = [None if band is None else band >= _band_position(compiled, rule["min_band"])]
    if rule["age"] is not None:
        verdicts.append(None if age is None else rule["age"][0] <= age <= rule["age"][1])
    if rule["when"] is not None:
        verdicts.append(evaluate(rule["when"], facts.usable, compiled["items"]))
    return False if False in verdicts else (None if None in verdicts else True)


def _robustness(compiled: Out, by_id: dict[str, Out], facts: Facts, total: float, contributions: list[Out],
                unscored: list[Out], critical: list[Out], age: int | None, lang: str) -> Out:
    """The totals and bands the unresolved items could still give: all lowest vs all highest."""
    imputed = math.fsum(c["points"] for c in contributions if c["imputed"] and by_id[c["item"]]["sign"]) \
        if unscored else 0.0  # only unscored items are imputed
    low = high = total - imputed
    for item in unscored:
        if not item["sign"]:
            continue
        may_not_apply = item["applies_when"] is not None
        low += min(item["low"], 0.0) if may_not_apply else item["low"]
        high += max(item["high"], 0.0) if may_not_apply else item["high"]
    if True in facts.undecided:
        for c in contributions:  # answered items that apply only because their condition is undecided
            item = by_id[c["item"]]
            if not c["imputed"] and facts.undecided[item["index"]] and item["sign"]:
                low, high = low + min(-c["points"], 0.0), high + max(-c["points"], 0.0)
    floors = [c["min_band"]["id"] for c in critical if c["min_band"]]
    possible = floors + [item["critical"]["min_band"] for item in unscored
                         if item["critical"] is not None and item["critical"]["min_band"]]
    low_band = _lift(compiled, band_index(compiled, _round(low)), floors)
    high_band = _lift(compiled, band_index(compiled, _round(high)), possible)
    stable = None
    if compiled["target_group"] is not None:
        at_low, at_high = _target_met(compiled, low_band, facts, age), _target_met(compiled, high_band, facts, age)
        stable = at_low == at_high if at_low is not None and at_high is not None else None
    bands = compiled["bands"]
    return {
        "unresolved": len(unscored), "imputed_points": _round(imputed), "lowest_total": _round(low),
        "highest_total": _round(high),
        "lowest_band": bands[low_band]["id"] if low_band is not None else None,
        "highest_band": bands[high_band]["id"] if high_band is not None else None,
        "lowest_band_label": localize(bands[low_band]["label"], lang) if low_band is not None else None,
        "highest_band_label": localize(bands[high_band]["label"], lang) if high_band is not None else None,
        "decision_stable": stable,
    }


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


def _domains(compiled: Out, local: _Local, skipped: tuple[int, ...], ranked: list[tuple[float, int, Out, Any]],
             make: Any) -> list[Any]:
    """Each domain's subtotal, risk and protective points, range and counts; with ``make``, what
    it builds from them (remembered: the same figures give the same domain). ``skipped`` are the
    items that do not apply, ``ranked`` the contributions with their items' positions."""
    n = len(local.domain_labels)
    sums: list[list[float]] = [[] for _ in range(n)]
    risk: list[list[float]] = [[] for _ in range(n)]
    protective: list[list[float]] = [[] for _ in range(n)]
    answered = [0] * n
    chains = local.chains
    for _, i, contribution, _ in ranked:
        points = contribution["points"]
        counts = not contribution["imputed"]
        chain, sign, is_risk = chains[i]
        side = risk if is_risk else protective
        for d in chain:
            if sign:
                sums[d].append(points)
            side[d].append(points)
            if counts:
                answered[d] += 1
    ranges = local.ranges.get(skipped)
    if ranges is None:
        ranges = local.domain_ranges(skipped)
    fsum, rounded = math.fsum, _round
    made = local.domains
    out = []
    for d, (domain, label, (low, high, applying)) in enumerate(zip(compiled["domains"], local.domain_labels, ranges)):
        figures = (d, rounded(fsum(sums[d])) if sums[d] else 0.0, rounded(fsum(risk[d])) if risk[d] else 0.0,
                   rounded(fsum(protective[d])) if protective[d] else 0.0, low, high, answered[d],
                   applying - answered[d])
        found = made.get(figures) if make is not None else None
        if found is None:
            found = {"id": domain["id"], "label": label, "parent": domain["parent"], "subtotal": figures[1],
                     "risk": figures[2], "protective": figures[3], "minimum": low, "maximum": high,
                     "answered": figures[6], "missing": figures[7]}
            if make is not None:
                if len(made) > 50_000:
                    made.clear()
                found = made[figures] = make["domain"](found)
        out.append(found)
    return out


def _needs(compiled: Out, local: _Local, by_id: dict[str, Out], facts: Facts, contributions: list[Out],
           make: Any) -> list[Any]:
    """The dynamic risk items that add points, with the interventions whose conditions hold; with
    ``make``, what it builds from them (remembered by item, points and interventions)."""
    needs = []
    items = compiled["items"]
    made = local.needs
    for entry in contributions:
        if entry["points"] <= 0 or entry["imputed"] or entry["kind"] != "risk" or entry["stability"] != "dynamic":
            continue
        index = by_id[entry["item"]]["index"]
        chosen = None
        if local.fixed_interventions[index] is None:
            chosen = tuple(n for n, (condition, _) in enumerate(local.interventions[index])
                           if condition is None or evaluate(condition, facts.usable, items) is not False)
        key = (index, entry["points"], chosen)
        found = made.get(key) if make is not None else None
        if found is None:
            fixed = local.fixed_interventions[index]
            if chosen is None:
                interventions = [words.copy() for words in fixed]
            else:
                interventions = [local.interventions[index][n][1].copy() for n in chosen]
            found = {"item": entry["item"], "label": entry["label"], "points": entry["points"],
                     "interventions": interventions}
            if make is not None:
                if len(made) > 50_000:
                    made.clear()
                found = made[key] = make["need"](found)
        needs.append(found)
    return needs
