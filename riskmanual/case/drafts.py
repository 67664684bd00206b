"""Drafts of assessments in the store: created, saved after every answer with an optimistic
version check, resumed only against the same instrument content, finished into an assessment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from ..errors import StoreError
from ..instrument import Instrument
from ..messages import tr
from .audit import append
from .flow import Flow
from .models import Draft, Subject
from .store import Store
from .subjects import _subject

__all__ = ["DraftInfo", "create_draft", "delete_draft", "list_drafts", "load_draft", "save_draft"]


@dataclass(frozen=True)
class DraftInfo:
    id: int
    pseudonym: str
    instrument: str
    assessment_date: dt.date
    answered: int
    updated_at: dt.datetime
    version: int


def _state(flow: Flow) -> dict:
    return {"answers": flow.answers, "notes": flow.notes, "sources": flow.sources, "cursor": flow.cursor,
            "judgement": flow.judgement}


def create_draft(store: Store, alias: str, instrument: Instrument, assessment_date: dt.date, *,
                 force_reason: str | None = None) -> tuple[int, Flow]:
    """Start a guided assessment; an age outside the instrument's population is refused here
    already (unless ``force_reason``), before anything is asked."""
    from .assessments import check_age

    with store.transaction() as session:
        subject = _subject(session, alias)
        flow = Flow(instrument, assessment_date, subject.birth_date)
        check_age(instrument, flow.age, force_reason)
        row = Draft(subject_id=subject.id, instrument_id=instrument.id, instrument_version=instrument.version,
                    instrument_sha256=instrument.sha256, assessment_date=assessment_date, state=_state(flow),
                    created_at=store.now(), updated_at=store.now(), created_by=store.actor, version=1)
        session.add(row)
        session.flush()
        append(session, actor=store.actor, action="draft.create", subject=alias,
               records={"draft": row.id, "instrument": instrument.ref}, at=store.now())
        return row.id, flow


def save_draft(store: Store, draft_id: int, version: int, flow: Flow) -> int:
    """Write the draft if nobody else has since ``version``; return the new version."""
    with store.transaction() as session:
        row = session.get(Draft, draft_id)
        if row is None:
            raise StoreError(tr("no draft {id}", id=draft_id))
        done = session.execute(update(Draft).where(Draft.id == draft_id, Draft.version == version)
                               .values(state=_state(flow), version=version + 1, updated_at=store.now()))
        if done.rowcount != 1:
            raise StoreError(tr("draft {id} was changed elsewhere since it was opened (version {version}); open it "
                                "again with --resume {id}", id=draft_id, version=version))
        alias = session.get(Subject, row.subject_id).pseudonym
        append(session, actor=store.actor, action="draft.save", subject=alias,
               records={"draft": draft_id, "version": version + 1}, at=store.now())
        return version + 1


def load_draft(store: Store, draft_id: int, instrument_loader) -> tuple[Flow, int, str]:  # type: ignore[no-untyped-def]
    """The draft's flow, its version and the subject's pseudonym; refused when the instrument changed."""
    from ..errors import RiskmanualError

    with store.transaction() as session:
        row = session.get(Draft, draft_id)
        if row is None:
            raise StoreError(tr("no draft {id}; 'riskmanual drafts' lists the open ones", id=draft_id))
        subject = session.get(Subject, row.subject_id)
        ref = row.instrument_ref
        try:
            instrument = instrument_loader(ref)
        except RiskmanualError:
            raise StoreError(tr("draft {id} was started with {ref}, which is no longer installed", id=draft_id,
                                ref=ref)) from None
        if instrument.sha256 != row.instrument_sha256:
            raise StoreError(tr("draft {id} was started with another content of {ref} (the file has changed since); "
                                "it cannot be resumed against the changed instrument", id=draft_id, ref=ref))
        state = row.state
        flow = Flow(instrument, row.assessment_date, subject.birth_date, dict(state.get("answers", {})),
                    dict(state.get("notes", {})), dict(state.get("sources", {})), int(state.get("cursor", 0)),
                    state.get("judgement"))
        append(session, actor=store.actor, action="draft.open", subject=subject.pseudonym, records={"draft": draft_id},
               at=store.now())
        return flow, row.version, subject.pseudonym


def list_drafts(store: Store) -> list[DraftInfo]:
    with store.transaction() as session:
        rows = session.execute(select(Draft, Subject.pseudonym).join(Subject, Subject.id == Draft.subject_id)
                               .order_by(Draft.updated_at)).all()
        append(session, actor=store.actor, action="drafts.list", subject=None,
               records={"drafts": [d.id for d, _ in rows]}, at=store.now())
        return [DraftInfo(d.id, alias, d.instrument_ref, d.assessment_date,
                          len(d.state.get("answers", {})), d.updated_at, d.version) for d, alias in rows]


def delete_draft(store: Store, draft_id: int) -> None:
    with store.transaction() as session:
        row = session.get(Draft, draft_id)
        if row is not None:
            alias = session.get(Subject, row.subject_id).pseudonym
            session.delete(row)
            append(session, actor=store.actor, action="draft.delete", subject=alias, records={"draft": draft_id},
                   at=store.now())
