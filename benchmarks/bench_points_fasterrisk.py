"""IntegerPointsClassifier against FasterRisk and LogisticRegression on the same COMPAS folds.

1. COMPAS (ProPublica two-year recidivism, standard filter, 6,172 rows), 17 binary
   threshold features from age, priors_count, the three juvenile counts and the charge
   degree (never race, never sex), grouped into 6 items, one per variable. 5-fold
   stratified CV (shuffle, random_state 0 unless --seeds says otherwise). Per method: mean
   fold AUC, fold SD, out-of-fold Brier score, calibration slope (logistic regression of y
   on the out-of-fold logit), fit seconds per fold, items and non-zero columns used.
2. A simulated 100,000 x 30 binary problem with a sparse integer truth: fit time for
   max_items=6 and 10.

FasterRisk pins old libraries, so it never enters this project's environment: install it
in a venv of its own (``python3 -m venv /tmp/fr-venv && /tmp/fr-venv/bin/pip install
fasterrisk``) and pass ``--fasterrisk-python /tmp/fr-venv/bin/python``. The benchmark writes
the binary matrix and the folds to a temporary directory (npz), runs a driver script under
that interpreter, and reads back its out-of-fold probabilities and fit times. Without the
option FasterRisk is not measured (the table says so). ``--fasterrisk-sim`` also times
FasterRisk on the simulated problem (about 3 minutes).

Run: ``.venv/bin/python benchmarks/bench_points_fasterrisk.py [--fasterrisk-python PATH]``.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskmanual.calibration.points import IntegerPointsClassifier  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "compas" / "compas-scores-two-years.csv"

AGE_AT_MOST = (20, 22, 25, 29, 34, 44)
PRIORS_AT_LEAST = (1, 2, 3, 4, 6, 9, 14)


def compas_features(path: Path):
    """Binary matrix, outcome, groups (one per variable) and column names; race and sex unused."""
    import pandas as pd

    df = pd.read_csv(path)
    df = df[
        df.days_b_screening_arrest.between(-30, 30)
        & (df.is_recid != -1)
        & (df.c_charge_degree != "O")
        & (df.score_text != "N/A")
    ]
    columns, names, groups = [], [], []

    def item(pairs):
        groups.append([])
        for name, values in pairs:
            groups[-1].append(len(columns))
            columns.append(values.to_numpy(dtype=np.float64))
            names.append(name)

    item((f"age<={t}", df.age <= t) for t in AGE_AT_MOST)
    item((f"priors>={t}", df.priors_count >= t) for t in PRIORS_AT_LEAST)
    for col in ("juv_fel_count", "juv_misd_count", "juv_other_count"):
        item([(f"{col}>=1", df[col] >= 1)])
    item([("charge=F", df.c_charge_degree == "F")])
    return np.column_stack(columns), df.two_year_recid.to_numpy(dtype=np.int64), groups, names


def calibration_slope(y, prob):
    """Slope of an unpenalised logistic regression of y on logit(prob)."""
    from scipy.optimize import minimize
    from scipy.special import expit

    p = np.clip(prob, 1e-12, 1 - 1e-12)
    z = np.log(p / (1 - p))

    def f(theta):
        eta = theta[0] + theta[1] * z
        r = expit(eta) - y
        return np.mean(np.logaddexp(0, eta) - y * eta), np.array([r.mean(), (r * z).mean()])

    return float(minimize(f, [0.0, 1.0], jac=True, method="BFGS").x[1])


def summarise(name, y, fold, oof, seconds, items, columns):
    from sklearn.metrics import roc_auc_score

    aucs = [roc_auc_score(y[fold == f], oof[fold == f]) for f in np.unique(fold)]
    return {
        "method": name,
        "items": items,
        "columns": columns,
        "auc": float(np.mean(aucs)),
        "auc_sd": float(np.std(aucs, ddof=1)),
        "brier": float(np.mean((oof - y) ** 2)),
        "slope": calibration_slope(y, oof),
        "seconds": float(np.mean(seconds)),
    }


def run_ours(name, make, X, y, fold, groups):
    oof = np.zeros(len(y))
    seconds, items, columns = [], [], []
    for f in np.unique(fold):
        train, test = fold != f, fold == f
        model = make()
        start = time.perf_counter()
        model.fit(X[train], y[train])
        seconds.append(time.perf_counter() - start)
        oof[test] = model.predict_proba(X[test])[:, 1]
        pts = model.points_
        items.append(sum(1 for g in groups if np.any(pts[g] != 0)))
        columns.append(int(np.count_nonzero(pts)))
    return summarise(name, y, fold, oof, seconds, max(items), float(np.mean(columns))), model


def run_logistic(X, y, fold, groups):
    from sklearn.linear_model import LogisticRegression

    oof = np.zeros(len(y))
    seconds = []
    for f in np.unique(fold):
        train, test = fold != f, fold == f
        model = LogisticRegression(max_iter=1000)
        start = time.perf_counter()
        model.fit(X[train], y[train])
        seconds.append(time.perf_counter() - start)
        oof[test] = model.predict_proba(X[test])[:, 1]
    return summarise("LogisticRegression (C=1, continuous weights)", y, fold, oof, seconds,
                     len(groups), float(X.shape[1]))


# The driver runs under FasterRisk's own interpreter; it reads job.json and data.npz and
# writes out.npz: per configuration the out-of-fold probabilities, fit seconds per fold and
# the coefficients of every fold.
FASTERRISK_DRIVER = textwrap.dedent('''
    import json, sys, time
    from pathlib import Path
    import numpy as np
    from fasterrisk.fasterrisk import RiskScoreOptimizer, RiskScoreClassifier

    work = Path(sys.argv[1])
    job = json.loads((work / "job.json").read_text())
    data = np.load(work / "data.npz")
    X, y, fold, f2g = data["X"], data["y"], data["fold"], data["f2g"]
    out = {}
    for c, config in enumerate(job["configs"]):
        oof = np.zeros(len(y))
        seconds, coefs = [], []
        folds = np.unique(fold) if config.get("cv", True) else [None]
        for f in folds:
            train = np.ones(len(y), bool) if f is None else fold != f
            kwargs = dict(k=config["k"], lb=job["lb"], ub=job["ub"])
            if config.get("group_sparsity"):
                kwargs.update(group_sparsity=config["group_sparsity"], featureIndex_to_groupIndex=f2g.astype(np.int_))
            start = time.perf_counter()
            opt = RiskScoreOptimizer(X[train], 2.0 * y[train] - 1.0, **kwargs)
            opt.optimize()
            multiplier, intercept, coef = opt.get_models(model_index=0)
            seconds.append(time.perf_counter() - start)
            clf = RiskScoreClassifier(multiplier, intercept, coef)
            if f is not None:
                oof[fold == f] = clf.predict_prob(X[fold == f])
            coefs.append(np.asarray(coef, dtype=float))
        out[f"oof{c}"] = oof
        out[f"seconds{c}"] = np.array(seconds)
        out[f"coef{c}"] = np.array(coefs)
    np.savez(work / "out.npz", **out)
''')


def run_fasterrisk(python, X, y, fold, groups, configs, lb=-5, ub=5):
    """Run FasterRisk in its own interpreter; returns the driver's outputs."""
    f2g = np.zeros(X.shape[1], dtype=np.int64)
    for g, cols in enumerate(groups):
        f2g[cols] = g
    with tempfile.TemporaryDirectory(prefix="bench-fasterrisk-") as tmp:
        work = Path(tmp)
        np.savez(work / "data.npz", X=X, y=y, fold=fold, f2g=f2g)
        (work / "job.json").write_text(json.dumps({"configs": configs, "lb": lb, "ub": ub}))
        (work / "driver.py").write_text(FASTERRISK_DRIVER)
        subprocess.run([python, str(work / "driver.py"), str(work)], check=True)
        with np.load(work / "out.npz") as out:
            return {key: out[key] for key in out.files}


def simulated(n=100_000, p=30, seed=0):
    """Sparse binary features; 8 columns carry integer points; logit = -1 + 0.5 (total - mean)."""
    rng = np.random.default_rng(seed)
    X = (rng.random((n, p)) < rng.uniform(0.05, 0.3, p)).astype(np.float64)
    truth = np.zeros(p, dtype=np.int64)
    idx = rng.choice(p, 8, replace=False)
    truth[idx] = rng.choice([-3, -2, -1, 1, 2, 3, 4], 8)
    total = X @ truth
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1.0 + 0.5 * (total - total.mean()))))).astype(np.int64)
    return X, y, truth


def table(rows):
    head = f"| {'method':<58} | items | cols | CV AUC | fold SD | Brier  | cal. slope | fit s/fold |"
    line = "|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|"
    out = [head, line]
    for r in rows:
        if r.get("auc") is None:
            out.append(f"| {r['method']:<58} | {'':>5} | {'':>4} | {'not measured':>48} |")
            continue
        out.append(
            f"| {r['method']:<58} | {r['items']:>5} | {r['columns']:>4.1f} | {r['auc']:.4f} | {r['auc_sd']:.4f}  "
            f"| {r['brier']:.4f} | {r['slope']:>10.3f} | {r['seconds']:>10.3f} |"
        )
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fasterrisk-python", help="interpreter of a venv where fasterrisk is installed")
    parser.add_argument("--fasterrisk-sim", action="store_true",
                        help="also time FasterRisk on the simulated 100k x 30 problem (minutes)")
    parser.add_argument("--data", type=Path, default=DATA, help="compas-scores-two-years.csv")
    parser.add_argument("--seeds", default="0", help="comma-separated shuffle seeds of the 5-fold CV")
    parser.add_argument("--skip-sim", action="store_true", help="skip the simulated problem")
    args = parser.parse_args(argv)

    from sklearn.model_selection import StratifiedKFold

    X, y, groups, names = compas_features(args.data)
    print(f"COMPAS: {X.shape[0]} rows, base rate {y.mean():.4f}, {X.shape[1]} binary columns in "
          f"{len(groups)} items: {', '.join(names)}")
    nonneg = (np.zeros(X.shape[1]), np.full(X.shape[1], np.inf))

    for seed in [int(s) for s in args.seeds.split(",")]:
        fold = np.zeros(len(y), dtype=np.int64)
        for f, (_, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y)):
            fold[test] = f
        rows, models = [], {}
        for key, name, make in [
            ("grouped", "points: 6 items (thresholds grouped by variable)",
             lambda: IntegerPointsClassifier(max_items=6, groups=groups)),
            ("nonneg", "points: 6 items, grouped, every weight >= 0 (bounds)",
             lambda: IntegerPointsClassifier(max_items=6, groups=groups, bounds=nonneg)),
            ("single", "points: 6 columns (groups=None)",
             lambda: IntegerPointsClassifier(max_items=6)),
        ]:
            row, models[key] = run_ours(name, make, X, y, fold, groups)
            rows.append(row)
        configs = [
            {"name": "FasterRisk k=6 (6 columns)", "k": 6},
            {"name": "FasterRisk group_sparsity=6, k=12 columns", "k": 12, "group_sparsity": 6},
            {"name": "FasterRisk group_sparsity=6, k=17 columns", "k": 17, "group_sparsity": 6},
        ]
        if args.fasterrisk_python:
            out = run_fasterrisk(args.fasterrisk_python, X, y, fold, groups, configs)
            for c, config in enumerate(configs):
                coefs = out[f"coef{c}"]
                items = max(sum(1 for g in groups if np.any(row[g] != 0)) for row in coefs)
                rows.append(summarise(config["name"], y, fold, out[f"oof{c}"], out[f"seconds{c}"], items,
                                      float(np.mean(np.count_nonzero(coefs, axis=1)))))
        else:
            rows.append({"method": "FasterRisk: not measured (no --fasterrisk-python)"})
        rows.append(run_logistic(X, y, fold, groups))
        print(f"\n5-fold stratified CV, shuffle random_state={seed}; 'items' = most items used in any fold, "
              f"'cols' = mean non-zero columns; fold SD with ddof=1; Brier and slope out of fold.")
        print(table(rows))
        last = models["grouped"]
        print("\nLast fold's score (6 items, grouped): " + ", ".join(
            f"{names[j]} {int(last.points_[j]):+d}" for j in np.flatnonzero(last.points_)))
        print(f"P(recid) = 1/(1+exp(-({last.intercept_:.3f} + {last.slope_:.3f} * total)))")

    if args.skip_sim:
        return
    Xs, ys, truth = simulated()
    print(f"\nSimulated: {Xs.shape[0]} x {Xs.shape[1]} binary, {np.count_nonzero(truth)} true non-zero points, "
          f"base rate {ys.mean():.3f}; fit on all rows, best of 3 runs")
    print("| method | max items | fit seconds | corr(points, truth) | non-zero points |")
    print("|---|---|---|---|---|")
    for k in (6, 10):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            model = IntegerPointsClassifier(max_items=k).fit(Xs, ys)
            times.append(time.perf_counter() - start)
        corr = np.corrcoef(model.points_, truth)[0, 1]
        print(f"| points | {k} | {min(times):.3f} (median {statistics.median(times):.3f}) | {corr:.3f} "
              f"| {np.count_nonzero(model.points_)} |")
    if args.fasterrisk_python and args.fasterrisk_sim:
        configs = [{"name": f"FasterRisk k={k}", "k": k, "cv": False} for k in (6, 10)]
        out = run_fasterrisk(args.fasterrisk_python, Xs, ys, np.zeros(len(ys), dtype=np.int64),
                             [[j] for j in range(Xs.shape[1])], configs)
        for c, k in enumerate((6, 10)):
            coef = out[f"coef{c}"][0]
            corr = np.corrcoef(coef, truth)[0, 1]
            print(f"| FasterRisk | {k} | {out[f'seconds{c}'][0]:.3f} (one run) | {corr:.3f} "
                  f"| {np.count_nonzero(coef)} |")
    elif not args.fasterrisk_python:
        print("| FasterRisk | - | not measured (no --fasterrisk-python) | | |")


if __name__ == "__main__":
    main()
