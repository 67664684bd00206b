"""``riskmanual score INSTRUMENT --batch IN.csv|IN.parquet --out OUT.parquet|OUT.csv``.

Streams the table in record batches (memory stays flat however long the file is), reads text
columns as dictionaries, scores each batch with :class:`riskmanual.batch.BatchScorer`, and
writes OUT beside itself under a temporary name that becomes OUT only when every row is
written: an existing OUT is never overwritten, and a failed run leaves no half-written OUT.
A progress bar is shown on a terminal only; the summary (rows, scored, incomplete, refused)
goes to stdout. pyarrow, numpy and rich are imported here, never on the plain scoring path.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from ..errors import Issue, RiskmanualError
from ..messages import render, tr

__all__ = ["BATCH_ROWS", "check_usage", "run_batch", "score_batch"]

#: Rows per record batch: memory is about this many rows of the columns used, whatever the file's length.
BATCH_ROWS = 65_536
PARQUET = (".parquet", ".pq")
FORMATS = (".csv", *PARQUET)


class _Stop(RiskmanualError):
    """Reading or writing cannot go on; the message says why."""


def _format(path: str, option: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise click.BadParameter(render(tr("cannot tell the format of '{file}': use a .csv or .parquet file",
                                           file=path)), param_hint=option)
    return "parquet" if suffix in PARQUET else "csv"


def check_usage(answers: str | None, batch: str | None, out: str | None) -> None:
    """Usage errors (exit 2) before anything is read."""
    if batch is None and out is None:
        if answers is None:
            raise click.UsageError(render(tr("give ANSWERS (a JSON or YAML file, or - for stdin), or --batch IN "
                                             "--out OUT to score a table")))
        return
    if batch is None:
        raise click.UsageError(render(tr("--out is for --batch: give --batch IN.csv or IN.parquet")))
    if out is None:
        raise click.UsageError(render(tr("--batch needs --out OUT.parquet or OUT.csv")))
    if answers is not None:
        raise click.UsageError(render(tr("give either ANSWERS or --batch, not both")))
    _format(batch, "--batch")
    _format(out, "--out")


def score_batch(instrument: str, answers: str | None, batch: str | None, out: str | None, asked: str | None) -> None:
    """The ``score`` command with ``--batch``/``--out`` (or with neither and no ANSWERS: a usage error)."""
    from . import _fail, _use
    from ..registry import load_instrument

    check_usage(answers, batch, out)
    assert batch is not None and out is not None
    try:
        model = load_instrument(instrument)
        run_batch(model, batch, out, _use(asked, model))
    except RiskmanualError as error:
        _fail(error)


def run_batch(model: Any, batch: str, out: str, lang: str) -> None:
    """Score every row of ``batch`` with ``model`` and write ``out``; exit 1 with a located error
    when a file cannot be read or written or its columns do not fit."""
    from ..batch import BatchScorer, _check_columns

    source, target = Path(batch), Path(out)
    if not source.is_file():
        _stop(tr("{file}: no such file", file=batch) if not source.exists() else tr("{file}: not a file", file=batch))
    if os.path.lexists(target):
        _stop(tr("{file} already exists: choose a new --out (scoring never overwrites a file)", file=out))
    reader = _Reader(source, _format(batch, "--batch"))
    try:
        wanted = _check_columns(model, reader.header, None)
    except RiskmanualError as error:
        raise type(error)(error.message, [dataclasses.replace(i, file=batch) for i in error.issues]) from None
    scorer = BatchScorer(model, domains=True, lang=lang)
    schema = _plain(scorer.score(reader.empty(list(wanted.values())))).schema
    counts = {"complete": 0, "incomplete": 0, "refused": 0}
    writer = _Writer(target, _format(out, "--out"), schema)
    try:
        with _progress(reader.rows) as advance:
            for table in reader.batches(list(wanted.values())):
                scored = _plain(scorer.score(table))
                writer.write(scored)
                for status, n in zip(*_counts(scored)):
                    counts[status] += n
                advance(table.num_rows)
        writer.finish()
    except BaseException:
        writer.discard()
        raise
    rows = sum(counts.values())
    click.echo(render(tr("{rows} rows: {scored} scored, {incomplete} incomplete, {refused} refused; wrote {file}",
                         rows=rows, scored=counts["complete"], incomplete=counts["incomplete"],
                         refused=counts["refused"], file=out)))


def _stop(message: Any, issues: list[Issue] | None = None) -> NoReturn:
    raise _Stop(message, issues or [])


def _plain(table: Any) -> Any:
    """Dictionary columns as plain text (every batch then has the same schema)."""
    import pyarrow as pa

    columns = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(columns, names=table.column_names)


def _counts(table: Any) -> tuple[list[str], list[int]]:
    import pyarrow.compute as pc

    found = pc.value_counts(table.column("status"))
    return found.field("values").to_pylist(), found.field("counts").to_pylist()


class _Reader:
    """The input table, read in record batches with text as dictionaries."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind, self.name = path, kind, str(path)
        self.rows: int | None = None
        if kind == "parquet":
            import pyarrow.parquet as pq

            try:
                self.file = pq.ParquetFile(path)
                self.header = [str(c) for c in self.file.schema_arrow.names]
                self.rows = self.file.metadata.num_rows
            except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a broken file
                self._unreadable(exc)
            return
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                header = next(csv.reader(handle), None)
        except UnicodeDecodeError as exc:
            _stop(tr("{file}: cannot read", file=self.name),
                  [Issue(tr("not UTF-8 text (byte {at})", at=exc.start), file=self.name)])
        except (OSError, csv.Error) as exc:
            self._unreadable(exc)
        if not header:
            _stop(tr("{file}: empty file", file=self.name),
                  [Issue(tr("the file is empty: no header and no rows"), file=self.name, line=1)])
        self.header = header

    def _unreadable(self, exc: BaseException) -> NoReturn:
        kind = "Parquet" if self.kind == "parquet" else "CSV"
        reason = str(getattr(exc, "strerror", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
        _stop(tr("{file}: cannot read", file=self.name),
              [Issue(tr("not a readable {kind} table: {reason}", kind=kind, reason=reason), file=self.name)])

    def empty(self, columns: list[str]) -> Any:
        import pyarrow as pa

        return pa.table({c: pa.array([], type=pa.string()) for c in columns})

    def batches(self, columns: list[str]) -> Iterator[Any]:
        import pyarrow as pa

        if self.kind == "parquet":
            schema = self.file.schema_arrow
            text = [c for c in columns if pa.types.is_string(schema.field(c).type)
                    or pa.types.is_large_string(schema.field(c).type)]
            try:
                import pyarrow.parquet as pq

                # pre_buffer would keep every row group read so far in memory: memory would grow with the file
                dictionary = pq.ParquetFile(self.path, read_dictionary=text, pre_buffer=False)
                for batch in dictionary.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                    yield pa.Table.from_batches([batch])
            except (OSError, pa.ArrowException) as exc:
                self._unreadable(exc)
            return
        yield from self._csv(columns)

    def _csv(self, columns: list[str]) -> Iterator[Any]:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        bad: list[Any] = []

        def invalid(row: Any) -> str:
            bad.append(row)
            return "error"

        text = pa.dictionary(pa.int32(), pa.string())
        try:
            reader = pcsv.open_csv(
                self.path, read_options=pcsv.ReadOptions(block_size=1 << 22),
                parse_options=pcsv.ParseOptions(invalid_row_handler=invalid),
                convert_options=pcsv.ConvertOptions(include_columns=columns, column_types={c: text for c in columns},
                                                    strings_can_be_null=False, quoted_strings_can_be_null=False))
            for batch in reader:
                table = pa.Table.from_batches([batch])
                for start in range(0, table.num_rows, BATCH_ROWS):
                    yield table.slice(start, BATCH_ROWS)
        except pa.ArrowException as exc:
            if bad:
                row = bad[0]
                _stop(tr("{file}: cannot read", file=self.name), [Issue(
                    tr("expected {expected} fields, found {found}", expected=row.expected_columns,
                       found=row.actual_columns), file=self.name, line=row.number)])
            if "UTF8" in str(exc) or "UTF-8" in str(exc):
                _stop(tr("{file}: cannot read", file=self.name),
                      [Issue(tr("not UTF-8 text"), file=self.name)])
            self._unreadable(exc)


class _Writer:
    """OUT written under a temporary name beside it, linked to its name only when complete."""

    def __init__(self, target: Path, kind: str, schema: Any) -> None:
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        self.target = target
        parent = target.parent if str(target.parent) else Path(".")
        try:
            fd, name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
        except OSError as exc:
            _cannot_write(target, exc)
        os.close(fd)
        self.temporary = Path(name)
        self.writer = pq.ParquetWriter(name, schema) if kind == "parquet" else pcsv.CSVWriter(name, schema)

    def write(self, table: Any) -> None:
        try:
            self.writer.write_table(table)
        except OSError as exc:
            _cannot_write(self.target, exc)

    def finish(self) -> None:
        try:
            self.writer.close()
            try:
                os.link(self.temporary, self.target)  # fails if the name exists, in any form
            except FileExistsError:
                _stop(tr("{file} already exists: choose a new --out (scoring never overwrites a file)",
                         file=str(self.target)))
            except OSError:  # a file system without hard links: claim the name, then rename over the claim
                fd = os.open(self.target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
                os.close(fd)
                os.replace(self.temporary, self.target)
        except FileExistsError:
            _stop(tr("{file} already exists: choose a new --out (scoring never overwrites a file)",
                     file=str(self.target)))
        except OSError as exc:
            _cannot_write(self.target, exc)
        finally:
            self.temporary.unlink(missing_ok=True)

    def discard(self) -> None:
        try:
            self.writer.close()
        except Exception:  # noqa: BLE001 - the run failed already; only the clean-up is left
            pass
        self.temporary.unlink(missing_ok=True)


def _cannot_write(target: Path, exc: OSError) -> NoReturn:
    _stop(tr("cannot write {file}: {reason}", file=str(target), reason=str(exc.strerror or exc)))


def _terminal() -> bool:
    return sys.stderr.isatty()


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not _terminal():
            return lambda n: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn(render(tr("scoring"))), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("", total=self.total)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
