"""riskmanual subject / consent / audit from the command line, in Swedish and English."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual.cli import cli

from .identities import synthetic

TODAY = dt.date.today()
MINOR = synthetic(TODAY.replace(year=TODAY.year - 16) - dt.timedelta(days=40))
ADULT = synthetic(TODAY.replace(year=TODAY.year - 20), 431, twelve=False)


@pytest.fixture
def run(tmp_path: Path):
    env = {"RISKMANUAL_DB": str(tmp_path / "cases.sqlite"), "RISKMANUAL_KEY_FILE": str(tmp_path / "pseudonym.key"),
           "RISKMANUAL_LANG": None}
    runner = CliRunner()

    def invoke(*args: str, lang: str | None = None):
        result = runner.invoke(cli, [*args, *(["--lang", lang] if lang else [])], env=env)
        for number in (MINOR, ADULT):  # no spelling of the number is ever printed
            digits = number.replace("-", "")
            assert digits[-10:] not in (result.output or "").replace("-", ""), result.output
        assert "Traceback" not in (result.output or "")
        return result

    invoke.db = tmp_path / "cases.sqlite"  # type: ignore[attr-defined]
    return invoke


def pseudonym_of(output: str) -> str:
    found = re.search(r"p-[0-9a-f]{32}", output)
    assert found, output
    return found.group(0)


def test_one_case_in_swedish(run) -> None:
    added = run("subject", "add", MINOR, "--guardians", "1", "--assessor", "Anna Handläggare")
    assert added.exit_code == 0 and "16 år, 1 vårdnadshavare registrerade" in added.stdout
    alias = pseudonym_of(added.stdout)
    for signatory in ("young_person", "guardian_1"):
        given = run("consent", "record", MINOR, "--signatory", signatory, "--agencies", "police,school")
        assert given.exit_code == 0, given.output
    assert "+ polisen: informationsutbyte tillåtet" in given.stdout
    withdrawn = run("consent", "withdraw", alias, "--signatory", "guardian_1", "--agencies", "school")
    assert "- skolan: informationsutbyte inte tillåtet (återkallat av vårdnadshavare 1)" in withdrawn.stdout
    shown = run("consent", "show", alias)
    assert shown.exit_code == 0 and "återkallat: vårdnadshavare 1 – skolan" in shown.stdout
    english = run("consent", "show", alias, lang="en")
    assert "- school: may not share (withdrawn by guardian 1)" in english.stdout
    verified = run("audit", "verify")
    assert verified.exit_code == 0 and "loggen är hel: 6 poster" in verified.stdout
    erased = run("subject", "erase", alias, "--reason", "Begäran om radering", "--yes")
    assert erased.exit_code == 0 and "raderad (3 samtyckeshändelser, 0 bedömningar, 0 beslut)" in erased.stdout
    assert run("consent", "show", alias).exit_code == 1


def test_bad_input_is_an_error_with_its_exit_status(run) -> None:
    minor = run("subject", "add", MINOR)
    assert minor.exit_code == 1 and "--guardians 1 eller 2" in minor.stderr
    wrong = run("subject", "add", MINOR[:-1] + str((int(MINOR[-1]) + 1) % 10), "--guardians", "1")
    assert wrong.exit_code == 1 and "kontrollsiffran" in wrong.stderr
    assert run("subject", "add", ADULT).exit_code == 0
    usage = run("consent", "record", ADULT, "--signatory", "guardian_3", "--agencies", "police")
    assert usage.exit_code == 2 and "Fel: Ogiltigt värde för '--signatory'" in usage.stderr
    date = run("consent", "record", ADULT, "--signatory", "young_person", "--agencies", "police", "--date", "1/12")
    assert date.exit_code == 2 and "inget datum skrivet ÅÅÅÅ-MM-DD" in date.stderr
    agency = run("consent", "record", ADULT, "--signatory", "guardian_1", "--agencies", "pressen,police")
    assert agency.exit_code == 1
    assert "det finns ingen vårdnadshavare 1" in agency.stderr and "okänd aktör pressen" in agency.stderr
    assert run("subject", "erase", ADULT, "--reason", "x").exit_code == 1  # no --yes and no terminal
    unknown = run("consent", "show", "p-" + "0" * 32)
    assert unknown.exit_code == 1 and "ingen person p-000" in unknown.stderr


def test_a_broken_audit_log_fails_verification(run) -> None:
    run("subject", "add", ADULT)
    run("consent", "record", ADULT, "--signatory", "young_person", "--agencies", "police")
    with sqlite3.connect(run.db) as connection:
        connection.execute("UPDATE audit_log SET action = 'consent.withdraw' WHERE seq = 2")
    broken = run("audit", "verify", lang="en")
    assert broken.exit_code == 1 and "entry 2 does not match the chain" in broken.stderr


def test_a_damaged_store_is_an_error_not_a_traceback(run) -> None:
    run.db.write_bytes(b"garbage" * 1000)
    result = run("subject", "add", ADULT)
    assert result.exit_code == 1 and "skadat eller ingen databas" in result.stderr


def test_assess_decide_history_in_swedish(run, tmp_path: Path) -> None:
    from .conftest import ROOT

    number = synthetic(dt.date(2009, 6, 14), 982)
    example = ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json"
    assert run("subject", "add", number, "--guardians", "1").exit_code == 0
    assessed = run("assess", "sig-assessment", "--subject", number, "--answers", str(example))
    assert assessed.exit_code == 0, assessed.output
    assert "nivå: Hög." in assessed.stdout and "Sparad som bedömning 1 för p-" in assessed.stdout
    refused = run("decide", number, "--selected", "yes", "--reason", "Hög nivå", "--agencies", "social_services")
    assert refused.exit_code == 1 and "inget samtycke från vårdnadshavare 1" in refused.stderr
    for signatory in ("young_person", "guardian_1"):
        run("consent", "record", number, "--signatory", signatory, "--agencies", "social_services",
            "--date", "2026-11-30")
    decided = run("decide", number, "--selected", "yes", "--reason", "Hög nivå", "--agencies", "social_services")
    assert decided.exit_code == 0 and "är utvald för SIG" in decided.stdout
    second = tmp_path / "second.json"
    data = json.loads(example.read_text("utf-8"))
    data["assessment_date"] = "2026-12-01"
    data["answers"]["criminal_peers"] = "moderate"
    second.write_text(json.dumps(data), "utf-8")
    assert run("assess", "sig-assessment", "--subject", number, "--answers", str(second)).exit_code == 0
    shown = run("history", number)
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[1].startswith("2026-12-01  #2  sig-assessment@2.0.0: 23,08 – Hög")
    assert "Bättre: Kamrater som begår brott −1" in shown.stdout
    bad = run("assess", "sig-assessment", "--subject", number, "--answers", str(tmp_path / "missing.json"))
    assert bad.exit_code in (1, 2) and "Traceback" not in bad.output
    assert run("audit", "verify").stdout.startswith("loggen är hel: 7 poster")


def test_follow_up_and_tasks(run) -> None:
    number = synthetic(dt.date(2009, 6, 14), 982)
    run("subject", "add", number, "--guardians", "1")
    run("consent", "record", number, "--signatory", "young_person", "--agencies", "school",
        "--date", TODAY.isoformat(), "--expires", (TODAY + dt.timedelta(days=10)).isoformat())
    due = run("tasks")
    assert due.exit_code == 0 and "samtycket från den unge för skolan upphör" in due.stdout
    assert run("tasks", "--overdue").stdout.strip() == "inget att göra just nu"
    missing = run("follow-up", "record", number, "--kind", "closure")
    assert missing.exit_code == 1 and "ett avslut behöver ett skäl" in missing.stderr
    closed = run("follow-up", "record", number, "--kind", "closure", "--reason", "goals_met", lang="en")
    assert closed.exit_code == 0 and "recorded closed (goals met)" in closed.stdout
    assert run("tasks").stdout.strip() == "inget att göra just nu"


def test_a_withdrawal_shows_on_later_outputs(run) -> None:
    number = synthetic(dt.date(2009, 6, 14), 982)
    run("subject", "add", number, "--guardians", "1")
    run("consent", "record", number, "--signatory", "guardian_1", "--agencies", "police,school", "--date", "2026-11-01")
    run("consent", "withdraw", number, "--signatory", "guardian_1", "--agencies", "police", "--date", "2026-11-20")
    shown = run("history", number)
    assert "Obs: vårdnadshavare 1 har återkallat samtycket för polisen; ingen information får lämnas dit." in shown.stdout


def test_the_number_can_come_from_standard_input_and_stay_out_of_the_command_line(tmp_path: Path) -> None:
    env = {"RISKMANUAL_DB": str(tmp_path / "c.sqlite"), "RISKMANUAL_KEY_FILE": str(tmp_path / "k"),
           "RISKMANUAL_LANG": None}
    result = CliRunner().invoke(cli, ["subject", "add", "--guardians", "1"], input=MINOR + "\n", env=env)
    assert result.exit_code == 0 and "1 vårdnadshavare registrerade" in result.stdout
    assert MINOR.replace("-", "")[-10:] not in result.output.replace("-", "")
    again = CliRunner().invoke(cli, ["subject", "add", "-", "--guardians", "1"], input=MINOR + "\n", env=env)
    assert again.exit_code == 1 and "redan registrerad" in again.stderr
