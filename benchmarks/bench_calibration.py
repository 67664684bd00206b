"""Calibration benchmarks, each against plain scikit-learn measured in the same run.

1. COMPAS (../shared/data/compas, the standard filter): cross-validated AUC, calibration
   slope and fit seconds per fold of each method, beside ``LogisticRegressionCV`` on the
   same binary features and folds.
2. A simulated cohort (default 100,000 rows x a 30-item instrument): the same, plus the
   wall time of a whole ``points`` calibration with 5-fold CV and the report (goal < 60 s).

Run: ``.venv/bin/python benchmarks/bench_calibration.py [--rows 100000] [--skip-compas]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskmanual import load_instrument  # noqa: E402
from riskmanual.calibration import CalibrationSettings, apply_where, build_cohort, load_spec, read_table  # noqa: E402
from riskmanual.calibration.metrics import auc_ci, calibration_fit  # noqa: E402
from riskmanual.calibration.run import calibrate_cohort  # noqa: E402

COMPAS_SPEC = ROOT / "calibration" / "example-compas" / "spec.yaml"


def sklearn_baseline(X: np.ndarray, y: np.ndarray, folds: int, seed: int) -> tuple[float, float, float]:
    """LogisticRegressionCV on the same binary features and folds: AUC, slope, seconds per fold."""
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold

    p = np.zeros(len(y))
    seconds = []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
        start = time.perf_counter()
        model = LogisticRegressionCV(Cs=7, cv=3, max_iter=2000, scoring="neg_log_loss", l1_ratios=(0.0,),
                                     use_legacy_attributes=False).fit(X[train], y[train])
        seconds.append(time.perf_counter() - start)
        p[test] = model.predict_proba(X[test])[:, 1]
    return auc_ci(y, p)[0], calibration_fit(y, p)["slope"], float(np.mean(seconds))


def table(title: str, cohort, methods: list[tuple[str, dict]], folds: int = 5, seed: int = 0) -> None:
    print(f"\n{title}: n = {cohort.n}, events = {cohort.events}, features = {cohort.X.shape[1]}")
    print(f"  {'method':<34} {'cv AUC':>7} {'slope':>6} {'s/fold':>7}")
    for label, extra in methods:
        settings = CalibrationSettings(instrument="-", data="-", outcome="-", folds=folds, seed=seed, **extra)
        run = calibrate_cohort(settings, cohort)
        for name, figures in run.metrics["comparison"].items():
            if name == "current points" and label != "recalibrate":
                continue
            print(f"  {label + ': ' + name:<34} {figures['auc']:7.3f} {figures['calibration_slope']:6.2f} "
                  f"{figures['fit_seconds']:7.2f}")
    auc, slope, seconds = sklearn_baseline(cohort.X, cohort.y, folds, seed)
    print(f"  {'sklearn LogisticRegressionCV':<34} {auc:7.3f} {slope:6.2f} {seconds:7.2f}")


def compas() -> None:
    if not COMPAS_SPEC.exists():
        print("COMPAS: spec missing; skipped")
        return
    spec = load_spec(COMPAS_SPEC)
    data = COMPAS_SPEC.parent / spec.data
    if not data.exists():
        print(f"COMPAS: {data} absent; skipped")
        return
    instrument = load_instrument(COMPAS_SPEC.parent / spec.instrument)
    frame = apply_where(read_table(data), spec.where)
    cohort = build_cohort(instrument, frame, spec.outcome)
    table("COMPAS (ProPublica standard filter)", cohort, [
        ("recalibrate", {"method": "recalibrate"}),
        ("logistic", {"method": "logistic"}),
        ("points k=6", {"method": "points", "max_items": 6}),
    ])


def thirty_items():
    """sig-assessment (29 items) plus one more ordinal risk item: the issue's 100,000 x 30 problem."""
    from riskmanual import Instrument

    data = load_instrument("sig-assessment").model_dump(mode="json", exclude_none=True)
    extra = next(item for item in data["items"] if item["id"] == "impulsivity")
    data["items"].append({**extra, "id": "impulsivity_copy", "interventions": extra.get("interventions")})
    return Instrument.model_validate(data)


def simulated(rows: int) -> None:
    from riskmanual.calibration.report import write_report
    from riskmanual.calibration.simulate import simulate

    instrument = thirty_items()
    start = time.perf_counter()
    frame = simulate(instrument, rows, seed=1)
    made = time.perf_counter() - start
    start = time.perf_counter()
    cohort = build_cohort(instrument, frame, "outcome")
    built = time.perf_counter() - start
    print(f"\nsimulated {rows} x {len(instrument.items)} items: simulate {made:.1f} s, check + encode {built:.1f} s")
    table(f"simulated sig-assessment + 1 item ({rows} rows x {len(instrument.items)} items)", cohort, [
        ("recalibrate", {"method": "recalibrate"}),
        ("points k=6", {"method": "points", "max_items": 6}),
    ])
    start = time.perf_counter()
    settings = CalibrationSettings(instrument="-", data="-", outcome="outcome", method="points", max_items=10,
                                   groups=["sex", "district"])
    cohort = build_cohort(instrument, frame, "outcome", groups=["sex", "district"])
    run = calibrate_cohort(settings, cohort)
    with tempfile.TemporaryDirectory() as folder:
        write_report(run.metrics, run.arrays, folder)
    total = time.perf_counter() - start + built
    print(f"\nwhole points calibration (k=10, 5-fold CV, groups, report) on {rows} rows: {total:.1f} s (goal < 60 s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-compas", action="store_true")
    args = parser.parse_args()
    if not args.skip_compas:
        compas()
    simulated(args.rows)


if __name__ == "__main__":
    main()
