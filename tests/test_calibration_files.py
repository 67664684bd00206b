"""Calibration output is never written over an existing file or through a symbolic link (issue 8)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual.cli import cli
from riskmanual.files import FileWriteError, replace_file, write_folder, write_new

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = str(DATA / "full.yaml")


def test_write_new_refuses_files_links_and_dangling_links(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "link").symlink_to(victim)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    for name in ("victim.txt", "link", "dangling"):
        with pytest.raises(FileWriteError, match="exists"):
            write_new(tmp_path / name, "new")
    assert victim.read_text() == "precious" and not (tmp_path / "nowhere").exists()
    assert write_new(tmp_path / "fresh", "x").read_text() == "x"


def test_replace_file_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out.csv").symlink_to(victim)
    replace_file(tmp_path / "out.csv", "new")
    assert victim.read_text() == "precious"
    assert not (tmp_path / "out.csv").is_symlink() and (tmp_path / "out.csv").read_text() == "new"


def test_write_folder_atomic_refuses_non_empty_and_never_follows(tmp_path: Path) -> None:
    written = write_folder(tmp_path / "r", {"a.txt": "1", "b.txt": "2"})
    assert sorted(p.name for p in written) == ["a.txt", "b.txt"]
    with pytest.raises(FileWriteError, match="not empty"):
        write_folder(tmp_path / "r", {"a.txt": "3"})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.remove(tmp_path / "r" / "a.txt")
    (tmp_path / "r" / "a.txt").symlink_to(victim)
    write_folder(tmp_path / "r", {"a.txt": "3"}, force=True)
    assert victim.read_text() == "precious" and (tmp_path / "r" / "a.txt").read_text() == "3"
    (tmp_path / "alias").symlink_to(tmp_path / "r")
    with pytest.raises(FileWriteError, match="symbolic link"):
        write_folder(tmp_path / "alias", {"a.txt": "4"}, force=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def _data(tmp_path: Path) -> Path:
    path = tmp_path / "cohort.csv"
    synthetic_frame(400, seed=1).to_csv(path, index=False)
    return path


def test_calibrate_out_through_a_dangling_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "new.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(_data(tmp_path)), "--outcome", "y",
                                      "--out", str(tmp_path / "new.yaml"), "--folds", "3", "--lang", "en"])
    assert result.exit_code == 1 and "never overwrites" in result.output
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_calibrate_report_into_a_non_empty_folder_needs_force(tmp_path: Path) -> None:
    report = tmp_path / "report"
    report.mkdir()
    victim = tmp_path / "victim.json"
    victim.write_text("precious")
    (report / "metrics.json").symlink_to(victim)
    args = ["calibrate", FULL, str(_data(tmp_path)), "--outcome", "y", "--folds", "3", "--report", str(report),
            "--lang", "en"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "not empty" in result.output
    result = CliRunner().invoke(cli, args + ["--force"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious" and not (report / "metrics.json").is_symlink()
    assert (report / "report.html").is_file()


def test_simulate_never_writes_through_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.csv"
    victim.write_text("precious")
    (tmp_path / "out.csv").symlink_to(victim)
    args = ["simulate", FULL, "--n", "50", "--seed", "1", "--out", str(tmp_path / "out.csv")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    result = CliRunner().invoke(cli, args + ["--force"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("args", [
    ["--select", "capacity=nan"], ["--select", "capacity=1e999"], ["--select", "threshold=inf"],
    ["--seed", "4294967296"], ["--seed", "-1"], ["--folds", "1"], ["--repeats", "0"], ["--max-items", "0"],
    ["--min-group-size", "0"],
])
def test_calibrate_flags_are_validated_with_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(_data(tmp_path)), "--outcome", "y", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ["--seed", "4294967296"], ["--missing-rate", "nan"], ["--base-rate", "nan"], ["--slope", "nan"],
    ["--slope", "1e999"], ["--n", "0"],
])
def test_simulate_flags_are_validated_with_exit_2(tmp_path: Path, args: list[str]) -> None:
    base = {"--seed": "1", "--n": "10"}
    for flag in args[::2]:
        base.pop(flag, None)
    extra = [x for kv in base.items() for x in kv]
    result = CliRunner().invoke(cli, ["simulate", FULL, "--out", str(tmp_path / "x.csv"), *extra, *args])
    assert result.exit_code == 2, result.output


def test_a_class_with_fewer_rows_than_folds_is_a_clear_error(tmp_path: Path) -> None:
    frame = synthetic_frame(60, seed=2)
    frame["y"] = "0"
    frame.loc[:1, "y"] = "1"
    path = tmp_path / "few.csv"
    frame.to_csv(path, index=False)
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(path), "--outcome", "y", "--folds", "5", "--lang", "en"])
    assert result.exit_code == 1 and "fewer than the 5 folds" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("lang, words", [("sv", "report: $: kan inte skapas: "), ("en", "report: $: cannot create: ")])
def test_calibrate_report_onto_a_file_says_so_in_the_language(tmp_path: Path, lang: str, words: str) -> None:
    """A folder that cannot be made (its parent is a file): a located error, nothing touched."""
    parent = tmp_path / "a-file"
    parent.write_text("precious")
    report = parent / "report"
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(_data(tmp_path)), "--outcome", "y", "--folds", "3",
                                      "--report", str(report), "--lang", lang])
    assert result.exit_code == 1, result.output
    assert words in result.output and "Traceback" not in result.output
    assert parent.read_text() == "precious"


def test_calibrate_report_into_a_non_empty_folder_says_so_in_swedish(tmp_path: Path) -> None:
    report = tmp_path / "report"
    report.mkdir()
    (report / "notes.txt").write_text("kept")
    result = CliRunner().invoke(cli, ["calibrate", FULL, str(_data(tmp_path)), "--outcome", "y", "--folds", "3",
                                      "--report", str(report), "--lang", "sv"])
    assert result.exit_code == 1, result.output
    assert "report: $: rapportmappen är inte tom: välj en ny mapp" in result.output
    assert sorted(p.name for p in report.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("lang, words", [("sv", "rapporten skrevs inte"), ("en", "report not written")])
def test_write_report_error_in_the_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                            words: str) -> None:
    """The library's error (not only the command line's lines) is in the reader's language."""
    import riskmanual.calibration.report as report
    import riskmanual.calibration.report_figures as figures
    from riskmanual.calibration import CalibrationError

    monkeypatch.setattr(figures, "draw_figures", lambda *a, **k: {})  # only the writing is under test
    monkeypatch.setattr(report, "render_html", lambda *a, **k: "<html></html>")
    parent = tmp_path / "a-file"
    parent.write_text("precious")
    with pytest.raises(CalibrationError) as caught:
        report.write_report({"method": "recalibrate"}, {}, parent / "report")
    assert words in caught.value.render(lang)
    assert parent.read_text() == "precious"
