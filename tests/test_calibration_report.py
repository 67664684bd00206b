"""The calibration report: metrics.json, six PNG figures and one self-contained, escaped HTML page."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("matplotlib")
pytest.importorskip("jinja2")
pytest.importorskip("statsmodels")
pytest.importorskip("sklearn")
pytest.importorskip("fairlearn")

from markupsafe import escape  # noqa: E402 - after the skips

from riskmanual.calibration import metrics as cm  # noqa: E402
from riskmanual.calibration import CalibrationError  # noqa: E402
from riskmanual.calibration.report import FIGURES, json_safe, write_report  # noqa: E402

from .conftest import ROOT  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNGS = [name for name, _, _ in FIGURES]
VERDICT = "Refit: the new points discriminate better (AUC +0.031) & are better calibrated than the current points."
WARNINGS = [
    "Only 7.5 events per item for 'gang' (fewer than 10): its new points are uncertain.",
    "Column 'district' has 3 groups with fewer than 50 young people.",
]
SCRIPT = "<script>alert('x')</script>"


def _sigmoid(z: Any) -> Any:
    return 1 / (1 + np.exp(-z))


def _cv_block(y: Any, p: Any, fold_sd: float) -> dict[str, Any]:
    return {**cm.summary(y, p), "auc_fold_sd": fold_sd}


@pytest.fixture(scope="module")
def import_probe() -> Any:
    """A fresh interpreter that imports the report module and lists what came with it.

    Started before the report is built so that the two run side by side (the package's own
    ``__init__`` takes seconds to import).
    """
    # The package's __init__ may import numpy/scipy/sklearn; the report module itself must not
    # pull in matplotlib (nor jinja2, which it also imports only when rendering).
    code = ("import json, sys\nimport riskmanual.calibration.report\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'jinja2'))))")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=ROOT)
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, import_probe: Any) -> dict[str, Any]:
    rng = np.random.default_rng(20261123)
    n = 2000
    # Six binary items; the current points are off from the true weights.
    X = (rng.random((n, 6)) < np.array([0.5, 0.3, 0.4, 0.2, 0.25, 0.35])).astype(int)
    true_w = np.array([1.2, 0.8, 0.3, 1.5, 0.1, 0.6])
    current_pts = np.array([1, 1, 1, 1, 1, 1])
    new_pts = np.array([2, 1, 0, 3, 0, 1])
    sex = rng.choice(np.array(["female", "male"]), n, p=[0.3, 0.7])
    district = rng.choice(np.array(["north", "south", SCRIPT]), n, p=[0.5, 0.4, 0.1])
    p_true = _sigmoid(-2.4 + X @ true_w + 0.3 * (sex == "male"))
    y = (rng.random(n) < p_true).astype(int)

    total = (X @ new_pts).astype(float)
    total_current = (X @ current_pts).astype(float)
    # "Out-of-fold" probabilities from a logistic fit on each total (noisy to mimic CV).
    from riskmanual.calibration.methods import fit_total_logistic

    a, b = fit_total_logistic(total, y)
    p = _sigmoid(a + b * total + rng.normal(0, 0.05, n))
    a_c, b_c = fit_total_logistic(total_current, y)
    p_current = _sigmoid(a_c + b_c * total_current + rng.normal(0, 0.05, n))
    p_apparent = _sigmoid(a + b * total)

    cutoffs = cm.cutoff_table(total, y, p)
    selection = cm.parse_selection("capacity=0.25")
    selected = cm.select_cutoff(cutoffs, selection, n)
    groups = cm.group_metrics(y, p, total >= selected["cutoff"], {"sex": sex, "district": district})

    comparison = {
        "current points": {**_cv_block(y, p_current, 0.012), "fit_seconds": 0.004},
        "logistic": {**_cv_block(y, p, 0.011), "fit_seconds": 0.21},
        "integer": {**_cv_block(y, p, 0.015), "fit_seconds": 1.7},
    }
    comparison["integer"]["calibration_slope"] = float("nan")
    metrics = {
        "n": n,
        "events": int(y.sum()),
        "base_rate": float(y.mean()),
        "method": "logistic",
        "date": "2026-11-23",
        "engine_version": "0.9.0",
        "instrument": {"id": "test-full", "version": "1.2.0", "new_version": "1.3.0"},
        "data": {"source": "cohort-2019.csv", "sha256": "ab" * 32},
        "settings": {"folds": 5, "repeats": 2, "seed": 7, "select": str(selection), "max_items": None,
                     "groups": ["sex", "district"], "prior": "current"},
        "cv": {k: v for k, v in comparison["logistic"].items() if k != "fit_seconds"},
        "apparent": cm.summary(y, p_apparent),
        "comparison": comparison,
        "verdict": VERDICT,
        "warnings": WARNINGS,
        "rate_table": cm.rate_table(total, y, p),
        "cutoffs": cutoffs,
        "selected_cutoff": selected,
        "decision_curve": cm.decision_curve(y, p),
        "groups": groups,
        "points_diff": [
            {"item": "prior_offences", "label": "Prior offences", "code": "yes", "old": 1, "new": 2},
            {"item": "violence", "label": "Violence", "code": "yes", "old": 1, "new": 1},
            {"item": "peers", "label": "Peers & <friends>", "code": "yes", "old": 1, "new": 0},
            {"item": "gang", "label": "Gang", "code": "yes", "old": 1, "new": 3},
        ],
    }
    arrays = {"y": y, "p": p, "p_current": p_current, "total": total}
    out = tmp_path_factory.mktemp("report") / "dir"
    out.mkdir()
    # Stale files of its own are overwritten; a file that is not its own is left alone.
    (out / "notes.txt").write_text("keep me")
    (out / "metrics.json").write_text("stale")
    (out / "report.html").write_text("stale")
    with pytest.raises(CalibrationError, match="not empty"):
        write_report(metrics, arrays, out)
    paths = write_report(metrics, arrays, out, force=True)
    return {"metrics": metrics, "paths": paths, "out": out,
            "html": (out / "report.html").read_text(encoding="utf-8")}


def test_all_files_written_and_returned(report: dict[str, Any]) -> None:
    out: Path = report["out"]
    expected = {"metrics.json", "report.html", *PNGS}
    assert {p.name for p in report["paths"]} == expected
    assert len(PNGS) == 6
    for name in expected:
        assert (out / name).is_file()
        assert out / name in report["paths"]


def test_metrics_json_parses_and_nan_became_null(report: dict[str, Any]) -> None:
    text = (report["out"] / "metrics.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    loaded = json.loads(text)
    assert loaded["comparison"]["integer"]["calibration_slope"] is None
    # The lowest cut-off selects everyone, so its NPV is undefined (NaN in the table).
    lowest = min(loaded["cutoffs"], key=lambda r: r["cutoff"])
    assert math.isnan(min(report["metrics"]["cutoffs"], key=lambda r: r["cutoff"])["npv"])
    assert lowest["npv"] is None
    assert loaded["verdict"] == VERDICT
    assert loaded["n"] == 2000


def test_json_safe_walks_nested_values() -> None:
    value = {"a": [1.0, float("nan"), {"b": float("inf")}], "c": (np.float64("nan"), np.int64(3)),
             "d": np.array([0.5, np.nan])}
    assert json_safe(value) == {"a": [1.0, None, {"b": None}], "c": [None, 3], "d": [0.5, None]}
    json.dumps(json_safe(value), allow_nan=False)


def test_pngs_are_valid(report: dict[str, Any]) -> None:
    for name in PNGS:
        data = (report["out"] / name).read_bytes()
        assert data[:8] == PNG_MAGIC, name
        assert len(data) > 10_000, name


def test_html_is_self_contained(report: dict[str, Any]) -> None:
    html = report["html"]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*[\"']?\s*(?:https?:)?//", html, re.I)
    assert "<link" not in html.lower()
    assert html.count('src="data:image/png;base64,') == 6
    assert "<style>" in html


def test_html_shows_verdict_warnings_statements_and_apparent(report: dict[str, Any]) -> None:
    html = report["html"]
    assert str(escape(VERDICT)) in html
    for warning in WARNINGS:
        assert str(escape(warning)) in html
    for block in report["metrics"]["groups"].values():
        assert str(escape(block["statement"])) in html
    assert "Refit or keep?" in html
    assert "Apparent (in-sample)" in html and "Apparent figures are apparent" in html
    assert "the chance that a person who went on to offend scored higher than one who did not" in html
    assert "cohort-2019.csv" in html and "ab" * 32 in html
    for name in report["metrics"]["comparison"]:
        assert re.search(rf"<td[^>]*>{re.escape(name)}", html), name


def test_html_marks_the_selected_cutoff(report: dict[str, Any]) -> None:
    html = report["html"]
    rows = re.findall(r'<tr class="selected">(.*?)</tr>', html, re.S)
    assert len(rows) == 1
    chosen = report["metrics"]["selected_cutoff"]["cutoff"]
    assert re.match(rf"<td>{int(chosen)}<", rows[0])


def test_html_formats_numbers(report: dict[str, Any]) -> None:
    html = report["html"]
    cv_auc = report["metrics"]["cv"]["auc"]
    assert f"{cv_auc:.3f}" in html
    assert f"{100 * report['metrics']['base_rate']:.1f}%" in html
    assert "\u2013" in html  # None / NaN shown as a dash


def test_html_escapes_everything(report: dict[str, Any]) -> None:
    html = report["html"]
    assert "<script" not in html.lower()
    assert str(escape(SCRIPT)) in html
    assert "Peers &amp; &lt;friends&gt;" in html
    assert "&amp; are better calibrated" in html


def test_overwrites_own_files_and_leaves_others(report: dict[str, Any]) -> None:
    out: Path = report["out"]
    assert (out / "notes.txt").read_text() == "keep me"
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["n"] == 2000


def test_import_does_not_load_matplotlib(import_probe: Any) -> None:
    stdout, stderr = import_probe.communicate(timeout=60)
    assert import_probe.returncode == 0, stderr
    assert json.loads(stdout.strip().splitlines()[-1]) == []


def test_report_from_a_run_shows_used_items_labels_signs_and_missing(tmp_path: Path) -> None:
    from riskmanual.calibration import CalibrationSettings, calibrate
    from riskmanual.calibration.output import points_diff

    from .calibration_helpers import synthetic_frame
    from .conftest import DATA

    frame = synthetic_frame(600, seed=2)
    frame.loc[:59, "violence"] = ""
    run = calibrate(CalibrationSettings(instrument=str(DATA / "full.yaml"), data="-", outcome="y", folds=3,
                                        method="recalibrate"), frame=frame)
    run.metrics["points_diff"] = points_diff(run)
    write_report(run.metrics, run.arrays, tmp_path / "r")
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert html.index("Items the new score uses") < html.index("Refit or keep?")
    assert "[1,3)" not in html and "1\u20132" in html and "3 or more" in html  # bin labels, not [1,3)
    assert "\u22121" in html  # the protective item's points with their sign in the total
    assert "Missing answers" in html and ">60<" in html
    assert "young people" in html  # the instrument's population (ages 15-25)


def test_the_report_in_swedish_uses_swedish_words_and_number_style(report: dict[str, Any], tmp_path: Path) -> None:
    arrays = {"y": np.array([0, 1] * 50), "p": np.linspace(0.1, 0.9, 100), "p_current": np.linspace(0.2, 0.8, 100),
              "total": np.arange(100) % 7}
    write_report(report["metrics"], arrays, tmp_path / "sv", lang="sv")
    html = (tmp_path / "sv" / "report.html").read_text("utf-8")
    assert '<html lang="sv">' in html and "Kalibreringsrapport" in html and "Saknade svar" in html
    auc = f"{report['metrics']['cv']['auc']:.3f}".replace(".", ",")
    assert auc in html
    assert "\u00a0%" in html  # '45,5 %'
    assert "Refit or keep?" not in html
