"""Reading a table's columns for :mod:`riskmanual.batch`: each column's distinct cells, checked once.

A column becomes its distinct cells and, per row, an index into them (a dictionary-encoded
column is used as it is). Each distinct cell is read as :func:`cell_value` says, then checked by
the single scorer's own :func:`~riskmanual.answers.check_answers` (a plainly valid code or
number skips the document it builds), so that its problems read word for word the same; its
points and whether it is critical come from the compiled instrument's item.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .answers import NOT_APPLICABLE, UNKNOWN, Answers, _number, check_answers, issues_from
from .batch_points import compact_dtype, flags
from .instrument import Instrument

__all__ = ["cell_value"]

_NONE, _VALUE, _UNKNOWN, _NA = 0, 1, 2, 3  # what a cell puts into the answers
_EPOCH = dt.date(1900, 1, 1)
_FAR = dt.date(9999, 12, 31)
_MEMO = 100_000  # distinct cells remembered per item across the batches of one file


def cell_value(value: Any) -> Any:
    """A table cell as an answer value: null, NaN and blank cells are no answer (None); text is
    stripped; dates (and timestamps at midnight) become ``YYYY-MM-DD``; numpy scalars become
    Python numbers."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bytes, bytearray)):
        return cell_value(bytes(value).decode("utf-8", errors="replace"))
    if _is_na(value):  # pandas' NA and NaT, numpy's NaT
        return None
    if isinstance(value, dt.datetime):  # a timestamp at midnight (as pandas writes dates) is that date
        midnight = value.tzinfo is None and value.time() == dt.time(0)
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_na(value: Any) -> bool:
    try:
        import pandas as pd  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a pyarrow-only installation
        try:
            return bool(value != value)
        except (TypeError, ValueError):
            return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


# --- reading columns ----------------------------------------------------------------


def _distinct(column: Any) -> tuple[list[Any], np.ndarray]:
    """A column's distinct cells (as answer values; None for no answer) and each row's index into them."""
    if hasattr(column, "combine_chunks") or hasattr(column, "dictionary_encode"):  # pyarrow
        values, index = _arrow_distinct(column)
    else:  # pandas
        import pandas as pd  # noqa: PLC0415

        if isinstance(column.dtype, pd.CategoricalDtype):
            values = list(column.cat.categories)
            index = np.asarray(column.cat.codes, dtype=np.intp)
        else:
            try:
                index, uniques = pd.factorize(column, use_na_sentinel=True)
            except TypeError:  # unhashable cells (lists, dicts): cell by cell
                return _python_distinct(column.tolist())
            values, index = list(uniques), np.asarray(index, dtype=np.intp)
            if column.dtype == object and any(isinstance(v, (bool, np.bool_)) or (isinstance(v, (int, float)) and v in (0, 1))
                                              for v in values):
                # True == 1 and False == 0 hash alike: tell them apart by type (a slow path for mixed columns)
                return _python_distinct(column.tolist())
        if (index < 0).any():
            index = np.where(index < 0, len(values), index)
            values.append(None)
    return [cell_value(v) for v in values], compact(index, len(values))


def _arrow_distinct(column: Any) -> tuple[list[Any], np.ndarray]:
    """:func:`_distinct` of a pyarrow array or chunked array, chunk by chunk: each chunk's dictionary
    (its own, or made by ``dictionary_encode``) is mapped once onto the column's distinct cells, then
    its indices are looked up in that small map (a chunk with the previous chunk's dictionary reuses it).
    The codes are written once, in the compact type, when every chunk's map is known."""
    import pyarrow as pa  # noqa: PLC0415

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    values: list[Any] = []
    slots: dict[Any, int] = {}

    def slot(value: Any) -> int:
        key = (type(value), value)
        found = slots.get(key)
        if found is None:
            found = slots[key] = len(values)
            values.append(value)
        return found

    plan: list[tuple[int, int, Any, Any, Any]] = []  # per chunk: rows, its map (or one code), indices, valid
    offset, previous, remap = 0, None, np.zeros(0, dtype=np.intp)
    try:
        for chunk in chunks:
            start, offset = offset, offset + len(chunk)
            if len(chunk) == 0:
                continue
            if pa.types.is_null(chunk.type):
                plan.append((start, offset, slot(None), None, None))
                continue
            if not pa.types.is_dictionary(chunk.type):
                chunk = chunk.dictionary_encode(null_encoding="encode")
            dictionary, indices = chunk.dictionary, chunk.indices
            if previous is None or not (dictionary is previous or dictionary.equals(previous)):
                remap = np.array([slot(v) for v in dictionary.to_pylist()], dtype=np.intp)
                previous = dictionary
            raw, valid = _indices(indices)
            codes = np.append(remap, slot(None)) if valid is not None else remap
            plan.append((start, offset, codes, raw, valid))
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # lists, structs
        return _python_distinct(column.to_pylist())
    dtype = np.dtype(compact_dtype(len(values)))
    index = np.empty(len(column), dtype=dtype)
    for start, end, codes, raw, valid in plan:
        segment = index[start:end]
        if raw is None:
            segment.fill(codes)
            continue
        if codes[0] == 0 and np.array_equal(codes, np.arange(len(codes))):
            segment[:] = raw  # the chunk's codes are the column's
        else:
            np.take(codes.astype(dtype), raw, out=segment, mode="clip")  # (clip: an index under a null is any number)
        if valid is not None:  # null cells: the code of None, in arithmetic (branch-free)
            segment *= valid
            segment += (valid == 0).astype(dtype) * dtype.type(codes[-1])
    return values, index


def _indices(indices: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """A chunk's dictionary indices as numpy (what lies under a null is any number), and 1 where the
    cell is not null (None: no nulls); read from the buffers, which is far cheaper than ``fill_null``."""
    if not indices.null_count:
        return indices.to_numpy(), None
    validity, data = indices.buffers()[:2]
    start, n = indices.offset, len(indices)
    raw = np.frombuffer(data, dtype=indices.type.to_pandas_dtype(), count=start + n)[start:]
    valid = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=start + n, bitorder="little")[start:]
    return raw, valid


def compact(index: np.ndarray, size: int) -> np.ndarray:
    """``index`` (codes ``0 .. size - 1``) in the smallest unsigned type that holds them (as it is when it does)."""
    dtype = np.dtype(compact_dtype(size))
    return index if index.dtype == dtype else index.astype(dtype)


def _python_distinct(cells: list[Any]) -> tuple[list[Any], np.ndarray]:
    """Distinct cells found one by one (after :func:`cell_value`, which makes every cell hashable)."""
    positions: dict[Any, int] = {}
    values: list[Any] = []
    index = np.empty(len(cells), dtype=np.int64)
    for row, cell in enumerate(cells):
        value = cell_value(cell)
        key = (type(value), value)
        found = positions.get(key)
        if found is None:
            found = positions[key] = len(values)
            values.append(value)
        index[row] = found
    return values, compact(index, len(values))


# --- the distinct answers of one item -----------------------------------------------


@dataclass
class _Cells:
    """One item's column: per distinct cell what it means; per row which distinct cell it holds."""

    index: np.ndarray
    kind: np.ndarray  # _NONE / _VALUE / _UNKNOWN / _NA
    values: list[Any]  # the normalised answer (code or float) of each distinct cell, else None
    points: np.ndarray  # raw points (before the protective sign)
    critical: np.ndarray
    problems: list[list[str]]  # the cell's own problems, rendered

    def take(self, per_distinct: np.ndarray) -> np.ndarray:
        return np.take(per_distinct, self.index)

    def flags(self, per_distinct: np.ndarray) -> np.ndarray:
        """A boolean per distinct cell, per row (by comparisons: see :func:`~riskmanual.batch_points.flags`)."""
        return flags(per_distinct, self.index)


def _points(item: dict[str, Any], value: Any) -> float:
    """Points an answer gives, before the protective sign (a compiled item)."""
    if item["type"] in ("boolean", "ordinal", "categorical"):
        return float(item["points"][value])
    number = float(value)
    found = next((b for b in item["bins"] if (b["min"] is None or number >= b["min"])
                  and (b["below"] is None or number < b["below"])), None)
    return float(found["points"]) if found is not None else 0.0


def _is_critical(item: dict[str, Any], value: Any) -> bool:
    """Whether the answer is one the compiled item's critical rule names."""
    rule = item["critical"]
    if rule is None:
        return False
    if rule["answers"] is not None and str(value) in rule["answers"]:
        return True
    return rule["at_least"] is not None and isinstance(value, float) and value >= rule["at_least"]


def _text(path: tuple[Any, ...], message: Any, value: Any, lang: str) -> str:
    """One problem as the error column shows it: ``path: message (got value)``."""
    issue = issues_from([(path, message, value)], None)[0]
    return issue.render(lang).removeprefix("<input>: ")


def _cells(instrument: Instrument, item: dict[str, Any], raw: list[Any], index: np.ndarray, lang: str,
           memo: dict[Any, Any]) -> _Cells:
    """Check each distinct cell once, with the single scorer's own checks (``memo`` keeps what
    earlier batches found)."""
    n = len(raw)
    kind = np.zeros(n, dtype=np.int8)
    points = np.zeros(n)
    critical = np.zeros(n, dtype=bool)
    values: list[Any] = [None] * n
    problems: list[list[str]] = [[] for _ in range(n)]
    for d, cell in enumerate(raw):
        if cell is None:
            continue
        key = (type(cell), cell)
        known = memo.get(key)
        if known is None:
            value = _plain_answer(item, cell)
            texts: list[str] = []
            if value is None:  # anything but a plain valid answer: the single scorer's checks, word for word
                answers = Answers.model_construct(instrument=instrument.id, version=instrument.version,
                                                  assessment_date=_EPOCH, birth_date=None, answers={item["id"]: cell},
                                                  notes={}, judgement=None, assessor=None, case=None)
                found, issues = check_answers(instrument, answers, today=_FAR)
                texts = [_text(path, message, value, lang) for path, message, value in issues]
                value = found.get(item["id"])
            code = _NONE if value is None else _UNKNOWN if value == UNKNOWN else _NA if value == NOT_APPLICABLE \
                else _VALUE
            if code == _VALUE:
                known = (code, value, _points(item, value), _is_critical(item, value), texts)
            else:
                known = (code, None, 0.0, False, texts)
            if len(memo) < _MEMO:
                memo[key] = known
        kind[d], values[d], points[d], critical[d], problems[d] = known
    return _Cells(index=compact(index, n), kind=kind, values=values, points=points, critical=critical,
                  problems=problems)


def _plain_answer(item: dict[str, Any], cell: Any) -> Any:
    """The answer a plainly valid cell gives, as ``check_answers`` normalises it (a code, yes/no,
    a number in range), without building a document; None for anything else (then it decides)."""
    kind = item["type"]
    if kind == "boolean":
        if isinstance(cell, bool):
            return "yes" if cell else "no"
        return cell if cell in ("yes", "no") else None
    if kind in ("ordinal", "categorical"):
        return cell if isinstance(cell, str) and cell in item["codes"] else None
    if kind != "numeric" or isinstance(cell, bool) or cell in (UNKNOWN, NOT_APPLICABLE):
        return None
    number = _number(cell)
    if number is None or (item["integer"] and number != int(number)) or not item["min"] <= number <= item["max"]:
        return None
    return number


def _age_cells(item: dict[str, Any], age: np.ndarray, known: np.ndarray) -> _Cells:
    """A derived age item: its distinct values are the ages that occur (the last one: no age)."""
    low = int(age[known].min()) if known.any() else 0
    high = int(age[known].max()) if known.any() else -1
    ages = [float(a) for a in range(low, high + 1)]
    index = np.where(known, age - low, len(ages)).astype(compact_dtype(len(ages) + 1))
    values: list[Any] = [*ages, None]
    kind = np.array([_VALUE] * len(ages) + [_NONE], dtype=np.int8)
    points = np.array([_points(item, v) for v in ages] + [0.0])
    critical = np.array([_is_critical(item, v) for v in ages] + [False])
    return _Cells(index=index, kind=kind, values=values, points=points, critical=critical,
                  problems=[[] for _ in values])
