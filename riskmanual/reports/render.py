"""The case report rendered: HTML from jinja2 templates (autoescaped), markdown from a template in
which every value is escaped (no raw HTML, no headings from user text), and PDF by WeasyPrint
from the same HTML with print rules (A4, page numbers, a commitment never split over pages).

jinja2, matplotlib and WeasyPrint are imported inside the functions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..numbers import number, signed
from .case_report import CaseReport
from .words import long_date, words

__all__ = ["FORMATS", "html", "markdown", "markdown_escape", "pdf", "render"]

FORMATS = ("html", "pdf", "markdown")
#: The main factors listed by name; the rest are summed in one line (all are in the appendix).
TOP = 8

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!{}~&])")


def _clean(value: Any) -> Any:
    """Every printed value without control characters (tab and newline stay)."""
    from markupsafe import Markup

    if isinstance(value, Markup) or not isinstance(value, str):
        return "" if value is None else value
    return _CONTROL.sub("", value)


def markdown_escape(value: Any) -> str:
    """A value as markdown text: control characters dropped, lines joined (so no text starts a
    heading or a list), and every character that could make markup or HTML escaped."""
    text = "" if value is None else str(value)
    text = " ".join(_CONTROL.sub(" ", text).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


@lru_cache(maxsize=2)
def _environment(kind: str) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    if kind == "html":
        env = Environment(loader=PackageLoader("riskmanual.reports", "templates"), autoescape=True,
                          finalize=_clean, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    else:
        env = Environment(loader=PackageLoader("riskmanual.reports", "templates"), autoescape=False,
                          finalize=markdown_escape, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=True)
    return env


def _explanation(text: str) -> list[dict[str, Any]]:
    """The explanation's lines as blocks: a heading (a line that ends in ':'), a paragraph, or an
    item with its level of indentation."""
    blocks: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if indent == 0:
            blocks.append({"kind": "heading" if body.endswith(":") else "text", "text": body, "level": 0})
        else:
            blocks.append({"kind": "item", "text": body, "level": min(indent // 2, 4)})
    return blocks


def _view(report: CaseReport) -> dict[str, Any]:
    """Everything the templates print, as words and numbers in the report's language."""
    from ..case.consent import agency_words, who
    from ..case.plan import state_words

    lang = report.lang
    w = words(lang)
    result = report.result

    def people(signatories: tuple[str, ...] | list[str]) -> str:
        names = [who(s).render(lang) for s in signatories]
        if len(names) < 2:
            return "".join(names)
        return ", ".join(names[:-1]) + (" and " if lang == "en" else " och ") + names[-1]

    def agency(name: str) -> str:
        return agency_words(name).render(lang)

    def consent_text(row: Any) -> str:
        parts = []
        if row.withdrawn:
            parts.append(w["consent_withdrawn"].format(who=people(row.withdrawn)))
        if row.expired:
            parts.append(w["consent_expired"].format(who=people(row.expired)))
        if row.missing:
            parts.append(w["consent_missing"].format(who=people(row.missing)))
        return "; ".join(parts) if parts else w["consent_valid"]

    consent, absent = [], []
    for then, now in zip(report.consent_then.rows, report.consent_now.rows):
        if all(r.status == "missing" and set(r.missing) == set(snap.required)
               for r, snap in ((then, report.consent_then), (now, report.consent_now))):
            absent.append(_capital(agency(now.agency)))  # nobody has given it: one line for all of them
            continue
        consent.append({"agency": _capital(agency(then.agency)), "then": consent_text(then),
                        "then_status": then.status, "now": consent_text(now), "now_status": now.status})
    valid_now = {row.agency for row in report.consent_now.rows if row.status == "valid"}
    withdrawals = [w["withdrawn_line"].format(who=_capital(who(s).render(lang)), agency=agency(a))
                   for s, a in report.withdrawals]
    plans = []
    for plan in report.plans:
        commitments = []
        for c in plan.commitments:
            follow_ups = [e for e in c.events if e.kind == "follow_up" and e.outcome]
            last = follow_ups[-1] if follow_ups else None
            commitments.append({
                "id": c.id, "agency": _capital(agency(c.agency)), "contact": c.contact_role, "action": c.action,
                "goal": c.goal, "need": report.need_labels.get(c.need or "", c.need) if c.need else None,
                "start": long_date(c.start_date, lang), "follow_up": long_date(c.follow_up_date, lang),
                "state": state_words(c.state).render(lang), "state_id": c.state,
                "reason": c.reason if c.state in ("not_done", "withdrawn") else None,
                "last": f"{long_date(last.date, lang)}: {last.outcome}" if last else None,
                "consent_lacking": w["consent_lacking_now"].format(agency=agency(c.agency))
                if c.open and c.agency not in valid_now else None,
            })
        status = w["plan_committed"].format(date=long_date(plan.committed_on, lang)) if plan.state == "committed" \
            else w["plan_draft"].format(date=long_date(plan.drafted_on, lang))
        plans.append({"id": plan.id, "title": w["plan_number"].format(id=plan.id), "status": status,
                      "draft": plan.state != "committed", "goals": plan.goals, "commitments": commitments})

    def about(value: float) -> str:
        """Whole points, for the young person and the guardians: ``omkring 24`` for 24,12."""
        shown = number(value, lang, 0)
        return shown if abs(value - round(value)) < 1e-9 else f"{w['about']} {shown}"

    def factor(c: Any) -> dict[str, Any]:
        return {"label": c.label, "answer": c.response_label, "points": signed(c.points, lang, 0),
                "critical": c.critical, "note": c.note}

    judgement = None
    if result.judgement is not None:
        j = result.judgement
        computed = result.band.label if result.band else w["no_level"]
        if j.kind == "final_rating":
            text = w["judgement_final"].format(band=j.band.label)
        elif j.direction == "same":
            text = w["judgement_same"].format(band=j.band.label)
        else:
            text = w["judgement_override"].format(computed=computed, band=j.band.label)
        judgement = {"text": text, "reason": j.reason or w["no_reason"]}
    target = None
    if result.target_group is not None:
        tg = result.target_group
        verdict = {True: w["tg_yes"], False: w["tg_no"], None: w["tg_unknown"]}[tg.met]
        target = {"name": tg.decision or f"{w['target_group']} ({tg.rule})", "verdict": verdict,
                  "met": tg.met, "reasons": "; ".join(tg.reasons)}
    robustness = None
    if result.robustness is not None and result.robustness.unresolved:
        robustness = _robustness_text(report)
    change = None
    if report.change is not None:
        ch = report.change
        change = {
            "summary": w["change_from"].format(date=long_date(ch.previous_date, lang),
                                               total=about(ch.previous_total),
                                               band=ch.previous_band or w["no_level"],
                                               now=about(result.total), band_now=report.band or w["no_level"]),
            "version": w["change_version"].format(version=ch.previous_version) if ch.version_changed else None,
            "better": [f"{c.label} ({signed(c.delta, lang, 0)} {w['points_short']})" for c in ch.better],
            "worse": [f"{c.label} ({signed(c.delta, lang, 0)} {w['points_short']})" for c in ch.worse],
            "domains": [f"{c.label}: {about(c.before)} → {about(c.after)}" for c in ch.domains],
        }
    estimated_points = sum(c.points for c in report.estimated)
    from markupsafe import Markup

    from .chart import domain_chart

    chart = domain_chart(result, lang, axis_label=w["chart_axis"], title=w["chart"])
    return {
        "w": w, "lang": lang, "report": report,
        "pseudonym": report.pseudonym,
        "age": f"{report.age} {w['years']}" if report.age is not None else w["age_unknown"],
        "date": long_date(report.assessment_date, lang), "today": long_date(report.today, lang),
        "made": long_date(report.today, lang),
        "instrument": f"{report.instrument_title}, {w['version']} {report.instrument_version}",
        "instrument_ref": report.instrument_ref,
        "band": report.band or w["no_level"], "complete": report.status == "complete",
        "points": w["points_of"].format(total=about(result.total), minimum=about(result.minimum),
                                        maximum=about(result.maximum)),
        "points_estimated": w["points_estimated"].format(points=about(estimated_points))
        if report.estimated else None,
        "recommendation": result.recommendation, "target": target, "judgement": judgement,
        "critical": [{"label": c.label, "answer": c.response_label, "rule": _capital(c.rule), "reason": c.reason,
                      "raised": w["raised"].format(band=result.score_band.label)
                      if c.raised and result.score_band else None} for c in report.critical],
        "review": result.review_required,
        "chart": Markup(chart) if chart else None,
        "main": [factor(c) for c in report.main[:TOP]],
        "main_rest": w["main_rest"].format(n=len(report.main) - TOP,
                                           points=about(sum(c.points for c in report.main[TOP:])))
        if len(report.main) > TOP else None,
        "estimated": [factor(c) for c in report.estimated],
        "protective": [factor(c) for c in report.protective], "robustness": robustness,
        "unknown": [r.label for r in report.unknown], "missing": [r.label for r in report.missing],
        "not_applicable": [r.label for r in report.not_applicable],
        "consent": consent, "consent_absent": absent,
        "consent_any": report.consent_now.any_recorded or report.consent_then.any_recorded,
        "required": w["required"].format(who=people(report.consent_now.required)),
        "withdrawals": withdrawals,
        "withdrawn_reporting": any(a == "reporting" for _, a in report.withdrawals),
        "plans": plans, "change": change, "explanation": _explanation(report.explanation),
        "labels_stored": report.labels_in != lang, "not_calibrated": report.calibrated is False,
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _robustness_text(report: CaseReport) -> str:
    """How far the unknown answers could move the band: the explanation's own sentence."""
    from ..explanation import _Lines, _robustness

    out = _Lines(10_000)
    _robustness(out, report.result, report.lang)
    return " ".join(line.strip() for line in out.lines if line.strip())


def html(report: CaseReport) -> str:
    """The report as one self-contained HTML page (styles and the chart inline)."""
    return str(_environment("html").get_template("case_report.html.j2").render(**_view(report)))


def markdown(report: CaseReport) -> str:
    """The report as markdown; every value from the case or the instrument is escaped."""
    return str(_environment("markdown").get_template("case_report.md.j2").render(**_view(report)))


def pdf(report: CaseReport) -> bytes:
    """The report as an A4 PDF, drawn by WeasyPrint from the same HTML."""
    return pdf_from_html(html(report))


def pdf_from_html(page: str) -> bytes:
    """``page`` drawn as PDF by WeasyPrint (which needs the system's Pango library)."""
    import logging

    from ..errors import RiskmanualError
    from ..messages import tr

    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise RiskmanualError(tr("a PDF needs WeasyPrint and the Pango library (pip install 'riskmanual[reports]'): "
                                 "{reason}", reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)) \
            from None

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return bytes(HTML(string=page, base_url=None).write_pdf())


def render(report: CaseReport, fmt: str) -> str | bytes:
    """The report in ``fmt`` (html, markdown: text; pdf: bytes)."""
    if fmt == "pdf":
        return pdf(report)
    return markdown(report) if fmt == "markdown" else html(report)
