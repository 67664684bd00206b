"""The calibrated instrument: same id, a new version, new points, probability and bands.

The new version is written as a new file (never over the input) with a ``calibration``
provenance block, validated by the core engine before it is written, and described by a
readable diff of old and new points per item.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..checks import check_instrument
from ..errors import InstrumentError, Issue
from ..instrument import Instrument
from ..messages import tr
from ..text import localize
from .encoding import NOT_RECORDED, NOT_RECORDED_LABEL, totals
from .run import CalibrationRun

__all__ = ["calibrated_instrument", "points_diff", "write_instrument"]


def _bump(version: str, major: bool) -> str:
    core = version.split("-", 1)[0]
    parts = [int(x) for x in core.split(".")]
    return f"{parts[0] + 1}.0.0" if major else f"{parts[0]}.{parts[1] + 1}.0"


def points_diff(run: CalibrationRun) -> list[dict[str, Any]]:
    """Old and new points per item and answer code."""
    enc = run.cohort.encoding
    old, new = enc.points(enc.current), enc.points(run.model.points_, rebase=_rebased(run))
    joins = _joins_total(run, new)
    rows = []
    for item_enc in enc.items:
        item = item_enc.item
        if item_enc.separate:  # today's points on its own scale; new ones only if it joins the total
            old[item.id] = _own_points(item_enc)
            if not joins:
                new[item.id] = dict(old[item.id])
        used = any(abs(new[item.id][code]) > 1e-9 for code in item_enc.codes)
        for position, code in enumerate(item_enc.codes):
            rows.append({"item": item.id, "label": localize(item.label, "en"), "label_sv": localize(item.label, "sv"),
                         "code": code, "answer": _answer_label(item_enc, position),
                         "answer_sv": _answer_label(item_enc, position, "sv"), "sign": item_enc.sign, "used": used,
                         "protective": item.kind == "protective", "separate": item_enc.separate,
                         "old": old[item.id][code], "new": new[item.id][code]})
    return rows


def _answer_label(item_enc: Any, position: int, lang: str = "en") -> str:
    """The answer as a reader knows it: the option's or bin's label, or the range with an en dash."""
    code = item_enc.codes[position]
    if item_enc.bins is not None:
        b = item_enc.bins[position]
        if getattr(b, "label", None):
            return localize(b.label, lang)
        low, high = b.min, b.below
        whole = all(v is None or float(v).is_integer() for v in (low, high))
        if whole and low is not None and high is not None:
            return f"{low:g}" if high - low == 1 else f"{low:g}\u2013{high - 1:g}"
        if low is not None and high is None:
            return f"{low:g} eller mer" if lang == "sv" else f"{low:g} or more"
        if low is None and high is not None:
            return f"under {high:g}"
        return f"{low:g} till under {high:g}" if lang == "sv" else f"{low:g} to under {high:g}"
    if code == NOT_RECORDED:
        return NOT_RECORDED_LABEL.get(lang, NOT_RECORDED_LABEL["en"])
    if item_enc.codes == ["no", "yes"] and not getattr(item_enc.item.response, "options", None):
        return {"sv": {"no": "nej", "yes": "ja"}}.get(lang, {"no": "no", "yes": "yes"})[code]
    response = item_enc.item.response
    for option in getattr(response, "options", None) or []:
        if option.code == code:
            return localize(option.label, lang)
    return code


def calibrated_instrument(run: CalibrationRun) -> Instrument:
    """The new instrument version as a validated model."""
    instrument = run.cohort.instrument
    enc = run.cohort.encoding
    new_points = enc.points(run.model.points_, rebase=_rebased(run))
    reference_score = enc.offset_for(run.model.points_, rebase=_rebased(run))
    changed = any(abs(r["old"] - r["new"]) > 1e-9 for r in points_diff(run))
    data = copy.deepcopy(instrument.model_dump(mode="json", exclude_none=True))
    version = _bump(instrument.version, major=changed)
    data["version"] = version
    data["status"] = "draft"
    by_id = {item["id"]: item for item in data["items"]}
    joins = _joins_total(run, new_points)
    if joins:  # a refit gave the separate protective scale weights: the new version subtracts it
        data.setdefault("scoring", {})["protective"] = "subtract"
    for item_enc in enc.items:
        if item_enc.separate and not joins:
            continue  # the separate scale stays as it is
        response = by_id[item_enc.item.id]["response"]
        points = new_points[item_enc.item.id]
        if response["type"] == "boolean":
            response["points"] = {"yes": points["yes"], "no": points["no"]}
        elif response["type"] in ("ordinal", "categorical"):
            for option in response["options"]:
                option["points"] = points[option["code"]]
            if NOT_RECORDED in item_enc.codes and _rebased(run):  # missing as its own category, weighed
                response["options"].append({"code": NOT_RECORDED, "label": dict(NOT_RECORDED_LABEL),
                                            "points": points[NOT_RECORDED]})
        else:
            for b, code in zip(response["bins"], item_enc.codes):
                b["points"] = points[code]

    pruned: list[str] = []
    if getattr(run.settings, "prune", True) and run.settings.method != "recalibrate":
        # Items that no longer give points become unscored information items: the new version
        # then scores completely with only its scored items answered.
        for item_enc in enc.items:
            item_id = item_enc.item.id
            if item_enc.separate and not joins:
                continue
            if all(abs(v) <= 1e-9 for v in new_points[item_id].values()) and item_enc.item.kind != "information":
                by_id[item_id]["kind"] = "information"
                pruned.append(item_id)

    metrics = run.metrics
    slope, intercept = float(run.model.slope_), float(run.model.intercept_)
    data["probability"] = {
        "form": "logistic",
        "intercept": round(intercept, 6),
        "slope": round(slope, 6),
        "reference_score": round(float(reference_score), 6),
        "sample": f"{run.cohort.source} (n = {run.cohort.n}, {run.cohort.events} events)",
        "date": metrics["date"],
        "follow_up_months": instrument.outcome.window_months,
        "n": run.cohort.n,
    }
    data["bands"] = _bands(instrument, run, new_totals=reference_score + totals(run.cohort.X, run.model.points_))
    data["bands"] = _reachable(data)
    data["calibration"] = {
        "status": "calibrated",
        "note": f"Calibrated by riskmanual {metrics['engine_version']} ({metrics['chosen']}); "
                f"cut-off {metrics['selected_cutoff']['rule']}. Review before setting status to active.",
        "date": metrics["date"],
        "data_sha256": run.cohort.sha256,
        "n": run.cohort.n,
        "events": run.cohort.events,
        "method": metrics["method"],
        "parameters": metrics["settings"],
        "engine_version": metrics["engine_version"],
        "metrics": {
            "cv_auc": _r(metrics["cv"]["auc"]),
            "cv_auc_ci": [_r(x) for x in metrics["cv"]["auc_ci"]],
            "cv_brier": _r(metrics["cv"]["brier"]),
            "cv_calibration_slope": _r(metrics["cv"]["calibration_slope"]),
            "cv_calibration_intercept": _r(metrics["cv"]["calibration_intercept"]),
            "apparent_auc": _r(metrics["apparent"]["auc"]),
            "selected_cutoff": metrics["selected_cutoff"]["cutoff"],
        },
    }
    data.setdefault("changelog", []).append({
        "version": version,
        "date": metrics["date"],
        "changes": f"Calibrated against {Path(run.cohort.source).name} ({metrics['chosen']}, n = {run.cohort.n}); "
                   f"cross-validated AUC {metrics['cv']['auc']:.3f}.",
    })
    model = Instrument.model_validate(data)
    problems = check_instrument(model)
    if problems and pruned:  # an item another rule needs scored stays scored (with 0 points)
        blocked = {p[0][1] for p in problems if len(p[0]) > 1 and p[0][0] == "items"}
        for index, item in enumerate(data["items"]):
            if item["id"] in pruned and (index in blocked or item["id"] in blocked or not blocked):
                item["kind"] = next(i.item.kind for i in enc.items if i.item.id == item["id"])
        pruned = [i["id"] for i in data["items"] if i["id"] in pruned and i["kind"] == "information"]
        model = Instrument.model_validate(data)
        problems = check_instrument(model)
    if pruned:
        metrics.setdefault("pruned", pruned)
    if problems:
        raise InstrumentError(tr("the calibrated instrument does not validate"), [
            Issue(message, path=path) for path, message, _value in problems
        ])
    return model


def _joins_total(run: CalibrationRun, new_points: dict[str, dict[str, float]]) -> bool:
    """Whether a refit gave any protective item of a separate scale points: then that scale
    becomes part of the total (subtracted) in the new version."""
    return run.settings.method != "recalibrate" and any(
        abs(v) > 1e-9 for e in run.cohort.encoding.items if e.separate for v in new_points[e.item.id].values())


def _own_points(item_enc: Any) -> dict[str, float]:
    """An item's current points per answer code, on its own scale."""
    response = item_enc.item.response
    if item_enc.bins is not None:
        values = [b.points for b in item_enc.bins]
    elif getattr(response, "options", None):
        values = [o.points for o in response.options]
    else:
        values = [response.points.no, response.points.yes]
    return {code: float(v) for code, v in zip(item_enc.codes, values)}


def _rebased(run: CalibrationRun) -> bool:
    """Refitted points are re-based (each item's lowest answer scores 0); recalibration keeps the points."""
    return run.settings.method != "recalibrate"


def _r(value: float) -> float | None:
    return None if value != value else round(float(value), 4)


def _reachable(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The bands with their inner edges moved inside the totals the new points can give
    (``low < e1 < ... < ek <= high``), so that validation finds no band that can never be reached."""
    bands = data["bands"]
    try:
        low, high = Instrument.model_validate(data).score_range()
    except Exception:  # noqa: BLE001 - the engine's validation reports the problem afterwards
        return bands
    inner = len(bands) - 1
    if inner <= 0 or high <= low:
        return bands
    step = min(1.0, (high - low) / (inner + 1))
    edges = [float(band["below"]) for band in bands[:-1]]
    for index in range(inner):  # from below: above the lowest total, strictly increasing
        floor = low + step if index == 0 else edges[index - 1] + step
        edges[index] = max(edges[index], floor)
    for index in reversed(range(inner)):  # from above: the top band starts at or below the highest total
        ceiling = high if index == inner - 1 else edges[index + 1] - step
        edges[index] = min(edges[index], ceiling)
    for index, edge in enumerate(edges):
        bands[index]["below"] = bands[index + 1]["min"] = round(edge, 6)
    return bands


def _bands(instrument: Instrument, run: CalibrationRun, new_totals: np.ndarray) -> list[dict[str, Any]]:
    """Band edges for the new points: each old edge moves to the same share of the cohort,
    and the target group's lower edge becomes the chosen cut-off."""
    old_totals = run.cohort.current_totals()
    bands = [b.model_dump(mode="json", exclude_none=True) for b in instrument.bands]
    edges: list[float] = []
    for band in instrument.bands[1:]:
        share = float(np.mean(old_totals < band.min)) if band.min is not None else 0.0
        edges.append(float(np.quantile(new_totals, min(max(share, 0.0), 1.0))))
    target = instrument.target_group.min_band if instrument.target_group else None
    cut = float(run.metrics["selected_cutoff"]["cutoff"])
    for index, band in enumerate(instrument.bands[1:]):
        if band.id == target:
            edges[index] = cut
    step = 1e-6 if not np.allclose(new_totals, np.round(new_totals)) else 1.0
    for index in range(len(edges)):  # keep edges strictly increasing around the fixed cut-off
        if index and edges[index] <= edges[index - 1]:
            edges[index] = edges[index - 1] + step
    edges = [round(e, 6) for e in edges]
    for index, band in enumerate(bands):
        band.pop("min", None)
        band.pop("below", None)
        if index > 0:
            band["min"] = edges[index - 1]
        if index < len(bands) - 1:
            band["below"] = edges[index]
    return bands


def write_instrument(model: Instrument, path: str | Path, *, source: str | None) -> Path:
    """Write the new version as YAML; never over the input file or an existing file."""
    target = Path(path)
    if source and target.resolve() == Path(source).resolve():
        raise InstrumentError(tr("{file}: refusing to overwrite the input instrument", file=str(target)), [
            Issue(tr("choose another --out: the input instrument is never overwritten"), file=str(target))])
    from ..files import FileWriteError, write_new

    text = yaml.safe_dump(model.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True, width=100)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_new(target, f"# Written by riskmanual calibrate; {model.id} {model.version}\n" + text)
    except FileWriteError as exc:
        from .data import file_reason

        reason = file_reason(exc.reason)
        if "exists" in exc.reason:
            reason = tr("{reason}; choose a new --out (calibration never overwrites)", reason=reason)
        raise InstrumentError(tr("{file}: not written", file=str(target)), [Issue(reason, file=str(target))]) from None
    except OSError as exc:
        raise InstrumentError(tr("{file}: not written", file=str(target)), [
            Issue(tr("cannot create the folder: {reason}", reason=str(exc.strerror or exc)),
                  file=str(target))]) from None
    return target
