"""Data as it comes: a value map, an outcome map, a column rule, --data and ${VAR} in specs (issue 9)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from riskmanual import read_instrument
from riskmanual.calibration import CalibrationError, apply_where, build_cohort, load_spec
from riskmanual.calibration.run import Where
from riskmanual.cli import cli

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = DATA / "full.yaml"


@pytest.fixture(scope="module")
def full():
    return read_instrument(FULL)


def labelled(n: int = 400):
    """The synthetic cohort as a data system exports it: labels, mixed case, blanks, Sí/No outcome."""
    frame = synthetic_frame(n, seed=7)
    frame["violence"] = frame["violence"].map({"low": "Baix", "moderate": "MODERAT", "high": "alt"})
    frame["peers"] = frame["peers"].map({"yes": "Sí", "no": "No"})
    frame["school"] = frame["school"].str.upper()
    frame.loc[::10, "school"] = ""  # blanks: declared as a code below
    frame["prior_offences"] = np.where(frame["prior_offences"].astype(int) >= 4, "4 or more", frame["prior_offences"])
    frame["y"] = frame["y"].map({"1": "Sí", "0": "No"})
    return frame


VALUES = {
    "violence": {"baix": "low", "moderat": "moderate", "ALT": "high"},
    "peers": {"sí": "yes", "no": "no"},
    "school": {"": "attending"},
    "gang": {"": "missing"},
}


def test_value_map_on_labels_blanks_and_mixed_case(full) -> None:
    plain = build_cohort(full, synthetic_frame(400, seed=7), "y")
    frame = labelled()
    cohort = build_cohort(full, frame, "y", values=VALUES, outcome_values={"positive": ["sí"], "negative": ["NO"]})
    assert np.array_equal(cohort.y, plain.y)
    names = cohort.encoding.names
    for feature in ("violence>=moderate", "violence>=high", "peers=yes"):
        column = names.index(feature)
        assert np.array_equal(cohort.X[:, column], plain.X[:, column])
    truant = names.index("school=truant")
    blank = (frame["school"] == "").to_numpy()
    assert np.all(cohort.X[blank, truant] == 0) and cohort.missing["school"] == 0
    assert cohort.missing["gang"] == plain.missing["gang"]
    # "4 or more" reads as 4, in the top bin like 4, 5, 6 ...
    high = names.index(next(n for n in names if n.startswith("prior_offences") and "3" in n))
    assert np.array_equal(cohort.X[:, high], plain.X[:, high])


def test_unmapped_labels_are_errors_with_the_file_row_after_filtering(full) -> None:
    frame = labelled()
    frame.attrs["source"] = "export.csv"
    frame.loc[5, "violence"] = "Molt alt"
    frame["keep"] = np.where(np.arange(len(frame)) < 3, "no", "yes")
    kept = apply_where(frame, [Where(column="keep", op="=", value="yes")])
    with pytest.raises(CalibrationError) as caught:
        build_cohort(full, kept, "y", values=VALUES, outcome_values={"positive": ["sí"], "negative": ["no"]})
    issue = next(i for i in caught.value.issues if i.path == ("violence",))
    assert issue.line == 7  # data row 5 is the file's line 7, whatever the filter dropped
    assert issue.column == list(frame.columns).index("violence") + 1


def test_unknown_items_in_columns_and_values_have_a_did_you_mean(full) -> None:
    with pytest.raises(CalibrationError) as caught:
        build_cohort(full, synthetic_frame(100), "y", columns={"violense": "violence"}, values={"peer": {"x": "yes"}})
    text = "\n".join(str(i) for i in caught.value.issues)
    assert "did you mean 'violence'" in text and "did you mean 'peers'" in text


def test_a_where_column_has_a_did_you_mean() -> None:
    frame = synthetic_frame(50)
    with pytest.raises(CalibrationError) as caught:
        apply_where(frame, [Where(column="sexx", op="=", value="F")])
    assert "did you mean 'sex'" in str(caught.value.issues[0])


def test_column_rule_names_every_item(full) -> None:
    frame = synthetic_frame(200, seed=1)
    items = [i.id for i in full.items if i.id in frame.columns]
    renamed = frame.rename(columns={i: "Q_" + i.upper() for i in items})
    cohort = build_cohort(full, renamed, "y", column_rule="Q_{ID}")
    assert np.array_equal(cohort.X, build_cohort(full, frame, "y").X)


def test_spec_keys_have_a_did_you_mean_and_vars_expand(tmp_path: Path, monkeypatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("instrument: x\ndata: ${COHORT_DIR}/c.csv\noutcome: y\nfold: 3\n", "utf-8")
    with pytest.raises(CalibrationError) as caught:
        load_spec(spec)
    text = "\n".join(str(i) for i in caught.value.issues)
    assert "COHORT_DIR" in text and "not set" in text
    monkeypatch.setenv("COHORT_DIR", "/data")
    with pytest.raises(CalibrationError) as caught:
        load_spec(spec)
    assert "did you mean 'folds'" in str(caught.value.issues[0])
    spec.write_text("instrument: x\ndata: ${COHORT_DIR}/c.csv\noutcome: y\n", "utf-8")
    assert load_spec(spec).data == "/data/c.csv"


def test_data_flag_replaces_the_spec_data(tmp_path: Path) -> None:
    data = tmp_path / "cohort.csv"
    labelled(300).to_csv(data, index=False)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"instrument: {FULL}\ndata: missing.csv\noutcome: y\nfolds: 3\n"
        "outcome_values: {positive: [Sí], negative: [No]}\n"
        "values:\n  violence: {Baix: low, Moderat: moderate, Alt: high}\n  peers: {Sí: 'yes', No: 'no'}\n"
        "  school: {'': attending}\n", "utf-8")
    result = CliRunner().invoke(cli, ["calibrate", "--spec", str(spec), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "n = 300" in result.output


def test_missing_can_be_declared_an_error(full) -> None:
    frame = synthetic_frame(100, seed=3)
    frame.loc[[3, 8], "violence"] = ""
    with pytest.raises(CalibrationError) as caught:
        build_cohort(full, frame, "y", missing_policy="error")
    assert any("2 missing answer(s) to item 'violence'" in str(i) for i in caught.value.issues)
    assert build_cohort(full, frame, "y").missing["violence"] == 2


def test_the_cli_summary_counts_missing_answers(tmp_path: Path) -> None:
    frame = synthetic_frame(300, seed=3)
    frame.loc[:29, "violence"] = ""
    data = tmp_path / "c.csv"
    frame.to_csv(data, index=False)
    result = CliRunner().invoke(cli, ["calibrate", str(FULL), str(data), "--outcome", "y", "--folds", "3", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "missing answers" in result.output and "violence 30 (10.0%)" in result.output
    swedish = CliRunner().invoke(cli, ["calibrate", str(FULL), str(data), "--outcome", "y", "--folds", "3"])
    assert "saknade svar (räknade som frågans referenssvar" in swedish.output and "violence 30 (10,0\u00a0%)" in swedish.output
