"""``riskmanual export`` and ``riskmanual demo-data``: the pseudonymised export for follow-up and
evaluation, and a synthetic cohort to try it on. SQLAlchemy and pyarrow load inside the commands."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..errors import RiskmanualError
from ..messages import render, tr
from . import _error, _fail, _lang, _use, cli
from .case import _date, _open, _store_options


@cli.command("export")
@click.option("--out", required=True, type=click.Path(dir_okay=False, allow_dash=False),
              help="The main table (.csv or .parquet); the side tables and the data dictionary are written beside it. "
                   "An existing file is never overwritten.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default=None,
              help="csv or parquet (default: from the suffix of --out, else csv).")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only assessments on or after this date.")
@click.option("--instrument", default=None, metavar="ID",
              help="Only assessments with this instrument id (one main table, written to --out).")
@_store_options
def export_command(out: str, fmt: str | None, since: str | None, instrument: str | None, db: str | None,
                   key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Write the pseudonymised assessments, decisions, plans and outcomes of the young people whose
    consent covers reporting: one row per assessment, one column per item (the shape 'riskmanual
    calibrate' reads), with a data dictionary. Every export is written to the audit log."""
    chosen = _use(_lang(lang))
    from ..case.export_files import write_export

    path = Path(out)
    suffix = path.suffix.lower().lstrip(".")
    suffix = "parquet" if suffix == "pq" else suffix
    if fmt is None:
        fmt = suffix if suffix in ("csv", "parquet") else "csv"
    elif suffix in ("csv", "parquet") and suffix != fmt:
        raise click.BadParameter(render(tr("'{file}' ends in .{suffix} but the format is {format}", file=out,
                                           suffix=suffix, format=fmt)), param_hint="--out")
    since_day = _date(since, "--since")
    try:
        store = _open(db, key_file, assessor)
        written = write_export(store, path, fmt=fmt, since=since_day, instrument=instrument)
    except RiskmanualError as error:
        _fail(error)
    click.echo(render(tr("{assessments} assessments of {subjects} young people exported; left out (no consent to "
                         "reporting): {left_out}", assessments=written.assessments, subjects=written.subjects,
                         left_out=str(written.left_out))))
    folder = path.parent
    for name, rows in written.files.items():
        if name.endswith(".json"):
            click.echo(render(tr("  wrote {file} (data dictionary)", file=str(folder / name))))
        else:
            click.echo(render(tr("  wrote {file} ({rows} rows)", file=str(folder / name), rows=rows)))
    del chosen


@cli.command("demo-data")
@click.option("--young-people", type=click.IntRange(1, 1_000_000), default=300, show_default=True,
              help="How many made-up young people.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=1, show_default=True,
              help="The same seed gives the same cohort.")
@click.option("--start", default="2024-12-01", show_default=True, metavar="YYYY-MM-DD",
              help="The first intake date.")
@click.option("--months", type=click.IntRange(1, 120), default=24, show_default=True,
              help="How many months the cohort is followed (never past today).")
@click.option("--force", is_flag=True, help="Fill a store that already has young people (never mix with real cases).")
@_store_options
def demo_data(young_people: int, seed: int, start: str, months: int, force: bool, db: str | None,
              key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Fill an empty case store with a synthetic cohort (made-up young people, consent,
    assessments, decisions, plans, commitments and outcomes), to try export and evaluate on."""
    _use(_lang(lang))
    from ..case.demo_data import fill_store

    first = _date(start, "--start") or dt.date(2024, 12, 1)
    try:
        store = _open(db, key_file, assessor)
        summary = fill_store(store, young_people=young_people, seed=seed, start=first, months=months, force=force)
    except RiskmanualError as error:
        _fail(error)
    except KeyboardInterrupt:
        _error(tr("interrupted: nothing was written"))
        sys.exit(1)
    click.echo(render(tr("Synthetic cohort (seed {seed}, from {start}): {young_people} young people, {selected} "
                         "selected for SIG", seed=str(seed), start=summary["start"], young_people=summary["young_people"],
                         selected=summary["selected"])))
    click.echo(render(tr("  {assessments} assessments, {decisions} decisions, {plans} action plans, {commitments} "
                         "commitments, {follow_ups} follow-up records, {consents} consent events",
                         assessments=summary["assessments"], decisions=summary["decisions"], plans=summary["plans"],
                         commitments=summary["commitments"], follow_ups=summary["follow_ups"],
                         consents=summary["consent_events"])))
    click.echo(render(tr("  Everyone is made up; no personnummer is stored. Try: riskmanual export --out cases.csv")))
