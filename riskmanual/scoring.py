"""Score answers against an instrument: points, applicability, missing-item rules, bands.

:func:`score` is pure: the same instrument and answers (and ``today``) give the same
:class:`~riskmanual.result.Result`. It raises :class:`~riskmanual.errors.AnswersError` with
every problem when the answers do not fit the instrument.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping
from typing import Any, NamedTuple

from pydantic import ValidationError

from .answers import NO_VALUE as _NO_VALUE
from .answers import Answers, Normalised, age_in_years, check_answers, issues_from, wrong_document
from .compiled import compiled_for
from .conditions import answer_label, either
from .assemble import result_dict
from .engine import NO_VALUE, applies_all, check_applicability, evaluate, is_critical, total_and_band
from .errors import AnswersError, Issue
from .instrument import Comparison, Instrument, Item
from .messages import tr
from .quickcheck import quick_values
from .totals import quick_total
from .result import (
    BandRef,
    Contribution,
    CriticalAnswer,
    DomainScore,
    InstrumentRef,
    ItemRef,
    MissingReport,
    Need,
    Result,
    Robustness,
    TargetGroupResult,
)
from .text import localize

__all__ = ["Total", "applicable", "parse_answers", "result_data", "score", "score_total"]


def parse_answers(data: Answers | Mapping[str, Any], *, file: str | None = None, locate: Any = None) -> Answers:
    """Validate the shape of an answers document; raise :class:`AnswersError` listing every problem."""
    if isinstance(data, Answers):
        return data
    if not isinstance(data, Mapping):
        raise AnswersError(tr("answers must be a mapping"), [Issue(tr("answers must be a mapping of keys"), file=file)])
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        problems = [(tuple(e["loc"]), _pydantic_message(e), _input(e)) for e in exc.errors()]
        raise AnswersError(tr("{file}: invalid answers", file=file or "answers"), issues_from(problems, file, locate)) from None


def _input(error: Mapping[str, Any]) -> Any:
    """The offending value, when it is one value (not the whole document a key is missing from)."""
    value = error.get("input")
    return _NO_VALUE if error["type"] == "missing" or isinstance(value, (dict, list)) else value


def _pydantic_message(error: Mapping[str, Any]) -> Any:
    if error["type"] == "extra_forbidden":
        return tr("unknown key (allowed: {keys})", keys=list(Answers.model_fields))
    if error["type"] == "missing":
        return tr("missing required key")
    if error["type"] == "date_format":
        return tr("expected a date written YYYY-MM-DD")
    from .loading import pydantic_message

    return pydantic_message(error)


def score(
    instrument: Instrument,
    answers: Answers | Mapping[str, Any],
    *,
    lang: str | None = None,
    today: dt.date | None = None,
    file: str | None = None,
    locate: Any = None,
) -> Result:
    """Score ``answers`` against ``instrument`` and explain how the total came about.

    ``lang`` picks the language of labels in the result (default: the instrument's first);
    ``today`` is the date against which future assessment dates are refused (default: today).
    ``file`` and ``locate`` (a function from path to line and column) only place errors.
    """
    return Result.model_validate(_result_input(instrument, answers, lang, today, file, locate, _PARTS))


#: How :func:`score` builds the result's shared parts: each validated once, then reused.
_PARTS = {"contribution": Contribution.model_validate, "domain": DomainScore.model_validate,
          "ref": ItemRef.model_validate, "need": Need.model_validate, "instrument": InstrumentRef.model_validate,
          "band": BandRef.model_validate, "critical": CriticalAnswer.model_validate,
          "robustness": Robustness.model_validate, "target_group": TargetGroupResult.model_validate,
          "missing_rule": MissingReport.model_validate}


def result_data(
    instrument: Instrument,
    answers: Answers | Mapping[str, Any],
    *,
    lang: str | None = None,
    today: dt.date | None = None,
    file: str | None = None,
    locate: Any = None,
) -> dict[str, Any]:
    """What :func:`score` validates into a :class:`Result`, as plain dicts in its field order."""
    return _result_input(instrument, answers, lang, today, file, locate, None)


def _result_input(instrument: Instrument, answers: Answers | Mapping[str, Any], lang: str | None,
                  today: dt.date | None, file: str | None, locate: Any, make: Any) -> dict[str, Any]:
    """The result's data; its contributions are what ``make`` builds from their dicts, when given."""
    compiled = compiled_for(instrument)
    lang = lang or instrument.languages[0]
    today = today or dt.date.today()
    quick = quick_values(compiled, answers, today) if type(answers) is dict else None
    if quick is not None:  # a plain document the checks accept: no pydantic model is built for it
        values, age = quick
        facts = applies_all(compiled, values, age)
        if not check_applicability(compiled, values, facts):
            judgement = answers.get("judgement")
            out, problems = result_dict(
                compiled, values, age, facts, lang=lang, assessment_date=answers["assessment_date"],
                notes=answers.get("notes", {}), judgement=(judgement["band"], judgement.get("reason")) if judgement else None,
                words=_words(instrument), make=make,
            )
            if out is not None:
                return out
    wrong = wrong_document(instrument, answers) if isinstance(answers, (Mapping, Answers)) else []
    if wrong:  # answers for another instrument or version: that is the one error, not every item
        raise AnswersError(_do_not_fit(instrument, file, 1), issues_from(wrong, file, locate))
    parsed = parse_answers(answers, file=file, locate=locate)
    values, problems = check_answers(instrument, parsed, today=today)
    age = age_in_years(parsed.birth_date, parsed.assessment_date) if parsed.birth_date else None
    facts = applies_all(compiled, values, age)
    problems += _problems(check_applicability(compiled, values, facts))
    _raise(problems, instrument, file, locate)
    given = parsed.judgement
    out, problems = result_dict(
        compiled, values, age, facts, lang=lang, assessment_date=parsed.assessment_date.isoformat(), notes=parsed.notes,
        judgement=(given.band, given.reason) if given is not None else None, words=_words(instrument), make=make,
    )
    _raise(_problems(problems), instrument, file, locate)
    assert out is not None
    return out


def _nobody() -> None:
    return None


#: The instrument :func:`score_total` last saw (weakly) and its compiled form: reading it back
#: from the instrument's memo costs more than the rest of a total.
_LAST_COMPILED: tuple[Any, Any] = (_nobody, None)


class Total(NamedTuple):
    """The total and the computed band of an assessment (see :func:`score_total`)."""

    total: float
    band: str | None


def score_total(instrument: Instrument, answers: Answers | Mapping[str, Any], *, today: dt.date | None = None) -> Total:
    """Only the total and the computed band id (the total's band lifted by critical answers; None
    when too many answers are missing), by the same rules as :func:`score` and refusing the same
    answers with the same :class:`AnswersError`. The assessor's judgement is not applied."""
    global _LAST_COMPILED
    last, compiled = _LAST_COMPILED
    if last() is not instrument:
        compiled = compiled_for(instrument)
        _LAST_COMPILED = (weakref.ref(instrument), compiled)
    today = today or dt.date.today()
    found = quick_total(compiled, answers, today) if type(answers) is dict else None
    if found is not None:  # a plain document the checks accept, in one pass
        return Total(*found)
    wrong = wrong_document(instrument, answers) if isinstance(answers, (Mapping, Answers)) else []
    if wrong:
        raise AnswersError(_do_not_fit(instrument, None, 1), issues_from(wrong, None))
    parsed = parse_answers(answers)
    values, problems = check_answers(instrument, parsed, today=today)
    age = age_in_years(parsed.birth_date, parsed.assessment_date) if parsed.birth_date else None
    facts = applies_all(compiled, values, age)
    problems += _problems(check_applicability(compiled, values, facts))
    _raise(problems, instrument, None, None)
    return Total(*total_and_band(compiled, facts))


def _problems(found: list[Any]) -> list[Any]:
    """The engine's problems with the answers module's marker for a value not to be shown."""
    return [(path, text, _NO_VALUE if value is NO_VALUE else value) for path, text, value in found]


def _words(instrument: Instrument) -> Any:
    """A critical item's rule in words, for a language the compiled instrument does not hold."""
    def words(item_id: str, lang: str) -> str:
        item = instrument.items_by_id[item_id]
        rule = item.critical_rule
        assert rule is not None
        return _rule_words(item, rule, instrument.band(rule.min_band) if rule.min_band else None, lang)

    return words


def applicable(instrument: Instrument, values: dict[str, Normalised], age: int | None) -> dict[str, bool]:
    """Which items apply given the answers so far (``False`` only where a condition is known to be
    false), the same rule scoring uses; for a form that asks only what applies."""
    facts = applies_all(compiled_for(instrument), values, age)
    return {item.id: facts.applies[i] for i, item in enumerate(instrument.items)}


def _is_critical(item: Item, value: Normalised) -> bool:
    """Whether this answer is one the item's critical rule names."""
    rule = item.critical_rule
    return rule is not None and is_critical(rule.answers, rule.at_least, value)


def _rule_words(item: Item, rule: Any, floor: Any, lang: str) -> str:
    """The critical rule in words, in ``lang``."""
    if rule.answers is not None:
        which = either([f"'{answer_label(item, code, lang)}'" for code in rule.answers], lang)
        text = tr("the answer {answers} is critical", answers=which) if len(rule.answers) == 1 else \
            tr("the answers {answers} are critical", answers=which)
    else:
        text = tr("{value} or more is critical", value=rule.at_least)
    effects = []
    if rule.review:
        effects.append(tr("an assessor's review is required"))
    if floor is not None:
        effects.append(tr("the band is at least {band}", band=localize(floor.label, lang)))
    rendered = [e.render(lang) for e in effects]
    return text.render(lang) + (": " + "; ".join(rendered) if rendered else "")


def _raise(problems: list[Any], instrument: Instrument, file: str | None, locate: Any) -> None:
    if problems:
        raise AnswersError(_do_not_fit(instrument, file, len(problems)), issues_from(problems, file, locate))


def _do_not_fit(instrument: Instrument, file: str | None, n: int) -> Any:
    if n == 1:
        return tr("{file}: answers do not fit {ref} (1 problem)", file=file or "answers", ref=instrument.ref)
    return tr("{file}: answers do not fit {ref} ({n} problems)", file=file or "answers", ref=instrument.ref, n=n)


def _compare(item: Item, value: Normalised | None, condition: Comparison) -> bool | None:
    """``condition`` (a comparison on ``item``) for one answer value, as the engine evaluates it."""
    from .compiled import _condition, kind_and_codes  # noqa: PLC0415

    compiled = _condition(condition, {item.id: 0}, {item.id: kind_and_codes(item)})
    return evaluate(compiled, [value], [{"codes": kind_and_codes(item)[1]}])
