"""The calibration report's six figures (PNG), their labels in Swedish or English.

Each figure is drawn on its own Agg canvas (no pyplot: no global backend switch, no interference
with a user's open figures in a notebook). numpy, matplotlib, statsmodels and scikit-learn are
imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

__all__ = ["FIGURE_NAMES", "LABELS", "draw_figures"]

#: The figures, in the order the report shows them.
FIGURE_NAMES = ("calibration.png", "rate_by_score.png", "roc.png", "score_distribution.png", "decision_curve.png",
                "cutoffs.png")

#: The words inside the figures (titles, axes, legends).
LABELS: dict[str, dict[str, str]] = {
    "tenths": {"sv": "{label}: tiondelar av fallen", "en": "{label}: tenths of the cases"},
    "smoothed": {"sv": "{label}: utjämnad (LOWESS)", "en": "{label}: smoothed (LOWESS)"},
    "perfect": {"sv": "perfekt överensstämmelse", "en": "perfect agreement"},
    "predicted_p": {"sv": "Skattad sannolikhet", "en": "Predicted probability"},
    "observed_share": {"sv": "Observerad andel med utfallet", "en": "Observed share with the outcome"},
    "calibration_title": {"sv": "Skattat mot observerat (korsvaliderat)", "en": "Predicted against observed (out-of-fold)"},
    "no_scores": {"sv": "Inga poängsummor att visa", "en": "No scores to show"},
    "observed_rate": {"sv": "observerad andel (95 % KI)", "en": "observed rate (95% interval)"},
    "predicted": {"sv": "skattad sannolikhet", "en": "predicted probability"},
    "total": {"sv": "Poängsumma", "en": "Total score"},
    "share_outcome": {"sv": "Andel med utfallet", "en": "Share with the outcome"},
    "rate_title": {"sv": "Observerad andel per poängsumma (korsvaliderat)",
                   "en": "Observed rate per total score (out-of-fold)"},
    "chance": {"sv": "slump (AUC {auc})", "en": "chance (AUC {auc})"},
    "auc": {"sv": "{label} (AUC {auc})", "en": "{label} (AUC {auc})"},
    "one_class": {"sv": "Bara ett utfall finns: ingen ROC-kurva", "en": "Only one outcome present: no ROC curve"},
    "fpr": {"sv": "Andel falskt positiva (andel av dem utan utfallet som flaggas)",
            "en": "False positive rate (share of those without the outcome flagged)"},
    "sensitivity": {"sv": "Sensitivitet (andel av dem med utfallet som flaggas)",
                    "en": "Sensitivity (share of those with it flagged)"},
    "roc_title": {"sv": "ROC-kurva (korsvaliderat)", "en": "ROC curve (out-of-fold)"},
    "without": {"sv": "fick inte utfallet (n = {n})", "en": "did not have the outcome (n={n})"},
    "with": {"sv": "fick utfallet (n = {n})", "en": "had the outcome (n={n})"},
    "share_group": {"sv": "Andel av gruppen", "en": "Share of the group"},
    "distribution_title": {"sv": "Poängsummor efter utfall (korsvaliderat)", "en": "Total scores by outcome (out-of-fold)"},
    "no_curve": {"sv": "Ingen beslutskurva", "en": "No decision curve"},
    "using": {"sv": "att använda poängsumman", "en": "using the score"},
    "everyone": {"sv": "insats för alla", "en": "intervene with everyone"},
    "no_one": {"sv": "insats för ingen", "en": "intervene with no one"},
    "threshold": {"sv": "Tröskelsannolikhet", "en": "Threshold probability"},
    "net_benefit": {"sv": "Nettonytta", "en": "Net benefit"},
    "decision_title": {"sv": "Beslutskurva (korsvaliderat)", "en": "Decision curve (out-of-fold)"},
    "no_cutoffs": {"sv": "Inga gränser", "en": "No cut-offs"},
    "c_sensitivity": {"sv": "sensitivitet", "en": "sensitivity"},
    "c_specificity": {"sv": "specificitet", "en": "specificity"},
    "c_ppv": {"sv": "PPV (andel av de utvalda med utfallet)", "en": "PPV (share of selected with the outcome)"},
    "c_selected": {"sv": "andel utvalda", "en": "share selected"},
    "c_chosen": {"sv": "vald gräns ({cutoff})", "en": "chosen cut-off ({cutoff})"},
    "cutoff_axis": {"sv": "Gräns (alla med poängsumma vid eller över den väljs ut)",
                    "en": "Cut-off (select everyone scoring at or above it)"},
    "share": {"sv": "Andel", "en": "Share"},
    "cutoffs_title": {"sv": "Gränser (korsvaliderat)", "en": "Cut-offs (out-of-fold)"},
}

Format = Callable[..., str]


def draw_figures(metrics: dict[str, Any], arrays: dict[str, Any], *, lang: str, fmt: dict[str, Format],
                 current: str, method: str) -> dict[str, bytes]:
    """The six PNG figures by file name; ``fmt`` holds the report's number formatters
    (``num``, ``pct``, ``count``, ``score``) and ``current``/``method`` the curves' names."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    lang = "sv" if lang == "sv" else "en"

    def t(key: str, **values: Any) -> str:
        return LABELS[key][lang].format(**values)

    def percent_axis(axis: Any) -> None:
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt["pct"](v, 0)))

    def plain_axis(axis: Any) -> None:  # scores: whole-number ticks
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt["score"](v)))

    y = np.asarray(arrays["y"]).astype(int)
    p = np.asarray(arrays["p"], dtype=float)
    p_current = arrays.get("p_current")
    p_current = None if p_current is None else np.asarray(p_current, dtype=float)
    total = np.asarray(arrays["total"], dtype=float)
    curves = [(method, p, "C0")]
    if p_current is not None and not (method == current and np.array_equal(p, p_current)):
        curves.append((current, p_current, "C1"))
    common = dict(t=t, fmt=fmt, pct_axis=percent_axis, plain_axis=plain_axis)
    drawers = {
        "calibration.png": lambda ax: _calibration(ax, y, curves, **common),
        "rate_by_score.png": lambda ax: _rate_by_score(ax, metrics.get("rate_table") or [], **common),
        "roc.png": lambda ax: _roc(ax, y, curves, **common),
        "score_distribution.png": lambda ax: _distribution(ax, y, total, **common),
        "decision_curve.png": lambda ax: _decision_curve(ax, metrics.get("decision_curve") or {}, **common),
        "cutoffs.png": lambda ax: _cutoffs(ax, metrics.get("cutoffs") or [], metrics.get("selected_cutoff"), **common),
    }
    images: dict[str, bytes] = {}
    for name in FIGURE_NAMES:
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


def _no_data(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)


def _calibration(ax: Any, y: Any, curves: list[tuple[str, Any, str]], *, t: Format, fmt: dict[str, Format],
                 pct_axis: Any, plain_axis: Any) -> None:
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
        ax.errorbar(xs, rates, yerr=err, fmt="o", color=colour, capsize=3, label=t("tenths", label=label))
        if len(p) >= 10 and len(np.unique(p)) > 1:
            smooth = lowess(y.astype(float), p, frac=0.4, it=0, return_sorted=True)
            ax.plot(smooth[:, 0], smooth[:, 1], color=colour, alpha=0.8, label=t("smoothed", label=label))
        top = max(top, max(highs), max(xs))
    limit = min(1.0, max(top * 1.1, 0.05))
    ax.plot([0, limit], [0, limit], "--", color="grey", label=t("perfect"))
    ax.set_xlim(0, limit)
    ax.set_ylim(0, limit)
    ax.set_xlabel(t("predicted_p"))
    ax.set_ylabel(t("observed_share"))
    pct_axis(ax.xaxis)
    pct_axis(ax.yaxis)
    ax.set_title(t("calibration_title"))
    ax.legend(fontsize=8, loc="upper left")


def _rate_by_score(ax: Any, table: list[dict[str, Any]], *, t: Format, fmt: dict[str, Format], pct_axis: Any,
                   plain_axis: Any) -> None:
    import numpy as np

    rows = sorted((r for r in table if r.get("n")), key=lambda r: _f(r.get("score")))
    if not rows:
        _no_data(ax, t("no_scores"))
        return
    scores = np.array([_f(r.get("score")) for r in rows])
    rates = np.array([_f(r.get("rate")) for r in rows])
    ci = [r.get("ci") or [None, None] for r in rows]
    lows = np.array([_f(c[0]) for c in ci])
    highs = np.array([_f(c[1]) for c in ci])
    err = np.vstack([np.clip(np.nan_to_num(rates - lows), 0, None), np.clip(np.nan_to_num(highs - rates), 0, None)])
    ax.errorbar(scores, rates, yerr=err, fmt="o", capsize=3, label=t("observed_rate"))
    predicted = np.array([_f(r.get("predicted")) for r in rows])
    if np.isfinite(predicted).any():
        ax.plot(scores, predicted, "-", color="C3", label=t("predicted"))
    ax.set_ylim(0, 1)
    ax.set_xlabel(t("total"))
    ax.set_ylabel(t("share_outcome"))
    plain_axis(ax.xaxis)
    pct_axis(ax.yaxis)
    ax.set_title(t("rate_title"))
    ax.legend(fontsize=8, loc="upper left")


def _roc(ax: Any, y: Any, curves: list[tuple[str, Any, str]], *, t: Format, fmt: dict[str, Format], pct_axis: Any,
         plain_axis: Any) -> None:
    import numpy as np
    from sklearn.metrics import roc_auc_score, roc_curve

    ax.plot([0, 1], [0, 1], "--", color="grey", label=t("chance", auc=fmt["num"](0.5, 1)))
    if len(np.unique(y)) == 2:
        for label, p, colour in curves:
            fpr, tpr, _ = roc_curve(y, p)
            ax.plot(fpr, tpr, color=colour, label=t("auc", label=label, auc=fmt["num"](roc_auc_score(y, p))))
    else:
        _no_data(ax, t("one_class"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(t("fpr"))
    ax.set_ylabel(t("sensitivity"))
    pct_axis(ax.xaxis)
    pct_axis(ax.yaxis)
    ax.set_title(t("roc_title"))
    ax.legend(fontsize=8, loc="lower right")


def _distribution(ax: Any, y: Any, total: Any, *, t: Format, fmt: dict[str, Format], pct_axis: Any,
                  plain_axis: Any) -> None:
    import numpy as np

    finite = total[np.isfinite(total)]
    if not len(finite):
        _no_data(ax, t("no_scores"))
        return
    low, high = float(finite.min()), float(finite.max())
    if np.allclose(finite, np.round(finite)) and high - low <= 100:
        bins = np.arange(low - 0.5, high + 1.5, 1.0)
    else:
        bins = np.histogram_bin_edges(finite, bins=min(40, max(10, len(np.unique(finite)))))
    for key, mask, colour in (("without", y == 0, "C0"), ("with", y == 1, "C3")):
        values = total[mask & np.isfinite(total)]
        if len(values):
            ax.hist(values, bins=bins, weights=np.full(len(values), 1 / len(values)), alpha=0.55,
                    color=colour, label=t(key, n=fmt["count"](len(values))))
    ax.set_xlabel(t("total"))
    ax.set_ylabel(t("share_group"))
    plain_axis(ax.xaxis)
    pct_axis(ax.yaxis)
    ax.set_title(t("distribution_title"))
    ax.legend(fontsize=8)


def _decision_curve(ax: Any, curve: dict[str, Any], *, t: Format, fmt: dict[str, Format], pct_axis: Any,
                    plain_axis: Any) -> None:
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    thresholds = np.array([_f(v) for v in curve.get("threshold") or []])
    if not len(thresholds):
        _no_data(ax, t("no_curve"))
        return
    series = {key: np.array([_f(v) for v in curve.get(key) or [float("nan")] * len(thresholds)])
              for key in ("model", "everyone", "no_one")}
    ax.plot(thresholds, series["model"], "-o", markersize=3, color="C0", label=t("using"))
    ax.plot(thresholds, series["everyone"], "-", color="C3", label=t("everyone"))
    ax.plot(thresholds, series["no_one"], "-", color="black", label=t("no_one"))
    values = np.concatenate([series["model"], series["everyone"], [0.0]])
    top = max(float(np.nanmax(values)), 0.01) * 1.15
    ax.set_ylim(-0.3 * top, top)
    ax.set_xlabel(t("threshold"))
    ax.set_ylabel(t("net_benefit"))
    pct_axis(ax.xaxis)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt["num"](v, 2)))
    ax.set_title(t("decision_title"))
    ax.legend(fontsize=8)


def _cutoffs(ax: Any, table: list[dict[str, Any]], selected: dict[str, Any] | None, *, t: Format,
             fmt: dict[str, Format], pct_axis: Any, plain_axis: Any) -> None:
    import numpy as np

    rows = sorted(table, key=lambda r: _f(r.get("cutoff")))
    if not rows:
        _no_data(ax, t("no_cutoffs"))
        return
    cut = np.array([_f(r.get("cutoff")) for r in rows])
    for key, label in (("sensitivity", "c_sensitivity"), ("specificity", "c_specificity"), ("ppv", "c_ppv"),
                       ("selection_rate", "c_selected")):
        ax.plot(cut, [_f(r.get(key)) for r in rows], "-o", markersize=3, label=t(label))
    if selected and math.isfinite(_f(selected.get("cutoff"))):
        ax.axvline(_f(selected["cutoff"]), color="black", linestyle="--",
                   label=t("c_chosen", cutoff=fmt["score"](selected["cutoff"])))
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(t("cutoff_axis"))
    ax.set_ylabel(t("share"))
    plain_axis(ax.xaxis)
    pct_axis(ax.yaxis)
    ax.set_title(t("cutoffs_title"))
    ax.legend(fontsize=8)
