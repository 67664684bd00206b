"""Score a whole table of assessments at once: one row per assessment, one column per item.

:func:`score_frame` gives, row by row, exactly what :func:`riskmanual.score` gives for the
answers document :func:`row_answers` makes of that row, but vectorised with numpy: each
column's distinct values are checked and looked up once (dictionary-encoded columns are used
as they are), and every rule (conditions, missing limits, prorating, critical answers, bands,
the target group, robustness) is applied to whole columns, read from the compiled instrument
(:func:`riskmanual.compiled.compiled_for`); each distinct cell is checked by the single scorer's
own :func:`~riskmanual.answers.check_answers`, so its refusals read word for word the same. A row
that :func:`score` would refuse never stops the batch: it gets ``status`` ``refused`` and the
problems in ``error``. (Sums are added in another order than :func:`math.fsum` adds them; both
round every contribution and total to 9 decimals, so they agree unless a sum falls within about
1e-15 of a rounding boundary, which points written with a few decimals never do.)

Output columns (see :data:`OUTPUT_COLUMNS`):

``status``          ``complete``, ``incomplete`` (too many missing answers: no band) or ``refused``
``total``           the total (prorated items included); null when refused
``band``            the band id (after critical answers lift it); null when incomplete or refused
``target_group``    whether the row is in the target group (true/false, null when undecidable)
``probability``     the outcome probability of the total (null when incomplete or the model has none)
``missing``         how many scored items that apply are missing or unknown
``band_low``        the lowest and highest band the missing and undecided answers could still
``band_high``       give (the result's ``robustness``)
``review_required`` a critical answer asks for an assessor's review
``protective_total`` the separate protective scale (only for instruments that keep one)
``domain_<id>``     each domain's subtotal (only with ``domains=True``)
``error``           why the row was refused: every problem, ``path: message (got value)``, ``; `` between
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np

from .batch_cells import _age_cells, _cells, _distinct, cell_value
from .batch_dates import _ages, _constant_date, _dates
from .compiled import compiled_for
from .errors import Issue, RiskmanualError
from .instrument import DerivedResponse, Instrument
from .messages import current_language, tr

__all__ = ["BatchError", "BatchScorer", "DATE_COLUMNS", "OUTPUT_COLUMNS", "cell_value", "output_columns",
           "output_schema", "row_answers", "score_frame", "spark_schema"]

#: The output columns every result table has, in order (``protective_total`` and ``domain_<id>``
#: come before ``error`` when they apply).
OUTPUT_COLUMNS = ("status", "total", "band", "target_group", "probability", "missing", "band_low", "band_high",
                  "review_required", "error")
#: Optional input columns that are not items: the assessment date (default: today) and the birth date.
DATE_COLUMNS = ("assessment_date", "birth_date")


class BatchError(RiskmanualError, ValueError):
    """A table that cannot be scored at all (a column is missing or named twice); ``issues`` says where."""


# --- what a row means ---------------------------------------------------------------


def row_answers(instrument: Instrument, row: Mapping[str, Any], *, columns: Mapping[str, str] | None = None,
                today: dt.date | None = None) -> dict[str, Any]:
    """The answers document a table row stands for (what :func:`score_frame` scores, row by row).

    ``row`` maps column names to cells; ``columns`` maps item ids (and ``assessment_date``,
    ``birth_date``) to column names where they differ. Without an assessment date column the
    assessment date is ``today``; a null assessment date is left out (and so refused)."""
    names = _names(instrument, columns)
    document: dict[str, Any] = {"instrument": instrument.id, "version": instrument.version}
    if names["assessment_date"] in row:
        found = cell_value(row[names["assessment_date"]])
        if found is not None:
            document["assessment_date"] = found
    else:
        document["assessment_date"] = (today or dt.date.today()).isoformat()
    if names["birth_date"] in row:
        birth = cell_value(row[names["birth_date"]])
        if birth is not None:
            document["birth_date"] = birth
    answers = {}
    for item in instrument.items:
        if isinstance(item.response, DerivedResponse):
            continue
        value = cell_value(row.get(names[item.id]))
        if value is not None:
            answers[item.id] = value
    document["answers"] = answers
    return document


def _names(instrument: Instrument, columns: Mapping[str, str] | None) -> dict[str, str]:
    names = {name: name for name in DATE_COLUMNS}
    names.update({item.id: item.id for item in instrument.items})
    names.update(columns or {})
    return names


def output_columns(instrument: Instrument, *, domains: bool = False) -> list[str]:
    """The result table's column names, in order."""
    extra = ["protective_total"] if instrument.scoring.protective == "separate" else []
    if domains:
        extra += [f"domain_{domain.id}" for domain, _parents in instrument.walk_domains()]
    return [*OUTPUT_COLUMNS[:-1], *extra, OUTPUT_COLUMNS[-1]]


_TYPES = {"status": "string", "band": "string", "band_low": "string", "band_high": "string", "error": "string",
          "target_group": "bool", "review_required": "bool", "missing": "int32"}


def output_schema(instrument: Instrument, *, domains: bool = False) -> Any:
    """The result table's pyarrow schema (text columns as plain strings), e.g. for a Parquet writer."""
    import pyarrow as pa  # noqa: PLC0415

    kinds = {"string": pa.string(), "bool": pa.bool_(), "int32": pa.int32(), "double": pa.float64()}
    return pa.schema([(name, kinds[_TYPES.get(name, "double")]) for name in output_columns(instrument, domains=domains)])


def spark_schema(instrument: Instrument, *, domains: bool = False) -> str:
    """The result's schema as Spark DDL (``status string, total double, ...``), for ``mapInPandas``."""
    words = {"string": "string", "bool": "boolean", "int32": "int", "double": "double"}
    return ", ".join(f"{name} {words[_TYPES.get(name, 'double')]}" for name in output_columns(instrument, domains=domains))


# --- reading tables -----------------------------------------------------------------


def _columns_of(table: Any) -> tuple[list[str], Any]:
    """The table's column names and a function from a name to its column."""
    if hasattr(table, "schema") and hasattr(table, "column_names"):  # chunks' dictionaries: see _distinct
        return [str(c) for c in table.column_names], table.column
    return [str(c) for c in table.columns], lambda name: table[name]


# --- scoring ----------------------------------------------------------------------------


def score_frame(instrument: Instrument, table: Any, *, columns: Mapping[str, str] | None = None,
                domains: bool = False, lang: str | None = None, today: dt.date | None = None) -> Any:
    """Score every row of ``table`` (a pandas DataFrame or a pyarrow Table) against ``instrument``.

    One column per item id (``columns`` maps item ids, and ``assessment_date`` / ``birth_date``,
    to other column names); cells hold option codes, ``yes``/``no`` (or booleans), numbers,
    ``unknown``, ``not_applicable`` or nothing. Returns a table of the same kind (a pyarrow Table
    for a pyarrow Table or RecordBatch, else a pandas DataFrame with the input's index) with the
    columns of :func:`output_columns`; ``lang`` is the language of the ``error`` texts, ``today``
    the date against which assessment dates are checked (and the assessment date when there is
    no such column). Raises :class:`BatchError` when a column is missing; a bad row never raises.
    """
    return BatchScorer(instrument, columns=columns, domains=domains, lang=lang, today=today).score(table)


class BatchScorer:
    """:func:`score_frame` for many tables of one file (record batches): what it learns about
    distinct cells in one batch it keeps for the next."""

    def __init__(self, instrument: Instrument, *, columns: Mapping[str, str] | None = None, domains: bool = False,
                 lang: str | None = None, today: dt.date | None = None) -> None:
        self.instrument = instrument
        self.columns = dict(columns or {})
        self.domains = domains
        self.lang = lang or current_language()
        self.today = today or dt.date.today()
        self.memo: dict[str, dict[Any, Any]] = {}

    def score(self, table: Any) -> Any:
        """Score every row of ``table`` (as :func:`score_frame`)."""
        return self.score_codes(self.encode(table), table)

    def encode(self, table: Any) -> dict[str, tuple[list[Any], np.ndarray]]:
        """The table as integer codes: per item (and date) column its distinct cells and each row's
        index into them (in the smallest unsigned type that holds them: compact codes are what makes
        :meth:`score_codes` fast); what it reads is checked first (:class:`BatchError`)."""
        names, column = _columns_of(table)
        wanted = _check_columns(self.instrument, names, self.columns)
        return {key: _distinct(column(name)) for key, name in wanted.items()}

    def score_codes(self, codes: dict[str, tuple[list[Any], np.ndarray]], table: Any) -> Any:
        """Score the rows :meth:`encode` made of ``table`` (which gives the output's kind and index)."""
        from .batch_rules import Rows  # noqa: PLC0415

        instrument, lang, memo = self.instrument, self.lang, self.memo
        n = _height(table)
        assessed = (_dates(instrument, "assessment_date", *codes["assessment_date"], lang,
                           memo.setdefault("assessment_date", {}))
                    if "assessment_date" in codes else _constant_date(self.today, n))
        born = _dates(instrument, "birth_date", *codes["birth_date"], lang,
                      memo.setdefault("birth_date", {})) if "birth_date" in codes else None
        ages = _ages(assessed, born)
        cells = []
        for item in compiled_for(instrument)["items"]:
            if item["type"] == "derived":
                cells.append(_age_cells(item, ages.age, ages.known))
            else:
                cells.append(_cells(instrument, item, *codes[item["id"]], lang, memo.setdefault(f"item:{item['id']}", {})))
        rows = Rows(instrument, cells, ages.age, ages.known, self.today, lang, domains=self.domains, odd_birth=ages.odd)
        return _table(instrument, table, rows.score(assessed, born), self.domains)


def _height(table: Any) -> int:
    return int(table.num_rows) if hasattr(table, "num_rows") else len(table)


def _check_columns(instrument: Instrument, names: list[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """Which column holds each item (and date); every missing column at once, with did-you-mean."""
    issues: list[Issue] = []
    columns = dict(columns or {})
    keys = [item.id for item in instrument.items if not isinstance(item.response, DerivedResponse)]
    for key in columns:
        if key not in keys and key not in DATE_COLUMNS:
            close = difflib.get_close_matches(key, keys + list(DATE_COLUMNS), n=1)
            message = tr("no item '{item}' in {ref}; did you mean '{close}'?", item=key, ref=instrument.ref,
                         close=close[0]) if close else tr("no item '{item}' in {ref}", item=key, ref=instrument.ref)
            issues.append(Issue(message, path=("columns", key)))
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    wanted: dict[str, str] = {}
    for key in keys:
        name = columns.get(key, key)
        if name in names:
            wanted[key] = name
            continue
        close = difflib.get_close_matches(name, names, n=1)
        if name == key:
            message = tr("no column for this item; did you mean '{close}'?", close=close[0]) if close else \
                tr("no column for this item")
            issues.append(Issue(message, path=(name,), line=1))
        else:
            message = tr("no column '{column}' for item '{item}'; did you mean '{close}'?", column=name, item=key,
                         close=close[0]) if close else tr("no column '{column}' for item '{item}'", column=name,
                                                          item=key)
            issues.append(Issue(message, path=("columns", key), line=1))
    for key in DATE_COLUMNS:
        name = columns.get(key, key)
        if name in names:
            wanted[key] = name
        elif key in columns:
            issues.append(Issue(tr("no column '{column}' for the {field}", column=name, field=key),
                                path=(name,), line=1))
    for name in sorted({name for name in wanted.values() if seen[name] > 1}):
        issues.append(Issue(tr("column '{column}' appears more than once: which one is meant is ambiguous",
                               column=name), path=(name,), line=1))
    if issues:
        raise BatchError(tr("the table does not fit {ref}", ref=instrument.ref), issues)
    return wanted


def _table(instrument: Instrument, table: Any, output: dict[str, Any], domains: bool) -> Any:
    """The output columns as a table of the input's kind."""
    import pyarrow as pa  # noqa: PLC0415

    names = output_columns(instrument, domains=domains)
    arrow = pa.table({name: output[name] for name in names})
    if hasattr(table, "schema") and hasattr(table, "column_names"):
        return arrow
    import pandas as pd  # noqa: PLC0415

    arrow = pa.table([c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in arrow.columns],
                     names=arrow.column_names)  # plain text: the same dtypes in every partition (Dask, Spark)
    frame = arrow.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype(), pa.int32(): pd.Int32Dtype()}.get)
    if hasattr(table, "index") and len(table.index) == len(frame):
        frame.index = table.index
    return frame
