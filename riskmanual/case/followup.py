"""Follow-up and outcome records, closure, and the tasks that fall due: reassessments when the
band says so, and consents that expire. Dates decide; nothing is scheduled elsewhere."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..errors import Issue, StoreError
from ..messages import Localized, tr
from ..privacy import looks_like_personnummer
from .audit import append
from .models import Assessment, Commitment, ConsentEvent, FollowUp, Plan, Subject
from .store import Store
from .subjects import _subject

__all__ = ["CLOSURE_REASONS", "KINDS", "Task", "add_months", "kind_words", "record_follow_up", "tasks"]

KINDS = {
    "new_offence": {"sv": "ny misstanke om brott", "en": "new suspected offence"},
    "intervention_completed": {"sv": "insats genomförd", "en": "intervention completed"},
    "school_or_work_started": {"sv": "skola eller arbete påbörjat", "en": "school or work started"},
    "follow_up_meeting": {"sv": "uppföljningsmöte", "en": "follow-up meeting"},
    "closure": {"sv": "avslutat", "en": "closed"},
}
CLOSURE_REASONS = {
    "goals_met": {"sv": "målen är nådda", "en": "goals met"},
    "declined": {"sv": "den unge tackar nej", "en": "the young person declines"},
    "consent_withdrawn": {"sv": "samtycket är återkallat", "en": "consent withdrawn"},
    "moved": {"sv": "flyttat från kommunen", "en": "moved away"},
    "age": {"sv": "utanför målgruppens ålder", "en": "outside the target age"},
    "other": {"sv": "annat skäl", "en": "other reason"},
}


def kind_words(kind: str) -> Localized:
    return Localized(KINDS.get(kind) or CLOSURE_REASONS.get(kind) or {"sv": kind, "en": kind})


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def record_follow_up(store: Store, alias: str, *, kind: str, date: dt.date, reason: str | None = None,
                     note: str | None = None, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    problems = []
    if kind not in KINDS:
        problems.append(Issue(tr("unknown kind '{value}'; use one of {choices}", value=kind, choices=list(KINDS)),
                              path=("kind",)))
    if kind == "closure" and reason not in CLOSURE_REASONS:
        problems.append(Issue(tr("a closure needs a reason, one of {choices}", choices=list(CLOSURE_REASONS)),
                              path=("reason",)))
    if date > today:
        problems.append(Issue(tr("the date {date} is in the future", date=date.isoformat()), path=("date",)))
    if note and looks_like_personnummer(note):
        problems.append(Issue(tr("a note must not hold a personnummer, nor a number written like one (a phone number "
                  "without spaces can look like one)"), path=("note",)))
    if problems:
        raise StoreError(tr("the follow-up cannot be recorded"), problems)
    from .subjects import check_text

    check_text(note, "note")
    with store.transaction() as session:
        subject = _subject(session, alias)
        row = FollowUp(subject_id=subject.id, kind=kind, date=date, reason=reason if kind == "closure" else None,
                       note=note, created_at=store.now(), created_by=store.actor)
        session.add(row)
        session.flush()
        append(session, actor=store.actor, action="follow_up.record", subject=alias,
               records={"follow_up": row.id, "kind": kind}, at=store.now())
        return row.id


@dataclass(frozen=True)
class Task:
    due: dt.date
    pseudonym: str
    kind: str  # "reassess" | "consent_expires" | "commitment_follow_up"
    detail: str

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def tasks(store: Store, *, today: dt.date | None = None, within_days: int = 30, lang: str = "sv") -> list[Task]:
    """What falls due within ``within_days`` (or is overdue) for every open case, earliest first:
    reassessments by the band, consents that expire, and commitments of committed plans that are
    to be followed up (``detail`` is the commitment's id and agency, ``#12 school``)."""
    from ..errors import RiskmanualError
    from ..registry import load_instrument

    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=within_days)
    found: list[Task] = []
    months_of: dict[tuple[str, str], int | None] = {}
    with store.transaction() as session:
        closed = set(session.execute(select(FollowUp.subject_id).where(FollowUp.kind == "closure")).scalars())
        for subject in session.execute(select(Subject).order_by(Subject.id)).scalars():
            if subject.id in closed:
                continue
            latest = session.execute(select(Assessment).where(Assessment.subject_id == subject.id,
                                                              Assessment.status == "complete")
                                     .order_by(Assessment.assessment_date.desc(), Assessment.id.desc())).scalars().first()
            if latest is not None:
                band = latest.final_band or latest.band
                key = (latest.instrument_ref, band or "")
                if key not in months_of:
                    try:
                        instrument = load_instrument(key[0])
                        months_of[key] = next((b.reassess_months for b in instrument.bands if b.id == band), None)
                    except RiskmanualError:
                        months_of[key] = None
                months = months_of[key]
                if months:
                    due = add_months(latest.assessment_date, months)
                    if due <= horizon:
                        found.append(Task(due, subject.pseudonym, "reassess", key[0]))
            for event in session.execute(select(ConsentEvent).where(ConsentEvent.subject_id == subject.id,
                                                                    ConsentEvent.kind == "record",
                                                                    ConsentEvent.expires.is_not(None))).scalars():
                if event.expires is not None and today - dt.timedelta(days=within_days) <= event.expires <= horizon:
                    found.append(Task(event.expires, subject.pseudonym, "consent_expires",
                                      f"{event.signatory}: {', '.join(event.agencies)}"))
            for commitment in session.execute(
                    select(Commitment).join(Plan, Commitment.plan_id == Plan.id)
                    .where(Commitment.subject_id == subject.id, Plan.state == "committed",
                           Commitment.state.in_(("agreed", "started")), Commitment.follow_up_date <= horizon)).scalars():
                found.append(Task(commitment.follow_up_date, subject.pseudonym, "commitment_follow_up",
                                  f"#{commitment.id} {commitment.agency}"))
        append(session, actor=store.actor, action="tasks.show", subject=None,
               records={"subjects": sorted({t.pseudonym for t in found})}, at=store.now())
    return sorted(found, key=lambda t: (t.due, t.pseudonym, t.kind))
