"""The calibration report: ``metrics.json``, six PNG figures and one self-contained HTML page.

:func:`write_report` takes the ``metrics`` dictionary and the out-of-fold ``arrays`` that the
calibration run produces and writes them into a directory. The HTML page (one jinja2 template,
``templates/report.html.j2``, for both languages) embeds its figures as base64 data URIs and its
CSS inline, so it can be mailed or archived as a single file; it is written for a social-services
manager, in Swedish or English (``lang``), with a plain sentence under every figure. This module
only builds the page's data: words come from :mod:`.report_words`, figures from :mod:`.report_figures`.

Heavy libraries (numpy, matplotlib, statsmodels, scikit-learn, jinja2) are imported inside
the functions that need them, so importing this module stays cheap.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

from ..numbers import EN_DASH, MINUS, NBSP
from ..messages import tr
from ..numbers import fixed
from ..numbers import number as _number
from .report_figures import FIGURE_NAMES
from .report_words import (WORDS, against_refit, group_statement, method_name, people_word, reason_text,
                           warning_text, words)

__all__ = ["FIGURES", "Style", "json_safe", "render_html", "report_language", "write_report"]

#: The figures, in the order the report shows them: (file name, heading, explanation) in English.
FIGURES: tuple[tuple[str, str, str], ...] = tuple(
    (name, WORDS[f"fig.{name[:-4]}.title"]["en"], WORDS[f"fig.{name[:-4]}.text"]["en"]) for name in FIGURE_NAMES)

DASH = EN_DASH
CURRENT = "current points"


# --------------------------------------------------------------------------------------------
# JSON


def json_safe(value: Any) -> Any:
    """A copy of ``value`` that ``json.dumps(..., allow_nan=False)`` accepts.

    Walks dicts, lists and tuples; NaN and infinities become None, numpy scalars and arrays
    become Python numbers and lists, and dictionary keys that JSON cannot take become strings.
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, dict):
        return {_json_key(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Path):
        return str(value)
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return json_safe(tolist())
    return value


def _json_key(key: Any) -> Any:
    if isinstance(key, str) or key is None or isinstance(key, bool):
        return key
    if isinstance(key, int):
        return int(key)
    return str(key)


# --------------------------------------------------------------------------------------------
# Entry point


def write_report(metrics: dict[str, Any], arrays: dict[str, Any], directory: str | Path, *,
                 force: bool = False, lang: str = "en") -> list[Path]:
    """Write ``metrics.json``, the six figures and ``report.html`` (in ``lang``: ``sv`` or ``en``)
    as the folder ``directory``.

    The folder is written whole into a temporary folder and renamed into place
    (:func:`riskmanual.files.write_folder`): an existing non-empty folder is refused unless
    ``force``, and no symbolic link is ever followed. Returns the paths written.
    """
    from ..errors import Issue
    from ..files import FileWriteError, write_folder
    from .data import CalibrationError
    from .report_figures import draw_figures

    lang = "sv" if lang == "sv" else "en"
    clean = json_safe(metrics)
    style = Style(lang)
    files: dict[str, str | bytes] = {"metrics.json": json.dumps(clean, indent=2, allow_nan=False) + "\n"}
    chosen = str(clean.get("chosen") or clean.get("method") or "")
    figures = draw_figures(clean, arrays, lang=lang, fmt=style.formatters(),
                           current=method_name(CURRENT, lang), method=method_name(chosen, lang))
    files.update(figures)
    files["report.html"] = render_html(clean, figures, lang=lang)
    try:
        return write_folder(directory, files, force=force)
    except FileWriteError as exc:
        from .data import file_reason

        raise CalibrationError(tr("{file}: report not written", file=exc.path),
                               [Issue(file_reason(exc.reason), file=exc.path)]) from None


def report_language(asked: str | None, instrument: Any = None) -> str:
    """The report's language as every command chooses one: ``--lang`` (or ``$RISKMANUAL_LANG``,
    given as ``asked``), else the instrument's first language, else Swedish."""
    from ..messages import DEFAULT_LANGUAGE, LANGUAGES

    first = (getattr(instrument, "languages", None) or [None])[0]
    return next((lang for lang in (asked, first) if lang in LANGUAGES), DEFAULT_LANGUAGE)


# --------------------------------------------------------------------------------------------
# Numbers in the report's language (also the template's filters)


def _missing(value: Any) -> bool:
    """True for None, NaN, infinities, non-numbers and jinja2's undefined values."""
    if isinstance(value, bool):
        return False
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except Exception:  # noqa: BLE001 - jinja2's Undefined raises its own error on float()
        return True


class Style:
    """Numbers as the report's reader writes them: ``0,731``, ``45,5 %``, ``−1`` and ``0,70–0,75``
    in Swedish (decimal comma, space between thousands, see :mod:`riskmanual.numbers`);
    ``0.731``, ``45.5%``, ``0.70 to 0.75`` in English. Every missing number is a dash."""

    def __init__(self, lang: str) -> None:
        self.lang = "sv" if lang == "sv" else "en"
        self.sv = self.lang == "sv"

    def num(self, value: Any, digits: int = 3) -> str:
        """A fixed number of decimals (``0,730``), no ``-0``."""
        return DASH if _missing(value) else fixed(float(value), self.lang, digits)

    def signed(self, value: Any, digits: int = 3) -> str:
        """``+0,031``, ``−0,024``; zero has no sign."""
        text = self.num(value, digits)
        return text if _missing(value) or text[0] in (MINUS, "-") or not text.strip("0.,") else "+" + text

    def pct(self, value: Any, digits: int = 1) -> str:
        return DASH if _missing(value) else self.num(100 * float(value), digits) + (NBSP + "%" if self.sv else "%")

    def signed_pct(self, value: Any, digits: int = 1) -> str:
        return DASH if _missing(value) else self.signed(100 * float(value), digits) + (NBSP + "%" if self.sv else "%")

    def points_diff(self, value: Any, digits: int = 1) -> str:
        """A difference of two rates in percentage points (the column says so), with its sign."""
        return DASH if _missing(value) else self.signed(100 * float(value), digits)

    def count(self, value: Any) -> str:
        """A count; a mean count over repeats keeps one decimal."""
        return DASH if _missing(value) else _number(float(value), self.lang, 1)

    def score(self, value: Any) -> str:
        """A score or points: whole numbers without decimals, others with up to two."""
        return DASH if _missing(value) else _number(float(value), self.lang, 2)

    def signed_score(self, value: Any) -> str:
        """Points as they enter the total: ``+2``, ``−1`` (a true minus sign), ``0``."""
        if _missing(value):
            return DASH
        number = float(value)
        text = _number(abs(number), self.lang, 2)
        return "0" if text == "0" else ("+" if number > 0 else MINUS) + text

    def interval(self, pair: Any, kind: str = "num", digits: int | None = None) -> str:
        """``0,70–0,75`` (``−0,02 till 0,10`` with a negative bound); ``0.70 to 0.75`` in English."""
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or _missing(pair[0]) or _missing(pair[1]):
            return DASH
        if kind == "pct" and self.sv and min(float(pair[0]), float(pair[1])) >= 0:  # 7,6–11,9 %: the sign once
            return f"{self.num(100 * float(pair[0]), digits or 1)}{EN_DASH}{self.pct(pair[1], digits or 1)}"
        if kind == "pct":
            low, high = self.pct(pair[0], digits or 1), self.pct(pair[1], digits or 1)
        elif kind == "pp":
            low, high = self.points_diff(pair[0], digits or 1), self.points_diff(pair[1], digits or 1)
        elif kind == "signed":
            low, high = self.signed(pair[0], digits or 3), self.signed(pair[1], digits or 3)
        else:
            low, high = self.num(pair[0], digits or 3), self.num(pair[1], digits or 3)
        if self.sv and not (float(pair[0]) < 0 or float(pair[1]) < 0 or kind in ("pp", "signed")):
            return f"{low}{EN_DASH}{high}"
        return f"{low} {WORDS['to'][self.lang]} {high}"

    def seconds(self, value: Any) -> str:
        if _missing(value):
            return DASH
        number = float(value)
        if number < 0.01:
            return WORDS["under_10ms"][self.lang]
        return f"{self.num(number, 2) if number < 10 else self.count(round(number))} s"

    def show(self, value: Any) -> str:
        """Any setting, readably."""
        if isinstance(value, bool):
            return WORDS["yes" if value else "no"][self.lang]
        if value is None or type(value).__name__ == "Undefined":
            return DASH
        if isinstance(value, float):
            return DASH if not math.isfinite(value) else _number(value, self.lang, 6)
        if isinstance(value, int):
            return _number(value, self.lang, 0)
        if isinstance(value, (list, tuple)):
            return ", ".join(self.show(v) for v in value) if value else WORDS["none"][self.lang]
        if isinstance(value, dict):
            return "; ".join(f"{k}: {self.show(v)}" for k, v in value.items()) if value else WORDS["none"][self.lang]
        return str(value)

    def formatters(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("num", "signed", "pct", "signed_pct", "points_diff", "count",
                                                         "score", "signed_score", "interval", "seconds", "show")}


def _f(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


# --------------------------------------------------------------------------------------------
# The page's data


def _verdict(metrics: dict[str, Any], style: Style, w: dict[str, str]) -> dict[str, Any]:
    """Refit, keep or inconclusive in the report's words, from ``metrics["decision"]``.

    A "refit" is shown as inconclusive when a warning on the same page speaks against refitting
    (too few events per item, too steep a calibration slope), so the page never contradicts itself.
    Old metrics without a decision show the run's own sentence as it was written.
    """
    decision = metrics.get("decision")
    if not isinstance(decision, dict) or not decision.get("verdict"):
        return {"verdict": None, "headline": str(metrics.get("verdict") or DASH), "as_written": True,
                "details": "", "reasons": []}
    comparison = metrics.get("comparison") or {}
    chosen = str(metrics.get("chosen") or metrics.get("method") or "")
    verdict = str(decision["verdict"])
    reasons = [str(r) for r in decision.get("reasons") or []]
    if verdict == "refit" and any(against_refit(x) for x in metrics.get("warnings") or []):
        verdict = "inconclusive"
        reasons.append(WORDS["verdict.downgraded"]["en"])
    test = decision.get("test")
    current = comparison.get(CURRENT) or {}
    if not test:
        headline = w["verdict.recalibrate"] if chosen.startswith(CURRENT) else w.get(f"verdict.{verdict}", "").format(
            name=method_name(chosen, style.lang))
        details = w["verdict.current"].format(auc=style.num(current.get("auc")),
                                              slope=style.num(current.get("calibration_slope"), 2))
        if chosen.startswith(CURRENT):  # "keeps the points by design" is the headline itself
            reasons = [r for r in reasons if r != "recalibration keeps the points by design"]
    else:
        refit = comparison.get(chosen) or {}
        headline = w[f"verdict.{verdict}"].format(name=method_name(chosen, style.lang)) if f"verdict.{verdict}" in w \
            else str(metrics.get("verdict") or verdict)
        details = w["verdict.test"].format(
            refit=style.num(refit.get("auc")), current=style.num(current.get("auc")),
            difference=style.signed(test.get("difference")), ci=style.interval(test.get("ci"), "signed"),
            slope=style.num(refit.get("calibration_slope"), 2), min=style.num(decision.get("min_calibration_slope"), 2))
    shown = [reason_text(r, style.lang, lambda v: _number(v, style.lang, 2)) for r in reasons]
    return {"verdict": verdict, "headline": headline, "as_written": False, "details": details,
            "reasons": [{"text": text, "known": known} for text, known in shown]}


def _warnings(metrics: dict[str, Any], style: Style, w: dict[str, str]) -> list[dict[str, Any]]:
    """The run's warnings in the report's language; the verdict itself (the run adds it when it
    is not a refit) becomes a pointer to the verdict."""
    out = []
    for text in metrics.get("warnings") or []:
        if metrics.get("verdict") and text == metrics.get("verdict") and metrics.get("decision"):
            out.append({"text": w["verdict.see"], "known": True})
            continue
        shown, known = warning_text(text, style.lang, lambda v: _number(v, style.lang, 2))
        out.append({"text": shown, "known": known})
    return out


def _selection_reason(selected: dict[str, Any], n: Any, style: Style, w: dict[str, str]) -> str:
    rule, _, value = str(selected.get("rule") or "").partition("=")
    try:
        number = float(value)
    except ValueError:
        return str(selected.get("reason") or DASH)
    if rule == "capacity":
        limit = number if number >= 1 else number * _f(n)
        return w["rule.capacity"].format(limit=style.count(round(limit)) if math.isfinite(limit) else DASH)
    if rule in ("sensitivity", "ppv", "threshold"):
        return w[f"rule.{rule}"].format(value=style.pct(number, 0))
    return str(selected.get("reason") or DASH)


def _points(metrics: dict[str, Any], lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The old-and-new points rows (each with its points as they enter the total), and the items
    the new score uses with their answers."""
    rows, used = [], {}
    for row in metrics.get("points_diff") or []:
        old, new = row.get("old"), row.get("new")
        changed = _missing(old) != _missing(new) or (not _missing(old) and not math.isclose(_f(old), _f(new)))
        sign = row.get("sign", 1) or 1
        label = (row.get("label_sv") if lang == "sv" else None) or row.get("label")
        answer = (row.get("answer_sv") if lang == "sv" else None) or row.get("answer") or row.get("code")
        if answer == row.get("code") and answer in ("yes", "no"):  # a yes/no item has no option labels
            answer = WORDS[str(answer)][lang]
        entry = {"item": row.get("item"), "label": label, "answer": answer, "changed": changed,
                 "protective": row.get("protective"),
                 "old_total": None if _missing(old) else _f(old) * sign,
                 "new_total": None if _missing(new) else _f(new) * sign}
        rows.append(entry)
        if row.get("used") if "used" in row else (not _missing(new) and abs(_f(new)) > 1e-9):
            used.setdefault(row.get("item"), {"item": row.get("item"), "label": label, "protective": row.get("protective"),
                                              "answers": []})["answers"].append(entry)
    return rows, list(used.values())


def _groups(metrics: dict[str, Any], style: Style) -> list[dict[str, Any]]:
    out = []
    for column, block in (metrics.get("groups") or {}).items():
        rows = block.get("groups") or {}
        min_size = block.get("min_size") or 30
        if style.lang == "en" and block.get("statement"):
            statement = str(block["statement"])
        else:
            difference = style.signed_pct if style.lang == "en" else (
                lambda v: f"{style.points_diff(v)} {WORDS['pts'][style.lang]}")
            statement = group_statement(str(column), rows, int(min_size), style.lang, style.pct, difference)
        out.append({"column": column, "min_size": min_size, "statement": statement,
                    "rows": [{"value": value, **row} for value, row in rows.items()]})
    return out


def _context(metrics: dict[str, Any], figures: dict[str, bytes], lang: str) -> dict[str, Any]:
    style = Style(lang)
    w = words(lang)
    people = people_word(metrics.get("population_word"), lang)
    selected = metrics.get("selected_cutoff") or {}
    chosen = _f(selected.get("cutoff"))
    cutoffs, marked = [], False
    for row in metrics.get("cutoffs") or []:
        is_selected = not marked and math.isfinite(chosen) and math.isclose(_f(row.get("cutoff")), chosen,
                                                                           rel_tol=1e-9, abs_tol=1e-9)
        marked = marked or is_selected
        cutoffs.append({**row, "is_selected": is_selected})
    repeats = (metrics.get("settings") or {}).get("repeats") or 1
    comparison = []
    for name, row in (metrics.get("comparison") or {}).items():
        row = row or {}
        basis = row.get("auc_basis")
        if basis:
            basis = w["basis.rank"] if str(basis).startswith("rank") else w["basis.pooled"].format(
                mean=style.num(row.get("auc_fold_mean"))) + (
                "; " + w["basis.repeats"].format(repeats=repeats) if repeats > 1 else "")
        comparison.append({**row, "name": name, "label": method_name(name, lang), "basis": basis,
                           "is_chosen": name == metrics.get("chosen", metrics.get("method"))})
    points, used = _points(metrics, lang)
    n = metrics.get("n")
    from .encoding import NOT_RECORDED

    policy = (metrics.get("settings") or {}).get("missing") or "reference"
    own = {r.get("item") for r in metrics.get("points_diff") or [] if r.get("code") == NOT_RECORDED}
    if policy == "category" and (metrics.get("method") == "recalibrate" or not own):
        policy = "reference"  # recalibration keeps the points: a missing answer still scores as the reference
    missing = sorted(({"item": k, "n": v, "share": v / n if n else None,
                       "treated": w["treated.error"] if policy == "error" else
                       w["treated.category"] if policy == "category" and k in own else w["treated.reference"]}
                      for k, v in (metrics.get("missing") or {}).items() if v), key=lambda r: -r["n"])
    images = {name: base64.b64encode(data).decode("ascii") for name, data in figures.items()}
    figures_ctx = [{"name": name, "title": w[f"fig.{name[:-4]}.title"],
                    "text": w[f"fig.{name[:-4]}.text"].format(people=people), "data": images[name]}
                   for name in FIGURE_NAMES if name in images]
    settings = metrics.get("settings") or {}
    return dict(
        lang=lang, w=w, t=lambda key, **values: w[key].format(**values), people=people, m=metrics,
        instrument=metrics.get("instrument") or {}, method=method_name(metrics.get("method"), lang),
        cv=metrics.get("cv") or {}, apparent=metrics.get("apparent") or {}, comparison=comparison,
        verdict=_verdict(metrics, style, w), warnings=_warnings(metrics, style, w), figures=figures_ctx,
        rate_table=metrics.get("rate_table") or [], repeats=repeats, cutoffs=cutoffs, selected=selected,
        selection_reason=_selection_reason(selected, n, style, w) if selected else "",
        groups=_groups(metrics, style), points=points, used_items=used, missing=missing,
        missing_known=metrics.get("missing") is not None, missing_policy=policy,
        data=metrics.get("data") or {}, settings=settings, dash=DASH, final=metrics.get("final_rating") or None,
    )


def render_html(metrics: dict[str, Any], figures: dict[str, bytes], lang: str = "en") -> str:
    """The report page: the template filled with the metrics' data in ``lang``; every value is
    escaped and its control characters shown as escapes (``\\x1b``)."""
    from jinja2 import Environment, PackageLoader

    from ..text import printable

    def finalize(value: Any) -> Any:
        return printable(value, one_line=False) if isinstance(value, str) else value

    env = Environment(loader=PackageLoader("riskmanual.calibration", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, finalize=finalize)
    env.filters.update(Style(lang).formatters())
    return env.get_template("report.html.j2").render(**_context(metrics, figures, lang))
