"""Answers to an instrument, and the checks that they fit it.

An answers document names the instrument and version it answers, the assessment date,
optionally the birth date (for derived age items), and ``answers: {item_id: value}``
where a value is an option code, ``yes``/``no`` (or true/false), a number, ``unknown`` or
``not_applicable``. Everything that does not fit is reported at once, with its path.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .errors import Issue
from .messages import Localized, Msg, message, tr
from .privacy import looks_like_personnummer
from .text import has_control
from .instrument import BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, NumericResponse

__all__ = ["NO_VALUE", "NOT_APPLICABLE", "UNKNOWN", "Answers", "AssessorJudgement", "age_in_years", "check_answers"]

UNKNOWN = "unknown"
#: The longest note (characters) an answer may carry; the whole note is kept in the result.
MAX_NOTE = 5_000
NOT_APPLICABLE = "not_applicable"
#: Marks a problem whose value must not be shown (it may be personal data).
NO_VALUE: Any = object()

AnswerValue = Union[bool, int, float, str, None]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """Dates are written YYYY-MM-DD: no time of day, no timestamp (pydantic would take both)."""
    if isinstance(value, (bool, int, float)) or (isinstance(value, str) and not _ISO_DATE.fullmatch(value)):
        raise PydanticCustomError("date_format", "expected a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class AssessorJudgement(BaseModel):
    """The assessor's own band: an override of the computed band, or the SPJ final rating."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    band: str
    reason: Optional[Annotated[str, Field(min_length=1)]] = None


class Answers(BaseModel):
    """One completed (or partly completed) assessment, as it crosses the library boundary."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    instrument: str
    version: str
    assessment_date: IsoDate
    birth_date: Optional[IsoDate] = None
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    judgement: Optional[AssessorJudgement] = None
    assessor: Optional[str] = None
    case: Optional[str] = None


Normalised = Union[str, float]


Problem = tuple[tuple[str | int, ...], Msg, Any]


def wrong_document(instrument: Instrument, answers: Any) -> list[Problem]:
    """The one problem when answers are for another instrument or version (then nothing else
    is checked: every item would be unknown), else nothing. ``answers`` is an :class:`Answers`
    or the raw mapping."""
    get = answers.get if isinstance(answers, dict) else lambda key: getattr(answers, key, None)
    named, version = get("instrument"), get("version")
    if isinstance(named, str) and named != instrument.id:
        return [(("instrument",), tr("these answers are for '{named}', not '{id}'; score them with '{named}'",
                                     named=named, id=instrument.id), named)]
    if isinstance(named, str) and isinstance(version, str) and version != instrument.version:
        return [(("version",), tr("these answers are for version {version}, but the instrument is version {current}; "
                                  "score them with {id}@{version}", version=version, current=instrument.version,
                                  id=instrument.id), version)]
    return []


def check_answers(instrument: Instrument, answers: Answers, *, today: dt.date) -> tuple[dict[str, Normalised], list[Problem]]:
    """Normalise answer values and list every problem as ``(path, message, value)``.

    Returned values are option codes (booleans become ``yes``/``no``), floats for numbers,
    or :data:`UNKNOWN` / :data:`NOT_APPLICABLE`; items with no answer (or null) are left out.
    Answers for another instrument or version give that one problem and nothing else.
    """
    problems: list[Problem] = wrong_document(instrument, answers)
    if problems:
        return {}, problems
    items = instrument.items_by_id
    if answers.assessment_date > today:
        problems.append((("assessment_date",), tr("the assessment date is in the future (today is {today})",
                                                  today=today.isoformat()), answers.assessment_date.isoformat()))
    if answers.birth_date is not None:
        if answers.birth_date > answers.assessment_date:
            problems.append((("birth_date",), tr("the birth date is after the assessment date"),
                             answers.birth_date.isoformat()))
        elif age_in_years(answers.birth_date, answers.assessment_date) > 120:
            problems.append((("birth_date",), tr("the birth date gives an age above 120"), answers.birth_date.isoformat()))
    for path, text in [((f,), getattr(answers, f)) for f in ("assessor", "case")] + \
            [(("notes", k), v) for k, v in answers.notes.items()] + \
            [(("judgement", "reason"), answers.judgement.reason if answers.judgement else None)]:
        if text and has_control(text):
            problems.append((path, tr("control characters are not allowed"), NO_VALUE))
    for field in ("assessor", "case"):
        text = getattr(answers, field)
        if text and looks_like_personnummer(text):
            problems.append(((field,), tr("looks like a personnummer (a phone number without spaces can look like "
                                          "one): use a case reference, never a personal identity number"), NO_VALUE))
    for item_id, note in answers.notes.items():
        if item_id not in items:
            problems.append((("notes", item_id), _unknown_item(instrument, item_id, problems), item_id))
        if len(note) > MAX_NOTE:
            problems.append((("notes", item_id), tr("the note is {n} characters long; at most {limit} are allowed",
                                                     n=len(note), limit=MAX_NOTE), NO_VALUE))
        elif looks_like_personnummer(note):
            problems.append((("notes", item_id), tr("a note looks like it holds a personnummer (a phone number "
                                                    "without spaces can look like one): remove it"), NO_VALUE))
    if answers.judgement and answers.judgement.reason and looks_like_personnummer(answers.judgement.reason):
        problems.append((("judgement", "reason"), tr("the reason looks like it holds a personnummer (a phone number "
                                                     "without spaces can look like one): remove it"),
                         NO_VALUE))
    if answers.judgement and instrument.band(answers.judgement.band) is None:
        problems.append((("judgement", "band"), _unknown_band(instrument, answers.judgement.band), answers.judgement.band))

    values: dict[str, Normalised] = {}
    for item_id, raw in answers.answers.items():
        path: tuple[str | int, ...] = ("answers", item_id)
        item = items.get(item_id)
        if item is None:
            problems.append((path, _unknown_item(instrument, item_id, problems), item_id))
            continue
        if raw is None:
            continue
        response = item.response
        if isinstance(response, DerivedResponse):
            problems.append((path, tr("item '{item}' is computed by the engine (from the birth date); do not answer it",
                                      item=item_id), raw))
            continue
        if raw == UNKNOWN:
            if item.required:
                problems.append((path, tr("item '{item}' is required: it must be answered, 'unknown' is not allowed",
                                          item=item_id), raw))
            elif not item.allow_unknown:
                problems.append((path, tr("item '{item}' must be answered: 'unknown' is not allowed", item=item_id), raw))
            values[item_id] = UNKNOWN
            continue
        if raw == NOT_APPLICABLE:
            if not item.allow_not_applicable and item.applies_when is None:
                problems.append((path, tr("item '{item}' always applies: 'not_applicable' is not allowed", item=item_id),
                                 raw))
            values[item_id] = NOT_APPLICABLE
            continue
        if isinstance(response, BooleanResponse):
            code = {True: "yes", False: "no"}.get(raw, raw) if isinstance(raw, bool) else raw
            if code not in ("yes", "no"):
                problems.append((path, _not_yes_no(item, raw), raw))
            else:
                values[item_id] = str(code)
        elif isinstance(response, ChoiceResponse):
            if not isinstance(raw, str) or raw not in response.codes:
                problems.append((path, _unknown_code(item, raw), raw))
            else:
                values[item_id] = raw
        else:
            assert isinstance(response, NumericResponse)
            number = _number(raw)
            if number is None:
                problems.append((path, tr("expected a number (or unknown)"), raw))
            elif response.integer and number != int(number):
                problems.append((path, tr("expected a whole number"), raw))
            elif not response.min <= number <= response.max:
                problems.append((path, tr("out of range: expected {min} to {max}", min=response.min, max=response.max),
                                 raw))
            else:
                values[item_id] = number
    return values, problems




def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    try:
        if isinstance(raw, (int, float)):
            number = float(raw)
        elif isinstance(raw, str):
            number = float(raw.replace(",", "."))
        else:
            return None
    except (ValueError, OverflowError):  # not a number, or an integer too large for a float
        return None
    return number if math.isfinite(number) else None


#: Unknown keys beyond this many get no did-you-mean (finding one costs a comparison with every item).
MAX_SUGGESTIONS = 100


def _unknown_item(instrument: Instrument, item_id: str, problems: list[Any] | None = None) -> Msg:
    import difflib

    if problems is not None and len(problems) > MAX_SUGGESTIONS:
        return tr("no item '{item}' in {ref}", item=item_id, ref=instrument.ref)
    close = difflib.get_close_matches(item_id, list(instrument.items_by_id), n=1)
    if close:
        return tr("no item '{item}' in {ref}; did you mean '{close}'?", item=item_id, ref=instrument.ref, close=close[0])
    return tr("no item '{item}' in {ref}", item=item_id, ref=instrument.ref)


def _unknown_band(instrument: Instrument, band: str) -> Msg:
    meant = _meant(band, [(b.id, b.label) for b in instrument.bands])
    known = [b.id for b in instrument.bands]
    if meant is not None:
        return tr("unknown band; did you mean '{code}' ({label})? Expected one of: {known}", code=meant[0],
                  label=Localized(meant[1]), known=known)
    return tr("unknown band; expected one of: {known}", known=known)


def _meant(raw: Any, choices: list[tuple[str, Any]]) -> tuple[str, Any] | None:
    """The choice ``raw`` most likely means: its code or a label in any language, ignoring case
    and spaces ("hög", "Hög", "HIGH" mean ``high``), else the closest code or label."""
    import difflib

    if not isinstance(raw, str) or not raw.strip():
        return None
    wanted = " ".join(raw.split()).casefold()
    names: dict[str, tuple[str, Any]] = {}
    for code, label in choices:
        names.setdefault(code.casefold(), (code, label))
        texts = label.values() if isinstance(label, dict) else [label] if label else []
        for text in texts:
            names.setdefault(" ".join(str(text).split()).casefold(), (code, label))
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def _unknown_code(item: Any, raw: Any) -> Msg:
    response = item.response
    codes = list(response.codes) + [UNKNOWN] * item.allow_unknown + [NOT_APPLICABLE] * item.allow_not_applicable
    meant = _meant(raw, [(o.code, o.label) for o in response.options])
    if meant is not None:
        return tr("not an answer to this item; did you mean '{code}' ({label})? Expected one of: {codes}",
                  code=meant[0], label=Localized(meant[1]), codes=codes)
    return tr("not an answer to this item; expected one of: {codes}", codes=codes)


def _not_yes_no(item: Any, raw: Any) -> Msg:
    codes = ["yes", "no"] + [UNKNOWN] * item.allow_unknown + [NOT_APPLICABLE] * item.allow_not_applicable
    labels = {code: {lang: message(code, lang) for lang in ("sv", "en")} for code in ("yes", "no")}
    meant = _meant(raw, [("yes", labels["yes"]), ("no", labels["no"]), ("yes", "true"), ("no", "false"),
                         ("yes", {"sv": "j", "en": "y"}), ("no", {"sv": "n", "en": "n"})])
    if meant is not None:
        return tr("expected yes or no; did you mean '{code}' ({label})? Expected one of: {codes}", code=meant[0],
                  label=Localized(labels[meant[0]]), codes=codes)
    return tr("expected yes or no (or true / false); expected one of: {codes}", codes=codes)


def age_in_years(birth: dt.date, on: dt.date) -> int:
    """Whole years completed between ``birth`` and ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def issues_from(problems: list[Problem], file: str | None, locate: Any = None) -> list[Issue]:
    """Turn ``(path, message, value)`` triples into located issues."""
    out = []
    for path, message, value in problems:
        line, column = locate(path) if locate else (None, None)
        extra = {} if value is NO_VALUE else {"value": value}
        out.append(Issue(message=message, path=path, file=file, line=line, column=column, **extra))
    return out
