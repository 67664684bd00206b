"""Historical cohorts for calibration: read a table, check it against the instrument, encode it.

A table has one column per item (option codes, or numbers for numeric and derived items,
which the instrument's bins turn into codes; empty for missing), a 0/1 outcome column,
optional group columns and an optional id column. Every problem is reported at once with
its column, row and value, as a :class:`CalibrationError`.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Issue, RiskmanualError
from ..instrument import ChoiceResponse, Instrument
from ..messages import Localized, Msg, tr
from .encoding import NOT_RECORDED, Encoding, encode_instrument

__all__ = ["CalibrationError", "Cohort", "MIN_EVENTS_PER_ITEM", "build_cohort", "check_folds", "did_you_mean",
           "file_reason", "read_table"]

#: Fewer outcome events than this per scored item make refitted weights unreliable.
MIN_EVENTS_PER_ITEM = 10
MISSING_TEXT = {"", "na", "nan", "null", "none", "unknown"}
MAX_LISTED = 50


class CalibrationError(RiskmanualError, ValueError):
    """Calibration data or settings that cannot be used; ``issues`` says where."""


def did_you_mean(message: Msg, close: list[str]) -> Msg:
    """``message; did you mean 'close'?`` when there is a close name, else ``message``."""
    return tr("{message}; did you mean '{close}'?", message=message, close=close[0]) if close else message


def file_reason(reason: str) -> Msg | str:
    """Why :mod:`riskmanual.files` did not write a file (its English reason), in the reader's language."""
    from ..files import reason_words

    return reason_words(reason)  # type: ignore[no-any-return]


@dataclass
class Cohort:
    """A checked, encoded historical cohort."""

    instrument: Instrument
    encoding: Encoding
    X: np.ndarray
    y: np.ndarray
    groups: dict[str, np.ndarray]
    ids: np.ndarray | None
    missing: dict[str, int]
    source: str
    sha256: str
    warnings: list[str] = field(default_factory=list)
    final_rating: np.ndarray | None = None  # the assessor's band per row (-1: none), when a column holds it
    final_rating_column: str | None = None

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    @property
    def events(self) -> int:
        return int(self.y.sum())

    def current_totals(self) -> np.ndarray:
        """Each row's total under the instrument's current points (missing items count 0)."""
        from .encoding import totals

        return self.encoding.offset + totals(self.X, self.encoding.current)


def read_table(path: str | Path, columns: list[str] | set[str] | None = None) -> Any:
    """Read a CSV or Parquet table as text columns (categorical: memory grows with the distinct values).

    With ``columns``, only those columns (and copies of them) are read: memory is proportional
    to the columns the instrument uses, not to the table's width; the table's full header is
    kept (``attrs["all_columns"]``) for did-you-mean suggestions. Empty files are refused. A column name that appears twice is refused, unless every copy
    holds the same values (as in ProPublica's COMPAS file): then one copy is used and the
    table carries a warning.
    """
    path = Path(os.path.normpath(path))
    name = str(path)
    if not path.is_file():
        raise CalibrationError(tr("{file}: no such file", file=name), [Issue(tr("no such file"), file=name)])
    try:
        frame, duplicates, warnings, header = _read(path, name, None if columns is None else set(columns))
    except CalibrationError:
        raise
    except UnicodeDecodeError as exc:
        raise CalibrationError(tr("{file}: not UTF-8 text", file=name),
                               [Issue(tr("not UTF-8 text (byte {at})", at=str(exc.start)), file=name)]) from None
    except Exception as exc:  # noqa: BLE001 - pandas and pyarrow raise many kinds for a broken file
        kind = "Parquet" if path.suffix.lower() in (".parquet", ".pq") else "CSV"
        raise CalibrationError(tr("{file}: cannot read", file=name), [
            Issue(tr("not a readable {kind} table: {reason}", kind=kind, reason=str(exc)), file=name)]) from None
    if duplicates:
        raise CalibrationError(tr("{file}: duplicate column names", file=name), [
            Issue(tr("column name '{column}' appears more than once with different values: which one is meant is "
                     "ambiguous", column=c), path=(c,), file=name, line=1)
            for c in duplicates
        ])
    frame.attrs["source"] = name
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    frame.attrs["sha256"] = digest.hexdigest()
    frame.attrs["all_columns"] = header
    frame.attrs["warnings"] = warnings
    return frame


CHUNK_ROWS = 200_000


def _read(path: Path, name: str, wanted: set[str] | None) -> tuple[Any, list[str], list[str], list[str]]:
    """Read the table; return it, the ambiguous duplicate column names, warnings and the full header."""
    import pandas as pd
    from pandas.api.types import union_categoricals

    warnings: list[str] = []
    if path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        header = [str(c) for c in pq.ParquetFile(path).schema_arrow.names]
        use = None if wanted is None else [c for c in dict.fromkeys(header) if c in wanted]
        frame = pd.read_parquet(path, columns=use)
        duplicates = sorted(set(frame.columns[frame.columns.duplicated()]))
        return frame, duplicates, warnings, header
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise CalibrationError(tr("{file}: empty file", file=name),
                               [Issue(tr("the file is empty: no header and no rows"), file=name, line=1)])
    positions = [i for i, c in enumerate(header) if wanted is None or c in wanted]
    chunks = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", usecols=positions,
                         chunksize=CHUNK_ROWS)
    parts: dict[str, list[Any]] = {}
    order: list[str] = []
    for chunk in chunks:  # one chunk of text at a time; kept as categoricals
        for column in chunk.columns:
            if column not in parts:
                parts[column], _ = [], order.append(column)
            parts[column].append(pd.Categorical(chunk[column]))
    if not order:
        order = [c for c in pd.read_csv(path, dtype=str, nrows=0, usecols=positions, encoding="utf-8-sig").columns]
    data = {c: pd.Series(union_categoricals(parts[c]) if parts.get(c) else pd.Categorical([]), name=c) for c in order}
    frame = pd.DataFrame(data, columns=order)
    duplicates = []
    selected = [header[i] for i in positions]
    for column in sorted({c for c in selected if selected.count(c) > 1}):
        copies = [f"{column}.{i}" for i in range(1, selected.count(column))]  # pandas renames the copies
        if all(frame[column].astype(str).equals(frame[copy].astype(str)) for copy in copies):
            frame = frame.drop(columns=copies)
            warnings.append(f"column '{column}' appears {len(copies) + 1} times with identical values; one copy is used")
        else:
            duplicates.append(column)
    return frame, duplicates, warnings, header


def build_cohort(
    instrument: Instrument,
    frame: Any,
    outcome: str,
    *,
    groups: list[str] | tuple[str, ...] = (),
    id_column: str | None = None,
    columns: dict[str, str] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
    outcome_values: dict[str, list[Any]] | None = None,
    column_rule: str | None = None,
    missing_policy: str = "reference",
    final_rating: str | None = None,
) -> Cohort:
    """Check ``frame`` (a pandas DataFrame) against ``instrument`` and encode it.

    ``columns`` maps item ids to column names where they differ; ``column_rule`` names every
    other item's column (``{id}``, ``{ID}`` upper case, ``{Id}`` CamelCase, e.g. ``"Q_{ID}"``).
    ``values`` maps, per item, data values to option codes (matched without regard to case or
    surrounding spaces; ``""`` is a blank cell; the code ``missing`` means a missing answer).
    ``outcome_values`` (``positive``, ``negative``) lists the outcome's values. ``final_rating``
    names a column with the assessor's final band (ids or labels), read beside the items. Raises
    :class:`CalibrationError` listing every problem; adds a warning when there are fewer
    than :data:`MIN_EVENTS_PER_ITEM` events per scored item.
    """
    source = str(frame.attrs.get("source", "<DataFrame>"))
    sha256 = frame.attrs.get("sha256") or _frame_sha256(frame)
    encoding = encode_instrument(instrument)
    columns = dict(columns or {})
    values = {k: dict(v) for k, v in (values or {}).items()}
    issues: list[Issue] = []
    available = [str(c) for c in frame.columns]
    everything = [str(c) for c in frame.attrs.get("all_columns", available)]
    item_ids = [enc.item.id for enc in encoding.items]
    for what, mapping in (("columns", columns), ("values", values)):
        for key in mapping:
            if key not in item_ids:
                close = difflib.get_close_matches(key, item_ids, n=1)
                issues.append(Issue(did_you_mean(tr("no scored item '{key}' in {ref}", key=key, ref=instrument.ref),
                                                 close), path=(what, key), file=source))

    def need(column: str, message: Msg) -> bool:
        if column in available:
            return True
        close = difflib.get_close_matches(column, everything, n=1)
        issues.append(Issue(did_you_mean(message, close), path=(column,), file=source, line=1))
        return False

    if len(frame) == 0:
        issues.append(Issue(tr("the table has no rows"), file=source, line=2))
    has_outcome = need(outcome, tr("no outcome column '{column}' in the table", column=outcome))
    for group in groups:
        need(group, tr("no group column '{column}' in the table", column=group))
    if id_column:
        need(id_column, tr("no id column '{column}' in the table", column=id_column))
    has_rating = bool(final_rating) and need(str(final_rating), tr("no final rating column '{column}' in the table",
                                                                   column=str(final_rating)))
    item_columns = {}
    for enc in encoding.items:
        column = columns.get(enc.item.id, _rule_name(column_rule, enc.item.id))
        if column != enc.item.id:
            message = tr("no item '{item}' column '{column}' in the table", item=enc.item.id, column=column)
        else:
            message = tr("no item column '{column}' in the table", column=column)
        if need(column, message):
            item_columns[enc.item.id] = column
    if issues:
        raise CalibrationError(tr("{source}: the table does not fit {ref}", source=source, ref=instrument.ref), issues)

    lines = np.asarray(frame.attrs.get("lines", np.arange(len(frame)) + 2))
    header = {c: i + 1 for i, c in reversed(list(enumerate(everything)))}
    y = _outcome(frame[outcome], outcome, source, issues, outcome_values, lines, header.get(outcome)) \
        if has_outcome else np.zeros(0)
    codes: dict[str, np.ndarray] = {}
    missing: dict[str, int] = {}
    conditional: list[str] = []
    for enc in encoding.items:
        column = item_columns[enc.item.id]
        found, n_missing = _codes(enc, frame[column], column, source, issues, values.get(enc.item.id, {}),
                                  lines, header.get(column))
        codes[enc.item.id] = found
        missing[enc.item.id] = n_missing
    rating = None
    if has_rating:
        from .final_rating import read_final_rating

        rating = read_final_rating(instrument, frame[final_rating], str(final_rating), source, issues, lines,
                                   header.get(str(final_rating)), MAX_LISTED)
    if missing_policy == "category":
        encoding, conditional = _missing_as_category(instrument, encoding, codes, missing, item_columns, source, issues)
    if missing_policy == "error":
        for item_id, count in missing.items():
            if count:
                issues.append(Issue(tr("{count} missing answer(s) to item '{item}', and the spec says missing is an "
                                       "error (missing: error)", count=count, item=item_id),
                                    path=(item_columns[item_id],), file=source))
    if len(issues) > MAX_LISTED:
        more = len(issues) - MAX_LISTED
        issues = issues[:MAX_LISTED] + [Issue(tr("... and {more} more problems listed here, perhaps more beyond",
                                                 more=more), file=source)]
    if not issues and len(np.unique(y)) < 2:
        issues.append(Issue(tr("the outcome has only one class ({value}): nothing to calibrate against",
                               value=str(int(y[0])) if len(y) else "-"), path=(outcome,), file=source))
    if issues:
        raise CalibrationError(tr("{source}: the table does not fit {ref}", source=source, ref=instrument.ref), issues)

    X = encoding.transform_indices(codes, len(frame))
    cohort = Cohort(
        instrument=instrument, encoding=encoding, X=X, y=y,
        groups={g: frame[g].astype(str).to_numpy() for g in groups},
        ids=frame[id_column].astype(str).to_numpy() if id_column else None,
        missing=missing, source=source, sha256=sha256, warnings=list(frame.attrs.get("warnings", [])),
        final_rating=rating, final_rating_column=final_rating if has_rating else None,
    )
    if missing_policy == "category" and conditional:
        cohort.warnings.append(f"missing is its own category except for items with a condition ({', '.join(conditional)}): "
                               "their blank cells may mean the item does not apply, and count as the reference answer")
    if getattr(instrument.judgement, "final_rating", "computed") == "assessor" and rating is None:
        cohort.warnings.append("the instrument gives the final rating to the assessor, but no final_rating column "
                               "was named: only the computed points are evaluated")
    n_items = len(encoding.items)
    if n_items and cohort.events < MIN_EVENTS_PER_ITEM * n_items:
        cohort.warnings.append(
            f"only {cohort.events} outcome events for {n_items} scored items ({cohort.events / n_items:.1f} per item, "
            f"fewer than {MIN_EVENTS_PER_ITEM}): refitted points will be unstable; prefer recalibration or the current points"
        )
    return cohort


def _missing_as_category(instrument: Instrument, encoding: Encoding, codes: dict[str, np.ndarray],
                         missing: dict[str, int], item_columns: dict[str, str], source: str,
                         issues: list[Issue]) -> tuple[Encoding, list[str]]:
    """``missing: category``: each categorical item with missing answers gains the answer "not
    recorded", which a refit weighs like any other; an item of another kind cannot take a new
    answer (an ordinal's order, a yes/no, a number's bins), so its missing answers are an error.
    An item with a condition (``applies_when``) is left as it is: its blank cells may be "does
    not apply", which scores nothing, not a category; those items are returned."""
    chosen = set()
    conditional = []
    for enc in encoding.items:
        if not missing[enc.item.id]:
            continue
        if enc.item.applies_when is not None:
            conditional.append(enc.item.id)
            continue
        response = enc.item.response
        if isinstance(response, ChoiceResponse) and response.type == "categorical":
            if NOT_RECORDED in enc.codes:
                issues.append(Issue(tr("item '{item}' already has an answer '{code}': missing cannot become its own "
                                       "category", item=enc.item.id, code=NOT_RECORDED),
                                    path=(item_columns[enc.item.id],), file=source))
            chosen.add(enc.item.id)
        else:
            kind = response.type if isinstance(response, ChoiceResponse) else getattr(response, "type", "numeric")
            issues.append(Issue(tr(
                "{count} missing answer(s) to item '{item}', and the spec says missing is its own category "
                "(missing: category), which only a categorical item can have ('{item}' is {kind}): map its blank "
                "cells to an answer with values, or use missing: reference or error",
                count=missing[enc.item.id], item=enc.item.id, kind=Localized(_KIND_WORDS.get(kind, {"en": kind}))),
                path=(item_columns[enc.item.id],), file=source))
    if not chosen or issues:
        return encoding, conditional
    wider = encode_instrument(instrument, missing_category=chosen)
    for enc in wider.items:
        if enc.item.id in chosen:
            found = codes[enc.item.id]
            codes[enc.item.id] = np.where(found < 0, enc.codes.index(NOT_RECORDED), found).astype(found.dtype)
    return wider, conditional


#: An item's kind of answer in words, for the ``missing: category`` error ('x' is ordinal / 'x' har svar i rangordning).
_KIND_WORDS = {
    "ordinal": {"en": "ordinal", "sv": "svar i rangordning"},
    "boolean": {"en": "boolean", "sv": "ja/nej-svar"},
    "numeric": {"en": "numeric", "sv": "ett tal som svar"},
    "derived": {"en": "derived", "sv": "ett beräknat värde som svar"},
}


def check_folds(y: np.ndarray, folds: int, source: str) -> None:
    """Stratified k-fold needs at least ``folds`` cases of each outcome class."""
    counts = {0: int(np.sum(y == 0)), 1: int(np.sum(y == 1))}
    short = {k: v for k, v in counts.items() if v < folds}
    if short:
        raise CalibrationError(tr("{source}: too few cases for {folds} folds", source=source, folds=folds), [
            Issue(tr("{count} case(s) with outcome {outcome}, fewer than the {folds} folds: every fold needs at least "
                     "one; use fewer --folds or more data", count=v, outcome=k, folds=folds), file=source)
            for k, v in short.items()])


POSITIVE = ("1", "1.0", "true", "yes", "ja")
NEGATIVE = ("0", "0.0", "false", "no", "nej")


def _fold(value: Any) -> str:
    return str(value).strip().casefold()


def _outcome(series: Any, column: str, source: str, issues: list[Issue], mapping: dict[str, list[Any]] | None,
             lines: np.ndarray, col: int | None) -> np.ndarray:
    series, inverse = _distinct(series)
    mapping = mapping or {}
    positive = {_fold(v) for v in mapping.get("positive", POSITIVE)}
    negative = {_fold(v) for v in mapping.get("negative", NEGATIVE)}
    text = series.astype(str).str.strip().str.casefold()
    values = text.isin(positive).to_numpy().astype(int)
    bad = ~(text.isin(positive) | text.isin(negative)).to_numpy()
    raw = series.tolist()
    if not mapping:
        message = tr("the outcome must be 0 or 1 (or yes/no, true/false, ja/nej)")
    else:
        message = tr("the outcome must be one of {positive} (positive) or {negative} (negative)",
                     positive=", ".join(sorted(positive)), negative=", ".join(sorted(negative)))
    for row in np.flatnonzero(bad[inverse])[:MAX_LISTED]:
        issues.append(Issue(message, path=(column,), file=source, line=int(lines[row]),
                            column=col, value=raw[inverse[row]]))
    return values[inverse]


def _distinct(series: Any) -> tuple[Any, np.ndarray]:
    """The column's distinct values (a small object Series; a missing cell is None) and each row's position in it.

    Checking and mapping then cost memory and time in the number of distinct values, not rows:
    a 10-million-row column is a few integer arrays, never 10 million Python strings."""
    import pandas as pd

    inverse, uniques = pd.factorize(series, use_na_sentinel=True)
    values = list(np.asarray(uniques, dtype=object))
    inverse = np.asarray(inverse)
    if (inverse < 0).any():
        inverse = np.where(inverse < 0, len(values), inverse)
        values.append(None)
    return pd.Series(values, dtype=object), inverse


_BAND = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:\+|or more|or older|or over|and over|eller fler|eller mer|eller äldre)\s*$",
                   re.IGNORECASE)


def _rule_name(rule: str | None, item_id: str) -> str:
    if not rule:
        return item_id
    camel = "".join(part[:1].upper() + part[1:] for part in item_id.replace("-", "_").split("_"))
    return rule.replace("{id}", item_id).replace("{ID}", item_id.upper()).replace("{Id}", camel)


def _codes(enc: Any, series: Any, column: str, source: str, issues: list[Issue], mapping: dict[str, Any],
           lines: np.ndarray, col: int | None) -> tuple[np.ndarray, int]:
    """Each row's answer as an index into ``enc.codes`` (-1 when missing); problems into ``issues``.

    ``mapping`` (data value -> code, case-insensitive) is applied first; codes are then matched
    without regard to case, and numeric labels like ``10 or more`` read as their number."""
    import pandas as pd

    series, inverse = _distinct(series)
    text = series.astype(str).str.strip()
    text = text.where(~series.isna(), "")
    lower = text.str.casefold()
    mapped_missing = np.zeros(len(series), dtype=bool)
    if mapping:
        folded = {_fold(k): v for k, v in mapping.items()}
        hit = lower.isin(list(folded)).to_numpy()
        if hit.any():
            target = lower.map(folded)
            mapped_missing = hit & (target.astype(str).str.casefold().isin(["missing", "none", "nan"])
                                    | target.isna()).to_numpy()
            text = text.where(~hit, target.astype(str))
            lower = text.str.casefold()
    missing = mapped_missing | (lower.isin(MISSING_TEXT) & ~np.isin(lower.to_numpy(), [_fold(c) for c in enc.codes]))
    missing = np.asarray(missing)
    index = np.full(len(series), -1)
    problems: list[tuple[np.ndarray, Msg]] = []
    if enc.bins is not None:
        banded = text.str.extract(_BAND, expand=False)
        text = text.where(banded.isna(), banded)
        number = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").to_numpy(dtype=float)
        not_number = ~missing & np.isnan(number)
        problems.append((not_number, tr("item '{item}' takes a number", item=enc.item.id)))
        response = enc.item.response
        low, high = getattr(response, "min", None), getattr(response, "max", None)
        usable = ~missing & ~not_number
        if low is not None:
            outside = usable & ((number < low) | (number > high))
            problems.append((outside, tr("out of range for item '{item}': expected {low} to {high}", item=enc.item.id,
                                         low=low, high=high)))
            usable &= ~outside
        with np.errstate(invalid="ignore"):
            for position, b in enumerate(enc.bins):
                inside = usable & (index == -1)
                if b.min is not None:
                    inside &= number >= b.min
                if b.below is not None:
                    inside &= number < b.below
                index[inside] = position
        problems.append((usable & (index == -1), tr("not an answer to item '{item}'; expected a number",
                                                    item=enc.item.id)))
    else:
        if enc.codes == ["no", "yes"]:
            lower = lower.map({"true": "yes", "false": "no", "1": "yes", "0": "no", "1.0": "yes", "0.0": "no",
                               "ja": "yes", "nej": "no"}).fillna(lower)
        found = lower.map({_fold(code): position for position, code in enumerate(enc.codes)}).to_numpy(dtype=float)
        known = ~missing & ~np.isnan(found)
        index[known] = found[known].astype(int)
        problems.append((~missing & ~known, tr("not an answer to item '{item}'; expected one of: {codes}",
                                               item=enc.item.id, codes=", ".join(enc.codes))))
    raw = series.tolist()
    for mask, message in problems:
        if not mask.any():
            continue
        for row in np.flatnonzero(mask[inverse])[:MAX_LISTED]:
            issues.append(Issue(message, path=(column,), file=source, line=int(lines[row]), column=col,
                                value=raw[inverse[row]]))
    return index.astype(np.int16)[inverse], int(np.bincount(inverse, minlength=len(series))[missing].sum())


def _frame_sha256(frame: Any) -> str:
    import pandas as pd

    digest = hashlib.sha256()
    digest.update(",".join(map(str, frame.columns)).encode("utf-8"))
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()
