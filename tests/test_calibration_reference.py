"""Honest reference figures, the verdict with uncertainty, shrinkage and integer cut-offs (issue 9)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from riskmanual.calibration import CalibrationError, CalibrationSettings, calibrate
from riskmanual.calibration import metrics as m
from riskmanual.calibration.methods import fit_total_logistic

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = str(DATA / "full.yaml")


def settings(**kw) -> CalibrationSettings:
    return CalibrationSettings(instrument=FULL, data="-", outcome="y", **kw)


@pytest.fixture(scope="module")
def frame():
    return synthetic_frame(1500, seed=5)


def test_recalibrate_reports_the_rank_auc_of_the_total(frame) -> None:
    run = calibrate(settings(method="recalibrate", folds=4, repeats=2), frame=frame)
    total = run.cohort.X @ run.cohort.encoding.current
    assert run.metrics["cv"]["auc"] == pytest.approx(roc_auc_score(run.cohort.y, total), abs=1e-12)
    assert run.metrics["comparison"]["current points"]["auc"] == pytest.approx(roc_auc_score(run.cohort.y, total))


def test_the_reference_is_not_below_chance_on_shuffled_outcomes(frame) -> None:
    noise = frame.copy()
    noise["y"] = np.random.default_rng(1).permutation(noise["y"].to_numpy())
    run = calibrate(settings(method="recalibrate", folds=5), frame=noise)
    total = run.cohort.X @ run.cohort.encoding.current
    assert run.metrics["cv"]["auc"] == pytest.approx(roc_auc_score(run.cohort.y, total))
    assert run.metrics["cv"]["auc"] > 0.45


def test_the_recalibration_slope_is_never_negative() -> None:
    rng = np.random.default_rng(0)
    total = rng.integers(0, 10, 400).astype(float)
    y = (rng.random(400) < 0.6 - 0.05 * total).astype(float)  # the score points the wrong way
    intercept, slope = fit_total_logistic(total, y)
    assert slope >= 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_shuffled_outcomes_never_give_refit(frame, seed: int) -> None:
    noise = frame.copy()
    noise["y"] = np.random.default_rng(seed).permutation(noise["y"].to_numpy())
    method = "points" if seed % 2 else "logistic"
    run = calibrate(settings(method=method, folds=3, seed=seed, max_items=3), frame=noise)
    assert run.metrics["decision"]["verdict"] != "refit"
    assert not run.metrics["verdict"].startswith("Refit")
    assert run.metrics["verdict"] in run.metrics["warnings"]


def test_paired_difference_is_zero_for_the_same_score_and_covers_a_real_gain() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 2000)
    a = y + rng.normal(0, 1, 2000)
    same = m.paired_auc_difference(y, a, a)
    assert same["difference"] == 0 and same["ci"] == [0, 0]
    b = y + rng.normal(0, 3, 2000)
    test = m.paired_auc_difference(y, a, b)
    assert test["difference"] == pytest.approx(roc_auc_score(y, a) - roc_auc_score(y, b))
    assert test["ci"][0] > 0 and test["p_value"] < 0.001


def test_integer_cutoffs_and_tables_with_repeats(frame) -> None:
    run = calibrate(settings(method="points", folds=3, repeats=3, max_items=3), frame=frame)
    metrics = run.metrics
    for row in metrics["cutoffs"]:
        assert float(row["cutoff"]).is_integer()
    for row in metrics["rate_table"]:
        assert float(row["score"]).is_integer()
    assert float(metrics["selected_cutoff"]["cutoff"]).is_integer()
    assert np.all(run.arrays["total"] == np.round(run.arrays["total"]))


def test_the_written_probability_is_shrunk_by_the_cv_slope(frame) -> None:
    run = calibrate(settings(method="logistic", folds=3), frame=frame)
    slope = run.metrics["cv"]["calibration_slope"]
    if slope < 1:
        shrink = run.metrics["shrinkage"]
        assert shrink["factor"] == pytest.approx(slope)
        assert run.model.slope_ == pytest.approx(shrink["unshrunk"]["slope"] * slope)
        # the intercept is refitted: the mean prediction is the base rate
        assert run.model.predict_proba(run.cohort.X)[:, 1].mean() == pytest.approx(run.cohort.y.mean(), abs=1e-6)
    else:
        assert run.metrics["shrinkage"] is None


def test_fewer_cases_of_a_class_than_folds_is_a_clear_error(frame) -> None:
    few = frame.copy()
    few["y"] = "0"
    few.loc[:2, "y"] = "1"
    with pytest.raises(CalibrationError) as caught:
        calibrate(settings(method="recalibrate", folds=5), frame=few)
    assert "fewer than the 5 folds" in str(caught.value.issues[0])


def test_small_groups_are_too_few_to_judge_and_left_out_of_the_statement() -> None:
    rng = np.random.default_rng(2)
    n = 600
    y = rng.integers(0, 2, n)
    p = np.clip(0.3 + 0.4 * y + rng.normal(0, 0.2, n), 0.01, 0.99)
    groups = np.where(np.arange(n) < 5, "tiny", np.where(np.arange(n) % 2, "A", "B"))
    out = m.group_metrics(y, p, p > 0.5, {"g": groups}, min_size=30)
    rows = out["g"]["groups"]
    assert rows["tiny"] == {"n": 5, "too_few": True}
    for key in ("A", "B"):
        for figure in ("auc", "calibration_in_the_large", "false_positive_rate", "false_negative_rate"):
            low, high = rows[key][f"{figure}_ci"]
            assert low <= rows[key][figure] <= high
    assert "too few to judge" in out["g"]["statement"]


def test_group_metrics_match_fairlearn_and_sklearn() -> None:
    fairlearn = pytest.importorskip("fairlearn.metrics")
    rng = np.random.default_rng(4)
    n = 900
    y = rng.integers(0, 2, n)
    p = np.round(np.clip(0.3 + 0.3 * y + rng.normal(0, 0.2, n), 0.01, 0.99), 2)  # with ties
    chosen = p >= 0.5
    sex = rng.choice(["F", "M"], n)
    rows = m.group_metrics(y, p, chosen, {"sex": sex}, bootstrap=10)["sex"]["groups"]
    frame = fairlearn.MetricFrame(metrics={"fpr": fairlearn.false_positive_rate, "fnr": fairlearn.false_negative_rate,
                                           "sel": fairlearn.selection_rate},
                                  y_true=y, y_pred=chosen.astype(int), sensitive_features=sex).by_group
    for group in ("F", "M"):
        mask = sex == group
        assert rows[group]["auc"] == pytest.approx(roc_auc_score(y[mask], p[mask]), abs=1e-12)
        assert rows[group]["false_positive_rate"] == pytest.approx(frame.loc[group, "fpr"], abs=1e-12)
        assert rows[group]["false_negative_rate"] == pytest.approx(frame.loc[group, "fnr"], abs=1e-12)
        assert rows[group]["selection_rate"] == pytest.approx(frame.loc[group, "sel"], abs=1e-12)


def test_group_values_that_look_like_personnummer_are_masked() -> None:
    y = np.tile([0, 1], 40)
    p = np.linspace(0.1, 0.9, 80)
    groups = np.where(np.arange(80) < 40, "19900101-1234", "20010203-4321")
    rows = m.group_metrics(y, p, p > 0.5, {"who": groups}, bootstrap=5)["who"]["groups"]
    text = repr(rows)
    assert "1234" not in text and "4321" not in text
    assert len(rows) == 2


def test_a_low_cv_slope_is_a_warning_and_the_verdict_is_not_refit(frame) -> None:
    small = frame.iloc[:150].copy()
    run = calibrate(settings(method="logistic", prior="zero", folds=3), frame=small)
    slope = run.metrics["cv"]["calibration_slope"]
    if slope < 0.85:
        assert any("calibration slope" in w and "too extreme" in w for w in run.metrics["warnings"])
        assert run.metrics["decision"]["verdict"] != "refit"


def test_folds_on_two_processes_give_the_same_figures(frame) -> None:
    serial = calibrate(settings(method="points", folds=3, max_items=3, n_jobs=1), frame=frame).metrics
    parallel = calibrate(settings(method="points", folds=3, max_items=3, n_jobs=2), frame=frame).metrics
    for key in ("auc", "brier", "calibration_slope"):
        assert parallel["cv"][key] == serial["cv"][key]
    import json

    assert json.dumps(parallel["cutoffs"]) == json.dumps(serial["cutoffs"])  # nan-safe, exact
