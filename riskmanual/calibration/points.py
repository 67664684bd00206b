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
   training log-loss (with ``(a, b)`` refitted) improves.

Pure numpy and scipy; the search is deterministic.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

__all__ = ["IntegerPointsClassifier"]

_RIDGE_B = 1e-6  # tiny penalty on the slope b: keeps (a, b) finite when the total separates the classes
_MAX_CELLS = 1 << 24  # above this, pattern codes are merged by sorting instead of counting
_BATCH_ELEMENTS = 2_000_000  # patterns x candidates evaluated at once in the local search


@dataclass
class _State:
    """One support (set of items) with its compressed data and continuous fit."""

    groups: tuple[int, ...]  # selected usable-group indices, in order of selection
    cols: np.ndarray  # their columns (original indices)
    code: np.ndarray  # (n,) pattern index of every row
    pat: np.ndarray  # (P, len(cols)) distinct 0/1 patterns
    cnt: np.ndarray  # (P,) total sample weight per pattern
    pos: np.ndarray  # (P,) weight of the positives per pattern
    a: float
    beta: np.ndarray
    loss: float


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


# ---------------------------------------------------------------------- search


def _by_total(S, cnt, pos):
    """Weights per candidate and total: S (P, C) integer totals -> v (R,), CNT and POS (C, R).

    The loss of a score depends on the rows' totals only, so the rows are merged by total
    before (a, b) is fitted: R distinct totals instead of P patterns.
    """
    S = np.asarray(S, dtype=np.int64)
    P, C = S.shape
    smin = int(S.min())
    R = int(S.max()) - smin + 1
    idx = (S - smin) + R * np.arange(C, dtype=np.int64)[None, :]
    idx = idx.ravel()
    CNT = np.bincount(idx, weights=np.repeat(cnt, C), minlength=C * R).reshape(C, R)
    POS = np.bincount(idx, weights=np.repeat(pos, C), minlength=C * R).reshape(C, R)
    return np.arange(smin, smin + R, dtype=np.float64), CNT, POS


def _logloss_ab(v, CNT, POS, W, a, b):
    """Mean log-loss (plus the slope ridge) of every candidate row: totals v, weights CNT/POS (C, R)."""
    eta = a[:, None] + b[:, None] * v[None, :]
    return (CNT * np.logaddexp(0.0, eta) - POS * eta).sum(axis=1) / W + 0.5 * _RIDGE_B * b * b


def _fit_ab(v, CNT, POS, W, a, b, iters=50, tol=1e-14):
    """Batched damped-Newton fit of (a, b) for every candidate row; returns a, b, loss (C,)."""
    a = np.array(a, dtype=np.float64, copy=True).reshape(-1)
    b = np.array(b, dtype=np.float64, copy=True).reshape(-1)
    V = v[None, :]
    cur = _logloss_ab(v, CNT, POS, W, a, b)
    for _ in range(iters):
        prob = expit(a[:, None] + b[:, None] * V)
        r = CNT * prob - POS
        d = CNT * prob * (1.0 - prob)
        dV = d * V
        ga = r.sum(axis=1) / W
        gb = (r * V).sum(axis=1) / W + _RIDGE_B * b
        haa = d.sum(axis=1) / W + 1e-12
        hab = dV.sum(axis=1) / W
        hbb = (dV * V).sum(axis=1) / W + _RIDGE_B
        det = np.maximum(haa * hbb - hab * hab, 1e-300)
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        if np.all(ga * da + gb * db < tol):
            break
        step = np.ones_like(a)
        new_a, new_b = a - da, b - db
        new = _logloss_ab(v, CNT, POS, W, new_a, new_b)
        worse = np.flatnonzero(~(new <= cur + 1e-15))
        for _ in range(40):
            if worse.size == 0:
                break
            step[worse] *= 0.5
            new_a[worse] = a[worse] - step[worse] * da[worse]
            new_b[worse] = b[worse] - step[worse] * db[worse]
            new[worse] = _logloss_ab(v, CNT[worse], POS[worse], W, new_a[worse], new_b[worse])
            worse = worse[~(new[worse] <= cur[worse] + 1e-15)]
        keep = new <= cur
        a = np.where(keep, new_a, a)
        b = np.where(keep, new_b, b)
        cur = np.where(keep, new, cur)
    return a, b, cur


def _fit_totals(S, cnt, pos, W, a, b, iters=50):
    """(a, b, loss) for each column of integer totals S (P, C)."""
    v, CNT, POS = _by_total(S, cnt, pos)
    return _fit_ab(v, CNT, POS, W, a, b, iters=iters)


class _Context:
    """The data and the three search stages."""

    def __init__(self, X, y, w, W, wy, L, U, l2):
        self.X, self.y, self.w, self.W, self.wy = X, y, w, W, wy
        self.L, self.U, self.l2 = L, U, l2
        self.n = X.shape[0]

    # -- compression helpers

    def prepare_groups(self, groups):
        """Per usable group: its columns, each row's pattern index, and the distinct patterns."""
        self.gcols, self.gcode, self.gpat = [], [], []
        XF = np.asfortranarray(self.X)  # contiguous columns
        for cols in groups:
            cols = np.asarray(cols, dtype=np.int64)
            if cols.size == 1:
                raw = XF[:, cols[0]].astype(np.int64)
                present = np.flatnonzero(np.bincount(raw, minlength=2))
                code = raw if present.size == 2 else np.zeros(self.n, dtype=np.int64)
                pat = present[:, None].astype(np.float64)
            elif cols.size <= 20:
                raw = XF[:, cols].astype(np.int64) @ (np.int64(1) << np.arange(cols.size, dtype=np.int64))
                occ = np.bincount(raw, minlength=1 << cols.size)
                present = np.flatnonzero(occ)
                remap = np.zeros(occ.size, dtype=np.int64)
                remap[present] = np.arange(present.size)
                code = remap[raw]
                pat = ((present[:, None] >> np.arange(cols.size)) & 1).astype(np.float64)
            else:
                pat, code = np.unique(XF[:, cols], axis=0, return_inverse=True)
                code = code.reshape(-1).astype(np.int64)
            self.gcols.append(cols)
            self.gcode.append(code)
            self.gpat.append(pat)
        self.lo_sign = np.where(self.L >= 0, 0.0, -np.inf)  # continuous sign constraints
        self.hi_sign = np.where(self.U <= 0, 0.0, np.inf)
        single = [g for g, cols in enumerate(self.gcols) if cols.size == 1]
        self.single = np.array(single, dtype=np.int64)
        self.single_cols = np.array([self.gcols[g][0] for g in single], dtype=np.int64)
        self.XsT = np.ascontiguousarray(XF[:, self.single_cols].T) if single else None

    def _merge(self, state, g):
        """Compressed data for ``state``'s items plus item ``g``."""
        K = self.gpat[g].shape[0]
        P = state.pat.shape[0]
        raw = state.code * K + self.gcode[g]
        if P * K <= max(_MAX_CELLS, 4 * self.n):
            occ = np.bincount(raw, minlength=P * K)
            present = np.flatnonzero(occ)
            remap = np.zeros(P * K, dtype=np.int64)
            remap[present] = np.arange(present.size)
            code = remap[raw]
        else:
            present, code = np.unique(raw, return_inverse=True)
        cnt = np.bincount(code, weights=self.w, minlength=present.size)
        pos = np.bincount(code, weights=self.wy, minlength=present.size)
        pat = np.hstack([state.pat[present // K], self.gpat[g][present % K]])
        return code, pat, cnt, pos

    # -- continuous fit

    def _fit_continuous(self, pat, cnt, pos, cols, theta0):
        """Sign-constrained, L2-penalised logistic fit on compressed data: (a, beta, log-loss)."""
        lo = np.concatenate([[-np.inf], self.lo_sign[cols]])
        hi = np.concatenate([[np.inf], self.hi_sign[cols]])
        theta = _projected_newton(pat, cnt, pos, self.W, self.l2, lo, hi, np.asarray(theta0, dtype=np.float64))
        eta = theta[0] + pat @ theta[1:]
        loss = (cnt @ np.logaddexp(0.0, eta) - pos @ eta) / self.W
        return float(theta[0]), theta[1:], float(loss)

    # -- stage 1: item selection

    def _screen(self, state, available):
        """Predicted loss decrease of adding each available group (one constrained Newton step)."""
        eta = state.a + state.pat @ state.beta
        prob = expit(eta)[state.code]
        r = self.w * prob - self.wy
        d = self.w * prob * (1.0 - prob)
        W = self.W
        g0, h00 = r.sum() / W, d.sum() / W + 1e-12
        gains = {}
        avail = set(available)
        if self.single.size:
            mask = np.array([g in avail for g in self.single])
            if mask.any():
                gj = (self.XsT @ r)[mask] / W  # two matrix-vector products beat one n x 2 product
                hj = (self.XsT @ d)[mask] / W
                geff = gj - hj * g0 / h00
                heff = np.maximum(hj - hj * hj / h00, 0.0) + 1e-8  # ridge: constant columns gain nothing
                cols = self.single_cols[mask]
                step = np.clip(-geff / heff, self.lo_sign[cols], self.hi_sign[cols])
                gain = -(geff * step + 0.5 * heff * step * step)
                for g, v in zip(self.single[mask], gain):
                    gains[int(g)] = float(v)
        for g in available:
            if g in gains:
                continue
            pat = self.gpat[g]
            rk = np.bincount(self.gcode[g], weights=r, minlength=pat.shape[0]) / W
            dk = np.bincount(self.gcode[g], weights=d, minlength=pat.shape[0]) / W
            gG = pat.T @ rk
            hG = pat.T @ dk
            H = pat.T @ (dk[:, None] * pat) - np.outer(hG, hG) / h00 + 1e-8 * np.eye(pat.shape[1])
            geff = gG - hG * g0 / h00
            cols = self.gcols[g]
            gains[g] = _box_qp_gain(H, geff, self.lo_sign[cols], self.hi_sign[cols])
        return gains

    def beam_search(self, max_items, beam_width, child_size):
        base = self.wy.sum() / self.W
        a0 = math.log(base / (1.0 - base))
        root = _State(
            groups=(), cols=np.zeros(0, dtype=np.int64), code=np.zeros(self.n, dtype=np.int64),
            pat=np.zeros((1, 0)), cnt=np.array([self.W]), pos=np.array([self.wy.sum()]),
            a=a0, beta=np.zeros(0), loss=float(-(base * math.log(base) + (1 - base) * math.log(1 - base))),
        )
        beam = [root]
        n_groups = len(self.gcols)
        for _ in range(min(max_items, n_groups)):
            requests = {}  # frozenset of groups -> (parent, group)
            finished = []
            for state in beam:
                available = [g for g in range(n_groups) if g not in state.groups]
                gains = self._screen(state, available) if available else {}
                ranked = sorted((g for g in gains if gains[g] > 1e-14), key=lambda g: (-gains[g], g))[:child_size]
                if not ranked:
                    finished.append(state)
                for g in ranked:
                    key = frozenset(state.groups + (g,))
                    if key not in requests:
                        requests[key] = (state, g)
            children = []
            for key in sorted(requests, key=lambda k: sorted(k)):
                parent, g = requests[key]
                code, pat, cnt, pos = self._merge(parent, g)
                cols = np.concatenate([parent.cols, self.gcols[g]])
                theta0 = np.concatenate([[parent.a], parent.beta, np.zeros(self.gcols[g].size)])
                a, beta, loss = self._fit_continuous(pat, cnt, pos, cols, theta0)
                if loss < parent.loss - 1e-12:
                    children.append(_State(parent.groups + (g,), cols, code, pat, cnt, pos, a, beta, loss))
                else:
                    finished.append(parent)
            if not children:
                beam = finished
                break
            merged = {}
            for s in children + finished:
                key = frozenset(s.groups)
                if key not in merged or s.loss < merged[key].loss:
                    merged[key] = s
            beam = sorted(merged.values(), key=lambda s: (s.loss, sorted(s.groups)))[:beam_width]
        return beam

    # -- stages 2 and 3: rounding and local search

    def integerise(self, state, n_multipliers, n_starts, max_moves):
        """Best integer solutions for ``state``'s support: list of (loss, cols, w, a, b)."""
        cols, pat, cnt, pos, W = state.cols, state.pat, state.cnt, state.pos, self.W
        L, U = self.L[cols], self.U[cols]
        beta = state.beta
        k = cols.size
        if k == 0 or not np.any(np.abs(beta) > 1e-12):
            w0 = np.clip(np.zeros(k, dtype=np.int64), L, U)
            starts = [(w0, state.a, 0.0)]
        else:
            mags = np.abs(beta)
            nz = mags > 1e-12
            reach = np.where(beta > 0, U, -L).astype(np.float64)
            m_lo = 0.5 / mags.max()
            with np.errstate(divide="ignore"):
                m_fit = np.min((np.maximum(reach[nz], 0) + 0.49) / mags[nz])
            m_hi = max(m_fit * 1.5, m_lo * 4)
            ms = np.geomspace(m_lo, m_hi, n_multipliers)
            Wc = np.clip(np.rint(ms[:, None] * beta[None, :]), L, U).astype(np.int64)
            Wc, first = np.unique(Wc, axis=0, return_index=True)
            ms = ms[first]
            S = pat.astype(np.int64) @ Wc.T
            a, b, loss = _fit_totals(S, cnt, pos, W, np.full(ms.size, state.a), 1.0 / ms)
            order = np.argsort(loss, kind="stable")[:n_starts]
            starts = [(Wc[i], a[i], b[i]) for i in order]
        results = []
        seen = set()
        for w0, a0, b0 in starts:
            w, a, b, loss = self._local_search(pat, cnt, pos, L, U, w0.copy(), a0, b0, max_moves)
            key = tuple(w.tolist())
            if key not in seen:
                seen.add(key)
                results.append((loss, cols, w, a, b))
        return results

    def _local_search(self, pat, cnt, pos, L, U, w, a, b, max_moves):
        """Best-improvement moves of +-1 point on one column, then (if none helps) on two."""
        W = self.W
        pat = pat.astype(np.int64)
        s = pat @ w
        a, b, loss = (x[0] for x in _fit_totals(s[:, None], cnt, pos, W, [a], [b]))
        k = w.size
        ar = np.arange(k, dtype=np.int64)
        single = (np.concatenate([ar, ar]), np.concatenate([np.ones(k, np.int64), -np.ones(k, np.int64)]))
        pi, pj = np.triu_indices(k, 1)
        pair = (np.tile(pi, 4), np.repeat(np.array([1, 1, -1, -1]), pi.size),
                np.tile(pj, 4), np.repeat(np.array([1, -1, 1, -1]), pi.size))
        chunk = max(1, _BATCH_ELEMENTS // max(1, pat.shape[0]))
        for _ in range(max_moves):
            moved = False
            for kind in ("single", "pair"):
                if kind == "single":
                    I, DI = single
                    J, DJ = I, np.zeros_like(DI)
                else:
                    I, DI, J, DJ = pair
                ok = (w[I] + DI >= L[I]) & (w[I] + DI <= U[I]) & (w[J] + DJ >= L[J]) & (w[J] + DJ <= U[J])
                I, DI, J, DJ = I[ok], DI[ok], J[ok], DJ[ok]
                best, best_c = np.inf, -1
                for start in range(0, I.size, chunk):
                    sl = slice(start, start + chunk)
                    D = pat[:, I[sl]] * DI[sl] + pat[:, J[sl]] * DJ[sl]
                    C = D.shape[1]
                    _, _, approx = _fit_totals(s[:, None] + D, cnt, pos, W, np.full(C, a), np.full(C, b), iters=3)
                    c = int(np.argmin(approx))
                    if approx[c] < best:
                        best, best_c = approx[c], start + c
                if not best < loss - 1e-12 - 1e-10 * abs(loss):
                    continue
                w_new = w.copy()
                w_new[I[best_c]] += DI[best_c]
                w_new[J[best_c]] += DJ[best_c]
                s_new = pat @ w_new
                a_new, b_new, loss_new = (x[0] for x in _fit_totals(s_new[:, None], cnt, pos, W, [a], [b]))
                if loss_new < loss - 1e-12 - 1e-10 * abs(loss):
                    w, s, a, b, loss = w_new, s_new, a_new, b_new, loss_new
                    moved = True
                    break
            if not moved:
                break
        return w, float(a), float(b), float(loss)


def _projected_newton(pat, cnt, pos, W, l2, lo, hi, theta, iters=200):
    """Minimise mean weighted log-loss + l2/2 |beta|^2 over lo <= (a, beta) <= hi.

    Projected Newton (Bertsekas 1982): variables at a bound whose gradient points outwards
    are held there; a Newton step on the others; an Armijo search along the projected path.
    """
    P, k = pat.shape
    X1 = np.empty((P, k + 1))
    X1[:, 0] = 1.0
    X1[:, 1:] = pat
    pen = np.full(k + 1, l2)
    pen[0] = 0.0
    ridge = 1e-10 * np.eye(k + 1)

    def objective(t):
        eta = X1 @ t
        return (cnt @ np.logaddexp(0.0, eta) - pos @ eta) / W + 0.5 * (pen * t) @ t

    theta = np.clip(theta, lo, hi)
    f = objective(theta)
    for _ in range(iters):
        prob = expit(X1 @ theta)
        g = X1.T @ (cnt * prob - pos) / W + pen * theta
        held = ((theta <= lo) & (g > 0)) | ((theta >= hi) & (g < 0))
        free = ~held
        if np.max(np.abs(g[free]), initial=0.0) < 1e-10:
            break
        d = cnt * prob * (1.0 - prob) / W
        H = (X1.T * d) @ X1 + np.diag(pen) + ridge
        step = np.zeros(k + 1)
        Hf = H[np.ix_(free, free)]
        try:
            step[free] = np.linalg.solve(Hf, g[free])
        except np.linalg.LinAlgError:
            step[free] = g[free] / np.maximum(np.diag(Hf), 1e-12)
        t = 1.0
        while True:
            new = np.clip(theta - t * step, lo, hi)
            fn = objective(new)
            if fn <= f - 1e-4 * (g @ (theta - new)) or t < 1e-12:
                break
            t *= 0.5
        if not fn < f:
            break
        done = f - fn < 1e-15 * max(1.0, abs(f))
        theta, f = new, fn
        if done:
            break
    return theta


def _box_qp_gain(H, g, lo, hi, sweeps=50):
    """max over lo <= d <= hi of -(g.d + d'Hd/2), by coordinate descent (small problems)."""
    try:
        d = -np.linalg.solve(H, g)
    except np.linalg.LinAlgError:
        d = None
    if d is None or np.any(d < lo - 1e-12) or np.any(d > hi + 1e-12):
        d = np.zeros_like(g)
        diag = np.diag(H)
        for _ in range(sweeps):
            change = 0.0
            for j in range(g.size):
                if diag[j] <= 1e-15:
                    continue
                v = d[j] - (g[j] + H[j] @ d) / diag[j]
                v = min(max(v, lo[j]), hi[j])
                change = max(change, abs(v - d[j]))
                d[j] = v
            if change < 1e-10:
                break
    return float(-(g @ d + 0.5 * d @ H @ d))
