"""Properties of scoring that must hold for every instrument and every answer (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskmanual import AnswersError, Instrument, read_instrument, score
from riskmanual.instrument import BooleanResponse, ChoiceResponse, DerivedResponse, NumericResponse

from .conftest import DATA, ROOT, TODAY

PATHS = [DATA / "full.yaml", *sorted((ROOT / "instruments").glob("*/*.yaml"))]
INSTRUMENTS = {(path.parent.name if path.parent.name != "data" else path.stem) + "@" + path.stem: read_instrument(path)
               for path in PATHS}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_strategy(item: Any) -> st.SearchStrategy[Any]:
    response = item.response
    open_ = item.allow_unknown and not item.required  # a required item is always answered, never unknown
    specials = ["unknown"] if open_ else []
    if isinstance(response, BooleanResponse):
        choices: st.SearchStrategy[Any] = st.sampled_from(["yes", "no", True, False, *specials])
    elif isinstance(response, ChoiceResponse):
        choices = st.sampled_from([*response.codes, *specials])
    else:
        assert isinstance(response, NumericResponse)
        if response.integer:
            number = st.integers(int(math.ceil(response.min)), int(math.floor(response.max)))
        else:
            number = st.floats(response.min, response.max, allow_nan=False)
        choices = st.one_of(number, st.sampled_from(specials)) if specials else number
    return st.one_of(st.none(), choices) if open_ else choices


@st.composite
def answers_for(draw: Any, instrument: Instrument) -> dict[str, Any]:
    answers = {}
    for item in instrument.items:
        if isinstance(item.response, DerivedResponse):
            continue
        value = draw(value_strategy(item))
        if value is not None:
            answers[item.id] = value
    birth = draw(st.dates(dt.date(1995, 1, 1), dt.date(2012, 12, 31)))
    document = {
        "instrument": instrument.id,
        "version": instrument.version,
        "assessment_date": "2026-11-01",
        "birth_date": birth.isoformat(),
        "answers": answers,
    }
    if instrument.judgement.final_rating == "assessor":
        document["judgement"] = {"band": draw(st.sampled_from([b.id for b in instrument.bands])), "reason": "Synthetic."}
    return document


def score_valid(instrument: Instrument, document: dict[str, Any]):
    """Score; drop answers to items whose condition turned out false (answering them is an error)."""
    try:
        return score(instrument, document, today=TODAY)
    except AnswersError as error:
        dropped = [i.path[1] for i in error.issues if "does not apply" in i.message]
        assert len(dropped) == len(error.issues), [str(i) for i in error.issues]
        answers = {k: v for k, v in document["answers"].items() if k not in dropped}
        return score(instrument, {**document, "answers": answers}, today=TODAY)


def total_parts(instrument: Instrument, result: Any) -> float:
    items = instrument.items_by_id
    return math.fsum(c.points for c in result.contributions if instrument.sign(items[c.item]) != 0)


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_contributions_sum_to_the_total(name: str) -> None:
    instrument = INSTRUMENTS[name]

    @SETTINGS
    @given(answers_for(instrument))
    def check(document: dict[str, Any]) -> None:
        result = score_valid(instrument, document)
        assert math.isclose(total_parts(instrument, result), result.total, abs_tol=1e-6)
        assert result.minimum - 1e-9 <= result.total <= result.maximum + 1e-9 or result.status == "incomplete"
        if result.status == "complete":
            assert result.band is not None and instrument.band(result.band.id).contains(result.total)

    check()


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_same_input_same_result(name: str) -> None:
    instrument = INSTRUMENTS[name]

    @SETTINGS
    @given(answers_for(instrument))
    def check(document: dict[str, Any]) -> None:
        first = score_valid(instrument, document).model_dump_json()
        again = read_instrument(instrument.source)
        assert score_valid(again, document).model_dump_json() == first

    check()


def _monotone_risk_items(instrument: Instrument) -> list[Any]:
    """Risk items whose points never fall as the rating rises (ordinal, boolean no->yes, numeric bins)."""
    found = []
    for item in instrument.items:
        if item.kind != "risk":
            continue
        response = item.response
        if isinstance(response, ChoiceResponse) and response.type == "ordinal":
            points = [o.points for o in response.options]
        elif isinstance(response, BooleanResponse):
            points = [response.points.no, response.points.yes]
        elif isinstance(response, NumericResponse) and response.bins:
            points = [b.points for b in response.bins]
        else:
            continue
        if all(a <= b for a, b in zip(points, points[1:])):
            found.append(item)
    return found


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_a_higher_risk_rating_never_lowers_the_total(name: str) -> None:
    instrument = INSTRUMENTS[name]
    items = _monotone_risk_items(instrument)
    if not items:
        pytest.skip(f"{name} has no risk item with rising points")

    @SETTINGS
    @given(answers_for(instrument), st.sampled_from(items), st.data())
    def check(document: dict[str, Any], item: Any, data: Any) -> None:
        response = item.response
        if isinstance(response, ChoiceResponse):
            codes = list(response.codes)
            i = data.draw(st.integers(0, len(codes) - 2))
            low, high = codes[i], codes[data.draw(st.integers(i + 1, len(codes) - 1))]
        elif isinstance(response, BooleanResponse):
            low, high = "no", "yes"
        else:
            a = data.draw(st.integers(int(response.min), int(response.max)))
            b = data.draw(st.integers(a, int(response.max)))
            low, high = a, b
        results = []
        for value in (low, high):
            answers = {**document["answers"], item.id: value}
            results.append(score_valid(instrument, {**document, "answers": answers}))
        before, after = results
        if before.status == after.status == "complete":
            assert after.total >= before.total - 1e-9, (item.id, low, high)

    check()


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_arbitrary_answers_give_a_result_or_our_error(name: str) -> None:
    instrument = INSTRUMENTS[name]
    keys = st.sampled_from([item.id for item in instrument.items]) | st.text(max_size=8)

    @SETTINGS
    @given(
        st.fixed_dictionaries(
            {"answers": st.dictionaries(keys, JSONISH, max_size=8)},
            optional={
                "instrument": st.sampled_from([instrument.id, "other"]) | JSONISH,
                "version": st.sampled_from([instrument.version]) | JSONISH,
                "assessment_date": st.sampled_from(["2026-11-01", "2031-01-01", "not a date"]) | JSONISH,
                "birth_date": st.sampled_from(["2008-01-01", "2030-01-01"]) | JSONISH,
                "judgement": JSONISH,
                "notes": JSONISH,
            },
        )
    )
    def check(document: dict[str, Any]) -> None:
        try:
            score(instrument, document, today=TODAY)
        except AnswersError as error:
            assert error.issues and all(issue.message for issue in error.issues)

    check()


def test_instrument_paths_are_found() -> None:
    assert Path(DATA / "full.yaml").exists() and len(INSTRUMENTS) >= 3
