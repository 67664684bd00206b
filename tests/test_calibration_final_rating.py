"""The assessor's final rating is read, checked and evaluated beside the points."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from riskmanual.calibration import CalibrationError, CalibrationSettings, calibrate
from riskmanual.cli import cli

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = str(DATA / "full.yaml")


@pytest.fixture(scope="module")
def spj(tmp_path_factory) -> str:
    """tests/data/full.yaml with the final rating given to the assessor."""
    text = (DATA / "full.yaml").read_text(encoding="utf-8")
    text = text.replace("judgement:\n", "judgement:\n  final_rating: assessor\n", 1)
    path = tmp_path_factory.mktemp("spj") / "spj.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def frame():
    """An assessor who mostly knows the outcome's risk: ratings follow the truth, with noise, and
    are written as ids, Swedish labels and in any case; some cells blank."""
    frame = synthetic_frame(3000, seed=11)
    rng = np.random.default_rng(4)
    signal = frame["y"].astype(int).to_numpy() + rng.normal(0, 0.8, len(frame))
    level = np.digitize(signal, [0.3, 0.9])
    spellings = [["low", "Låg", "LOW"], ["moderate", "Måttlig", "måttlig"], ["high", "Hög", "HIGH "]]
    frame["rating"] = [spellings[k][rng.integers(0, 3)] for k in level]
    frame.loc[rng.choice(len(frame), 150, replace=False), "rating"] = ""
    return frame


def settings(instrument: str, **kw) -> CalibrationSettings:
    return CalibrationSettings(instrument=instrument, data="-", outcome="y", folds=3, **kw)


def test_the_final_rating_is_evaluated_beside_the_points(spj, frame) -> None:
    run = calibrate(settings(spj, final_rating="rating"), frame=frame)
    figures = run.metrics["final_rating"]
    assert figures["column"] == "rating" and figures["n"] == 2850 and figures["unrated"] == 150
    rated = frame["rating"].str.strip() != ""
    from sklearn.metrics import roc_auc_score

    order = {"low": 0, "låg": 0, "moderate": 1, "måttlig": 1, "high": 2, "hög": 2}
    levels = frame.loc[rated, "rating"].str.strip().str.casefold().map(order)
    assert figures["auc"] == pytest.approx(roc_auc_score(frame.loc[rated, "y"].astype(int), levels))
    assert figures["auc_ci"][0] < figures["auc"] < figures["auc_ci"][1]
    versus = figures["versus_current_points"]
    assert versus["difference"] == pytest.approx(figures["auc"] - versus["current_points_auc"])
    assert versus["ci"][0] < versus["difference"] < versus["ci"][1]
    rates = [row["rate"] for row in figures["levels"]]
    assert rates == sorted(rates) and sum(row["n"] for row in figures["levels"]) == 2850
    assert 0 < figures["out_of_fold"]["brier"] < 0.25
    moved = figures["against_computed_band"]
    assert moved["same"] + moved["higher"] + moved["lower"] == pytest.approx(1.0)
    assert not any("no final_rating column" in w for w in run.metrics["warnings"])


def test_an_spj_instrument_without_the_column_says_so(spj, frame) -> None:
    run = calibrate(settings(spj), frame=frame)
    assert run.metrics["final_rating"] is None
    assert any("final rating to the assessor" in w for w in run.metrics["warnings"])


def test_a_rating_that_is_not_a_band_is_a_located_error_with_did_you_mean(spj, frame) -> None:
    bad = frame.copy()
    bad.loc[4, "rating"] = "hihg"
    with pytest.raises(CalibrationError) as caught:
        calibrate(settings(spj, final_rating="rating"), frame=bad)
    (issue,) = caught.value.issues
    assert issue.line == 6 and "did you mean 'high'" in issue.message and issue.value == "hihg"
    with pytest.raises(CalibrationError, match="does not fit"):
        calibrate(settings(spj, final_rating="ratng"), frame=frame)


def test_the_cli_reads_the_flag_and_prints_the_figures(spj, frame, tmp_path) -> None:
    path = tmp_path / "cases.csv"
    frame.to_csv(path, index=False)
    result = CliRunner().invoke(cli, ["calibrate", spj, str(path), "--outcome", "y", "--folds", "3",
                                      "--final-rating", "rating", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "assessor's final rating" in result.output and "2,850 rated" in result.output
    swedish = CliRunner().invoke(cli, ["calibrate", spj, str(path), "--outcome", "y", "--folds", "3",
                                       "--final-rating", "rating"])
    assert "bedömarens slutliga nivå (rating, 2850 bedömda, 150 utan)" in swedish.output
    assert "Låg" in swedish.output and "Hög" in swedish.output
    result = CliRunner().invoke(cli, ["calibrate", spj, str(path), "--outcome", "y", "--final-rating", "ratng",
                                      "--lang", "en"])
    assert result.exit_code == 1 and "did you mean 'rating'" in result.output
