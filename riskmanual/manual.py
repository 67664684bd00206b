"""Render an instrument as the manual a social worker reads: domains, items, guidance, bands."""

from __future__ import annotations

from typing import Any, Literal

from .instrument import AllOf, AnyOf, BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, Item, NumericResponse
from .messages import message
from .text import localize

__all__ = ["render_manual"]

_WORDS = {
    "sv": {
        "version": "Version", "status": "Status", "population": "Målgrupp", "outcome": "Utfall",
        "months": "månader", "domains": "Områden och frågor", "question": "Fråga", "definition": "Definition",
        "levels": "Bedömningsnivåer", "sources": "Informationskällor", "window": "Tidsfönster",
        "answers": "Svar", "points": "poäng", "applies": "Gäller bara om", "interventions": "Insatser",
        "bands": "Nivåer", "target": "Målgrupp för SIG", "missing": "Saknade svar", "override": "Bedömarens omprövning",
        "kind": {"risk": "riskfaktor", "protective": "skyddsfaktor", "information": "information"},
        "stability": {"static": "statisk", "dynamic": "dynamisk"}, "calibration": "Kalibrering",
        "authors": "Författare", "licence": "Licens", "references": "Referenser", "age": "ålder",
        "derived": "beräknas från födelsedatum", "critical": "kritisk fråga", "years": "år",
        "max_missing": "högst {n} saknade svar, annars ofullständig; saknade svar {how}",
        "prorate": "proportioneras", "zero": "räknas som 0", "subtract": "skyddsfaktorer dras av från totalen",
        "separate": "skyddsfaktorer bildar en egen skala", "allowed": "tillåten, riktning: {d}, motivering krävs: {r}",
        "not_allowed": "inte tillåten", "assessor": "Bedömarens slutliga nivå är resultatet; poängen är vägledning.",
        "yes": "ja", "no": "nej", "probability": "Sannolikhet",
    },
    "en": {
        "version": "Version", "status": "Status", "population": "Population", "outcome": "Outcome",
        "months": "months", "domains": "Domains and items", "question": "Question", "definition": "Definition",
        "levels": "Rating levels", "sources": "Information sources", "window": "Time window",
        "answers": "Answers", "points": "points", "applies": "Applies only when", "interventions": "Interventions",
        "bands": "Bands", "target": "Target group", "missing": "Missing answers", "override": "Assessor's override",
        "kind": {"risk": "risk factor", "protective": "protective factor", "information": "information"},
        "stability": {"static": "static", "dynamic": "dynamic"}, "calibration": "Calibration",
        "authors": "Authors", "licence": "Licence", "references": "References", "age": "age",
        "derived": "computed from the birth date", "critical": "critical item", "years": "years",
        "max_missing": "at most {n} missing answers, else incomplete; missing answers are {how}",
        "prorate": "prorated", "zero": "counted as 0", "subtract": "protective factors are subtracted from the total",
        "separate": "protective factors form a separate scale", "allowed": "allowed, direction: {d}, reason required: {r}",
        "not_allowed": "not allowed", "assessor": "The assessor's final rating is the result; points are guidance.",
        "yes": "yes", "no": "no", "probability": "Probability",
    },
}


def render_manual(instrument: Instrument, lang: str = "en", fmt: Literal["text", "markdown"] = "text") -> str:
    """The whole manual as plain text or Markdown, in ``lang``."""
    w: dict[str, Any] = _WORDS.get(lang, _WORDS["en"])
    md = fmt == "markdown"
    t = lambda text: localize(text, lang)  # noqa: E731
    out: list[str] = []

    def heading(text: str, level: int) -> None:
        if md:
            out.extend([f"{'#' * level} {text}", ""])
        else:
            rule = "=" if level == 1 else "-" if level == 2 else ""
            out.append(text)
            if rule:
                out.append(rule * min(len(text), 78))
            out.append("")

    def para(text: str) -> None:
        out.extend([text, ""])

    def bullet(text: str, depth: int = 0) -> None:
        out.append("  " * depth + ("- " if md else "* ") + text)

    heading(t(instrument.title), 1)
    para(f"{w['version']} {instrument.version} · {w['status']}: {instrument.status} · {instrument.id}")
    if instrument.description:
        para(t(instrument.description))
    population = instrument.population
    if population.age or population.description:
        age = f"{population.age.min}-{population.age.max} {w['years']}. " if population.age else ""
        para(f"{w['population']}: {age}{t(population.description) if population.description else ''}".rstrip())
    para(f"{w['outcome']}: {t(instrument.outcome.description)} ({instrument.outcome.window_months} {w['months']})")
    if instrument.calibration:
        note = t(instrument.calibration.note) if instrument.calibration.note else ""
        para(f"{w['calibration']}: {instrument.calibration.status}. {note}".rstrip())

    heading(w["domains"], 2)
    for domain, parents in instrument.walk_domains():
        heading(t(domain.label), 3 + min(len(parents), 2))
        if domain.description:
            para(t(domain.description))
        for item in instrument.items:
            if item.domain == domain.id:
                _item(item, instrument, lang, w, out, md, bullet)

    heading(w["bands"], 2)
    low, high = instrument.score_range()
    for band in instrument.bands:
        lo = f"{band.min:g}" if band.min is not None else f"{low:g}"
        hi = f"< {band.below:g}" if band.below is not None else f"≤ {high:g}"
        bullet(f"{_strong(t(band.label), md)} ({lo} ≤ total {hi})")
        if band.description:
            bullet(t(band.description), 1)
        if band.recommendation:
            bullet(t(band.recommendation), 1)
    out.append("")
    if instrument.target_group:
        rule = instrument.target_group
        para(f"{_strong(w['target'], md)}: {t(rule.label)}")
    scoring = instrument.scoring
    missing = scoring.missing
    para(f"{_strong(w['missing'], md)}: " + w["max_missing"].format(
        n=missing.max_missing if missing.max_missing is not None else "∞", how=w[missing.handling]) + ". " + w[scoring.protective] + ".")
    override = instrument.judgement.override
    text = w["allowed"].format(d=override.direction, r=w["yes"] if override.reason_required else w["no"]) if override.allowed else w["not_allowed"]
    para(f"{_strong(w['override'], md)}: {text}")
    if instrument.judgement.final_rating == "assessor":
        para(w["assessor"])
    if instrument.probability is not None:
        p = instrument.probability
        para(f"{_strong(w['probability'], md)}: {p.form}, {t(p.sample)}, {p.date}, {p.follow_up_months} {w['months']}")
    para(f"{w['authors']}: {', '.join(instrument.authors)} · {w['licence']}: {instrument.licence}")
    if instrument.references:
        heading(w["references"], 2)
        for ref in instrument.references:
            bullet(ref)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _strong(text: str, md: bool) -> str:
    return f"**{text}**" if md else text


def _item(item: Item, instrument: Instrument, lang: str, w: dict[str, Any], out: list[str], md: bool, bullet: Any) -> None:
    t = lambda text: localize(text, lang)  # noqa: E731
    tags = [w["kind"][item.kind], w["stability"][item.stability]]
    if item.critical:
        tags.append(w["critical"])
    title = f"{t(item.label)} [{item.id}] ({', '.join(tags)})"
    out.append(f"**{title}**" if md else title)
    out.append("")
    if item.question:
        bullet(f"{w['question']}: {t(item.question)}")
    guidance = item.guidance
    if guidance:
        bullet(f"{w['definition']}: {t(guidance.definition)}")
        if guidance.time_window:
            bullet(f"{w['window']}: {t(guidance.time_window)}")
        if guidance.sources:
            bullet(f"{w['sources']}: " + "; ".join(t(s) for s in guidance.sources))
    bullet(f"{w['answers']}:")
    sign = -1 if instrument.sign(item) < 0 else 1
    levels = (guidance.levels or {}) if guidance else {}
    response = item.response
    if isinstance(response, (BooleanResponse, ChoiceResponse)):
        for code, points in item.points_table().items():
            label = message(code, lang) if isinstance(response, BooleanResponse) else t(
                next(o.label for o in response.options if o.code == code))
            line = f"{label} [{code}]: {sign * points + 0.0:g} {w['points']}"
            if code in levels:
                line += f" – {t(levels[code])}"
            bullet(line, 1)
    elif isinstance(response, (NumericResponse, DerivedResponse)):
        if isinstance(response, DerivedResponse):
            bullet(f"{w['age']}: {w['derived']}", 1)
        else:
            unit = f" {t(response.unit_text(response.max))}" if response.unit else ""
            bullet(f"{response.min:g}-{response.max:g}{unit}", 1)
        for b in response.bins or []:
            lo = f"{b.min:g}" if b.min is not None else "…"
            hi = f"< {b.below:g}" if b.below is not None else "…"
            label = f" {t(b.label)}" if b.label else ""
            bullet(f"{lo} ≤ x {hi}:{label} {sign * b.points + 0.0:g} {w['points']}", 1)
    if item.applies_when is not None:
        bullet(f"{w['applies']}: {_condition(item.applies_when)}")
    if item.interventions:
        bullet(f"{w['interventions']}: " + "; ".join(
            f"{t(i.label)} ({message('agency.' + i.agency, lang)})" for i in item.interventions))
    out.append("")


def _condition(condition: Any) -> str:
    if isinstance(condition, AllOf):
        return " AND ".join(f"({_condition(c)})" for c in condition.all)
    if isinstance(condition, AnyOf):
        return " OR ".join(f"({_condition(c)})" for c in condition.any)
    return f"{condition.item} {condition.op} {condition.value}"
