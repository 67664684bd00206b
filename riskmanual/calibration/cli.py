"""``riskmanual calibrate``: settings from flags and/or a spec file, a progress bar, a summary."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import Issue, RiskmanualError
from ..messages import render, tr

__all__ = ["run_calibrate"]


def _settings(instrument: str | None, data: str | None, spec: str | None, options: dict[str, Any]) -> tuple[Any, Path]:
    from pydantic import ValidationError

    from . import CalibrationError, CalibrationSettings, load_spec, setting_message

    data_flag = options.pop("data_path", None)
    if spec:
        if instrument or data:
            raise click.UsageError(render(tr("give either --spec or INSTRUMENT and DATA, not both")))
        base = Path(spec).parent
        values = load_spec(spec).model_dump()
        if data_flag:  # --data replaces the spec's data path (read from the current folder)
            values["data"] = os.path.abspath(data_flag)
    else:
        if not instrument or not (data or data_flag):
            raise click.UsageError(render(tr("INSTRUMENT and DATA are required (or --spec FILE)")))
        if not options.get("outcome"):
            raise click.UsageError(render(tr("--outcome COLUMN is required")))
        base = Path.cwd()
        values = {"instrument": instrument, "data": data_flag or data}
    for key, value in options.items():
        if key == "groups":
            if value:
                values["groups"] = list(value)
        elif key == "columns":
            if value:
                pairs = {}
                for text in value:
                    item, sep, column = text.partition("=")
                    if not sep or not item or not column:
                        raise click.BadParameter(render(tr("'{text}' is not ITEM=COLUMN", text=text)),
                                                 param_hint="--column")
                    pairs[item] = column
                values["columns"] = pairs
        elif value is not None:
            values[key] = value
    try:
        settings = CalibrationSettings.model_validate(values)
    except ValidationError as exc:
        raise CalibrationError(tr("invalid calibration settings"), [
            Issue(setting_message(e), path=tuple(e["loc"]), file=spec) for e in exc.errors()]) from None
    from .metrics import parse_selection

    try:
        parse_selection(settings.select)
    except ValueError as exc:
        raise click.BadParameter(render(exc.args[0]), param_hint="--select") from None
    return settings, base


def run_calibrate(instrument: str | None, data: str | None, spec: str | None, options: dict[str, Any]) -> None:
    """Run the command; every bad input ends as a clear message and exit status 1 (2 for usage)."""
    from ..cli import _error, _lang, _use

    try:
        force = bool(options.pop("force", False))
        lang = _lang(options.pop("lang", None))  # --lang, else $RISKMANUAL_LANG; else the instrument's (report.py)
        _use(lang)  # errors in the asked language, else Swedish
        settings, base = _settings(instrument, data, spec, options)
        _run(settings, base, force, lang)
    except RiskmanualError as error:
        for issue in error.issues or []:
            click.echo(issue.render(), err=True)
        if not error.issues:
            _error(tr("error: {message}", message=error.message))
        sys.exit(1)


def _run(settings: Any, base: Path, force: bool = False, lang: str | None = None) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from . import calibrate
    from .output import calibrated_instrument, points_diff, write_instrument

    out = Path(os.path.normpath(base / settings.out)) if settings.out else None
    if out is not None and (out.exists() or out.is_symlink()):
        raise RiskmanualError(tr("{file} exists", file=str(out)), [
            Issue(tr("file exists: choose a new --out (calibration never overwrites)"), file=str(out))])
    if settings.report:
        folder = Path(os.path.normpath(base / settings.report))
        if folder.is_symlink():
            raise RiskmanualError(tr("{folder}: a symbolic link", folder=str(folder)), [Issue(
                tr("the report folder is a symbolic link: refusing to write through it"), file=str(folder))])
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise RiskmanualError(tr("{folder}: not empty", folder=str(folder)), [Issue(
                tr("the report folder is not empty: choose a new folder, or give --force to replace the report's "
                   "files"),
                file=str(folder))])
    from .report import report_language
    from .summary import line

    console = Console(stderr=True)
    total = settings.folds * settings.repeats
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(line("progress", lang or "sv", done=0, total=total), total=total)
        done = [0]

        def step(_text: str) -> None:  # the run's own words are English: count the folds instead
            done[0] = min(done[0] + 1, total)
            progress.update(task, completed=done[0], description=line("progress", lang or "sv", done=done[0], total=total))

        run = calibrate(settings, progress=step, base=base)
    model = calibrated_instrument(run)
    diff = points_diff(run)
    run.metrics["points_diff"] = diff
    run.metrics["instrument"]["new_version"] = model.version
    lang = report_language(lang, run.cohort.instrument)
    _summary(run, model, lang)
    if out is not None:
        write_instrument(model, out, source=run.cohort.instrument.source)
        click.echo(line("wrote.instrument", lang, path=out, ref=model.ref))
    if settings.report:
        from .report import write_report

        folder = os.path.normpath(base / settings.report)
        written = write_report(run.metrics, run.arrays, folder, force=force, lang=lang)
        click.echo(line("wrote.report", lang, path=folder, n=len(written)))


def _summary(run: Any, model: Any, lang: str) -> None:
    from .summary import summary_lines

    for text in summary_lines(run.metrics, model.version, lang):
        click.echo(text)
