"""Missing answers: the reference answer (default), an error, or their own category."""

from __future__ import annotations

import numpy as np
import pytest

from riskmanual import read_instrument, score
from riskmanual.calibration import CalibrationError, CalibrationSettings, calibrate
from riskmanual.calibration.encoding import NOT_RECORDED
from riskmanual.calibration.output import calibrated_instrument, points_diff

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = str(DATA / "full.yaml")


@pytest.fixture(scope="module")
def frame():
    """``school`` (categorical, no effect in the truth) is blank for 600 cases, chosen among those
    with the outcome: a blank is informative, and lumping it with the reference hides that."""
    frame = synthetic_frame(4000, seed=8)
    rng = np.random.default_rng(2)
    events = np.flatnonzero(frame["y"].to_numpy() == "1")
    frame.loc[rng.choice(events, 600, replace=False), "school"] = ""
    return frame


def settings(**kw) -> CalibrationSettings:
    return CalibrationSettings(instrument=FULL, data="-", outcome="y", folds=3, **kw)


def test_missing_as_its_own_category_is_weighed_and_written(frame) -> None:
    run = calibrate(settings(method="logistic", missing="category"), frame=frame)
    enc = run.cohort.encoding
    school = next(e for e in enc.items if e.item.id == "school")
    assert school.codes[-1] == NOT_RECORDED and run.cohort.missing["school"] == 600
    weights = dict(zip(enc.names, run.model.points_))
    assert weights[f"school={NOT_RECORDED}"] >= 1  # the blanks carry the outcome
    assert dict(zip(enc.names, enc.current))[f"school={NOT_RECORDED}"] == 0  # today: the reference answer
    # gang has a condition: its blanks may mean "does not apply" and stay the reference answer
    assert any("except for items with a condition (gang)" in w for w in run.metrics["warnings"])
    model = calibrated_instrument(run)
    options = {o.code: o for o in model.items_by_id["school"].response.options}
    assert options[NOT_RECORDED].points > 0 and options[NOT_RECORDED].label == {"sv": "Uppgift saknas",
                                                                                "en": "Not recorded"}
    rows = [r for r in points_diff(run) if r["item"] == "school" and r["code"] == NOT_RECORDED]
    assert rows[0]["answer_sv"] == "Uppgift saknas"
    document = {"instrument": "test-full", "version": model.version, "assessment_date": "2026-01-01",
                "birth_date": "2009-01-01", "answers": {"prior_offences": 0, "violence": "low", "peers": "no",
                                                         "school": NOT_RECORDED, "adult": "no", "district": "north"}}
    result = score(model, document)
    assert result.total == pytest.approx(run.metrics["model"]["reference_score"] + options[NOT_RECORDED].points
                                         + model.items_by_id["age"].response.bins[0].points)


def test_the_default_counts_missing_as_the_reference_answer(frame) -> None:
    run = calibrate(settings(method="logistic"), frame=frame)
    assert all(NOT_RECORDED not in e.codes for e in run.cohort.encoding.items)
    assert NOT_RECORDED not in {o.code for o in calibrated_instrument(run).items_by_id["school"].response.options}


def test_recalibration_with_missing_as_category_keeps_the_instrument(frame) -> None:
    run = calibrate(settings(method="recalibrate", missing="category"), frame=frame)
    assert calibrated_instrument(run).items == read_instrument(FULL).items


def test_missing_as_category_refuses_an_item_that_cannot_take_a_new_answer(frame) -> None:
    bad = frame.copy()
    bad.loc[[3, 9], "violence"] = ""  # ordinal
    bad.loc[5, "peers"] = ""  # yes/no
    with pytest.raises(CalibrationError) as caught:
        calibrate(settings(method="logistic", missing="category"), frame=bad)
    messages = [issue.message for issue in caught.value.issues]
    assert any("2 missing answer(s) to item 'violence'" in m and "is ordinal" in m for m in messages)
    assert any("item 'peers'" in m and "is boolean" in m for m in messages)
