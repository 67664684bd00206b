"""Subjects and their consent in the store: add, find, record and withdraw consent, erase.

Every write and every read of a person's data writes an audit entry in the same transaction.
A personnummer reaches this module only to be checked and turned into a pseudonym.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import ConsentError, Issue, StoreError
from ..identity import is_pseudonym, parse_personal_number, pseudonym
from ..messages import tr
from .audit import append
from .consent import ConsentFact, ConsentState, age_on, check_event, consent_state
from .models import (Assessment, AuditEntry, Commitment, CommitmentEvent, ConsentEvent, Decision, Draft, FollowUp, Plan,
                     Subject)
from .store import Store

__all__ = ["SubjectView", "add_subject", "consent_of", "erase_subject", "record_consent", "subject_pseudonym",
           "withdrawals"]


@dataclass(frozen=True)
class SubjectView:
    pseudonym: str
    birth_date: dt.date
    guardians: int
    coordination: bool
    age: int


def subject_pseudonym(store: Store, text: str, *, today: dt.date | None = None) -> str:
    """The pseudonym of SUBJECT given as a personnummer, a samordningsnummer or a pseudonym."""
    text = text.strip()
    if is_pseudonym(text):
        return text
    return pseudonym(store.key, parse_personal_number(text, today=today))


def add_subject(store: Store, number: str, *, guardians: int, today: dt.date | None = None) -> SubjectView:
    """Register a young person by personnummer or samordningsnummer; only the pseudonym is kept."""
    today = today or dt.date.today()
    parsed = parse_personal_number(number, today=today)
    alias = pseudonym(store.key, parsed)
    age = age_on(parsed.birth_date, today)
    problems = []
    if guardians not in (0, 1, 2):
        problems.append(Issue(tr("a young person has 0, 1 or 2 guardians, not {n}", n=guardians), path=("guardians",)))
    elif age < 18 and guardians == 0:
        problems.append(Issue(tr("the young person is {age} years old: record their guardian(s) with --guardians 1 "
                                 "or 2 (a minor's consent needs each guardian's)", age=age), path=("guardians",)))
    if problems:
        raise StoreError(tr("the subject cannot be added"), problems)
    with store.transaction() as session:
        if session.execute(select(Subject.id).where(Subject.pseudonym == alias)).first() is not None:
            raise StoreError(tr("the subject is already registered as {pseudonym}", pseudonym=alias))
        subject = Subject(pseudonym=alias, birth_date=parsed.birth_date, coordination=parsed.coordination,
                          guardians=guardians, created_at=store.now(), created_by=store.actor)
        session.add(subject)
        session.flush()
        append(session, actor=store.actor, action="subject.add", subject=alias,
               records={"subject": subject.id, "guardians": guardians}, at=store.now())
    return SubjectView(alias, parsed.birth_date, guardians, parsed.coordination, age)


def _subject(session: Session, alias: str) -> Subject:
    subject = session.execute(select(Subject).where(Subject.pseudonym == alias)).scalar_one_or_none()
    if subject is None:
        raise StoreError(tr("no subject {pseudonym} in the case store; add them with 'riskmanual subject add'",
                            pseudonym=alias))
    return subject


def _facts(subject: Subject) -> list[ConsentFact]:
    return [ConsentFact(e.kind, e.signatory, tuple(e.agencies), e.date, e.expires, e.id) for e in subject.consents]


def record_consent(store: Store, alias: str, *, kind: str, signatory: str, agencies: Sequence[str], date: dt.date,
                   expires: dt.date | None = None, legal_basis: str | None = None, note: str | None = None,
                   today: dt.date | None = None) -> ConsentState:
    """Append a consent (``record``) or a withdrawal (``withdraw``); return the state that follows."""
    today = today or dt.date.today()
    check_text(note, "note")
    fact = ConsentFact(kind, signatory, tuple(agencies), date, expires if kind == "record" else None)
    with store.transaction() as session:
        subject = _subject(session, alias)
        check_event(fact, subject.birth_date, subject.guardians, today)
        if kind == "withdraw":
            before = consent_state(_facts(subject), subject.birth_date, subject.guardians, date)
            given = [a for a in agencies if signatory in before.required
                     and signatory not in before.agencies[a].missing]
            if not given:
                raise ConsentError(tr("nothing to withdraw: {signatory} has given no consent to these agencies",
                                      signatory=signatory))
        event = ConsentEvent(subject=subject, kind=kind, signatory=signatory, agencies=list(agencies),
                             legal_basis=legal_basis, date=date, expires=fact.expires, note=note,
                             recorded_at=store.now(), recorded_by=store.actor)
        session.add(event)
        session.flush()
        append(session, actor=store.actor, action=f"consent.{kind}", subject=alias,
               records={"consent_event": event.id, "signatory": signatory, "agencies": list(agencies)}, at=store.now())
        return consent_state(_facts(subject), subject.birth_date, subject.guardians, today)


def consent_of(store: Store, alias: str, *, on: dt.date | None = None) -> tuple[SubjectView, ConsentState, list[ConsentEvent]]:
    """The subject, the consent state on ``on`` and every event; reading it is audited."""
    on = on or dt.date.today()
    with store.transaction() as session:
        subject = _subject(session, alias)
        view = SubjectView(subject.pseudonym, subject.birth_date, subject.guardians, subject.coordination,
                           age_on(subject.birth_date, on))
        state = consent_state(_facts(subject), subject.birth_date, subject.guardians, on)
        events = list(subject.consents)
        append(session, actor=store.actor, action="consent.show", subject=alias, records={"subject": subject.id},
               at=store.now())
        return view, state, events


def erase_subject(store: Store, alias: str, *, reason: str) -> dict[str, int]:
    """Remove everything about the subject; the audit log keeps only the pseudonym and the erasure."""
    check_text(reason, "reason")
    with store.transaction() as session:
        subject = _subject(session, alias)
        counts = {"consent_events": len(subject.consents), "assessments": len(subject.assessments),
                  "decisions": len(subject.decisions)}
        commitments = select(Commitment.id).where(Commitment.subject_id == subject.id)
        session.execute(delete(CommitmentEvent).where(CommitmentEvent.commitment_id.in_(commitments)))
        session.execute(delete(Commitment).where(Commitment.subject_id == subject.id))
        session.execute(delete(Plan).where(Plan.subject_id == subject.id))
        session.execute(delete(FollowUp).where(FollowUp.subject_id == subject.id))
        session.execute(delete(Draft).where(Draft.subject_id == subject.id))
        session.execute(delete(Decision).where(Decision.subject_id == subject.id))
        session.execute(delete(Assessment).where(Assessment.subject_id == subject.id))
        session.execute(delete(ConsentEvent).where(ConsentEvent.subject_id == subject.id))
        session.execute(delete(Subject).where(Subject.id == subject.id))
        append(session, actor=store.actor, action="subject.erase", subject=alias,
               records={"removed": counts, "reason": reason}, at=store.now())
        return counts


def audit_entries(store: Store, alias: str | None = None) -> int:
    with store.transaction() as session:
        query = select(func.count()).select_from(AuditEntry)
        if alias is not None:
            query = query.where(AuditEntry.subject == alias)
        return int(session.execute(query).scalar_one())


def withdrawals(store: Store, alias: str, *, on: dt.date | None = None) -> list[tuple[str, list[str]]]:
    """Who has withdrawn consent for which agencies, as it stands on ``on``: every output about the
    subject shows it (part of the command that reads the subject, which audits that read)."""
    on = on or dt.date.today()
    with store.transaction() as session:
        subject = _subject(session, alias)
        state = consent_state(_facts(subject), subject.birth_date, subject.guardians, on)
    found: dict[str, list[str]] = {}
    for agency, entry in state.agencies.items():
        for signatory in entry.withdrawn:
            found.setdefault(signatory, []).append(agency)
    return sorted(found.items())


def check_text(text: str | None, field: str) -> None:
    """A free text the store keeps (a reason, a note): at most 5,000 characters, no control
    characters but newline and tab, and never a personnummer."""
    from ..answers import MAX_NOTE
    from ..privacy import looks_like_personnummer

    if text is None:
        return
    problems = []
    if len(text) > MAX_NOTE:
        problems.append(Issue(tr("at most {n} characters (got {length})", n=MAX_NOTE, length=len(text)), path=(field,)))
    if any((ord(c) < 32 and c not in "\n\t") or ord(c) == 127 for c in text):
        problems.append(Issue(tr("control characters are not allowed"), path=(field,)))
    if looks_like_personnummer(text):
        problems.append(Issue(tr("must not hold a personnummer, nor a number written like one (a phone number without "
                                 "spaces can look like one): write a pseudonym or a case reference"), path=(field,)))
    if problems:
        raise StoreError(tr("the text cannot be stored"), problems)
