"""``riskmanual calibrate`` and ``simulate`` say what is wrong with their input in Swedish
(the default) and in English (``--lang en``): one representative bad input per family."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmanual.calibration import CalibrationError, load_spec
from riskmanual.calibration.data import file_reason
from riskmanual.calibration.simulate import simulate
from riskmanual.cli import cli

from .calibration_helpers import synthetic_frame
from .conftest import DATA

FULL = str(DATA / "full.yaml")

#: Common English words that must not be left in a Swedish error.
ENGLISH = ("the", "not", "column", "item", "missing", "expected", "should", "fewer", "choose", "exists", "you",
           "unknown", "is", "of", "to", "must", "has", "and", "or")


@pytest.fixture(autouse=True)
def _no_language_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKMANUAL_LANG", raising=False)


def _csv(tmp_path: Path, name: str = "cohort.csv", change=None) -> str:
    frame = synthetic_frame(300, seed=3)
    if change is not None:
        change(frame)
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def _spec(tmp_path: Path, text: str, data: str | None = None) -> str:
    data = data or _csv(tmp_path)
    path = tmp_path / "spec.yaml"
    path.write_text(f"instrument: {FULL}\ndata: {Path(data).name}\noutcome: y\n{text}", "utf-8")
    return str(path)


def _both(args: list[str]) -> tuple[str, str, int, int]:
    """The Swedish (no --lang) and English (--lang en) output and exit codes."""
    swedish = CliRunner().invoke(cli, args)
    english = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert "Traceback" not in swedish.output + english.output
    return swedish.output, english.output, swedish.exit_code, english.exit_code


def _english_words(text: str, tmp_path: Path) -> list[str]:
    """Common English words in ``text``, leaving out what the user typed and names to type
    (file names, quoted values, flags, ``missing: category``, ``ITEM=COLUMN``)."""
    text = text.replace(str(tmp_path), "DIR")
    text = re.sub(r"^\S+: \S+: ", "", text, flags=re.M)  # FILE:LINE:COL: PATH:
    text = re.sub(r"'[^']*'", "", text)
    text = re.sub(r"--[\w-]+|\bmissing: \w+|\w+=\w+", "", text)
    return [w for w in ENGLISH if re.search(rf"\b{w}\b", text, re.IGNORECASE)]


FAMILIES = [
    # (name, how to make the arguments, exit code, Swedish, English)
    ("unknown column", lambda t: ["calibrate", FULL, _csv(t), "--outcome", "yy"], 1,
     "kolumnen 'yy' med utfallet finns inte i tabellen; menade du 'y'?",
     "no outcome column 'yy' in the table; did you mean 'y'?"),
    ("bad code", lambda t: ["calibrate", FULL, _csv(t, change=lambda f: f.__setitem__("violence", f["violence"].where(
        f.index != 4, "hihg"))), "--outcome", "y"], 1,
     "inte ett svar på frågan 'violence'; förväntat ett av: low, moderate, high (angivet: 'hihg')",
     "not an answer to item 'violence'; expected one of: low, moderate, high (got 'hihg')"),
    ("number expected", lambda t: ["calibrate", FULL, _csv(t, change=lambda f: f.__setitem__(
        "prior_offences", f["prior_offences"].where(f.index != 2, "many"))), "--outcome", "y"], 1,
     "frågan 'prior_offences' besvaras med ett tal (angivet: 'many')",
     "item 'prior_offences' takes a number (got 'many')"),
    ("non-binary outcome", lambda t: ["calibrate", FULL, _csv(t, change=lambda f: f.__setitem__(
        "y", f["y"].where(f.index != 5, "maybe"))), "--outcome", "y"], 1,
     "utfallet måste vara 0 eller 1 (eller ja/nej, true/false, yes/no) (angivet: 'maybe')",
     "the outcome must be 0 or 1 (or yes/no, true/false, ja/nej) (got 'maybe')"),
    ("too few for folds", lambda t: ["calibrate", FULL, _csv(t, change=lambda f: f.__setitem__(
        "y", ["1", "1"] + ["0"] * (len(f) - 2))), "--outcome", "y", "--folds", "5"], 1,
     "2 fall med utfallet 1, färre än de 5 delarna i korsvalideringen",
     "2 case(s) with outcome 1, fewer than the 5 folds"),
    ("unknown spec key", lambda t: ["calibrate", "--spec", _spec(t, "fols: 3\n")], 1,
     "fols: okänd nyckel 'fols'; menade du 'folds'?", "fols: unknown key 'fols'; did you mean 'folds'?"),
    ("spec value", lambda t: ["calibrate", "--spec", _spec(t, "method: magic\nfolds: 1\n")], 1,
     "method: ska vara 'recalibrate', 'logistic' eller 'points'",
     "method: Input should be 'recalibrate', 'logistic' or 'points'"),
    ("out exists", lambda t: ["calibrate", FULL, _csv(t), "--outcome", "y", "--out", _exists(t)], 1,
     "filen finns redan: välj en ny --out (kalibreringen skriver aldrig över en fil)",
     "file exists: choose a new --out (calibration never overwrites)"),
    ("final rating", lambda t: ["calibrate", FULL, _csv(t, change=_rating), "--outcome", "y", "--final-rating",
                                "rating"], 1,
     "inte en nivå i test-full@1.2.0: den slutliga nivån är en av low, moderate, high (eller deras benämningar); "
     "menade du 'high'? (angivet: 'hihg')",
     "not a band of test-full@1.2.0: the final rating is one of low, moderate, high (or their labels); "
     "did you mean 'high'? (got 'hihg')"),
    ("missing category", lambda t: ["calibrate", "--spec", _spec(t, "missing: category\n", _csv(
        t, change=lambda f: f.__setitem__("violence", f["violence"].where(f.index % 7 != 0, ""))))], 1,
     "43 svar saknas på frågan 'violence', och specifikationen säger att ett saknat svar är en egen kategori "
     "(missing: category), vilket bara en fråga med svarskategorier utan ordning kan ha ('violence' har svar i "
     "rangordning)",
     "43 missing answer(s) to item 'violence', and the spec says missing is its own category (missing: category), "
     "which only a categorical item can have ('violence' is ordinal)"),
    ("filter column", lambda t: ["calibrate", "--spec", _spec(t, "where: [{column: sexx, op: '=', value: F}]\n")], 1,
     "kolumnen 'sexx' att filtrera på finns inte i tabellen; menade du 'sex'?",
     "no column 'sexx' to filter on; did you mean 'sex'?"),
    ("no outcome flag", lambda t: ["calibrate", FULL, _csv(t)], 2, "--outcome KOLUMN krävs",
     "--outcome COLUMN is required"),
    ("bad --column", lambda t: ["calibrate", FULL, _csv(t), "--outcome", "y", "--column", "broken"], 2,
     "'broken' har inte formen ITEM=COLUMN (frågans id=kolumnens namn)", "'broken' is not ITEM=COLUMN"),
    ("bad --select", lambda t: ["calibrate", FULL, _csv(t), "--outcome", "y", "--select", "ppv=2"], 2,
     "ppv måste ligga mellan 0 och 1", "ppv must lie between 0 and 1"),
    ("spec and data", lambda t: ["calibrate", FULL, _csv(t), "--spec", _spec(t, "")], 2,
     "ange antingen --spec eller INSTRUMENT och DATA, inte båda",
     "give either --spec or INSTRUMENT and DATA, not both"),
]


def _exists(tmp_path: Path) -> str:
    path = tmp_path / "exists.yaml"
    path.write_text("keep me", "utf-8")
    return str(path)


def _rating(frame) -> None:
    frame["rating"] = "low"
    frame.loc[3, "rating"] = "hihg"


@pytest.mark.parametrize(("name", "make", "code", "swedish", "english"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_errors_are_swedish_by_default_and_english_with_lang_en(tmp_path: Path, name, make, code, swedish,
                                                                english) -> None:
    sv, en, sv_code, en_code = _both(make(tmp_path))
    assert sv_code == code and en_code == code, (sv, en)
    assert swedish in sv, sv
    assert english in en, en
    assert english not in sv
    if code == 1:  # our own lines (a usage error's frame is click's, translated by riskmanual.cli)
        assert not _english_words(sv, tmp_path), (_english_words(sv, tmp_path), sv)
        assert _english_words(en, tmp_path), en  # the check finds English where there is some


def test_an_out_of_range_answer_shows_numbers_in_the_readers_style(tmp_path: Path, full_fractional) -> None:
    instrument, data = full_fractional(tmp_path)
    sv, en, sv_code, _ = _both(["calibrate", instrument, data, "--outcome", "y"])
    assert sv_code == 1
    assert "utanför tillåtna värden för frågan 'prior_offences': förväntat ett tal från 0 till 12,5" in sv, sv
    assert "out of range for item 'prior_offences': expected 0 to 12.5" in en, en


@pytest.fixture
def full_fractional():
    """full.yaml with prior_offences allowed up to 12.5, and a table with 40 in it."""
    def make(tmp_path: Path) -> tuple[str, str]:
        text = Path(FULL).read_text("utf-8")
        start = text.index("  - id: prior_offences")
        block = text[start:text.index("  - id: violence")]
        changed = re.sub(r"max: [0-9.]+", "max: 12.5", block, count=1)
        assert changed != block, block
        path = tmp_path / "full.yaml"
        path.write_text(text.replace(block, changed), "utf-8")
        data = _csv(tmp_path, change=lambda f: f.__setitem__("prior_offences", f["prior_offences"].where(
            f.index != 1, "40")))
        return str(path), data
    return make


def test_simulate_errors_follow_the_language(tmp_path: Path) -> None:
    out = tmp_path / "cohort.csv"
    out.write_text("keep", "utf-8")
    sv, en, sv_code, en_code = _both(["simulate", FULL, "--n", "10", "--seed", "1", "--out", str(out)])
    assert sv_code == en_code == 1
    assert "finns redan" in sv and "already exists" in en
    sv, en, sv_code, en_code = _both(["simulate", FULL, "--n", "10", "--seed", "1", "--out", str(tmp_path / "a.txt")])
    assert sv_code == en_code == 2
    assert "använd en .csv- eller .parquet-fil" in sv and "use a .csv or .parquet file" in en


def test_simulation_parameters_in_swedish_keep_the_value_given(full) -> None:
    with pytest.raises(CalibrationError) as caught:
        simulate(full, 0, 1, missing_rate=-0.5, base_rate=1.5, slope=float("nan"))
    swedish = caught.value.render("sv")
    assert swedish.splitlines()[0] == "ogiltiga parametrar för simuleringen"
    assert "missing_rate måste vara minst 0 och under 1 (angivet: \u22120,5)" in swedish
    assert "base_rate måste ligga mellan 0 och 1, men får inte vara 0 eller 1 (angivet: 1,5)" in swedish
    english = caught.value.render("en")
    assert "missing_rate must be at least 0 and below 1 (got -0.5)" in english
    assert "base_rate must lie strictly between 0 and 1 (got 1.5)" in english


def test_spec_errors_from_pydantic_have_swedish(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("instrument: x\ndata: y.csv\noutcome: z\nfolds: abc\ngroups: 3\nseed: 1.5\nrepeats: 99\n", "utf-8")
    with pytest.raises(CalibrationError) as caught:
        load_spec(spec)
    swedish = "\n".join(issue.render("sv") for issue in caught.value.issues)
    for text in ("folds: ska vara ett heltal; texten går inte att läsa som ett heltal", "groups: ska vara en lista",
                 "seed: ska vara ett heltal, inte ett tal med decimaler", "repeats: får vara högst 50"):
        assert text in swedish, swedish
    english = "\n".join(issue.render("en") for issue in caught.value.issues)
    assert "repeats: Input should be less than or equal to 50" in english
    missing = tmp_path / "missing.yaml"
    missing.write_text("instrument: x\ndata: y.csv\n", "utf-8")
    with pytest.raises(CalibrationError) as caught:
        load_spec(missing)
    assert "outcome: uppgiften saknas men krävs" in caught.value.issues[0].render("sv")
    assert "outcome: Field required" in caught.value.issues[0].render("en")


def test_file_reasons_are_translated() -> None:
    assert file_reason("exists: choose a new name (files are never overwritten)").render("sv") == (
        "finns redan: välj ett nytt namn (filer skrivs aldrig över)")
    assert file_reason("cannot create: Permission denied").render("sv") == "kan inte skapas: Permission denied"
    assert file_reason("something new") == "something new"
