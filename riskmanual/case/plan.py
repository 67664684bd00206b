"""The individual action plan (individuell åtgärdsplan): drafted from an assessment's needs,
edited by the social worker, committed when agreed, and followed up commitment by commitment.

An agency is given a commitment only while the current consent covers it; every change is
dated and written to the audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ConsentError, Issue, StoreError
from ..instrument import AGENCIES, Instrument
from ..messages import Localized, tr
from .audit import append
from .consent import ConsentFact, consent_state, lacking
from .followup import add_months
from .models import Assessment, Commitment, CommitmentEvent, Plan, Subject
from .store import Store
from .subjects import _subject, check_text

__all__ = ["FINAL_STATES", "STATES", "TRANSITIONS", "CommitmentView", "EventView", "PlanView", "add_commitment",
           "commit_plan", "draft_plan", "drop_commitment", "edit_commitment", "edit_plan", "follow_up_commitment", "plan_of",
           "plans_of", "set_state", "state_words"]

#: A commitment's states, in Swedish and English.
STATES: dict[str, dict[str, str]] = {
    "proposed": {"sv": "föreslagen", "en": "proposed"},
    "agreed": {"sv": "överenskommen", "en": "agreed"},
    "started": {"sv": "påbörjad", "en": "started"},
    "done": {"sv": "genomförd", "en": "done"},
    "not_done": {"sv": "inte genomförd", "en": "not done"},
    "withdrawn": {"sv": "återtagen", "en": "withdrawn"},
}
#: Which state may follow which; done, not_done and withdrawn are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "proposed": ("agreed", "withdrawn"),
    "agreed": ("started", "not_done", "withdrawn"),
    "started": ("done", "not_done", "withdrawn"),
    "done": (),
    "not_done": (),
    "withdrawn": (),
}
FINAL_STATES = ("done", "not_done", "withdrawn")
#: States in which an agency is (or is about to be) working with the young person: consent must cover it.
_ACTIVE = ("proposed", "agreed", "started")
DEFAULT_FOLLOW_UP_MONTHS = 3


def state_words(state: str) -> Localized:
    return Localized(STATES.get(state, {"sv": state, "en": state}))


@dataclass(frozen=True)
class EventView:
    """A dated change of state or a follow-up of one commitment."""

    id: int
    kind: str  # state | follow_up
    state: str
    date: dt.date
    reason: str | None
    outcome: str | None
    by: str


@dataclass(frozen=True)
class CommitmentView:
    """One agency's commitment as it stands, with its dated events, oldest first."""

    id: int
    need: str | None
    agency: str
    contact_role: str | None
    action: str
    goal: str | None
    start_date: dt.date
    follow_up_date: dt.date
    state: str
    reason: str | None
    events: tuple[EventView, ...] = ()

    @property
    def open(self) -> bool:
        return self.state not in FINAL_STATES


@dataclass(frozen=True)
class PlanView:
    """An action plan as it stands: read from the store, rendered elsewhere."""

    id: int
    pseudonym: str
    assessment_id: int | None
    state: str  # draft | committed
    goals: str | None
    drafted_on: dt.date
    committed_on: dt.date | None
    created_by: str
    commitments: tuple[CommitmentView, ...] = field(default_factory=tuple)
    need_labels: dict[str, str] = field(default_factory=dict)  # need item id -> its label, from the assessment

    def to_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, tuple):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if hasattr(value, "__dataclass_fields__"):
                return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
            return value

        return plain(self)


def _view(plan: Plan, pseudonym: str) -> PlanView:
    assessment = plan.assessment
    labels = {n["item"]: n["label"] for n in assessment.result.get("needs", [])} if assessment is not None else {}
    return PlanView(
        id=plan.id, pseudonym=pseudonym, assessment_id=plan.assessment_id, state=plan.state, goals=plan.goals,
        drafted_on=plan.drafted_on, committed_on=plan.committed_on, created_by=plan.created_by,
        commitments=tuple(
            CommitmentView(c.id, c.need, c.agency, c.contact_role, c.action, c.goal, c.start_date, c.follow_up_date,
                           c.state, c.reason,
                           tuple(EventView(e.id, e.kind, e.state, e.date, e.reason, e.outcome, e.created_by)
                                 for e in c.events))
            for c in plan.commitments),
        need_labels=labels)


def _consent_gap(subject: Subject, agencies: list[str], on: dt.date) -> list[Issue]:
    facts = [ConsentFact(e.kind, e.signatory, tuple(e.agencies), e.date, e.expires, e.id) for e in subject.consents]
    return lacking(consent_state(facts, subject.birth_date, subject.guardians, on), sorted(set(agencies)))


def _require_consent(subject: Subject, agencies: list[str], on: dt.date) -> None:
    missing = _consent_gap(subject, agencies, on)
    if missing:
        raise ConsentError(tr("an agency can be given a commitment only while the current consent covers it"),
                           missing)


def _check_agency(agency: str) -> None:
    if agency not in AGENCIES:
        raise StoreError(tr("unknown agency '{value}'; use one of {choices}", value=agency, choices=list(AGENCIES)),
                         [Issue(tr("unknown agency '{value}'; use one of {choices}", value=agency,
                                   choices=list(AGENCIES)), path=("agency",))])


def _plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise StoreError(tr("there is no plan {id} in the store", id=plan_id))
    return plan


def _commitment(session: Session, commitment_id: int) -> Commitment:
    row = session.get(Commitment, commitment_id)
    if row is None:
        raise StoreError(tr("there is no commitment {id} in the store", id=commitment_id))
    return row


def _pseudonym(session: Session, subject_id: int) -> str:
    subject = session.get(Subject, subject_id)
    assert subject is not None
    return subject.pseudonym


def _not_future(day: dt.date, today: dt.date, name: str) -> None:
    if day > today:
        raise StoreError(tr("the date {date} is in the future", date=day.isoformat()),
                         [Issue(tr("the date {date} is in the future", date=day.isoformat()), path=(name,))])


def _instrument(ref: str) -> Instrument | None:
    from ..errors import RiskmanualError
    from ..registry import load_instrument

    try:
        return load_instrument(ref)
    except RiskmanualError:
        return None


def _goals_of(assessment: Assessment, goals_item: str | None) -> str | None:
    """The young person's own goals as the assessment recorded them: the goals item's note."""
    if goals_item is None:
        return None
    notes = assessment.answers.get("notes") or {}
    note = notes.get(goals_item) if isinstance(notes, dict) else None
    return str(note) if note else None


def draft_plan(store: Store, assessment_id: int, *, on: dt.date | None = None,
               follow_up_months: int = DEFAULT_FOLLOW_UP_MONTHS, instrument: Instrument | None = None,
               today: dt.date | None = None) -> PlanView:
    """A draft plan from a complete assessment: for each need the band says to offer (or
    consider), each applicable intervention as a proposed commitment of its agency, starting
    ``on`` and followed up ``follow_up_months`` later, and the young person's own goals from the
    instrument's ``goals_item``. Interventions for an agency that the current consent does not
    cover are left out (the audit entry names those agencies)."""
    today = today or dt.date.today()
    on = on or today
    _not_future(on, today, "date")
    if not 1 <= follow_up_months <= 24:
        raise StoreError(tr("follow up after 1 to 24 months, not {n}", n=follow_up_months))
    with store.transaction() as session:
        assessment = session.get(Assessment, assessment_id)
        if assessment is None:
            raise StoreError(tr("there is no assessment {id} in the store", id=assessment_id))
        if assessment.status != "complete":
            raise StoreError(tr("assessment {id} is incomplete: a plan is drawn from a complete assessment",
                                id=assessment_id))
        if on < assessment.assessment_date:
            raise StoreError(tr("the plan cannot start before the assessment it rests on ({date})",
                                date=assessment.assessment_date.isoformat()))
        subject = session.get(Subject, assessment.subject_id)
        assert subject is not None
        if instrument is None or instrument.ref != assessment.instrument_ref:
            instrument = _instrument(assessment.instrument_ref)
        plan = Plan(subject_id=subject.id, assessment_id=assessment.id, state="draft",
                    goals=_goals_of(assessment, instrument.goals_item if instrument else None), drafted_on=on, created_at=store.now(),
                    created_by=store.actor)
        session.add(plan)
        session.flush()
        follow_up = add_months(on, follow_up_months)
        skipped: list[str] = []
        for need in assessment.result.get("needs", []):
            for intervention in need.get("interventions", []):
                agency = intervention.get("agency", "")
                if agency not in AGENCIES:
                    continue
                if _consent_gap(subject, [agency], on):
                    skipped.append(agency)
                    continue
                row = Commitment(plan_id=plan.id, subject_id=subject.id, need=need.get("item"), agency=agency,
                                 action=str(intervention.get("label", "")), start_date=on, follow_up_date=follow_up,
                                 state="proposed", created_at=store.now(), created_by=store.actor)
                session.add(row)
                session.flush()
                session.add(CommitmentEvent(commitment_id=row.id, kind="state", state="proposed", date=on,
                                            created_at=store.now(), created_by=store.actor))
        session.flush()
        session.refresh(plan)
        append(session, actor=store.actor, action="plan.draft", subject=subject.pseudonym,
               records={"plan": plan.id, "assessment": assessment.id,
                        "commitments": [c.id for c in plan.commitments], "skipped_agencies": sorted(set(skipped))},
               at=store.now())
        return _view(plan, subject.pseudonym)


def add_commitment(store: Store, plan_id: int, *, agency: str, action: str, goal: str | None = None,
                   contact_role: str | None = None, need: str | None = None, start: dt.date | None = None,
                   follow_up: dt.date | None = None) -> int:
    """Add a proposed commitment to a draft or committed plan; the agency needs consent."""
    _check_agency(agency)
    for text, name in ((action, "action"), (goal, "goal"), (contact_role, "contact_role")):
        check_text(text, name)
    if not action.strip():
        raise StoreError(tr("a commitment needs to say what is done"), [Issue(tr("a commitment needs to say what is "
                                                                                  "done"), path=("action",))])
    with store.transaction() as session:
        plan = _plan(session, plan_id)
        subject = session.get(Subject, plan.subject_id)
        assert subject is not None
        start = start or plan.drafted_on
        follow_up = follow_up or add_months(start, DEFAULT_FOLLOW_UP_MONTHS)
        _check_dates(start, follow_up)
        _require_consent(subject, [agency], max(start, plan.drafted_on))
        state = "proposed" if plan.state == "draft" else "agreed"
        row = Commitment(plan_id=plan.id, subject_id=subject.id, need=need, agency=agency, contact_role=contact_role,
                         action=action, goal=goal, start_date=start, follow_up_date=follow_up, state=state,
                         created_at=store.now(), created_by=store.actor)
        session.add(row)
        session.flush()
        session.add(CommitmentEvent(commitment_id=row.id, kind="state", state=state, date=start,
                                    created_at=store.now(), created_by=store.actor))
        append(session, actor=store.actor, action="plan.commitment.add", subject=subject.pseudonym,
               records={"plan": plan.id, "commitment": row.id, "agency": agency}, at=store.now())
        return row.id


def drop_commitment(store: Store, commitment_id: int) -> None:
    """Take a proposed commitment out of a draft plan (a committed plan's are withdrawn instead)."""
    with store.transaction() as session:
        row = _commitment(session, commitment_id)
        plan = _plan(session, row.plan_id)
        if plan.state != "draft" or row.state != "proposed":
            raise StoreError(tr("only a proposed commitment of a draft plan can be dropped; withdraw commitment {id} "
                                "with a reason instead", id=row.id))
        pseudonym = _pseudonym(session, plan.subject_id)
        session.delete(row)
        append(session, actor=store.actor, action="plan.commitment.drop", subject=pseudonym,
               records={"plan": plan.id, "commitment": commitment_id, "agency": row.agency}, at=store.now())


def _check_dates(start: dt.date, follow_up: dt.date) -> None:
    if follow_up < start:
        raise StoreError(tr("the follow-up date {follow_up} is before the start {start}",
                            follow_up=follow_up.isoformat(), start=start.isoformat()),
                         [Issue(tr("the follow-up date {follow_up} is before the start {start}",
                                   follow_up=follow_up.isoformat(), start=start.isoformat()), path=("follow_up",))])


_EDITABLE = ("agency", "contact_role", "action", "goal", "start_date", "follow_up_date")


def edit_commitment(store: Store, commitment_id: int, *, today: dt.date | None = None,
                    **changes: Any) -> CommitmentView:
    """Change what a commitment says (agency, contact role, action, goal, dates). A final
    commitment (done, not done, withdrawn) is not edited: it is history. A new agency needs
    consent on the later of the start date and ``today``."""
    today = today or dt.date.today()
    unknown = sorted(set(changes) - set(_EDITABLE))
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    changes = {k: v for k, v in changes.items() if v is not None}
    if "agency" in changes:
        _check_agency(changes["agency"])
    for name in ("contact_role", "action", "goal"):
        check_text(changes.get(name), name)
    with store.transaction() as session:
        row = _commitment(session, commitment_id)
        if row.state in FINAL_STATES:
            raise StoreError(tr("commitment {id} is {state}: a final commitment is not changed",
                                id=row.id, state=state_words(row.state)))
        subject = session.get(Subject, row.subject_id)
        assert subject is not None
        _check_dates(changes.get("start_date", row.start_date), changes.get("follow_up_date", row.follow_up_date))
        if "agency" in changes and changes["agency"] != row.agency:
            _require_consent(subject, [changes["agency"]], max(row.start_date, today))
        before = {name: getattr(row, name) for name in changes}
        for name, value in changes.items():
            setattr(row, name, value)
        session.flush()
        append(session, actor=store.actor, action="plan.commitment.edit", subject=subject.pseudonym,
               records={"commitment": row.id, "fields": sorted(changes),
                        "agency_before": before.get("agency")}, at=store.now())
        plan = _plan(session, row.plan_id)
        return next(c for c in _view(plan, subject.pseudonym).commitments if c.id == row.id)


def edit_plan(store: Store, plan_id: int, *, goals: str | None) -> PlanView:
    """Write the young person's own goals into the plan (in their own words)."""
    check_text(goals, "goals")
    with store.transaction() as session:
        plan = _plan(session, plan_id)
        plan.goals = goals
        session.flush()
        pseudonym = _pseudonym(session, plan.subject_id)
        append(session, actor=store.actor, action="plan.edit", subject=pseudonym,
               records={"plan": plan.id, "fields": ["goals"]}, at=store.now())
        return _view(plan, pseudonym)


def commit_plan(store: Store, plan_id: int, *, on: dt.date | None = None, today: dt.date | None = None) -> PlanView:
    """The plan is agreed (with the young person, the guardians and the agencies) on ``on``: every
    proposed commitment becomes agreed. Refused while consent does not cover an agency in it."""
    today = today or dt.date.today()
    on = on or today
    _not_future(on, today, "date")
    with store.transaction() as session:
        plan = _plan(session, plan_id)
        if plan.state == "committed":
            raise StoreError(tr("plan {id} was committed on {date}", id=plan.id, date=plan.committed_on.isoformat()
                                if plan.committed_on else ""))
        if on < plan.drafted_on:
            raise StoreError(tr("the plan cannot be committed before it was drafted ({date})",
                                date=plan.drafted_on.isoformat()))
        subject = session.get(Subject, plan.subject_id)
        assert subject is not None
        active = [c for c in plan.commitments if c.state in _ACTIVE]
        if not active:
            raise StoreError(tr("plan {id} has no commitments: add one with 'riskmanual plan edit {id} --add'",
                                id=plan.id))
        _require_consent(subject, [c.agency for c in active], on)
        for row in active:
            if row.state == "proposed":
                row.state = "agreed"
                session.add(CommitmentEvent(commitment_id=row.id, kind="state", state="agreed", date=on,
                                            created_at=store.now(), created_by=store.actor))
        plan.state, plan.committed_on = "committed", on
        session.flush()
        session.refresh(plan)
        append(session, actor=store.actor, action="plan.commit", subject=subject.pseudonym,
               records={"plan": plan.id, "commitments": [c.id for c in active]}, at=store.now())
        return _view(plan, subject.pseudonym)


def set_state(store: Store, commitment_id: int, state: str, *, on: dt.date | None = None, reason: str | None = None,
              outcome: str | None = None, today: dt.date | None = None) -> CommitmentView:
    """Move a commitment to ``state`` on ``on`` (not done and withdrawn need a reason)."""
    return _event(store, commitment_id, state=state, on=on, reason=reason, outcome=outcome, today=today)


def follow_up_commitment(store: Store, commitment_id: int, *, outcome: str, state: str | None = None,
                         on: dt.date | None = None, reason: str | None = None,
                         next_follow_up: dt.date | None = None, today: dt.date | None = None) -> CommitmentView:
    """Record what happened against the commitment's goal; optionally move its state, and set the
    next follow-up date (by default the same interval again while the commitment stays open)."""
    if not outcome.strip():
        raise StoreError(tr("a follow-up needs to say what happened against the goal"),
                         [Issue(tr("a follow-up needs to say what happened against the goal"), path=("outcome",))])
    return _event(store, commitment_id, state=state, on=on, reason=reason, outcome=outcome, today=today,
                  follow_up=True, next_follow_up=next_follow_up)


def _event(store: Store, commitment_id: int, *, state: str | None, on: dt.date | None, reason: str | None,
           outcome: str | None, today: dt.date | None, follow_up: bool = False,
           next_follow_up: dt.date | None = None) -> CommitmentView:
    today = today or dt.date.today()
    on = on or today
    _not_future(on, today, "date")
    check_text(reason, "reason")
    check_text(outcome, "outcome")
    if state is not None and state not in STATES:
        raise StoreError(tr("unknown state '{value}'; use one of {choices}", value=state, choices=list(STATES)),
                         [Issue(tr("unknown state '{value}'; use one of {choices}", value=state,
                                   choices=list(STATES)), path=("state",))])
    with store.transaction() as session:
        row = _commitment(session, commitment_id)
        subject = session.get(Subject, row.subject_id)
        assert subject is not None
        if row.state == "withdrawn" or (row.state in FINAL_STATES and (state is not None or not follow_up)):
            raise StoreError(tr("commitment {id} is {state}: a final commitment is not followed up or changed",
                                id=row.id, state=state_words(row.state)))
        new = state or row.state
        if state is not None and state != row.state:
            if state not in TRANSITIONS[row.state]:
                raise StoreError(tr("commitment {id} cannot go from {before} to {after}; from {before} it can go to "
                                    "{choices}", id=row.id, before=state_words(row.state), after=state_words(state),
                                    choices=[state_words(s) for s in TRANSITIONS[row.state]]))
            if state in ("not_done", "withdrawn") and not (reason and reason.strip()):
                raise StoreError(tr("'{state}' needs a reason", state=state_words(state)),
                                 [Issue(tr("'{state}' needs a reason", state=state_words(state)), path=("reason",))])
            if state in ("agreed", "started"):
                _require_consent(subject, [row.agency], on)
            plan = _plan(session, row.plan_id)
            if state in ("agreed", "started", "done", "not_done") and plan.state != "committed":
                raise StoreError(tr("plan {id} is a draft: commit it before its commitments move on", id=plan.id))
        last = row.events[-1].date if row.events else row.start_date
        if on < last:
            raise StoreError(tr("the date {date} is before the commitment's last event ({last})",
                                date=on.isoformat(), last=last.isoformat()))
        row.state = new
        if state in ("not_done", "withdrawn"):
            row.reason = reason
        if follow_up and new not in FINAL_STATES:
            row.follow_up_date = next_follow_up or add_months(on, max(1, _months_between(row.start_date,
                                                                                          row.follow_up_date)))
        event = CommitmentEvent(commitment_id=row.id, kind="follow_up" if follow_up else "state", state=new, date=on,
                                reason=reason, outcome=outcome, created_at=store.now(), created_by=store.actor)
        session.add(event)
        session.flush()
        session.refresh(row)
        append(session, actor=store.actor, action="plan.commitment.follow_up" if follow_up else "plan.commitment.state",
               subject=subject.pseudonym, records={"commitment": row.id, "event": event.id, "state": new},
               at=store.now())
        plan = _plan(session, row.plan_id)
        return next(c for c in _view(plan, subject.pseudonym).commitments if c.id == row.id)


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def plan_of(store: Store, plan_id: int, *, audit: bool = True) -> PlanView:
    """One plan with its commitments and their events (reading is audited)."""
    with store.transaction() as session:
        plan = _plan(session, plan_id)
        pseudonym = _pseudonym(session, plan.subject_id)
        if audit:
            append(session, actor=store.actor, action="plan.show", subject=pseudonym, records={"plan": plan.id},
                   at=store.now())
        return _view(plan, pseudonym)


def plans_of(store: Store, alias: str, *, assessment: int | None = None, audit: bool = True) -> list[PlanView]:
    """The subject's plans, oldest first (only those drawn from ``assessment`` when given)."""
    with store.transaction() as session:
        subject = _subject(session, alias)
        query = select(Plan).where(Plan.subject_id == subject.id)
        if assessment is not None:
            query = query.where(Plan.assessment_id == assessment)
        rows = session.execute(query.order_by(Plan.drafted_on, Plan.id)).scalars().all()
        if audit:
            append(session, actor=store.actor, action="plan.show", subject=subject.pseudonym,
                   records={"plans": [p.id for p in rows]}, at=store.now())
        return [_view(p, subject.pseudonym) for p in rows]
