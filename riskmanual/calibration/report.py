"""The calibration report: ``metrics.json``, six PNG figures and one self-contained HTML page.

:func:`write_report` takes the ``metrics`` dictionary and the out-of-fold ``arrays`` that the
calibration run produces and writes them into a directory. The HTML page embeds its figures
as base64 data URIs and its CSS inline, so it can be mailed or archived as a single file; it
is written for a social-services manager, with a plain-English sentence under every figure.

Heavy libraries (numpy, matplotlib, statsmodels, scikit-learn, jinja2) are imported inside
the functions that need them, so importing this module stays cheap.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

__all__ = ["FIGURES", "json_safe", "write_report"]

#: The figures, in the order the report shows them: (file name, heading, explanation).
FIGURES: tuple[tuple[str, str, str], ...] = (
    (
        "calibration.png",
        "Do the predicted probabilities come true?",
        "Each dot is a tenth of the young people, grouped by predicted probability: across is their "
        "average predicted probability, up is the share who actually had the outcome, and the bar shows "
        "the uncertainty. Dots and smoothed lines close to the dashed diagonal mean the probabilities "
        "can be taken at face value; above it the risk is under-stated, below it over-stated.",
    ),
    (
        "rate_by_score.png",
        "Outcome rate for each total score",
        "For every total score, the share of young people with that score who went on to have the "
        "outcome (dots; the bars show the uncertainty and are wide where few young people had that "
        "score) and the probability the report assigns to the score (line). The rate should rise with the score.",
    ),
    (
        "roc.png",
        "How well does the score separate the two groups?",
        "Each curve shows, over all possible cut-offs, the share of those with the outcome who are "
        "flagged (up) against the share of those without it who are flagged too (across). The further a "
        "curve bulges toward the top-left corner, the better; the diagonal is guessing. The AUC in the "
        "legend is the chance that a young person who went on to offend scored higher than one who did not.",
    ),
    (
        "score_distribution.png",
        "Spread of the total scores",
        "How the total scores of young people who had the outcome and of those who did not are spread, "
        "each as a share of its own group. The less the two overlap, the better the score tells them apart.",
    ),
    (
        "decision_curve.png",
        "Is acting on the score better than treating everyone alike?",
        "Net benefit counts correct identifications per person assessed, minus false alarms weighted by "
        "how much they matter. The threshold across says how many false alarms one correct identification "
        "is worth (at 20%, one true case is worth four false alarms). Where the model's line lies above both "
        "'everyone' and 'no one', using the score does more good than intervening with everyone or with no one.",
    ),
    (
        "cutoffs.png",
        "What happens at each cut-off",
        "Selecting everyone who scores at or above the cut-off: the share of those with the outcome who are "
        "selected (sensitivity), the share of those without it who are left out (specificity), the share "
        "of those selected who have the outcome (PPV) and the share of all young people selected. The "
        "dashed line marks the chosen cut-off.",
    ),
)

#: The figures' headings and explanations in Swedish.
FIGURES_SV: dict[str, tuple[str, str]] = {
    "calibration.png": (
        "Stämmer de skattade sannolikheterna?",
        "Varje punkt är en tiondel av fallen, ordnade efter skattad sannolikhet: åt höger deras genomsnittliga skattade "
        "sannolikhet, uppåt andelen som faktiskt fick utfallet, och strecket visar osäkerheten. Punkter och utjämnade "
        "linjer nära den streckade diagonalen betyder att sannolikheterna kan tas för vad de är; ovanför den "
        "underskattas risken, nedanför överskattas den.",
    ),
    "rate_by_score.png": (
        "Andel med utfallet för varje poängsumma",
        "För varje poängsumma: andelen med den summan som fick utfallet (punkter; strecken visar osäkerheten och är "
        "breda där få hade summan) och den sannolikhet rapporten ger summan (linjen). Andelen bör stiga med summan.",
    ),
    "roc.png": (
        "Hur väl skiljer poängsumman de två grupperna åt?",
        "Varje kurva visar, över alla möjliga gränser, andelen av dem med utfallet som flaggas (uppåt) mot andelen av "
        "dem utan utfallet som också flaggas (åt höger). Ju mer kurvan buktar mot övre vänstra hörnet, desto bättre; "
        "diagonalen är slump. AUC i förklaringen är sannolikheten att en person som fick utfallet hade högre poäng "
        "än en som inte fick det.",
    ),
    "score_distribution.png": (
        "Poängsummornas spridning",
        "Hur poängsummorna fördelar sig bland dem som fick utfallet och dem som inte fick det, var för sig som andel "
        "av den egna gruppen. Ju mindre de överlappar, desto bättre skiljer summan dem åt.",
    ),
    "decision_curve.png": (
        "Är det bättre att agera på poängsumman än att behandla alla lika?",
        "Nettonyttan räknar riktiga identifieringar per bedömd person, minus falsklarm viktade efter hur mycket de "
        "väger. Tröskeln åt höger säger hur många falsklarm en riktig identifiering är värd (vid 20 % är ett riktigt "
        "fall värt fyra falsklarm). Där modellens linje ligger över både 'everyone' och 'no one' gör poängsumman mer "
        "nytta än att ge insatsen till alla eller till ingen.",
    ),
    "cutoffs.png": (
        "Vad som händer vid varje gräns",
        "Alla med poängsumma vid eller över gränsen väljs ut: andelen av dem med utfallet som väljs ut (sensitivitet), "
        "andelen av dem utan utfallet som inte väljs ut (specificitet), andelen av de utvalda som har utfallet (PPV) "
        "och andelen av alla som väljs ut. Den streckade linjen markerar den valda gränsen.",
    ),
}

DASH = "\u2013"
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
    """Write ``metrics.json``, the six figures and ``report.html`` as the folder ``directory``.

    The folder is written whole into a temporary folder and renamed into place
    (:func:`riskmanual.files.write_folder`): an existing non-empty folder is refused unless
    ``force``, and no symbolic link is ever followed. Returns the paths written.
    """
    from ..files import FileWriteError, write_folder
    from .data import CalibrationError
    from ..errors import Issue

    clean = json_safe(metrics)
    files: dict[str, str | bytes] = {"metrics.json": json.dumps(clean, indent=2, allow_nan=False) + "\n"}
    figures = _draw_figures(clean, arrays)
    files.update(figures)
    files["report.html"] = _render_html(clean, figures, lang=lang)
    try:
        return write_folder(directory, files, force=force)
    except FileWriteError as exc:
        raise CalibrationError(f"{exc.path}: report not written", [Issue(exc.reason, file=exc.path)]) from None


# --------------------------------------------------------------------------------------------
# Figures


def _draw_figures(metrics: dict[str, Any], arrays: dict[str, Any]) -> dict[str, bytes]:
    # Figures drawn on their own Agg canvas: no pyplot, so no global backend switch and no
    # interference with a user's open figures in a notebook.
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    y = np.asarray(arrays["y"]).astype(int)
    p = np.asarray(arrays["p"], dtype=float)
    p_current = arrays.get("p_current")
    p_current = None if p_current is None else np.asarray(p_current, dtype=float)
    total = np.asarray(arrays["total"], dtype=float)
    method = str(metrics.get("method") or "chosen method")
    curves = [(method, p, "C0")]
    if p_current is not None and not (method == CURRENT and np.array_equal(p, p_current)):
        curves.append((CURRENT, p_current, "C1"))

    drawers = {
        "calibration.png": lambda ax: _plot_calibration(ax, y, curves),
        "rate_by_score.png": lambda ax: _plot_rate_by_score(ax, metrics.get("rate_table") or []),
        "roc.png": lambda ax: _plot_roc(ax, y, curves),
        "score_distribution.png": lambda ax: _plot_distribution(ax, y, total),
        "decision_curve.png": lambda ax: _plot_decision_curve(ax, metrics.get("decision_curve") or {}),
        "cutoffs.png": lambda ax: _plot_cutoffs(ax, metrics.get("cutoffs") or [], metrics.get("selected_cutoff")),
    }
    import io

    images: dict[str, bytes] = {}
    for name, _, _ in FIGURES:
        fig = Figure(figsize=(7, 4.6), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        drawers[name](ax)
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        images[name] = buffer.getvalue()
    return images


def _f(value: Any) -> float:
    """A float for plotting; None and non-numbers become NaN."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _percent_axis(axis: Any) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0, decimals=0))


def _no_data(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)


def _plot_calibration(ax: Any, y: Any, curves: list[tuple[str, Any, str]]) -> None:
    import numpy as np
    from statsmodels.nonparametric.smoothers_lowess import lowess
    from statsmodels.stats.proportion import proportion_confint

    top = 0.0
    for label, p, colour in curves:
        xs, rates, lows, highs = [], [], [], []
        for chunk in np.array_split(np.argsort(p, kind="stable"), min(10, len(p))):
            if not len(chunk):
                continue
            events, n = int(y[chunk].sum()), len(chunk)
            low, high = proportion_confint(events, n, alpha=0.05, method="wilson")
            xs.append(float(p[chunk].mean()))
            rates.append(events / n)
            lows.append(float(low))
            highs.append(float(high))
        if not xs:
            continue
        rates_a = np.array(rates)
        err = np.vstack([np.clip(rates_a - lows, 0, None), np.clip(np.array(highs) - rates_a, 0, None)])
        ax.errorbar(xs, rates, yerr=err, fmt="o", color=colour, capsize=3, label=f"{label}: tenths of the cases")
        if len(p) >= 10 and len(np.unique(p)) > 1:
            smooth = lowess(y.astype(float), p, frac=0.4, it=0, return_sorted=True)
            ax.plot(smooth[:, 0], smooth[:, 1], color=colour, alpha=0.8, label=f"{label}: smoothed (LOWESS)")
        top = max(top, max(highs), max(xs))
    limit = min(1.0, max(top * 1.1, 0.05))
    ax.plot([0, limit], [0, limit], "--", color="grey", label="perfect agreement")
    ax.set_xlim(0, limit)
    ax.set_ylim(0, limit)
    ax.set_xlabel("Predicted probability")
    ax.set_ylabel("Observed share with the outcome")
    _percent_axis(ax.xaxis)
    _percent_axis(ax.yaxis)
    ax.set_title("Predicted against observed (out-of-fold)")
    ax.legend(fontsize=8, loc="upper left")


def _plot_rate_by_score(ax: Any, table: list[dict[str, Any]]) -> None:
    import numpy as np

    rows = sorted((r for r in table if r.get("n")), key=lambda r: _f(r.get("score")))
    if not rows:
        _no_data(ax, "No scores to show")
        return
    scores = np.array([_f(r.get("score")) for r in rows])
    rates = np.array([_f(r.get("rate")) for r in rows])
    ci = [r.get("ci") or [None, None] for r in rows]
    lows = np.array([_f(c[0]) for c in ci])
    highs = np.array([_f(c[1]) for c in ci])
    err = np.vstack([np.clip(np.nan_to_num(rates - lows), 0, None), np.clip(np.nan_to_num(highs - rates), 0, None)])
    ax.errorbar(scores, rates, yerr=err, fmt="o", capsize=3, label="observed rate (95% interval)")
    predicted = np.array([_f(r.get("predicted")) for r in rows])
    if np.isfinite(predicted).any():
        ax.plot(scores, predicted, "-", color="C3", label="predicted probability")
    ax.set_ylim(0, 1)
    ax.set_xlabel("Total score")
    ax.set_ylabel("Share with the outcome")
    _percent_axis(ax.yaxis)
    ax.set_title("Observed rate per total score (out-of-fold)")
    ax.legend(fontsize=8, loc="upper left")


def _plot_roc(ax: Any, y: Any, curves: list[tuple[str, Any, str]]) -> None:
    import numpy as np
    from sklearn.metrics import roc_auc_score, roc_curve

    ax.plot([0, 1], [0, 1], "--", color="grey", label="chance (AUC 0.5)")
    if len(np.unique(y)) == 2:
        for label, p, colour in curves:
            fpr, tpr, _ = roc_curve(y, p)
            ax.plot(fpr, tpr, color=colour, label=f"{label} (AUC {roc_auc_score(y, p):.3f})")
    else:
        _no_data(ax, "Only one outcome present: no ROC curve")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("False positive rate (share of those without the outcome flagged)")
    ax.set_ylabel("Sensitivity (share of those with it flagged)")
    _percent_axis(ax.xaxis)
    _percent_axis(ax.yaxis)
    ax.set_title("ROC curve (out-of-fold)")
    ax.legend(fontsize=8, loc="lower right")


def _plot_distribution(ax: Any, y: Any, total: Any) -> None:
    import numpy as np

    finite = total[np.isfinite(total)]
    if not len(finite):
        _no_data(ax, "No scores to show")
        return
    low, high = float(finite.min()), float(finite.max())
    if np.allclose(finite, np.round(finite)) and high - low <= 100:
        bins = np.arange(low - 0.5, high + 1.5, 1.0)
    else:
        bins = np.histogram_bin_edges(finite, bins=min(40, max(10, len(np.unique(finite)))))
    for label, mask, colour in (("did not have the outcome", y == 0, "C0"), ("had the outcome", y == 1, "C3")):
        values = total[mask & np.isfinite(total)]
        if len(values):
            ax.hist(values, bins=bins, weights=np.full(len(values), 1 / len(values)), alpha=0.55,
                    color=colour, label=f"{label} (n={len(values):,})")
    ax.set_xlabel("Total score")
    ax.set_ylabel("Share of the group")
    _percent_axis(ax.yaxis)
    ax.set_title("Total scores by outcome (out-of-fold)")
    ax.legend(fontsize=8)


def _plot_decision_curve(ax: Any, curve: dict[str, Any]) -> None:
    import numpy as np

    thresholds = np.array([_f(t) for t in curve.get("threshold") or []])
    if not len(thresholds):
        _no_data(ax, "No decision curve")
        return
    series = {key: np.array([_f(v) for v in curve.get(key) or [float("nan")] * len(thresholds)])
              for key in ("model", "everyone", "no_one")}
    ax.plot(thresholds, series["model"], "-o", markersize=3, color="C0", label="using the score")
    ax.plot(thresholds, series["everyone"], "-", color="C3", label="intervene with everyone")
    ax.plot(thresholds, series["no_one"], "-", color="black", label="intervene with no one")
    values = np.concatenate([series["model"], series["everyone"], [0.0]])
    top = max(float(np.nanmax(values)), 0.01) * 1.15
    ax.set_ylim(-0.3 * top, top)
    ax.set_xlabel("Threshold probability")
    ax.set_ylabel("Net benefit")
    _percent_axis(ax.xaxis)
    ax.set_title("Decision curve (out-of-fold)")
    ax.legend(fontsize=8)


def _plot_cutoffs(ax: Any, table: list[dict[str, Any]], selected: dict[str, Any] | None) -> None:
    import numpy as np

    rows = sorted(table, key=lambda r: _f(r.get("cutoff")))
    if not rows:
        _no_data(ax, "No cut-offs")
        return
    cut = np.array([_f(r.get("cutoff")) for r in rows])
    for key, label in (("sensitivity", "sensitivity"), ("specificity", "specificity"),
                       ("ppv", "PPV (share of selected with the outcome)"), ("selection_rate", "share selected")):
        ax.plot(cut, [_f(r.get(key)) for r in rows], "-o", markersize=3, label=label)
    if selected and math.isfinite(_f(selected.get("cutoff"))):
        ax.axvline(_f(selected["cutoff"]), color="black", linestyle="--",
                   label=f"chosen cut-off ({_score(selected['cutoff'])})")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Cut-off (select everyone scoring at or above it)")
    ax.set_ylabel("Share")
    _percent_axis(ax.yaxis)
    ax.set_title("Cut-offs (out-of-fold)")
    ax.legend(fontsize=8)


# --------------------------------------------------------------------------------------------
# Formatting (also the template's filters)


def _missing(value: Any) -> bool:
    from jinja2 import Undefined

    if value is None or isinstance(value, Undefined):
        return True
    if isinstance(value, bool):
        return False
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def _num(value: Any, digits: int = 3) -> str:
    if _missing(value):
        return DASH
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text  # no "-0.00"


def _seconds(value: Any) -> str:
    if _missing(value):
        return DASH
    number = float(value)
    return "under 0.01 s" if number < 0.01 else f"{number:.2f} s" if number < 10 else f"{number:,.0f} s"


def _pct(value: Any, digits: int = 1) -> str:
    return DASH if _missing(value) else f"{_num(100 * float(value), digits)}%"


def _signed_pts(value: Any, digits: int = 1) -> str:
    """A difference of two rates in percentage points, with its sign."""
    if _missing(value):
        return DASH
    text = _num(100 * float(value), digits)
    return f"{text if text.startswith('-') else '+' + text} pts"


def _count(value: Any) -> str:
    return DASH if _missing(value) else f"{int(round(float(value))):,}"


def _score(value: Any) -> str:
    """A score or points: whole numbers without decimals, others with up to two."""
    if _missing(value):
        return DASH
    number = float(value)
    if number == round(number):
        return f"{int(round(number))}"
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _signed_score(value: Any) -> str:
    """Points as they enter the total: +2, \u22122 (a true minus sign), 0."""
    if _missing(value):
        return DASH
    text = _score(abs(float(value)))
    return "0" if float(value) == 0 else ("+" if float(value) > 0 else "\u2212") + text


def _interval(pair: Any, kind: str = "num") -> str:
    if not isinstance(pair, (list, tuple)) or len(pair) != 2 or _missing(pair[0]) or _missing(pair[1]):
        return DASH
    fmt = _pct if kind == "pct" else _num
    return f"{fmt(pair[0])} to {fmt(pair[1])}"


def _show(value: Any) -> str:
    """Any setting, readably."""
    from jinja2 import Undefined

    if value is None or isinstance(value, Undefined):
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return DASH if not math.isfinite(value) else f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items()) if value else "none"
    return str(value)


# --------------------------------------------------------------------------------------------
# HTML


def _swedish(text: str) -> str:
    """Swedish number style: decimal comma, thin space for thousands, en-dash ranges, '45,5 %'."""
    text = text.replace(",", "\u202f").replace(".", ",").replace("%", "\u00a0%")
    return text.replace(" pts", " p.e.").replace(" to ", "\u2013").replace("under 0,01 s", "under 0,01 s")


def _in_swedish(function: Any) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> str:
        return _swedish(function(*args, **kwargs))
    return wrapped


def _render_html(metrics: dict[str, Any], figures: dict[str, bytes], lang: str = "en") -> str:
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("riskmanual.calibration", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    numbers = dict(num=_num, pct=_pct, seconds=_seconds, signed_pts=_signed_pts, count=_count, score=_score,
                   signed_score=_signed_score, interval=_interval)
    if lang == "sv":
        numbers = {name: _in_swedish(f) for name, f in numbers.items()}
    env.filters.update(show=_show, **numbers)
    images = {name: base64.b64encode(data).decode("ascii") for name, data in figures.items()}
    people = metrics.get("population_word") or "people"
    if lang == "sv":
        people = "unga" if people == "young people" else "personer"
    figures_ctx = [{"name": name, "title": title.replace("young people", people),
                    "text": text.replace("young people", people).replace("a young person", "a person"),
                    "data": images[name]}
                   for name, title, text in FIGURES if name in images]

    method = metrics.get("method")
    selected = metrics.get("selected_cutoff") or {}
    chosen = _f(selected.get("cutoff"))
    cutoffs = []
    marked = False
    for row in metrics.get("cutoffs") or []:
        is_selected = not marked and math.isfinite(chosen) and math.isclose(_f(row.get("cutoff")), chosen,
                                                                           rel_tol=1e-9, abs_tol=1e-9)
        marked = marked or is_selected
        cutoffs.append({**row, "is_selected": is_selected})

    comparison = []
    for name, row in (metrics.get("comparison") or {}).items():
        comparison.append({**(row or {}), "name": name, "is_chosen": name == metrics.get("chosen", method)})

    points = []
    for row in metrics.get("points_diff") or []:
        old, new = row.get("old"), row.get("new")
        changed = _missing(old) != _missing(new) or (not _missing(old) and not math.isclose(_f(old), _f(new)))
        sign = row.get("sign", 1) or 1
        points.append({**row, "changed": changed, "answer": row.get("answer") or row.get("code"),
                       "answer_sv": row.get("answer_sv") or row.get("answer") or row.get("code"),
                       "label_sv": row.get("label_sv") or row.get("label"),
                       "old_total": None if _missing(old) else _f(old) * sign,
                       "new_total": None if _missing(new) else _f(new) * sign})

    instrument = metrics.get("instrument") or {}
    used: dict[str, dict[str, Any]] = {}
    for row in points:
        if row.get("used"):
            entry = used.setdefault(row["item"], {"item": row["item"], "label": row.get("label"),
                                                  "label_sv": row.get("label_sv") or row.get("label"), "answers": [],
                                                  "protective": row.get("protective")})
            entry["answers"].append(row)
    missing = [{"item": k, "n": v, "share": v / metrics["n"] if metrics.get("n") else None}
               for k, v in (metrics.get("missing") or {}).items()]
    population = people
    if lang == "sv":
        figures_ctx = [{**fig, "title": FIGURES_SV[fig["name"]][0], "text": FIGURES_SV[fig["name"]][1]}
                       for fig in figures_ctx]
    return env.get_template("report.sv.html.j2" if lang == "sv" else "report.html.j2").render(
        used_items=list(used.values()),
        missing=missing,
        people=population,
        m=metrics,
        instrument=instrument,
        method=method,
        cv=metrics.get("cv") or {},
        apparent=metrics.get("apparent") or {},
        comparison=comparison,
        warnings=metrics.get("warnings") or [],
        figures=figures_ctx,
        rate_table=metrics.get("rate_table") or [],
        cutoffs=cutoffs,
        selected=selected,
        groups=metrics.get("groups") or {},
        points=points,
        data=metrics.get("data") or {},
        settings=metrics.get("settings") or {},
        dash=DASH,
    )
