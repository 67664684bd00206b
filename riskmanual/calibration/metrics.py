"""The figures of a validation report, each from a well-kept library where one exists.

Discrimination (AUC with a DeLong interval), overall accuracy (Brier), calibration (slope
and calibration-in-the-large by statsmodels, expected calibration error, observed rate per
score with Wilson intervals), cut-off tables with net benefit, decision curves and metrics
per group (numpy, with bootstrap intervals). Pure functions of arrays; no I/O.
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
    "paired_auc_difference",
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
    if m + n > COMPRESS_ROWS:
        compact = _auc_ci_counts(positives, negatives, level)
        if compact is not None:
            return compact
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


#: Above this many rows :func:`calibration_fit` fits on distinct (logit, outcome) pairs with counts as
#: frequency weights (the same maximum-likelihood fit; a 10-million-row GLM would need gigabytes).
COMPRESS_ROWS = 200_000


def _auc_ci_counts(positives: np.ndarray, negatives: np.ndarray, level: float) -> tuple[float, float, float] | None:
    """DeLong's AUC and interval from counts per distinct score (the same formulas, memory in the
    number of distinct values): used for large tables of integer totals; None when most values are distinct."""
    from scipy.stats import norm

    (up, cp_), (un, cn_) = (np.unique(positives, return_counts=True), np.unique(negatives, return_counts=True))
    values = np.union1d(up, un)
    if len(values) > (len(positives) + len(negatives)) // 4:
        return None
    m, n = len(positives), len(negatives)
    cp, cn = np.zeros(len(values)), np.zeros(len(values))
    cp[np.searchsorted(values, up)] = cp_
    cn[np.searchsorted(values, un)] = cn_
    below_n = np.cumsum(cn) - cn  # negatives strictly below each value
    above_p = m - np.cumsum(cp)  # positives strictly above each value
    v10 = (below_n + cn / 2) / n  # per positive at this value
    v01 = (above_p + cp / 2) / m  # per negative at this value
    auc = float((cp * v10).sum() / m)
    var10 = (cp * (v10 - auc) ** 2).sum() / (m - 1) if m > 1 else 0.0
    var01 = (cn * (v01 - auc) ** 2).sum() / (n - 1) if n > 1 else 0.0
    var = var10 / m + var01 / n if m > 1 and n > 1 else 0.0
    half = norm.ppf(0.5 + level / 2) * math.sqrt(max(var, 0.0))
    return float(auc), float(max(0.0, auc - half)), float(min(1.0, auc + half))


def calibration_fit(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Calibration slope (logistic of y on logit p) and calibration-in-the-large (offset logit p).

    Ideal: slope 1, intercept 0. A slope below 1 means predictions are too extreme (overfit).
    """
    import statsmodels.api as sm

    lp = _logit(np.asarray(p, dtype=float))
    y = np.asarray(y, dtype=float)
    observed, expected = float(y.mean()), float(np.mean(p))
    weights = None
    if len(y) > COMPRESS_ROWS:  # the same fit on the distinct (logit, outcome) pairs, weighted by their counts
        (l1, c1), (l0, c0) = np.unique(lp[y == 1], return_counts=True), np.unique(lp[y != 1], return_counts=True)
        if len(l1) + len(l0) <= len(y) // 4:
            lp, weights = np.concatenate([l1, l0]), np.concatenate([c1, c0]).astype(float)
            y = np.concatenate([np.ones(len(l1)), np.zeros(len(l0))])
    try:
        slope_fit = sm.GLM(y, sm.add_constant(lp), family=sm.families.Binomial(), freq_weights=weights).fit()
        citl_fit = sm.GLM(y, np.ones_like(lp), family=sm.families.Binomial(), offset=lp, freq_weights=weights).fit()
        slope, intercept = float(slope_fit.params[1]), float(citl_fit.params[0])
    except Exception:  # noqa: BLE001 - perfectly separated or degenerate data
        slope, intercept = float("nan"), float("nan")
    return {"slope": slope, "intercept": intercept, "observed": observed, "expected": expected}


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


def cutoff_table(scores: np.ndarray, y: np.ndarray, p: np.ndarray, cuts: np.ndarray | None = None) -> list[dict[str, Any]]:
    """For every candidate cut-off c (select when score >= c): who is selected and how well.

    Net benefit uses the threshold probability the cut-off implies (the lowest predicted
    probability among those selected): NB = TP/n - FP/n * pt / (1 - pt).
    """
    y = np.asarray(y).astype(bool)
    n = len(y)
    positives = int(y.sum())
    rows = []
    for cut in (np.unique(scores) if cuts is None else cuts):
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
    """Parse ``rule=value``; raise ValueError with what is allowed (its argument a translatable
    :class:`riskmanual.messages.Msg`: ``str(exc)`` is the English, ``exc.args[0].render("sv")``)."""
    from ..messages import tr

    rule, sep, value = text.partition("=")
    rule = rule.strip()
    allowed = ("capacity", "sensitivity", "ppv", "threshold")
    if not sep or rule not in allowed:
        raise ValueError(tr("--select takes one of {allowed}, not '{value}'",
                            allowed=", ".join(a + "=..." for a in allowed), value=text))
    try:
        number = float(value)
    except ValueError:
        raise ValueError(tr("--select {rule} needs a number, not '{value}'", rule=rule, value=value)) from None
    if not math.isfinite(number):
        raise ValueError(tr("--select {rule} needs a finite number, not '{value}'", rule=rule, value=value.strip()))
    if rule == "capacity" and (number <= 0 or (number >= 1 and number != int(number))):
        raise ValueError(tr("capacity is a share in (0, 1) or a whole number of people"))
    if rule in ("sensitivity", "ppv", "threshold") and not 0 < number < 1:
        raise ValueError(tr("{rule} must lie between 0 and 1", rule=rule))
    return Selection(rule, number)


def select_cutoff(table: list[dict[str, Any]], selection: Selection, n: int) -> dict[str, Any]:
    """The cut-off row that the selection rule picks, with a reason in words."""
    rows = sorted(table, key=lambda r: r["cutoff"])
    if selection.rule == "capacity":
        limit = selection.value if selection.value >= 1 else selection.value * n
        fitting = [r for r in rows if r["selected"] <= limit]
        chosen = fitting[0] if fitting else rows[-1]
        why = f"the most people that fit the capacity of {limit:.0f}"
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
        "brier": float(brier_score_loss(y, p)) if len(y) <= COMPRESS_ROWS
        else float(np.mean(np.square(np.asarray(p, dtype=float) - np.asarray(y, dtype=float)))),
        "calibration_slope": fit["slope"],
        "calibration_intercept": fit["intercept"],
        "ece": expected_calibration_error(y, p),
        "observed_rate": fit["observed"],
        "mean_predicted": fit["expected"],
    }


MIN_GROUP_SIZE = 30
BOOTSTRAP = 200


def _structural(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's structural components V10 (per positive) and V01 (per negative)."""
    from scipy.stats import rankdata

    positives, negatives = score[y], score[~y]
    m, n = len(positives), len(negatives)
    ranks = rankdata(np.concatenate([positives, negatives]))
    v10 = (ranks[:m] - rankdata(positives)) / n
    v01 = 1 - (ranks[m:] - rankdata(negatives)) / m
    return v10, v01


def paired_auc_difference(y: np.ndarray, a: np.ndarray, b: np.ndarray, level: float = 0.95) -> dict[str, float]:
    """AUC(a) - AUC(b) on the same cases, with a paired DeLong interval and two-sided p-value."""
    from scipy.stats import norm

    y = np.asarray(y).astype(bool)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    m, n = int(y.sum()), int((~y).sum())
    if m < 2 or n < 2:
        return {"difference": float("nan"), "ci": [float("nan"), float("nan")], "p_value": float("nan")}
    a10, a01 = _structural(y, a)
    b10, b01 = _structural(y, b)
    diff = float(a10.mean() - b10.mean())
    s10 = np.cov(np.vstack([a10, b10]))
    s01 = np.cov(np.vstack([a01, b01]))
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / m + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / n
    se = math.sqrt(max(float(var), 0.0))
    z = norm.ppf(0.5 + level / 2)
    p_value = float(2 * norm.sf(abs(diff) / se)) if se > 0 else (1.0 if diff == 0 else 0.0)
    return {"difference": diff, "ci": [diff - z * se, diff + z * se], "p_value": p_value}


def _weighted_auc(codes: np.ndarray, y: np.ndarray, w: np.ndarray, levels: int) -> float:
    """AUC of a score given as dense ranks ``codes`` (0..levels-1), cases weighted by ``w``."""
    pos = np.bincount(codes, weights=w * y, minlength=levels)
    neg = np.bincount(codes, weights=w * (1 - y), minlength=levels)
    total_pos, total_neg = pos.sum(), neg.sum()
    if total_pos <= 0 or total_neg <= 0:
        return float("nan")
    below = np.cumsum(neg) - neg
    return float((pos * (below + 0.5 * neg)).sum() / (total_pos * total_neg))


def _group_figures(y: np.ndarray, p: np.ndarray, selected: np.ndarray, codes: np.ndarray, levels: int,
                   w: np.ndarray) -> dict[str, float]:
    """The figures of one group, cases weighted by ``w`` (1 for the estimate, bootstrap counts for intervals).

    ``selected`` may be a share per case (the share of repeats in which the case was selected)."""
    n = w.sum()
    pos, neg = (w * y).sum(), (w * (1 - y)).sum()
    chosen = (w * selected).sum()
    return {
        "n": n,
        "base_rate": pos / n if n else float("nan"),
        "auc": _weighted_auc(codes, y, w, levels),
        "mean_predicted": (w * p).sum() / n if n else float("nan"),
        "calibration_in_the_large": ((w * (y - p)).sum() / n) if n else float("nan"),
        "selection_rate": chosen / n if n else float("nan"),
        "false_positive_rate": (w * selected * (1 - y)).sum() / neg if neg else float("nan"),
        "false_negative_rate": (w * (1 - selected) * y).sum() / pos if pos else float("nan"),
    }


INTERVALS = ("auc", "calibration_in_the_large", "false_positive_rate", "false_negative_rate")


def group_metrics(y: np.ndarray, p: np.ndarray, selected: np.ndarray, groups: dict[str, np.ndarray], *,
                  min_size: int = MIN_GROUP_SIZE, bootstrap: int = BOOTSTRAP, seed: int = 0) -> dict[str, Any]:
    """Per group column and value: n, base rate, AUC, calibration in the large, selection rate,
    false positive and false negative rates at the chosen cut-off, with bootstrap 95% intervals
    for AUC, calibration in the large, FPR and FNR (numpy; fairlearn's MetricFrame is the test oracle).

    Groups with fewer than ``min_size`` cases are listed as too few to judge, with no figures
    but their size, and are left out of the summary sentence. Group values are masked with
    :func:`riskmanual.privacy.mask_personnummer` (a group column may hold identities).
    """
    from scipy.stats import rankdata

    from ..privacy import mask_personnummer

    y = np.asarray(y).astype(float)
    p = np.asarray(p, dtype=float)
    chosen = np.asarray(selected).astype(float)
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    for name, values in groups.items():
        values = np.asarray(values).astype(str)
        rows: dict[str, Any] = {}
        for group in sorted(np.unique(values)):
            mask = values == group
            key, masked, count = mask_personnummer(str(group)), mask_personnummer(str(group)), 1
            while key in rows:  # two masked identities must stay two groups
                count += 1
                key = f"{masked} ({count})"
            size = int(mask.sum())
            if size < min_size:
                rows[key] = {"n": size, "too_few": True}
                continue
            gy, gp, gs = y[mask], p[mask], chosen[mask]
            codes = (rankdata(gp, method="dense") - 1).astype(np.int64)
            levels = int(codes.max()) + 1
            figures = _group_figures(gy, gp, gs, codes, levels, np.ones(size))
            row: dict[str, Any] = {k: _num(v) for k, v in figures.items()}
            row["n"] = size
            row["too_few"] = False
            draws = {k: [] for k in INTERVALS}
            for _ in range(bootstrap):
                w = rng.multinomial(size, np.full(size, 1 / size)).astype(float) if size < 2000 else \
                    rng.poisson(1.0, size).astype(float)
                boot = _group_figures(gy, gp, gs, codes, levels, w)
                for k in INTERVALS:
                    draws[k].append(boot[k])
            for k in INTERVALS:
                finite = np.asarray(draws[k])[np.isfinite(draws[k])]
                row[f"{k}_ci"] = ([float(np.quantile(finite, 0.025)), float(np.quantile(finite, 0.975))]
                                  if len(finite) >= bootstrap // 2 else None)
            rows[key] = row
        out[name] = {"groups": rows, "statement": _statement(name, rows, min_size), "min_size": min_size}
    return out


def _num(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _statement(name: str, rows: dict[str, Any], min_size: int = MIN_GROUP_SIZE) -> str:
    """A plain sentence on how the groups differ, and why no single number makes them 'fair'.

    Built only from groups with at least ``min_size`` cases."""
    small = [g for g, r in rows.items() if r.get("too_few")]
    rows = {g: r for g, r in rows.items() if not r.get("too_few")}
    note = (f" {len(small)} {name} group(s) with fewer than {min_size} cases are too few to judge and left out."
            if small else "")
    if len(rows) < 2:
        return f"Fewer than two {name} groups with at least {min_size} cases: no comparison possible." + note
    rates = {g: r["base_rate"] for g, r in rows.items()}
    fpr = {g: r["false_positive_rate"] for g, r in rows.items() if r["false_positive_rate"] is not None}
    fnr = {g: r["false_negative_rate"] for g, r in rows.items() if r["false_negative_rate"] is not None}
    citl = {g: r["calibration_in_the_large"] for g, r in rows.items()}
    parts = [
        f"Base rates by {name} range from {min(rates.values()):.1%} to {max(rates.values()):.1%}.",
    ]
    if fpr and fnr:
        parts.append(f"At the chosen cut-off, false positive rates range from {min(fpr.values()):.1%} to "
                     f"{max(fpr.values()):.1%} and false negative rates from {min(fnr.values()):.1%} to {max(fnr.values()):.1%}.")
    parts.append(f"Observed minus predicted rate ranges from {min(citl.values()):+.1%} to {max(citl.values()):+.1%}"
                 " (intervals in the table).")
    if max(rates.values()) - min(rates.values()) > 0.02:
        parts.append("Because base rates differ, calibration within groups and equal error rates cannot both hold "
                     "(Kleinberg et al. 2017; Chouldechova 2017): the analyst has to decide which matters here.")
    return " ".join(parts) + note
