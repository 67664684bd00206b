"""The fitting methods, as scikit-learn estimators on the binary features of an instrument.

Every fitted model exposes ``points_`` (a weight per feature: the points, possibly
decimal for the current points), ``intercept_`` and ``slope_`` (the logistic probability
of the outcome as a function of the total ``X @ points_`` alone, so score and probability
can never disagree), ``decision_function`` (the total) and ``predict_proba``.

* :class:`CurrentPoints` keeps the instrument's points and fits only the probability
  (the ``recalibrate`` method, and the comparison every refit is reported beside);
* :class:`LogisticPoints` refits each feature's weight by penalised logistic regression
  within the declared sign constraints (the penalty chosen by inner cross-validation),
  shrinking toward zero or toward the current points, then maps the weights to integers;
* ``IntegerPointsClassifier`` (in :mod:`.points`) learns a sparse integer score directly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from .encoding import totals

__all__ = ["CurrentPoints", "LogisticPoints", "fit_total_logistic"]


#: Above this many rows the total's logistic fit runs on distinct (total, outcome) pairs with counts.
COMPRESS_ROWS = 200_000


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def fit_total_logistic(total: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of an unpenalised logistic regression of y on one total.

    The slope is constrained to be non-negative: a higher total never means a lower
    probability (an unconstrained fit on a fold where the score carries no signal can turn
    the score upside down and make a fixed score look worse than chance).
    """
    total = np.asarray(total, dtype=float)
    y = np.asarray(y, dtype=float)
    base = float(np.clip(y.mean(), 1e-6, 1 - 1e-6))
    count = None
    if len(y) > COMPRESS_ROWS:  # the same likelihood over distinct (total, outcome) pairs, weighted by counts
        (t1, c1), (t0, c0) = np.unique(total[y == 1], return_counts=True), np.unique(total[y != 1], return_counts=True)
        if len(t1) + len(t0) <= len(y) // 4:
            total, count = np.concatenate([t1, t0]), np.concatenate([c1, c0]).astype(float)
            y = np.concatenate([np.ones(len(t1)), np.zeros(len(t0))])

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        z = params[0] + params[1] * total
        p = _sigmoid(z)
        terms = y * np.log(p + 1e-15) + (1 - y) * np.log(1 - p + 1e-15)
        residual = p - y
        if count is not None:
            terms, residual = terms * count, residual * count
        return float(-np.sum(terms)), np.array([residual.sum(), residual @ total])

    result = minimize(loss, np.array([np.log(base / (1 - base)), 0.0]), jac=True, method="L-BFGS-B",
                      bounds=[(None, None), (0.0, None)])
    return float(result.x[0]), float(result.x[1])


class _TotalModel(ClassifierMixin, BaseEstimator):
    """Shared behaviour: a probability that depends on the total only."""

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        check_is_fitted(self, "points_")
        return totals(X, self.points_)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = _sigmoid(self.intercept_ + self.slope_ * self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


class CurrentPoints(_TotalModel):
    """The instrument's current points, with only the probability fitted (recalibration).

    With ``slope`` given, only the intercept is refitted: the intercept-only update, which
    keeps an existing probability model's slope and moves its base rate to this sample.
    """

    def __init__(self, weights: Any = None, slope: float | None = None) -> None:
        self.weights = weights
        self.slope = slope

    def fit(self, X: np.ndarray, y: np.ndarray) -> CurrentPoints:
        if self.weights is None:
            raise ValueError("CurrentPoints needs the current weights")
        self.points_ = np.asarray(self.weights, dtype=float)
        total = totals(X, self.points_)
        if self.slope is None:
            self.intercept_, self.slope_ = fit_total_logistic(total, y)
        else:
            self.slope_ = float(self.slope)
            self.intercept_ = _intercept_only(total * self.slope_, np.asarray(y, dtype=float))
        self.classes_ = np.array([0, 1])
        return self


def _intercept_only(offset: np.ndarray, y: np.ndarray) -> float:
    """The intercept of a logistic model with a fixed linear part (an offset)."""
    from scipy.optimize import brentq

    return float(brentq(lambda a: float(np.sum(_sigmoid(a + offset) - y)), -50, 50))


class LogisticPoints(_TotalModel):
    """Penalised logistic regression within sign bounds, then integer points.

    ``prior`` is what the penalty shrinks toward: ``None`` for zero (a plain refit) or the
    current weights (a refit that moves away from the expert points only as far as the data
    justify). ``Cs`` are inverse penalty strengths tried by ``inner_folds``-fold
    cross-validation on log-loss. The continuous weights are scaled so the largest becomes
    ``max_points`` and rounded; the probability is then refitted on the integer total.
    """

    def __init__(self, bounds: Any = None, prior: Any = None, Cs: Any = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
                 inner_folds: int = 3, max_points: int = 5, integer: bool = True, random_state: int | None = 0) -> None:
        self.bounds = bounds
        self.prior = prior
        self.Cs = Cs
        self.inner_folds = inner_folds
        self.max_points = max_points
        self.integer = integer
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> LogisticPoints:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if set(np.unique(y)) - {0.0, 1.0} or len(np.unique(y)) < 2:
            raise ValueError("the outcome must hold both 0 and 1")
        p = X.shape[1]
        prior = np.zeros(p) if self.prior is None else np.asarray(self.prior, dtype=float)
        lower, upper = (np.full(p, -np.inf), np.full(p, np.inf)) if self.bounds is None else self.bounds
        box = [(None if not np.isfinite(lo) else lo, None if not np.isfinite(hi) else hi) for lo, hi in zip(lower, upper)]
        start = np.clip(prior, np.where(np.isfinite(lower), lower, -1e9), np.where(np.isfinite(upper), upper, 1e9))
        scores = {}
        splitter = StratifiedKFold(self.inner_folds, shuffle=True, random_state=self.random_state)
        for C in self.Cs:
            losses = []
            for train, test in splitter.split(X, y):
                w, b = _penalised_fit(X[train], y[train], C, prior, box, start)
                q = np.clip(_sigmoid(b + X[test] @ w), 1e-15, 1 - 1e-15)
                losses.append(-np.mean(y[test] * np.log(q) + (1 - y[test]) * np.log(1 - q)))
            scores[C] = float(np.mean(losses))
        self.C_ = min(scores, key=scores.get)  # type: ignore[arg-type]
        self.cv_log_loss_ = scores
        self.coef_, self.continuous_intercept_ = _penalised_fit(X, y, self.C_, prior, box, start)
        largest = float(np.max(np.abs(self.coef_))) if np.any(self.coef_) else 1.0
        if self.integer:
            self.scale_ = self.max_points / largest
            self.points_ = np.round(self.coef_ * self.scale_)
        else:
            self.scale_ = 1.0
            self.points_ = self.coef_.copy()
        self.intercept_, self.slope_ = fit_total_logistic(X @ self.points_, y)
        self.classes_ = np.array([0, 1])
        return self


def _penalised_fit(X: np.ndarray, y: np.ndarray, C: float, prior: np.ndarray, box: list[Any],
                   start: np.ndarray) -> tuple[np.ndarray, float]:
    """Minimise log-loss + ||w - prior||^2 / (2 C n) within the bounds (intercept free)."""
    n = len(y)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = X @ w + b
        value = np.sum(np.logaddexp(0, z) - y * z) / n + np.sum((w - prior) ** 2) / (2 * C * n)
        residual = (_sigmoid(z) - y) / n
        grad_w = X.T @ residual + (w - prior) / (C * n)
        return float(value), np.concatenate([grad_w, [residual.sum()]])

    theta0 = np.concatenate([start, [0.0]])
    result = minimize(loss, theta0, jac=True, method="L-BFGS-B", bounds=box + [(None, None)])
    return result.x[:-1], float(result.x[-1])
