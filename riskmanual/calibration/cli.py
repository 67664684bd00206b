"""``riskmanual calibrate``: settings from flags and/or a spec file, a progress bar, a summary."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import Issue, RiskmanualError

__all__ = ["run_calibrate"]


def _settings(instrument: str | None, data: str | None, spec: str | None, options: dict[str, Any]) -> tuple[Any, Path]:
    from pydantic import ValidationError

    from . import CalibrationError, CalibrationSettings, load_spec

    data_flag = options.pop("data_path", None)
    if spec:
        if instrument or data:
            raise click.UsageError("give either --spec or INSTRUMENT and DATA, not both")
        base = Path(spec).parent
        values = load_spec(spec).model_dump()
        if data_flag:  # --data replaces the spec's data path (read from the current folder)
            values["data"] = os.path.abspath(data_flag)
    else:
        if not instrument or not (data or data_flag):
            raise click.UsageError("INSTRUMENT and DATA are required (or --spec FILE)")
        if not options.get("outcome"):
            raise click.UsageError("--outcome COLUMN is required")
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
                        raise click.BadParameter(f"'{text}' is not ITEM=COLUMN", param_hint="--column")
                    pairs[item] = column
                values["columns"] = pairs
        elif value is not None:
            values[key] = value
    try:
        settings = CalibrationSettings.model_validate(values)
    except ValidationError as exc:
        raise CalibrationError("invalid calibration settings", [
            Issue(str(e["msg"]), path=tuple(e["loc"]), file=spec) for e in exc.errors()]) from None
    from .metrics import parse_selection

    try:
        parse_selection(settings.select)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--select") from None
    return settings, base


def run_calibrate(instrument: str | None, data: str | None, spec: str | None, options: dict[str, Any]) -> None:
    """Run the command; every bad input ends as a clear message and exit status 1 (2 for usage)."""
    try:
        force = bool(options.pop("force", False))
        lang = options.pop("lang", None) or "en"
        settings, base = _settings(instrument, data, spec, options)
        _run(settings, base, force, lang)
    except RiskmanualError as error:
        for issue in error.issues or []:
            click.echo(str(issue), err=True)
        if not error.issues:
            click.echo(f"error: {error.message}", err=True)
        sys.exit(1)


def _run(settings: Any, base: Path, force: bool = False, lang: str = "en") -> None:
    from rich.console import Console
    from rich.progress import Progress

    from . import calibrate
    from .output import calibrated_instrument, points_diff, write_instrument

    out = Path(os.path.normpath(base / settings.out)) if settings.out else None
    if out is not None and (out.exists() or out.is_symlink()):
        raise RiskmanualError(f"{out} exists", [Issue("file exists: choose a new --out (calibration never overwrites)",
                                                      file=str(out))])
    if settings.report:
        folder = Path(os.path.normpath(base / settings.report))
        if folder.is_symlink():
            raise RiskmanualError(f"{folder}: a symbolic link", [Issue(
                "the report folder is a symbolic link: refusing to write through it", file=str(folder))])
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise RiskmanualError(f"{folder}: not empty", [Issue(
                "the report folder is not empty: choose a new folder, or give --force to replace the report's files",
                file=str(folder))])
    console = Console(stderr=True)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("calibrating", total=settings.folds * settings.repeats)

        def step(text: str) -> None:
            progress.update(task, advance=1, description=text)

        run = calibrate(settings, progress=step, base=base)
    model = calibrated_instrument(run)
    diff = points_diff(run)
    run.metrics["points_diff"] = diff
    run.metrics["instrument"]["new_version"] = model.version
    _summary(run, model)
    if out is not None:
        write_instrument(model, out, source=run.cohort.instrument.source)
        click.echo(f"wrote {out} ({model.ref}, status draft)")
    if settings.report:
        from .report import write_report

        folder = os.path.normpath(base / settings.report)
        written = write_report(run.metrics, run.arrays, folder, force=force, lang=lang)
        click.echo(f"wrote report to {folder} ({len(written)} files)")


def _summary(run: Any, model: Any) -> None:
    metrics = run.metrics
    cv = metrics["cv"]
    click.echo(f"{metrics['instrument']['id']} {metrics['instrument']['version']} -> {model.version}: "
               f"{metrics['chosen']}, n = {metrics['n']}, events = {metrics['events']} ({metrics['base_rate']:.1%})")
    click.echo(f"cross-validated ({metrics['settings']['folds']}-fold x {metrics['settings']['repeats']}): "
               f"AUC {cv['auc']:.3f} [{cv['auc_ci'][0]:.3f}, {cv['auc_ci'][1]:.3f}], Brier {cv['brier']:.4f}, "
               f"calibration slope {cv['calibration_slope']:.2f}, intercept {cv['calibration_intercept']:+.2f}, "
               f"ECE {cv['ece']:.3f}")
    click.echo(f"apparent (in-sample) AUC {metrics['apparent']['auc']:.3f}")
    for name, figures in metrics["comparison"].items():
        click.echo(f"  {name:<40} AUC {figures['auc']:.3f}  Brier {figures['brier']:.4f}  "
                   f"slope {figures['calibration_slope']:.2f}  fit {figures['fit_seconds']:.2f} s/fold")
    click.echo(metrics["verdict"])
    chosen = metrics["selected_cutoff"]
    if metrics.get("shrinkage"):
        shrink = metrics["shrinkage"]
        click.echo(f"probability shrunk by the cross-validated slope {shrink['factor']:.2f} "
                   f"(slope {shrink['unshrunk']['slope']:.3f} -> {metrics['model']['slope']:.3f})")
    click.echo(f"cut-off ({chosen['rule']}): score >= {chosen['cutoff']:g} selects {chosen['selected']:g} "
               f"({chosen['selection_rate']:.1%}); sensitivity {chosen['sensitivity']:.2f}, PPV {chosen['ppv']:.2f}"
               + ("" if chosen["met"] else " (the rule could not be met: closest cut-off shown)"))
    rating = metrics.get("final_rating")
    if rating:
        if "auc" in rating:
            versus = rating["versus_current_points"]
            click.echo(f"assessor's final rating ({rating['column']}, {rating['n']} rated, {rating['unrated']} without): "
                       f"AUC {rating['auc']:.3f} [{rating['auc_ci'][0]:.3f}, {rating['auc_ci'][1]:.3f}]; against the "
                       f"current points on the same cases {versus['difference']:+.3f} "
                       f"(95% interval {versus['ci'][0]:+.3f} to {versus['ci'][1]:+.3f}); out-of-fold calibration "
                       f"slope {rating['out_of_fold']['calibration_slope']:.2f}")
            click.echo("  observed outcome rate per final rating: " + ", ".join(
                f"{row['band']} {row['rate']:.1%} (n = {row['n']})" for row in rating["levels"] if row["n"]))
        else:
            click.echo(f"assessor's final rating ({rating['column']}): {rating['note']}")
    missing = {k: v for k, v in (metrics.get("missing") or {}).items() if v}
    if missing:
        policy = metrics["settings"].get("missing", "reference")
        treated = ("counted as the item's reference answer, no points" if policy != "category" or
                   metrics["method"] == "recalibrate" else
                   "their own category: a categorical item's answer 'not recorded', weighed by the refit")
        click.echo(f"missing answers ({treated}): "
                   + ", ".join(f"{k} {v} ({v / metrics['n']:.1%})" for k, v in missing.items()))
    for warning in metrics["warnings"]:
        click.echo(f"warning: {warning}")
    changed = [r for r in metrics["points_diff"] if abs(r["old"] - r["new"]) > 1e-9]
    if changed:
        click.echo("points (old -> new):")
        for row in metrics["points_diff"]:
            mark = "" if abs(row["old"] - row["new"]) <= 1e-9 else "  *"
            if row.get("separate") and mark:
                mark += " (separate protective scale before, subtracted now)"
            click.echo(f"  {row['item']}={row['code']}: {row['old']:g} -> {row['new']:g}{mark}")
    else:
        click.echo("points unchanged")
