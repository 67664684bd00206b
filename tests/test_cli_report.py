"""riskmanual report from the command line: the formats, the languages and every bad input."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual.case.store import open_store
from riskmanual.cli import cli

from .reports import NUMBER, build_case


@pytest.fixture
def case(tmp_path: Path):
    store = open_store(str(tmp_path / "cases.sqlite"), key_path=tmp_path / "pseudonym.key", actor="Anna Handläggare")
    built = build_case(store, hostile=True)
    store.close()
    return built


@pytest.fixture
def run(tmp_path: Path):
    env = {"RISKMANUAL_DB": str(tmp_path / "cases.sqlite"), "RISKMANUAL_KEY_FILE": str(tmp_path / "pseudonym.key"),
           "RISKMANUAL_LANG": None}
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(cli, list(args), env=env)
        assert "Traceback" not in (result.output or "")
        assert re.sub(r"\D", "", NUMBER)[-10:] not in re.sub(r"\D", "", result.stderr or "")
        return result

    return invoke


def test_html_and_markdown_go_to_standard_output(run, case) -> None:
    page = run("report", f"#{case.second}")
    assert page.exit_code == 0, page.output
    assert page.stdout.startswith("<!DOCTYPE html>") and "Vad bedömningen visar" in page.stdout
    assert "&lt;script&gt;" in page.stdout and "<script>" not in page.stdout
    assert "Obs: vårdnadshavare 1 har återkallat samtycket för skolan" in page.stderr
    text = run("report", str(case.second), "--format", "markdown", "--lang", "en")
    assert text.exit_code == 0 and text.stdout.startswith("# Assessment for a social intervention group (SIG)")
    assert r"\<script\>" in text.stdout and "What speaks for things going well" in text.stdout


def test_pdf_to_a_new_file_and_to_a_pipe(run, case, tmp_path: Path) -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint cannot be loaded (it needs the system's Pango): {exc}")
    out = tmp_path / "rapport.pdf"
    written = run("report", str(case.second), "--format", "pdf", "--out", str(out))
    assert written.exit_code == 0, written.output
    assert out.read_bytes().startswith(b"%PDF-") and f"är skriven till {out}" in written.stdout
    piped = run("report", str(case.first), "--format", "pdf")  # CliRunner's output is not a terminal
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"%PDF-")


def test_an_existing_file_or_link_is_never_overwritten(run, case, tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    out.write_text("mitt eget", "utf-8")
    again = run("report", str(case.second), "--out", str(out))
    assert again.exit_code == 1 and "finns redan" in again.stderr
    assert out.read_text("utf-8") == "mitt eget"
    target = tmp_path / "elsewhere.txt"
    target.write_text("orört", "utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    linked = run("report", str(case.second), "--out", str(link))
    assert linked.exit_code == 1 and target.read_text("utf-8") == "orört" and link.is_symlink()
    dangling = tmp_path / "dangling.html"
    dangling.symlink_to(tmp_path / "nowhere.html")
    assert run("report", str(case.second), "--out", str(dangling)).exit_code == 1
    assert not (tmp_path / "nowhere.html").exists()


def test_bad_assessment_numbers(run, case) -> None:
    unknown = run("report", "999")
    assert unknown.exit_code == 1 and "det finns ingen bedömning 999" in unknown.stderr
    assert run("report", "-3").exit_code == 2  # read as an unknown option
    for bad in ("tolv", "#", "1.5", "0", "#12a", "9" * 40, "2\x1b[31m"):
        result = run("report", bad)
        assert result.exit_code == 2, bad
        assert "är inte ett nummer som 12 eller #12" in result.stderr, bad
    english = run("report", "abc", "--lang", "en")
    assert english.exit_code == 2 and "is not a number such as 12 or #12" in english.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_pdf_is_not_written_to_a_terminal(case, tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "RISKMANUAL_DB": str(tmp_path / "cases.sqlite"),
           "RISKMANUAL_KEY_FILE": str(tmp_path / "pseudonym.key")}
    env.pop("RISKMANUAL_LANG", None)
    child = pexpect.spawn(sys.executable, ["-m", "riskmanual.cli", "report", str(case.second), "--format", "pdf"],
                          env=env, encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "en PDF skrivs inte ut i terminalen" in child.before and "%PDF" not in child.before
