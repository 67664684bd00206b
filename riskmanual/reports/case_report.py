"""The case report's data: everything the report shows about one assessment, read from the store
into plain frozen objects (rendering is :mod:`riskmanual.reports.render`'s).

The young person appears by pseudonym and age in whole years, never by personnummer or birth
date. Reading the report is one audited read (``report.render``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError
from ..messages import tr
from ..result import Contribution, CriticalAnswer, ItemRef, Result

__all__ = ["CaseReport", "ChangeSummary", "ConsentRow", "ConsentSnapshot", "gather"]


@dataclass(frozen=True)
class ConsentRow:
    """One agency's (or reporting's) consent on a day: ``status`` is valid, withdrawn, expired or missing."""

    agency: str
    status: str
    missing: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentSnapshot:
    on: dt.date
    required: tuple[str, ...]
    rows: tuple[ConsentRow, ...]
    any_recorded: bool

    @property
    def withdrawals(self) -> list[tuple[str, str]]:
        """(signatory, agency) for every withdrawal that stands on this day."""
        return [(who, row.agency) for row in self.rows for who in row.withdrawn]


@dataclass(frozen=True)
class ChangeSummary:
    """The previous assessment with the same instrument and what moved since (``delta``: up is more risk)."""

    previous_id: int
    previous_date: dt.date
    previous_total: float
    previous_band: str | None
    version_changed: bool
    previous_version: str
    worse: tuple[Any, ...] = ()
    better: tuple[Any, ...] = ()
    domains: tuple[Any, ...] = ()


@dataclass(frozen=True)
class CaseReport:
    """What the case report shows, in ``lang``."""

    lang: str
    today: dt.date
    pseudonym: str
    age: int | None
    assessment_id: int
    assessment_date: dt.date
    assessor: str
    status: str
    instrument_title: str
    instrument_ref: str
    instrument_version: str
    instrument_sha256: str
    corrects: int | None
    age_override: str | None
    result: Result
    #: instrument labels are in the stored result's language when the report's could not be had
    labels_in: str
    calibrated: bool | None
    explanation: str
    critical: tuple[CriticalAnswer, ...]
    main: tuple[Contribution, ...]
    estimated: tuple[Contribution, ...]
    protective: tuple[Contribution, ...]
    missing: tuple[ItemRef, ...]
    unknown: tuple[ItemRef, ...]
    not_applicable: tuple[ItemRef, ...]
    consent_then: ConsentSnapshot
    consent_now: ConsentSnapshot
    plans: tuple[Any, ...] = ()
    change: ChangeSummary | None = None
    need_labels: dict[str, str] = field(default_factory=dict)

    @property
    def band(self) -> str | None:
        """The band that stands (the assessor's when there is a judgement), in words."""
        final = self.result.final_band or self.result.band
        return final.label if final else None

    @property
    def withdrawals(self) -> list[tuple[str, str]]:
        """Withdrawals that stand today, then those that stood on the assessment date only."""
        now = self.consent_now.withdrawals
        return now + [w for w in self.consent_then.withdrawals if w not in now]


def _snapshot(facts: list[Any], birth_date: dt.date, guardians: int, on: dt.date) -> ConsentSnapshot:
    from ..case.consent import SCOPES, consent_state

    state = consent_state(facts, birth_date, guardians, on)
    rows = []
    for scope in SCOPES:
        entry = state.agencies[scope]
        status = "valid" if entry.valid else "withdrawn" if entry.withdrawn else "expired" if entry.expired \
            else "missing"
        rows.append(ConsentRow(scope, status, entry.missing, entry.withdrawn, entry.expired))
    return ConsentSnapshot(on, state.required, tuple(rows), any(f.date <= on for f in facts))


def _in_language(row: Any, lang: str) -> tuple[Result, str, Any]:
    """The stored result with the instrument's labels in ``lang``: scored again from the stored
    answers with the very same instrument (its hash checked) and used only when total, status and
    bands come out the same; otherwise the stored result as it is. Returns (result, the labels'
    language, the instrument or None)."""
    from ..errors import RiskmanualError
    from ..registry import load_instrument
    from ..scoring import score

    stored = Result.model_validate(row.result)
    try:
        instrument = load_instrument(row.instrument_ref)
    except RiskmanualError:
        return stored, stored.lang, None
    if stored.instrument.sha256 != row.instrument_sha256 or stored.lang == lang or lang not in instrument.languages:
        return stored, stored.lang, instrument
    try:
        again = score(instrument, row.answers, lang=lang, today=row.assessment_date)
    except RiskmanualError:
        return stored, stored.lang, instrument

    def band_id(result: Result, name: str) -> str | None:
        band = getattr(result, name)
        return band.id if band else None

    same = (again.instrument.sha256 == row.instrument_sha256 and again.total == stored.total
            and again.status == stored.status
            and all(band_id(again, name) == band_id(stored, name) for name in ("band", "final_band")))
    return (again, lang, instrument) if same else (stored, stored.lang, instrument)


def gather(store: Any, assessment_id: int, *, lang: str = "sv", fmt: str = "html",
           today: dt.date | None = None) -> CaseReport:
    """The report of assessment ``assessment_id`` in ``lang``; one audited read of the case."""
    from sqlalchemy import select

    from ..case.assessments import compare_results
    from ..case.audit import append
    from ..case.consent import ConsentFact, age_on
    from ..case.models import Assessment, Subject
    from ..case.plan import plans_of
    from ..explanation import explain

    today = today or dt.date.today()
    with store.transaction() as session:
        row = session.get(Assessment, assessment_id)
        if row is None:
            raise StoreError(tr("there is no assessment {id} in the store", id=assessment_id))
        subject = session.get(Subject, row.subject_id)
        assert subject is not None
        facts = [ConsentFact(e.kind, e.signatory, tuple(e.agencies), e.date, e.expires, e.id) for e in subject.consents]
        earlier = session.execute(
            select(Assessment).where(Assessment.subject_id == subject.id, Assessment.instrument_id == row.instrument_id)
            .order_by(Assessment.assessment_date, Assessment.id)).scalars().all()
        before = [a for a in earlier if (a.assessment_date, a.id) < (row.assessment_date, row.id)]
        previous = before[-1] if before else None
        birth_date, guardians, alias = subject.birth_date, subject.guardians, subject.pseudonym
        append(session, actor=store.actor, action="report.render", subject=alias,
               records={"assessment": row.id, "format": fmt}, at=store.now())
    plans = plans_of(store, alias, assessment=row.id, audit=False)

    result, labels_in, instrument = _in_language(row, lang)
    calibrated = None if instrument is None or instrument.calibration is None \
        else instrument.calibration.status == "calibrated"
    change = None
    if previous is not None:
        old, _, _ = _in_language(previous, labels_in)
        labels = {f"item:{c.item}": c.label for c in old.contributions}
        labels.update({f"domain:{d.id}": d.label for d in old.domains})
        labels.update({f"item:{c.item}": c.label for c in result.contributions})
        labels.update({f"domain:{d.id}": d.label for d in result.domains})
        worse, better, domains = compare_results(old.model_dump(mode="json"), result.model_dump(mode="json"), labels)
        old_band = old.final_band or old.band
        change = ChangeSummary(previous.id, previous.assessment_date, previous.total,
                               old_band.label if old_band else None,
                               previous.instrument_version != row.instrument_version, previous.instrument_version,
                               tuple(worse), tuple(better), tuple(domains))
    need_labels = {c.item: c.label for c in result.contributions}
    need_labels.update({n.item: n.label for n in result.needs})
    return CaseReport(
        lang=lang, today=today, pseudonym=alias, age=age_on(birth_date, row.assessment_date),
        assessment_id=row.id, assessment_date=row.assessment_date, assessor=row.created_by, status=row.status,
        instrument_title=result.instrument.title, instrument_ref=row.instrument_ref,
        instrument_version=row.instrument_version, instrument_sha256=row.instrument_sha256,
        corrects=row.corrects_id, age_override=row.age_override, result=result, labels_in=labels_in,
        calibrated=calibrated, explanation=explain(result, calibrated=calibrated, show_all=True),
        critical=tuple(result.critical),
        main=tuple(c for c in result.contributions if c.kind == "risk" and c.points > 0 and not c.imputed),
        estimated=tuple(c for c in result.contributions if c.imputed),
        protective=tuple(result.protective_factors),
        missing=tuple(result.missing), unknown=tuple(result.unknown), not_applicable=tuple(result.not_applicable),
        consent_then=_snapshot(facts, birth_date, guardians, row.assessment_date),
        consent_now=_snapshot(facts, birth_date, guardians, today),
        plans=tuple(plans), change=change, need_labels=need_labels,
    )
