"""The calibration report in Swedish and English: one template, the reader's number style, the
instrument's own labels and population, signs as in the total, missing answers, a verdict that
never contradicts a warning, small groups, and hostile text shown as text."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import string
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("matplotlib")
pytest.importorskip("jinja2")
pytest.importorskip("statsmodels")
pytest.importorskip("sklearn")

from click.testing import CliRunner  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from markupsafe import escape  # noqa: E402

from riskmanual.calibration import CalibrationSettings, calibrate  # noqa: E402
from riskmanual.calibration import metrics as cm  # noqa: E402
from riskmanual.calibration.output import calibrated_instrument, points_diff  # noqa: E402
from riskmanual.calibration.report import Style, render_html, report_language, write_report  # noqa: E402
from riskmanual.calibration.report_figures import LABELS  # noqa: E402
from riskmanual.calibration.report_words import (METHODS, WORDS, group_statement, reason_text,  # noqa: E402
                                                 warning_text)
from riskmanual.cli import cli  # noqa: E402

from .calibration_helpers import synthetic_frame  # noqa: E402
from .conftest import DATA  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
BIN_LABELS = {"sv": ["inga brott", "1–2 brott", "3 brott eller fler"],
              "en": ["no offences", "1–2 offences", "3 or more offences"]}
#: Common English words that must not be seen in the Swedish report (outside code and figures).
ENGLISH = ("the", "and", "of", "with", "for", "to", "is", "are", "points", "score", "scores", "missing", "warning",
           "warnings", "refit", "keep", "cut-off", "group", "groups", "item", "items", "answer", "answers", "outcome",
           "rate", "people", "young", "yes", "no", "none", "chosen", "shrinkage", "current", "total", "figures",
           "selected", "interval", "predicted", "observed", "method", "settings", "question", "proposed", "report",
           "inconclusive", "apparent", "treated", "reference", "protective", "too", "few", "judge", "share", "than")


def visible(page: str) -> str:
    """The page's text as a reader sees it, without its CSS and without identifiers in <code>."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def _instrument(tmp: Path) -> Path:
    """tests/data/full.yaml with declared bin labels and a hostile option label (edited as text:
    YAML 1.1 would read the yes/no keys as booleans)."""
    text = (DATA / "full.yaml").read_text("utf-8")
    for bounds, sv, en in zip(("min: 0, below: 1", "min: 1, below: 3", "min: 3"), BIN_LABELS["sv"], BIN_LABELS["en"]):
        old = f"- {{{bounds}, points:"
        assert text.count(old) == 1, old
        text = text.replace(old, f'- {{{bounds}, label: {{sv: "{sv}", en: "{en}"}}, points:')
    old = "{code: truant, label: {sv: Skolk, en: Truant}"
    assert text.count(old) == 1
    text = text.replace(old, f'{{code: truant, label: {{sv: "Skolk {SCRIPT}", en: "Truant {SCRIPT}"}}')
    path = tmp / "labelled.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("lang")
    frame = synthetic_frame(900, seed=5)
    frame.loc[:59, "violence"] = ""
    frame["unit"] = np.where(np.arange(len(frame)) < 12, "tiny", "main")
    result = calibrate(CalibrationSettings(instrument=str(_instrument(tmp)), data="-", outcome="y", folds=3,
                                           method="points", groups=["sex", "unit"]), frame=frame)
    result.metrics["points_diff"] = points_diff(result)
    result.metrics["instrument"]["new_version"] = calibrated_instrument(result).version
    return result


@pytest.fixture(scope="module")
def pages(run: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = {}
    for lang in ("sv", "en"):
        folder = tmp_path_factory.mktemp(f"report-{lang}")
        write_report(run.metrics, run.arrays, folder / "r", lang=lang)
        out[lang] = (folder / "r" / "report.html").read_text("utf-8")
        out[f"{lang}-path"] = str(folder / "r" / "report.html")
    return out


def test_both_languages_render_from_one_template(pages: dict[str, str]) -> None:
    templates = Path(__import__("riskmanual.calibration", fromlist=["x"]).__file__).parent / "templates"
    assert sorted(p.name for p in templates.iterdir()) == ["report.html.j2"]
    assert '<html lang="sv">' in pages["sv"] and "Kalibreringsrapport" in pages["sv"]
    assert '<html lang="en">' in pages["en"] and "Recalibration report" in pages["en"]
    for lang in ("sv", "en"):
        w = {k: v[lang] for k, v in WORDS.items()}
        for key in ("used", "warnings", "verdict.heading", "headline", "figures", "rates", "points", "cutoffs",
                    "groups", "missing", "settings"):
            assert html_lib.escape(w[key], quote=False) in pages[lang], (lang, key)
        assert pages[lang].count('src="data:image/png;base64,') == 6


def test_the_used_items_come_first(pages: dict[str, str]) -> None:
    for lang in ("sv", "en"):
        page = pages[lang]
        used = page.index(WORDS["used"][lang])
        assert used < page.index(WORDS["warnings"][lang]) < page.index(WORDS["verdict.heading"][lang])


def test_swedish_number_style(pages: dict[str, str], run: Any) -> None:
    text = visible(pages["sv"])
    assert not re.search(r"(?<![\d.])\d+\.\d+(?![\d.])", text), "a decimal point in the Swedish report"
    auc = f"{run.metrics['cv']['auc']:.3f}"
    assert auc.replace(".", ",") in text and auc in visible(pages["en"])
    assert "\u00a0%" in text and re.search(r"\d\u00a0%", text)
    assert "\u2212" in text  # the protective points' minus sign
    sv, en = Style("sv"), Style("en")
    assert sv.count(12345) == "12\u00a0345" and en.count(12345) == "12,345" and sv.count(1500) == "1500"
    assert sv.num(-0.0241) == "\u22120,024" and en.num(-0.0241) == "-0.024" and sv.num(-0.0001) == "0,000"
    assert sv.pct(0.455) == "45,5\u00a0%" and en.pct(0.455) == "45.5%"
    assert sv.interval([0.61, 0.7]) == "0,610\u20130,700" and en.interval([0.61, 0.7]) == "0.610 to 0.700"
    assert sv.interval([-0.024, 0.105], "signed") == "\u22120,024 till +0,105"
    assert sv.signed_score(-3) == "\u22123" and en.signed_score(2.5) == "+2.5" and sv.signed_score(0) == "0"
    assert sv.seconds(0.001) == "under 0,01 s" and sv.seconds(1.234) == "1,23 s"
    assert sv.show(True) == "ja" and en.show([]) == "none" and sv.num(float("nan")) == "\u2013"


def test_declared_bin_labels_and_no_interval_notation(pages: dict[str, str]) -> None:
    for lang in ("sv", "en"):
        text = visible(pages[lang])
        for label in BIN_LABELS[lang]:
            assert label in text, (lang, label)
        assert not re.search(r"[\[(]\s*-?\d+(?:[.,]\d+)?\s*,\s*-?\d+(?:[.,]\d+)?\s*[\])]", text), lang
    assert "under 18" in visible(pages["sv"]) and "22 eller mer" in visible(pages["sv"])  # composed, no label


def _used_row(page: str, item: str) -> str:
    match = re.search(rf"<tr><td><code>{item}</code></td>(.*?)</tr>", page, re.S)
    assert match, item
    return match.group(1)


def test_protective_points_have_their_sign_in_the_total(pages: dict[str, str], run: Any) -> None:
    rows = [r for r in run.metrics["points_diff"] if r["item"] == "adult" and r["code"] == "yes"]
    assert rows and rows[0]["sign"] == -1 and rows[0]["new"] > 0  # the instrument's points: subtracted
    for lang, word, yes in (("sv", "skyddande", "ja"), ("en", "protective", "yes")):
        row = _used_row(pages[lang], "adult")
        assert f"({word})" in row and re.search(rf"{yes}: <strong>\u2212\d", row), row


def test_pruned_items_are_named_under_the_used_items(pages: dict[str, str], run: Any) -> None:
    pruned = run.metrics.get("pruned") or []
    for lang in ("sv", "en"):
        page = pages[lang]
        if pruned:
            part = page[page.index(escape(WORDS["pruned"][lang])):page.index(WORDS["warnings"][lang])]
            assert all(f"<code>{item}</code>" in part for item in pruned)
        page = render_html({"n": 1, "points_diff": [{"item": "a", "code": "yes", "old": 1, "new": 1}],
                            "pruned": ["b_item"]}, {}, lang=lang)
        assert escape(WORDS["pruned"][lang]) in page and "<code>b_item</code>" in page


def test_the_figures_words_are_swedish() -> None:
    for key, texts in LABELS.items():
        words_sv = re.sub(r"\{[^}]*\}", " ", texts["sv"])
        found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", words_sv, re.I)]
        assert not found, (key, found)


def test_the_population_word(pages: dict[str, str]) -> None:
    assert " unga" in visible(pages["sv"]) and "young people" in visible(pages["en"])
    for lang, word, absent in (("sv", "personer", "unga"), ("en", "people", "young people")):
        page = render_html({"n": 10, "population_word": "people", "cv": {}, "comparison": {}}, {}, lang=lang)
        assert f"10 {word}," in visible(page) and not re.search(rf"\b{absent}\b", visible(page))


def test_the_missing_answers_section(pages: dict[str, str], run: Any) -> None:
    assert run.metrics["missing"]["violence"] == 60
    for lang in ("sv", "en"):
        page = pages[lang]
        section = page[page.index(f'<h2 id="missing">'):]
        assert re.search(r"<code>violence</code></td><td>60</td>", section), lang
        assert escape(WORDS["treated.reference"][lang]) in section and escape(WORDS["missing.reference"][lang]) in section
    page = render_html({"n": 10, "missing": {"a": 0}, "settings": {"missing": "error"}}, {}, lang="sv")
    assert WORDS["missing.error"]["sv"] in page and WORDS["missing.none"]["sv"] in page


def test_no_english_words_in_the_swedish_report(pages: dict[str, str]) -> None:
    text = visible(pages["sv"])
    found = sorted({word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I)})
    assert not found, found
    assert 'lang="en"' not in pages["sv"]  # nothing was left as the program wrote it


def test_hostile_text_is_escaped_and_control_characters_shown(pages: dict[str, str]) -> None:
    for lang in ("sv", "en"):
        assert "<script" not in pages[lang].lower()
        assert html_lib.escape(SCRIPT, quote=False) in pages[lang]
    metrics = {"n": 5, "data": {"source": "cohort\x1b[31m.csv\x07"}, "instrument": {"id": "x", "version": "1.0.0"},
               "points_diff": [{"item": "a", "label": f"A {SCRIPT}\x1b]0;title\x07", "label_sv": f"A\u202e {SCRIPT}",
                                "code": "yes", "old": 1, "new": 2, "used": True}],
               "groups": {"unit\x1b": {"groups": {f"{SCRIPT}\x00": {"n": 3, "too_few": True}}, "min_size": 30}}}
    for lang in ("sv", "en"):
        page = render_html(metrics, {}, lang=lang)
        assert "<script" not in page.lower()
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", page), lang
        assert "\\x1b" in page and "\\x07" in page and "\\x00" in page
    assert "\\u202e" in render_html(metrics, {}, lang="sv")


def _verdict_metrics(verdict: str, warnings: list[str], reasons: list[str]) -> dict[str, Any]:
    return {"n": 300, "chosen": "points", "method": "points", "warnings": warnings,
            "verdict": "English text of the run",
            "comparison": {"current points": {"auc": 0.66, "calibration_slope": 0.98},
                           "points": {"auc": 0.69, "calibration_slope": 0.91}},
            "decision": {"verdict": verdict, "reasons": reasons, "min_calibration_slope": 0.85,
                         "test": {"method": "paired DeLong", "difference": 0.03, "ci": [-0.01, 0.07]}}}


def test_the_verdict_never_contradicts_a_warning() -> None:
    few = ("only 40 outcome events for 8 scored items (5.0 per item, fewer than 10): refitted points will be "
           "unstable; prefer recalibration or the current points")
    for lang in ("sv", "en"):
        refit = escape(WORDS["verdict.refit"][lang].format(name=METHODS["points"][lang]))
        page = render_html(_verdict_metrics("refit", [], []), {}, lang=lang)
        assert refit in page and ("+0,030" if lang == "sv" else "+0.030") in page
        page = render_html(_verdict_metrics("refit", [few], []), {}, lang=lang)
        assert refit not in page
        assert escape(WORDS["verdict.inconclusive"][lang].format(name=METHODS["points"][lang])) in page
        assert WORDS["verdict.downgraded"][lang] in page
        page = render_html(_verdict_metrics("inconclusive", [few, "English text of the run"],
                                            ["the interval of the AUC difference includes zero"]), {}, lang=lang)
        assert WORDS["verdict.see"][lang] in page and "English text of the run" not in page
        assert reason_text("the interval of the AUC difference includes zero", lang, str)[1]
    sv = render_html(_verdict_metrics("inconclusive", [few], ["the interval of the AUC difference includes zero"]),
                     {}, lang="sv")
    assert "\u22120,010 till +0,070" in sv and "bara 40 fall med utfallet på 8 poänggivande frågor (5 per fråga" in sv


def test_the_runs_warnings_are_translated() -> None:
    # The sentences riskmanual/calibration/data.py and run.py write (their exact wording).
    texts = [
        "column 'age' appears 2 times with identical values; one copy is used",
        "only 40 outcome events for 8 scored items (5.0 per item, fewer than 10): refitted points will be unstable; "
        "prefer recalibration or the current points",
        "the cross-validated calibration slope of points is 0.62, below 0.85: its probabilities are too extreme for "
        "new cases; the written probability is shrunk by this slope",
        "the instrument gives the final rating to the assessor, but no final_rating column was named: only the "
        "computed points are evaluated",
        "protective items on a separate scale (adult, mentor): their values are checked; recalibration keeps them on "
        "their own scale, outside the total",
        "protective items on a separate scale (adult): their values are checked; the refit gives them their own "
        "weights in the total, and a new version that uses any of them subtracts the protective scale from the total "
        "(scoring: protective: subtract)",
    ]
    for text in texts:
        sv, known = warning_text(text, "sv", lambda v: Style("sv").show(v))
        assert known and sv != text, text
        assert "0,62" in sv or "0.62" not in text
        assert warning_text(text, "en", str)[1]
    for reason in ("the current points discriminate better", "too few events per item for a stable refit (see the "
                   "warnings)", "the refit's calibration slope is below 0.85 (its probabilities are too extreme)",
                   "recalibration keeps the points by design"):
        assert reason_text(reason, "sv", str)[1], reason
    assert warning_text("something new", "sv", str) == ("something new", False)


def test_a_small_run_with_warnings_is_all_swedish(tmp_path: Path) -> None:
    frame = synthetic_frame(160, seed=11)
    result = calibrate(CalibrationSettings(instrument=str(DATA / "full.yaml"), data="-", outcome="y", folds=3,
                                           method="logistic"), frame=frame)
    assert result.metrics["warnings"]
    result.metrics["points_diff"] = points_diff(result)
    write_report(result.metrics, result.arrays, tmp_path / "r", lang="sv")
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert 'lang="en"' not in page, [w for w in result.metrics["warnings"]]
    if result.metrics["decision"]["verdict"] != "refit":
        assert WORDS["verdict.refit"]["sv"].split(":")[0] not in page  # "Byt till de nya poängen"


def test_small_groups_are_too_few_to_judge_and_others_have_intervals(pages: dict[str, str], run: Any) -> None:
    assert run.metrics["groups"]["unit"]["groups"]["tiny"]["too_few"]
    for lang in ("sv", "en"):
        page = pages[lang]
        assert WORDS["too_few"][lang].format(min=30) in page
        row = re.search(r"<tr><td>F</td>(.*?)</tr>", page, re.S).group(1)
        assert row.count("(") >= 4, row  # AUC, observed minus predicted, FPR and FNR with their intervals
    assert "(0," in re.search(r"<tr><td>F</td>(.*?)</tr>", pages["sv"], re.S).group(1)


def test_the_english_group_sentence_agrees_with_the_runs(run: Any) -> None:
    en = Style("en")
    for column, block in run.metrics["groups"].items():
        built = group_statement(column, block["groups"], block["min_size"], "en", en.pct, en.signed_pct)
        assert built == block["statement"]
    rows = {"a": {"n": 40, "too_few": False, "base_rate": 0.2, "false_positive_rate": 0.1, "false_negative_rate": 0.3,
                  "calibration_in_the_large": 0.012},
            "b": {"n": 50, "too_few": False, "base_rate": 0.4, "false_positive_rate": 0.2, "false_negative_rate": 0.25,
                  "calibration_in_the_large": -0.034},
            "c": {"n": 3, "too_few": True}}
    assert group_statement("g", rows, 30, "en", en.pct, en.signed_pct) == cm._statement("g", rows, 30)


def test_every_word_has_swedish_and_english_with_the_same_fields() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for table in (WORDS, METHODS, LABELS):
        for key, texts in table.items():
            assert set(texts) == {"sv", "en"} and texts["sv"].strip() and texts["en"].strip(), key
            assert fields(texts["sv"]) == fields(texts["en"]), key


def test_report_language_follows_the_cli_rules() -> None:
    class Instrument:
        languages = ["en", "sv"]

    assert report_language("sv", Instrument()) == "sv"
    assert report_language(None, Instrument()) == "en"
    assert report_language(None, None) == "sv"


def test_calibrate_lang_option_and_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "cohort.csv"
    synthetic_frame(300, seed=4).to_csv(data, index=False)
    monkeypatch.delenv("RISKMANUAL_LANG", raising=False)
    base = ["calibrate", str(DATA / "full.yaml"), str(data), "--outcome", "y", "--folds", "3"]
    for extra, env, lang in (([], None, "sv"), (["--lang", "en"], None, "en"), ([], "en", "en")):
        if env:
            monkeypatch.setenv("RISKMANUAL_LANG", env)
        folder = tmp_path / f"r-{len(extra)}-{env}"
        result = CliRunner().invoke(cli, [*base, *extra, "--report", str(folder)])
        assert result.exit_code == 0, result.output
        assert f'<html lang="{lang}">' in (folder / "report.html").read_text("utf-8")
    monkeypatch.setenv("RISKMANUAL_LANG", "fi")
    result = CliRunner().invoke(cli, [*base, "--report", str(tmp_path / "bad")])
    assert result.exit_code == 2 and "RISKMANUAL_LANG" in result.output


CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium at /usr/bin/chromium or on PATH")
def test_the_report_opens_in_chromium_without_errors(pages: dict[str, str], tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        except Exception as exc:  # noqa: BLE001 - any failure to start is a reason to skip, with the reason
            pytest.skip(f"Chromium does not start under playwright: {exc}")
        try:
            for lang in ("sv", "en"):
                page = browser.new_page(viewport={"width": 1000, "height": 1400})
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("dialog", lambda d: errors.append(f"a dialog opened: {d.message}"))
                page.goto(Path(pages[f"{lang}-path"]).as_uri())
                page.wait_for_load_state("load")
                widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
                assert len(widths) == 6 and min(widths) > 300
                # nothing wider than the window: the wide tables scroll inside the page
                assert page.evaluate("document.documentElement.scrollWidth") <= 1000
                body = page.inner_text("body")
                assert SCRIPT in body  # shown as text, never run
                page.screenshot(path=str(tmp_path / f"{lang}.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []


def _leading_texts(node: Any) -> list[str]:
    """The literal text each possible value of a message expression starts with."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        text = ""
        for part in node.values:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                break
            text += part.value
        return [text]
    if isinstance(node, ast.BinOp):
        return _leading_texts(node.left)
    if isinstance(node, ast.IfExp):
        return _leading_texts(node.body) + _leading_texts(node.orelse)
    return []  # a name (the verdict itself, shown as the verdict)


def test_every_warning_and_reason_the_run_writes_has_swedish() -> None:
    """A drift guard: each ``warnings.append(...)`` / ``reasons.append(...)`` in the calibration
    package starts like one of the sentences report_words translates."""
    import ast

    from riskmanual.calibration import report_words

    tables = {"warnings": [t["en"] for _, t in report_words._WARNINGS],
              "reasons": [t["en"] for _, t in report_words._REASONS]}
    seen = {"warnings": 0, "reasons": 0}
    for path in sorted(Path(report_words.__file__).parent.glob("*.py")):
        if path.name.startswith("report"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
                    and node.args):
                continue
            target = node.func.value
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name not in tables:
                continue
            for prefix in _leading_texts(node.args[0]):
                seen[name] += 1
                assert prefix and any(t.startswith(prefix) for t in tables[name]), f"{path.name}:{node.lineno}: {prefix!r}"
    assert seen["warnings"] >= 5 and seen["reasons"] >= 4


def test_the_assessors_final_rating_has_its_section(tmp_path: Path) -> None:
    text = (DATA / "full.yaml").read_text("utf-8").replace("judgement:\n", "judgement:\n  final_rating: assessor\n", 1)
    spj = tmp_path / "spj.yaml"
    spj.write_text(text, "utf-8")
    frame = synthetic_frame(900, seed=12)
    rng = np.random.default_rng(1)
    level = np.digitize(frame["y"].astype(int).to_numpy() + rng.normal(0, 0.8, len(frame)), [0.3, 0.9])
    frame["rating"] = np.array(["low", "moderate", "high"])[level]
    result = calibrate(CalibrationSettings(instrument=str(spj), data="-", outcome="y", folds=3, method="recalibrate",
                                           final_rating="rating"), frame=frame)
    result.metrics["points_diff"] = points_diff(result)
    rating = result.metrics["final_rating"]
    for lang, band in (("sv", "Måttlig"), ("en", "Moderate")):
        page = render_html(result.metrics, {}, lang=lang)
        section = page[page.index('<h2 id="final">'):page.index('<h2 id="missing">')]
        assert escape(WORDS["final"][lang]) in section and "<code>rating</code>" in section
        assert Style(lang).num(rating["auc"]) in section and f"<td>{band}</td>" in section
    assert 'lang="en"' not in render_html(result.metrics, {}, lang="sv")


def test_missing_as_its_own_category_is_said_per_item(tmp_path: Path) -> None:
    frame = synthetic_frame(900, seed=13)
    frame.loc[:79, "school"] = ""
    result = calibrate(CalibrationSettings(instrument=str(DATA / "full.yaml"), data="-", outcome="y", folds=3,
                                           method="logistic", missing="category"), frame=frame)
    result.metrics["points_diff"] = points_diff(result)
    own = {r["item"] for r in result.metrics["points_diff"] if r["code"] == "not_recorded"}
    assert "school" in own
    for lang in ("sv", "en"):
        page = render_html(result.metrics, {}, lang=lang)
        section = page[page.index('<h2 id="missing">'):]
        assert escape(WORDS["missing.category"][lang]) in section
        school = re.search(r"<code>school</code></td>(.*?)</tr>", section, re.S).group(1)
        assert escape(WORDS["treated.category"][lang]) in school
        gang = re.search(r"<code>gang</code></td>(.*?)</tr>", section, re.S).group(1)  # conditional: reference
        assert escape(WORDS["treated.reference"][lang]) in gang
    assert 'lang="en"' not in render_html(result.metrics, {}, lang="sv")


def test_control_characters_in_instrument_text_never_reach_the_report(tmp_path: Path) -> None:
    from riskmanual.errors import RiskmanualError

    text = (DATA / "full.yaml").read_text("utf-8").replace("{code: truant, label: {sv: Skolk, en: Truant}",
                                                          '{code: truant, label: {sv: "Skolk\\x1b[31m", en: "Truant"}')
    path = tmp_path / "ctrl.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(RiskmanualError):  # refused when the instrument loads, before any report
        calibrate(CalibrationSettings(instrument=str(path), data="-", outcome="y", folds=3),
                  frame=synthetic_frame(100, seed=1))


@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_swedish_and_english_numbers_say_the_same(value: float, digits: int) -> None:
    sv, en = Style("sv").num(value, digits), Style("en").num(value, digits)
    assert "." not in sv and "-" not in sv and ("." not in en or "," not in en.split(".")[1])
    back_sv = float(sv.replace("\u2212", "-").replace("\u00a0", "").replace(",", "."))
    back_en = float(en.replace(",", ""))
    assert back_sv == back_en == pytest.approx(round(value, digits), abs=10 ** -digits)
    assert Style("sv").pct(value / 1e7).endswith("\u00a0%") and Style("en").pct(value / 1e7).endswith("%")
