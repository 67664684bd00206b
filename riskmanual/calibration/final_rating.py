"""The assessor's final rating (``final_rating: assessor``) as a predictor beside the points.

In structured professional judgement the assessor's own band is the result and the computed
band a guide. A table of past cases can hold that rating (band ids or labels, one column);
this module reads it and evaluates it on the rated cases: its rank AUC with a DeLong interval,
a paired comparison with the current points on the same cases, how often the assessor moved the
computed band, and its calibration: the outcome rate per rating, out-of-fold (each fold's
rates from the other folds) and as observed. Pure numpy; no I/O.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from ..errors import Issue
from ..instrument import Instrument
from ..messages import tr
from ..text import localize

__all__ = ["evaluate_final_rating", "read_final_rating"]

#: Cells read as "no rating" (the case is left out of this evaluation, and counted).
BLANK = {"", "nan", "none", "null", "na", "n/a", "missing", "saknas", "-"}


def read_final_rating(instrument: Instrument, series: Any, column: str, source: str, issues: list[Issue],
                      lines: np.ndarray, col: int | None, max_listed: int) -> np.ndarray:
    """Each row's rating as an index into the instrument's bands (-1: no rating).

    A cell matches a band's id or its label in any language, without regard to case."""
    from .data import _distinct, did_you_mean

    names: dict[str, int] = {}
    for position, band in enumerate(instrument.bands):
        names[band.id.casefold()] = position
        labels = band.label.values() if isinstance(band.label, dict) else [band.label]
        for label in labels:
            names.setdefault(str(label).strip().casefold(), position)
    distinct, inverse = _distinct(series)
    index = np.full(len(distinct), -1, dtype=np.int16)
    bad = np.zeros(len(distinct), dtype=bool)
    for position, value in enumerate(distinct.tolist()):
        text = "" if value is None else str(value).strip().casefold()
        if text in BLANK:
            continue
        if text in names:
            index[position] = names[text]
        else:
            bad[position] = True
    if bad.any():
        ids = [band.id for band in instrument.bands]
        raw = distinct.tolist()
        for row in np.flatnonzero(bad[inverse])[:max_listed]:
            value = raw[inverse[row]]
            close = difflib.get_close_matches(str(value).strip().casefold(), list(names), n=1)
            message = tr("not a band of {ref}: the final rating is one of {bands} (or their labels)",
                         ref=instrument.ref, bands=", ".join(ids))
            issues.append(Issue(did_you_mean(message, close), path=(column,), file=source, line=int(lines[row]),
                                column=col, value=value))
    return index[inverse]


def evaluate_final_rating(instrument: Instrument, rating: np.ndarray, y: np.ndarray, current_total: np.ndarray, *,
                          column: str, folds: int, seed: int) -> dict[str, Any]:
    """Figures for the assessor's rating on the rated cases (see the module docstring)."""
    from sklearn.model_selection import StratifiedKFold
    from statsmodels.stats.proportion import proportion_confint

    from . import metrics as m

    rated = rating >= 0
    n_rated = int(rated.sum())
    out: dict[str, Any] = {"column": column, "n": n_rated, "unrated": int(len(rating) - n_rated)}
    r, yr, total = rating[rated].astype(float), y[rated].astype(int), current_total[rated]
    if n_rated < 2 * folds or len(np.unique(yr)) < 2 or np.bincount(yr, minlength=2).min() < folds:
        out["note"] = (f"too few rated cases with each outcome ({n_rated} rated) for {folds} folds: "
                       "the final rating is not evaluated")
        return out
    auc, low, high = m.auc_ci(yr, r)
    out.update(auc=auc, auc_ci=[low, high], auc_basis="rank AUC of the rating itself (no fitted step)")
    test = m.paired_auc_difference(yr, r, total)
    out["versus_current_points"] = {"method": "paired DeLong", **test,
                                    "current_points_auc": m.auc_ci(yr, total)[0]}

    # Out-of-fold rate per rating: each fold's rates from the other folds' cases (+0.5 / +1).
    levels = len(instrument.bands)
    p = np.zeros(n_rated)
    codes = r.astype(int)
    for train, test_rows in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(r, yr):
        n = np.bincount(codes[train], minlength=levels)
        events = np.bincount(codes[train], weights=yr[train], minlength=levels)
        p[test_rows] = ((events + 0.5) / (n + 1.0))[codes[test_rows]]
    figures = m.summary(yr, p)
    out["out_of_fold"] = {k: figures[k] for k in ("brier", "calibration_slope", "calibration_intercept", "ece")}

    table = []
    for position, band in enumerate(instrument.bands):
        mask = codes == position
        n, events = int(mask.sum()), int(yr[mask].sum())
        row: dict[str, Any] = {"band": band.id, "label": localize(band.label, "en"), "label_sv": localize(band.label, "sv"),
                               "n": n, "events": events}
        if n:
            lo, hi = proportion_confint(events, n, alpha=0.05, method="wilson")
            row.update(rate=events / n, ci=[float(lo), float(hi)], predicted=float(p[mask].mean()))
        table.append(row)
    out["levels"] = table

    computed = np.array([_band_index(instrument, t) for t in total])
    known = computed >= 0
    if known.any():
        moved = codes[known] - computed[known]
        out["against_computed_band"] = {"same": float(np.mean(moved == 0)), "higher": float(np.mean(moved > 0)),
                                        "lower": float(np.mean(moved < 0)), "n": int(known.sum())}
    return out


def _band_index(instrument: Instrument, total: float) -> int:
    for position, band in enumerate(instrument.bands):
        if band.contains(total):
            return position
    return -1
