"""The guided assessment in a real pseudo-terminal: typed Swedish, killed mid-way, resumed, saved."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from .identities import synthetic

pexpect = pytest.importorskip("pexpect", reason="pexpect drives the terminal in this test")

NUMBER = synthetic(dt.date(2009, 5, 14), 982)


def spawn(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {**os.environ, "RISKMANUAL_DB": str(tmp_path / "cases.sqlite"),
           "RISKMANUAL_KEY_FILE": str(tmp_path / "pseudonym.key"), "RISKMANUAL_LANG": "sv", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return pexpect.spawn(sys.executable, ["-m", "riskmanual.cli", *args], env=env, encoding="utf-8", timeout=30,
                         dimensions=(50, 120))


def answer(child, expected: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    child.expect_exact(expected)
    child.expect_exact(">")  # the prompt (prompt_toolkit draws it with escape codes around)
    child.sendline(typed)


def test_a_guided_screening_survives_kill_9_and_is_saved(tmp_path: Path) -> None:
    added = spawn(tmp_path, "subject", "add", NUMBER, "--guardians", "1")
    added.expect(pexpect.EOF)
    child = spawn(tmp_path, "assess", "sig-screening", "--subject", NUMBER, "--date", "2026-12-01")
    answer(child, "1 / 12  Brottslighet", "En")
    answer(child, "2 / 12", "nej")
    answer(child, "3 / 12", "JA")
    child.expect_exact("Kritiskt svar: bedömaren måste granska det.")
    answer(child, "4 / 12", "okänt")
    child.expect_exact("5 / 12")
    child.expect_exact(">")
    child.kill(signal.SIGKILL)  # the terminal is gone: nothing but the answer being typed is lost
    child.wait()

    resumed = spawn(tmp_path, "assess", "--resume", "1")
    answer(resumed, "5 / 12  Livssituation och umgänge", "hög")
    resumed.expect_exact("inget svar på den här frågan; skriv något av: 1 Inga, 2 Enstaka")
    resumed.expect_exact(">")
    resumed.sendline("Enstaka")
    for step, typed in zip(range(6, 13), ["nej", "ja", "nej", "nej", "nej", "ja", "ja"]):
        answer(resumed, f"{step} / 12", typed)
    resumed.expect_exact("Dina svar:")
    resumed.expect_exact("Våld eller vapen: ja")
    resumed.expect_exact("Spara bedömningen? (ja/nej)")
    resumed.sendline("ja")
    resumed.expect_exact("Den beräknade nivån är Fördjupad bedömning.")
    resumed.expect_exact("Justera nivån?")
    resumed.sendline("urgent")  # the assessor adjusts the band, with a reason
    resumed.expect_exact("Skäl för nivån:")
    resumed.sendline("Skyddsbehov efter rånet i augusti (syntetiskt)")
    resumed.expect_exact("Fördjupad bedömning: JA")
    resumed.expect_exact("Sparad som bedömning 1 för p-")
    resumed.expect(pexpect.EOF)
    resumed.close()
    assert resumed.exitstatus == 0
    with sqlite3.connect(tmp_path / "cases.sqlite") as connection:
        (answers,) = connection.execute("SELECT answers FROM assessments").fetchone()
        assert connection.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
    assert '"violence_or_weapons": "yes"' in answers and '"earlier_interventions": "unknown"' in answers
    assert '"criminal_peers": "some"' in answers
    with sqlite3.connect(tmp_path / "cases.sqlite") as connection:
        assert connection.execute("SELECT band, final_band FROM assessments").fetchone() == ("assess", "urgent")


def test_without_a_terminal_the_guided_assessment_says_what_to_do(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from riskmanual.cli import cli

    env = {"RISKMANUAL_DB": str(tmp_path / "c.sqlite"), "RISKMANUAL_KEY_FILE": str(tmp_path / "k"),
           "RISKMANUAL_LANG": None}
    CliRunner().invoke(cli, ["subject", "add", NUMBER, "--guardians", "1"], env=env)
    result = CliRunner().invoke(cli, ["assess", "sig-screening", "--subject", NUMBER], env=env)
    assert result.exit_code == 1 and "behöver en terminal" in result.stderr and "--answers FIL" in result.stderr
    usage = CliRunner().invoke(cli, ["assess"], env=env)
    assert usage.exit_code == 2 and "--resume UTKAST" in usage.stderr


def test_a_screenings_answers_are_offered_as_starting_answers(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    spawn(tmp_path, "subject", "add", NUMBER, "--guardians", "1").expect(pexpect.EOF)
    screening = (root / "instruments" / "sig-screening" / "example-answers-2.0.0.json").read_text("utf-8")
    answers = tmp_path / "screening.json"
    answers.write_text(screening.replace('"birth_date": "2010-03-02"', '"birth_date": "2009-05-14"'), "utf-8")
    saved = spawn(tmp_path, "assess", "sig-screening", "--subject", NUMBER, "--answers", str(answers))
    saved.expect(pexpect.EOF)
    child = spawn(tmp_path, "assess", "sig-assessment", "--subject", NUMBER, "--date", "2026-12-01")
    child.expect_exact("5 svar från sig-screening@2.0.0 den 2026-11-30 kan bli startsvar")
    child.sendline("ja")
    child.expect_exact("1 / ")
    child.expect_exact("(nu: 1)")
    child.expect_exact(">")
    child.sendline("q")
    child.expect_exact("Utkastet är sparat")
    child.expect(pexpect.EOF)
    with sqlite3.connect(tmp_path / "cases.sqlite") as connection:
        (state,) = connection.execute("SELECT state FROM drafts").fetchone()
    assert '"criminal_peers": "moderate"' in state and '"police_reports_12m": 1' in state
