"""The comparison file (the export format) read with every problem located, and the matching
checked by hand against the cohort of tests/evaluation/cohort.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from riskmanual.case.store import Store
from riskmanual.errors import EvaluationError
from riskmanual.evaluation import comparison
from riskmanual.evaluation.comparison import REQUIRED, read_compare
from riskmanual.evaluation.report import evaluate

from .cohort import TODAY, build

HEADER = ["pseudonym", "assessment_id", "instrument", "instrument_version", "assessment_date", "age", "status",
          "total", "band", "final_band", "target_group", "probability", "selected", "selected_on",
          "plan_committed_on", "impulsivity", "weapons", "domain.associates", "new_offence_12m", "new_offence_24m",
          "school_or_work_12m", "closed", "closure_reason", "days_to_first_new_offence"]


def row(pseudonym: str, total: float, band: str, *, selected: str = "false", date: str = "2024-12-01",
        offence: str = "0", offence24: str = "", school: str = "0", instrument: str = "sig-assessment") -> dict:
    return {"pseudonym": pseudonym, "assessment_id": "1", "instrument": instrument, "instrument_version": "2.0.0",
            "assessment_date": date, "age": "21", "status": "complete", "total": str(total), "band": band,
            "final_band": band, "target_group": "true", "probability": "", "selected": selected, "selected_on": "",
            "plan_committed_on": "", "impulsivity": "high" if total > 20 else "low", "weapons": "no",
            "domain.associates": "2", "new_offence_12m": offence, "new_offence_24m": offence24,
            "school_or_work_12m": school, "closed": "0", "closure_reason": "", "days_to_first_new_offence": ""}


def write(path: Path, rows: list[dict], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_missing_columns_are_all_named_at_once(tmp_path: Path) -> None:
    path = write(tmp_path / "other.csv", [row("p-x1", 23, "high")],
                 [h for h in HEADER if h not in ("total", "selected", "new_offence_24m")])
    with pytest.raises(EvaluationError) as caught:
        read_compare(path)
    lines = [issue.render("en") for issue in caught.value.issues]
    assert len(lines) == 3 and all(str(path) in line and ":1:" in line for line in lines)
    assert "'total'" in lines[0] and "'selected'" in lines[1] and "'new_offence_24m'" in lines[2]


def test_values_that_do_not_fit_are_located_by_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "other.csv", [row("p-x1", 23, "high"), {**row("p-x2", 1, "low"), "total": "many",
                                                                    "assessment_date": "1/2/2025"},
                                          {**row("p-x3", 1, "low"), "selected": "maybe", "new_offence_12m": "2"}])
    with pytest.raises(EvaluationError) as caught:
        read_compare(path)
    lines = sorted(issue.render("en") for issue in caught.value.issues)
    assert any(":3:1: assessment_date:" in line for line in lines)
    assert any(":3:1: total:" in line and "'many'" in line for line in lines)
    assert any(":4:1: selected:" in line for line in lines) and any(":4:1: new_offence_12m:" in line for line in lines)


@pytest.mark.parametrize("content, name", [(b"\xff\xfe\x00garbage\x00", "other.csv"), (b"PAR1 not really", "other.parquet"),
                                           (b"a,b\n1,2\n", "other.xlsx")])
def test_an_unreadable_file_is_a_clear_error(tmp_path: Path, content: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EvaluationError) as caught:
        read_compare(path)
    assert str(path) in caught.value.render("en")
    with pytest.raises(EvaluationError):
        read_compare(tmp_path / "missing.csv")


def test_a_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comparison, "MAX_ROWS", 3)
    path = write(tmp_path / "other.csv", [row(f"p-{i}", 1, "low") for i in range(5)])
    with pytest.raises(EvaluationError) as caught:
        read_compare(path)
    assert "more than 3 rows" in caught.value.render("en")


def test_a_parquet_export_reads_like_the_csv(tmp_path: Path) -> None:
    import pandas as pd

    path = write(tmp_path / "other.csv", [row("p-x1", 23, "high"), row("p-x2", -3.5, "low", offence="")])
    pd.read_csv(path, dtype=str, keep_default_na=False).to_parquet(tmp_path / "other.parquet")
    a, b = read_compare(path), read_compare(tmp_path / "other.parquet")
    assert list(a["total"]) == list(b["total"]) == [23.0, -3.5]
    assert list(a["new_offence_12m"]) == [False, None] and set(REQUIRED) <= set(pd.read_parquet(tmp_path / "other.parquet"))


@pytest.fixture
def cohort(store: Store) -> dict[str, str]:
    return build(store)


def controls(tmp_path: Path) -> Path:
    return write(tmp_path / "other.csv", [
        row("p-x1", 23.0, "high", offence="0", offence24="1", school="0"),  # 24 months not over by 2026-01-01
        row("p-x1", 10.0, "moderate", date="2026-01-01", offence="1", school="1"),  # not the baseline
        row("p-x2", 30.0, "high", offence="1", school="1"),  # beyond the caliper
        row("p-x3", 12.0, "moderate", offence="1", school="1"),
        row("p-x4", 22.5, "high", selected="true", offence="1", school="1"),  # a participant there
        row("p-x5", -8.0, "low", instrument="sig-screening", offence="1"),  # another instrument
    ])


def test_matching_on_band_and_nearest_total(store: Store, cohort: dict[str, str], tmp_path: Path) -> None:
    e = evaluate(store, today=TODAY, threshold=1, compare=controls(tmp_path))
    m = e.comparison
    # A1-A6 (high, 23.17) match x1, B1 (moderate, 12.33) matches x3; C1 (low) has no one to match
    assert (m.participants, m.matched, m.unmatched, m.controls_used) == (8, 7, 1, 2)
    assert (m.candidates, m.other_instrument_rows) == (3, 1)
    by = {o.outcome: o for o in m.outcomes}
    offence = by["new_offence_12m"]
    assert (offence.pairs, offence.participants.events, offence.controls.events) == (7, 1, 1)  # A1; x3
    assert offence.difference == 0.0 and offence.low < 0 < offence.high
    school = by["school_or_work_12m"]
    assert (school.participants.events, school.controls.events) == (1, 1)  # A2; x3
    later = by["new_offence_24m"]  # no one's 24 months are over: A1's and A5's offences do not count yet
    assert later.pairs == 0 and later.participants.n == 0 and later.difference is None
    assert m.caveats == ("observational", "confounding", "units", "windows", "replacement")


def test_a_propensity_score_on_the_shared_items(store: Store, cohort: dict[str, str], tmp_path: Path) -> None:
    e = evaluate(store, today=TODAY, threshold=1, compare=controls(tmp_path), match="propensity")
    m = e.comparison
    assert m.method == "propensity" and m.items == 2  # impulsivity and weapons are on both sides
    assert m.matched and m.matched <= 8 and m.controls_used <= 3


def test_a_bad_file_fails_before_the_store_is_read(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "other.csv", [row("p-x1", 23, "high")], HEADER[:3])
    with pytest.raises(EvaluationError) as caught:
        evaluate(store, today=TODAY, compare=path)
    assert len(caught.value.issues) == len(REQUIRED) - 2  # pseudonym and instrument are there
