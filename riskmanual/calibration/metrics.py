"""The figures of a validation report, each from a well-kept library where one exists.

Discrimination (AUC with a DeLong interval), overall accuracy (Brier), calibration (slope
and calibration-in-the-large by statsmodels, expected calibration error, observed rate per
score with Wilson intervals), cut-off tables with net benefit, decision curves and metrics
per group (fairlearn's MetricFrame). Pure functions of arrays; no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Selection",
    "auc_ci",
    "calibration_fit",
    "cutoff_table",
    "decision_curve",
    "expected_calibration_error",
    "group_metrics",
    "parse_selection",
    "rate_table",
    "select_cutoff",
    "summary",
]

EPS = 1e-12


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def auc_ci(y: np.ndarray, p: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """AUC and its confidence interval by DeLong's method (Sun & Xu's fast algorithm)."""
    from scipy.stats import norm, rankdata

    y = np.asarray(y).astype(bool)
    positives, negatives = np.asarray(p)[y], np.asarray(p)[~y]
    m, n = len(positives), len(negatives)
    if m == 0 or n == 0:
        return float("nan"), float("nan"), float("nan")
    both = np.concatenate([positives, negatives])
    ranks = rankdata(both)
    rank_pos, rank_neg = rankdata(positives), rankdata(negatives)
    auc = (ranks[:m].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (ranks[:m] - rank_pos) / n
    v01 = 1 - (ranks[m:] - rank_neg) / m
    var = np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n if m > 1 and n > 1 else 0.0
    z = norm.ppf(0.5 + level / 2)
    half = z * math.sqrt(max(var, 0.0))
    return float(auc), float(max(0.0, auc - half)), float(min(1.0, auc + half))


def calibration_fit(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Calibration slope (logistic of y on logit p) and calibration-in-the-large (offset logit p).

    Ideal: slope 1, intercept 0. A slope below 1 means predictions are too extreme (overfit).
    """
    import statsmodels.api as sm

    lp = _logit(np.asarray(p, dtype=float))
    y = np.asarray(y, dtype=float)
    try:
        slope_fit = sm.GLM(y, sm.add_constant(lp), family=sm.families.Binomial()).fit()
        citl_fit = sm.GLM(y, np.ones_like(lp), family=sm.families.Binomial(), offset=lp).fit()
        slope, intercept = float(slope_fit.params[1]), float(citl_fit.params[0])
    except Exception:  # noqa: BLE001 - perfectly separated or degenerate data
        slope, intercept = float("nan"), float("nan")
    return {"slope": slope, "intercept": intercept, "observed": float(y.mean()), "expected": float(np.mean(p))}


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Mean |observed - predicted| over equal-count bins, weighted by bin size (binned, biased)."""
    order = np.argsort(p, kind="stable")
    total = 0.0
    for chunk in np.array_split(order, min(bins, len(order))):
        if len(chunk):
            total += len(chunk) * abs(float(np.mean(np.asarray(y)[chunk])) - float(np.mean(np.asarray(p)[chunk])))
    return total / max(len(order), 1)


def rate_table(scores: np.ndarray, y: np.ndarray, p: np.ndarray | None = None) -> list[dict[str, Any]]:
    """Observed outcome rate per score value with a 95% Wilson interval (and mean prediction)."""
    from statsmodels.stats.proportion import proportion_confint

    rows = []
    y = np.asarray(y)
    for value in np.unique(scores):
        mask = scores == value
        n, events = int(mask.sum()), int(y[mask].sum())
        low, high = proportion_confint(events, n, alpha=0.05, method="wilson")
        row = {"score": float(value), "n": n, "events": events, "rate": events / n, "ci": [float(low), float(high)]}
        if p is not None:
            row["predicted"] = float(np.mean(p[mask]))
        rows.append(row)
    return rows


def cutoff_table(scores: np.ndarray, y: np.ndarray, p: np.ndarray) -> list[dict[str, Any]]:
    """For every candidate cut-off c (select when score >= c): who is selected and how well.

    Net benefit uses the threshold probability the cut-off implies (the lowest predicted
    probability among those selected): NB = TP/n - FP/n * pt / (1 - pt).
    """
    y = np.asarray(y).astype(bool)
    n = len(y)
    positives = int(y.sum())
    rows = []
    for cut in np.unique(scores):
        selected = scores >= cut
        tp = int((selected & y).sum())
        fp = int((selected & ~y).sum())
        fn, tn = positives - tp, int(n - positives - fp)
        k = tp + fp
        pt = float(np.min(p[selected])) if k else float("nan")
        rows.append({
            "cutoff": float(cut),
            "selected": k,
            "selection_rate": k / n,
            "sensitivity": tp / positives if positives else float("nan"),
            "specificity": tn / (n - positives) if n - positives else float("nan"),
            "ppv": tp / k if k else float("nan"),
            "npv": tn / (tn + fn) if tn + fn else float("nan"),
            "threshold_probability": pt,
            "net_benefit": (tp / n - fp / n * pt / (1 - pt)) if k and pt < 1 else float("nan"),
        })
    return rows


@dataclass(frozen=True)
class Selection:
    """How analysts choose the cut-off: ``capacity=0.05`` / ``capacity=40``, ``sensitivity=0.8``,
    ``ppv=0.5`` or ``threshold=0.3``."""

    rule: str
    value: float

    def __str__(self) -> str:
        return f"{self.rule}={self.value:g}"


def parse_selection(text: str) -> Selection:
    """Parse ``rule=value``; raise ValueError with what is allowed."""
    rule, sep, value = text.partition("=")
    rule = rule.strip()
    allowed = ("capacity", "sensitivity", "ppv", "threshold")
    if not sep or rule not in allowed:
        raise ValueError(f"--select takes one of {', '.join(a + '=...' for a in allowed)}, not '{text}'")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"--select {rule} needs a number, not '{value}'") from None
    if rule == "capacity" and (number <= 0 or (number >= 1 and number != int(number))):
        raise ValueError("capacity is a share in (0, 1) or a whole number of young people")
    if rule in ("sensitivity", "ppv", "threshold") and not 0 < number < 1:
        raise ValueError(f"{rule} must lie between 0 and 1")
    return Selection(rule, number)


def select_cutoff(table: list[dict[str, Any]], selection: Selection, n: int) -> dict[str, Any]:
    """The cut-off row that the selection rule picks, with a reason in words."""
    rows = sorted(table, key=lambda r: r["cutoff"])
    if selection.rule == "capacity":
        limit = selection.value if selection.value >= 1 else selection.value * n
        fitting = [r for r in rows if r["selected"] <= limit]
        chosen = fitting[0] if fitting else rows[-1]
        why = f"the most young people that fit the capacity of {limit:.0f}"
    elif selection.rule == "sensitivity":
        fitting = [r for r in rows if r["sensitivity"] >= selection.value]
        chosen = fitting[-1] if fitting else rows[0]
        why = f"the highest cut-off that still finds {selection.value:.0%} of those with the outcome"
    elif selection.rule == "ppv":
        fitting = [r for r in rows if r["ppv"] == r["ppv"] and r["ppv"] >= selection.value]
        chosen = fitting[0] if fitting else rows[-1]
        why = f"the lowest cut-off at which at least {selection.value:.0%} of those selected have the outcome"
    else:
        fitting = [r for r in rows if r["threshold_probability"] >= selection.value]
        chosen = fitting[0] if fitting else rows[-1]
        why = f"everyone whose predicted probability is at least {selection.value:.0%}"
    return {**chosen, "rule": str(selection), "reason": why, "met": bool(fitting)}


def decision_curve(y: np.ndarray, p: np.ndarray, thresholds: np.ndarray | None = None) -> dict[str, list[float]]:
    """Net benefit of the model, of selecting everyone and of selecting no one, per threshold."""
    y = np.asarray(y).astype(bool)
    n = len(y)
    thresholds = np.linspace(0.05, 0.8, 16) if thresholds is None else thresholds
    prevalence = y.mean()
    model, everyone = [], []
    for t in thresholds:
        selected = p >= t
        tp, fp = (selected & y).sum(), (selected & ~y).sum()
        model.append(float(tp / n - fp / n * t / (1 - t)))
        everyone.append(float(prevalence - (1 - prevalence) * t / (1 - t)))
    return {"threshold": [float(t) for t in thresholds], "model": model, "everyone": everyone,
            "no_one": [0.0] * len(thresholds)}


def summary(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    """AUC with interval, Brier, calibration slope / intercept and ECE of one set of predictions."""
    from sklearn.metrics import brier_score_loss

    auc, low, high = auc_ci(y, p)
    fit = calibration_fit(y, p)
    return {
        "auc": auc,
        "auc_ci": [low, high],
        "brier": float(brier_score_loss(y, p)),
        "calibration_slope": fit["slope"],
        "calibration_intercept": fit["intercept"],
        "ece": expected_calibration_error(y, p),
        "observed_rate": fit["observed"],
        "mean_predicted": fit["expected"],
    }


def group_metrics(y: np.ndarray, p: np.ndarray, selected: np.ndarray, groups: dict[str, np.ndarray]) -> dict[str, Any]:
    """Per group column and value: n, base rate, AUC, calibration in the large, selection rate,
    false positive and false negative rates at the chosen cut-off (fairlearn MetricFrame)."""
    from fairlearn.metrics import MetricFrame, false_negative_rate, false_positive_rate, selection_rate
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y).astype(int)
    chosen = np.asarray(selected).astype(int)
    out: dict[str, Any] = {}
    for name, values in groups.items():
        frame = MetricFrame(
            metrics={
                "n": lambda t, s: len(t),
                "base_rate": lambda t, s: float(np.mean(t)),
                "selection_rate": selection_rate,
                "false_positive_rate": false_positive_rate,
                "false_negative_rate": false_negative_rate,
            },
            y_true=y, y_pred=chosen, sensitive_features=values,
        )
        rows: dict[str, Any] = {}
        for group, metrics in frame.by_group.to_dict(orient="index").items():
            mask = values == group
            rows[str(group)] = {
                "n": int(metrics["n"]),
                "base_rate": float(metrics["base_rate"]),
                "auc": float(roc_auc_score(y[mask], p[mask])) if len(np.unique(y[mask])) == 2 else None,
                "mean_predicted": float(np.mean(p[mask])),
                "calibration_in_the_large": float(np.mean(y[mask]) - np.mean(p[mask])),
                "selection_rate": float(metrics["selection_rate"]),
                "false_positive_rate": _num(metrics["false_positive_rate"]),
                "false_negative_rate": _num(metrics["false_negative_rate"]),
            }
        out[name] = {"groups": rows, "statement": _statement(name, rows)}
    return out


def _num(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _statement(name: str, rows: dict[str, Any]) -> str:
    """A plain sentence on how the groups differ, and why no single number makes them 'fair'."""
    if len(rows) < 2:
        return f"Only one {name} group: no comparison possible."
    rates = {g: r["base_rate"] for g, r in rows.items()}
    fpr = {g: r["false_positive_rate"] for g, r in rows.items() if r["false_positive_rate"] is not None}
    fnr = {g: r["false_negative_rate"] for g, r in rows.items() if r["false_negative_rate"] is not None}
    citl = {g: r["calibration_in_the_large"] for g, r in rows.items()}
    parts = [
        f"Base rates by {name} range from {min(rates.values()):.1%} to {max(rates.values()):.1%}.",
    ]
    if fpr:
        parts.append(f"At the chosen cut-off, false positive rates range from {min(fpr.values()):.1%} to "
                     f"{max(fpr.values()):.1%} and false negative rates from {min(fnr.values()):.1%} to {max(fnr.values()):.1%}.")
    parts.append(f"Observed minus predicted rate ranges from {min(citl.values()):+.1%} to {max(citl.values()):+.1%}.")
    if max(rates.values()) - min(rates.values()) > 0.02:
        parts.append("Because base rates differ, calibration within groups and equal error rates cannot both hold "
                     "(Kleinberg et al. 2017; Chouldechova 2017): the analyst has to decide which matters here.")
    return " ".join(parts)
