"""The export's files: tables as CSV or Parquet bytes, a data dictionary, written without overwriting.

:func:`render_files` turns the tables of :func:`~riskmanual.case.export.build_export` into
bytes; :func:`write_export` reads, builds and writes in one audited transaction, and writes
every file without overwriting anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import Issue, RiskmanualError
from ..messages import tr
from .export import DANGEROUS, FORMATS, RULES, Export, Table, build_export, suppressed

__all__ = ["Written", "neutralise", "render_files", "targets", "write_export"]



def neutralise(value: Any) -> Any:
    """A CSV cell: numbers stay numbers, a text that a spreadsheet would run as a formula gets a
    leading ``'``, booleans are ``true``/``false``, dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def _csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [c.name for c in table.columns]
    writer.writerow([neutralise(n) for n in names])
    for row in table.rows:
        writer.writerow([neutralise(row.get(n)) for n in names])
    return buffer.getvalue().encode("utf-8")


def _parquet(table: Table) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32()}
    arrays, fields = [], []
    for column in table.columns:
        values = [row.get(column.name) for row in table.rows]
        if column.type == "string":
            values = [None if v is None else (str(neutralise(v)) if isinstance(v, (int, float)) else str(v))
                      for v in values]
        elif column.type == "number":
            values = [None if v is None else float(v) for v in values]
        arrays.append(pa.array(values, type=types[column.type]))
        fields.append(pa.field(column.name, types[column.type], metadata={
            "description_sv": column.sv, "description_en": column.en}))
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), buffer)
    return buffer.getvalue()


def targets(export: Export, out: Path, fmt: str) -> dict[str, Path]:
    """Where each table goes: ``out`` for the one main table, else ``<stem>.<instrument>.<ext>``;
    the side tables and the dictionary beside it."""
    stem = out.name[:-len(out.suffix)] if out.suffix else out.name
    folder = out.parent
    names: dict[str, Path] = {}
    if len(export.cases) == 1:
        names[f"cases:{export.cases[0].instrument}"] = out
    else:
        for table in export.cases:
            names[f"cases:{table.instrument}"] = folder / f"{stem}.{table.instrument}.{fmt}"
    names["commitments"] = folder / f"{stem}.commitments.{fmt}"
    names["decisions"] = folder / f"{stem}.decisions.{fmt}"
    names["dictionary"] = folder / f"{stem}.dictionary.json"
    return names


def render_files(export: Export, out: Path, fmt: str) -> dict[Path, bytes]:
    """Every file of the export as bytes, by path (nothing is written)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    write = _csv if fmt == "csv" else _parquet
    names = targets(export, out, fmt)
    tables = {f"cases:{t.instrument}": t for t in export.cases}
    tables.update(commitments=export.commitments, decisions=export.decisions)
    files = {names[key]: write(table) for key, table in tables.items()}
    dictionary = {
        "export_date": export.today.isoformat(), "engine_version": __version__, "format": fmt,
        "since": export.since.isoformat() if export.since else None, "instrument": export.instrument,
        "subjects": len(export.subjects), "subjects_left_out_without_reporting_consent": suppressed(export.left_out),
        "files": [{"file": names[key].name, "table": table.kind, "instrument": table.instrument,
                   "rows": len(table.rows), "columns": [c.describe() for c in table.columns]}
                  for key, table in tables.items()],
        "rules": RULES,
    }
    files[names["dictionary"]] = (json.dumps(dictionary, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def _refuse_existing(paths: list[Path]) -> None:
    problems = []
    for path in paths:
        if path.is_symlink():
            problems.append(Issue(tr("a symbolic link: refusing to write through it"), file=str(path)))
        elif os.path.lexists(path):
            problems.append(Issue(tr("exists: choose a new --out (an export never overwrites a file)"),
                                  file=str(path)))
        elif not path.parent.is_dir():
            problems.append(Issue(tr("no such folder"), file=str(path.parent)))
    if problems:
        raise RiskmanualError(tr("nothing is exported: a file of the export cannot be created"), problems)


def _write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write each file to a temporary name in its folder and link it to its own name, which fails
    if the name exists; on any failure the files already linked are removed again."""
    done: list[Path] = []
    try:
        for path, data in files.items():
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(temporary, 0o600)
                os.link(temporary, path, follow_symlinks=False)
                done.append(path)
            finally:
                os.unlink(temporary)
    except FileExistsError as exc:
        _remove(done)
        raise RiskmanualError(tr("nothing is exported: a file of the export cannot be created"), [
            Issue(tr("exists: choose a new --out (an export never overwrites a file)"),
                  file=str(exc.filename2 or exc.filename))]) from None
    except OSError as exc:
        _remove(done)
        raise RiskmanualError(tr("nothing is exported: a file of the export cannot be created"), [
            Issue(tr("cannot write: {reason}", reason=exc.strerror or str(exc)), file=str(exc.filename or ""))]) \
            from None
    return done


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass


@dataclass(frozen=True)
class Written:
    """What an export wrote: each file with its rows, how many subjects, how many left out."""

    files: dict[str, int]
    subjects: int
    left_out: int | str
    assessments: int


def write_export(store: Any, out: str | Path, *, fmt: str = "csv", since: dt.date | None = None,
                 instrument: str | None = None, today: dt.date | None = None) -> Written:
    """Read, build and write the export, audited (``export.write``) in the same transaction as
    the read. Nothing is written when any file of it exists or the export cannot be made."""
    today = today or dt.date.today()
    out = Path(out)
    if fmt not in FORMATS:
        raise RiskmanualError(tr("unknown format '{value}'; use one of {choices}", value=fmt, choices=list(FORMATS)))
    created: list[Path] = []
    try:
        with store.transaction() as session:
            export = build_export(session, today=today, since=since, instrument=instrument)
            files = render_files(export, out, fmt)
            _refuse_existing(list(files))
            created = _write_all(files)
            rows = {p.name: _rows_of(export, p, out, fmt) for p in files}
            from .audit import append

            append(session, actor=store.actor, action="export.write", subject=None,
                   records={"files": [str(p) for p in created], "rows": rows, "subjects": len(export.subjects),
                            "pseudonyms": export.subjects, "left_out": export.left_out,
                            "since": since.isoformat() if since else None, "instrument": instrument, "format": fmt},
                   at=store.now())
    except BaseException:
        _remove(created)
        raise
    return Written(rows, len(export.subjects), suppressed(export.left_out),
                   sum(len(t.rows) for t in export.cases))


def _rows_of(export: Export, path: Path, out: Path, fmt: str) -> int:
    names = targets(export, out, fmt)
    tables = {f"cases:{t.instrument}": len(t.rows) for t in export.cases}
    tables.update(commitments=len(export.commitments.rows), decisions=len(export.decisions.rows), dictionary=0)
    return next(tables[key] for key, target in names.items() if target == path)
