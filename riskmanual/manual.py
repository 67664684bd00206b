"""Render an instrument as the manual a social worker reads: domains, items, guidance, bands.

Everything is in the chosen language: the instrument's texts, the engine's words (status,
calibration, kinds, directions, rules), conditions with labels (never ids or lists) and
numbers in that language's style (``6,5 poäng``, ``1–2 anmälningar``, ``−10 till 43``).
"""

from __future__ import annotations

from typing import Any, Literal

from .conditions import bin_range, critical_words, describe
from .instrument import BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, Item, NumericResponse
from .messages import message
from .numbers import number, points, quantity, span, unit_word
from .text import localize

__all__ = ["render_manual"]

_WORDS = {
    "sv": {
        "version": "Version", "status": "Status", "population": "Avsett för", "outcome": "Utfall",
        "months": "månader", "domains": "Områden och frågor", "question": "Fråga", "definition": "Definition",
        "levels": "Bedömningsnivåer", "sources": "Informationskällor", "window": "Tidsfönster",
        "answers": "Svar", "applies": "Gäller bara om", "interventions": "Insatser",
        "bands": "Nivåer", "target": "Målgrupp", "missing": "Saknade svar", "override": "Justering av nivån",
        "kind": {"risk": "riskfaktor", "protective": "skyddsfaktor", "information": "information"},
        "stability": {"static": "statisk", "dynamic": "dynamisk"}, "calibration": "Kalibrering",
        "calibration_status": {"uncalibrated": "okalibrerad", "calibrated": "kalibrerad"},
        "authors": "Författare", "licence": "Licens", "references": "Referenser", "age": "Ålder",
        "derived": "beräknas från födelsedatumet", "critical": "kritisk fråga", "required": "obligatorisk",
        "years": "år", "points_word": "poäng",
        "max_missing": "högst {n} {answers}, annars är bedömningen ofullständig; saknade svar {how}",
        "answers_n": ("saknat svar", "saknade svar"),
        "no_limit": "ingen gräns för saknade svar; saknade svar {how}",
        "prorate": "får medelpoängen för besvarade frågor i samma område", "zero": "räknas som 0 poäng",
        "subtract": "Skyddsfaktorer dras av från summan", "separate": "Skyddsfaktorer bildar en egen skala",
        "allowed": "tillåten, riktning: {d}, motivering krävs: {r}",
        "direction": {"up": "uppåt", "down": "nedåt", "both": "båda hållen"},
        "not_allowed": "inte tillåten", "assessor": "Bedömarens slutliga nivå är resultatet; poängen är vägledning.",
        "yes": "ja", "no": "nej", "probability": "Sannolikhet",
        "form": {"logistic": "logistisk modell", "table": "tabell"},
        "recommendation": "Rekommendation", "needs": "Behov",
        "needs_policy": {"offer": "insatser erbjuds för varje behov", "consider": "behoven listas att överväga",
                         "none": "behoven listas inte (risknivån motiverar inga insatser)"},
        "reassess": "Ny bedömning inom {n}", "total": "summa", "band_from": "från {a} till under {b} poäng",
        "min_band": "nivå {band} eller högre", "age_rule": "ålder {range} år", "when": "{condition}",
        "decision": "Beslut", "no_unknown": "Svaret får inte vara okänt.",
        "not_applicable": "Kan besvaras med ej tillämplig.", "range": "Svarsintervall",
        "domain_missing": "Saknade svar i {domain}",
    },
    "en": {
        "version": "Version", "status": "Status", "population": "Intended for", "outcome": "Outcome",
        "months": "months", "domains": "Domains and items", "question": "Question", "definition": "Definition",
        "levels": "Rating levels", "sources": "Information sources", "window": "Time window",
        "answers": "Answers", "applies": "Applies only when", "interventions": "Interventions",
        "bands": "Bands", "target": "Target group", "missing": "Missing answers", "override": "Assessor's override",
        "kind": {"risk": "risk factor", "protective": "protective factor", "information": "information"},
        "stability": {"static": "static", "dynamic": "dynamic"}, "calibration": "Calibration",
        "calibration_status": {"uncalibrated": "uncalibrated", "calibrated": "calibrated"},
        "authors": "Authors", "licence": "Licence", "references": "References", "age": "Age",
        "derived": "computed from the birth date", "critical": "critical item", "required": "required",
        "years": "years", "points_word": "points",
        "max_missing": "at most {n} {answers}, else the assessment is incomplete; missing answers {how}",
        "answers_n": ("missing answer", "missing answers"),
        "no_limit": "no limit on missing answers; missing answers {how}",
        "prorate": "get the mean points of the answered items in their domain", "zero": "count as 0 points",
        "subtract": "Protective factors are subtracted from the total", "separate": "Protective factors form a separate scale",
        "allowed": "allowed, direction: {d}, reason required: {r}",
        "direction": {"up": "up", "down": "down", "both": "both ways"},
        "not_allowed": "not allowed", "assessor": "The assessor's final rating is the result; points are guidance.",
        "yes": "yes", "no": "no", "probability": "Probability",
        "form": {"logistic": "logistic model", "table": "table"},
        "recommendation": "Recommendation", "needs": "Needs",
        "needs_policy": {"offer": "interventions are offered for each need", "consider": "needs are listed to consider",
                         "none": "needs are not listed (the risk level does not warrant interventions)"},
        "reassess": "Reassess within {n}", "total": "total", "band_from": "from {a} to under {b} points",
        "min_band": "band {band} or higher", "age_rule": "aged {range}", "when": "{condition}",
        "decision": "Decision", "no_unknown": "The answer may not be unknown.",
        "not_applicable": "May be answered not applicable.", "range": "Range",
        "domain_missing": "Missing answers in {domain}",
    },
}


def render_manual(instrument: Instrument, lang: str = "en", fmt: Literal["text", "markdown"] = "text") -> str:
    """The whole manual as plain text or Markdown, in ``lang`` (English for a language the
    engine does not speak)."""
    lang = lang if lang in _WORDS else "en"
    w: dict[str, Any] = _WORDS[lang]
    md = fmt == "markdown"
    if md:
        instrument = _markdown_safe(instrument)
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
    status = message(f"status.{instrument.status}", lang)
    para(f"{w['version']} {instrument.version} · {w['status']}: {status} · {instrument.id}")
    if instrument.description:
        para(t(instrument.description))
    population = instrument.population
    if population.age or population.description:
        age = f"{span(population.age.min, population.age.max, lang)} {w['years']}. " if population.age else ""
        para(f"{w['population']}: {age}{t(population.description) if population.description else ''}".rstrip())
    months = quantity(instrument.outcome.window_months, _MONTHS, lang)
    para(f"{w['outcome']}: {t(instrument.outcome.description)} ({months})")
    if instrument.calibration:
        note = t(instrument.calibration.note) if instrument.calibration.note else ""
        words = w["calibration_status"].get(instrument.calibration.status, instrument.calibration.status)
        para(f"{w['calibration']}: {words}. {note}".rstrip())

    heading(w["domains"], 2)
    for domain, parents in instrument.walk_domains():
        heading(t(domain.label), 3 + min(len(parents), 2))
        if domain.description:
            para(t(domain.description))
        if domain.missing is not None:
            para(f"{w['domain_missing'].format(domain=t(domain.label))}: {_missing_words(domain.missing, w)}.")
        for item in instrument.items:
            if item.domain == domain.id:
                _item(item, instrument, lang, w, out, md, bullet)

    heading(w["bands"], 2)
    whole = _whole_totals(instrument)
    policies = len({band.needs for band in instrument.bands}) > 1 or instrument.bands[0].needs != "offer"
    for band in instrument.bands:
        bullet(f"{_strong(t(band.label), md)} ({_band_range(instrument, band, whole, lang, w)})")
        if band.description:
            bullet(t(band.description), 1)
        if band.recommendation:
            bullet(f"{w['recommendation']}: {t(band.recommendation)}", 1)
        if policies:
            bullet(f"{w['needs']}: {w['needs_policy'][band.needs]}", 1)
        if band.reassess_months:
            bullet(w["reassess"].format(n=quantity(band.reassess_months, _MONTHS, lang)) + ".", 1)
    out.append("")
    if instrument.target_group:
        para(_target_group(instrument, lang, w, md))
    scoring = instrument.scoring
    para(f"{_strong(w['missing'], md)}: {_missing_words(scoring.missing, w)}. {w[scoring.protective]}.")
    override = instrument.judgement.override
    text = w["allowed"].format(d=w["direction"][override.direction], r=w["yes"] if override.reason_required else w["no"]) \
        if override.allowed else w["not_allowed"]
    para(f"{_strong(w['override'], md)}: {text}")
    if instrument.judgement.final_rating == "assessor":
        para(w["assessor"])
    if instrument.probability is not None:
        p = instrument.probability
        follow = quantity(p.follow_up_months, _MONTHS, lang)
        para(f"{_strong(w['probability'], md)}: {w['form'][p.form]}, {t(p.sample)}, {p.date}, {follow}")
    para(f"{w['authors']}: {', '.join(instrument.authors)} · {w['licence']}: {instrument.licence}")
    if instrument.references:
        heading(w["references"], 2)
        for ref in instrument.references:
            bullet(ref)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _markdown_safe(instrument: Instrument) -> Instrument:
    """A copy whose every text (and author and reference) is literal Markdown: an instrument's
    words cannot add raw HTML, headings or links to the manual."""
    from .checks import _texts
    from .text import markdown_escape

    data = instrument.model_dump(by_alias=True)
    for path, text in _texts(instrument, ()):
        if not (isinstance(text, str) or (isinstance(text, dict) and all(isinstance(v, str) for v in text.values()))):
            continue  # a unit's singular and plural forms are texts inside a model: walked as such
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = ({k: markdown_escape(v) for k, v in text.items()} if isinstance(text, dict)
                            else markdown_escape(text))
    data["authors"] = [markdown_escape(a) for a in data["authors"]]
    data["references"] = [markdown_escape(r) for r in data.get("references") or []] or None
    data["licence"] = markdown_escape(data["licence"])
    return Instrument.model_validate(data)


_MONTHS = {"singular": {"sv": "månad", "en": "month"}, "plural": {"sv": "månader", "en": "months"}}


def _strong(text: str, md: bool) -> str:
    return f"**{text}**" if md else text


def _missing_words(rule: Any, w: dict[str, Any]) -> str:
    how = w[rule.handling]
    if rule.max_missing is None:
        return w["no_limit"].format(how=how)
    one, many = w["answers_n"]
    return w["max_missing"].format(n=rule.max_missing, answers=one if rule.max_missing == 1 else many, how=how)


def _whole_totals(instrument: Instrument) -> bool:
    """True when every total is a whole number: whole points and nothing prorated."""
    for item in instrument.items:
        low, high = item.points_range()
        values = list(item.points_table().values()) or [b.points for b in getattr(item.response, "bins", None) or []]
        if any(float(v) != int(v) for v in values + [low, high]):
            return False
    rules = [instrument.scoring.missing] + [d.missing for d, _ in instrument.walk_domains() if d.missing is not None]
    return all(r.handling == "zero" or r.max_missing == 0 for r in rules)


def _band_range(instrument: Instrument, band: Any, whole: bool, lang: str, w: dict[str, Any]) -> str:
    low, high = instrument.score_range()
    lo = band.min if band.min is not None else low
    if band.below is None:
        return f"{span(lo, high, lang)} {w['points_word']}"
    if whole:
        return f"{span(lo, band.below - 1, lang)} {w['points_word']}"
    return w["band_from"].format(a=number(lo, lang), b=number(band.below, lang))


def _target_group(instrument: Instrument, lang: str, w: dict[str, Any], md: bool) -> str:
    rule = instrument.target_group
    assert rule is not None
    band = instrument.band(rule.min_band)
    parts = [w["min_band"].format(band=localize(band.label, lang) if band else rule.min_band)]
    if rule.age is not None:
        parts.append(w["age_rule"].format(range=span(rule.age.min, rule.age.max, lang)))
    if rule.when is not None:
        parts.append(describe(rule.when, instrument, lang))
    from .conditions import every

    text = f"{_strong(w['target'], md)}: {localize(rule.label, lang)} ({every(parts, lang)})"
    if rule.description:
        text += f". {localize(rule.description, lang)}"
    if rule.decision:
        text += f"\n\n{_strong(w['decision'], md)}: {localize(rule.decision, lang)}"
    return text


def _item(item: Item, instrument: Instrument, lang: str, w: dict[str, Any], out: list[str], md: bool, bullet: Any) -> None:
    t = lambda text: localize(text, lang)  # noqa: E731
    tags = [w["kind"][item.kind], w["stability"][item.stability]]
    if item.critical_rule is not None:
        tags.append(w["critical"])
    if item.required:
        tags.append(w["required"])
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
        for code, value in item.points_table().items():
            label = message(code, lang) if isinstance(response, BooleanResponse) else t(
                next(o.label for o in response.options if o.code == code))
            line = f"{label} [{code}]" if not item.scored else f"{label} [{code}]: {points(sign * value + 0.0, lang)}"
            if code in levels:
                line += f" – {t(levels[code])}"
            bullet(line, 1)
    elif isinstance(response, (NumericResponse, DerivedResponse)):
        if isinstance(response, DerivedResponse):
            bullet(f"{w['age']}: {w['derived']}", 1)
        else:
            unit = unit_word(response.unit, 2, lang) if response.unit else ""
            bullet(f"{w['range']}: {span(response.min, response.max, lang)} {unit}".rstrip(), 1)
        for b in response.bins or []:
            covers = bin_range(item, b, lang)
            label = t(b.label) if b.label else ""
            if label and _same(label, covers):
                label = ""
            shown = f"{covers} ({label})" if label else covers
            bullet(f"{shown}: {points(sign * b.points + 0.0, lang)}", 1)
    if not item.allow_unknown and not item.required:
        bullet(w["no_unknown"])
    if item.allow_not_applicable:
        bullet(w["not_applicable"])
    critical = critical_words(item, instrument, lang)
    if critical:
        bullet(critical)
    if item.applies_when is not None:
        bullet(f"{w['applies']} {describe(item.applies_when, instrument, lang)}")
    if item.interventions:
        bullet(f"{w['interventions']}: " + "; ".join(_intervention(i, instrument, lang, w) for i in item.interventions))
    out.append("")


def _intervention(intervention: Any, instrument: Instrument, lang: str, w: dict[str, Any]) -> str:
    agency = message("agency." + intervention.agency, lang)
    label = localize(intervention.label, lang)
    if agency.casefold() in label.casefold():  # "Samtal med BUP (BUP)": the agency is named already
        text = label
    else:
        text = f"{label} ({agency})"
    if intervention.applies_when is not None:
        text += f" – {w['applies'].lower()} {describe(intervention.applies_when, instrument, lang)}"
    return text


def _same(a: str, b: str) -> bool:
    """Two range texts that say the same (``1-2`` and ``1–2 anmälningar``)."""
    def norm(text: str) -> str:
        return text.replace("-", "\u2013").replace(" ", "").casefold()

    return norm(a) == norm(b) or norm(b).startswith(norm(a)) and not any(c.isalpha() for c in a)
