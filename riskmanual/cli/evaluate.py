"""``riskmanual evaluate``: the evaluation of the work for a period, as HTML or JSON, from the
case store (only young people whose consent covers reporting; small numbers suppressed).

pandas, statsmodels, jinja2 and matplotlib are imported inside the command.
"""

from __future__ import annotations

import json
import os
import sys

import click

from ..errors import RiskmanualError
from ..messages import render, tr
from . import _error, _fail, _lang, _use, cli
from .case import _date, _open, _store_options


@cli.command("evaluate")
@click.option("--from", "start", default=None, metavar="YYYY-MM-DD",
              help="The first assessment date of the period (default: the first there is).")
@click.option("--to", "end", default=None, metavar="YYYY-MM-DD",
              help="The last assessment date of the period; outcomes are followed until it (default: today).")
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html", show_default=True)
@click.option("--out", default=None, type=click.Path(dir_okay=False), metavar="PATH",
              help="Write here (never over an existing file); without it, to standard output.")
@click.option("--compare", default=None, type=click.Path(dir_okay=False), metavar="FILE",
              help="Another unit's export (riskmanual export, CSV or Parquet): outcomes against matched "
                   "non-participants.")
@click.option("--match", type=click.Choice(["band-total", "propensity"]), default="band-total", show_default=True,
              help="With --compare: the same band and the nearest total, or a propensity score on the items.")
@click.option("--caliper", type=click.FloatRange(min=0, min_open=True), default=None,
              help="With --compare: the largest distance of a match (default 2 points; 0.2 SD of the logit).")
@click.option("--instrument", default=None, metavar="ID", help="The instrument id (default: the one used most).")
@click.option("--min-cell", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="Counts under this are suppressed (and rates of so few).")
@_store_options
def evaluate_command(start: str | None, end: str | None, fmt: str, out: str | None, compare: str | None, match: str,
                     caliper: float | None, instrument: str | None, min_cell: int, db: str | None,
                     key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Evaluate the work: target group, the young people's course and outcomes, collaboration,
    and with --compare a matched comparison."""
    chosen = _use(_lang(lang))
    first, last = _date(start, "--from"), _date(end, "--to")
    if first and last and first > last:
        raise click.UsageError(render(tr("--from {start} is after --to {end}", start=first.isoformat(),
                                         end=last.isoformat())))
    if out is not None and os.path.lexists(out):
        _error(tr("error: {file} already exists: choose a new --out (an evaluation never overwrites a file)", file=out))
        sys.exit(1)
    from ..evaluation.report import evaluate

    try:
        store = _open(db, key_file, assessor)
        evaluation = evaluate(store, start=first, end=last, instrument=instrument, threshold=min_cell,
                              compare=compare, match=match.replace("-", "_"), caliper=caliper)
    except RiskmanualError as error:
        _fail(error)
    if fmt == "json":
        text = json.dumps(evaluation.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        from ..evaluation.render import render_html

        text = render_html(evaluation, chosen)
    if out is None:
        click.echo(text, nl=False)
        return
    from ..files import FileWriteError, write_new

    try:
        write_new(out, text, mode=0o600)
    except FileWriteError as exc:
        if os.path.lexists(out):
            _error(tr("error: {file} already exists: choose a new --out (an evaluation never overwrites a file)", file=out))
        else:
            _error(tr("error: cannot write {file}: {reason}", file=out, reason=exc.words))
        sys.exit(1)
    click.echo(render(tr("Wrote the evaluation to {file}.", file=out)), err=True)
