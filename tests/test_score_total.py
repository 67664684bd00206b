"""``score_total`` against ``score`` and against the ``score_total`` of before (frozen below).

For every bundled instrument and every instrument in tests/data/ that loads, hypothesis draws
answers documents (the generators of tests/test_compiled_differential.py: unknown, not
applicable, left out, bad codes, numbers out of range, wrong types, critical answers,
judgements), and ``score_total`` must give ``score``'s total and computed band, or raise the same
``AnswersError``; only the assessor's judgement, which it does not apply, may make ``score``
refuse what it accepts. Its one-pass path (:func:`riskmanual.totals.quick_total`) must doubt
exactly where the quick checks of the full path doubt.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskmanual import AnswersError, Instrument, score, score_total
from riskmanual.answers import Answers, age_in_years, check_answers, issues_from, wrong_document
from riskmanual.compiled import compiled_for
from riskmanual.engine import applies_all, check_applicability, total_and_band
from riskmanual.quickcheck import quick_values
from riskmanual.scoring import Total, _do_not_fit, _problems, _raise, parse_answers
from riskmanual.totals import quick_total

from .conftest import ROOT, TODAY
from .test_compiled_differential import INSTRUMENTS, SETTINGS, documents, drop_inapplicable, outcome

LATER = dt.date(2027, 1, 1)  # after every bundled example's assessment date


def score_total_before(instrument: Instrument, answers: Any, today: Any = TODAY) -> Total:
    """``score_total`` as it was before the one-pass path (quick checks, then the full path)."""
    compiled = compiled_for(instrument)
    quick = quick_values(compiled, answers, today) if type(answers) is dict else None
    if quick is not None:
        values, age = quick
        facts = applies_all(compiled, values, age)
        if not check_applicability(compiled, values, facts):
            return Total(*total_and_band(compiled, facts))
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


class _Plain:
    """Makes :func:`outcome` read a ``Total`` as it reads a ``Result``."""

    def __init__(self, total: Total) -> None:
        self.total = total

    def model_dump_json(self) -> Any:
        return tuple(self.total)


def total_outcome(function: Any, *args: Any, **kwargs: Any) -> Any:
    return outcome(lambda *a, **k: _Plain(function(*a, **k)), *args, **kwargs)


def with_acceptable_judgement(instrument: Instrument, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a judgement every instrument accepts (none, or the assessor's rating)."""
    out = {k: v for k, v in document.items() if k != "judgement"}
    if instrument.judgement.final_rating == "assessor":
        out["judgement"] = {"band": instrument.bands[0].id, "reason": "Synthetic reason."}
    return out


def check(instrument: Instrument, document: Any, today: dt.date = TODAY) -> None:
    got = total_outcome(score_total, instrument, document, today=today)
    assert got == total_outcome(score_total_before, instrument, document, today=today)
    full = outcome(score, instrument, document, today=today)
    if isinstance(full, str):  # score accepted it: the same total and computed band
        result = json.loads(full)
        assert got == (result["total"], result["band"]["id"] if result["band"] else None)
    elif isinstance(got[0], str):  # both refuse: the same error
        assert got == full
    else:  # only score refuses, and only for the judgement it applies
        assert all(issue[0][0] == "judgement" for issue in full[2]), full
        fixed = score(instrument, with_acceptable_judgement(instrument, document), today=today)
        assert got == (fixed.total, fixed.band.id if fixed.band else None)
    if type(document) is dict:  # the one pass doubts exactly where the quick checks doubt
        compiled = compiled_for(instrument)
        quick = quick_values(compiled, document, today)
        facts = applies_all(compiled, *quick) if quick is not None else None
        trusted = facts is not None and not check_applicability(compiled, quick[0], facts)
        found = quick_total(compiled, document, today)
        assert (found is not None) == trusted
        if found is not None:
            assert found == total_and_band(compiled, facts)


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
@SETTINGS
@given(data=st.data())
def test_same_total_and_band_or_same_error(name: str, data: Any) -> None:
    instrument = INSTRUMENTS[name]
    document = data.draw(documents(instrument))
    if data.draw(st.integers(0, 3)) > 0:
        document = drop_inapplicable(instrument, document)
    check(instrument, document)


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_bundled_examples_take_the_one_pass(name: str) -> None:
    instrument = INSTRUMENTS[name]
    for path in sorted((ROOT / "instruments" / name.split("/")[0]).glob("example-answers*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != instrument.version:
            continue
        check(instrument, document, LATER)
        assert quick_total(compiled_for(instrument), document, LATER) is not None, path.name


def test_other_mappings_take_the_full_path() -> None:
    instrument = INSTRUMENTS["sig-assessment/2.0.0.yaml"]
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    expected = score_total(instrument, document, today=LATER)
    assert score_total(instrument, MappingProxyType(document), today=LATER) == expected
    assert score_total(instrument, parse_answers(document), today=LATER) == expected
    with pytest.raises(AnswersError):
        score_total(instrument, ["not", "a", "mapping"], today=LATER)  # type: ignore[arg-type]


def test_a_new_instrument_object_is_compiled_anew() -> None:
    path = ROOT / "instruments" / "sig-assessment" / "2.0.0.yaml"
    from riskmanual import read_instrument

    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    first = read_instrument(path)
    expected = score_total(first, document, today=LATER)
    other = INSTRUMENTS["sig-screening/2.0.0.yaml"]
    with pytest.raises(AnswersError):
        score_total(other, document, today=LATER)  # answers for another instrument
    del first
    assert score_total(read_instrument(path), document, today=LATER) == expected


def test_the_judgement_is_not_applied() -> None:
    instrument = INSTRUMENTS["sig-assessment/2.0.0.yaml"]
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    expected = score_total(instrument, document, today=LATER)
    unreasoned = {**document, "judgement": {"band": instrument.bands[0].id}}  # score wants a reason
    with pytest.raises(AnswersError):
        score(instrument, unreasoned, today=LATER)
    assert score_total(instrument, unreasoned, today=LATER) == expected
    check(instrument, unreasoned, LATER)
    with pytest.raises(AnswersError):  # a band the instrument does not have is refused all the same
        score_total(instrument, {**document, "judgement": {"band": "nope", "reason": "x"}}, today=LATER)


def test_an_unsound_order_always_doubts() -> None:
    from riskmanual.compiled import compile_instrument

    instrument = INSTRUMENTS["sig-assessment/2.0.0.yaml"]
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    compiled = compile_instrument(instrument)
    assert quick_total(compiled, document, LATER) is not None
    compiled = compile_instrument(instrument)
    compiled["order"] = compiled["order"][::-1]  # conditions before the items they read
    assert quick_total(compiled, document, LATER) is None
