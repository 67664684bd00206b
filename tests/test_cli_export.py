"""riskmanual demo-data and riskmanual export from the command line, in Swedish and English."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual.cli import cli


@pytest.fixture
def run(tmp_path: Path):
    env = {"RISKMANUAL_DB": str(tmp_path / "cases.sqlite"), "RISKMANUAL_KEY_FILE": str(tmp_path / "pseudonym.key"),
           "RISKMANUAL_LANG": None}
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(cli, list(args), env=env)
        assert "Traceback" not in (result.output or ""), result.output
        return result

    return invoke


def test_demo_data_then_export_csv_and_parquet(run, tmp_path: Path) -> None:
    filled = run("demo-data", "--young-people", "40", "--seed", "2")
    assert filled.exit_code == 0, filled.output
    assert "Syntetisk kohort (slumpfrö 2, från 2024-12-01): 40 unga" in filled.stdout
    assert "Alla är påhittade; inget personnummer sparas." in filled.stdout
    again = run("demo-data", "--young-people", "5")
    assert again.exit_code == 1 and "ärenderegistret har redan 40 unga" in again.output

    out = tmp_path / "out"
    out.mkdir()
    exported = run("export", "--out", str(out / "cases.csv"), "--instrument", "sig-assessment")
    assert exported.exit_code == 0, exported.output
    assert "unga exporterade; utelämnade (inget samtycke till rapportering)" in exported.stdout
    assert f"skrev {out / 'cases.csv'} (" in exported.stdout and "(variabelförteckning)" in exported.stdout
    with open(out / "cases.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {r["instrument"] for r in rows} == {"sig-assessment"}
    assert f"({len(rows)} rader)" in exported.stdout

    english = run("export", "--out", str(out / "all.parquet"), "--lang", "en")
    assert english.exit_code == 0, english.output
    assert "young people exported; left out (no consent to reporting)" in english.stdout
    names = sorted(p.name for p in out.iterdir())
    assert "all.sig-assessment.parquet" in names and "all.sig-screening.parquet" in names
    assert "all.parquet" not in names  # two instruments: one main table each

    refused = run("export", "--out", str(out / "cases.csv"), "--instrument", "sig-assessment")
    assert refused.exit_code == 1 and "finns redan: välj ett nytt --out" in refused.output
    mismatch = run("export", "--out", str(out / "x.csv"), "--format", "parquet")
    assert mismatch.exit_code == 2 and "slutar på .csv men formatet är parquet" in mismatch.output
    bad_date = run("export", "--out", str(out / "y.csv"), "--since", "2025-13-01")
    assert bad_date.exit_code == 2
    assert not (out / "x.csv").exists() and not (out / "y.csv").exists()

    spec = out / "spec.yaml"
    spec.write_text(json.dumps({
        "instrument": "sig-assessment@2.0.0", "data": "cases.csv", "outcome": "new_offence_12m", "folds": 2,
        "values": {"parental_supervision": {"not_applicable": "missing"}},
        "where": [{"column": "new_offence_12m", "op": "in", "value": [0, 1]},
                  {"column": "status", "op": "=", "value": "complete"}]}), "utf-8")
    calibrated = run("calibrate", "--spec", str(spec))
    assert calibrated.exit_code == 0, calibrated.output
    assert "sig-assessment 2.0.0 → " in calibrated.output and "korsvaliderat" in calibrated.output  # Swedish by default


def test_export_of_a_store_without_consent_to_reporting(run, tmp_path: Path) -> None:
    from tests.identities import synthetic
    import datetime as dt

    added = run("subject", "add", synthetic(dt.date(2004, 4, 4), 555))
    assert added.exit_code == 0, added.output
    exported = run("export", "--out", str(tmp_path / "cases.csv"))
    assert exported.exit_code == 1
    assert "ingen ung har ett samtycke som täcker rapportering: inget exporteras" in exported.output
    assert "riskmanual consent record SUBJECT --signatory young_person --agencies reporting" in exported.output
    assert not (tmp_path / "cases.csv").exists()


@pytest.mark.parametrize("args", [("--young-people", "0"), ("--months", "0"), ("--start", "2024-02-30"),
                                  ("--seed", "-1")])
def test_demo_data_bad_options(run, args: tuple[str, ...]) -> None:
    result = run("demo-data", *args)
    assert result.exit_code == 2


def test_demo_data_start_in_the_future(run) -> None:
    result = run("demo-data", "--start", "2999-01-01", "--lang", "en")
    assert result.exit_code == 1 and "the start 2999-01-01 is in the future" in result.output
