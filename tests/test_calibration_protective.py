"""Protective items on a separate scale take part in calibration: checked, and refitted."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskmanual import read_instrument
from riskmanual.calibration import CalibrationError, CalibrationSettings, calibrate
from riskmanual.calibration.output import calibrated_instrument, points_diff

from .calibration_helpers import synthetic_frame
from .conftest import DATA


@pytest.fixture(scope="module")
def separate(tmp_path_factory) -> str:
    text = (DATA / "full.yaml").read_text(encoding="utf-8")
    assert "protective: subtract" in text
    path = tmp_path_factory.mktemp("separate") / "separate.yaml"
    path.write_text(text.replace("protective: subtract", "protective: separate"), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def frame():
    return synthetic_frame(3000, seed=5)


def settings(instrument: str, **kw) -> CalibrationSettings:
    return CalibrationSettings(instrument=instrument, data="-", outcome="y", folds=3, **kw)


def test_stray_values_in_a_separate_protective_item_are_errors(separate, frame) -> None:
    bad = frame.copy()
    bad.loc[7, "adult"] = "perhaps"
    with pytest.raises(CalibrationError) as caught:
        calibrate(settings(separate, method="recalibrate"), frame=bad)
    text = "\n".join(str(issue) for issue in caught.value.issues)
    assert "perhaps" in text and "adult" in text


def test_recalibration_keeps_the_separate_scale_as_it_is(separate, frame) -> None:
    run = calibrate(settings(separate, method="recalibrate"), frame=frame)
    before = read_instrument(separate)
    after = calibrated_instrument(run)
    assert after.scoring.protective == "separate"
    assert after.items_by_id["adult"] == before.items_by_id["adult"]
    assert any("separate scale (adult)" in w and "keeps them" in w for w in run.metrics["warnings"])
    rows = [r for r in points_diff(run) if r["item"] == "adult"]
    assert rows and all(r["separate"] and r["old"] == r["new"] for r in rows)


def test_a_refit_gives_the_separate_scale_weights_and_subtracts_it(separate, frame) -> None:
    run = calibrate(settings(separate, method="logistic"), frame=frame)
    enc = run.cohort.encoding
    weight = dict(zip(enc.names, run.model.points_))["adult=yes"]
    assert weight < 0  # the truth: -1 point for a protective "yes"
    model = calibrated_instrument(run)
    assert model.scoring.protective == "subtract"
    adult = model.items_by_id["adult"].response.points
    assert adult.yes > 0 and adult.no == 0  # subtracted: a protective answer lowers the total
    assert any("own weights in the total" in w for w in run.metrics["warnings"])
    # the current points are the instrument as it scores today: the protective scale adds nothing
    assert dict(zip(enc.names, enc.current))["adult=yes"] == 0
