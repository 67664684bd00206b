"""Calibration data: every bad table is refused with column, row and value; good ones are encoded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from riskmanual.calibration.data import CalibrationError, build_cohort, read_table

from .calibration_helpers import synthetic_frame


def test_a_good_table_is_encoded(full) -> None:
    cohort = build_cohort(full, synthetic_frame(500), "y", groups=["sex"], id_column="id")
    assert cohort.n == 500 and 0 < cohort.events < 500
    assert cohort.X.shape == (500, len(cohort.encoding.features))
    assert set(np.unique(cohort.X)) <= {0.0, 1.0}
    assert cohort.missing["gang"] == int((synthetic_frame(500)["gang"] == "").sum())
    assert set(cohort.groups["sex"]) == {"F", "M"}


def test_current_totals_match_the_scoring_engine(full) -> None:
    from riskmanual import score

    frame = synthetic_frame(40)
    cohort = build_cohort(full, frame, "y")
    for row in range(40):
        answers = {k: frame.loc[row, k] for k in ("violence", "peers", "school", "adult")}
        answers["prior_offences"] = int(frame.loc[row, "prior_offences"])
        if frame.loc[row, "gang"]:
            answers["gang"] = frame.loc[row, "gang"]
        age = int(frame.loc[row, "age"])
        document = {"instrument": "test-full", "version": "1.2.0", "assessment_date": "2026-01-01",
                    "birth_date": f"{2026 - age - 1}-06-01", "answers": answers}
        result = score(full, document)
        assert cohort.current_totals()[row] == pytest.approx(result.total)


def test_all_problems_are_listed_with_column_row_and_value(full) -> None:
    frame = synthetic_frame(10)
    frame.loc[2, "violence"] = "extreme"
    frame.loc[4, "prior_offences"] = "many"
    frame.loc[5, "prior_offences"] = "500"
    frame.loc[7, "y"] = "2"
    with pytest.raises(CalibrationError) as caught:
        build_cohort(full, frame, "y")
    lines = [str(issue) for issue in caught.value.issues]
    assert any(":4:" in line and "violence" in line and "'extreme'" in line for line in lines)
    assert any(":6:" in line and "takes a number" in line for line in lines)
    assert any(":7:" in line and "out of range" in line for line in lines)
    assert any(":9:" in line and "0 or 1" in line for line in lines)


def test_missing_columns_are_named_with_a_suggestion(full) -> None:
    frame = synthetic_frame(10).rename(columns={"violence": "violense"})
    with pytest.raises(CalibrationError) as caught:
        build_cohort(full, frame, "outcome", groups=["district"])
    messages = [i.message for i in caught.value.issues]
    assert any("'violence'" in m and "did you mean 'violense'" in m for m in messages)
    assert any("outcome column 'outcome'" in m for m in messages)
    assert any("group column 'district'" in m for m in messages)


def test_one_class_outcome_is_refused(full) -> None:
    frame = synthetic_frame(20)
    frame["y"] = "0"
    with pytest.raises(CalibrationError, match="only one class"):
        build_cohort(full, frame, "y")


def test_empty_table_is_refused(full) -> None:
    with pytest.raises(CalibrationError, match="does not fit"):
        build_cohort(full, synthetic_frame(5).iloc[0:0], "y")


def test_too_few_events_per_item_is_a_loud_warning(full) -> None:
    cohort = build_cohort(full, synthetic_frame(60), "y")
    assert any("fewer than 10" in w for w in cohort.warnings)


def test_read_table_refuses_duplicate_columns_and_empty_files(tmp_path: Path) -> None:
    duplicated = tmp_path / "dup.csv"
    duplicated.write_text("a,b,a\n1,2,3\n", "utf-8")
    with pytest.raises(CalibrationError, match="duplicate"):
        read_table(duplicated)
    same = tmp_path / "same.csv"
    same.write_text("a,b,a\n1,2,1\n4,5,4\n", "utf-8")
    frame = read_table(same)
    assert list(frame.columns) == ["a", "b"]
    assert "identical values" in frame.attrs["warnings"][0]
    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    with pytest.raises(CalibrationError, match="empty"):
        read_table(empty)
    with pytest.raises(CalibrationError, match="no such file"):
        read_table(tmp_path / "absent.csv")


def test_read_table_reads_csv_and_parquet_alike(tmp_path: Path) -> None:
    frame = synthetic_frame(30)
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    a, b = read_table(tmp_path / "t.csv"), read_table(tmp_path / "t.parquet")
    assert list(a.columns) == list(b.columns)
    assert len(a.attrs["sha256"]) == 64
    pd.testing.assert_frame_equal(a.astype(str), b.astype(str), check_dtype=False)


@pytest.mark.parametrize(("name", "content", "text"), [
    ("binary.csv", b"a,b\n\xff\xfe,1\n", "not UTF-8"),
    ("broken.parquet", b"not parquet at all", "not a readable Parquet table"),
    ("ragged.csv", b'a,b\n"1,2\n', "not a readable CSV table"),
])
def test_unreadable_tables_are_clear_errors(tmp_path: Path, name: str, content: bytes, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CalibrationError) as caught:
        read_table(path)
    assert text in str(caught.value)
    assert caught.value.issues[0].file == str(path)


def test_read_table_reads_only_the_columns_asked_for_as_categoricals(tmp_path) -> None:
    from riskmanual.calibration import read_table

    frame = synthetic_frame(50)
    frame["unused"] = "x" * 100
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    read = read_table(path, columns={"y", "violence", "sex"})
    assert sorted(read.columns) == ["sex", "violence", "y"]
    assert all(str(read[c].dtype) == "category" for c in read.columns)
    assert "unused" in read.attrs["all_columns"]
    assert read["violence"].astype(str).tolist() == frame["violence"].tolist()
