"""A whole calibration: out-of-fold figures, refit or keep, the new instrument, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from riskmanual import read_instrument, score
from riskmanual.calibration import CalibrationSettings, calibrate, load_spec
from riskmanual.calibration.output import calibrated_instrument, points_diff, write_instrument
from riskmanual.cli import cli

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = str(DATA / "full.yaml")


def settings(**kw) -> CalibrationSettings:
    return CalibrationSettings(instrument=FULL, data="-", outcome="y", **kw)


@pytest.fixture(scope="module")
def frame():
    return synthetic_frame(3000, seed=3)


def test_recalibration_keeps_points_and_reports_out_of_fold(frame) -> None:
    run = calibrate(settings(method="recalibrate", groups=["sex"]), frame=frame)
    metrics = run.metrics
    assert metrics["chosen"] == "current points"
    assert set(metrics["comparison"]) == {"current points", "current points, intercept-only update"}
    for key in ("auc", "auc_ci", "brier", "calibration_slope", "calibration_intercept", "ece"):
        assert key in metrics["cv"]
    assert metrics["apparent"]["auc"] >= metrics["cv"]["auc"] - 0.02
    assert abs(metrics["cv"]["calibration_slope"] - 1) < 0.25
    assert np.array_equal(run.model.points_, run.cohort.encoding.current)
    assert "sex" in metrics["groups"]
    assert all(abs(r["old"] - r["new"]) < 1e-9 for r in points_diff(run))


def test_logistic_refit_respects_constraints_and_finds_the_signal(frame) -> None:
    run = calibrate(settings(method="logistic"), frame=frame)
    enc = run.cohort.encoding
    weights = dict(zip(enc.names, run.model.points_))
    assert weights["violence>=high"] > 0 and weights["peers=yes"] > 0
    assert weights["adult=yes"] <= 0
    assert weights["school=truant"] == pytest.approx(0, abs=1)  # no effect in the truth
    assert enc.violations(run.model.points_) == []
    assert run.metrics["comparison"]["logistic (shrunk to current)"]["auc"] > run.metrics["comparison"]["current points"]["auc"]
    assert run.metrics["decision"]["verdict"] == "refit" and run.metrics["verdict"].startswith("Refit")
    assert run.metrics["decision"]["test"]["ci"][0] > 0


def test_refit_on_noise_is_not_recommended(frame) -> None:
    noise = frame.copy()
    noise["y"] = np.random.default_rng(9).integers(0, 2, len(noise)).astype(str)
    run = calibrate(settings(method="logistic", folds=3), frame=noise)
    assert run.metrics["decision"]["verdict"] != "refit"
    assert "does not clearly beat" in run.metrics["verdict"] or "does not beat" in run.metrics["verdict"]
    assert run.metrics["verdict"] in run.metrics["warnings"]


def test_same_settings_same_figures(frame) -> None:
    a = calibrate(settings(method="logistic", seed=4, folds=3), frame=frame).metrics
    b = calibrate(settings(method="logistic", seed=4, folds=3), frame=frame).metrics
    for name in a["comparison"]:  # all but the measured fit time
        a["comparison"][name].pop("fit_seconds"), b["comparison"][name].pop("fit_seconds")
    assert json.dumps(a["comparison"]) == json.dumps(b["comparison"])
    assert json.dumps(a["cutoffs"]) == json.dumps(b["cutoffs"])


def test_the_new_instrument_validates_scores_and_keeps_provenance(frame, tmp_path: Path) -> None:
    run = calibrate(settings(method="logistic", select="capacity=0.25", folds=3), frame=frame)
    model = calibrated_instrument(run)
    assert model.id == "test-full" and model.version == "2.0.0" and model.status == "draft"
    assert model.calibration.status == "calibrated" and model.calibration.n == 3000
    assert model.calibration.data_sha256 == run.cohort.sha256
    target = write_instrument(model, tmp_path / "new.yaml", source=FULL)
    again = read_instrument(target, strict_schema=True)
    assert again.probability.form == "logistic"
    cut = run.metrics["selected_cutoff"]["cutoff"]
    assert again.band(again.target_group.min_band).min == pytest.approx(cut)
    document = {"instrument": "test-full", "version": model.version, "assessment_date": "2026-01-01",
                "birth_date": "2009-01-01", "answers": {"prior_offences": 0, "violence": "high", "peers": "no",
                                                         "school": "attending", "adult": "no", "district": "north"}}
    result = score(again, document)
    assert 0 < result.probability.value < 1
    # the engine's total and probability under the new version equal the fitted model's
    enc = run.cohort.encoding
    codes = {"violence": ["high"], "peers": ["no"], "school": ["attending"], "adult": ["no"], "age": ["[,18)"],
             "prior_offences": ["[0,1)"]}
    row = enc.transform(codes, 1)
    assert result.total == pytest.approx(run.metrics["model"]["reference_score"] + float((row @ run.model.points_)[0]))
    assert result.probability.value == pytest.approx(float(run.model.predict_proba(row)[0, 1]), abs=1e-5)
    with pytest.raises(Exception, match="overwrite|exists"):
        write_instrument(model, FULL, source=FULL)
    with pytest.raises(Exception, match="exists"):
        write_instrument(model, target, source=FULL)


@pytest.mark.parametrize("method", ["logistic", "points"])
def test_a_refit_is_rebased_so_each_items_lowest_answer_scores_zero(frame, method: str) -> None:
    """``age`` scores 2/1/0 today with the youngest bin as reference: a refit must not keep
    those 2 points as an offset; ranks, cut-offs and probabilities are the same either way."""
    run = calibrate(settings(method=method, folds=3, max_items=4 if method == "points" else None), frame=frame)
    model = calibrated_instrument(run)
    enc = run.cohort.encoding
    for item in model.items:
        if item.kind == "information" or item.id not in {e.item.id for e in enc.items}:
            continue
        response = item.response
        points = ([b.points for b in response.bins] if getattr(response, "bins", None) else
                  [o.points for o in response.options] if getattr(response, "options", None) else
                  [response.points.yes, response.points.no])
        assert min(points) == 0, (item.id, points)
    reference = run.metrics["model"]["reference_score"]
    assert reference == enc.offset_for(run.model.points_, rebase=True)
    assert model.probability.reference_score == pytest.approx(reference)
    old = enc.points(run.model.points_)["age"]
    new = enc.points(run.model.points_, rebase=True)["age"]
    shift = {code: old[code] - new[code] for code in old}
    assert len(set(shift.values())) == 1  # the same shift for every answer: differences kept


def test_recalibration_keeps_the_reference_points(frame) -> None:
    run = calibrate(settings(method="recalibrate", folds=3), frame=frame)
    assert run.metrics["model"]["reference_score"] == run.cohort.encoding.offset
    assert calibrated_instrument(run).items == read_instrument(FULL).items


def write(frame, tmp_path: Path) -> Path:
    path = tmp_path / "cohort.csv"
    frame.to_csv(path, index=False)
    return path


def test_cli_calibrate_writes_instrument_and_prints_summary(frame, tmp_path: Path, monkeypatch) -> None:
    import riskmanual.calibration.report as report

    monkeypatch.setattr(report, "write_report", lambda metrics, arrays, directory, force=False, lang="en": [Path(directory)])
    data = write(frame, tmp_path)
    out = tmp_path / "new.yaml"
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(data), "--outcome", "y", "--method", "logistic",
                                      "--group", "sex", "--select", "sensitivity=0.7", "--out", str(out),
                                      "--report", str(tmp_path / "report"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "cross-validated" in result.output and "apparent (in-sample)" in result.output
    assert "points (old -> new):" in result.output and "peers = yes:" in result.output
    assert out.exists() and read_instrument(out).version == "2.0.0"
    # Swedish, the instrument's first language, without --lang: the same summary in Swedish words and numbers
    swedish = CliRunner().invoke(cli, ["calibrate", FULL, str(data), "--outcome", "y", "--method", "logistic",
                                       "--group", "sex", "--select", "sensitivity=0.7"])
    assert swedish.exit_code == 0, swedish.output
    assert "korsvaliderat" in swedish.output and "skenbar AUC" in swedish.output and "poäng (gammal → ny):" in swedish.output
    assert "peers = ja:" in swedish.output and "violence = Hög:" in swedish.output
    assert re.search(r"AUC 0,\d{3} \[0,\d{3}; 0,\d{3}\]", swedish.output)
    for english in ("cross-validated", "apparent", "warning:", "points unchanged", "Refit", "selects", "slope "):
        assert english not in swedish.output, english


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["--outcome", "nope"], 1, "no outcome column 'nope'"),
        (["--outcome", "y", "--select", "speed=1"], 2, "--select"),
        (["--outcome", "y", "--folds", "1"], 2, "--folds"),
        (["--outcome", "y", "--column", "broken"], 2, "ITEM=COLUMN"),
        ([], 2, "--outcome"),
    ],
)
def test_cli_bad_input(frame, tmp_path: Path, args, code, text) -> None:
    data = write(frame.head(200), tmp_path)
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(data), *args, "--lang", "en"])
    assert result.exit_code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output


def test_cli_refuses_an_existing_out_file(frame, tmp_path: Path) -> None:
    data = write(frame.head(300), tmp_path)
    existing = tmp_path / "exists.yaml"
    existing.write_text("keep me", "utf-8")
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(data), "--outcome", "y", "--out", str(existing),
                                      "--lang", "en"])
    assert result.exit_code == 1 and "exists" in result.output
    assert existing.read_text("utf-8") == "keep me"


def test_spec_file_runs_and_bad_spec_is_located(frame, tmp_path: Path) -> None:
    write(frame.head(600), tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"instrument": FULL, "data": "cohort.csv", "outcome": "y", "method": "recalibrate",
                                    "where": [{"column": "sex", "op": "=", "value": "F"}]}), "utf-8")
    result = CliRunner().invoke(cli, ["calibrate", "--spec", str(spec)])
    assert result.exit_code == 0, result.output
    n = int(result.output.split("n = ")[1].split(",")[0])
    assert n == int((frame.head(600)["sex"] == "F").sum())
    bad = tmp_path / "bad.yaml"
    bad.write_text("instrument: x\ndata: y\noutcome: z\nmethod: magic\nfolds: 1\n", "utf-8")
    with pytest.raises(Exception) as caught:
        load_spec(bad)
    lines = [str(i) for i in caught.value.issues]
    assert any(":4:" in line and "method" in line for line in lines)
    assert any(":5:" in line and "folds" in line for line in lines)


def test_metrics_have_the_documented_keys(frame) -> None:
    metrics = calibrate(settings(method="recalibrate", groups=["sex"]), frame=frame).metrics
    for key in ("n", "events", "method", "cv", "apparent", "cutoffs", "selected_cutoff", "groups"):
        assert key in metrics
    for key in ("auc", "auc_ci", "brier", "calibration_slope", "calibration_intercept", "ece"):
        assert key in metrics["cv"]
    json.dumps(metrics, default=float)


@pytest.mark.parametrize("method", ["logistic", "points"])
def test_calibration_recovers_the_points_a_cohort_was_made_from(method: str) -> None:
    from riskmanual import load_instrument
    from riskmanual.calibration.data import build_cohort
    from riskmanual.calibration.methods import LogisticPoints
    from riskmanual.calibration.points import IntegerPointsClassifier
    from riskmanual.calibration.simulate import simulate

    instrument = load_instrument("sig-assessment")
    cohort = build_cohort(instrument, simulate(instrument, 20_000, seed=2), "outcome")
    enc = cohort.encoding
    if method == "logistic":
        model = LogisticPoints(bounds=enc.bounds, prior=None, integer=False, Cs=(1.0, 10.0)).fit(cohort.X, cohort.y)
    else:
        model = IntegerPointsClassifier(max_items=len(enc.items), groups=enc.groups, bounds=enc.bounds).fit(cohort.X, cohort.y)
    assert np.corrcoef(model.points_, enc.current)[0, 1] > 0.9


def test_cli_spec_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["calibrate", "--spec", str(tmp_path / "absent.yaml"), "--lang", "en"])
    assert missing.exit_code == 1 and "no such file" in missing.output
    spec = tmp_path / "spec.yaml"
    spec.write_text("instrument: x\ndata: y.csv\noutcome: z\n", "utf-8")
    both = runner.invoke(cli, ["calibrate", FULL, "data.csv", "--spec", str(spec), "--lang", "en"])
    assert both.exit_code == 2 and "not both" in both.output
    no_data = runner.invoke(cli, ["calibrate", "--spec", str(spec), "--lang", "en"])
    assert no_data.exit_code == 1 and "no instrument" in no_data.output
    for result in (missing, both, no_data):
        assert "Traceback" not in result.output


def test_prune_makes_zero_point_items_information_items_so_the_scored_ones_suffice(frame) -> None:
    run = calibrate(settings(method="points", max_items=2, folds=3), frame=frame)
    model = calibrated_instrument(run)
    used = {f.item for f, w in zip(run.cohort.encoding.features, run.model.points_) if w}
    scored = {i.id for i in model.items if i.scored}
    assert used <= scored
    assert run.metrics["pruned"] and not set(run.metrics["pruned"]) & used
    kept = calibrate(settings(method="points", max_items=2, folds=3, prune=False), frame=frame)
    assert all(i.scored for i in calibrated_instrument(kept).items if i.id in run.metrics["pruned"])
