"""The search behind :class:`~riskmanual.calibration.points.IntegerPointsClassifier`.

Item selection by beam search, rounding by scale multipliers, and local search over
integer points, all on compressed data (rows with the same pattern on the columns in
use merged into one weighted row); the local search and the fit of ``(a, b)`` on a total
are in :mod:`.localsearch`. Pure numpy and scipy; deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from .localsearch import _fit_totals, _local_search_histograms, _local_search_rows

_MAX_CELLS = 1 << 24  # above this, pattern codes are merged by sorting instead of counting


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


class _Context:
    """The data and the three search stages."""

    def __init__(self, X, y, w, W, wy, L, U, l2):
        self.X, self.y, self.w, self.W, self.wy = X, y, w, W, wy
        self.L, self.U, self.l2 = L, U, l2
        self.n = X.shape[0]
        # whole-number weights below 2**52: every per-total sum is exact in any order
        self.whole_weights = bool(np.all(w == np.floor(w)) and W < 2.0**52)

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
        """Best-improvement moves of +-1 point on one column, then (if none helps) on two.

        With whole-number weights (every unweighted fit) the candidates are evaluated on
        per-total histograms (:class:`.localsearch._TotalHistograms`), which gives bit-identical points to
        the row-wise :func:`.localsearch._local_search_rows`; other weights use that reference.
        """
        search = _local_search_histograms if self.whole_weights else _local_search_rows
        return search(pat, cnt, pos, self.W, L, U, w, a, b, max_moves)


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
