"""The sections of a result beyond the contributions, as plain dicts (or what a caller's
``make`` built of them, remembered in :class:`~riskmanual.parts.Parts`): the missing-item rule,
critical answers, the assessor's judgement, the target group, robustness, probability, domains
and needs. It imports neither pydantic nor yaml.
"""

from __future__ import annotations

import math
from typing import Any

from .engine import Facts, Out, _band_position, _exceeded, _lift, _round, band_index, evaluate
from .messages import count_items, message, tr
from .parts import Parts, band_ref
from .text import localize

__all__ = ["critical_answers", "domains", "judgement", "missing_report", "needs", "probability", "robustness",
           "target_group"]


def missing_report(compiled: Out, local: Parts, unscored: list[Out], lang: str, make: Any) -> tuple[Any, bool]:
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


def critical_answers(compiled: Out, by_id: dict[str, Out], contributions: list[Out], score_band: int | None, lang: str,
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
            "min_band": band_ref(compiled, floor, lang), "raised": raised, "rule": text,
            "reason": localize(rule["reason"], lang) or None,
        })
    return out


def judgement(compiled: Out, given: tuple[str, str | None] | None, band: int | None,
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
    return {"kind": kind, "band": band_ref(compiled, chosen, lang), "direction": direction, "reason": reason}, []


def _wrong_direction(allowed: str, given: str, direction: str, computed: str) -> Any:
    """``overrides may only go up; low is down from high`` in either language."""
    if allowed == "up":
        return tr("overrides may only go up; {given} is lower than the computed band {computed}", given=given,
                  computed=computed)
    return tr("overrides may only go down; {given} is higher than the computed band {computed}", given=given,
              computed=computed)


def target_group(compiled: Out, local: Parts, band: Out | None, facts: Facts, age: int | None, lang: str,
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


def robustness(compiled: Out, local: Parts, facts: Facts, total: float, ranked: list[tuple[float, int, Out, Any, Any]],
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


def probability(compiled: Out, total: float, lang: str) -> Out | None:
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


#: A domain member's state in :func:`domains`' keys when the item does not apply.
_SKIPPED = ("not_applicable",)


def domains(compiled: Out, local: Parts, skipped: list[int], ranked: list[tuple[float, int, Out, Any, Any]],
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
    """One domain's figures from its items' states (see :func:`domains`), added in the items' order."""
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


def needs(compiled: Out, local: Parts, facts: Facts, ranked: list[tuple[float, int, Out, Any, Any]],
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
