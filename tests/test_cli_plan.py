"""riskmanual plan draft / show / edit / commit / follow-up, and tasks, from the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual.cli import cli

from .conftest import ROOT
from .identities import synthetic

TODAY = dt.date.today()
BIRTH = TODAY.replace(year=TODAY.year - 16) - dt.timedelta(days=40)
NUMBER = synthetic(BIRTH, 512)


@pytest.fixture
def run(tmp_path: Path):
    env = {"RISKMANUAL_DB": str(tmp_path / "cases.sqlite"), "RISKMANUAL_KEY_FILE": str(tmp_path / "pseudonym.key"),
           "RISKMANUAL_LANG": None}
    runner = CliRunner()

    def invoke(*args: str, lang: str | None = None, input: str | None = None):
        result = runner.invoke(cli, [*args, *(["--lang", lang] if lang else [])], env=env, input=input)
        assert NUMBER.replace("-", "")[-10:] not in (result.output or "").replace("-", "")
        assert "Traceback" not in (result.output or ""), result.output
        return result

    return invoke


@pytest.fixture
def assessed(run) -> tuple[str, int]:
    """A 16-year-old with one guardian; consent to social services, school and reporting; one assessment."""
    alias = re.search(r"p-[0-9a-f]{32}", run("subject", "add", NUMBER, "--guardians", "1").stdout).group(0)
    for signatory in ("young_person", "guardian_1"):
        assert run("consent", "record", alias, "--signatory", signatory, "--agencies",
                   "social_services,school,reporting").exit_code == 0
    document = json.loads((ROOT / "instruments/sig-assessment/example-answers-2.0.0.json").read_text("utf-8"))
    document.pop("birth_date")
    document["assessment_date"] = TODAY.isoformat()
    saved = run("assess", "sig-assessment", "--subject", alias, "--answers", "-", input=json.dumps(document))
    assert saved.exit_code == 0, saved.output
    return alias, int(re.search(r"bedömning (\d+)", saved.stdout).group(1))


def test_a_plan_from_draft_to_follow_up_in_swedish(run, assessed) -> None:
    alias, assessment = assessed
    drafted = run("plan", "draft", f"#{assessment}")
    assert drafted.exit_code == 0, drafted.output
    assert "Åtgärdsplan 1 för " + alias + " (utkast)" in drafted.stdout
    assert "Den unges egna mål: Syntetiskt exempel: vill gå klart gymnasieskolan" in drafted.stdout
    assert "skolan: Närvarofrämjande arbete med elevhälsan" in drafted.stdout and "[föreslagen]" in drafted.stdout
    assert "polisen" not in drafted.stdout  # no consent to share with the police
    ids = [int(n) for n in re.findall(r"^  #(\d+) ", drafted.stdout, re.M)]
    edited = run("plan", "edit", "1", "--commitment", str(ids[0]), "--contact", "Socialsekreterare",
                 "--goal", "Träffa mentorn varannan vecka", "--follow-up", TODAY.isoformat())
    assert edited.exit_code == 0 and "mål: Träffa mentorn varannan vecka" in edited.stdout
    assert run("plan", "edit", "1", "--commitment", str(ids[1]), "--drop").exit_code == 0
    added = run("plan", "edit", "1", "--add", "--agency", "school", "--action", "Läxhjälp två dagar i veckan",
                "--goal", "Godkänt i matematik")
    assert added.exit_code == 0 and "skolan: Läxhjälp två dagar i veckan" in added.stdout
    goals = run("plan", "edit", "1", "--goals", "Gå ut gymnasiet")
    assert "Den unges egna mål: Gå ut gymnasiet" in goals.stdout
    committed = run("plan", "commit", "1")
    assert committed.exit_code == 0 and "(fastställd " in committed.stdout and "[föreslagen]" not in committed.stdout
    due = run("tasks")
    assert f"följ upp åtagande #{ids[0]} (socialtjänsten)" in due.stdout
    assert run("plan", "edit", "1", "--commitment", str(ids[0]), "--state", "started").exit_code == 0
    followed = run("plan", "follow-up", str(ids[0]), "--outcome", "Har träffat mentorn tre gånger")
    assert followed.exit_code == 0, followed.output
    assert f"Åtagande #{ids[0]} (socialtjänsten) följt upp: påbörjad (nästa uppföljning " in followed.stdout
    assert f"#{ids[0]} (socialtjänsten)" not in run("tasks").stdout
    shown = json.loads(run("plan", "show", alias, "--format", "json").stdout)
    assert shown[0]["state"] == "committed" and shown[0]["goals"] == "Gå ut gymnasiet"
    first = next(c for c in shown[0]["commitments"] if c["id"] == ids[0])
    assert [e["state"] for e in first["events"]] == ["proposed", "agreed", "started", "started"]
    assert first["events"][-1]["outcome"] == "Har träffat mentorn tre gånger"
    english = run("plan", "show", "1", lang="en")
    assert "Action plan 1 for " in english.stdout and "[started]" in english.stdout


def test_bad_plan_input_is_a_clear_error(run, assessed) -> None:
    alias, assessment = assessed
    assert run("plan", "draft", "x12").exit_code == 2
    missing = run("plan", "draft", "99")
    assert missing.exit_code == 1 and "det finns ingen bedömning 99 i ärenderegistret" in missing.output
    assert run("plan", "draft", str(assessment)).exit_code == 0
    police = run("plan", "edit", "1", "--add", "--agency", "police", "--action", "Orossamtal")
    assert police.exit_code == 1
    assert "fel: en aktör kan få ett åtagande bara när samtycket just nu omfattar aktören" in police.output
    assert "inget samtycke från vårdnadshavare 1 till informationsutbyte med polisen" in police.output
    assert run("plan", "edit", "1", "--add", "--agency", "school").exit_code == 2  # no --action
    assert run("plan", "edit", "1").exit_code == 2  # nothing to change
    assert run("plan", "edit", "1", "--commitment", "1", "--state", "started").exit_code == 1  # a draft
    run("plan", "commit", "1")
    assert run("plan", "commit", "1").exit_code == 1
    withdrawn = run("plan", "edit", "1", "--commitment", "1", "--state", "withdrawn")
    assert withdrawn.exit_code == 1 and "kräver ett skäl" in withdrawn.output
    assert run("plan", "edit", "1", "--commitment", "1", "--state", "withdrawn", "--reason", "Behövs inte").exit_code == 0
    again = run("plan", "follow-up", "1", "--outcome", "Något")
    assert again.exit_code == 1 and "ett avslutat åtagande följs inte upp" in again.output
    other = run("plan", "edit", "1", "--commitment", "999", "--goal", "x")
    assert other.exit_code == 1 and "åtagande 999 ingår inte i plan 1" in other.output
    control = run("plan", "edit", "1", "--goals", "Mål\x1b]0;titel\x07")
    assert control.exit_code == 1 and "\x1b" not in control.output
    assert run("plan", "show", "p-" + "0" * 32).exit_code == 1
    assert run("plan", "follow-up", "2", "--outcome", "   ").exit_code == 1
    assert run("plan", "edit", "1", "--commitment", "2", "--start", "2026-13-01").exit_code == 2
