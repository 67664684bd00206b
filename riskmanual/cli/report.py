"""``riskmanual report``: the case report of one assessment, as HTML, markdown or PDF.

The report goes to standard output or to a new file (an existing file or link is never
overwritten). jinja2, matplotlib and WeasyPrint are imported inside the command.
"""

from __future__ import annotations

import re
import sys

import click

from ..errors import RiskmanualError
from ..messages import render, tr
from . import _error, _fail, _lang, _use, cli
from .case import _open, _store_options


def _assessment_id(value: str) -> int:
    """``12`` or ``#12`` (as ``riskmanual history`` prints it)."""
    found = re.fullmatch(r"\s*#?(\d{1,12})\s*", value)
    if not found or int(found.group(1)) < 1:
        raise click.BadParameter(render(tr("{value} is not a number such as 12 or #12", value=repr(value[:40]))),
                                 param_hint="ASSESSMENT")
    return int(found.group(1))


@cli.command("report")
@click.argument("assessment", metavar="ASSESSMENT")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "markdown"]), default="html", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=False), default=None,
              help="Write the report to this new file (never overwritten); without it to standard output.")
@_store_options
def report_command(assessment: str, fmt: str, out: str | None, db: str | None, key_file: str | None,
                   assessor: str | None, lang: str | None) -> None:
    """The case report of ASSESSMENT (its number, 12 or #12, as 'riskmanual history' shows it):
    the result and why, consent, the action plan and the change since the previous assessment."""
    chosen = _use(_lang(lang))
    number = _assessment_id(assessment)
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise click.UsageError(render(tr("a PDF is not written to a terminal: give --out FILE or redirect the output")))
    from ..files import FileWriteError, write_new
    from ..reports.case_report import gather
    from ..reports.render import render as render_report

    try:
        store = _open(db, key_file, assessor)
        report = gather(store, number, lang=chosen, fmt=fmt)
        document = render_report(report, fmt)
    except RiskmanualError as error:
        _fail(error)
    notices = [render(tr("Note: {who} has withdrawn consent for {agencies}; nothing may be shared with them.",
                         who=_who(signatory, chosen), agencies=_agency(agency, chosen)))
               for signatory, agency in report.consent_now.withdrawals]
    if out is None:
        if isinstance(document, bytes):
            sys.stdout.buffer.write(document)
            sys.stdout.buffer.flush()
        else:
            click.echo(document, nl=False)
        for line in notices:
            click.echo(line, err=True)
        return
    try:
        write_new(out, document, mode=0o600)
    except FileWriteError as exc:
        if "exists" in exc.reason:
            _error(tr("error: {file} already exists: choose a new name (a report never overwrites a file)", file=out))
        else:
            _error(tr("error: cannot write {file}: {reason}", file=out, reason=exc.words))
        sys.exit(1)
    for line in notices:
        click.echo(line)
    click.echo(render(tr("Wrote the report of assessment #{id} for {pseudonym} to {file}", id=number,
                         pseudonym=report.pseudonym, file=out)))


def _who(signatory: str, lang: str) -> str:
    from ..case.consent import who

    return who(signatory).render(lang)


def _agency(agency: str, lang: str) -> str:
    from ..case.consent import agency_words

    return agency_words(agency).render(lang)
