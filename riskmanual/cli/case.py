"""``riskmanual subject``, ``consent`` and ``audit``: the case store from the command line.

SQLAlchemy is imported only inside the commands, so that scoring starts fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import Issue, RiskmanualError
from ..messages import render, tr
from . import _fail, _lang, _lang_option, _use, cli

F = TypeVar("F", bound=Callable[..., Any])


def _store_options(func: F) -> F:
    func = click.option("--db", default=None, metavar="PATH|URL",
                        help="The case store: a SQLite file or a database URL (default: $RISKMANUAL_DB, else "
                             "cases.sqlite in the user's data folder).")(func)
    func = click.option("--key-file", type=click.Path(dir_okay=False), default=None,
                        help="The pseudonym key (default: $RISKMANUAL_KEY_FILE, else pseudonym.key beside the "
                             "default store); created on first use.")(func)
    func = click.option("--assessor", default=None, help="Who is acting, for the audit log (default: the OS user).")(func)
    return _lang_option(func)


def _open(db: str | None, key_file: str | None, assessor: str | None) -> Any:
    from ..case.store import open_store

    return open_store(db, key_path=Path(key_file) if key_file else None, actor=assessor)


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(render(tr("{value} is not a date written YYYY-MM-DD", value=repr(value))),
                                 param_hint=name) from None


def _agencies(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _withdrawal_notice(store: Any, alias: str, lang: str) -> None:
    """``Obs: vårdnadshavare 1 har återkallat samtycket för polisen`` on every output about the subject."""
    from ..case.consent import agency_words, who as signatory_words
    from ..case.subjects import withdrawals

    for signatory, agencies in withdrawals(store, alias):
        click.echo(render(tr("Note: {who} has withdrawn consent for {agencies}; nothing may be shared with them.",
                             who=signatory_words(signatory).render(lang),
                             agencies=", ".join(agency_words(a).render(lang) for a in agencies))))


@cli.group()
def subject() -> None:
    """Young people in the case store, known by a keyed pseudonym (never by personnummer)."""


@subject.command("add")
@click.argument("number", metavar="[PERSONNUMMER]", required=False)
@click.option("--guardians", type=click.IntRange(0, 2), default=None,
              help="How many guardians (vårdnadshavare) a minor has: 1 or 2 (required under 18).")
@_store_options
def subject_add(number: str, guardians: int | None, db: str | None, key_file: str | None, assessor: str | None,
                lang: str | None) -> None:
    """Register a young person by personnummer or samordningsnummer; prints the pseudonym to use.

    Without PERSONNUMMER (or with -) the number is asked for without echo in a terminal, or read
    from the first line of standard input, so that it stays out of the shell's history."""
    _use(_lang(lang))
    from ..case.subjects import add_subject

    if number in (None, "-"):
        if sys.stdin.isatty():
            number = click.prompt(render(tr("Personnummer or samordningsnummer")), hide_input=True, err=True)
        else:
            number = sys.stdin.readline(100)
    try:
        store = _open(db, key_file, assessor)
        view = add_subject(store, number, guardians=guardians or 0)
    except RiskmanualError as error:
        _fail(error)
    click.echo(render(tr("{pseudonym}: born {birth}, {age} years, {n} guardian(s) recorded", pseudonym=view.pseudonym,
                         birth=view.birth_date.isoformat(), age=view.age, n=view.guardians)))


@subject.command("erase")
@click.argument("who", metavar="SUBJECT")
@click.option("--reason", required=True, help="Why the data is erased (kept in the audit log).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_store_options
def subject_erase(who: str, reason: str, yes: bool, db: str | None, key_file: str | None, assessor: str | None,
                  lang: str | None) -> None:
    """Remove everything about SUBJECT (a personnummer or pseudonym); the audit log keeps the pseudonym."""
    _use(_lang(lang))
    from ..case.subjects import erase_subject, subject_pseudonym

    try:
        store = _open(db, key_file, assessor)
        alias = subject_pseudonym(store, who)
        if not yes:
            if not sys.stdin.isatty():
                raise RiskmanualError(tr("erasing cannot be undone: add --yes to confirm without a terminal"))
            click.confirm(render(tr("Erase everything about {pseudonym}? This cannot be undone.", pseudonym=alias)),
                          abort=True)
        counts = erase_subject(store, alias, reason=reason)
    except RiskmanualError as error:
        _fail(error)
    click.echo(render(tr("{pseudonym}: erased ({n} consent events, {a} assessments, {d} decisions)", pseudonym=alias,
                         n=counts["consent_events"], a=counts["assessments"], d=counts["decisions"])))


@cli.group()
def consent() -> None:
    """Consent to share information, recorded as events (record, withdraw) and shown as a state."""


def _consent_command(kind: str) -> Callable[..., None]:
    def command(who: str, signatory: str, agencies: str, date: str | None, expires: str | None,
                legal_basis: str | None, note: str | None, db: str | None, key_file: str | None,
                assessor: str | None, lang: str | None) -> None:
        chosen = _use(_lang(lang))
        from ..case.subjects import record_consent, subject_pseudonym

        on = _date(date, "--date") or dt.date.today()
        try:
            store = _open(db, key_file, assessor)
            alias = subject_pseudonym(store, who)
            state = record_consent(store, alias, kind=kind, signatory=signatory, agencies=_agencies(agencies),
                                   date=on, expires=_date(expires, "--expires"), legal_basis=legal_basis, note=note)
        except RiskmanualError as error:
            _fail(error)
        click.echo(_state_text(alias, state, chosen))

    return command


_SIGNATORY = click.option("--signatory", type=click.Choice(["young_person", "guardian_1", "guardian_2"]),
                          required=True, help="Who gives (or withdraws) consent.")
_AGENCIES = click.option("--agencies", required=True, metavar="A,B,...",
                         help="What the consent covers: agencies, e.g. police,school,social_services, and reporting for "
                              "pseudonymised follow-up and evaluation.")
_DATE = click.option("--date", default=None, metavar="YYYY-MM-DD", help="When it was given (default: today).")

for _kind, _help in (("record", "Record that a signatory consents to sharing with some agencies."),
                     ("withdraw", "Record that a signatory withdraws consent for some agencies.")):
    _command = _consent_command(_kind)
    _command.__doc__ = _help
    _command = _store_options(_command)
    _command = click.option("--note", default=None, help="A short note (no personnummer).")(_command)
    _command = click.option("--legal-basis", type=click.Choice(["consent", "osl_12_2", "osl_12_3", "other"]),
                            default="consent", show_default=True)(_command)
    _command = click.option("--expires", default=None, metavar="YYYY-MM-DD",
                            help="When the consent ends (record only).")(_command)
    _command = _DATE(_AGENCIES(_SIGNATORY(click.argument("who", metavar="SUBJECT")(_command))))
    consent.command(_kind)(_command)


@consent.command("show")
@click.argument("who", metavar="SUBJECT")
@click.option("--on", "on", default=None, metavar="YYYY-MM-DD", help="The state on this date (default: today).")
@_store_options
def consent_show(who: str, on: str | None, db: str | None, key_file: str | None, assessor: str | None,
                 lang: str | None) -> None:
    """Show SUBJECT's consent now (or --on a date) per agency, and every event behind it."""
    chosen = _use(_lang(lang))
    from ..case.consent import agency_words, who as signatory_words
    from ..case.subjects import consent_of, subject_pseudonym

    try:
        store = _open(db, key_file, assessor)
        alias = subject_pseudonym(store, who)
        view, state, events = consent_of(store, alias, on=_date(on, "--on"))
    except RiskmanualError as error:
        _fail(error)
    click.echo(_state_text(alias, state, chosen))
    if events:
        click.echo(render(tr("Events:")))
    for event in events:
        words = tr("given") if event.kind == "record" else tr("withdrawn")
        agencies = ", ".join(agency_words(a).render(chosen) for a in event.agencies)
        line = f"  {event.date.isoformat()}  {render(words)}: {signatory_words(event.signatory).render(chosen)} – {agencies}"
        if event.expires:
            line += render(tr(" (until {date})", date=event.expires.isoformat()))
        click.echo(line)


def _state_text(alias: str, state: Any, lang: str) -> str:
    """The consent state per agency: who it is needed from, where sharing is allowed, and why not."""
    from ..case.consent import agency_words, who as signatory_words

    def names(signatories: Any) -> str:
        return ", ".join(signatory_words(s).render(lang) for s in signatories)

    lines = [render(tr("Consent for {pseudonym} on {date} (needed from: {who}):", pseudonym=alias,
                       date=state.on.isoformat(), who=names(state.required)))]
    for agency, entry in state.agencies.items():
        name = agency_words(agency).render(lang)
        untouched = not entry.withdrawn and not entry.expired and len(entry.missing) == len(state.required)
        if entry.valid:
            lines.append(f"  + {name}: " + render(tr("may be used") if agency == "reporting" else tr("may share")))
        elif not untouched:
            reasons = []
            if entry.withdrawn:
                reasons.append(render(tr("withdrawn by {who}", who=names(entry.withdrawn))))
            if entry.expired:
                reasons.append(render(tr("expired for {who}", who=names(entry.expired))))
            if entry.missing:
                reasons.append(render(tr("missing from {who}", who=names(entry.missing))))
            lines.append(f"  - {name}: " + render(tr("may not share")) + " (" + "; ".join(reasons) + ")")
    if len(lines) == 1:
        lines.append("  " + render(tr("no consent recorded: nothing may be shared")))
    return "\n".join(lines)


@cli.group()
def audit() -> None:
    """The audit log of the case store."""


@audit.command("verify")
@_store_options
def audit_verify(db: str | None, key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Check that the audit log's chain of hashes is unbroken (exit 1 if it is not)."""
    _use(_lang(lang))
    from ..case.audit import verify

    try:
        store = _open(db, key_file, assessor)
        with store.transaction() as session:
            result = verify(session)
    except RiskmanualError as error:
        _fail(error)
    if result.ok:
        click.echo(render(tr("audit log intact: {n} entries, every hash matches", n=result.entries)))
        return
    _fail(RiskmanualError(tr("the audit log is broken"), [Issue(tr("entry {seq} does not match the chain: an entry was "
                                                                   "changed, removed or inserted", seq=result.broken_at),
                                                                file=store.where)]))


@cli.command()
@click.argument("instrument", required=False)
@click.option("--subject", "who", default=None, metavar="SUBJECT", help="The young person (personnummer or pseudonym).")
@click.option("--answers", "answers", default=None, type=click.Path(dir_okay=False, allow_dash=True),
              help="The answers (JSON or YAML, or - for stdin); without it the assessment is guided in the terminal.")
@click.option("--resume", type=click.IntRange(min=1), default=None, metavar="DRAFT",
              help="Continue the guided assessment of a draft ('riskmanual drafts' lists them).")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD", help="The assessment date (default: today).")
@click.option("--force", "force_reason", default=None, metavar="REASON",
              help="Save although the age is outside the instrument's population; the reason is kept.")
@click.option("--corrects", type=click.IntRange(min=1), default=None, metavar="ID",
              help="This assessment corrects assessment ID (which stays as it was).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_store_options
def assess(instrument: str | None, who: str | None, answers: str | None, resume: int | None, date: str | None,
           force_reason: str | None, corrects: int | None, fmt: str, db: str | None, key_file: str | None,
           assessor: str | None, lang: str | None) -> None:
    """Assess SUBJECT with INSTRUMENT, guided item by item in the terminal or from --answers, and save it."""
    asked = _lang(lang)
    _use(asked)
    from ..case.assessments import save_assessment
    from ..case.drafts import create_draft, delete_draft, load_draft
    from ..case.subjects import subject_pseudonym
    from ..errors import AnswersError
    from ..registry import load_instrument
    from ..yamlsource import SourceError, read_source

    if resume is None and (instrument is None or who is None):
        raise click.UsageError(render(tr("give INSTRUMENT and --subject, or --resume DRAFT")))
    draft_id = None
    try:
        store = _open(db, key_file, assessor)
        if answers is not None:
            try:
                source = read_source(answers)
            except SourceError as exc:
                raise AnswersError(tr("{file}: cannot read answers", file=answers), exc.issues) from None
            if not isinstance(source.data, dict):
                raise AnswersError(tr("{file}: not an answers document", file=source.file))
            model = load_instrument(instrument or "")
            chosen = _use(asked, model)
            alias = subject_pseudonym(store, who or "")
            document, file, locate = source.data, source.file, source.locate
        else:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                raise RiskmanualError(tr("the guided assessment needs a terminal; without one give the answers with "
                                         "--answers FILE"))
            from .terminal import run

            if resume is not None:
                flow, version, alias = load_draft(store, resume, load_instrument)
                draft_id = resume
            else:
                alias = subject_pseudonym(store, who or "")
                draft_id, flow = create_draft(store, alias, load_instrument(instrument or ""),
                                              _date(date, "--date") or dt.date.today(), force_reason=force_reason)
                version = 1
                from ..case.assessments import starting_answers
                from ..case.drafts import save_draft
                from .terminal import offer_starting_answers

                start = starting_answers(store, alias, flow.instrument)
                if start is not None and offer_starting_answers(start, _use(asked, flow.instrument)):
                    flow.answers.update(start[2])
                    version = save_draft(store, draft_id, version, flow)
            model = flow.instrument
            chosen = _use(asked, model)
            if not run(store, draft_id, version, flow, alias, chosen):
                return
            document, file, locate = flow.document(), None, None
        saved, result = save_assessment(store, alias, model, document, lang=chosen, force_reason=force_reason,
                                        corrects=corrects, file=file, locate=locate)
        if draft_id is not None:
            delete_draft(store, draft_id)
    except RiskmanualError as error:
        _fail(error)
    except KeyboardInterrupt:
        if draft_id is not None:
            click.echo("\n" + render(tr("The draft is saved: continue with 'riskmanual assess --resume {id}'.",
                                          id=draft_id)), err=True)
        sys.exit(130)
    from ..explanation import explain

    if fmt == "json":
        click.echo(result.model_dump_json(indent=2))
    else:
        calibrated = None if model.calibration is None else model.calibration.status == "calibrated"
        click.echo(explain(result, calibrated=calibrated, width=80), nl=False)
    click.echo(render(tr("Saved as assessment {id} for {pseudonym}.", id=saved, pseudonym=alias)), err=fmt == "json")
    if fmt == "text":
        _withdrawal_notice(store, alias, chosen)


@cli.command("drafts")
@_store_options
def drafts_command(db: str | None, key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """List the drafts of guided assessments that are not finished."""
    _use(_lang(lang))
    from ..case.drafts import list_drafts

    try:
        store = _open(db, key_file, assessor)
        found = list_drafts(store)
    except RiskmanualError as error:
        _fail(error)
    if not found:
        click.echo(render(tr("no open drafts")))
    for draft in found:
        click.echo(render(tr("draft {id}: {pseudonym}, {instrument}, {date}, {n} answers, saved {saved}", id=draft.id,
                             pseudonym=draft.pseudonym, instrument=draft.instrument, date=draft.assessment_date.isoformat(),
                             n=draft.answered, saved=draft.updated_at.strftime("%Y-%m-%d %H:%M"))))


@cli.command()
@click.argument("who", metavar="SUBJECT")
@click.option("--selected", type=click.Choice(["yes", "no"]), required=True, help="Is the young person selected for a SIG?")
@click.option("--reason", required=True, help="The reason for the decision, in words.")
@click.option("--agencies", default="social_services", show_default=True, metavar="A,B,...",
              help="The agencies that will share information in the SIG (their consent is checked).")
@click.option("--assessment", type=click.IntRange(min=1), default=None, metavar="ID",
              help="The assessment the decision rests on (default: the latest complete one).")
@click.option("--consent-override", default=None, metavar="REASON",
              help="Select although consent is lacking; the reason is kept in the audit log.")
@_DATE
@_store_options
def decide(who: str, selected: str, reason: str, agencies: str, assessment: int | None, consent_override: str | None,
           date: str | None, db: str | None, key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Record a person's decision whether SUBJECT is selected for a SIG (the tool supports, a person decides)."""
    _use(_lang(lang))
    from ..case.assessments import decide as record_decision
    from ..case.subjects import subject_pseudonym

    try:
        store = _open(db, key_file, assessor)
        alias = subject_pseudonym(store, who)
        decision = record_decision(store, alias, selected=selected == "yes", reason=reason,
                                   agencies=_agencies(agencies), on=_date(date, "--date"), assessment=assessment,
                                   consent_override=consent_override)
    except RiskmanualError as error:
        _fail(error)
    text = tr("Decision {id}: {pseudonym} is selected for a SIG.", id=decision, pseudonym=alias) if selected == "yes" \
        else tr("Decision {id}: {pseudonym} is not selected for a SIG.", id=decision, pseudonym=alias)
    click.echo(render(text))
    _withdrawal_notice(store, alias, _use(_lang(lang)))


@cli.command("history")
@click.argument("who", metavar="SUBJECT")
@_store_options
def history_command(who: str, db: str | None, key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Every assessment of SUBJECT over time, and what improved or worsened since the one before."""
    chosen = _use(_lang(lang))
    from ..case.assessments import history
    from ..case.subjects import subject_pseudonym
    from ..numbers import number, signed

    try:
        store = _open(db, key_file, assessor)
        alias = subject_pseudonym(store, who)
        entries = history(store, alias, lang=chosen)
    except RiskmanualError as error:
        _fail(error)
    _withdrawal_notice(store, alias, chosen)
    if not entries:
        click.echo(render(tr("{pseudonym}: no assessments yet", pseudonym=alias)))
        return
    for entry in entries:
        band = entry.final_band or entry.band or render(tr("no band (incomplete)"))
        head = f"{entry.date.isoformat()}  #{entry.id}  {entry.instrument}: {number(entry.total, chosen)} – {band}"
        if entry.corrects:
            head += render(tr(" (corrects #{id})", id=entry.corrects))
        click.echo(head)
        if entry.version_changed:
            click.echo("  " + render(tr("another version of the instrument than the one before: items are compared by id")))
        for key, changes in (("better", entry.better), ("worse", entry.worse)):
            if changes:
                words = tr("Better:") if key == "better" else tr("Worse:")
                listed = "; ".join(f"{c.label} {signed(c.delta, chosen)}" for c in changes)
                click.echo(f"  {render(words)} {listed}")
        if entry.domains:
            listed = "; ".join(f"{c.label} {signed(c.delta, chosen)}" for c in entry.domains)
            click.echo(f"  {render(tr('Domains:'))} {listed}")


@cli.group("follow-up")
def follow_up() -> None:
    """Follow-up and outcome records: a new offence, an intervention completed, school or work started, closure."""


@follow_up.command("record")
@click.argument("who", metavar="SUBJECT")
@click.option("--kind", type=click.Choice(["new_offence", "intervention_completed", "school_or_work_started",
                                           "follow_up_meeting", "closure"]), required=True)
@click.option("--reason", type=click.Choice(["goals_met", "declined", "consent_withdrawn", "moved", "age", "other"]),
              default=None, help="Why the case is closed (closure only).")
@click.option("--note", default=None, help="A short note (no personnummer).")
@_DATE
@_store_options
def follow_up_record(who: str, kind: str, reason: str | None, note: str | None, date: str | None, db: str | None,
                     key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Record what happened for SUBJECT, with its date."""
    chosen = _use(_lang(lang))
    from ..case.followup import kind_words, record_follow_up
    from ..case.subjects import subject_pseudonym

    try:
        store = _open(db, key_file, assessor)
        alias = subject_pseudonym(store, who)
        on = _date(date, "--date") or dt.date.today()
        record_follow_up(store, alias, kind=kind, date=on, reason=reason, note=note)
    except RiskmanualError as error:
        _fail(error)
    words = kind_words(kind).render(chosen) + (f" ({kind_words(reason).render(chosen)})" if reason else "")
    click.echo(render(tr("{pseudonym}: recorded {what} on {date}", pseudonym=alias, what=words, date=on.isoformat())))


@cli.command()
@click.option("--overdue", is_flag=True, help="Only what is already overdue.")
@click.option("--within", type=click.IntRange(0, 3650), default=30, show_default=True, metavar="DAYS",
              help="Also what falls due within this many days.")
@_store_options
def tasks(overdue: bool, within: int, db: str | None, key_file: str | None, assessor: str | None,
          lang: str | None) -> None:
    """Reassessments, consents and commitments' follow-ups that fall due, computed from the dates
    (open cases only)."""
    chosen = _use(_lang(lang))
    from ..case.consent import agency_words, who as signatory_words
    from ..case.followup import tasks as due_tasks

    today = dt.date.today()
    try:
        store = _open(db, key_file, assessor)
        found = due_tasks(store, today=today, within_days=within, lang=chosen)
    except RiskmanualError as error:
        _fail(error)
    found = [t for t in found if t.overdue(today)] if overdue else found
    if not found:
        click.echo(render(tr("nothing falls due")))
    for task in found:
        mark = "!" if task.overdue(today) else " "
        if task.kind == "reassess":
            what = render(tr("reassess with {instrument}", instrument=task.detail))
        elif task.kind == "commitment_follow_up":
            number, agency = task.detail.split(" ", 1)
            what = render(tr("follow up commitment {number} ({agency})", number=number,
                             agency=agency_words(agency).render(chosen)))
        else:
            signatory, agencies = task.detail.split(": ", 1)
            what = render(tr("consent of {who} for {agencies} expires", who=signatory_words(signatory).render(chosen),
                             agencies=", ".join(agency_words(a).render(chosen) for a in agencies.split(", "))))
        click.echo(f"{mark} {task.due.isoformat()}  {task.pseudonym}  {what}")
