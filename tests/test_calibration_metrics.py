"""Validation figures agree with the reference libraries and with known values."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from riskmanual.calibration import metrics as m


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.05, 0.95, 4000)
    y = (rng.random(4000) < p).astype(int)
    return y, p


def test_auc_matches_sklearn_and_the_interval_contains_it(data) -> None:
    y, p = data
    auc, low, high = m.auc_ci(y, p)
    assert auc == pytest.approx(roc_auc_score(y, p))
    assert low < auc < high and high - low < 0.05


def test_perfectly_calibrated_predictions_have_slope_one_and_no_offset(data) -> None:
    y, p = data
    fit = m.calibration_fit(y, p)
    assert fit["slope"] == pytest.approx(1.0, abs=0.1)
    assert fit["intercept"] == pytest.approx(0.0, abs=0.1)
    assert m.expected_calibration_error(y, p) < 0.03


def test_overconfident_predictions_have_slope_below_one(data) -> None:
    y, p = data
    logit = np.log(p / (1 - p))
    assert m.calibration_fit(y, 1 / (1 + np.exp(-2 * logit)))["slope"] < 0.7


def test_wilson_rate_table() -> None:
    rows = m.rate_table(np.array([0, 0, 0, 0, 1, 1]), np.array([0, 0, 0, 1, 1, 1]))
    assert rows[0]["n"] == 4 and rows[0]["rate"] == 0.25
    assert rows[0]["ci"][0] == pytest.approx(0.0456, abs=1e-3) and rows[0]["ci"][1] == pytest.approx(0.6994, abs=1e-3)


def test_cutoff_table_and_selection_rules() -> None:
    scores = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    y = np.array([0, 0, 0, 1, 0, 1, 1, 0, 1, 1])
    p = scores / 10 + 0.05
    table = m.cutoff_table(scores, y, p)
    at5 = next(r for r in table if r["cutoff"] == 5)
    assert (at5["selected"], at5["sensitivity"], at5["ppv"]) == (5, 0.8, 0.8)
    assert m.select_cutoff(table, m.parse_selection("capacity=3"), 10)["cutoff"] == 7
    assert m.select_cutoff(table, m.parse_selection("capacity=0.5"), 10)["cutoff"] == 5
    assert m.select_cutoff(table, m.parse_selection("sensitivity=0.8"), 10)["cutoff"] == 5
    assert m.select_cutoff(table, m.parse_selection("threshold=0.3"), 10)["cutoff"] == 3
    assert m.select_cutoff(table, m.parse_selection("ppv=0.75"), 10)["cutoff"] == 5


@pytest.mark.parametrize("text", ["capacity", "speed=1", "capacity=-1", "capacity=2.5", "ppv=1.5", "threshold=x"])
def test_bad_selection_rules_are_explained(text: str) -> None:
    with pytest.raises(ValueError):
        m.parse_selection(text)


def test_group_metrics_and_statement(data) -> None:
    y, p = data
    groups = {"sex": np.where(np.arange(len(y)) % 3 == 0, "F", "M")}
    out = m.group_metrics(y, p, p >= 0.5, groups)
    rows = out["sex"]["groups"]
    assert set(rows) == {"F", "M"} and rows["F"]["n"] + rows["M"]["n"] == len(y)
    assert 0 <= rows["F"]["false_positive_rate"] <= 1
    assert "Base rates" in out["sex"]["statement"]


def test_decision_curve_treat_none_is_zero(data) -> None:
    y, p = data
    curve = m.decision_curve(y, p)
    assert curve["no_one"] == [0.0] * len(curve["threshold"])
    assert curve["model"][0] >= curve["everyone"][0] - 1e-9
