"""``riskmanual plan``: the individual action plan (individuell åtgärdsplan) from the command line.

draft (from an assessment), show, edit (the young person's goals; add, change, drop or move a
commitment), commit (agreed at the meeting) and follow-up (what happened against a goal).
"""

from __future__ import annotations

import json
from typing import Any

import click

from ..errors import RiskmanualError
from ..messages import render, tr
from . import _fail, _lang, _use, cli
from .case import _date, _open, _store_options, _withdrawal_notice

_STATES = click.Choice(["proposed", "agreed", "started", "done", "not_done", "withdrawn"])


def _number(value: str, name: str) -> int:
    """``12`` or ``#12``, as ``riskmanual history`` and ``plan show`` print ids."""
    text = value.strip().lstrip("#")
    if not text.isdigit() or len(text) > 12:
        raise click.BadParameter(render(tr("{value} is not a number such as 12 or #12", value=repr(value))),
                                 param_hint=name)
    return int(text)


def plan_text(plan: Any, lang: str) -> str:
    """A plan as the terminal shows it: the goals, then each commitment with its state and dates."""
    from ..case.consent import agency_words
    from ..case.plan import state_words

    state = render(tr("draft")) if plan.state == "draft" else render(
        tr("committed {date}", date=plan.committed_on.isoformat() if plan.committed_on else ""))
    lines = [render(tr("Action plan {id} for {pseudonym} ({state}), from assessment #{assessment}, drafted {date}",
                       id=plan.id, pseudonym=plan.pseudonym, state=state, assessment=plan.assessment_id or "–",
                       date=plan.drafted_on.isoformat()))]
    lines.append("  " + render(tr("The young person's own goals: {goals}",
                                  goals=plan.goals or render(tr("not written yet (plan edit --goals)")))))
    if not plan.commitments:
        lines.append("  " + render(tr("No commitments yet: add one with 'riskmanual plan edit {id} --add'", id=plan.id)))
    for c in plan.commitments:
        lines.append(f"  #{c.id}  {agency_words(c.agency).render(lang)}: {c.action}  [{state_words(c.state).render(lang)}]")
        details = []
        if c.need:
            details.append(render(tr("need: {need}", need=plan.need_labels.get(c.need, c.need))))
        details.append(render(tr("contact: {who}", who=c.contact_role or "–")))
        details.append(render(tr("goal: {goal}", goal=c.goal or "–")))
        lines.append("      " + " · ".join(details))
        lines.append("      " + render(tr("start {start}, follow-up {follow_up}", start=c.start_date.isoformat(),
                                          follow_up=c.follow_up_date.isoformat())))
        if c.reason:
            lines.append("      " + render(tr("reason: {reason}", reason=c.reason)))
        outcomes = [e for e in c.events if e.kind == "follow_up"]
        if outcomes:
            last = outcomes[-1]
            lines.append("      " + render(tr("followed up {date}: {outcome}", date=last.date.isoformat(),
                                              outcome=last.outcome or "")))
    return "\n".join(lines)


@cli.group()
def plan() -> None:
    """The individual action plan: each agency's commitments, drawn from an assessment."""


@plan.command("draft")
@click.argument("assessment", metavar="ASSESSMENT")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="When the commitments start (default: today).")
@click.option("--follow-up-months", type=click.IntRange(1, 24), default=3, show_default=True,
              help="Follow each commitment up this many months after it starts.")
@_store_options
def plan_draft(assessment: str, date: str | None, follow_up_months: int, db: str | None, key_file: str | None,
               assessor: str | None, lang: str | None) -> None:
    """Draft a plan from ASSESSMENT (its id, as 'riskmanual history' shows it): for each need the
    band says to offer, the instrument's interventions with their agencies, where consent allows."""
    chosen = _use(_lang(lang))
    from ..case.plan import draft_plan

    number = _number(assessment, "ASSESSMENT")
    try:
        store = _open(db, key_file, assessor)
        view = draft_plan(store, number, on=_date(date, "--date"), follow_up_months=follow_up_months)
    except RiskmanualError as error:
        _fail(error)
    _withdrawal_notice(store, view.pseudonym, chosen)
    click.echo(plan_text(view, chosen))


@plan.command("show")
@click.argument("target", metavar="PLAN|SUBJECT")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_store_options
def plan_show(target: str, fmt: str, db: str | None, key_file: str | None, assessor: str | None,
              lang: str | None) -> None:
    """Show one plan (by id) or every plan of a subject (by pseudonym)."""
    chosen = _use(_lang(lang))
    from ..case.plan import plan_of, plans_of
    from ..case.subjects import subject_pseudonym

    try:
        store = _open(db, key_file, assessor)
        if target.strip().lstrip("#").isdigit():
            views = [plan_of(store, _number(target, "PLAN"))]
        else:
            views = plans_of(store, subject_pseudonym(store, target))
    except RiskmanualError as error:
        _fail(error)
    if fmt == "json":
        click.echo(json.dumps([v.to_json() for v in views], ensure_ascii=False, indent=2))
        return
    if views:
        _withdrawal_notice(store, views[0].pseudonym, chosen)
    if not views:
        click.echo(render(tr("No plans yet: draft one with 'riskmanual plan draft ASSESSMENT'")))
    click.echo("\n\n".join(plan_text(v, chosen) for v in views))


@plan.command("edit")
@click.argument("plan_id", metavar="PLAN")
@click.option("--goals", default=None, help="The young person's own goals, in their own words.")
@click.option("--add", is_flag=True, help="Add a commitment (with --agency and --action).")
@click.option("--commitment", "commitment", default=None, metavar="N", help="The commitment to change.")
@click.option("--drop", is_flag=True, help="Take the proposed --commitment out of a draft plan.")
@click.option("--agency", default=None, help="The responsible agency, e.g. school.")
@click.option("--contact", default=None, help="The contact's role at the agency (not a name is fine too).")
@click.option("--action", default=None, help="What is done.")
@click.option("--goal", default=None, help="The goal, in plain words.")
@click.option("--need", default=None, help="The need (item id) it answers.")
@click.option("--start", default=None, metavar="YYYY-MM-DD")
@click.option("--follow-up", "follow_up", default=None, metavar="YYYY-MM-DD")
@click.option("--state", type=_STATES, default=None, help="Move --commitment to this state.")
@click.option("--reason", default=None, help="Why (needed for not_done and withdrawn).")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="When the state changed (default: today).")
@_store_options
def plan_edit(plan_id: str, goals: str | None, add: bool, commitment: str | None, drop: bool, agency: str | None,
              contact: str | None, action: str | None, goal: str | None, need: str | None, start: str | None,
              follow_up: str | None, state: str | None, reason: str | None, date: str | None, db: str | None,
              key_file: str | None, assessor: str | None, lang: str | None) -> None:
    """Edit PLAN: the young person's goals, a new commitment (--add), or one commitment's text,
    dates or state (--commitment N)."""
    chosen = _use(_lang(lang))
    from ..case import plan as plans

    number = _number(plan_id, "PLAN")
    fields = {"agency": agency, "contact_role": contact, "action": action, "goal": goal,
              "start_date": _date(start, "--start"), "follow_up_date": _date(follow_up, "--follow-up")}
    if add and commitment is not None:
        raise click.UsageError(render(tr("give either --add or --commitment, not both")))
    if add and not (agency and action):
        raise click.UsageError(render(tr("--add needs --agency and --action")))
    if (drop or state) and commitment is None:
        raise click.UsageError(render(tr("--drop and --state need --commitment N")))
    if not (add or commitment is not None or goals is not None):
        raise click.UsageError(render(tr("nothing to change: give --goals, --add or --commitment N")))
    try:
        store = _open(db, key_file, assessor)
        if goals is not None:
            plans.edit_plan(store, number, goals=goals)
        if add:
            plans.add_commitment(store, number, agency=agency or "", action=action or "", goal=goal,
                                 contact_role=contact, need=need, start=fields["start_date"],
                                 follow_up=fields["follow_up_date"])
        elif commitment is not None:
            which = _number(commitment, "--commitment")
            _belongs(store, number, which)
            if drop:
                plans.drop_commitment(store, which)
            else:
                if any(v is not None for v in fields.values()):
                    plans.edit_commitment(store, which, **fields)
                if state is not None:
                    plans.set_state(store, which, state, on=_date(date, "--date"), reason=reason)
        view = plans.plan_of(store, number)
    except RiskmanualError as error:
        _fail(error)
    click.echo(plan_text(view, chosen))


def _belongs(store: Any, plan_id: int, commitment_id: int) -> None:
    from ..case.plan import plan_of
    from ..errors import StoreError

    if commitment_id not in {c.id for c in plan_of(store, plan_id, audit=False).commitments}:
        raise StoreError(tr("commitment {id} is not in plan {plan}", id=commitment_id, plan=plan_id))


@plan.command("commit")
@click.argument("plan_id", metavar="PLAN")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="When the young person, the guardians and the agencies agreed the plan (default: today).")
@_store_options
def plan_commit(plan_id: str, date: str | None, db: str | None, key_file: str | None, assessor: str | None,
                lang: str | None) -> None:
    """Commit PLAN as agreed: its proposed commitments become agreed (consent must cover each agency)."""
    chosen = _use(_lang(lang))
    from ..case.plan import commit_plan

    try:
        store = _open(db, key_file, assessor)
        view = commit_plan(store, _number(plan_id, "PLAN"), on=_date(date, "--date"))
    except RiskmanualError as error:
        _fail(error)
    click.echo(plan_text(view, chosen))


@plan.command("follow-up")
@click.argument("commitment", metavar="COMMITMENT")
@click.option("--outcome", required=True, help="What happened against the goal.")
@click.option("--state", type=_STATES, default=None, help="The commitment's state after the follow-up.")
@click.option("--reason", default=None, help="Why (needed for not_done and withdrawn).")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="When it was followed up (default: today).")
@click.option("--next", "next_date", default=None, metavar="YYYY-MM-DD",
              help="The next follow-up (default: the same interval again while it stays open).")
@_store_options
def plan_follow_up(commitment: str, outcome: str, state: str | None, reason: str | None, date: str | None,
                   next_date: str | None, db: str | None, key_file: str | None, assessor: str | None,
                   lang: str | None) -> None:
    """Follow COMMITMENT up: what happened against its goal, and its state from now on."""
    chosen = _use(_lang(lang))
    from ..case.consent import agency_words
    from ..case.plan import follow_up_commitment, state_words

    try:
        store = _open(db, key_file, assessor)
        view = follow_up_commitment(store, _number(commitment, "COMMITMENT"), outcome=outcome, state=state,
                                    on=_date(date, "--date"), reason=reason, next_follow_up=_date(next_date, "--next"))
    except RiskmanualError as error:
        _fail(error)
    line = render(tr("Commitment #{id} ({agency}) followed up: {state}", id=view.id,
                     agency=agency_words(view.agency).render(chosen), state=state_words(view.state).render(chosen)))
    if view.open:
        line += " " + render(tr("(next follow-up {date})", date=view.follow_up_date.isoformat()))
    click.echo(line)
