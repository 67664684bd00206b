"""riskmanual.schema_contract: the answers schema and the engine give the same verdict.

Hypothesis generates answers documents for every bundled instrument and every instrument in
tests/data/ (right and wrong codes, booleans, numbers in and out of range, null, unknown,
not_applicable, answers to items whose condition is false, true or undecidable, missing and
malformed dates, judgements with and without a band or reason, notes, case references) and
checks that jsonschema accepts exactly the documents that :func:`riskmanual.score` scores.
Only what JSON Schema cannot express is left out, and each of those is tested on its own below.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskmanual import AnswersError, Instrument, InstrumentError, read_instrument, score
from riskmanual.checks import condition_items
from riskmanual.instrument import BooleanResponse, ChoiceResponse, DerivedResponse, NumericResponse
from riskmanual.schema import answers_schema
from riskmanual.schema_contract import NOT_EXPRESSIBLE

from .conftest import DATA, ROOT, TODAY


def _instruments() -> dict[str, Instrument]:
    found = {}
    for path in [*sorted(DATA.glob("*.yaml")), *sorted((ROOT / "instruments").glob("*/*.yaml"))]:
        try:
            instrument = read_instrument(path)
        except InstrumentError:  # a fixture that is broken on purpose
            continue
        found[instrument.ref] = instrument
    return found


INSTRUMENTS = _instruments()
ABSENT: Any = object()
SETTINGS = settings(max_examples=250, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: Engine errors that depend on the computed total or the number of missing items.
TOTAL_DEPENDENT = ("an incomplete assessment has no computed band", "overrides may only go")
#: Engine errors about applicability, which the schema cannot decide for items that depend on the age.
APPLICABILITY = ("does not apply here", "applies here", "is required and applies here")
PERSONNUMMER = "200901019876"


def age_dependent(instrument: Instrument) -> set[str]:
    """Items whose applicability depends, directly or through other conditions, on a derived item."""
    derived = {item.id for item in instrument.items if isinstance(item.response, DerivedResponse)}
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for item in instrument.items:
            if item.id not in found and item.applies_when is not None and condition_items(item.applies_when) & (derived | found):
                found.add(item.id)
                changed = True
    return found


# --- generating documents ----------------------------------------------------------------------------


def wrong_values(item: Any) -> list[Any]:
    response = item.response
    common: list[Any] = ["", "maybe", [1], {"value": 1}, "Unknown"]
    if isinstance(response, BooleanResponse):
        return [*common, "Yes", "ja", 1, 0, 1.0]
    if isinstance(response, ChoiceResponse):
        codes = list(response.codes)
        return [*common, codes[0].upper(), codes[-1] + "x", 1, True]
    if isinstance(response, NumericResponse):
        values = [*common, response.min - 1, response.max + 1, response.max + 0.25, True, "three", 10**400]
        if response.integer:
            values.append(response.min + 0.5)
        return values
    return [3, 17.0, "unknown", "not_applicable", "eighteen", True]


def real_values(item: Any) -> st.SearchStrategy[Any]:
    response = item.response
    if isinstance(response, BooleanResponse):
        return st.sampled_from(["yes", "no", True, False])
    if isinstance(response, ChoiceResponse):
        return st.sampled_from(list(response.codes))
    if isinstance(response, NumericResponse):
        edges = [response.min, response.max, *(b.min for b in response.bins or [] if b.min is not None)]
        if response.integer:
            number = st.integers(int(response.min), int(response.max))
            return st.one_of(st.sampled_from([int(e) for e in edges if e == int(e)]), number, number.map(float))
        return st.one_of(st.sampled_from(edges), st.floats(response.min, response.max, allow_nan=False))
    return st.nothing()


@st.composite
def item_value(draw: Any, item: Any, noisy: bool) -> Any:
    derived = isinstance(item.response, DerivedResponse)
    roll = draw(st.integers(0, 99))
    if derived:
        return draw(st.sampled_from(wrong_values(item))) if noisy and roll < 15 else (None if roll < 30 else ABSENT)
    if noisy and roll < 6:
        return draw(st.sampled_from(wrong_values(item)))
    if item.required and not noisy:
        roll = 50 + roll // 2  # mostly answered; a required item may still be left out where it does not apply
    if roll < 20:
        return ABSENT
    if roll < 26:
        return None
    if roll < 32 and (noisy or (item.allow_unknown and not item.required)):
        return "unknown"
    if roll < 38 and (noisy or item.allow_not_applicable or item.applies_when is not None):
        return "not_applicable"
    if item.required and not noisy and roll < 56:
        return draw(st.sampled_from([ABSENT, None, "not_applicable"]))
    return draw(real_values(item))


def dates(start: dt.date, end: dt.date) -> st.SearchStrategy[str]:
    return st.dates(start, end).map(dt.date.isoformat)


BAD_DATES = ["2026-11-1", "2026-13-01", "2023-02-29", "2026-11-01T00:00:00", "2026-11-01T00:00:00Z", "20261101",
             "1 Nov 2026", "", "2026-11-01\n", " 2026-11-01", "0000-01-01"]


@st.composite
def texts(draw: Any, noisy: bool) -> Any:
    choices: list[Any] = ["Synthetic note.", "Case 12 of 2026: 3 reports.", "", "ÅÄÖ åäö – ok"]
    if noisy:
        choices += [PERSONNUMMER, f"pnr 19{PERSONNUMMER[2:8]}-{PERSONNUMMER[8:]}", "x" * 5_001, "y" * 5_000, None, 5]
    return draw(st.sampled_from(choices))


@st.composite
def documents(draw: Any, instrument: Instrument) -> dict[str, Any]:
    noisy = draw(st.booleans())
    answers = {}
    for item in instrument.items:
        value = draw(item_value(item, noisy))
        if value is not ABSENT:
            answers[item.id] = value
    if noisy and draw(st.integers(0, 9)) == 0:
        answers["no_such_item"] = "yes"
    assessment = draw(dates(dt.date(2025, 1, 1), TODAY))
    document: dict[str, Any] = {
        "instrument": instrument.id,
        "version": instrument.version,
        "assessment_date": assessment,
        "answers": answers,
    }
    roll = draw(st.integers(0, 9))
    if roll < 7:  # born 1990-2012: never after the assessment, never above 120 (the engine's checks against dates)
        document["birth_date"] = draw(dates(dt.date(1990, 1, 1), dt.date(2012, 12, 31)))
    elif roll == 7:
        document["birth_date"] = None
    elif noisy and roll == 8:
        document["birth_date"] = draw(st.sampled_from([*BAD_DATES, 20090101]))
    bands = [band.id for band in instrument.bands]
    roll = draw(st.integers(0, 9))
    if roll < 4 or (instrument.judgement.final_rating == "assessor" and not noisy):
        judgement: dict[str, Any] = {"band": draw(st.sampled_from(bands))}
        reason = draw(st.sampled_from(["Synthetic reason.", ABSENT, None, "", PERSONNUMMER] if noisy
                                      else ["Synthetic reason.", ABSENT]))
        if reason is not ABSENT:
            judgement["reason"] = reason
        if noisy and draw(st.integers(0, 9)) == 0:
            judgement["band"] = draw(st.sampled_from(["extreme", bands[0].upper(), None]))
        if noisy and draw(st.integers(0, 9)) == 0:
            judgement["direction"] = "up"
        document["judgement"] = judgement
    elif roll == 4:
        document["judgement"] = None
    if draw(st.integers(0, 3)) == 0:
        ids = [item.id for item in instrument.items] + (["no_such_item"] if noisy else [])
        document["notes"] = {draw(st.sampled_from(ids)): draw(texts(noisy))}
    for key in ("case", "assessor"):
        if draw(st.integers(0, 3)) == 0:
            document[key] = draw(texts(noisy))
    if noisy:
        roll = draw(st.integers(0, 39))
        if roll == 0:
            document["instrument"] = instrument.id + "-other"
        elif roll == 1:
            document["version"] = "0.0.1"
        elif roll == 2:
            document["assessment_date"] = draw(st.sampled_from([*BAD_DATES, 0, None]))
        elif roll == 3:
            del document["assessment_date"]
        elif roll == 4:
            document["comment"] = "an unknown key"
        elif roll == 5:
            del document["answers"]
        elif roll == 6:
            document["answers"] = None
        elif roll == 7:
            document["notes"] = None
    return document


@st.composite
def mixed(draw: Any, instrument: Instrument) -> dict[str, Any]:
    """A generated document, or one whose answers were then made to fit their conditions (so
    that many documents are valid and the conditions are met in every state)."""
    document = draw(documents(instrument))
    if not draw(st.booleans()) or not isinstance(document.get("answers"), dict):
        return document
    answers = document["answers"]
    for _round in range(6):
        try:
            score(instrument, document, today=TODAY)
            break
        except AnswersError as error:
            issues = [i for i in error.issues if len(i.path) == 2 and i.path[0] == "answers" and i.path[1] in answers
                      or "required and applies" in i.message]
            if not issues:
                break
            for issue in issues:
                item = instrument.items_by_id.get(str(issue.path[1]))
                if item is None or isinstance(item.response, DerivedResponse) or "does not apply" in issue.message:
                    answers.pop(issue.path[1], None)
                else:
                    answers[item.id] = draw(real_values(item))
    return document


# --- the verdicts ---------------------------------------------------------------------------------


def engine_verdict(instrument: Instrument, document: dict[str, Any]) -> tuple[bool | None, list[str]]:
    """True: scored; False: refused for a reason JSON Schema can express; None: refused only for
    reasons it cannot (the schema then accepts, or, when later checks were never reached, may refuse)."""
    try:
        score(instrument, document, today=TODAY)
    except AnswersError as error:
        depends = age_dependent(instrument)
        messages = [f"{'.'.join(map(str, issue.path))}: {issue.message}" for issue in error.issues]

        def inexpressible(issue: Any) -> bool:
            if any(text in issue.message for text in TOTAL_DEPENDENT):
                return True
            return (len(issue.path) == 2 and issue.path[0] == "answers" and issue.path[1] in depends
                    and any(text in issue.message for text in APPLICABILITY))

        return (None if all(inexpressible(issue) for issue in error.issues) else False), messages
    return True, []


def schema_errors(validator: jsonschema.Draft202012Validator, document: dict[str, Any]) -> list[str]:
    return sorted(f"{error.json_path}: {error.message[:120]}" for error in validator.iter_errors(document))


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema.Draft202012Validator]:
    out = {}
    for ref, instrument in INSTRUMENTS.items():
        schema = answers_schema(instrument)
        jsonschema.Draft202012Validator.check_schema(schema)
        out[ref] = jsonschema.Draft202012Validator(schema)
    return out


def test_every_instrument_is_covered() -> None:
    assert {"test-full@1.2.0", "test-contract@1.0.0", "test-critical@1.0.0", "sig-assessment@1.0.0",
            "sig-screening@1.0.0", "example-spj@1.0.0", "example-actuarial@1.0.0"} <= set(INSTRUMENTS)


@pytest.mark.parametrize("ref", sorted(INSTRUMENTS))
def test_the_schema_accepts_exactly_what_the_engine_scores(ref: str, validators) -> None:
    instrument = INSTRUMENTS[ref]
    validator = validators[ref]
    verdicts: Counter[str] = Counter()

    @SETTINGS
    @given(mixed(instrument))
    def check(document: dict[str, Any]) -> None:
        engine, messages = engine_verdict(instrument, document)
        errors = schema_errors(validator, document)
        context = json.dumps(document, ensure_ascii=False, default=str)[:3000]
        if engine is None:
            verdicts["inexpressible"] += 1
            if not any("judgement" in m for m in messages):  # refused before the later checks ran: no verdict
                return
            # Refused by the last checks (the judgement), which run only when all else is right.
            assert errors == [], f"the engine refuses only what the schema cannot say: {messages}\n{context}"
            return
        verdicts["valid" if engine else "invalid"] += 1
        if engine:
            assert errors == [], f"the engine scores it, the schema refuses it:\n{context}"
        else:
            assert errors, f"the engine refuses it ({messages}), the schema accepts it:\n{context}"

    check()
    # Both verdicts occur, so neither side passes by refusing (or accepting) everything.
    assert verdicts["valid"] >= 15 and verdicts["invalid"] >= 15, verdicts


# --- what JSON Schema cannot express: the schema accepts, the engine refuses ----------------------------------


def full_doc(**change: Any) -> dict[str, Any]:
    from .conftest import full_answers

    return {**full_answers(), **change}


@pytest.mark.parametrize(
    "document",
    [
        full_doc(assessment_date=(TODAY + dt.timedelta(days=1)).isoformat()),
        full_doc(birth_date="2026-11-02"),
        full_doc(birth_date="1900-01-01"),
        full_doc(answers={**full_doc()["answers"], "prior_offences": "3"}),  # the engine reads the text; in range
        full_doc(case="pnr ١٩٠١٠١٩٨٧٦"),
    ],
    ids=["assessment-after-today", "birth-after-assessment", "age-above-120", "number-as-text", "non-ascii-digits"],
)
def test_what_the_schema_cannot_say(document: dict[str, Any], validators) -> None:
    instrument = INSTRUMENTS["test-full@1.2.0"]
    errors = schema_errors(validators["test-full@1.2.0"], document)
    if document["answers"].get("prior_offences") == "3":
        # Text for a number: the schema asks for a JSON number; the engine reads it.
        assert errors and score(instrument, document, today=TODAY).total is not None
        return
    assert errors == []
    with pytest.raises(AnswersError):
        score(instrument, document, today=TODAY)


def test_an_override_that_depends_on_the_total(validators) -> None:
    instrument = INSTRUMENTS["test-full@1.2.0"]
    lower = full_doc(judgement={"band": "low", "reason": "Synthetic."})  # overrides may only go up
    assert schema_errors(validators["test-full@1.2.0"], lower) == []
    with pytest.raises(AnswersError, match="overrides may only go up"):
        score(instrument, lower, today=TODAY)


def test_a_condition_on_the_age(validators) -> None:
    instrument = INSTRUMENTS["test-contract@1.0.0"]
    validator = validators["test-contract@1.0.0"]
    base = {"instrument": "test-contract", "version": "1.0.0", "assessment_date": "2026-11-01",
            "answers": {"network": "none", "reports": 0, "view": "unsure", "support": "yes"}}
    young, adult = {**base, "birth_date": "2010-01-01"}, {**base, "birth_date": "2000-01-01"}
    with_housing = {**base["answers"], "housing": "yes"}
    # Without a birth date the condition is undecided: housing applies and is required.
    assert schema_errors(validator, base) and _refused(instrument, base)
    # With one, only the engine knows the age: the schema neither refuses nor requires an answer.
    assert schema_errors(validator, young) == [] and not _refused(instrument, young)
    assert schema_errors(validator, adult) == [] and _refused(instrument, adult)
    assert schema_errors(validator, {**young, "answers": with_housing}) == [] and _refused(instrument, {**young, "answers": with_housing})
    assert schema_errors(validator, {**adult, "answers": with_housing}) == [] and not _refused(instrument, {**adult, "answers": with_housing})


def _refused(instrument: Instrument, document: dict[str, Any]) -> bool:
    try:
        score(instrument, document, today=TODAY)
    except AnswersError:
        return True
    return False


def test_the_schema_describes_what_it_cannot_check(full) -> None:
    schema = answers_schema(full)
    assert schema["x-not-expressible"] == list(NOT_EXPRESSIBLE)
    for text in NOT_EXPRESSIBLE:
        assert text in schema["description"]
    readme = (ROOT / "README.md").read_text("utf-8")
    for text in NOT_EXPRESSIBLE:
        assert text in readme, text
