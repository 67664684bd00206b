"""The ``riskmanual`` command line: validate, list, show, score, schema, calibrate and simulate.

Exit status: 0 success, 1 invalid input (every problem is printed to stderr as
``FILE:LINE:COL: PATH: message``), 2 usage error. Nothing here imports scikit-learn,
pandas, matplotlib or SQLAlchemy at import time; ``calibrate`` and ``simulate`` load them
inside the command.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from .._version import __version__
from ..errors import AnswersError, RiskmanualError
from ..messages import _CURRENT, DEFAULT_LANGUAGE, LANGUAGES, render, tr

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])

LANG_ENV = "RISKMANUAL_LANG"


#: At most this many problems are listed; the rest are counted ("... and 12 more").
MAX_ISSUES_SHOWN = 100


def _fail(error: RiskmanualError) -> NoReturn:
    if error.issues:
        if not any(issue.file for issue in error.issues) and error.message not in {i.message for i in error.issues}:
            # not about a file (the case store refused something): say what was refused, then why
            _error(tr("error: {message}", message=error.message))
        for issue in error.issues[:MAX_ISSUES_SHOWN]:
            click.echo(issue.render(), err=True)
        if len(error.issues) > MAX_ISSUES_SHOWN:
            _error(tr("... and {n} more", n=len(error.issues) - MAX_ISSUES_SHOWN))
    else:
        _error(tr("error: {message}", message=error.message))
    sys.exit(1)


def _error(message: Any) -> None:
    """One line on stderr: never a personnummer (the INSTRUMENT argument may be one), never a
    raw control character."""
    from ..privacy import mask_personnummer
    from ..text import printable

    click.echo(printable(mask_personnummer(render(message)), one_line=False), err=True)


def _lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(list(LANGUAGES)), default=None,
        help=f"Language of labels, text and error messages (default: ${LANG_ENV}, else the instrument's "
             f"first language, else {DEFAULT_LANGUAGE}).",
    )(func)


def _lang(lang: str | None) -> str | None:
    """The language the user asked for (``--lang``, else ``$RISKMANUAL_LANG``), or None."""
    chosen = lang or os.environ.get(LANG_ENV) or None
    if chosen is not None and chosen not in LANGUAGES:
        wrong = tr("${name}={value}: use one of {languages}", name=LANG_ENV, value=repr(chosen), languages=LANGUAGES)
        raise click.UsageError(f"{wrong.render('en')} / {wrong.render('sv')}")
    return chosen


def _use(lang: str | None, instrument: Any = None) -> str:
    """Render messages in ``lang``, else in the instrument's first language, else Swedish;
    the language is restored when the command ends (the library's default stays English)."""
    chosen = lang or (instrument.languages[0] if instrument is not None and instrument.languages else None)
    chosen = chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
    token = _CURRENT.set(chosen)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(lambda: _CURRENT.reset(token))
    return chosen


def _file_language(path: str) -> str | None:
    """The first declared language of an instrument file that does not load (for its errors)."""
    from ..yamlsource import SourceError, read_source

    try:
        data = read_source(path).data
    except SourceError:
        return None
    languages = data.get("languages") if isinstance(data, dict) else None
    if isinstance(languages, list) and languages and languages[0] in LANGUAGES:
        return str(languages[0])
    return None


class _Described:
    """A command whose ``--help`` describes it and its options in the language of click's own
    words (the Swedish is in riskmanual/cli/helptext.py, imported only when help is shown)."""

    def get_help(self, ctx: click.Context) -> str:
        from ..usage import current_language
        from .helptext import described, swedish_numbers

        with described(self, ctx):
            text: str = super().get_help(ctx)  # type: ignore[misc]
        return swedish_numbers(text) if current_language() == "sv" else text

    def get_short_help_str(self, limit: int = 45) -> str:
        from .helptext import described

        with described(self):
            return super().get_short_help_str(limit)  # type: ignore[misc]

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        from .helptext import usage_pieces

        return usage_pieces(super().collect_usage_pieces(ctx))  # type: ignore[misc]


class _Command(_Described, click.Command):
    """Every riskmanual command (``@cli.command()`` makes one)."""


class _Group(_Described, click.Group):
    """The command group (and its subgroups); click's own words (usage errors, help headings) and
    the commands' descriptions follow the language the command line asks for, which is known
    before click parses it."""

    command_class = _Command
    group_class = type

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        from ..usage import install, language_of

        words = list(sys.argv[1:] if args is None else args)
        install(language_of(words, LANG_ENV, DEFAULT_LANGUAGE, LANGUAGES))
        shown, warnings.showwarning = warnings.showwarning, _show_skipped
        try:
            return super().main(words, *rest, **kwargs)
        finally:
            warnings.showwarning = shown


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskmanual")
def cli() -> None:
    """Structured risk-assessment manuals: validate instruments, score answers, explain results."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=False))
@_lang_option
def validate(paths: tuple[str, ...], lang: str | None) -> None:
    """Check instrument files against the schema and the rules of meaning; list every error."""
    from ..loading import read_instrument
    from ..numbers import count

    asked = _lang(lang)
    failed = False
    for path in paths:
        try:
            instrument = read_instrument(path, strict_schema=True)
        except RiskmanualError as error:
            failed = True
            _use(asked or _file_language(path))
            for issue in error.issues or []:
                click.echo(issue.render(), err=True)
            if not error.issues:
                _error(tr("{file}: {message}", file=path, message=error.message))
            continue
        chosen = _use(asked, instrument)
        n = len(instrument.items)
        items = count(n, "fråga", "frågor", "sv") if chosen == "sv" else count(n, "item", "items", "en")
        click.echo(render(tr("{file}: ok ({ref}, {items})", file=path, ref=instrument.ref, items=items)))
    sys.exit(1 if failed else 0)


@cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_lang_option
def list_command(fmt: str, lang: str | None) -> None:
    """List bundled instruments and those in $RISKMANUAL_PATH."""
    from ..registry import list_instruments
    from ..text import localize

    lang = _use(_lang(lang))
    entries = list_instruments()
    if fmt == "json":
        rows = [
            {"id": e.id, "version": e.version, "status": e.status, "title": e.title,
             "origin": e.origin, "path": str(e.path)}
            for e in entries
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo(render(tr("no instruments found")))
        return
    width = max(len(f"{e.id}@{e.version}") for e in entries)
    status = {e.status: _word("status." + e.status, e.status, lang) for e in entries}
    origin = {e.origin: _word("origin." + e.origin, e.origin, lang) for e in entries}
    status_width = max(len(text) for text in status.values())
    origin_width = max(len(text) for text in origin.values())
    for e in entries:
        title = localize(e.title, lang) if isinstance(e.title, (str, dict)) else str(e.title)
        click.echo(f"{e.id + '@' + e.version:<{width}}  {status[e.status]:<{status_width}}  "
                   f"{origin[e.origin]:<{origin_width}}  {title}".rstrip())


def _word(key: str, fallback: str, lang: str) -> str:
    """An engine word (``status.active``) in ``lang``; an unexpected value as it is."""
    from ..messages import _MESSAGES, message

    return message(key, lang) if key in _MESSAGES else fallback


@cli.command()
@click.argument("instrument")
@_lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def show(instrument: str, lang: str | None, fmt: str) -> None:
    """Print the manual: domains, items, rating guidance, bands."""
    from ..manual import render_manual
    from ..registry import load_instrument

    asked = _lang(lang)
    _use(asked)
    try:
        model = load_instrument(instrument)
    except RiskmanualError as error:
        _fail(error)
    click.echo(render_manual(model, _use(asked, model), fmt), nl=False)  # type: ignore[arg-type]


@cli.command()
@click.argument("instrument")
@click.argument("answers", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Text: list every contributing factor, not only the main ones.")
@click.option("--width", type=click.IntRange(30, 500), default=None,
              help="Text: wrap to this many columns (default: the terminal's width, else 80).")
@click.option("--batch", type=click.Path(dir_okay=False, allow_dash=False), default=None,
              help="Score every row of this table (.csv or .parquet: one column per item) instead of ANSWERS.")
@click.option("--out", type=click.Path(dir_okay=False, allow_dash=False), default=None,
              help="With --batch: write the scores here (.parquet or .csv; never overwritten).")
@click.option("--column", "columns", multiple=True, metavar="ITEM=COLUMN",
              help="With --batch: the table's column for an item (or assessment_date, birth_date) where its name "
                   "differs; repeatable.")
@click.option("--keep", multiple=True, metavar="COLUMN",
              help="With --batch: copy this column (e.g. a case reference) into OUT, before the scores; repeatable.")
@_lang_option
def score(instrument: str, answers: str | None, fmt: str, lang: str | None, show_all: bool, width: int | None,
          batch: str | None, out: str | None, columns: tuple[str, ...], keep: tuple[str, ...]) -> None:
    """Score ANSWERS (a JSON or YAML file, or - for stdin) and print the result or its explanation;
    or score a whole table with --batch IN --out OUT."""
    from ..registry import load_instrument
    from ..scoring import score as score_answers
    from ..yamlsource import SourceError, read_source

    asked = _lang(lang)
    _use(asked)
    if batch is not None or out is not None or answers is None or columns or keep:
        from .batch import score_batch

        return score_batch(instrument, answers, batch, out, asked, columns=columns, keep=keep)
    try:
        try:
            source = read_source(answers)
        except SourceError as exc:
            raise AnswersError(tr("{file}: cannot read answers", file=answers), exc.issues) from None
        if not isinstance(source.data, dict):
            _not_mapping(source.file)
        model = load_instrument(_version_of(instrument, source.data))
        chosen = _use(asked, model)
        result = score_answers(model, source.data, lang=chosen, file=source.file, locate=source.locate)
    except RiskmanualError as error:
        _fail(error)
    _remember(model)
    if fmt == "json":
        click.echo(result.model_dump_json(indent=2))
    else:
        from ..explanation import explain

        calibrated = None if model.calibration is None else model.calibration.status == "calibrated"
        if width is None:
            import shutil

            width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
        click.echo(explain(result, calibrated=calibrated, show_all=show_all, width=width), nl=False)


def _remember(model: Any) -> None:
    """Cache the compiled instrument, so that the next ``score`` with it takes the warm path."""
    from ..compile_cache import load_cached, store
    from ..compiled import compiled_for

    try:
        raw = Path(model.source).read_bytes() if model.source else None
    except OSError:
        return
    if raw is not None and load_cached(Path(model.source), raw) is None:
        store(raw, compiled_for(model))


def _version_of(ref: str, document: dict[str, Any]) -> str:
    """``id@version`` when ``ref`` is a bare bundled id and the answers name a version of it, so that
    an assessment made with an earlier version is scored with that version; ``ref`` otherwise."""
    from ..registry import list_instruments

    version = document.get("version")
    if "@" in ref or document.get("instrument") != ref or not isinstance(version, str) or Path(ref).exists() \
            or any(mark in ref for mark in ("/", "\\", ".yaml", ".yml", ".json")):
        return ref
    if any(entry.version == version for entry in list_instruments(ref, header_only=True)):
        return f"{ref}@{version}"
    return ref


class _FiniteRange(click.FloatRange):
    """A float range that also refuses nan (click's FloatRange lets nan through)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        number = super().convert(value, param, ctx)
        if number != number:
            self.fail(render(tr("{value} is not a finite number", value=repr(value))), param, ctx)
        return number


@cli.command()
@click.argument("instrument")
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Number of rows (at least 1).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), required=True,
              help="Random seed (0 to 4294967295): the same seed gives the same table.")
@click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=False), required=True,
              help="Output file: .csv or .parquet.")
@click.option("--missing-rate", type=_FiniteRange(0, 1, max_open=True), default=0.0, show_default=True,
              help="Share of item cells left empty at random.")
@click.option("--base-rate", type=_FiniteRange(0, 1, min_open=True, max_open=True), default=0.3,
              show_default=True, help="Mean outcome probability.")
@click.option("--slope", type=_FiniteRange(-50, 50), default=0.35, show_default=True,
              help="Logistic slope of the outcome per point of the current total.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists (by a rename; a link is never followed).")
@_lang_option
def simulate(instrument: str, n: int, seed: int, out: str, missing_rate: float, base_rate: float, slope: float,
             force: bool, lang: str | None) -> None:
    """Write a synthetic historical cohort for INSTRUMENT (a known truth to test calibration against).

    The outcome column is ``outcome``; ``true_probability`` holds the truth and must not be
    used for calibration. The generating model is documented in riskmanual.calibration.simulate.
    """

    from ..registry import load_instrument

    asked = _lang(lang)
    _use(asked)
    path = Path(out)
    if path.suffix.lower() not in (".csv", ".parquet", ".pq"):
        raise click.BadParameter(render(tr("cannot tell the format of '{file}': use a .csv or .parquet file",
                                           file=out)), param_hint="--out")
    try:
        model = load_instrument(instrument)
    except RiskmanualError as error:
        _fail(error)
    _use(asked, model)
    if path.exists() and not force:
        _error(tr("error: {file} already exists; use --force to overwrite it", file=out))
        sys.exit(1)

    from ..calibration.simulate import simulate as simulate_cohort
    from ..calibration.simulate import write_table

    try:
        frame = simulate_cohort(model, n, seed, missing_rate=missing_rate, base_rate=base_rate, slope=slope)
        write_table(frame, path, force=force)
    except RiskmanualError as error:
        _fail(error)
    except OSError as exc:
        _error(tr("error: cannot write {file}: {reason}", file=out, reason=str(exc.strerror or exc)))
        sys.exit(1)
    events = int(frame[frame.attrs["simulation"]["outcome"]].sum())
    from ..messages import Localized
    from ..numbers import fixed

    rate = events / len(frame)  # 0,300 in Swedish, 0.300 in English; counts as 12 000 and 12,000
    click.echo(render(tr("{rows} rows, {events} events, base rate {rate}: wrote {file}", rows=len(frame),
                         events=events, rate=Localized({"sv": fixed(rate, "sv", 3), "en": fixed(rate, "en", 3)}),
                         file=out)))


def _not_mapping(file: str) -> NoReturn:
    from ..errors import Issue

    raise AnswersError(tr("{file}: not an answers document", file=file),
                       [Issue(tr("an answers document is a mapping with instrument, version, assessment_date and answers"),
                              file=file, line=1, column=1)])


@cli.command()
@click.argument("instrument", required=False)
@click.argument("data", required=False, type=click.Path(dir_okay=False))
@click.option("--spec", type=click.Path(dir_okay=False), help="A calibration spec file (calibration/NAME.yaml).")
@click.option("--data", "data_path", type=click.Path(dir_okay=False), default=None,
              help="The table to calibrate on (replaces the spec's data).")
@click.option("--outcome", help="The 0/1 outcome column.")
@click.option("--method", type=click.Choice(["recalibrate", "logistic", "points"]), default=None,
              help="recalibrate: keep points, fit probability; logistic: refit weights; points: learn an integer score.")
@click.option("--max-items", type=click.IntRange(min=1), default=None, help="At most K items (points method).")
@click.option("--group", "groups", multiple=True, help="A column to report metrics by (repeatable).")
@click.option("--select", default=None, help="capacity=0.05 | capacity=40 | sensitivity=0.8 | ppv=0.5 | threshold=0.3")
@click.option("--folds", type=click.IntRange(2, 20), default=None)
@click.option("--repeats", type=click.IntRange(1, 50), default=None)
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None, help="Random seed (0 to 4294967295).")
@click.option("--min-group-size", type=click.IntRange(min=1), default=None,
              help="Groups smaller than this are listed as too few to judge (default 30).")
@click.option("--force", is_flag=True, help="Write --report into a non-empty folder (replacing the report's files).")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default=None,
              help=f"Language of the summary, report.html and its figures (default: ${LANG_ENV}, else the instrument's first "
                   f"language, else {DEFAULT_LANGUAGE}).")
@click.option("--prune/--no-prune", default=None,
              help="Turn items the new points give nothing into unscored information items (default on).")
@click.option("--prior", type=click.Choice(["current", "zero"]), default=None,
              help="logistic: shrink toward the current points (default) or toward zero.")
@click.option("--column", "columns", multiple=True, help="ITEM=COLUMN where the table names an item differently.")
@click.option("--id-column", default=None)
@click.option("--n-jobs", type=click.IntRange(min=1), default=None,
              help="Fit the folds on N processes (1: one process; default: automatic, every core for large tables).")
@click.option("--final-rating", default=None,
              help="A column with the assessor's final band (ids or labels), evaluated beside the points.")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the new instrument version here.")
@click.option("--report", type=click.Path(file_okay=False), default=None, help="Write report.html, metrics.json and plots here.")
def calibrate(instrument: str | None, data: str | None, spec: str | None, **options: Any) -> None:
    """Calibrate INSTRUMENT against historical outcomes in DATA (CSV or Parquet)."""
    from ..calibration.cli import run_calibrate

    run_calibrate(instrument, data, spec, options)


@cli.group()
def schema() -> None:
    """Print JSON Schemas (draft 2020-12) for instruments, answers and results."""


@schema.command("instrument")
def schema_instrument() -> None:
    """The schema every instrument file must satisfy."""
    from ..schema import instrument_schema

    click.echo(json.dumps(instrument_schema(), indent=2, ensure_ascii=False))


@schema.command("answers")
@click.argument("instrument")
@_lang_option
def schema_answers(instrument: str, lang: str | None) -> None:
    """The schema of valid answers for INSTRUMENT, so other systems can validate first."""
    from ..registry import load_instrument
    from ..schema import answers_schema

    _use(_lang(lang))
    try:
        model = load_instrument(instrument)
    except RiskmanualError as error:
        _fail(error)
    click.echo(json.dumps(answers_schema(model), indent=2, ensure_ascii=False))


@schema.command("result")
def schema_result() -> None:
    """The schema of the JSON that ``riskmanual score`` prints."""
    from ..result import Result

    click.echo(json.dumps(Result.model_json_schema(mode="serialization"), indent=2, ensure_ascii=False))

from . import case as _case  # noqa: E402,F401  (registers subject, consent and audit)
from . import plan as _plan  # noqa: E402,F401  (registers plan)
from . import report as _report  # noqa: E402,F401  (registers report)
from . import export as _export  # noqa: E402,F401  (registers export and demo-data)
from . import evaluate as _evaluate  # noqa: E402,F401  (registers evaluate)


def _show_skipped(message: Any, category: type, filename: str, lineno: int, file: Any = None,
                  line: Any = None) -> None:
    """A file in $RISKMANUAL_PATH that was skipped: one located line on stderr, in the user's language."""
    from ..registry import SkippedFileWarning

    if isinstance(message, SkippedFileWarning):
        _error(tr("warning: {issue} (skipped)", issue=message.issue.render()))
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


def main() -> None:
    """Console entry point: ``score`` with a warm cache runs without building any model
    (riskmanual.cli.fastscore), everything else through click."""
    from .fastscore import try_fast_score

    if try_fast_score(sys.argv[1:]):
        return
    cli(prog_name="riskmanual")


if __name__ == "__main__":  # pragma: no cover
    main()
