"""``riskmanual score`` on the warm-cache path: no pydantic, jsonschema or yaml, and exactly the
full command's stdout, stderr and exit code (it leaves every doubtful case to the full command)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from riskmanual.cli import cli
from riskmanual.cli import fastscore
from riskmanual.cli.fastscore import try_fast_score
from riskmanual.identity import synthetic_number
from riskmanual.registry import bundled_dir
from riskmanual.yamlsource import MAX_BYTES

from .conftest import DATA, ROOT

SIG = ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json"
EXAMPLES = sorted((ROOT / "instruments").glob("*/example-answers*.json"))


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("RISKMANUAL_CACHE_DIR", str(folder))
    monkeypatch.delenv("RISKMANUAL_PATH", raising=False)
    monkeypatch.delenv("RISKMANUAL_LANG", raising=False)
    return folder


def both(args: list[str]) -> tuple[bool, Any, Any]:
    """(fast path taken, its output, the full command's output); output = (exit, stdout, stderr)."""
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    with runner.isolation() as streams:
        taken = try_fast_score(args)
        out, err = streams[0].getvalue(), streams[1].getvalue() if streams[1] is not None else b""
    fast = (0, out, err)
    full = runner.invoke(cli, args, catch_exceptions=False)
    return taken, fast, (full.exit_code, full.stdout_bytes, full.stderr_bytes if full.stderr_bytes is not None else b"")


def ref_of(example: Path) -> str:
    return example.parent.name


def test_limits_agree_with_the_full_reader() -> None:
    from riskmanual.registry import bundled_dir as full_bundled_dir

    assert fastscore.MAX_BYTES == MAX_BYTES
    assert fastscore._bundled_dir() == full_bundled_dir()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_valid_answers_take_the_fast_path_with_the_same_output(example: Path, fmt: str, lang: str) -> None:
    args = ["score", ref_of(example), str(example), "--format", fmt, "--lang", lang]
    taken, fast, full = both(args)
    assert taken, "the warm path should take a bundled example"
    assert full[0] == 0
    assert fast == full


def test_text_options_and_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKMANUAL_LANG", "en")
    for extra in (["--all"], ["--width", "40"], ["--width=120", "--all"], []):
        taken, fast, full = both(["score", "sig-assessment", str(SIG), "--format=text", *extra])
        assert taken and fast == full


def test_instrument_as_a_path_and_as_id_at_version(tmp_path: Path, cache: Path) -> None:
    path = DATA / "full.yaml"
    from tests.conftest import full_answers

    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(full_answers()), encoding="utf-8")
    args = ["score", str(path), str(answers)]
    taken, fast, full = both(args)  # cold: the full command runs, and caches the compiled instrument
    assert not taken and full[0] == 0
    assert list(cache.iterdir())
    taken, fast, full = both(args)
    assert taken and fast == full
    taken, fast, full = both(["score", "sig-assessment@2.0.0", str(SIG)])
    assert taken and fast == full


def _document(**changes: Any) -> dict[str, Any]:
    document = json.loads(SIG.read_text(encoding="utf-8"))
    document.update(changes)
    return document


def hostile_files(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}

    def put(name: str, content: bytes | str) -> None:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        files[name] = path

    base = _document()
    pnr = synthetic_number(dt.date(2009, 5, 14), 7)
    put("bad-code.json", json.dumps(_document(answers={**base["answers"], "weapons": "maybe"})))
    put("unknown-item.json", json.dumps(_document(answers={**base["answers"], "wepons": "yes"})))
    put("future.json", json.dumps(_document(assessment_date="2099-01-01")))
    put("bad-date.json", json.dumps(_document(assessment_date="2026-02-30")))
    put("note-pnr.json", json.dumps(_document(notes={"weapons": f"ring {pnr}"})))
    put("case-pnr.json", json.dumps(_document(case=pnr)))
    put("note-control.json", json.dumps(_document(notes={"weapons": "a\u001b[2Jb"})))
    put("control-key.json", json.dumps(_document(answers={**base["answers"], "x\u001b[31m": "yes"})))
    put("extra-key.json", json.dumps(_document(extra=1)))
    put("wrong-version.json", json.dumps(_document(version="9.9.9")))
    put("other-instrument.json", json.dumps(_document(instrument="sig-screening")))
    put("not-mapping.json", "[1, 2, 3]")
    put("empty.json", "")
    put("duplicate.json", '{"instrument": "sig-assessment", "instrument": "sig-assessment"}')
    put("nan.json", json.dumps(_document(answers={**base["answers"], "weapons": float("nan")})))
    put("exp-float.json", json.dumps(_document()).replace('"assessment_date"', '"x": 1e5, "assessment_date"'))
    put("deep.json", "[" * 5000 + "]" * 5000)
    put("big-int.json", json.dumps(_document()).replace('"answers"', '"n": 1234567890123456789012, "answers"'))
    put("not-utf8.json", b"\xff\xfe{}")
    put("bom.json", b"\xef\xbb\xbf" + json.dumps(base).encode())
    put("surrogate.json", json.dumps(_document(notes={"weapons": "\U0001f600"}), ensure_ascii=True))
    put("slash.json", json.dumps(base).replace('"2.0.0"', '"2.0.0\\/"'))
    put("tab.json", json.dumps(base, indent="\t"))
    put("unprintable.json", json.dumps(_document(notes={"weapons": "a\u0085\u009fb"}), ensure_ascii=False))
    put("yaml.yaml", "instrument: sig-assessment\nversion: 2.0.0\nassessment_date: 2026-11-01\nanswers: {}\n")
    put("compact.json", json.dumps(base, separators=(",", ":")))
    put("judgement.json", json.dumps(_document(judgement={"band": "high", "reason": "Synthetic."})))
    put("big.json", " " * (MAX_BYTES + 1))
    put("required-missing.json", json.dumps(_document(answers={})))
    files["missing-file.json"] = folder / "no-such-file.json"
    files["folder"] = folder
    return files


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_invalid_and_hostile_answers_give_the_full_commands_output(tmp_path: Path, fmt: str, lang: str) -> None:
    for name, path in hostile_files(tmp_path).items():
        taken, fast, full = both(["score", "sig-assessment", str(path), "--format", fmt, "--lang", lang])
        if taken:
            assert fast == full, name
            assert full[0] == 0, name
        elif name in ("bom.json", "compact.json"):
            pytest.fail(f"{name}: a valid answers file should take the fast path")


def test_corrupt_cache_entry_falls_back_and_is_rebuilt(tmp_path: Path, cache: Path) -> None:
    from tests.conftest import full_answers

    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(full_answers()), encoding="utf-8")
    args = ["score", str(DATA / "full.yaml"), str(answers)]
    both(args)
    [entry] = list(cache.iterdir())
    entry.write_text("{not json", encoding="utf-8")
    taken, fast, full = both(args)
    assert not taken and full[0] == 0
    taken, fast, full = both(args)
    assert taken and fast == full


def test_other_commands_and_options_are_left_to_click() -> None:
    for args in (["validate", "x"], ["score", "sig-assessment", "-"], ["score", "--help"],
                 ["score", "sig-assessment", str(SIG), "--format", "markdown"], ["score", "sig-assessment"],
                 ["score", "sig-assessment", str(SIG), "--width", "10"], ["score", "sig-assessment", str(SIG), "--x"]):
        assert not try_fast_score(args)


PROBE = """
import json, sys
sys.argv = ["riskmanual", "score", {ref!r}, {answers!r}, "--format", {fmt!r}]
from riskmanual.cli import main
try:
    main()
except SystemExit:
    pass
heavy = ("pydantic", "pydantic_core", "jsonschema", "yaml", "_yaml")
open({report!r}, "w").write(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_warm_path_imports_neither_pydantic_jsonschema_nor_yaml(tmp_path: Path, fmt: str) -> None:
    report = tmp_path / "modules.json"
    code = PROBE.format(ref="sig-assessment", answers=str(SIG), fmt=fmt, report=str(report))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, env={**os.environ}, check=True)
    assert done.stdout and not done.stderr
    assert json.loads(report.read_text()) == []


def test_console_script_gives_the_same_bytes_as_the_full_command(tmp_path: Path) -> None:
    """The real entry point (a subprocess) against the click command (another), valid and invalid."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_document(answers={"weapons": "maybe"})), encoding="utf-8")
    for answers in (SIG, bad):
        for lang in ("sv", "en"):
            args = ["score", "sig-assessment", str(answers), "--format", "text", "--lang", lang]
            fast = subprocess.run([sys.executable, "-m", "riskmanual.cli", *args], capture_output=True, cwd=ROOT)
            full = subprocess.run([sys.executable, "-c", "import sys; from riskmanual.cli import cli; "
                                   "cli(sys.argv[1:], prog_name='riskmanual')", *args], capture_output=True, cwd=ROOT)
            assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)
