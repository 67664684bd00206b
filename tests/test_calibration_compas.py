"""The shipped COMPAS calibration is reproducible from its spec and meets its goals."""

from __future__ import annotations

import json

import pytest

from riskmanual import read_instrument
from riskmanual.calibration import calibrate, load_spec
from riskmanual.calibration.output import calibrated_instrument

from .conftest import ROOT

SPEC = ROOT / "calibration" / "example-compas" / "spec.yaml"
DATA = ROOT.parent / "shared" / "data" / "compas" / "compas-scores-two-years.csv"

pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"the COMPAS data is not at {DATA} (../shared beside the repo)")


@pytest.fixture(scope="module")
def run():
    return calibrate(load_spec(SPEC), base=SPEC.parent)


def test_standard_filter_keeps_6172_rows(run) -> None:
    assert run.cohort.n == 6172
    assert run.cohort.events / run.cohort.n == pytest.approx(0.4551, abs=1e-4)


def test_points_meet_the_goals(run) -> None:
    cv = run.metrics["cv"]
    assert cv["auc"] >= 0.725  # above COMPAS's own decile score (0.710) and FasterRisk (0.722)
    assert 0.9 <= cv["calibration_slope"] <= 1.1
    assert run.metrics["comparison"]["points"]["fit_seconds"] < 1.0
    used = {run.cohort.encoding.features[i].item for i, w in enumerate(run.model.points_) if w}
    assert len(used) <= 6 and "race" not in used and "sex" not in used


def test_race_is_only_a_reporting_group(run) -> None:
    assert set(run.metrics["groups"]) == {"sex", "race"}
    assert "race" not in run.cohort.instrument.items_by_id
    assert "cannot both hold" in run.metrics["groups"]["race"]["statement"]


def test_the_shipped_version_is_what_the_spec_produces(run) -> None:
    shipped = read_instrument(ROOT / "instruments" / "example-compas" / "2.0.0.yaml")
    again = calibrated_instrument(run)
    assert [i.response.model_dump() for i in again.items] == [i.response.model_dump() for i in shipped.items]
    assert [b.model_dump() for b in again.bands] == [b.model_dump() for b in shipped.bands]
    assert again.probability.slope == pytest.approx(shipped.probability.slope)
    assert shipped.calibration.data_sha256 == run.cohort.sha256
    metrics = json.loads((SPEC.parent / "report" / "metrics.json").read_text("utf-8"))
    assert metrics["cv"]["auc"] == pytest.approx(run.metrics["cv"]["auc"])


def test_the_shipped_version_scores_completely_with_only_its_scored_items(run) -> None:
    from riskmanual import score

    shipped = read_instrument(ROOT / "instruments" / "example-compas" / "2.0.0.yaml")
    scored = [i for i in shipped.items if i.scored]
    assert len(scored) < len(shipped.items)  # the zero-point items became information items
    answers = {}
    for item in scored:
        response = item.response
        answers[item.id] = response.options[0].code if getattr(response, "options", None) else (response.min or 0)
    result = score(shipped, {"instrument": shipped.id, "version": shipped.version, "assessment_date": "2026-01-01",
                             "answers": answers})
    assert result.status == "complete"
