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

__all__ = ["BATCH_ROWS", "check_usage", "rows_column", "run_batch", "score_batch"]

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


def check_usage(answers: str | None, batch: str | None, out: str | None, columns: tuple[str, ...] = (),
                keep: tuple[str, ...] = ()) -> dict[str, str]:
    """Usage errors (exit 2) before anything is read; the ``--column`` map, item id -> column."""
    if batch is None and out is None:
        if columns or keep:
            raise click.UsageError(render(tr("--column and --keep are for --batch: give --batch IN --out OUT")))
        if answers is None:
            raise click.UsageError(render(tr("give ANSWERS (a JSON or YAML file, or - for stdin), or --batch IN "
                                             "--out OUT to score a table")))
        return {}
    if batch is None:
        raise click.UsageError(render(tr("--out is for --batch: give --batch IN.csv or IN.parquet")))
    if out is None:
        raise click.UsageError(render(tr("--batch needs --out OUT.parquet or OUT.csv")))
    if answers is not None:
        raise click.UsageError(render(tr("give either ANSWERS or --batch, not both")))
    _format(batch, "--batch")
    _format(out, "--out")
    pairs: dict[str, str] = {}
    for text in columns:
        item, sep, column = text.partition("=")
        if not sep or not item or not column:
            raise click.BadParameter(render(tr("'{text}' is not ITEM=COLUMN", text=text)), param_hint="--column")
        if item in pairs and pairs[item] != column:
            raise click.BadParameter(render(tr("'{item}' is given two columns: '{first}' and '{second}'", item=item,
                                               first=pairs[item], second=column)), param_hint="--column")
        pairs[item] = column
    return pairs


def score_batch(instrument: str, answers: str | None, batch: str | None, out: str | None, asked: str | None, *,
                columns: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> None:
    """The ``score`` command with ``--batch``/``--out`` (or with neither and no ANSWERS: a usage error)."""
    from . import _fail, _use
    from ..registry import load_instrument

    pairs = check_usage(answers, batch, out, columns, keep)
    assert batch is not None and out is not None
    try:
        model = load_instrument(instrument)
        kept = _kept(model, keep)
        run_batch(model, batch, out, _use(asked, model), columns=pairs, keep=kept)
    except RiskmanualError as error:
        _fail(error)


def _kept(model: Any, keep: tuple[str, ...]) -> list[str]:
    """``--keep`` in order, once each; a name OUT's own columns already use is a usage error."""
    from ..batch import output_columns

    taken = set(output_columns(model, domains=True))
    kept: list[str] = []
    for name in keep:
        if name in taken:
            raise click.BadParameter(render(tr("'{column}' is the name of one of OUT's score columns: rename the "
                                               "column in IN, or leave it out", column=name)), param_hint="--keep")
        if name not in kept:
            kept.append(name)
    return kept


def run_batch(model: Any, batch: str, out: str, lang: str, *, columns: dict[str, str] | None = None,
              keep: list[str] | None = None) -> None:
    """Score every row of ``batch`` with ``model`` and write ``out`` (the ``keep`` columns first, as
    they are); exit 1 with a located error when a file cannot be read or written, its columns do not
    fit, or a kept column holds a personnummer."""
    from ..batch import BatchScorer, _check_columns

    keep = keep or []
    source, target = Path(batch), Path(out)
    if not source.is_file():
        _stop(tr("{file}: no such file", file=batch) if not source.exists() else tr("{file}: not a file", file=batch))
    if os.path.lexists(target):
        _stop(tr("{file} already exists: choose a new --out (scoring never overwrites a file)", file=out))
    reader = _Reader(source, _format(batch, "--batch"))
    issues = [_no_column(name, reader.header) for name in keep if name not in reader.header]
    try:
        wanted = _check_columns(model, reader.header, columns)
    except RiskmanualError as error:
        issues = [dataclasses.replace(i, file=batch) for i in error.issues] + [
            dataclasses.replace(i, file=batch) for i in issues]
        raise type(error)(error.message, issues) from None
    if issues:
        _stop(tr("the table does not fit {ref}", ref=model.ref), [dataclasses.replace(i, file=batch) for i in issues])
    read = list(dict.fromkeys([*wanted.values(), *keep]))
    scorer = BatchScorer(model, columns=columns, domains=True, lang=lang)
    empty = reader.empty(read)
    schema = _joined(empty, keep, scorer.score(empty)).schema
    counts = {"complete": 0, "incomplete": 0, "refused": 0}
    writer = _Writer(target, _format(out, "--out"), schema)
    done = 0
    try:
        with _progress(reader.rows) as advance:
            for table in reader.batches(read):
                _no_personnummer(table, keep, done, reader)
                scored = _joined(table, keep, scorer.score(table))
                writer.write(scored)
                for status, n in zip(*_counts(scored)):
                    counts[status] += n
                done += table.num_rows
                advance(table.num_rows)
        writer.finish()
    except BaseException:
        writer.discard()
        raise
    rows = sum(counts.values())
    click.echo(render(tr("{rows} rows: {scored} scored, {incomplete} incomplete, {refused} refused; wrote {file}",
                         rows=rows, scored=counts["complete"], incomplete=counts["incomplete"],
                         refused=counts["refused"], file=out)))


def _no_column(name: str, header: list[str]) -> Issue:
    import difflib

    close = difflib.get_close_matches(name, header, n=1)
    message = tr("no column '{column}' to keep; did you mean '{close}'?", column=name, close=close[0]) if close \
        else tr("no column '{column}' to keep", column=name)
    return Issue(message, path=(name,), line=1)


def _joined(table: Any, keep: list[str], scored: Any) -> Any:
    """The kept input columns, then the scores, every text column plain."""
    import pyarrow as pa

    kept = [table.column(name) for name in keep]
    return _plain(pa.table([*kept, *scored.columns], names=[*keep, *scored.column_names]))


def _no_personnummer(table: Any, keep: list[str], before: int, reader: _Reader) -> None:
    """Stop before anything of a batch is written when a kept column holds something shaped like a
    personnummer: OUT must never hold one (the value itself is not shown)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..privacy import looks_like_personnummer

    for name in keep:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
                    or pa.types.is_decimal(column.type)):
                continue
            column = pc.cast(column, pa.string())
        bad = [text for text in pc.unique(column).to_pylist() if text is not None and looks_like_personnummer(text)]
        if not bad:
            continue
        row = int(pc.index(column, bad[0]).as_py())
        number = before + row + 1
        message = tr("column '{column}' holds a personnummer (row {row}): OUT never holds one; keep a pseudonymous "
                     "reference instead", column=name, row=number)
        _stop(tr("{file}: cannot keep '{column}'", file=reader.name, column=name),
              [Issue(message, path=(name,), file=reader.name, line=number + 1 if reader.kind == "csv" else None)])


def _stop(message: Any, issues: list[Issue] | None = None) -> NoReturn:
    raise _Stop(message, issues or [])


def _plain(table: Any) -> Any:
    """Dictionary columns as plain text (every batch then has the same schema)."""
    import pyarrow as pa

    columns = [c.cast(_plain_type(c.type)) for c in table.columns]
    return pa.table(columns, names=table.column_names)


def _plain_type(kind: Any) -> Any:
    import pyarrow as pa

    if pa.types.is_dictionary(kind) or pa.types.is_large_string(kind):
        return pa.string()
    return kind


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
        """No rows, with the columns' types as :meth:`batches` gives them (text for CSV)."""
        import pyarrow as pa

        if self.kind == "parquet":
            schema = self.file.schema_arrow
            return pa.table({c: pa.array([], type=_plain_type(schema.field(c).type)) for c in columns})
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


def rows_column(lang: str) -> Any:
    """A progress column of rows done and rows in all, ``12 000/400 000`` in Swedish and
    ``12,000/400,000`` in English (rich's own column has no number style)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    from ..numbers import number

    class Rows(ProgressColumn):  # type: ignore[misc]
        def render(self, task: Any) -> Text:
            total = "?" if task.total is None else number(int(task.total), lang)
            return Text(f"{number(int(task.completed), lang)}/{total}", style="progress.download")

    return Rows()


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not _terminal():
            return lambda n: None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        from ..messages import current_language

        self.bar = Progress(TextColumn(render(tr("scoring"))), BarColumn(), rows_column(current_language()),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("", total=self.total)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
