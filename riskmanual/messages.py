"""The engine's own words in Swedish and English (instrument texts come from the instrument)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Localized", "Msg", "count_items", "current_language", "language", "message",
           "render", "set_language", "tr"]

LANGUAGES = ("sv", "en")

#: The command line's language when neither ``--lang``, ``$RISKMANUAL_LANG`` nor an
#: instrument says otherwise: Swedish, the first language of the program's users.
DEFAULT_LANGUAGE = "sv"

# The language ``str(issue)`` and ``str(error)`` render in; the library's default is English
# (a Msg's value), the command line sets the language the user asked for.
_CURRENT: contextvars.ContextVar[str] = contextvars.ContextVar("riskmanual_language", default="en")


def current_language() -> str:
    """The language messages render in when none is named (``en`` unless set)."""
    return _CURRENT.get()


def set_language(lang: str | None) -> None:
    """Render messages in ``lang`` from now on (in this context); ``None`` keeps the current one."""
    if lang:
        _CURRENT.set(lang)


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Render messages in ``lang`` inside a ``with`` block."""
    token = _CURRENT.set(lang or _CURRENT.get())
    try:
        yield
    finally:
        _CURRENT.reset(token)

_MESSAGES: dict[str, dict[str, str]] = {
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "unknown": {"sv": "okänt / går ej att bedöma", "en": "unknown / not assessable"},
    "not_applicable": {"sv": "ej tillämplig", "en": "not applicable"},
    "imputed": {"sv": "saknas (uppskattat)", "en": "missing (imputed)"},
    "imputed_unknown": {"sv": "okänt (uppskattat)", "en": "unknown (imputed)"},
    "missing.none": {"sv": "Alla poänggivande frågor är besvarade.", "en": "Every scored item is answered."},
    "missing.prorate": {
        "sv": "Obesvarade eller okända: {items}. De har fått medelpoängen för besvarade frågor i samma område (proportionering).",
        "en": "{items} missing or unknown; each was given the mean points of the answered items in its domain (prorating).",
    },
    "missing.zero": {
        "sv": "Obesvarade eller okända: {items}. De har räknats som 0 poäng.",
        "en": "{items} missing or unknown; they were counted as 0 points.",
    },
    "missing.mixed": {
        "sv": "Obesvarade eller okända: {items}. De har proportionerats eller räknats som 0 enligt områdets regel.",
        "en": "{items} missing or unknown; each was prorated or counted as 0 by its domain's rule.",
    },
    "missing.incomplete": {
        "sv": "Obesvarade eller okända: {items}, fler än tillåtet ({scopes}). Bedömningen är ofullständig och får ingen nivå; summan räknar bara besvarade frågor.",
        "en": "{items} missing or unknown, more than allowed ({scopes}): the assessment is incomplete and gets no band. The total counts answered items only.",
    },
    "tg.band_ok": {"sv": "nivån {band} är högre än {min_band}", "en": "band {band} is above {min_band}"},
    "tg.band_at": {"sv": "nivån är {band}", "en": "the band is {band}"},
    "tg.band_low": {"sv": "nivån {band} är under {min_band}", "en": "band {band} is below {min_band}"},
    "tg.no_band": {"sv": "ingen nivå: bedömningen är ofullständig", "en": "no band: the assessment is incomplete"},
    "tg.age_ok": {"sv": "åldern {age} år ligger inom {min}–{max} år", "en": "age {age} is within {min}–{max}"},
    "tg.age_out": {"sv": "åldern {age} år ligger utanför {min}–{max} år", "en": "age {age} is outside {min}–{max}"},
    "tg.no_age": {"sv": "åldern är okänd (inget födelsedatum)", "en": "age unknown (no birth date given)"},
    "tg.when_ok": {"sv": "villkoret är uppfyllt", "en": "the condition holds"},
    "tg.when_no": {"sv": "villkoret är inte uppfyllt", "en": "the condition does not hold"},
    "tg.when_unknown": {"sv": "villkoret kan inte avgöras", "en": "the condition cannot be decided"},
    "ex.headline": {
        "sv": "{title} {version}: {total} poäng (möjligt {minimum} till {maximum}), nivå: {band}.",
        "en": "{title} {version}: {total} points (possible {minimum} to {maximum}), band: {band}.",
    },
    "ex.incomplete": {
        "sv": "{title} {version}: OFULLSTÄNDIG – {total} poäng av besvarade frågor, ingen nivå.",
        "en": "{title} {version}: INCOMPLETE - {total} points from answered items, no band.",
    },
    "ex.final": {
        "sv": "Bedömarens slutliga nivå: {band} ({direction}). Motivering: {reason}",
        "en": "Assessor's final band: {band} ({direction}). Reason: {reason}",
    },
    "ex.protective_total": {
        "sv": "Skyddsfaktorer (egen skala): {total} poäng.",
        "en": "Protective factors (separate scale): {total} points.",
    },
    "ex.direction.up": {"sv": "höjd", "en": "raised"},
    "ex.direction.down": {"sv": "sänkt", "en": "lowered"},
    "ex.direction.same": {"sv": "oförändrad", "en": "unchanged"},
    "ex.direction.none": {"sv": "ingen beräknad nivå", "en": "no computed band"},
    "ex.no_reason": {"sv": "(ingen angiven)", "en": "(none given)"},
    "ex.target_yes": {"sv": "Målgrupp ({rule}): JA – {reasons}.", "en": "Target group ({rule}): YES - {reasons}."},
    "ex.target_no": {"sv": "Målgrupp ({rule}): NEJ – {reasons}.", "en": "Target group ({rule}): NO - {reasons}."},
    "ex.target_unknown": {
        "sv": "Målgrupp ({rule}): KAN INTE AVGÖRAS – {reasons}.",
        "en": "Target group ({rule}): CANNOT BE DECIDED - {reasons}.",
    },
    "ex.probability": {
        "sv": "Sannolikhet för utfallet inom {months} månader: {value}{ci} (enligt {sample}, {date}).",
        "en": "Probability of the outcome within {months} months: {value}{ci} (from {sample}, {date}).",
    },
    "ex.main": {"sv": "Det som bidrar mest:", "en": "Main contributing factors:"},
    "ex.none_main": {"sv": "Inga riskfaktorer ger poäng.", "en": "No risk factor adds points."},
    "ex.protective": {"sv": "Skyddsfaktorer som finns:", "en": "Protective factors present:"},
    "ex.none_protective": {"sv": "Inga skyddsfaktorer har markerats.", "en": "No protective factor is marked present."},
    "ex.domains": {"sv": "Per område:", "en": "By domain:"},
    "ex.not_answered": {"sv": "Det som inte är besvarat:", "en": "Not answered:"},
    "ex.missing": {"sv": "saknas", "en": "missing"},
    "ex.unknown": {"sv": "okänt", "en": "unknown"},
    "ex.na": {"sv": "ej tillämpligt", "en": "not applicable"},
    "ex.needs": {"sv": "Behov att arbeta med:", "en": "Needs to work on:"},
    "ex.points": {"sv": "p", "en": "pt"},
    "ex.critical": {"sv": "kritisk", "en": "critical"},
    "ex.calibration": {
        "sv": "Obs: instrumentets vikter är inte kalibrerade mot utfall.",
        "en": "Note: this instrument's weights are not calibrated against outcomes.",
    },
    # conditions, bins and critical rules in words (riskmanual/conditions.py)
    "cond.and": {"sv": "och", "en": "and"},
    "cond.or": {"sv": "eller", "en": "or"},
    "cond.is": {"sv": "{item} är {value}", "en": "{item} is {value}"},
    "cond.is_not": {"sv": "{item} är inte {value}", "en": "{item} is not {value}"},
    "cond.ord.lt": {"sv": "{item} är lägre än {value}", "en": "{item} is below {value}"},
    "cond.ord.le": {"sv": "{item} är högst {value}", "en": "{item} is at most {value}"},
    "cond.ord.gt": {"sv": "{item} är högre än {value}", "en": "{item} is above {value}"},
    "cond.ord.ge": {"sv": "{item} är minst {value}", "en": "{item} is at least {value}"},
    "cond.num.lt": {"sv": "{item} är under {value}", "en": "{item} is under {value}"},
    "cond.num.le": {"sv": "{item} är högst {value}", "en": "{item} is at most {value}"},
    "cond.num.gt": {"sv": "{item} är över {value}", "en": "{item} is over {value}"},
    "cond.num.ge": {"sv": "{item} är minst {value}", "en": "{item} is at least {value}"},
    "bin.at_most": {"sv": "högst {value} {unit}", "en": "at most {value} {unit}"},
    "bin.or_more": {"sv": "{value} eller fler {unit}", "en": "{value} or more {unit}"},
    "bin.age_or_more": {"sv": "{value} år eller äldre", "en": "{value} or older"},
    "bin.under": {"sv": "under {value} {unit}", "en": "under {value} {unit}"},
    "bin.from": {"sv": "från {value} {unit}", "en": "from {value} {unit}"},
    "bin.from_below": {"sv": "från {min} till under {below} {unit}", "en": "from {min} to under {below} {unit}"},
    "crit.answer": {"sv": "Kritiskt svar: {answers}.", "en": "Critical answer: {answers}."},
    "crit.answers": {"sv": "Kritiska svar: {answers}.", "en": "Critical answers: {answers}."},
    "crit.at_least": {"sv": "Kritiskt från {value}.", "en": "Critical from {value}."},
    "crit.any": {"sv": "Kritisk fråga.", "en": "Critical item."},
    "crit.review": {"sv": "bedömaren måste granska bedömningen", "en": "the assessor must review the assessment"},
    "crit.min_band": {"sv": "nivån blir minst {band}", "en": "the band is at least {band}"},
    "crit.reason": {"sv": "Skäl: {reason}", "en": "Reason: {reason}"},
    "crit.effect": {"sv": "Följd: {effects}.", "en": "Then: {effects}."},
    "status.draft": {"sv": "utkast", "en": "draft"},
    "status.active": {"sv": "aktiv", "en": "active"},
    "status.retired": {"sv": "utgången", "en": "retired"},
    "status.unreadable": {"sv": "oläslig", "en": "unreadable"},
    "origin.bundled": {"sv": "medföljer", "en": "bundled"},
    "origin.user": {"sv": "egen", "en": "user"},
    "ex.recommendation": {"sv": "Rekommendation: {text}", "en": "Recommendation: {text}"},
    "ex.critical_heading": {"sv": "Kritiska svar:", "en": "Critical answers:"},
    "ex.review": {
        "sv": "Ett kritiskt svar kräver att bedömaren granskar bedömningen innan beslut fattas.",
        "en": "A critical answer requires the assessor to review the assessment before any decision.",
    },
    "ex.raised": {"sv": "summans nivå var {band}", "en": "the total's band was {band}"},
    "ex.robust_range": {
        "sv": "Nivån vilar på uppskattningar: med svar på {items} kan den bli {low} till {high}.",
        "en": "The band rests on estimates: with answers to {items} it could be {low} to {high}.",
    },
    "ex.robust_same": {
        "sv": "Vad svaret på {items} än blir, förblir nivån {band}.",
        "en": "Whatever the answer to {items}, the band stays {band}.",
    },
    "ex.robust_open": {
        "sv": "Med svar på {items} kan summan bli {low} till {high}.",
        "en": "With answers to {items} the total could be {low} to {high}.",
    },
    "ex.decision_unstable": {"sv": "Beslutet kan ändras när svaren finns.", "en": "The decision could change once they are answered."},
    "ex.decision_stable": {"sv": "Beslutet påverkas inte.", "en": "The decision is not affected."},
    "ex.the_unknown": {"sv": "den okända frågan", "en": "the unknown item"},
    "ex.the_unknowns": {"sv": "de {n} okända frågorna", "en": "the {n} unknown items"},
    "ex.estimated": {
        "sv": "Uppskattade svar (räknas med i summan, men är inte besvarade):",
        "en": "Estimated answers (counted in the total, but not answered):",
    },
    "ex.more": {"sv": "… och {n} till ({points}); visa alla med --all", "en": "... and {n} more ({points}); show all with --all"},
    "ex.information": {"sv": "Information (ger inga poäng):", "en": "Information (not scored):"},
    "ex.needs_consider": {"sv": "Behov att överväga:", "en": "Needs to consider:"},
    "ex.needs_none": {
        "sv": "Nivån motiverar inga insatser utifrån bedömningen; behoven listas därför inte.",
        "en": "The band does not call for interventions from this assessment, so needs are not listed.",
    },
    "ex.risk_word": {"sv": "risk", "en": "risk"},
    "ex.protective_word": {"sv": "skydd", "en": "protective"},
    "ex.decision_yes": {"sv": "{decision}: JA – {reasons}.", "en": "{decision}: YES - {reasons}."},
    "ex.decision_no": {"sv": "{decision}: NEJ – {reasons}.", "en": "{decision}: NO - {reasons}."},
    "ex.decision_unknown": {
        "sv": "{decision}: KAN INTE AVGÖRAS – {reasons}.", "en": "{decision}: CANNOT BE DECIDED - {reasons}.",
    },
    "ex.cut": {"sv": "… (förkortad; hela anteckningen finns i JSON)", "en": "... (shortened; the whole note is in the JSON)"},
    "agency.social_services": {"sv": "socialtjänsten", "en": "social services"},
    "agency.police": {"sv": "polisen", "en": "police"},
    "agency.school": {"sv": "skolan", "en": "school"},
    "agency.employment_service": {"sv": "Arbetsförmedlingen", "en": "employment service"},
    "agency.youth_clinic": {"sv": "ungdomsmottagningen", "en": "youth clinic"},
    "agency.child_psychiatry": {"sv": "BUP", "en": "child and adolescent psychiatry"},
    "agency.healthcare": {"sv": "hälso- och sjukvården", "en": "healthcare"},
    "agency.probation": {"sv": "Kriminalvården", "en": "probation service"},
    "agency.leisure_services": {"sv": "fritidsförvaltningen", "en": "leisure services"},
    "agency.other": {"sv": "annan aktör", "en": "other agency"},
    "agency.reporting": {"sv": "avidentifierad uppföljning och utvärdering", "en": "pseudonymised follow-up and evaluation"},
}


def count_items(n: int, lang: str) -> str:
    """``1 item`` / ``3 items`` (``1 fråga`` / ``3 frågor``)."""
    words = {"sv": ("fråga", "frågor"), "en": ("item", "items")}.get(lang, ("item", "items"))
    return f"{n} {words[0] if n == 1 else words[1]}"


def message(key: str, lang: str, **values: Any) -> str:
    """The engine text ``key`` in ``lang`` (English when the language is not known)."""
    texts = _MESSAGES[key]
    template = texts.get(lang) or texts["en"]
    return template.format(**values) if values else template


class Msg(str):
    """A message whose English text is its value and which can render itself in Swedish.

    ``tr("unknown key {key!r}", key="pionts")`` is a ``str`` (the English text), so code that
    only needs English keeps working; :func:`render` gives it in another language from the
    catalogue in :mod:`riskmanual.messages_sv`, keyed by the English template.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any]) -> "Msg":
        text = template.format(**{k: _in("en", v) for k, v in params.items()})
        obj = super().__new__(cls, text)
        obj.template = template
        obj.params = params
        return obj

    def render(self, lang: str | None = None) -> str:
        lang = lang or current_language()
        if lang != "sv":
            return str.__str__(self)
        from .messages_sv import CATALOGUE  # noqa: PLC0415 - loaded only when Swedish is asked for

        template = CATALOGUE.get(self.template, self.template)
        values = {k: _in(lang, v) for k, v in self.params.items()}
        return template.format(**values)

    def __add__(self, other: str) -> "Msg":  # type: ignore[override]
        # Keep both parts translatable: "a" + "b" renders each part in the reader's language.
        return Msg("{a}{b}", {"a": self, "b": other}) if isinstance(other, str) else NotImplemented

    def __radd__(self, other: str) -> "Msg":
        return Msg("{a}{b}", {"a": other, "b": self}) if isinstance(other, str) else NotImplemented

    def __reduce__(self) -> Any:
        return (Msg, (self.template, self.params))


class Localized:
    """An instrument text (a string or ``{sv: ..., en: ...}``) as a message parameter:
    it renders in the message's language (``did you mean 'high' (Hög)?``)."""

    __slots__ = ("text",)

    def __init__(self, text: Any) -> None:
        self.text = text

    def render(self, lang: str) -> str:
        from .text import localize  # noqa: PLC0415

        return localize(self.text, lang)

    def __str__(self) -> str:
        return self.render("en")


def _in(lang: str, value: Any) -> Any:
    """A parameter in ``lang``: nested messages render, numbers take the language's style
    (``3,5`` in Swedish, never ``3.0``), lists become ``a, b, c``."""
    if isinstance(value, (Msg, Localized)):
        return value.render(lang)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        from .numbers import number  # noqa: PLC0415

        return number(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_in(lang, v)) for v in value)
    return value


def tr(template: str, **params: Any) -> Msg:
    """A translatable message: ``template`` is the English text with ``{name}`` fields."""
    return Msg(template, params)


def render(text: Any, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: the current language) when it is a :class:`Msg`;
    any other string as it is."""
    if isinstance(text, Msg):
        return text.render(lang)
    return str(text)
