"""riskmanual evaluate from the command line: the bad input, and a synthetic cohort end to end."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual.case.demo_data import fill_store
from riskmanual.case.export_files import write_export
from riskmanual.case.store import open_store
from riskmanual.cli import cli

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A store of 200 synthetic young people, and another unit's export to compare with."""
    folder = tmp_path_factory.mktemp("evaluate")
    store = open_store(str(folder / "cases.sqlite"), key_path=folder / "pseudonym.key", actor="test")
    fill_store(store, young_people=200, seed=3, today=TODAY)
    store.close()
    other = open_store(str(folder / "other.sqlite"), key_path=folder / "other.key", actor="test")
    fill_store(other, young_people=300, seed=11, today=TODAY)
    write_export(other, folder / "other.csv", today=TODAY)
    other.close()
    return {"RISKMANUAL_DB": str(folder / "cases.sqlite"), "RISKMANUAL_KEY_FILE": str(folder / "pseudonym.key"),
            "RISKMANUAL_LANG": None, "folder": str(folder), "compare": str(folder / "other.sig-assessment.csv")}


def run(env: dict[str, str], *args: str):
    result = CliRunner().invoke(cli, list(args), env={k: v for k, v in env.items() if k.startswith("RISKMANUAL")})
    assert "Traceback" not in (result.output or ""), result.output
    return result


def test_an_empty_store_is_exit_1_with_a_clear_message(tmp_path: Path) -> None:
    env = {"RISKMANUAL_DB": str(tmp_path / "cases.sqlite"), "RISKMANUAL_KEY_FILE": str(tmp_path / "key"),
           "RISKMANUAL_LANG": None}
    empty = run(env, "evaluate")
    assert empty.exit_code == 1 and "inget att utvärdera: ärenderegistret har inga bedömningar" in empty.stderr
    english = run(env, "evaluate", "--lang", "en")
    assert "nothing to evaluate: the case store has no assessments" in english.stderr


def test_an_empty_period_is_exit_1(filled: dict[str, str]) -> None:
    result = run(filled, "evaluate", "--from", "2020-01-01", "--to", "2020-12-31")
    assert result.exit_code == 1
    assert "inget att utvärdera: inga bedömningar från 2020-01-01 till och med 2020-12-31" in result.stderr


@pytest.mark.parametrize("args, words", [
    (("--from", "2026-01-01", "--to", "2025-01-01"), "--from 2026-01-01 ligger efter --to 2025-01-01"),
    (("--from", "1 januari",), "är inget datum skrivet ÅÅÅÅ-MM-DD"),
    (("--min-cell", "0"), "--min-cell"),
    (("--format", "pdf"), "--format"),
])
def test_usage_errors_are_exit_2(filled: dict[str, str], args: tuple[str, ...], words: str) -> None:
    result = run(filled, "evaluate", *args)
    assert result.exit_code == 2 and words in result.stderr, result.stderr


def test_a_bad_compare_file_names_every_missing_column(filled: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("pseudonym,total\np-1,3\n", encoding="utf-8")
    result = run(filled, "evaluate", "--compare", str(bad))
    assert result.exit_code == 1
    for column in ("instrument", "assessment_date", "band", "final_band", "selected", "new_offence_12m"):
        assert f"kolumnen '{column}' saknas" in result.stderr
    control = tmp_path / "control.csv"
    control.write_bytes(b"\x00\x01\x02")
    assert run(filled, "evaluate", "--compare", str(control)).exit_code == 1


def test_json_end_to_end_sections_present_and_consistent(filled: dict[str, str]) -> None:
    result = run(filled, "evaluate", "--format", "json", "--compare", filled["compare"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"target_group", "outcomes", "collaboration", "comparison", "suppressed"} <= set(data)
    table = data["target_group"]["table"]
    cells, totals = table["cells"], table["column_totals"]
    if None not in (cells["met"]["selected"], cells["not_met"]["selected"], totals["selected"]):
        assert totals["selected"] == cells["met"]["selected"] + cells["not_met"]["selected"] + \
            cells.get("undecided", {}).get("selected", 0)
    assert data["evaluated"] == table["total"]
    for row in table["rows"]:  # every shown count is 0 or at least 5
        for value in [*cells[row].values(), table["row_totals"][row]]:
            assert value is None or value == 0 or value >= 5
    assert data["suppressed"], "a cohort of 200 has some small cells"
    rates = [b["new_offence"] for b in data["outcomes"]["by_band"]]
    for rate in rates:
        if rate["value"] is not None:
            assert rate["low"] <= rate["value"] <= rate["high"] and rate["events"] >= 5
    assert data["comparison"]["caveats"] and data["comparison"]["matched"] is not None
    assert "p-" not in result.stdout.replace("sig-", "")  # no pseudonym


def test_html_end_to_end_and_never_over_a_file(filled: dict[str, str]) -> None:
    out = Path(filled["folder"]) / "evaluation.html"
    result = run(filled, "evaluate", "--out", str(out), "--compare", filled["compare"])
    assert result.exit_code == 0, result.stderr
    html = out.read_text("utf-8")
    for heading in ("1. Målgrupp och urval", "2. De utvaldas utveckling och utfall", "3. Samverkan",
                    "4. Jämförelse med unga som inte deltagit", "Att tänka på", "Små tal visas inte"):
        assert heading in html
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    again = run(filled, "evaluate", "--out", str(out))
    assert again.exit_code == 1 and "finns redan" in again.stderr and out.read_text("utf-8") == html
    link = Path(filled["folder"]) / "link.html"
    link.symlink_to(Path(filled["folder"]) / "nowhere.html")
    assert run(filled, "evaluate", "--out", str(link)).exit_code == 1
    assert not (Path(filled["folder"]) / "nowhere.html").exists()
    english = run(filled, "evaluate", "--lang", "en", "--min-cell", "10")
    assert "Target group and selection" in english.stdout and "Counts from 1 to 9" in english.stdout
