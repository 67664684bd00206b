"""The batch scorer's shortcuts, each against the single scorer on the paths real data rarely takes.

The fast paths (:mod:`riskmanual.batch_points`) are switched off or forced one at a time: pools
split over several combined codes (so prorating goes row by row), sums treated as inexact (so
every total is rounded), and more pairs of distinct dates than rows (so ages are worked out per
row). Every row must still equal :func:`riskmanual.score` of that row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

import riskmanual.batch_points as points  # noqa: E402
from riskmanual.batch import score_frame  # noqa: E402
from riskmanual.instrument import DerivedResponse  # noqa: E402

from .test_batch_equivalence import INSTRUMENTS, SETTINGS, TODAY, check, tables, tidy  # noqa: E402

NAMES = ["data/full.yaml", "sig-assessment/2.0.0.yaml", "example-compas/2.0.0.yaml", "variant/full-zero",
         "variant/spj-computed"]
PATHS = {
    "small pools": (points, "_JOINT", 4),  # every pool split: prorating row by row, several gathers per pool
    "inexact sums": (points, "exact", lambda table: False),  # every total rounded
}


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_slow_paths_equal_the_single_scorer(name: str, path: str, data: Any) -> None:
    instrument = INSTRUMENTS[name]
    frame = data.draw(tables(instrument))
    domains = data.draw(st.booleans())
    owner, attribute, value = PATHS[path]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(owner, attribute, value)
        out = score_frame(instrument, frame, domains=domains, today=TODAY, lang="en")
    check(instrument, frame, out, domains=domains)


def test_ages_row_by_row_when_the_dates_pair_up_every_way() -> None:
    """More pairs of distinct assessment and birth dates than rows: ages per row, not per pair."""
    instrument = INSTRUMENTS["sig-assessment/2.0.0.yaml"]
    rng = np.random.default_rng(3)
    n = 60
    first = dt.date(2026, 1, 1).toordinal()
    rows = []
    for k in range(n):
        row: dict[str, Any] = {}
        for item in instrument.items:
            if isinstance(item.response, DerivedResponse):
                continue
            codes = list(getattr(item.response, "codes", ())) or ["yes", "no"]
            row[item.id] = codes[int(rng.integers(0, len(codes)))]
        row["police_reports_12m"] = int(rng.integers(0, 5))
        row["assessment_date"] = dt.date.fromordinal(first + k).isoformat()
        row["birth_date"] = dt.date.fromordinal(first - 365 * 16 - 37 * k).isoformat()
        rows.append(tidy(instrument, row))
    frame = pd.DataFrame({key: pd.Series([r[key] for r in rows], dtype=object) for key in rows[0]})
    check(instrument, frame, score_frame(instrument, frame, today=TODAY, lang="en"), domains=False)


@pytest.mark.parametrize("trues", [[], [0], [1, 3], [0, 1, 2, 4, 5, 6], list(range(8)), [0, 2, 4, 6]])
def test_flags_are_the_table_per_row(trues: list[int]) -> None:
    table = np.zeros(8, dtype=bool)
    table[trues] = True
    index = np.random.default_rng(1).integers(0, 8, 1000).astype(np.uint8)
    assert np.array_equal(points.flags(table, index), table[index])
    assert np.array_equal(points.flags(table, index.astype(np.intp)), table[index])


def test_weighted_counts_in_integers_or_floats() -> None:
    rng = np.random.default_rng(2)
    counts = {w: rng.integers(0, 5, 100).astype(np.uint8) for w in (2.0, -1.5, 0.0, 3.0)}
    want = sum(w * c.astype(float) for w, c in counts.items())
    assert np.array_equal(points.weighted(counts, 100), want)  # exact: integers, then one division
    tenths = {0.1: counts[2.0], 0.7: counts[3.0]}
    assert np.allclose(points.weighted(tenths, 100), 0.1 * counts[2.0] + 0.7 * counts[3.0], rtol=0, atol=1e-12)
    assert len(points.weighted({}, 0)) == 0 and len(points.weighted(counts, 0)) == 0


def test_compact_codes_from_encode() -> None:
    """The codes encode makes are the smallest unsigned type that holds them."""
    from riskmanual.batch import BatchScorer

    instrument = INSTRUMENTS["data/full.yaml"]
    frame = pd.DataFrame({item.id: ["x"] * 3 for item in instrument.items
                          if not isinstance(item.response, DerivedResponse)})
    frame["prior_offences"] = [str(v) for v in range(3)]
    codes = BatchScorer(instrument, today=TODAY).encode(frame)
    assert all(index.dtype == np.uint8 for _values, index in codes.values())
    many = pd.Series([str(v) for v in range(300)])
    assert BatchScorer(instrument, today=TODAY).encode(pd.DataFrame({**{c: many for c in frame}}))[
        "prior_offences"][1].dtype == np.uint16


@pytest.mark.parametrize("offset", [0, 3, 9])
def test_arrow_codes_with_nulls_and_offsets(offset: int) -> None:
    """Dictionary chunks with nulls (read from their buffers), sliced and in several chunks, plain and mixed."""
    import pyarrow as pa

    from riskmanual.batch_cells import _distinct, cell_value

    cells = ["low", None, "high", "low", None, " x ", "high", None, "low", "moderate", None, "low"] * 3
    plain = pa.array(cells, type=pa.string())
    encoded = plain.dictionary_encode()
    chunked = pa.chunked_array([encoded.slice(offset), encoded.slice(offset, 7),
                                pa.array(cells[::-1], type=pa.string()).dictionary_encode(),
                                pa.array([None] * 4, type=pa.string()).dictionary_encode()])
    for column in (encoded.slice(offset), chunked, plain.slice(offset), pa.chunked_array([plain, plain.slice(offset)])):
        values, index = _distinct(column)
        assert [values[i] for i in index.tolist()] == [cell_value(v) for v in column.to_pylist()]
        assert index.dtype == np.uint8
