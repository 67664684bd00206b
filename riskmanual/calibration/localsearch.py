"""The local search behind :class:`~riskmanual.calibration.points.IntegerPointsClassifier`
and the fit of ``(a, b)`` on an integer total that every stage uses.

A local-search move of +-1 point on one column (or two) shifts the totals of the patterns with
that column, so each candidate's weight and positives per total are assembled from per-total
histograms (:class:`_TotalHistograms`) in O(distinct totals) instead of O(patterns). With
whole-number weights every sum is exact, and the points are bit-identical to the row-wise
reference :func:`_local_search_rows` (tests/test_calibration_speed.py). Pure numpy and scipy.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

_RIDGE_B = 1e-6  # tiny penalty on the slope b: keeps (a, b) finite when the total separates the classes
_BATCH_ELEMENTS = 2_000_000  # patterns x candidates evaluated at once in the local search


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
    # pattern counts are needed for the range of totals only when a pattern can weigh 0
    weights = np.column_stack([cnt, pos] if np.all(cnt > 0) else [cnt, pos, np.ones(pat.shape[0])])
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
    as :func:`_by_total` counts them; without such patterns the weights give it, and the
    counts are left out). Cell ``t`` stands for the total ``origin + t``; the cells
    run two beyond the totals on each side, so a move of up to 2 stays inside. All sums are
    exact when the weights are whole numbers, whatever their order.
    """

    PAD = 2
    MAX_JOINT = 1 << 24  # cells of the joint histograms; above, pair moves are counted row-wise
    BLOCK = 1 << 21  # cells of candidate histograms assembled at once

    def __init__(self, columns, weights, s):
        P, k = columns.shape  # columns: (P, k) 0/1 floats; weights: (P, channels) cnt, pos[, 1]
        self.channels = m = weights.shape[1]
        self.occupancy = m - 1 if m == 3 else 0  # the pattern counts, or the weights when all are > 0
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
        self.base = np.zeros((m, self.width))
        self.base[:, self.present] = np.add.reduceat(self.weights, starts, axis=0).T
        col = np.zeros((m, self.width, k))
        for channel in range(m):
            col[channel, self.present] = np.add.reduceat(self.columns * self.weights[:, channel:channel + 1],
                                                         starts, axis=0)
        self.col = self._padded(col.transpose(2, 0, 1))  # (k, channels, width + 4)
        self._joint = None

    def _padded(self, H):
        """H (..., width) inside two more empty cells on each side: cells ``2 - d`` to
        ``2 - d + width`` of it are H moved up by ``d``."""
        out = np.zeros(H.shape[:-1] + (self.width + 4,))
        out[..., 2:-2] = H
        return out

    def _moved(self, H, d):
        """Rows of padded histograms H (C, channels, width + 4), row c moved up by d[c] (ints)."""
        windows = np.lib.stride_tricks.sliding_window_view(H, self.width, axis=2)  # (C, channels, 5, width)
        return windows[np.arange(H.shape[0]), :, 2 - d]

    def _joints(self):
        """[column i, column j, channel, total]: the sums over the patterns with both columns,
        padded (computed on the first pair move)."""
        if self._joint is None:
            k, m = self.columns.shape[1], self.channels
            joint = np.zeros((self.width, k, m, k))
            for cell, start, stop in zip(self.present, self.bounds[:-1], self.bounds[1:]):
                block = self.columns[start:stop]
                weighted = block[:, None, :] * self.weights[start:stop, :, None]  # (rows, channels, k)
                joint[cell] = (block.T @ weighted.reshape(stop - start, m * k)).reshape(k, m, k)
            self._joint = self._padded(joint.transpose(1, 3, 2, 0))  # (k, k, channels, width + 4)
        return self._joint

    def single(self, I, DI):
        """Totals, weights and positives per total of every candidate ``w[I] += DI``."""
        def block(sl):
            Hi = self.col[I[sl]]
            return self.base[None] - Hi[..., 2:-2] + self._moved(Hi, DI[sl])

        return self._assemble(block, I.size)

    def pair(self, I, DI, J, DJ):
        """The same for the candidates ``w[I] += DI, w[J] += DJ`` (I < J, DI and DJ +-1): the
        patterns with only column i move by DI, with only j by DJ, with both by DI + DJ."""
        k = self.columns.shape[1]
        if k * k * self.channels * (self.width + 4) > self.MAX_JOINT:  # bounded memory: the reference's way
            columns, weights = self._unsorted
            S = self.s[:, None] + (columns[:, I] * DI + columns[:, J] * DJ).astype(np.int64)
            return _by_total(S, weights[:, 0], weights[:, 1])
        joint = self._joints()

        def block(sl):
            i, j, di, dj = I[sl], J[sl], DI[sl], DJ[sl]
            Hi, Hj, Hij = self.col[i], self.col[j], joint[i, j]
            H = self.base[None] - Hi[..., 2:-2] - Hj[..., 2:-2] + Hij[..., 2:-2]
            H += self._moved(Hi, di) - self._moved(Hij, di)
            H += self._moved(Hj, dj) - self._moved(Hij, dj)
            H += self._moved(Hij, di + dj)
            return H

        return self._assemble(block, I.size)

    def _assemble(self, block, C):
        """The candidates' histograms, ``block(slice)`` a few at a time (bounded memory), cut to
        their common range of totals as :func:`_by_total` does: (v, CNT, POS)."""
        step = max(1, self.BLOCK // (self.channels * (self.width + 4)))
        CNT, POS = np.empty((C, self.width)), np.empty((C, self.width))
        lo, hi = self.width, -1
        for start in range(0, C, step):
            sl = slice(start, min(start + step, C))
            H = block(sl)
            occupied = H[:, self.occupancy, :] > 0.5
            lo = min(lo, int(occupied.argmax(axis=1).min()))
            hi = max(hi, self.width - 1 - int(occupied[:, ::-1].argmax(axis=1).min()))
            CNT[sl], POS[sl] = H[:, 0], H[:, 1]
        v = np.arange(self.origin + lo, self.origin + hi + 1, dtype=np.float64)
        return v, np.ascontiguousarray(CNT[:, lo:hi + 1]), np.ascontiguousarray(POS[:, lo:hi + 1])
