"""Hostile files: every read has the same limits, and a bad file in RISKMANUAL_PATH is skipped."""

from __future__ import annotations

import json
import os
import re
import sys
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual import load_instrument, score
from riskmanual.cli import cli
from riskmanual.errors import AnswersError
from riskmanual.registry import SkippedFileWarning, list_instruments
from riskmanual.yamlsource import MAX_DEPTH, SourceError, parse_text, read_source

from .conftest import ROOT

EXAMPLE = ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json"


def refused(text: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        parse_text(text, "f.yaml")
    return [issue.render("en") for issue in caught.value.issues]


@pytest.mark.parametrize("text, words", [
    ("a: !!int abc", "'abc' cannot be read as int"),
    ("a: !!bool maybe", "'maybe' cannot be read as bool"),
    ("a: !!float ''", "'' cannot be read as float"),
    ("a: !!int 0x", "'0x' cannot be read as int"),
    ("a: 0x" + "f" * 4000, "a number of more than 18 digits"),
    ("a: " + "9" * 5000, "a number of more than 18 digits"),
    ("a: .nan", "use a finite number"),
    ("a: -.inf", "use a finite number"),
])
def test_tags_and_numbers_that_do_not_fit_are_located_errors(text: str, words: str) -> None:
    found = refused(text)
    assert found == [f"f.yaml:1:4: a: {words}"] or (len(found) == 1 and words in found[0]), found


def test_one_long_text_aliased_many_times_is_refused_quickly() -> None:
    text = "a: &x " + "y" * 200_000 + "\nb: [" + ", ".join(["*x"] * 100) + "]\n"
    started = time.perf_counter()
    assert "aliases repeat more than" in refused(text)[0]
    assert time.perf_counter() - started < 2


def test_nesting_built_through_aliases_counts_towards_the_depth_limit() -> None:
    text = "l0: &l0 [1]\n" + "".join(f"l{i}: &l{i} [*l{i - 1}]\n" for i in range(1, MAX_DEPTH + 20))
    assert f"nested more than {MAX_DEPTH} levels deep" in refused(text)[0]


def test_billion_laughs_is_refused() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        name, before = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{before}"] * 9) + "]")
    assert "aliases repeat more than" in refused("\n".join(lines))[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), Path("/dev/null")):
        if not path.exists():
            continue
        with pytest.raises(SourceError) as caught:
            read_source(path)  # never blocks, never reads without end
        assert "not a regular file" in caught.value.issues[0].render("en")
    with pytest.raises(SourceError, match="directory"):
        read_source(tmp_path)


@pytest.fixture
def hostile_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A RISKMANUAL_PATH folder full of bad files beside one good user instrument."""
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "deep.yaml").write_text("id: x\nitems: " + "[" * 120_000, "utf-8")
    (folder / "bomb.yaml").write_text("id: x\nitems: []\na: &a [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)), "utf-8")
    (folder / "latin1.yaml").write_bytes("id: å\n".encode("latin-1"))
    (folder / "tagged.yaml").write_text("id: !!int abc\nitems: []\n", "utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.yaml")
    if Path("/dev/zero").exists():
        (folder / "zero.yaml").symlink_to("/dev/zero")
    good = (ROOT / "instruments" / "example-actuarial" / "1.0.0.yaml").read_text("utf-8")
    (folder / "mine.yaml").write_text(good.replace("id: example-actuarial", "id: my-actuarial", 1), "utf-8")
    monkeypatch.setenv("RISKMANUAL_PATH", os.pathsep.join([str(folder), "~nosuchuser-riskmanual"]))
    return folder


def test_a_bad_file_in_the_path_is_skipped_with_one_warning(hostile_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        entries = list_instruments()
    assert "my-actuarial" in {e.id for e in entries} and "sig-assessment" in {e.id for e in entries}
    skipped = sorted(Path(w.message.issue.file).name for w in caught if isinstance(w.message, SkippedFileWarning))
    expected = {"deep.yaml", "bomb.yaml", "latin1.yaml", "tagged.yaml", "~nosuchuser-riskmanual"}
    expected |= {"fifo.yaml"} if hasattr(os, "mkfifo") else set()
    expected |= {"zero.yaml"} if Path("/dev/zero").exists() else set()
    assert set(skipped) == expected
    with warnings.catch_warnings(record=True) as again:  # once per process
        warnings.simplefilter("always")
        list_instruments()
    assert not [w for w in again if isinstance(w.message, SkippedFileWarning)]


def test_the_command_line_still_scores_a_bundled_instrument(hostile_path: Path) -> None:
    from riskmanual import registry

    registry._WARNED.clear()
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["score", "sig-assessment", str(EXAMPLE), "--format", "json", "--lang", "en"])
    assert time.perf_counter() - started < 10
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["instrument"]["id"] == "sig-assessment"
    assert "warning: " in result.stderr and "(skipped)" in result.stderr and "Traceback" not in result.output
    listed = CliRunner().invoke(cli, ["list", "--lang", "en"])
    assert listed.exit_code == 0 and "my-actuarial@1.0.0" in listed.stdout


def test_a_name_too_long_for_the_file_system_is_not_found() -> None:
    result = CliRunner().invoke(cli, ["show", "x" * 300, "--lang", "en"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "no instrument" in result.output
    result = CliRunner().invoke(cli, ["show", "x" * 300 + ".yaml", "--lang", "en"])
    assert result.exit_code == 1 and "Traceback" not in result.output


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "9" * 400, float("nan"), float("inf"), 10 ** 400,
                                   2 ** 20_000], ids=["nan", "inf", "-inf", "1e999", "400-digit-text", "float-nan",
                                                     "float-inf", "10**400", "2**20000"])
def test_numbers_that_are_not_numbers_are_answers_errors(value: object) -> None:
    document = json.loads(EXAMPLE.read_text("utf-8"))
    document["answers"]["police_reports_12m"] = value
    with pytest.raises(AnswersError) as caught:
        score(load_instrument("sig-assessment@2.0.0"), document)
    shown = caught.value.issues[0].render("sv")
    assert "police_reports_12m" in shown and len(shown) < 300


def test_a_huge_integer_in_an_answers_file_is_refused_on_the_command_line(tmp_path: Path) -> None:
    document = EXAMPLE.read_text("utf-8").replace('"police_reports_12m": 4', '"police_reports_12m": ' + "7" * 4500)
    path = tmp_path / "answers.json"
    path.write_text(document, "utf-8")
    result = CliRunner().invoke(cli, ["score", "sig-assessment", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "a number of more than 18 digits" in result.stderr
    assert "Traceback" not in result.output and sys.getrecursionlimit() >= 1000


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    """An escape sequence in a value or a key is shown escaped; a newline cannot forge an error line."""
    document = {"instrument": "sig-screening", "version": "2.0.0", "assessment_date": "2026-11-30",
                "case": "a\x1b]0;pwned\x07", "notes": {"x\nfake.json:1:1: forged": "n", "violence_or_weapons": "\x9b2J"},
                "answers": {}}
    path = tmp_path / "answers\x1b[31m.json"
    path.write_text(json.dumps(document), "utf-8")
    result = CliRunner().invoke(cli, ["score", "sig-screening", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert not any(c in result.output for c in "\x1b\x07\x9b")
    assert all(line.startswith(str(tmp_path)) or line.startswith("  ") for line in result.stderr.splitlines()[1:])
    assert "case: control characters are not allowed" in result.stderr
    assert "notes.violence_or_weapons: control characters are not allowed" in result.stderr


def test_control_characters_in_an_instrument_text_are_refused(tmp_path: Path) -> None:
    text = (ROOT / "instruments" / "sig-screening" / "2.0.0.yaml").read_text("utf-8")
    path = tmp_path / "evil.yaml"
    evil = text.replace("  sv: SIG-screening – behov av fördjupad bedömning",
                        '  sv: "SIG-screening \\e]0;pwned\\a – behov av fördjupad bedömning"', 1)
    assert evil != text
    path.write_text(evil, "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "title.sv: control characters are not allowed" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_a_flood_of_errors_is_capped(tmp_path: Path) -> None:
    from riskmanual.cli import MAX_ISSUES_SHOWN

    document = json.loads(EXAMPLE.read_text("utf-8"))
    document["answers"].update({f"ghost_{i}": "x" for i in range(MAX_ISSUES_SHOWN + 150)})
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), "utf-8")
    result = CliRunner().invoke(cli, ["score", "sig-assessment", str(path), "--lang", "sv"])
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and lines[-1] == "… och 150 till"
    assert len([line for line in lines if "ghost_" in line]) == MAX_ISSUES_SHOWN


def test_the_instrument_argument_is_masked() -> None:
    from .identities import synthetic
    import datetime as dt

    number = synthetic(dt.date(2009, 6, 14), 982)
    for argument in (number, f"{number}.yaml", f"x@{number}"):
        result = CliRunner().invoke(cli, ["show", argument, "--lang", "en"])
        assert result.exit_code == 1 and number not in result.output and number[-4:] not in result.output, argument


def test_markdown_of_a_hostile_instrument_is_literal(tmp_path: Path) -> None:
    text = (ROOT / "instruments" / "sig-screening" / "2.0.0.yaml").read_text("utf-8")
    evil = text.replace("  sv: SIG-screening – behov av fördjupad bedömning",
                        '  sv: "<script>alert(1)</script> [klicka](http://example.org) **fet**"', 1)
    evil = evil.replace("authors: [riskmanual developers]", 'authors: ["<img src=x onerror=alert(1)>"]', 1)
    path = tmp_path / "evil.yaml"
    path.write_text(evil, "utf-8")
    result = CliRunner().invoke(cli, ["show", str(path), "--format", "markdown", "--lang", "sv"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == r"# \<script\>alert(1)\</script\> \[klicka\](http://example.org) \*\*fet\*\*"
    assert r"\<img src=x onerror=alert(1)\>" in result.stdout
    assert not re.search(r"(?<!\\)<", result.stdout)  # every < is escaped: no raw HTML at all


def test_validate_score_and_show_agree_on_a_number_written_as_text(tmp_path: Path) -> None:
    text = (ROOT / "instruments" / "sig-screening" / "2.0.0.yaml").read_text("utf-8")
    path = tmp_path / "text-points.yaml"
    path.write_text(text.replace("points: 2\n", 'points: "2"\n', 1), "utf-8")
    outputs = []
    for args in (["validate", str(path)], ["show", str(path)],
                 ["score", str(path), str(ROOT / "instruments" / "sig-screening" / "example-answers-2.0.0.json")]):
        result = CliRunner().invoke(cli, [*args, "--lang", "en"])
        assert result.exit_code == 1, args
        outputs.append([line for line in result.output.splitlines() if "points" in line])
    assert outputs[0] == outputs[1] == outputs[2] and "expected a number (got '2')" in outputs[0][0]


def test_too_many_values_or_problems_stop_the_reading_early() -> None:
    from riskmanual.yamlsource import MAX_ISSUES, MAX_NODES

    started = time.perf_counter()
    assert f"more than {MAX_NODES:,} values in one file" in refused("[" + ",".join(["1"] * (MAX_NODES + 5)) + "]")[0]
    found = refused("[" + ",".join(["!!int x"] * (MAX_ISSUES + 500)) + "]")
    assert len(found) == MAX_ISSUES + 1 and f"the first {MAX_ISSUES:,} are listed" in found[-1]
    assert time.perf_counter() - started < 5
