"""What ``riskmanual calibrate`` prints when a run ends, in Swedish or English.

:func:`summary_lines` turns a run's ``metrics`` (with ``points_diff``) into the lines of the
terminal summary; numbers, method names, the verdict and the warnings are the report's own
(:mod:`.report` and :mod:`.report_words`), so terminal and report never say different things.
Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from .report import Style, _verdict
from .report_words import method_name, warning_text, words

__all__ = ["LINES", "line", "summary_lines"]

#: The summary's own sentences; ``{name}`` fields are filled in by :func:`summary_lines`.
LINES: dict[str, dict[str, str]] = {
    "head": {"sv": "{id} {version} → {new}: {method}, n = {n}, med utfallet {events} ({rate})",
             "en": "{id} {version} -> {new}: {method}, n = {n}, events = {events} ({rate})"},
    "cv": {"sv": "korsvaliderat ({folds} delar × {repeats}): AUC {auc} [{ci}], Brier {brier}, kalibreringslutning "
                 "{slope}, intercept {intercept}, ECE {ece}",
           "en": "cross-validated ({folds}-fold x {repeats}): AUC {auc} [{ci}], Brier {brier}, calibration slope "
                 "{slope}, intercept {intercept}, ECE {ece}"},
    "apparent": {"sv": "skenbar AUC (på samma fall som anpassningen, inte korsvaliderad) {auc}",
                 "en": "apparent (in-sample) AUC {auc}"},
    "candidate": {"sv": "  {name:<44} AUC {auc}  Brier {brier}  lutning {slope}  anpassning {fit} per del",
                  "en": "  {name:<44} AUC {auc}  Brier {brier}  slope {slope}  fit {fit} per fold"},
    "shrunk": {"sv": "sannolikheten krympt med den korsvaliderade lutningen {factor} (lutning {before} → {after})",
               "en": "probability shrunk by the cross-validated slope {factor} (slope {before} -> {after})"},
    "cutoff": {"sv": "gräns ({rule}): poäng ≥ {cutoff} väljer {selected} ({share}); sensitivitet {sensitivity}, "
                     "PPV {ppv}",
               "en": "cut-off ({rule}): score >= {cutoff} selects {selected} ({share}); sensitivity {sensitivity}, "
                     "PPV {ppv}"},
    "cutoff.unmet": {"sv": " (regeln gick inte att uppfylla: den närmaste gränsen visas)",
                     "en": " (the rule could not be met: closest cut-off shown)"},
    "rating": {"sv": "bedömarens slutliga nivå ({column}, {n} bedömda, {unrated} utan): AUC {auc} [{ci}]; mot de "
                     "nuvarande poängen på samma fall {difference} (95 % KI {diff_ci}); korsvaliderad "
                     "kalibreringslutning {slope}",
               "en": "assessor's final rating ({column}, {n} rated, {unrated} without): AUC {auc} [{ci}]; against the "
                     "current points on the same cases {difference} (95% interval {diff_ci}); out-of-fold calibration "
                     "slope {slope}"},
    "rating.rates": {"sv": "  observerad andel med utfallet per slutlig nivå: {rates}",
                     "en": "  observed outcome rate per final rating: {rates}"},
    "rating.note": {"sv": "bedömarens slutliga nivå ({column}): för få bedömda fall med vart och ett av utfallen "
                          "({n} bedömda) för {folds} delar: den utvärderas inte",
                    "en": "assessor's final rating ({column}): {note}"},
    "missing.reference": {"sv": "saknade svar (räknade som frågans referenssvar, inga poäng): {items}",
                          "en": "missing answers (counted as the item's reference answer, no points): {items}"},
    "missing.category": {"sv": "saknade svar (ett eget svar: en kategorisk frågas svar ”Uppgift saknas”, vägt av den "
                               "nya anpassningen): {items}",
                         "en": "missing answers (their own category: a categorical item's answer 'not recorded', "
                               "weighed by the refit): {items}"},
    "warning": {"sv": "varning: {text}", "en": "warning: {text}"},
    "points.head": {"sv": "poäng (gammal → ny):", "en": "points (old -> new):"},
    "points.row": {"sv": "  {item} = {answer}: {old} → {new}{mark}", "en": "  {item} = {answer}: {old} -> {new}{mark}"},
    "points.separate": {"sv": " (tidigare på en egen skyddande skala, dras nu av)",
                        "en": " (separate protective scale before, subtracted now)"},
    "points.same": {"sv": "poängen oförändrade", "en": "points unchanged"},
    "progress": {"sv": "kalibrerar: del {done} av {total}", "en": "calibrating: fold {done} of {total}"},
    "wrote.instrument": {"sv": "skrev {path} ({ref}, status utkast)", "en": "wrote {path} ({ref}, status draft)"},
    "wrote.report": {"sv": "skrev rapporten till {path} ({n} filer)", "en": "wrote report to {path} ({n} files)"},
}


def line(key: str, lang: str, **fields: Any) -> str:
    """One of :data:`LINES` in ``lang`` with its fields filled in."""
    return LINES[key]["sv" if lang == "sv" else "en"].format(**fields)


def summary_lines(metrics: dict[str, Any], new_version: str, lang: str) -> list[str]:
    """The terminal summary of a finished run (``metrics`` as ``metrics.json`` holds it)."""
    style = Style(lang)
    lang = style.lang
    w = words(lang)
    cv, settings = metrics["cv"], metrics["settings"]
    out = [line("head", lang, id=metrics["instrument"]["id"], version=metrics["instrument"]["version"], new=new_version,
                method=method_name(metrics["chosen"], lang), n=style.count(metrics["n"]),
                events=style.count(metrics["events"]), rate=style.pct(metrics["base_rate"])),
           line("cv", lang, folds=settings["folds"], repeats=settings["repeats"], auc=style.num(cv["auc"]),
                ci=_pair(style, cv["auc_ci"]), brier=style.num(cv["brier"], 4), slope=style.num(cv["calibration_slope"], 2),
                intercept=style.signed(cv["calibration_intercept"], 2), ece=style.num(cv["ece"])),
           line("apparent", lang, auc=style.num(metrics["apparent"]["auc"]))]
    for name, figures in metrics["comparison"].items():
        out.append(line("candidate", lang, name=method_name(name, lang), auc=style.num(figures["auc"]),
                        brier=style.num(figures["brier"], 4), slope=style.num(figures["calibration_slope"], 2),
                        fit=style.seconds(figures["fit_seconds"])))
    verdict = _verdict(metrics, style, w)
    out.append(" ".join(part for part in (verdict["headline"], verdict["details"]) if part))
    for reason in verdict["reasons"]:
        out.append(f"  - {reason['text']}")
    shrink = metrics.get("shrinkage")
    if shrink:
        out.append(line("shrunk", lang, factor=style.num(shrink["factor"], 2), before=style.num(shrink["unshrunk"]["slope"]),
                        after=style.num(metrics["model"]["slope"])))
    chosen = metrics["selected_cutoff"]
    out.append(line("cutoff", lang, rule=chosen["rule"], cutoff=style.score(chosen["cutoff"]),
                    selected=style.count(chosen["selected"]), share=style.pct(chosen["selection_rate"]),
                    sensitivity=style.num(chosen["sensitivity"], 2), ppv=style.num(chosen["ppv"], 2))
               + ("" if chosen["met"] else line("cutoff.unmet", lang)))
    out += _final_rating(metrics.get("final_rating"), settings, style)
    missing = {k: v for k, v in (metrics.get("missing") or {}).items() if v}
    if missing:
        category = settings.get("missing") == "category" and metrics["method"] != "recalibrate"
        items = ", ".join(f"{k} {style.count(v)} ({style.pct(v / metrics['n'])})" for k, v in missing.items())
        out.append(line("missing.category" if category else "missing.reference", lang, items=items))
    for warning in metrics["warnings"]:
        if warning == metrics.get("verdict") and metrics.get("decision"):
            continue  # the verdict itself, printed above in the reader's language
        out.append(line("warning", lang, text=warning_text(warning, lang, lambda v: style.score(v))[0]))
    rows = metrics.get("points_diff") or []
    if any(abs(r["old"] - r["new"]) > 1e-9 for r in rows):
        out.append(line("points.head", lang))
        for row in rows:
            changed = abs(row["old"] - row["new"]) > 1e-9
            mark = ("  *" + (line("points.separate", lang) if row.get("separate") else "")) if changed else ""
            out.append(line("points.row", lang, item=row["item"], answer=row["answer_sv" if lang == "sv" else "answer"],
                            old=style.score(row["old"]), new=style.score(row["new"]), mark=mark))
    else:
        out.append(line("points.same", lang))
    return out


def _pair(style: Style, pair: Any) -> str:
    """``0,724; 0,749`` in Swedish (the comma is the decimal sign), ``0.724, 0.749`` in English."""
    return f"{style.num(pair[0])}{'; ' if style.sv else ', '}{style.num(pair[1])}"


def _final_rating(rating: dict[str, Any] | None, settings: dict[str, Any], style: Style) -> list[str]:
    if not rating:
        return []
    lang = style.lang
    if "auc" not in rating:
        return [line("rating.note", lang, column=rating["column"], n=style.count(rating["n"]), folds=settings["folds"],
                     note=rating.get("note", ""))]
    versus = rating["versus_current_points"]
    rates = ", ".join(f"{row['label_sv' if lang == 'sv' else 'label']} {style.pct(row['rate'])} (n = {style.count(row['n'])})"
                      for row in rating["levels"] if row["n"])
    return [line("rating", lang, column=rating["column"], n=style.count(rating["n"]), unrated=style.count(rating["unrated"]),
                 auc=style.num(rating["auc"]), ci=_pair(style, rating["auc_ci"]), difference=style.signed(versus["difference"]),
                 diff_ci=style.interval(versus["ci"], "signed"),
                 slope=style.num(rating["out_of_fold"]["calibration_slope"], 2)),
            line("rating.rates", lang, rates=rates)]
