"""The case store's tables (SQLAlchemy 2). A personnummer is never a column: subjects are keyed
by pseudonym. Consent and the audit log are append-only; a finalised assessment never changes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["Assessment", "AuditEntry", "AuditHead", "Base", "Commitment", "CommitmentEvent", "ConsentEvent", "Decision",
           "Draft", "FollowUp", "Plan", "Subject"]


class Base(DeclarativeBase):
    pass


class Subject(Base):
    """A young person, known by a keyed pseudonym and the birth date the age checks need."""

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    coordination: Mapped[bool] = mapped_column(default=False)
    guardians: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    consents: Mapped[list["ConsentEvent"]] = relationship(back_populates="subject", cascade="all, delete-orphan",
                                                          passive_deletes=True, order_by="ConsentEvent.id")

    assessments: Mapped[list["Assessment"]] = relationship(back_populates="subject", cascade="all, delete-orphan",
                                                           passive_deletes=True, order_by="Assessment.id")
    decisions: Mapped[list["Decision"]] = relationship(back_populates="subject", cascade="all, delete-orphan",
                                                       passive_deletes=True, order_by="Decision.id")

    __mapper_args__ = {"version_id_col": version}


class ConsentEvent(Base):
    """One signatory giving or withdrawing consent to share with some agencies (never updated)."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # record | withdraw
    signatory: Mapped[str] = mapped_column(String(20))  # young_person | guardian_1 | guardian_2
    agencies: Mapped[list[str]] = mapped_column(JSON)
    legal_basis: Mapped[Optional[str]] = mapped_column(String(40), nullable=True)
    date: Mapped[dt.date] = mapped_column(Date)
    expires: Mapped[Optional[dt.date]] = mapped_column(Date, nullable=True)
    note: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
    subject: Mapped[Subject] = relationship(back_populates="consents")


class _Assessed:
    """The instrument version (with its content's hash) and the date an assessment or draft is for."""

    instrument_id: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[str] = mapped_column(String(40))
    instrument_sha256: Mapped[str] = mapped_column(String(64))
    assessment_date: Mapped[dt.date] = mapped_column(Date)

    @property
    def instrument_ref(self) -> str:
        return f"{self.instrument_id}@{self.instrument_version}"


class Assessment(_Assessed, Base):
    """A finalised assessment: the answers, the engine's result and the instrument's hash. Never
    changed; a correction is a new assessment that names the one it corrects."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    total: Mapped[float] = mapped_column()
    band: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    final_band: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    corrects_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True)
    age_override: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    subject: Mapped[Subject] = relationship(back_populates="assessments")


class Decision(Base):
    """A person's decision whether the young person is selected for a SIG, with its reason and
    the assessment it rests on (GDPR art. 22: the tool supports, a person decides)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"),
                                                         nullable=True)
    selected: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    agencies: Mapped[list[str]] = mapped_column(JSON)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    subject: Mapped[Subject] = relationship(back_populates="decisions")


class Draft(_Assessed, Base):
    """An assessment being entered: saved after every answer, tied to the instrument's hash, and
    written only with the version it was read at (a stale write is refused, never merged)."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)


class FollowUp(Base):
    """What happened after the assessment: a new offence, an intervention completed, school or work
    started, or the case closed (with a reason from a declared list)."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[Optional[str]] = mapped_column(String(40), nullable=True)
    note: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class Plan(Base):
    """An individual action plan (individuell åtgärdsplan) drawn from one assessment: a draft
    while it is edited, then committed on the date the young person, the guardians and the
    agencies agreed it. The young person's own goals are part of it."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"),
                                                         nullable=True)
    state: Mapped[str] = mapped_column(String(20))  # draft | committed
    goals: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    drafted_on: Mapped[dt.date] = mapped_column(Date)
    committed_on: Mapped[Optional[dt.date]] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    commitments: Mapped[list["Commitment"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                           passive_deletes=True, order_by="Commitment.id")
    assessment: Mapped[Optional[Assessment]] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Commitment(Base):
    """What one agency commits to in a plan: who (a contact role), what is done, the goal in plain
    words, when it starts and is followed up, and its state (proposed, agreed, started, done,
    not_done with a reason, withdrawn). Every change of state is a :class:`CommitmentEvent`."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    need: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)  # the item id of the need it answers
    agency: Mapped[str] = mapped_column(String(40))
    contact_role: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)
    action: Mapped[str] = mapped_column(Text)
    goal: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    follow_up_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    plan: Mapped[Plan] = relationship(back_populates="commitments")
    events: Mapped[list["CommitmentEvent"]] = relationship(back_populates="commitment", cascade="all, delete-orphan",
                                                           passive_deletes=True, order_by="CommitmentEvent.id")

    __mapper_args__ = {"version_id_col": version}


class CommitmentEvent(Base):
    """A dated change of a commitment's state, or a follow-up of what happened against its goal
    (never updated)."""

    __tablename__ = "commitment_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # state | follow_up
    state: Mapped[str] = mapped_column(String(20))  # the state after the event
    date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    outcome: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    commitment: Mapped[Commitment] = relationship(back_populates="events")


class AuditEntry(Base):
    """Who did what, when, to which records; each entry carries the hash of the one before."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[Optional[str]] = mapped_column(String(40), nullable=True, index=True)
    records: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The last entry of the chain: one row, updated by every append, so appends queue up."""

    __tablename__ = "audit_head"
    __table_args__ = (UniqueConstraint("id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
