"""The compiled scorer against the scorer it replaced (tests/oracle_scoring_v1.py, frozen).

For every bundled instrument and every instrument in tests/data/ that loads, hypothesis draws
answers documents, valid and not (unknown, not applicable, left out, bad codes, numbers out of
range, wrong types, unknown items, critical answers, judgements, hostile notes), and both scorers
must give the same ``Result`` JSON byte for byte, or the same error with the same issues.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskmanual import AnswersError, Instrument, RiskmanualError, read_instrument
from riskmanual.answers import MAX_NOTE
from riskmanual.compiled import compile_instrument, from_json, to_json
from riskmanual.quickcheck import MAX_NOTE as QUICK_MAX_NOTE
from riskmanual.cli.fastscore import ResultView, _float_text, dump_result_json
from riskmanual.explanation import explain
from riskmanual.scoring import result_data, score, score_total

from . import oracle_scoring_v1 as oracle
from .conftest import DATA, ROOT, TODAY


def _load(path: Any) -> Instrument | None:
    try:
        return read_instrument(path)
    except RiskmanualError:
        return None


PATHS = sorted((ROOT / "instruments").glob("*/*.yaml")) + sorted(DATA.glob("*.yaml"))
INSTRUMENTS = {f"{p.parent.name}/{p.name}": i for p in PATHS if (i := _load(p)) is not None}
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(function: Any, *args: Any, **kwargs: Any) -> Any:
    """The result's JSON, or the error's type, message and issues (in both languages)."""
    try:
        return function(*args, **kwargs).model_dump_json()
    except RiskmanualError as error:
        issues = [(i.path, i.file, i.line, i.column, i.render("en"), i.render("sv")) for i in error.issues]
        return type(error).__name__, str(error.message), issues


def clean_value(item: Any, full: bool = False) -> st.SearchStrategy[Any]:
    """An answer the checks accept (unknown and not_applicable where the item allows them)."""
    response = item.response
    specials = [None]
    if item.allow_unknown and not item.required:
        specials.append("unknown")
    if item.allow_not_applicable or item.applies_when is not None:
        specials.append("not_applicable")
    if response.type == "boolean":
        good: st.SearchStrategy[Any] = st.sampled_from(["yes", "no", True, False])
    elif response.type in ("ordinal", "categorical"):
        good = st.sampled_from(list(response.codes))
    else:
        lo, hi = response.min, response.max
        good = st.integers(int(lo), int(hi)) if response.integer else st.floats(lo, hi, allow_nan=False)
    if item.required or full:
        return good
    return st.one_of(*[good] * 6, st.sampled_from(specials))


def value_strategy(item: Any) -> st.SearchStrategy[Any]:
    response = item.response
    common: list[Any] = ["unknown", "not_applicable", None, "", "bogus", 3, -1, 1e9, True, [1], {"a": 1}]
    if response.type == "boolean":
        good: st.SearchStrategy[Any] = st.sampled_from(["yes", "no", True, False, "Ja", "YES"])
    elif response.type in ("ordinal", "categorical"):
        good = st.sampled_from([*response.codes, *(c.upper() for c in response.codes)])
    elif response.type == "numeric":
        lo, hi = response.min, response.max
        good = st.one_of(st.integers(int(lo) - 2, int(hi) + 2), st.floats(lo - 1, hi + 1, allow_nan=False),
                         st.sampled_from([f"{lo}", "2,5", "nan", "inf", float("nan")]))
    else:
        good = st.sampled_from([1, "unknown"])
    return st.one_of(good, good, good, st.sampled_from(common))


@st.composite
def documents(draw: Any, instrument: Instrument) -> Any:
    answers: dict[str, Any] = {}
    clean = draw(st.integers(0, 3)) > 0  # three in four: only answers the checks accept
    full = clean and draw(st.booleans())  # and half of those answer everything that is asked
    for item in instrument.items:
        if (draw(st.integers(0, 14)) == 0 and not (clean and item.required) and not full) or (item.response.type == "derived" and clean):
            continue  # left out
        answers[item.id] = draw(clean_value(item, full) if clean else value_strategy(item))
    if clean:
        document = {"instrument": instrument.id, "version": instrument.version, "assessment_date": "2026-11-01",
                    "birth_date": draw(st.dates(dt.date(2000, 1, 1), dt.date(2016, 1, 1))).isoformat(),
                    "answers": answers}
        if draw(st.booleans()):
            document["notes"] = {draw(st.sampled_from([i.id for i in instrument.items])): "Synthetic note."}
        if instrument.judgement.final_rating == "assessor" or draw(st.integers(0, 3)) == 0:
            document["judgement"] = {"band": draw(st.sampled_from([b.id for b in instrument.bands])),
                                     "reason": "Synthetic reason."}
        return document
    if draw(st.integers(0, 14)) == 0:
        answers["no_such_item"] = "yes"
    birth = draw(st.one_of(st.dates(dt.date(1900, 1, 1), dt.date(2027, 1, 1)).map(dt.date.isoformat),
                           st.sampled_from([None, "2010-02-30", "20100101", 5])))
    document: dict[str, Any] = {
        "instrument": draw(st.sampled_from([instrument.id] * 12 + ["other"])),
        "version": draw(st.sampled_from([instrument.version] * 12 + ["9.9.9", 1])),
        "assessment_date": draw(st.sampled_from(["2026-11-01"] * 6 + ["2026-12-24", "2026-11-01T10:00", "x"])),
        "answers": answers,
    }
    if birth is not None or draw(st.booleans()):
        document["birth_date"] = birth
    ids = [item.id for item in instrument.items]
    if draw(st.integers(0, 3)) == 0:
        note = draw(st.sampled_from(["Synthetic note.", "tab\there", "esc\x1bseq", "x" * (MAX_NOTE + 1), "",
                                     "ring 070-1234567"]))
        document["notes"] = {draw(st.sampled_from([*ids, "nope"])): note}
    if draw(st.integers(0, 2)) == 0 or instrument.judgement.final_rating == "assessor":
        judgement: dict[str, Any] = {"band": draw(st.sampled_from([b.id for b in instrument.bands] + ["nope"]))}
        reason = draw(st.sampled_from(["Synthetic reason.", None, "", "bad\x07"]))
        if reason is not None:
            judgement["reason"] = reason
        if draw(st.integers(0, 5)) > 0:
            document["judgement"] = judgement
    for key, values in (("assessor", ["Demo Handläggare", "\x1b[2J", 7]), ("case", ["C-1", None]),
                        ("extra", ["x"])):
        if draw(st.integers(0, 7)) == 0:
            document[key] = draw(st.sampled_from(values))
    return document


def drop_inapplicable(instrument: Instrument, document: Any) -> Any:
    """Half the examples: answers to items that turn out not to apply are left out, so that the
    valid documents (and with them every rule of the result) are well covered."""
    try:
        oracle.score(instrument, document, today=TODAY)
    except AnswersError as error:
        dropped = {i.path[1] for i in error.issues if "does not apply" in i.message and len(i.path) == 2}
        if dropped and isinstance(document.get("answers"), dict):
            return {**document, "answers": {k: v for k, v in document["answers"].items() if k not in dropped}}
    return document


def test_every_instrument_loads() -> None:
    assert len(INSTRUMENTS) >= len(list((ROOT / "instruments").glob("*/*.yaml")))


def test_note_limits_agree() -> None:
    assert QUICK_MAX_NOTE == MAX_NOTE


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_compiled_round_trips_as_json(name: str) -> None:
    compiled = compile_instrument(INSTRUMENTS[name])
    assert from_json(to_json(compiled)) == compiled


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
@SETTINGS
@given(data=st.data())
def test_same_result_or_same_error(name: str, data: Any) -> None:
    instrument = INSTRUMENTS[name]
    document = data.draw(documents(instrument))
    if data.draw(st.integers(0, 3)) > 0:
        document = drop_inapplicable(instrument, document)
    lang = data.draw(st.sampled_from([None, "sv", "en"]))
    expected = outcome(oracle.score, instrument, document, lang=lang, today=TODAY, file="a.json")
    assert outcome(score, instrument, document, lang=lang, today=TODAY, file="a.json") == expected
    if isinstance(expected, str):  # the warm-cache CLI writes and explains the result dicts themselves
        data = result_data(instrument, document, lang=lang, today=TODAY)
        validated = score(instrument, document, lang=lang, today=TODAY)
        assert dump_result_json(data) == validated.model_dump_json(indent=2)
        show_all = data["total"] > 0
        assert explain(ResultView(data), show_all=show_all, width=70) == explain(validated, show_all=show_all, width=70)
    if isinstance(expected, str) and instrument.judgement.final_rating != "assessor":
        import json

        result = json.loads(expected)
        total = score_total(instrument, document, today=TODAY)
        assert (total.total, total.band) == (result["total"], result["band"]["id"] if result["band"] else None)


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_bundled_examples_agree(name: str) -> None:
    folder = ROOT / "instruments" / name.split("/")[0]
    import json

    for path in sorted(folder.glob("example-answers*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        instrument = INSTRUMENTS[name]
        for lang in ("sv", "en"):
            expected = outcome(oracle.score, instrument, document, lang=lang, today=TODAY)
            assert outcome(score, instrument, document, lang=lang, today=TODAY) == expected


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_written_as_pydantic_writes_them(value: float) -> None:
    from pydantic import TypeAdapter

    assert _float_text(value) == TypeAdapter(float).dump_json(value).decode()
