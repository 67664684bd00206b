"""The speed-ups of #9 change nothing: the histogram local search gives the same points as the
row-wise reference, the shipped COMPAS spec gives the points and AUC it gave before, and the
folds give the same figures on one process or several."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("sklearn")

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from riskmanual.calibration import localsearch as ls  # noqa: E402
from riskmanual.calibration import pointsearch as ps  # noqa: E402
from riskmanual.calibration.points import IntegerPointsClassifier  # noqa: E402

from .conftest import DATA, ROOT  # noqa: E402

SPEC = ROOT / "calibration" / "example-compas" / "spec.yaml"
COMPAS = ROOT.parent / "shared" / "data" / "compas" / "compas-scores-two-years.csv"
BEFORE = DATA / "calibration_compas_before.json"


def synthetic(seed: int, n: int = 2500, p: int = 24):
    """Binary columns in groups shaped like an instrument's (threshold indicators of numeric and
    ordinal items, one-hot categories, single binary items) and a logistic outcome."""
    rng = np.random.default_rng(seed)
    groups, columns = [], []
    while sum(map(len, groups)) < p:
        kind = rng.integers(3)
        start = sum(map(len, groups))
        if kind == 0:  # numeric or ordinal: cumulative thresholds of a latent count
            size = int(rng.integers(2, 7))
            latent = rng.poisson(rng.uniform(0.5, 3.0), n)
            columns += [(latent >= t + 1) for t in range(size)]
        elif kind == 1:  # categorical: one-hot, the first category the reference
            size = int(rng.integers(2, 4))
            category = rng.integers(size + 1, size=n)
            columns += [(category == c + 1) for c in range(size)]
        else:
            size = 1
            columns.append(rng.random(n) < rng.uniform(0.05, 0.5))
        groups.append(list(range(start, start + size)))
    X = np.column_stack(columns).astype(np.float64)
    truth = rng.integers(-2, 3, X.shape[1]) * (rng.random(X.shape[1]) < 0.5)
    total = X @ truth
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.8 + 0.5 * (total - total.mean()))))).astype(float)
    return X, y, groups


def reference_fit(monkeypatch, X, y, sample_weight=None, **params):
    """The same classifier with the row-wise local search (the algorithm before #9)."""
    with monkeypatch.context() as m:
        m.setattr(ps, "_local_search_histograms", ps._local_search_rows)
        return IntegerPointsClassifier(**params).fit(X, y, sample_weight=sample_weight)


def same_fit(a, b) -> None:
    assert np.array_equal(a.points_, b.points_)
    assert (a.intercept_, a.slope_, a.train_loss_) == (b.intercept_, b.slope_, b.train_loss_)  # bit-identical


# ---------------------------------------------------------------- histogram search = reference


@pytest.mark.parametrize("seed", range(6))
def test_histogram_search_gives_bit_identical_points(seed, monkeypatch) -> None:
    X, y, groups = synthetic(seed)
    params = {"max_items": 4 + seed % 3, "groups": groups}
    if seed % 2:
        params["bounds"] = (np.zeros(X.shape[1]), np.full(X.shape[1], np.inf))  # every point >= 0
    same_fit(IntegerPointsClassifier(**params).fit(X, y), reference_fit(monkeypatch, X, y, **params))


def test_bit_identical_with_whole_number_weights_and_zero_weight_rows(monkeypatch) -> None:
    X, y, groups = synthetic(11)
    weight = np.random.default_rng(3).integers(0, 4, len(y)).astype(float)  # zero-weight patterns count
    fast = IntegerPointsClassifier(max_items=5, groups=groups).fit(X, y, sample_weight=weight)
    same_fit(fast, reference_fit(monkeypatch, X, y, sample_weight=weight, max_items=5, groups=groups))


def test_fractional_weights_use_the_row_wise_reference(monkeypatch) -> None:
    X, y, groups = synthetic(12, n=800)
    called = []
    with monkeypatch.context() as m:
        m.setattr(ps, "_local_search_histograms", lambda *a: called.append(1))
        IntegerPointsClassifier(max_items=3, groups=groups).fit(X, y, sample_weight=np.full(len(y), 0.7))
    assert not called


def local_search_both(seed: int, batch: int | None = None, max_joint: int | None = None,
                      block: int | None = None):
    """Both local searches from deliberately poor integer starts, so that single and pair moves
    are both accepted; ``batch`` shrinks the candidate batches (several per round), ``max_joint``
    the memory for joint histograms (0: pair moves counted row-wise), ``block`` the candidates
    assembled at once."""
    X, y, groups = synthetic(seed, n=1500, p=14)
    rng = np.random.default_rng(seed)
    cols = np.arange(X.shape[1])
    pat, code = np.unique(X, axis=0, return_inverse=True)
    code = code.reshape(-1)
    cnt = np.bincount(code, minlength=len(pat)).astype(float)
    pos = np.bincount(code, weights=y, minlength=len(pat))
    L, U = np.full(cols.size, -5), np.full(cols.size, 5)
    out = []
    for _ in range(3):
        w0 = rng.integers(-3, 4, cols.size)
        pair = ls._TotalHistograms.pair
        calls = {"pair": 0}

        def counting(self, *args, pair=pair, calls=calls):
            calls["pair"] += 1
            return pair(self, *args)

        mp = pytest.MonkeyPatch()
        mp.setattr(ls._TotalHistograms, "pair", counting)
        if batch:
            mp.setattr(ls, "_BATCH_ELEMENTS", batch)
        if max_joint is not None:
            mp.setattr(ls._TotalHistograms, "MAX_JOINT", max_joint)
        if block is not None:
            mp.setattr(ls._TotalHistograms, "BLOCK", block)
        try:
            fast = ls._local_search_histograms(pat, cnt, pos, float(len(y)), L, U, w0.copy(), -1.0, 0.1, 300)
            slow = ls._local_search_rows(pat, cnt, pos, float(len(y)), L, U, w0.copy(), -1.0, 0.1, 300)
        finally:
            mp.undo()
        out.append((fast, slow, calls["pair"]))
    return out


@pytest.mark.parametrize("seed,batch,max_joint,block", [(0, None, None, None), (1, None, None, None),
                                                      (2, 40_000, None, None), (3, 9_000, None, None),
                                                      (4, None, 0, None), (5, None, None, 1000), (6, 9_000, None, 1)])
def test_local_search_from_poor_starts_is_bit_identical(seed, batch, max_joint, block) -> None:
    results = local_search_both(seed, batch, max_joint, block)
    for (w_fast, *rest_fast), (w_slow, *rest_slow), _ in results:
        assert np.array_equal(w_fast, w_slow)
        assert tuple(rest_fast) == tuple(rest_slow)
    assert sum(calls for *_, calls in results) > 0  # the pair moves were evaluated too


@hsettings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 40))
def test_histograms_equal_the_totals_of_every_candidate(seed, k, n) -> None:
    """Each candidate's weights, positives and range of totals: from the histograms exactly what
    :func:`_by_total` gives on the moved totals of every pattern."""
    rng = np.random.default_rng(seed)
    pat = rng.integers(0, 2, (n, k))
    w = rng.integers(-4, 5, k)
    cnt = rng.integers(0 if seed % 2 else 1, 5, n).astype(float)  # with and without zero-weight patterns
    pos = np.minimum(cnt, rng.integers(0, 5, n)).astype(float)
    histograms = [ls._TotalHistograms(pat.astype(float), np.column_stack([cnt, pos, np.ones(n)]), pat @ w)]
    if np.all(cnt > 0):  # the range from the weights themselves, as the search does then
        histograms.append(ls._TotalHistograms(pat.astype(float), np.column_stack([cnt, pos]), pat @ w))
    moves = ls._moves(k)
    for hist in histograms:
        for kind in ("single", "pair"):
            I, DI, J, DJ = moves[kind]
            if not I.size:
                continue
            v, CNT, POS = hist.single(I, DI) if kind == "single" else hist.pair(I, DI, J, DJ)
            S = (pat @ w)[:, None] + pat[:, I] * DI + pat[:, J] * DJ
            v0, CNT0, POS0 = ls._by_total(S, cnt, pos)
            assert np.array_equal(v, v0) and np.array_equal(CNT, CNT0) and np.array_equal(POS, POS0)


# ---------------------------------------------------------------- the shipped COMPAS spec


@pytest.mark.skipif(not COMPAS.exists(), reason=f"the COMPAS data is not at {COMPAS} (../shared beside the repo)")
def test_compas_points_and_auc_are_what_they_were_before_the_speed_up() -> None:
    """tests/data/calibration_compas_before.json was written from the shipped spec before the
    histogram search (fitted weights ``points_`` of the final fit and of every fold, and AUCs)."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    from riskmanual.calibration import calibrate, load_spec
    from riskmanual.calibration.run import _candidates

    before = json.loads(BEFORE.read_text("utf-8"))
    run = calibrate(load_spec(SPEC), base=SPEC.parent)
    assert run.cohort.n == before["n"]
    assert run.model.points_.tolist() == before["points"]
    assert run.model.train_loss_ == pytest.approx(before["train_loss"], rel=1e-12)
    for name, figures in before["auc"].items():
        for key, value in figures.items():
            assert run.metrics["comparison"][name][key] == pytest.approx(value, rel=1e-12, abs=1e-12), (name, key)
    assert run.metrics["cv"]["auc"] == pytest.approx(before["cv_auc"], rel=1e-12)

    s, X, y = run.settings, run.cohort.X, run.cohort.y
    make = _candidates(s, run.cohort)["points"]
    splits = RepeatedStratifiedKFold(n_splits=s.folds, n_repeats=s.repeats, random_state=s.seed).split(X, y)
    for (train, _test), fold in zip(splits, before["folds"], strict=True):
        model = make().fit(X[train], y[train])
        assert model.points_.tolist() == fold["points"]
        assert (model.intercept_, model.slope_) == pytest.approx((fold["intercept"], fold["slope"]), rel=1e-12)


# ---------------------------------------------------------------- n_jobs


def test_n_jobs_decides_the_processes(monkeypatch) -> None:
    import os

    import joblib

    from riskmanual.calibration.run import PARALLEL_CELLS, CalibrationSettings, fold_processes

    monkeypatch.setattr(joblib, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.1, 0.1, 0.1), raising=False)

    def settings(**extra):
        return CalibrationSettings(instrument="-", data="-", outcome="y", **extra)

    assert fold_processes(settings(n_jobs=1), 10**12, 5) == 1  # serial, however large
    assert fold_processes(settings(n_jobs=2), 10, 5) == 2  # asked for
    assert fold_processes(settings(n_jobs=8), 10, 3) == 3  # never more than the fits
    assert fold_processes(settings(n_jobs=4), 10, 1) == 1
    assert fold_processes(settings(), PARALLEL_CELLS - 1, 5) == 1  # small: not worth the processes
    assert fold_processes(settings(method="points"), PARALLEL_CELLS // 10 - 1, 5) == 1
    assert fold_processes(settings(), PARALLEL_CELLS, 5) == 2  # large, both cores idle: both
    assert fold_processes(settings(method="points"), PARALLEL_CELLS // 10, 5) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (1.4, 1.0, 1.0), raising=False)
    assert fold_processes(settings(), PARALLEL_CELLS, 5) == 1  # one core busy elsewhere: not worth it
    assert fold_processes(settings(n_jobs=2), 10, 5) == 2  # unless asked for
    monkeypatch.setattr(os, "getloadavg", lambda: (1.6, 1.0, 1.0), raising=False)
    assert fold_processes(settings(), PARALLEL_CELLS, 5) == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.9, 1.0, 1.0), raising=False)
    assert fold_processes(settings(), PARALLEL_CELLS, 5) == 2  # half a core of the load may be this run
    monkeypatch.delattr(os, "getloadavg", raising=False)
    assert fold_processes(settings(), PARALLEL_CELLS, 5) == 2  # no load average: the cores count as idle
    with pytest.raises(ValueError):
        settings(n_jobs=0)


def test_results_are_the_same_whatever_n_jobs() -> None:
    from riskmanual.calibration import calibrate

    from .calibration_helpers import synthetic_frame

    def run(n_jobs):
        from riskmanual.calibration.run import CalibrationSettings

        settings = CalibrationSettings(instrument=str(DATA / "full.yaml"), data="-", outcome="y", method="points",
                                       max_items=3, folds=3, repeats=2, groups=["sex"], n_jobs=n_jobs)
        return calibrate(settings, frame=synthetic_frame(600, seed=4))

    serial, parallel = run(1), run(2)
    assert np.array_equal(serial.model.points_, parallel.model.points_)
    for key in ("cutoffs", "rate_table", "groups", "cv", "settings", "decision", "model"):
        assert json.dumps(serial.metrics[key]) == json.dumps(parallel.metrics[key]), key  # nan-safe, exact
    for name, figures in serial.metrics["comparison"].items():
        other = parallel.metrics["comparison"][name]
        assert json.dumps({**figures, "fit_seconds": 0}) == json.dumps({**other, "fit_seconds": 0}), name
    assert np.array_equal(serial.arrays["p"], parallel.arrays["p"])
