"""Calibration flags added for #9: --n-jobs (never changes a result) and its bad values."""

from __future__ import annotations

import json

from click.testing import CliRunner

from riskmanual.cli import cli

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = str(DATA / "full.yaml")


def test_n_jobs_runs_the_same_calibration(tmp_path) -> None:
    path = tmp_path / "cases.csv"
    synthetic_frame(1500, seed=2).to_csv(path, index=False)
    outputs = []
    for jobs in ("1", "2"):
        report = tmp_path / f"report-{jobs}"
        result = CliRunner().invoke(cli, ["calibrate", FULL, str(path), "--outcome", "y", "--method", "logistic",
                                          "--folds", "3", "--n-jobs", jobs, "--report", str(report), "--lang", "en"])
        assert result.exit_code == 0, result.output
        metrics = json.loads((report / "metrics.json").read_text("utf-8"))
        assert "n_jobs" not in metrics["settings"]
        outputs.append((metrics["cv"]["auc"], metrics["model"], metrics["cutoffs"]))
    assert outputs[0] == outputs[1]


def test_n_jobs_must_be_a_positive_whole_number(tmp_path) -> None:
    for bad in ("0", "-1", "two", "1.5"):
        result = CliRunner().invoke(cli, ["calibrate", FULL, "x.csv", "--outcome", "y", "--n-jobs", bad])
        assert result.exit_code == 2 and "--n-jobs" in result.output, (bad, result.output)
