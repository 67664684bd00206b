"""Bounded memory in calibration (#8): compact cohort matrix, blockwise totals, and the count-based
AUC and calibration fits used for large tables agree with the row-by-row ones."""

from __future__ import annotations

import numpy as np
import pytest

from riskmanual.calibration import metrics as m
from riskmanual.calibration.encoding import TOTAL_BLOCK, totals


def test_blockwise_totals_equal_the_float_product() -> None:
    rng = np.random.default_rng(1)
    X = (rng.random((TOTAL_BLOCK * 2 + 17, 9)) < 0.3).astype(np.uint8)
    w = rng.normal(size=9)
    assert np.allclose(totals(X, w), X.astype(float) @ w, rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_count_based_auc_and_calibration_fit_match_the_row_by_row_ones(seed: int, monkeypatch) -> None:
    rng = np.random.default_rng(seed)
    n = 5_000
    total = rng.integers(0, 12, n).astype(float)
    p = 1 / (1 + np.exp(-(total - 6) / 3))
    y = (rng.random(n) < p).astype(int)
    monkeypatch.setattr(m, "COMPRESS_ROWS", 10**9)
    full_auc, full_fit = m.auc_ci(y, total), m.calibration_fit(y, p)
    monkeypatch.setattr(m, "COMPRESS_ROWS", 100)
    small_auc, small_fit = m.auc_ci(y, total), m.calibration_fit(y, p)
    assert np.allclose(full_auc, small_auc, rtol=0, atol=1e-12)
    for key in ("slope", "intercept", "observed", "expected"):
        assert small_fit[key] == pytest.approx(full_fit[key], abs=1e-9)


def test_continuous_scores_keep_the_row_by_row_auc(monkeypatch) -> None:
    rng = np.random.default_rng(3)
    p, y = rng.random(2_000), rng.integers(0, 2, 2_000)
    monkeypatch.setattr(m, "COMPRESS_ROWS", 100)
    assert m._auc_ci_counts(p[y == 1], p[y == 0], 0.95) is None


def test_cohort_matrix_is_one_byte_a_cell_and_categoricals_encode_alike(full) -> None:
    from riskmanual.calibration.data import build_cohort

    from .calibration_helpers import synthetic_frame

    frame = synthetic_frame(400)
    plain = build_cohort(full, frame, "y")
    categorical = build_cohort(full, frame.astype("category"), "y")
    assert plain.X.dtype == np.uint8
    assert np.array_equal(plain.X, categorical.X) and np.array_equal(plain.y, categorical.y)
    assert plain.missing == categorical.missing
    assert np.allclose(plain.current_totals(), plain.encoding.offset + plain.X.astype(float) @ plain.encoding.current)


def test_summary_of_a_large_table_matches_the_row_by_row_one(monkeypatch) -> None:
    rng = np.random.default_rng(4)
    total = rng.integers(0, 10, 3_000).astype(float)
    p = 1 / (1 + np.exp(-(total - 5) / 2))
    y = (rng.random(3_000) < p).astype(int)
    monkeypatch.setattr(m, "COMPRESS_ROWS", 10**9)
    full = m.summary(y, p)
    monkeypatch.setattr(m, "COMPRESS_ROWS", 100)
    small = m.summary(y, p)
    for key, value in full.items():
        if isinstance(value, float):
            assert small[key] == pytest.approx(value, abs=1e-9), key


def test_total_logistic_on_counts_matches_the_row_by_row_fit(monkeypatch) -> None:
    from riskmanual.calibration import methods

    rng = np.random.default_rng(5)
    total = rng.integers(0, 10, 4_000).astype(float)
    y = (rng.random(4_000) < 1 / (1 + np.exp(-(total - 5) / 2))).astype(int)
    monkeypatch.setattr(methods, "COMPRESS_ROWS", 10**9)
    full = methods.fit_total_logistic(total, y)
    monkeypatch.setattr(methods, "COMPRESS_ROWS", 100)
    assert np.allclose(methods.fit_total_logistic(total, y), full, atol=1e-5)
