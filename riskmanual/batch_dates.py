"""The assessment and birth dates of a batch, for :mod:`riskmanual.batch`: parsed once per distinct cell.

Each distinct date is read as the answers model reads it (a plain ``YYYY-MM-DD`` date directly,
anything else by the model itself, so that its problems read word for word the same); the age
at assessment, whether it is known and whether a birth date cannot be right are worked out once
per pair of distinct dates when there are fewer pairs than rows, and looked up per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from .answers import _ISO_DATE, NO_VALUE
from .batch_cells import _EPOCH, _MEMO, _text, compact
from .batch_points import compact_dtype, flags, gather
from .errors import RiskmanualError
from .instrument import Instrument
from .messages import tr

__all__: list[str] = []


@dataclass
class _Dates:
    """One date column: per distinct cell its date (ordinal -1: none) or parse problems; per row its distinct cell."""

    ordinal: np.ndarray
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    problems: list[list[str]]
    index: np.ndarray

    def ordinal_at(self, row: int) -> int:
        """The date's ordinal on one row (-1: no date)."""
        return int(self.ordinal[self.index[row]])


def _dates(instrument: Instrument, field: str, raw: list[Any], index: np.ndarray, lang: str,
           memo: dict[Any, Any]) -> _Dates:
    """Parse each distinct date once, as the answers model does (its errors, word for word)."""
    from .scoring import parse_answers  # noqa: PLC0415

    n = len(raw)
    parsed: list[tuple[int, int, int, int]] = [(-1, -1, -1, -1)] * n
    problems: list[list[str]] = [[] for _ in range(n)]
    for d, cell in enumerate(raw):
        if cell is None:
            if field == "assessment_date":
                problems[d] = [_text((field,), tr("missing required key"), NO_VALUE, lang)]
            continue
        key = (type(cell), cell)
        found = memo.get(key)
        if found is None:
            date = _plain_date(cell)
            if date is None:  # anything but a plain valid date: the model decides, in its own words
                document = {"instrument": instrument.id, "version": instrument.version,
                            "assessment_date": _EPOCH.isoformat(), field: cell}
                try:
                    date = getattr(parse_answers(document), field)
                except RiskmanualError as error:
                    found = [issue.render(lang).removeprefix("<input>: ") for issue in error.issues]
            if found is None:
                found = (date.toordinal(), date.year, date.month, date.day)
            if len(memo) >= _MEMO:
                memo.clear()
            memo[key] = found
        if isinstance(found, list):
            problems[d] = found
        else:
            parsed[d] = found
    ordinal, year, month, day = np.array(parsed, dtype=np.int64).reshape(n, 4).T
    return _Dates(ordinal=ordinal, year=year, month=month, day=day, problems=problems, index=compact(index, n))


def _plain_date(cell: Any) -> dt.date | None:
    """The date a plainly valid ``YYYY-MM-DD`` text gives (as the answers model reads it); None for anything else."""
    if not isinstance(cell, str) or not _ISO_DATE.fullmatch(cell):
        return None
    try:
        return dt.date.fromisoformat(cell)
    except ValueError:
        return None


def _constant_date(date: dt.date, n: int) -> _Dates:
    """Every row assessed on ``date`` (there is no assessment date column)."""
    one = (lambda v: np.array([v], dtype=np.int64))
    return _Dates(ordinal=one(date.toordinal()), year=one(date.year), month=one(date.month), day=one(date.day),
                  problems=[[]], index=np.zeros(n, dtype=np.uint8))


@dataclass
class _Ages:
    """Per row: the age in whole years at assessment (0 where unknown), whether it is known (both
    dates there), and whether the birth date cannot be right (after the assessment, or an age above 120)."""

    age: np.ndarray
    known: np.ndarray
    odd: np.ndarray


def _ages(assessed: _Dates, born: _Dates | None) -> _Ages:
    """The ages of :class:`_Ages`, from a table per pair of distinct dates when there are fewer pairs than rows."""
    n = len(assessed.index)
    if born is None:
        return _Ages(np.zeros(n, dtype=np.int16), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    pairs = len(assessed.ordinal) * len(born.ordinal)
    if pairs > max(n, 1024):  # as many distinct pairs as rows: per row
        a, b = (np.take(table, dates.index) for table, dates in ((assessed.ordinal, assessed), (born.ordinal, born)))
        age, known = _age_of(assessed, born, assessed.index, born.index)
        return _Ages(age, known, known & ((b > a) | (age > 120)))
    first, second = np.divmod(np.arange(pairs), len(born.ordinal))
    age, known = _age_of(assessed, born, first, second)
    odd = known & ((born.ordinal[second] > assessed.ordinal[first]) | (age > 120))
    if len(assessed.ordinal) == 1:
        pair = born.index
    else:
        pair = assessed.index.astype(compact_dtype(pairs)) * len(born.ordinal)
        pair += born.index
    return _Ages(gather(age, pair), flags(known, pair), flags(odd, pair))


def _age_of(assessed: _Dates, born: _Dates, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Age in whole years and whether it is known, for the assessment cells ``first`` and birth cells ``second``."""
    known = (born.ordinal[second] >= 0) & (assessed.ordinal[first] >= 0)
    a_month, b_month = assessed.month[first], born.month[second]
    before = (a_month < b_month) | ((a_month == b_month) & (assessed.day[first] < born.day[second]))
    age = np.where(known, assessed.year[first] - born.year[second] - before, 0).astype(np.int16)
    return age, known
