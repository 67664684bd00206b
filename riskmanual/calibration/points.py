"""Sparse integer point scores learned from binary features (the problem FasterRisk solves).

:class:`IntegerPointsClassifier` learns integer weights ``w`` (points) for 0/1 columns so that
a total ``s = X @ w`` can be added up by hand, and a probability that depends on that total
only: ``p = 1 / (1 + exp(-(a + b * s)))``. At most ``max_items`` items (groups of columns,
e.g. the threshold indicators of one rating) get any non-zero weight, every weight lies in
its integer range, and the declared sign constraints hold.

The search has three stages, all on a compressed copy of the data (rows with the same
pattern on the columns in use are merged into one weighted row, so a fit costs as much as
the number of distinct patterns, not the number of rows):

1. **Item selection**: a beam search adds one item at a time. Every unused item is scored
   by the loss decrease that one Newton step on its columns predicts (with the intercept
   re-optimised and the sign constraints imposed); the best few per beam state are refitted
   exactly (L2-penalised logistic loss, projected Newton with the sign bounds, warm-started)
   and the best ``beam_width`` supports go on.
2. **Rounding** (FasterRisk's star-ray search): for a geometric grid of scale multipliers
   ``m``, ``clip(round(m * beta))``; the intercept and slope ``(a, b)`` of the total are
   refitted by a batched two-parameter Newton method and the best few roundings are kept.
3. **Local search**: moves of +-1 point on one column, or on two columns at once, while the
   training log-loss (with ``(a, b)`` refitted) improves. A move only shifts the totals of the
   patterns with that column, so each candidate's weights per total are assembled from
   per-total histograms (overall, per column, per pair of columns) in O(distinct totals),
   not O(patterns); the points are bit-identical to the row-wise search.

Pure numpy and scipy; the search is deterministic.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .pointsearch import _Context

__all__ = ["IntegerPointsClassifier"]


class IntegerPointsClassifier(ClassifierMixin, BaseEstimator):
    """Sparse integer point score with a logistic link on the total.

    Parameters
    ----------
    max_items : int, default=6
        At most this many items (groups) get a non-zero weight.
    groups : list of lists of int, optional
        Column indices per item (an item's threshold or one-hot indicators). ``None``: each
        column is its own item. Columns in no group are never used; empty groups are allowed
        and never used. Groups may not overlap.
    lower, upper : int, default=-5, 5
        Integer range of every weight.
    bounds : pair of array-like (lo, hi), optional
        Per-column bounds from declared constraints (``lo=0``: never negative, ``hi=0``:
        never positive); infinities allowed. The range of column ``j`` is
        ``[max(lower, ceil(lo[j])), min(upper, floor(hi[j]))]``. A column whose range does not
        contain 0 must be non-zero whenever its item is used.
    random_state : int or None
        Accepted for the scikit-learn interface; the search is deterministic and uses no
        random numbers.
    beam_width : int, default=5
        Supports kept at each step of the item selection.
    child_size : int, default=5
        Items per beam state that are refitted exactly after screening.
    n_multipliers : int, default=40
        Scale multipliers tried when rounding a continuous solution.
    n_starts : int, default=3
        Roundings per support that the local search starts from.
    max_moves : int, default=300
        Largest number of accepted local-search moves per start.
    l2 : float, default=1e-4
        L2 penalty of the continuous fits (on the mean log-loss scale).

    Attributes
    ----------
    points_ : ndarray of int, shape (n_features,)
    intercept_, slope_ : float
        ``a`` and ``b`` in ``p = 1 / (1 + exp(-(a + b * total)))``.
    items_ : ndarray of int
        Indices (into ``groups``) of the items with a non-zero weight.
    classes_ : ndarray, ``[0, 1]``
    n_features_in_ : int
    train_loss_ : float
        Mean training log-loss of the fitted score.
    """

    def __init__(
        self,
        max_items=6,
        groups=None,
        lower=-5,
        upper=5,
        bounds=None,
        random_state=None,
        beam_width=5,
        child_size=5,
        n_multipliers=40,
        n_starts=3,
        max_moves=300,
        l2=1e-4,
    ):
        self.max_items = max_items
        self.groups = groups
        self.lower = lower
        self.upper = upper
        self.bounds = bounds
        self.random_state = random_state
        self.beam_width = beam_width
        self.child_size = child_size
        self.n_multipliers = n_multipliers
        self.n_starts = n_starts
        self.max_moves = max_moves
        self.l2 = l2

    # ------------------------------------------------------------------ validation

    def _check_params(self, p: int):
        def integer(name, value, minimum=None):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not float(value).is_integer():
                raise ValueError(f"{name} must be an integer; got {value!r}")
            value = int(value)
            if minimum is not None and value < minimum:
                raise ValueError(f"{name} must be >= {minimum}; got {value}")
            return value

        max_items = integer("max_items", self.max_items, 1)
        lower = integer("lower", self.lower)
        upper = integer("upper", self.upper)
        if lower > upper:
            raise ValueError(f"lower must be <= upper; got lower={lower}, upper={upper}")
        for name in ("beam_width", "child_size", "n_multipliers", "n_starts"):
            integer(name, getattr(self, name), 1)
        integer("max_moves", self.max_moves, 0)
        if not isinstance(self.l2, numbers.Real) or not (self.l2 >= 0) or not math.isfinite(self.l2):
            raise ValueError(f"l2 must be a finite number >= 0; got {self.l2!r}")

        if self.groups is None:
            groups = [[j] for j in range(p)]
        else:
            if isinstance(self.groups, (str, bytes)) or not hasattr(self.groups, "__iter__"):
                raise ValueError("groups must be a list of lists of column indices")
            groups, seen = [], {}
            for g, members in enumerate(self.groups):
                if isinstance(members, (str, bytes)) or not hasattr(members, "__iter__"):
                    raise ValueError(f"groups[{g}] must be a list of column indices; got {members!r}")
                cols = []
                for c in members:
                    if isinstance(c, bool) or not isinstance(c, numbers.Integral) or not 0 <= int(c) < p:
                        raise ValueError(f"groups[{g}] has {c!r}, which is not a column index in [0, {p})")
                    c = int(c)
                    if c in seen:
                        raise ValueError(f"column {c} is in groups[{seen[c]}] and groups[{g}]; groups may not overlap")
                    seen[c] = g
                    cols.append(c)
                groups.append(cols)

        lo = np.full(p, float(lower))
        hi = np.full(p, float(upper))
        if self.bounds is not None:
            try:
                blo, bhi = self.bounds
                blo = np.broadcast_to(np.asarray(blo, dtype=float), (p,))
                bhi = np.broadcast_to(np.asarray(bhi, dtype=float), (p,))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"bounds must be a pair (lo, hi) of arrays of length {p}: {exc}") from None
            if np.isnan(blo).any() or np.isnan(bhi).any():
                raise ValueError("bounds must not contain NaN (use -inf / inf for no bound)")
            with np.errstate(invalid="ignore"):
                lo = np.maximum(lo, np.ceil(blo))
                hi = np.minimum(hi, np.floor(bhi))
        empty = np.flatnonzero(lo > hi)
        if empty.size:
            j = int(empty[0])
            raise ValueError(
                f"column {j} has no allowed integer weight: [max(lower, ceil(lo)), min(upper, floor(hi))]"
                f" = [{lo[j]:g}, {hi[j]:g}] is empty"
            )
        return max_items, groups, lo.astype(np.int64), hi.astype(np.int64)

    @staticmethod
    def _check_binary(X):
        bad = (X != 0) & (X != 1)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValueError(
                f"X must be binary (only 0 and 1); column {j} has value {X[i, j]:g} in row {i}"
            )

    @staticmethod
    def _check_target(y):
        y = np.asarray(y)
        if y.dtype.kind == "b":
            y = y.astype(np.float64)
        if y.dtype.kind not in "iuf":
            values = np.unique(y.astype(str))[:5]
            raise ValueError(f"y must be binary with labels 0 and 1; got values {list(values)}")
        values = np.unique(y)
        if not np.isin(values, (0, 1)).all():
            raise ValueError(f"y must be binary with labels 0 and 1; got values {values[:5].tolist()}")
        if values.size < 2:
            raise ValueError(f"y must contain both classes 0 and 1; got only {values.tolist()}")
        return y.astype(np.float64)

    # ------------------------------------------------------------------ fit

    def fit(self, X, y, sample_weight=None):
        """Learn the points, the items and ``(a, b)`` from binary ``X`` and 0/1 ``y``."""
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=False)
        y = self._check_target(y)
        self._check_binary(X)
        n, p = X.shape
        max_items, groups, L, U = self._check_params(p)
        w = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        W = float(w.sum())
        if not W > 0:
            raise ValueError("sample_weight must have a positive sum")
        wy = w * y
        if not 0 < wy.sum() < W:
            raise ValueError("y must contain both classes 0 and 1 among the rows with positive weight")

        # usable columns: a column whose only allowed weight is 0 is never used
        usable = [[c for c in cols if not (L[c] == 0 and U[c] == 0)] for cols in groups]
        gids = [g for g, cols in enumerate(usable) if cols]
        ctx = _Context(X, y, w, W, wy, L, U, float(self.l2))
        ctx.prepare_groups([usable[g] for g in gids])

        pool = ctx.beam_search(max_items, int(self.beam_width), int(self.child_size))
        best = None
        for state in pool:
            for cand in ctx.integerise(state, int(self.n_multipliers), int(self.n_starts), int(self.max_moves)):
                if best is None or cand[0] < best[0] - 1e-13:
                    best = cand
        loss, cols, wint, a, b = best
        # points 4 and 6 say no more than 2 and 3 with twice the slope: keep the smallest form
        divisor = int(np.gcd.reduce(np.abs(wint))) if wint.size else 0
        if divisor > 1:
            smaller = wint // divisor
            if np.all((smaller >= L[cols]) & (smaller <= U[cols])):
                wint, b = smaller, b * divisor

        points = np.zeros(p, dtype=np.int64)
        points[cols] = wint
        used = [g for g in gids if np.any(points[usable[g]] != 0)]
        self.points_ = points
        self.intercept_ = float(a)
        self.slope_ = float(b)
        self.items_ = np.array(used, dtype=np.int64)
        self.classes_ = np.array([0, 1])
        self.train_loss_ = float(loss)
        self._verify(groups, L, U, max_items)
        return self

    def _verify(self, groups, L, U, max_items):
        """The constraints must hold after fitting; they always should."""
        pts = self.points_
        problems = []
        if len(self.items_) > max_items:
            problems.append(f"{len(self.items_)} items used, more than max_items={max_items}")
        in_group = np.zeros(pts.size, dtype=bool)
        used = set(self.items_.tolist())
        for g, cols in enumerate(groups):
            in_group[cols] = True
            if g in used:
                problems += [f"column {c}: weight {pts[c]} outside [{L[c]}, {U[c]}]"
                             for c in cols if not L[c] <= pts[c] <= U[c]]
            else:
                problems += [f"column {c}: weight {pts[c]} in item {g}, which is not used" for c in cols if pts[c] != 0]
        problems += [f"column {c} is in no group but has weight {pts[c]}" for c in np.flatnonzero(~in_group & (pts != 0))]
        if problems:
            raise RuntimeError("IntegerPointsClassifier broke its constraints: " + "; ".join(problems))

    # ------------------------------------------------------------------ predict

    def _validated(self, X):
        check_is_fitted(self, "points_")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        self._check_binary(X)
        return X

    def decision_function(self, X):
        """The integer total ``X @ points_`` of every row (as floats)."""
        return self._validated(X) @ self.points_.astype(np.float64)

    def predict_proba(self, X):
        """Columns P(y=0), P(y=1), a logistic function of the integer total only."""
        total = self.decision_function(X)
        p1 = expit(self.intercept_ + self.slope_ * total)
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X):
        """1 where P(y=1) >= 0.5, else 0."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int64)

    def score_table(self):
        """Each reachable total with its probability: list of (total, P(y=1))."""
        check_is_fitted(self, "points_")
        low = int(self.points_[self.points_ < 0].sum())
        high = int(self.points_[self.points_ > 0].sum())
        totals = np.arange(low, high + 1)
        return [(int(t), float(expit(self.intercept_ + self.slope_ * t))) for t in totals]
