"""The batch scorer equals the single scorer, row by row, for every bundled and test instrument.

Each generated table holds valid answers, unknown, not_applicable, blank and null cells, bad
codes, booleans, numbers in and out of range (as numbers and as text), bad and future dates;
every row of :func:`score_frame` must equal :func:`score` of :func:`row_answers` of that row
(or the problems it raises, word for word).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

from riskmanual import AnswersError, Instrument, read_instrument, score  # noqa: E402
from riskmanual.batch import output_columns, row_answers, score_frame  # noqa: E402
from riskmanual.instrument import BooleanResponse, ChoiceResponse, DerivedResponse, Judgement, MissingRule, \
    NumericResponse  # noqa: E402

from .conftest import DATA, ROOT, TODAY  # noqa: E402

PATHS = [*sorted(DATA.glob("*.yaml")), *sorted((ROOT / "instruments").glob("*/*.yaml"))]
INSTRUMENTS = {f"{path.parent.name}/{path.name}": read_instrument(path) for path in PATHS}


def _variants() -> dict[str, Instrument]:
    """Rules no shipped instrument combines: the SPJ instrument with a computed result (its separate
    protective scale scored), missing items counted as zero, and no missing limit at all."""
    spj, full, sig = (INSTRUMENTS[k] for k in ("example-spj/1.0.0.yaml", "data/full.yaml", "sig-assessment/2.0.0.yaml"))
    zero = full.scoring.model_copy(update={"missing": MissingRule(max_missing=3, handling="zero")})
    unlimited = sig.scoring.model_copy(update={"missing": MissingRule(max_missing=None, handling="prorate")})
    return {
        "variant/spj-computed": spj.model_copy(update={"judgement": Judgement()}),
        "variant/full-zero": full.model_copy(update={"scoring": zero}),
        "variant/sig-unlimited": sig.model_copy(update={"scoring": unlimited}),
    }


INSTRUMENTS.update(_variants())
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])


def cell_strategy(item: Any, gaps: int, errors: int) -> st.SearchStrategy[Any]:
    """Anything a register's column may hold for this item: with ``errors`` percent chance a bad
    cell (bad code, out of range, not a whole number, the wrong type), with ``gaps`` percent a
    blank, null, NaN, unknown or not_applicable cell, else a valid answer (as text or a number)."""
    response = item.response
    gap = st.sampled_from([None, "", " ", "unknown", "not_applicable", float("nan"), "unknown"])
    wrong = ["hgh", "x", "yes", "no", "3", "UNKNOWN", "1e400", "nan", "inf", "ja", True, 2.5, -7]
    if isinstance(response, BooleanResponse):
        valid: st.SearchStrategy[Any] = st.sampled_from(["yes", "no", True, False, " yes"])
    elif isinstance(response, ChoiceResponse):
        valid = st.sampled_from(list(response.codes))
    else:
        assert isinstance(response, NumericResponse)
        low, high = response.min, response.max
        whole = st.integers(int(math.ceil(low)), int(math.floor(high)))
        valid = st.one_of(whole, whole.map(str), st.sampled_from([f"{low:g}".replace(".", ","), f"{high:g}"]))
        if not response.integer:
            valid = st.one_of(valid, st.floats(low, high, allow_nan=False).map(lambda x: round(x, 2)))
        wrong += [high + 3, str(low - 1), f"{(low + high) / 2 + 0.25}"]
    bad = st.sampled_from(wrong)
    return st.integers(0, 99).flatmap(lambda roll: bad if roll < errors else gap if roll < errors + gaps else valid)


DATES = st.one_of(st.just("2026-11-01"), st.dates(dt.date(2020, 1, 1), dt.date(2026, 11, 23)).map(dt.date.isoformat),
                  st.sampled_from(["2027-01-05", "2026-13-01", "1.11.2026", None]))
BIRTHS = st.one_of(st.dates(dt.date(2005, 1, 1), dt.date(2013, 12, 31)).map(dt.date.isoformat),
                   st.sampled_from([None, "1890-01-01", "2030-01-01", "bad", "2010-02-30"]))


def tidy(instrument: Instrument, row: dict[str, Any]) -> dict[str, Any]:
    """The row with answers to items that do not apply blanked and required items answered (so
    that clean rows are scored, not refused), using the single scorer's own verdicts."""
    for _attempt in range(4):
        try:
            score(instrument, row_answers(instrument, row, today=TODAY), today=TODAY)
            return row
        except AnswersError as error:
            changed = False
            for issue in error.issues:
                item = instrument.items_by_id.get(issue.path[-1]) if issue.path[0] == "answers" else None
                if item is None:
                    continue
                if "does not apply" in issue.message or "cannot be not_applicable" in issue.message:
                    row[item.id], changed = None, True
                elif "is required" in issue.message and row.get(item.id) in (None, "", " "):
                    response = item.response
                    row[item.id] = response.codes[0] if hasattr(response, "codes") else response.min
                    changed = True
            if not changed:
                return row
    return row


@st.composite
def tables(draw: Any, instrument: Instrument) -> Any:
    items = [item for item in instrument.items if not isinstance(item.response, DerivedResponse)]
    n = draw(st.integers(1, 12))
    gaps, errors = draw(st.sampled_from([0, 3, 10, 30])), draw(st.sampled_from([0, 0, 2, 20]))
    noise = gaps + errors
    dates, births = draw(st.booleans()), draw(st.booleans())
    rows = []
    for i in range(n):
        row = {item.id: draw(cell_strategy(item, gaps, errors)) for item in items}
        if dates:
            row["assessment_date"] = draw(DATES) if noise else "2026-11-01"
        if births:
            row["birth_date"] = draw(BIRTHS) if noise else "2010-05-17"
        row["case_ref"] = f"c{i}"  # columns that are not items are left alone
        rows.append(tidy(instrument, row) if draw(st.integers(0, 3)) else row)
    return pd.DataFrame({k: pd.Series([r[k] for r in rows], dtype=object) for k in rows[0]})


def expected(instrument: Instrument, row: dict[str, Any], *, domains: bool, lang: str = "en") -> dict[str, Any]:
    """What the single scorer says about one row, in the batch's output columns."""
    document = row_answers(instrument, row, today=TODAY)
    try:
        result = score(instrument, document, today=TODAY)
    except AnswersError as error:
        out = {name: None for name in output_columns(instrument, domains=domains)}
        out.update(status="refused", error="; ".join(i.render(lang).removeprefix("<input>: ") for i in error.issues))
        return out
    band = result.final_band
    out = {
        "status": result.status, "total": result.total, "band": band.id if band else None,
        "target_group": result.target_group.met if result.target_group else None,
        "probability": result.probability.value if result.probability else None,
        "missing": result.missing_rule.counted, "band_low": result.robustness.lowest_band,
        "band_high": result.robustness.highest_band, "review_required": result.review_required, "error": None,
    }
    if instrument.scoring.protective == "separate":
        out["protective_total"] = result.protective_total
    if domains:
        out.update({f"domain_{d.id}": d.subtotal for d in result.domains})
    return out


def plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def check(instrument: Instrument, frame: Any, out: Any, *, domains: bool, lang: str = "en") -> None:
    rows = out.to_pylist() if isinstance(out, pa.Table) else out.to_dict("records")
    assert len(rows) == len(frame)
    assert list(rows[0]) == output_columns(instrument, domains=domains)
    for position, row in enumerate(frame.to_dict("records")):
        got = {k: plain(v) for k, v in rows[position].items()}
        want = expected(instrument, row, domains=domains, lang=lang)
        assert got == want, (position, row, got, want)


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
@SETTINGS
@given(data=st.data())
def test_batch_equals_single_scorer(name: str, data: Any) -> None:
    instrument = INSTRUMENTS[name]
    frame = data.draw(tables(instrument))
    domains = data.draw(st.booleans())
    check(instrument, frame, score_frame(instrument, frame, domains=domains, today=TODAY, lang="en"), domains=domains)


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_batch_equals_single_scorer_on_arrow_text(name: str, data: Any) -> None:
    """A pyarrow table of text, dictionary-encoded (as CSV and Parquet give it), in record batches."""
    instrument = INSTRUMENTS[name]
    frame = data.draw(tables(instrument))
    columns = {c: [None if plain(v) is None else str(v) for v in frame[c].tolist()] for c in frame.columns}
    text = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in columns.items()})
    arrays = {c: pa.array(v, type=pa.string()) for c, v in columns.items()}
    table = pa.table({c: a.dictionary_encode() if data.draw(st.booleans()) else a for c, a in arrays.items()})
    out = score_frame(instrument, table, today=TODAY, lang="en")
    assert isinstance(out, pa.Table)
    check(instrument, text, out.to_pandas(), domains=False)


def test_swedish_errors_and_renamed_columns() -> None:
    instrument = INSTRUMENTS["data/full.yaml"]
    row = {"prior_offences": "-3", "violence": "hög", "peers": "yes", "gang": "no", "school": "truant",
           "adult": "yes", "district": "north"}
    frame = pd.DataFrame([row]).rename(columns={"violence": "VIOL"})
    out = score_frame(instrument, frame, columns={"violence": "VIOL"}, today=TODAY, lang="sv")
    document = row_answers(instrument, frame.iloc[0].to_dict(), columns={"violence": "VIOL"}, today=TODAY)
    with pytest.raises(AnswersError) as caught:
        score(instrument, document, today=TODAY)
    assert out["status"].iloc[0] == "refused"
    assert out["error"].iloc[0] == "; ".join(i.render("sv").removeprefix("<input>: ") for i in caught.value.issues)
    assert "menade du" in out["error"].iloc[0]


def test_categorical_and_numeric_columns() -> None:
    """pandas categoricals and real number columns are read as they are."""
    instrument = INSTRUMENTS["data/full.yaml"]
    frame = pd.DataFrame({
        "prior_offences": [0, 3, 12, None], "violence": pd.Categorical(["low", "high", None, "moderate"]),
        "peers": [True, False, True, None], "gang": ["no", None, "unknown", "no"],
        "school": ["attending", "truant", "attending", ""], "adult": ["yes", "no", "yes", "yes"],
        "district": ["north", "south", "north", "north"],
        "assessment_date": pd.to_datetime(["2026-11-01", "2026-10-01", None, "2026-11-01 10:30"], format="ISO8601"),
        "birth_date": pd.array([dt.date(2009, 3, 2), None, dt.date(2008, 1, 1), dt.date(2010, 6, 1)], dtype=object),
        "gang_size": pd.array([1, None, 3, 4], dtype="Int64"),  # not an item: left alone
    })
    out = score_frame(instrument, frame, today=TODAY, domains=True)
    check(instrument, frame.astype(object).where(frame.notna(), None), out, domains=True)
    assert out["status"].tolist() == ["complete", "complete", "refused", "refused"]  # no date; a time of day


def test_empty_table_has_the_columns() -> None:
    instrument = INSTRUMENTS["data/full.yaml"]
    ids = [i.id for i in instrument.items if not isinstance(i.response, DerivedResponse)]
    out = score_frame(instrument, pd.DataFrame({c: pd.Series([], dtype=object) for c in ids}), today=TODAY)
    assert list(out.columns) == output_columns(instrument) and len(out) == 0


def test_a_table_that_does_not_fit_is_one_error_with_every_problem() -> None:
    from riskmanual.batch import BatchError

    instrument = INSTRUMENTS["data/full.yaml"]
    frame = pd.DataFrame({"prior_ofences": ["1"], "violence": ["low"], "violence2": ["low"], "peers": ["no"],
                          "school": ["attending"], "adult": ["no"], "district": ["north"]})
    frame = pd.concat([frame, frame[["peers"]]], axis=1)  # 'peers' twice
    with pytest.raises(BatchError) as caught:
        score_frame(instrument, frame, columns={"violnce": "violence2", "birth_date": "born"}, today=TODAY)
    lines = [i.render("en") for i in caught.value.issues]
    assert any("columns.violnce: no item 'violnce' in test-full@1.2.0; did you mean 'violence'?" in x for x in lines)
    assert any("prior_offences: no column for this item; did you mean 'prior_ofences'?" in x for x in lines)
    assert any("gang: no column for this item" in x for x in lines)
    assert any("born: no column 'born' for the birth_date" in x for x in lines)
    assert any("peers: column 'peers' appears more than once" in x for x in lines)
