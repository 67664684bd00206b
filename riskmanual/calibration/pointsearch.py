"""The search behind :class:`~riskmanual.calibration.points.IntegerPointsClassifier`.

Item selection by beam search, rounding by scale multipliers, and local search over
integer points, all on compressed data (rows with the same pattern on the columns in
use merged into one weighted row). Pure numpy and scipy; deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

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


def _eta(v, a, b):
    """a + b * v for every candidate row (C, R); one row (1, R) when every candidate has the same
    (a, b), as at the start of a local-search batch: the same values, computed once."""
    if a.size > 1 and np.all(a == a[0]) and np.all(b == b[0]):
        return a[:1, None] + b[:1, None] * v[None, :]
    return a[:, None] + b[:, None] * v[None, :]


def _logloss_ab(v, CNT, POS, W, a, b):
    """Mean log-loss (plus the slope ridge) of every candidate row: totals v, weights CNT/POS (C, R)."""
    eta = _eta(v, a, b)
    return (CNT * np.logaddexp(0.0, eta) - POS * eta).sum(axis=1) / W + 0.5 * _RIDGE_B * b * b


def _fit_ab(v, CNT, POS, W, a, b, iters=50, tol=1e-14):
    """Batched damped-Newton fit of (a, b) for every candidate row; returns a, b, loss (C,)."""
    a = np.array(a, dtype=np.float64, copy=True).reshape(-1)
    b = np.array(b, dtype=np.float64, copy=True).reshape(-1)
    V = v[None, :]
    cur = _logloss_ab(v, CNT, POS, W, a, b)
    for _ in range(iters):
        prob = expit(_eta(v, a, b))
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
        per-total histograms (:class:`_TotalHistograms`), which gives bit-identical points to
        the row-wise :func:`_local_search_rows`; other weights use that reference directly.
        """
        search = _local_search_histograms if self.whole_weights else _local_search_rows
        return search(pat, cnt, pos, self.W, L, U, w, a, b, max_moves)


def _moves(k):
    """The +-1 moves on one column and on two columns: (I, DI, J, DJ) per kind."""
    ar = np.arange(k, dtype=np.int64)
    single = (np.concatenate([ar, ar]), np.concatenate([np.ones(k, np.int64), -np.ones(k, np.int64)]))
    pi, pj = np.triu_indices(k, 1)
    pair = (np.tile(pi, 4), np.repeat(np.array([1, 1, -1, -1]), pi.size),
            np.tile(pj, 4), np.repeat(np.array([1, -1, 1, -1]), pi.size))
    return {"single": (single[0], single[1], single[0], np.zeros_like(single[1])), "pair": pair}


def _improves(new, loss):
    return new < loss - 1e-12 - 1e-10 * abs(loss)


def _local_search_rows(pat, cnt, pos, W, L, U, w, a, b, max_moves):
    """The reference local search: every candidate's totals built for all P patterns, O(P) each."""
    pat = pat.astype(np.int64)
    s = pat @ w
    a, b, loss = (x[0] for x in _fit_totals(s[:, None], cnt, pos, W, [a], [b]))
    moves = _moves(w.size)
    chunk = max(1, _BATCH_ELEMENTS // max(1, pat.shape[0]))
    for _ in range(max_moves):
        moved = False
        for kind in ("single", "pair"):
            I, DI, J, DJ = moves[kind]
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
            if not _improves(best, loss):
                continue
            w_new = w.copy()
            w_new[I[best_c]] += DI[best_c]
            w_new[J[best_c]] += DJ[best_c]
            s_new = pat @ w_new
            a_new, b_new, loss_new = (x[0] for x in _fit_totals(s_new[:, None], cnt, pos, W, [a], [b]))
            if _improves(loss_new, loss):
                w, s, a, b, loss = w_new, s_new, a_new, b_new, loss_new
                moved = True
                break
        if not moved:
            break
    return w, float(a), float(b), float(loss)


def _local_search_histograms(pat, cnt, pos, W, L, U, w, a, b, max_moves):
    """:func:`_local_search_rows` with each candidate's weights per total assembled from
    per-total histograms: O(distinct totals) per candidate instead of O(P).

    Same moves, same batches (so the same ranges of totals and the same batched Newton fits)
    and, with whole-number weights (exact sums in any order), bit-identical points."""
    pat = pat.astype(np.int64)
    s = pat @ w
    a, b, loss = (x[0] for x in _fit_totals(s[:, None], cnt, pos, W, [a], [b]))
    if w.size == 0:
        return w, float(a), float(b), float(loss)
    moves = _moves(w.size)
    chunk = max(1, _BATCH_ELEMENTS // max(1, pat.shape[0]))  # the reference's batches
    columns = np.asarray(pat, dtype=np.float64)
    weights = np.column_stack([cnt, pos, np.ones(pat.shape[0])])
    hist = _TotalHistograms(columns, weights, s)
    for _ in range(max_moves):
        moved = False
        for kind in ("single", "pair"):
            I, DI, J, DJ = moves[kind]
            ok = (w[I] + DI >= L[I]) & (w[I] + DI <= U[I]) & (w[J] + DJ >= L[J]) & (w[J] + DJ <= U[J])
            I, DI, J, DJ = I[ok], DI[ok], J[ok], DJ[ok]
            best, best_c = np.inf, -1
            for start in range(0, I.size, chunk):
                sl = slice(start, start + chunk)
                if kind == "single":
                    v, CNT, POS = hist.single(I[sl], DI[sl])
                else:
                    v, CNT, POS = hist.pair(I[sl], DI[sl], J[sl], DJ[sl])
                C = CNT.shape[0]
                _, _, approx = _fit_ab(v, CNT, POS, W, np.full(C, a), np.full(C, b), iters=3)
                c = int(np.argmin(approx))
                if approx[c] < best:
                    best, best_c = approx[c], start + c
            if not _improves(best, loss):
                continue
            w_new = w.copy()
            w_new[I[best_c]] += DI[best_c]
            w_new[J[best_c]] += DJ[best_c]
            s_new = pat @ w_new
            a_new, b_new, loss_new = (x[0] for x in _fit_totals(s_new[:, None], cnt, pos, W, [a], [b]))
            if _improves(loss_new, loss):
                w, s, a, b, loss = w_new, s_new, a_new, b_new, loss_new
                hist = _TotalHistograms(columns, weights, s)
                moved = True
                break
        if not moved:
            break
    return w, float(a), float(b), float(loss)


class _TotalHistograms:
    """Per-total sums of weight, positives and pattern counts, overall, per column and per pair
    of columns, for the current totals ``s``.

    A move of ``d`` points on column ``i`` shifts the totals of the patterns with that column by
    ``d``, so the new histogram is ``base - H_i + shift(H_i, d)``; a move on two columns also
    needs the joint histogram ``H_ij`` (the patterns with both columns move by ``di + dj``).
    The pattern counts give each candidate's range of totals (zero-weight patterns included,
    as :func:`_by_total` counts them). Cell ``t`` stands for the total ``origin + t``; the cells
    run two beyond the totals on each side, so a move of up to 2 stays inside. All sums are
    exact when the weights are whole numbers, whatever their order.
    """

    PAD = 2
    MAX_JOINT = 1 << 24  # cells of the joint histograms; above, pair moves are counted row-wise

    def __init__(self, columns, weights, s):
        P, k = columns.shape  # columns: (P, k) 0/1 floats; weights: (P, 3) cnt, pos, 1
        self.s, self._unsorted = s, (columns, weights)
        lo, hi = int(s.min()), int(s.max())
        self.origin = lo - self.PAD
        self.width = hi - lo + 1 + 2 * self.PAD
        index = s - self.origin
        order = np.argsort(index, kind="stable")
        sorted_index = index[order]
        starts = np.flatnonzero(np.r_[True, sorted_index[1:] != sorted_index[:-1]])
        self.present = sorted_index[starts]  # the occupied cells
        self.columns, self.weights = columns[order], weights[order]
        self.bounds = np.r_[starts, P]
        self.base = np.zeros((3, self.width))
        self.base[:, self.present] = np.add.reduceat(self.weights, starts, axis=0).T
        col = np.zeros((3, self.width, k))
        for channel in range(3):
            col[channel, self.present] = np.add.reduceat(self.columns * self.weights[:, channel:channel + 1],
                                                         starts, axis=0)
        self.col = self._padded(col.transpose(2, 0, 1))  # (k, 3, width + 4)
        self._joint = None

    def _padded(self, H):
        """H (..., width) inside two more empty cells on each side: cells ``2 - d`` to
        ``2 - d + width`` of it are H moved up by ``d``."""
        out = np.zeros(H.shape[:-1] + (self.width + 4,))
        out[..., 2:-2] = H
        return out

    def _moved(self, H, d):
        """Rows of padded histograms H (C, 3, width + 4), row c moved up by d[c] (an int array)."""
        windows = np.lib.stride_tricks.sliding_window_view(H, self.width, axis=2)  # (C, 3, 5, width)
        return windows[np.arange(H.shape[0]), :, 2 - d]

    def _joints(self):
        """[column i, column j, channel, total]: the sums over the patterns with both columns,
        padded (computed on the first pair move)."""
        if self._joint is None:
            k = self.columns.shape[1]
            joint = np.zeros((self.width, k, 3, k))
            for cell, start, stop in zip(self.present, self.bounds[:-1], self.bounds[1:]):
                block = self.columns[start:stop]
                weighted = block[:, None, :] * self.weights[start:stop, :, None]  # (rows, 3, k)
                joint[cell] = (block.T @ weighted.reshape(stop - start, 3 * k)).reshape(k, 3, k)
            self._joint = self._padded(joint.transpose(1, 3, 2, 0))  # (k, k, 3, width + 4)
        return self._joint

    def single(self, I, DI):
        """Totals, weights and positives per total of every candidate ``w[I] += DI``."""
        Hi = self.col[I]
        return self._finish(self.base[None] - Hi[..., 2:-2] + self._moved(Hi, DI))

    def pair(self, I, DI, J, DJ):
        """The same for the candidates ``w[I] += DI, w[J] += DJ`` (I < J, DI and DJ +-1): the
        patterns with only column i move by DI, with only j by DJ, with both by DI + DJ."""
        k = self.columns.shape[1]
        if k * k * 3 * (self.width + 4) > self.MAX_JOINT:  # bounded memory: the reference's way
            columns, weights = self._unsorted
            S = self.s[:, None] + (columns[:, I] * DI + columns[:, J] * DJ).astype(np.int64)
            return _by_total(S, weights[:, 0], weights[:, 1])
        Hi, Hj, Hij = self.col[I], self.col[J], self._joints()[I, J]
        H = self.base[None] - Hi[..., 2:-2] - Hj[..., 2:-2] + Hij[..., 2:-2]
        H += self._moved(Hi, DI) - self._moved(Hij, DI)
        H += self._moved(Hj, DJ) - self._moved(Hij, DJ)
        H += self._moved(Hij, DI + DJ)
        return self._finish(H)

    def _finish(self, H):
        """Cut to the candidates' common range of totals, as :func:`_by_total` does."""
        occupied = H[:, 2, :] > 0.5
        lo = int(occupied.argmax(axis=1).min())
        hi = self.width - 1 - int(occupied[:, ::-1].argmax(axis=1).min())
        v = np.arange(self.origin + lo, self.origin + hi + 1, dtype=np.float64)
        return v, np.ascontiguousarray(H[:, 0, lo:hi + 1]), np.ascontiguousarray(H[:, 1, lo:hi + 1])


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
