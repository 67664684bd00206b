"""The export: one row per assessment of the young people whose consent covers reporting, the
outcome windows, CSV cells a spreadsheet cannot run, never an overwritten file, and a table
that ``riskmanual calibrate`` reads."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from riskmanual import load_instrument
from riskmanual.case.assessments import decide, save_assessment
from riskmanual.case.demo_data import fill_store
from riskmanual.case.export import FIXED_COLUMNS, Column, Export, Table, _outcomes, suppressed
from riskmanual.case.export_files import neutralise, render_files, write_export
from riskmanual.case.followup import record_follow_up
from riskmanual.case.models import AuditEntry
from riskmanual.case.plan import commit_plan, draft_plan, set_state
from riskmanual.case.store import Store, open_store
from riskmanual.case.subjects import add_subject, record_consent
from riskmanual.errors import ConsentError, RiskmanualError, StoreError

from ..identities import synthetic

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 3)
CONTRACT = ["pseudonym", "assessment_id", "instrument", "instrument_version", "instrument_sha256", "assessment_date",
            "age", "status", "total", "band", "final_band", "target_group", "probability", "selected", "selected_on",
            "plan_committed_on", "commitments", "commitments_done", "commitments_not_done", "new_offence_12m",
            "new_offence_24m", "school_or_work_12m", "closed", "closure_reason", "days_to_first_new_offence"]


def _example() -> dict:
    return json.loads((ROOT / "instruments/sig-assessment/example-answers-2.0.0.json").read_text("utf-8"))


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("cohort")
    store = open_store(str(folder / "cases.sqlite"), key_path=folder / "pseudonym.key", actor="test-analyst")
    fill_store(store, young_people=80, seed=5, today=TODAY)
    yield store
    store.close()


# --- one case through the real API --------------------------------------------------------


def test_one_case_is_joined_as_the_contract_says(store: Store, tmp_path: Path) -> None:
    birth = dt.date(2009, 6, 14)
    alias = add_subject(store, synthetic(birth, 982), guardians=1, today=TODAY).pseudonym
    other = add_subject(store, synthetic(dt.date(2007, 2, 2), 311), guardians=0, today=TODAY).pseudonym
    for signatory in ("young_person", "guardian_1"):
        record_consent(store, alias, kind="record", signatory=signatory,
                       agencies=["social_services", "leisure_services", "child_psychiatry", "reporting"],
                       date=dt.date(2024, 11, 1), today=TODAY)
    record_consent(store, other, kind="record", signatory="young_person", agencies=["social_services"],
                   date=dt.date(2024, 11, 1), today=TODAY)
    instrument = load_instrument("sig-assessment@2.0.0")
    document = {**_example(), "assessment_date": "2024-11-05"}
    document.pop("birth_date")
    first, result = save_assessment(store, alias, instrument, document, today=TODAY)
    save_assessment(store, other, instrument, dict(document), today=TODAY)
    decide(store, alias, selected=True, reason="Vill delta, hen har ett mål", agencies=["social_services"],
           on=dt.date(2024, 11, 12), assessment=first)
    plan = draft_plan(store, first, on=dt.date(2024, 11, 14), today=TODAY)
    ids = [c.id for c in plan.commitments]
    set_state(store, ids[0], "withdrawn", on=dt.date(2024, 11, 15), reason="behövs inte nu", today=TODAY)
    commit_plan(store, plan.id, on=dt.date(2024, 11, 20), today=TODAY)
    set_state(store, ids[1], "started", on=dt.date(2024, 12, 1), today=TODAY)
    set_state(store, ids[1], "done", on=dt.date(2025, 3, 1), today=TODAY)
    set_state(store, ids[2], "not_done", on=dt.date(2025, 1, 10), reason="kom inte", today=TODAY)
    record_follow_up(store, alias, kind="new_offence", date=dt.date(2026, 1, 20), today=TODAY)  # 14.5 months
    record_follow_up(store, alias, kind="school_or_work_started", date=dt.date(2025, 8, 18), today=TODAY)
    record_follow_up(store, alias, kind="closure", date=dt.date(2026, 6, 1), reason="goals_met", today=TODAY)
    later, _ = save_assessment(store, alias, instrument, {**document, "assessment_date": "2026-03-01"}, today=TODAY)

    tmp_path = tmp_path / "out"  # the store's own files are in tmp_path
    tmp_path.mkdir()
    written = write_export(store, tmp_path / "cases.csv", fmt="csv", today=TODAY)
    assert written.subjects == 1 and written.left_out == "<5" and written.assessments == 2
    rows = _read(tmp_path / "cases.csv")
    header = list(rows[0])
    assert header[:len(FIXED_COLUMNS) - 6] == list(FIXED_COLUMNS[:-6])
    assert all(name in header for name in CONTRACT)
    base, again = rows
    assert base["pseudonym"] == alias and base["assessment_id"] == str(first)
    assert (base["assessment_date"], base["age"], base["status"], base["total"]) == \
        ("2024-11-05", "15", "complete", f"{result.total:g}")
    assert (base["band"], base["final_band"], base["target_group"], base["probability"]) == \
        (result.band.id, result.final_band.id, "true", "")
    assert (base["selected"], base["selected_on"], base["plan_committed_on"]) == ("true", "2024-11-12", "2024-11-20")
    assert (base["commitments"], base["commitments_done"], base["commitments_not_done"],
            base["commitments_withdrawn"]) == (str(len(ids)), "1", "1", "1")
    assert (base["new_offence_12m"], base["new_offence_24m"], base["school_or_work_12m"]) == ("0", "1", "1")
    assert (base["closed"], base["closure_reason"], base["days_to_first_new_offence"]) == ("1", "goals_met", "441")
    assert (base["police_reports_12m"], base["weapons"], base["mental_health"]) == ("4", "yes", "unknown")
    assert "age" not in [c for c in header if c.startswith("item.")] and "own_view" in header
    assert base["domain.criminal_history"] != "" and base["assessment_number"] == "1"
    # the reassessment: no decision or plan of its own; 12 months not passed and nothing yet -> empty
    assert again["assessment_id"] == str(later) and again["assessment_number"] == "2"
    assert (again["selected"], again["plan_committed_on"], again["commitments"]) == ("", "", "")
    assert (again["new_offence_12m"], again["new_offence_24m"], again["closed"]) == ("", "", "1")
    commitments = _read(tmp_path / "cases.commitments.csv")
    assert [c["state"] for c in commitments][:3] == ["withdrawn", "done", "not_done"]
    assert commitments[1]["done_on"] == "2025-03-01" and commitments[1]["started_on"] == "2024-12-01"
    assert commitments[0]["reason_given"] == "true" and "reason" not in commitments[0]
    decisions = _read(tmp_path / "cases.decisions.csv")
    assert decisions == [{"pseudonym": alias, "decision_id": decisions[0]["decision_id"],
                          "assessment_id": str(first), "selected": "true", "decided_on": "2024-11-12",
                          "agencies": "social_services"}]
    everything = "".join(p.read_text("utf-8") for p in tmp_path.iterdir())
    for free_text in ("Vill delta, hen har ett mål", "behövs inte nu", "kom inte", "Syntetiskt exempel", other):
        assert free_text not in everything
    with store.transaction() as session:
        entry = session.execute(sa.select(AuditEntry).where(AuditEntry.action == "export.write")).scalar_one()
    assert entry.records["subjects"] == 1 and entry.records["pseudonyms"] == [alias]
    assert entry.records["rows"]["cases.csv"] == 2 and len(entry.records["files"]) == 4


# --- the outcome windows ------------------------------------------------------------------


def _event(kind: str, day: dt.date, reason: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(kind=kind, date=day, reason=reason)


@pytest.mark.parametrize("events, today, expected", [
    ([], dt.date(2027, 1, 2), {"new_offence_12m": 0, "new_offence_24m": 0, "days_to_first_new_offence": None}),
    ([], dt.date(2026, 1, 1), {"new_offence_12m": None, "new_offence_24m": None}),  # the window ends that day
    ([], dt.date(2026, 1, 2), {"new_offence_12m": 0, "new_offence_24m": None}),
    ([_event("new_offence", dt.date(2025, 1, 1))], dt.date(2027, 6, 1), {"new_offence_12m": 0}),  # same day: before
    ([_event("new_offence", dt.date(2026, 1, 1))], dt.date(2026, 3, 1),
     {"new_offence_12m": 1, "new_offence_24m": 1, "days_to_first_new_offence": 365}),
    ([_event("new_offence", dt.date(2026, 1, 2))], dt.date(2026, 3, 1),
     {"new_offence_12m": 0, "new_offence_24m": 1, "days_to_first_new_offence": 366}),
    ([_event("school_or_work_started", dt.date(2025, 2, 1))], dt.date(2025, 3, 1), {"school_or_work_12m": 1}),
    ([_event("closure", dt.date(2024, 12, 1), "moved")], dt.date(2026, 3, 1), {"closed": 0, "closure_reason": None}),
    ([_event("closure", dt.date(2025, 5, 1), "moved")], dt.date(2026, 3, 1), {"closed": 1, "closure_reason": "moved"}),
])
def test_outcome_windows(events: list, today: dt.date, expected: dict) -> None:
    found = _outcomes(dt.date(2025, 1, 1), events, today)
    assert {k: found[k] for k in expected} == expected


def test_small_counts_are_suppressed() -> None:
    assert [suppressed(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]


# --- CSV cells ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+46", "'+46"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("moderate", "moderate"), (" =x", " =x"),
    (-3, -3), (-2.5, "-2.5"), (4.0, 4), (True, "true"), (False, "false"), (None, ""),
    (dt.date(2025, 1, 2), "2025-01-02"),
])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(value: object, cell: object) -> None:
    assert neutralise(value) == cell


def test_hostile_text_in_a_table_is_written_harmless(tmp_path: Path) -> None:
    table = Table("cases", [Column("pseudonym", "string", "", ""), Column("total", "number", "", ""),
                            Column("note", "string", "", "")],
                  [{"pseudonym": "=cmd|' /C calc'!A0", "total": -4.0, "note": "a,\"b\"\nc"}], instrument="x")
    export = Export(TODAY, None, None, [table], Table("commitments", []), Table("decisions", []), ["p"], 0)
    files = render_files(export, tmp_path / "out.csv", "csv")
    text = files[tmp_path / "out.csv"].decode("utf-8")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-4", "a,\"b\"\nc"]


# --- the cohort: files, formats, refusals -------------------------------------------------


def test_the_cohort_export_has_one_file_per_instrument_and_a_dictionary(cohort: Store, tmp_path: Path) -> None:
    written = write_export(cohort, tmp_path / "cases.csv", today=TODAY)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["cases.commitments.csv", "cases.decisions.csv", "cases.dictionary.json",
                     "cases.sig-assessment.csv", "cases.sig-screening.csv"]
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in tmp_path.iterdir())
    dictionary = json.loads((tmp_path / "cases.dictionary.json").read_text("utf-8"))
    assert dictionary["export_date"] == "2026-12-03" and dictionary["engine_version"]
    assert dictionary["subjects"] == written.subjects and dictionary["subjects_left_out_without_reporting_consent"] \
        == written.left_out
    assert isinstance(written.left_out, int) and written.left_out >= 5 or written.left_out == "<5"
    for entry in dictionary["files"]:
        rows = _read(tmp_path / entry["file"])
        assert len(rows) == entry["rows"] == written.files[entry["file"]]
        assert [c["name"] for c in entry["columns"]] == list(rows[0])
        for column in entry["columns"]:
            assert column["type"] in ("string", "integer", "number", "boolean", "date")
            assert column["description"]["sv"] and column["description"]["en"]
    assert set(dictionary["rules"]) >= {"windows", "items", "files", "csv", "privacy"}
    assessment = _read(tmp_path / "cases.sig-assessment.csv")
    assert {r["new_offence_12m"] for r in assessment} == {"0", "1", ""}
    assert {r["new_offence_24m"] for r in assessment} == {"1", ""}  # no 24-month window has ended yet
    assert {"not_applicable", "unknown"} <= {r["parental_supervision"] for r in assessment} | \
        {v for r in assessment for v in r.values()}
    assert not any("Syntetiskt" in p.read_text("utf-8") for p in tmp_path.iterdir())


def test_one_instrument_is_written_to_out_itself_and_since_limits(cohort: Store, tmp_path: Path) -> None:
    written = write_export(cohort, tmp_path / "baseline.csv", instrument="sig-assessment", since=dt.date(2025, 6, 1),
                           today=TODAY)
    rows = _read(tmp_path / "baseline.csv")
    assert rows and all(r["assessment_date"] >= "2025-06-01" and r["instrument"] == "sig-assessment" for r in rows)
    assert written.files["baseline.csv"] == len(rows)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.commitments.csv", "baseline.csv",
                                                         "baseline.decisions.csv", "baseline.dictionary.json"]


def test_parquet_columns_are_typed(cohort: Store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    write_export(cohort, tmp_path / "cases.parquet", fmt="parquet", instrument="sig-assessment", today=TODAY)
    table = pq.read_table(tmp_path / "cases.parquet")
    types = {f.name: str(f.type) for f in table.schema}
    assert (types["assessment_date"], types["age"], types["total"], types["selected"], types["weapons"],
            types["new_offence_12m"], types["domain.family"]) == \
        ("date32[day]", "int64", "double", "bool", "string", "int64", "double")
    frame = table.to_pandas()
    assert frame["new_offence_12m"].isna().any() and set(frame["new_offence_12m"].dropna()) == {0, 1}
    assert (tmp_path / "cases.commitments.parquet").exists() and (tmp_path / "cases.dictionary.json").exists()


def test_calibrate_reads_the_export(cohort: Store, tmp_path: Path) -> None:
    from riskmanual.calibration import CalibrationSettings, calibrate

    for fmt in ("csv", "parquet"):
        out = tmp_path / f"cases-{fmt}.{fmt}"
        write_export(cohort, out, fmt=fmt, instrument="sig-assessment", today=TODAY)
        settings = CalibrationSettings(
            instrument="sig-assessment@2.0.0", data=str(out), outcome="new_offence_12m", method="recalibrate",
            folds=2, values={"parental_supervision": {"not_applicable": "missing"}},
            where=[{"column": "new_offence_12m", "op": "in", "value": [0, 1]},
                   {"column": "status", "op": "=", "value": "complete"}])
        run = calibrate(settings)
        rows = [r for r in _read(out)] if fmt == "csv" else None
        if rows is not None:
            kept = [r for r in rows if r["new_offence_12m"] in ("0", "1") and r["status"] == "complete"]
            assert run.cohort.n == len(kept) and run.cohort.events == sum(r["new_offence_12m"] == "1" for r in kept)
        assert 0.5 < run.metrics["cv"]["auc"] <= 1.0


def test_nothing_is_written_when_a_file_exists(cohort: Store, tmp_path: Path) -> None:
    (tmp_path / "cases.decisions.csv").write_text("mine\n")
    with pytest.raises(RiskmanualError) as raised:
        write_export(cohort, tmp_path / "cases.csv", instrument="sig-assessment", today=TODAY)
    assert [i.file for i in raised.value.issues] == [str(tmp_path / "cases.decisions.csv")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.decisions.csv"]
    assert (tmp_path / "cases.decisions.csv").read_text() == "mine\n"


def test_a_symbolic_link_at_a_target_is_refused(cohort: Store, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    os.symlink(victim, tmp_path / "cases.csv")
    os.symlink(tmp_path / "nowhere", tmp_path / "cases.dictionary.json")  # dangling
    with pytest.raises(RiskmanualError) as raised:
        write_export(cohort, tmp_path / "cases.csv", instrument="sig-assessment", today=TODAY)
    assert len(raised.value.issues) == 2 and "symbolic link" in str(raised.value.issues[0].message)
    assert victim.read_text() == "keep\n" and not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv", "cases.dictionary.json", "victim.txt"]


def test_a_race_on_a_name_removes_what_was_written(cohort: Store, tmp_path: Path, monkeypatch) -> None:
    real = os.link

    def link(source, target, **kwargs):
        if str(target).endswith("decisions.csv"):
            Path(target).write_text("someone else\n")
        return real(source, target, **kwargs)

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(RiskmanualError):
        write_export(cohort, tmp_path / "cases.csv", instrument="sig-assessment", today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.decisions.csv"]
    with cohort.transaction() as session:
        audited = session.execute(sa.select(AuditEntry).where(AuditEntry.action == "export.write")).scalars().all()
    assert all(str(tmp_path) not in json.dumps(e.records) for e in audited)


def test_no_consented_subject_is_a_clear_error_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    alias = add_subject(store, synthetic(dt.date(2006, 5, 5), 120), guardians=0, today=TODAY).pseudonym
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["social_services", "reporting"],
                   date=dt.date(2025, 1, 1), today=TODAY)
    record_consent(store, alias, kind="withdraw", signatory="young_person", agencies=["reporting"],
                   date=dt.date(2025, 6, 1), today=TODAY)
    with pytest.raises(ConsentError) as raised:
        write_export(store, tmp_path / "cases.csv", today=TODAY)
    text = "\n".join(str(i.message) for i in raised.value.issues)
    assert "no subject's consent covers reporting" in text and "--agencies reporting" in text
    assert list(tmp_path.iterdir()) == []
    # consent given but nothing assessed in the period: also nothing written
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["reporting"],
                   date=dt.date(2025, 7, 1), today=TODAY)
    with pytest.raises(StoreError, match="no assessment to export"):
        write_export(store, tmp_path / "cases.csv", since=dt.date(2026, 1, 1), today=TODAY)
    assert list(tmp_path.iterdir()) == []


def test_consent_is_judged_on_the_export_date(cohort: Store, tmp_path: Path) -> None:
    early = write_export(cohort, tmp_path / "a.csv", instrument="sig-assessment", today=dt.date(2025, 3, 1))
    late = write_export(cohort, tmp_path / "b.csv", instrument="sig-assessment", today=TODAY)
    assert early.subjects < late.subjects
    assert all(r["assessment_date"] <= "2026-12-03" for r in _read(tmp_path / "b.csv"))
