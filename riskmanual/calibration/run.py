"""One calibration run: cross-validate the candidates, fit the chosen method, choose the cut-off.

Every headline figure is out-of-fold: stratified k-fold, optionally repeated, with the
instrument's current points (probability recalibrated on the training folds only) fitted
and scored on exactly the same folds as every refit. Apparent (in-sample) figures are kept
apart and labelled so.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from .data import Cohort
from .encoding import totals as total_of
from .methods import CurrentPoints, LogisticPoints
from . import metrics as m

__all__ = ["CalibrationRun", "CalibrationSettings", "Where", "calibrate_cohort"]

Method = Literal["recalibrate", "logistic", "points"]


class Where(BaseModel):
    """A row filter: keep rows where ``column op value`` (numbers compare as numbers)."""

    model_config = ConfigDict(extra="forbid")
    column: str
    op: Literal["=", "!=", "<", "<=", ">", ">=", "in", "not_in"]
    value: Any


class CalibrationSettings(BaseModel):
    """Everything a calibration run depends on; a spec file (``calibration/NAME.yaml``) holds these."""

    model_config = ConfigDict(extra="forbid")

    instrument: str
    data: str
    outcome: str
    method: Method = "recalibrate"
    max_items: Optional[int] = Field(None, ge=1)
    groups: list[str] = Field(default_factory=list)
    id_column: Optional[str] = None
    final_rating: Optional[str] = None  # a column with the assessor's final band, evaluated beside the points
    columns: dict[str, str] = Field(default_factory=dict)
    column_rule: Optional[str] = None
    missing: Literal["reference", "error", "category"] = "reference"
    prune: bool = True
    values: dict[str, dict[str, Any]] = Field(default_factory=dict)
    outcome_values: dict[Literal["positive", "negative"], list[Any]] = Field(default_factory=dict)
    where: list[Where] = Field(default_factory=list)
    select: str = "capacity=0.2"
    folds: int = Field(5, ge=2, le=20)
    repeats: int = Field(1, ge=1, le=50)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    prior: Literal["current", "zero"] = "current"
    points_range: tuple[int, int] = (-5, 5)
    min_group_size: int = Field(30, ge=1)
    n_jobs: Optional[int] = Field(None, ge=1)  # processes for the folds; None: automatic (see fold_processes)
    out: Optional[str] = None
    report: Optional[str] = None


@dataclass
class Candidate:
    """One way of scoring, evaluated out-of-fold."""

    name: str
    make: Callable[[], Any]
    p: np.ndarray
    total: np.ndarray
    p_repeat: np.ndarray
    total_repeat: np.ndarray
    fold_auc: list[float] = field(default_factory=list)
    fit_seconds: list[float] = field(default_factory=list)


@dataclass
class CalibrationRun:
    """What a run produced: the chosen model, its figures, and the arrays behind the plots."""

    settings: CalibrationSettings
    cohort: Cohort
    model: Any
    metrics: dict[str, Any]
    arrays: dict[str, np.ndarray]
    selected: dict[str, Any]


def _candidates(settings: CalibrationSettings, cohort: Cohort) -> dict[str, Callable[[], Any]]:
    enc = cohort.encoding
    lower, upper = enc.bounds
    current = lambda: CurrentPoints(weights=enc.current)  # noqa: E731
    out: dict[str, Callable[[], Any]] = {"current points": current}
    existing = cohort.instrument.probability
    if settings.method == "recalibrate" and existing is not None and existing.form == "logistic":
        out["current points, intercept-only update"] = lambda: CurrentPoints(weights=enc.current, slope=existing.slope)
    low, high = settings.points_range
    if settings.method == "logistic":
        out["logistic (plain refit)"] = lambda: LogisticPoints(bounds=(lower, upper), prior=None, max_points=high,
                                                             random_state=settings.seed)
        out["logistic (shrunk to current)"] = lambda: LogisticPoints(bounds=(lower, upper), prior=enc.current,
                                                                   max_points=high, random_state=settings.seed)
    elif settings.method == "points":
        from .points import IntegerPointsClassifier

        out["points"] = lambda: IntegerPointsClassifier(
            max_items=settings.max_items or len(enc.items), groups=enc.groups, lower=low, upper=high,
            bounds=(lower, upper), random_state=settings.seed,
        )
    return out


def chosen_name(settings: CalibrationSettings) -> str:
    return {
        "recalibrate": "current points",
        "logistic": f"logistic ({'shrunk to current' if settings.prior == 'current' else 'plain refit'})",
        "points": "points",
    }[settings.method]


def calibrate_cohort(settings: CalibrationSettings, cohort: Cohort, *, progress: Callable[[str], None] | None = None,
                     today: dt.date | None = None) -> CalibrationRun:
    """Cross-validate, fit on all data, choose the cut-off, compute every figure."""
    from threadpoolctl import threadpool_limits

    # The fits are many small problems: multi-threaded BLAS makes them about 10x slower
    # (measured: a logistic refit on 16,000 x 53 took 4.6 s with 2 threads, 0.45 s with 1).
    with threadpool_limits(limits=1):
        return _calibrate(settings, cohort, progress=progress, today=today)


#: Above this many cells (rows x features x folds) the folds are fitted on several processes.
PARALLEL_CELLS = 20_000_000
#: A ``points`` search costs about this many times more per cell than one fit: its threshold is lower.
POINTS_CELL_COST = 10


def fold_processes(settings: CalibrationSettings, cells: int, fits: int) -> int:
    """How many processes fit the folds: ``settings.n_jobs`` when set (1: serial), else every
    idle core when the folds are large enough for the processes to pay (rows x features x fits
    above :data:`PARALLEL_CELLS`, a tenth of it for ``points``), else 1. Cores that other work
    keeps busy (the one-minute load average) do not pay: on a shared machine the processes only
    wait for each other. The results are the same whatever the number."""
    if fits < 2:
        return 1
    if settings.n_jobs is not None:
        return min(settings.n_jobs, fits)
    if cells < (PARALLEL_CELLS // POINTS_CELL_COST if settings.method == "points" else PARALLEL_CELLS):
        return 1
    import os

    from joblib import cpu_count

    cores = cpu_count()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows): take the cores as idle
        busy = 0.0
    idle = cores - max(busy - 0.5, 0.0)  # up to half a core of the load is this run itself
    return max(1, min(cores, fits, int(idle + 0.5)))


def _fit_fold(makers: list[tuple[str, Callable[[], Any]]], X: np.ndarray, y: np.ndarray, train: np.ndarray,
              test: np.ndarray, encoding: Any) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """Fit every candidate on one fold's training rows: its test probabilities, totals (as the
    instrument would score them, refits re-based) and fit seconds."""
    from threadpoolctl import threadpool_limits

    out = {}
    with threadpool_limits(limits=1):
        for name, make in makers:
            start = time.perf_counter()
            model = make().fit(X[train], y[train])
            seconds = time.perf_counter() - start
            offset = score_offset(encoding, model)
            out[name] = (model.predict_proba(X[test])[:, 1], offset + model.decision_function(X[test]), seconds)
    return out


def score_offset(encoding: Any, model: Any) -> float:
    """The total of a model's instrument when every answer is the reference one: the current
    points keep their offset, a refit's points are re-based so each item's lowest answer scores 0."""
    return encoding.offset_for(model.points_, rebase=not isinstance(model, CurrentPoints))


#: A refit is recommended only when its cross-validated calibration slope is at least this.
MIN_SLOPE = 0.85


def _calibrate(settings: CalibrationSettings, cohort: Cohort, *, progress: Callable[[str], None] | None,
               today: dt.date | None) -> CalibrationRun:
    from sklearn.model_selection import RepeatedStratifiedKFold

    from .data import check_folds
    from .methods import _intercept_only

    X, y = cohort.X, cohort.y
    check_folds(y, settings.folds, cohort.source)
    makers = _candidates(settings, cohort)
    splitter = RepeatedStratifiedKFold(n_splits=settings.folds, n_repeats=settings.repeats, random_state=settings.seed)
    R = settings.repeats
    candidates = {
        name: Candidate(name, make, np.zeros(len(y)), np.zeros(len(y)), np.zeros((R, len(y))), np.zeros((R, len(y))))
        for name, make in makers.items()
    }
    # int32 row indices: half the memory of the default int64 (5 folds of 10M rows: 400 MB -> 200 MB)
    splits = [(train.astype(np.int32), test.astype(np.int32)) for train, test in splitter.split(X, y)]
    makers_list = [(c.name, c.make) for c in candidates.values()]
    processes = fold_processes(settings, X.size * len(splits), len(splits))
    if processes > 1:
        # Large tables: the folds on several processes (each single-threaded), same results.
        from joblib import Parallel, delayed

        if progress:
            progress(f"{len(splits)} folds on {processes} processes")
        outputs = Parallel(n_jobs=processes, backend="loky")(
            delayed(_fit_fold)(makers_list, X, y, train, test, cohort.encoding) for train, test in splits)
    else:
        outputs = []
        for index, (train, test) in enumerate(splits):
            if progress:
                progress(f"fold {index + 1} of {len(splits)}")
            outputs.append(_fit_fold(makers_list, X, y, train, test, cohort.encoding))
    for index, ((_train, test), output) in enumerate(zip(splits, outputs)):
        repeat = index // settings.folds
        for name, (p, total, seconds) in output.items():
            candidate = candidates[name]
            candidate.fit_seconds.append(seconds)
            candidate.p_repeat[repeat, test] = p
            candidate.total_repeat[repeat, test] = total
            candidate.fold_auc.append(m.auc_ci(y[test], p)[0])
    del outputs, splits  # the per-fold copies are in the candidates now (memory for large tables)
    for candidate in candidates.values():  # one repeat: a view of it, not a copy
        candidate.p = candidate.p_repeat[0] if R == 1 else candidate.p_repeat.mean(axis=0)
        candidate.total = candidate.total_repeat[0] if R == 1 else candidate.total_repeat.mean(axis=0)

    name = chosen_name(settings)
    chosen = candidates[name]
    final = chosen.make().fit(X, y)
    violations = cohort.encoding.violations(final.points_)
    if violations:  # every method works within the bounds; this guards the guarantee
        raise RuntimeError("fitted points break the declared constraints: " + "; ".join(violations))

    comparison = {}
    current_total = total_of(X, cohort.encoding.current)  # the fixed score: the same in every fold
    for candidate in candidates.values():
        figures = m.summary(y, candidate.p)
        fixed = candidate.name.startswith("current points")
        if fixed:
            # The current points are not fitted: their discrimination is the rank AUC of the
            # total itself (per-fold recalibration would only add noise to the ranking).
            auc, low, high = m.auc_ci(y, current_total)
            figures.update(auc=auc, auc_ci=[low, high], auc_pooled=auc, auc_fold_mean=auc,
                           auc_basis="rank AUC of the total itself (no fitted step)")
        else:
            figures.update(auc_pooled=figures["auc"], auc_fold_mean=float(np.mean(candidate.fold_auc)),
                           auc_basis="pooled out-of-fold predictions" + (f", averaged over {R} repeats" if R > 1 else ""))
        figures["auc_fold_sd"] = float(np.std(candidate.fold_auc, ddof=1)) if len(candidate.fold_auc) > 1 else 0.0
        figures["fit_seconds"] = float(np.mean(candidate.fit_seconds))
        comparison[candidate.name] = figures
    cv = {k: v for k, v in comparison[name].items() if k != "fit_seconds"}

    warnings = list(cohort.warnings)
    separate = [e.item.id for e in cohort.encoding.items if e.separate]
    if separate:
        warnings.append(
            f"protective items on a separate scale ({', '.join(separate)}): their values are checked; "
            + ("recalibration keeps them on their own scale, outside the total" if name == "current points" else
               "the refit gives them their own weights in the total, and a new version that uses any of them "
               "subtracts the protective scale from the total (scoring: protective: subtract)"))
    decision = _decision(name, comparison, y, chosen.p, current_total, warnings)
    verdict = decision["text"]
    if name != "current points" and decision["verdict"] != "refit":
        warnings.append(verdict)

    # Uniform shrinkage: when the cross-validated slope is below 1, the fitted probability is
    # too extreme for new cases; the written slope is multiplied by it, the intercept refitted.
    cv_slope = cv["calibration_slope"]
    if cv_slope == cv_slope and cv_slope < MIN_SLOPE:
        warnings.append(f"the cross-validated calibration slope of {name} is {cv_slope:.2f}, below {MIN_SLOPE}: its "
                        "probabilities are too extreme for new cases; the written probability is shrunk by this slope")
    shrinkage = None
    total_all = total_of(X, final.points_)
    if cv_slope == cv_slope and cv_slope < 1:
        factor = max(float(cv_slope), 0.0)
        unshrunk = (float(final.intercept_), float(final.slope_))
        final.slope_ = float(final.slope_) * factor
        final.intercept_ = _intercept_only(total_all * final.slope_, y.astype(float))
        shrinkage = {"method": "uniform shrinkage by the cross-validated calibration slope", "factor": factor,
                     "unshrunk": {"intercept": unshrunk[0], "slope": unshrunk[1]}}
    apparent = m.summary(y, final.predict_proba(X)[:, 1])

    # Cut-offs and tables per repeat on the integer totals each repeat's fitted points give,
    # then summarised across repeats: no averaged (fractional) score is ever a cut-off.
    totals = np.round(chosen.total_repeat, 6)
    cutoffs = _cutoffs_over_repeats(totals, y, chosen.p_repeat)
    selection = m.parse_selection(settings.select)
    selected = m.select_cutoff(cutoffs, selection, len(y))
    share_selected = np.mean(totals >= selected["cutoff"], axis=0)

    metrics: dict[str, Any] = {
        "n": cohort.n,
        "events": cohort.events,
        "base_rate": cohort.events / cohort.n,
        "method": settings.method,
        "chosen": name,
        "date": (today or dt.date.today()).isoformat(),
        "engine_version": __version__,
        "instrument": {"id": cohort.instrument.id, "version": cohort.instrument.version},
        "population_word": _population_word(cohort.instrument),
        "data": {"source": cohort.source, "sha256": cohort.sha256},
        "settings": settings.model_dump(mode="json", exclude={"out", "report", "n_jobs"}),
        "missing": cohort.missing,
        "cv": cv,
        "apparent": apparent,
        "comparison": comparison,
        "verdict": verdict,
        "decision": {k: v for k, v in decision.items() if k != "text"},
        "shrinkage": shrinkage,
        "warnings": warnings,
        "rate_table": _rates_over_repeats(totals, y, chosen.p_repeat),
        "cutoffs": cutoffs,
        "selected_cutoff": selected,
        "decision_curve": m.decision_curve(y, chosen.p),
        "final_rating": _final_rating(settings, cohort, current_total),
        "groups": m.group_metrics(y, chosen.p, share_selected, cohort.groups, min_size=settings.min_group_size,
                                  seed=settings.seed) if cohort.groups else {},
        "model": {"intercept": final.intercept_, "slope": final.slope_,
                  "reference_score": score_offset(cohort.encoding, final)},
    }
    arrays = {"y": y, "p": chosen.p, "p_current": candidates["current points"].p, "total": totals[0]}
    return CalibrationRun(settings=settings, cohort=cohort, model=final, metrics=metrics, arrays=arrays,
                          selected=selected)


def _final_rating(settings: CalibrationSettings, cohort: Cohort, current_total: np.ndarray) -> dict[str, Any] | None:
    if cohort.final_rating is None:
        return None
    from .final_rating import evaluate_final_rating

    return evaluate_final_rating(cohort.instrument, cohort.final_rating, cohort.y,
                                 cohort.encoding.offset + current_total, column=str(cohort.final_rating_column),
                                 folds=settings.folds, seed=settings.seed)


def _population_word(instrument: Any) -> str:
    """Who the instrument assesses, in the report's words: young people when its age range ends by 25."""
    age = getattr(instrument.population, "age", None)
    high = getattr(age, "max", None)
    return "young people" if high is not None and high <= 25 else "people"


def _cutoffs_over_repeats(totals: np.ndarray, y: np.ndarray, p: np.ndarray) -> list[dict[str, Any]]:
    """The cut-off table of each repeat on its integer totals, averaged per cut-off value."""
    cuts = np.unique(totals)
    tables = [m.cutoff_table(t, y, q, cuts=cuts) for t, q in zip(totals, p)]
    if len(tables) == 1:
        return tables[0]
    rows = []
    for position, cut in enumerate(cuts):
        row: dict[str, Any] = {"cutoff": float(cut)}
        for key in tables[0][position]:
            if key == "cutoff":
                continue
            values = np.array([t[position][key] for t in tables], dtype=float)
            finite = values[np.isfinite(values)]
            row[key] = float(finite.mean()) if len(finite) else float("nan")
        rows.append(row)
    return rows


def _rates_over_repeats(totals: np.ndarray, y: np.ndarray, p: np.ndarray) -> list[dict[str, Any]]:
    """The rate per integer score, counted over all repeats and given per repeat (a mean count)."""
    R = len(totals)
    table = m.rate_table(totals.ravel(), np.tile(y, R), p.ravel())
    if R == 1:
        return table
    for row in table:
        row["n"] = row["n"] / R
        row["events"] = row["events"] / R
    return table


def _decision(name: str, comparison: dict[str, dict[str, Any]], y: np.ndarray, p_refit: np.ndarray,
              current_total: np.ndarray, warnings: list[str]) -> dict[str, Any]:
    """Refit, keep or inconclusive: a paired DeLong test on the same out-of-fold cases, and calibration."""
    current = comparison["current points"]
    if name == "current points":
        return {"verdict": "keep", "test": None, "reasons": ["recalibration keeps the points by design"],
                "text": ("Recalibration keeps the current points and refits only the probability: AUC of the total "
                         f"{current['auc']:.3f}, cross-validated calibration slope {current['calibration_slope']:.2f}.")}
    refit = comparison[name]
    test = m.paired_auc_difference(y, p_refit, current_total)
    diff, (low, high) = test["difference"], test["ci"]
    slope = refit["calibration_slope"]
    figures = (f"AUC {refit['auc']:.3f} vs {current['auc']:.3f}, difference {diff:+.3f} "
               f"(95% interval {low:+.3f} to {high:+.3f}, paired DeLong test on the same out-of-fold cases), "
               f"calibration slope of the refit {slope:.2f}")
    reasons = []
    if not low > 0:
        reasons.append("the interval of the AUC difference includes zero" if high > 0 else
                       "the current points discriminate better")
    if not (slope == slope and slope >= MIN_SLOPE):
        reasons.append(f"the refit's calibration slope is below {MIN_SLOPE} (its probabilities are too extreme)")
    against = [w for w in warnings if "prefer recalibration or the current points" in w]
    if against:
        reasons.append("too few events per item for a stable refit (see the warnings)")
    if not reasons:
        verdict, text = "refit", f"Refit: {name} beats the current points out-of-sample ({figures})."
    elif high < 0:
        verdict = "keep"
        text = f"Keep the current points: the refit ({name}) does not beat them out-of-sample ({figures})."
    else:
        verdict = "inconclusive"
        text = (f"Inconclusive, so keep the current points unless there is another reason to change them: the refit "
                f"({name}) does not clearly beat them out-of-sample because {'; '.join(reasons)} ({figures}).")
    return {"verdict": verdict, "test": {"method": "paired DeLong", **test}, "reasons": reasons,
            "min_calibration_slope": MIN_SLOPE, "text": text}
