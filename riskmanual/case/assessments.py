"""Assessments in the case store: saved once and never changed, compared over time, and the
selection decision that rests on them. Scoring itself is the pure core's (:func:`riskmanual.score`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..errors import ConsentError, Issue, StoreError
from ..instrument import Instrument
from ..messages import tr
from ..result import Result
from ..scoring import score
from .audit import append
from .consent import ConsentFact, consent_state, lacking
from .models import Assessment, Decision
from .store import Store
from .subjects import _subject, check_text

__all__ = ["Change", "HistoryEntry", "check_age", "compare_results", "decide", "history", "save_assessment",
           "starting_answers"]


def save_assessment(store: Store, alias: str, instrument: Instrument, document: dict[str, Any], *,
                    lang: str = "sv", force_reason: str | None = None, corrects: int | None = None,
                    file: str | None = None, locate: Any = None, today: dt.date | None = None) -> tuple[int, Result]:
    """Score ``document`` for the subject and store answers and result together; return the new id.

    The birth date comes from the subject (an answers file that gives another one is refused),
    and an age outside the instrument's population is refused unless ``force_reason`` says why.
    """
    check_text(force_reason, "force")
    with store.transaction() as session:
        subject = _subject(session, alias)
        given = document.get("birth_date")
        if given not in (None, "") and str(given) != subject.birth_date.isoformat():
            raise StoreError(tr("the answers give another birth date than the subject's; leave birth_date out"),
                             [Issue(tr("the answers give another birth date than the subject's; leave birth_date out"),
                                    path=("birth_date",), file=file)])
        document = {**document, "birth_date": subject.birth_date.isoformat()}
        result = score(instrument, document, lang=lang, file=file, locate=locate, today=today)
        population = instrument.population.age if instrument.population else None
        check_age(instrument, result.age, force_reason)
        if corrects is not None:
            earlier = session.get(Assessment, corrects)
            if earlier is None or earlier.subject_id != subject.id:
                raise StoreError(tr("assessment {id} is not one of this subject's", id=corrects))
        row = Assessment(subject=subject, instrument_id=instrument.id, instrument_version=instrument.version,
                         instrument_sha256=result.instrument.sha256,
                         assessment_date=dt.date.fromisoformat(str(result.assessment_date)),
                         status=result.status, total=result.total, band=result.band.id if result.band else None,
                         final_band=result.final_band.id if result.final_band else None,
                         answers=document, result=result.model_dump(mode="json"), corrects_id=corrects,
                         age_override=force_reason if population is not None and result.age is not None
                         and not population.min <= result.age <= population.max else None,
                         created_at=store.now(), created_by=store.actor)
        session.add(row)
        session.flush()
        append(session, actor=store.actor, action="assessment.save", subject=alias,
               records={"assessment": row.id, "instrument": instrument.ref, "corrects": corrects,
                        "age_override": row.age_override is not None}, at=store.now())
        return row.id, result


def check_age(instrument: Instrument, age: int | None, force_reason: str | None) -> None:
    """Refuse an age outside the instrument's population unless a reason is given."""
    population = instrument.population.age if instrument.population else None
    if population is None or age is None or population.min <= age <= population.max or force_reason:
        return
    raise StoreError(tr("the young person is {age} years old on the assessment date, outside {min}–{max} years that "
                        "{ref} is made for; give --force with a reason to save it anyway", age=age,
                        min=population.min, max=population.max, ref=instrument.ref))


@dataclass(frozen=True)
class Change:
    """One item or domain whose points moved since the previous assessment (signed: up is worse)."""

    id: str
    label: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 6)


@dataclass
class HistoryEntry:
    id: int
    date: dt.date
    instrument: str
    total: float
    band: str | None
    final_band: str | None
    status: str
    corrects: int | None
    version_changed: bool = False
    worse: list[Change] = field(default_factory=list)
    better: list[Change] = field(default_factory=list)
    domains: list[Change] = field(default_factory=list)


_LABELS: dict[tuple[str, str, str, int], dict[str, str]] = {}


def _labels(ref: str, lang: str, cache: dict[str, dict[str, str]]) -> dict[str, str]:
    """Item, domain and band labels of ``ref`` in ``lang`` ({} when the instrument is not found);
    kept for the process while the instrument's file is unchanged (loading one takes ~0.1 s)."""
    if ref not in cache:
        from ..errors import RiskmanualError
        from ..registry import find_instrument, read_instrument
        from ..text import localize

        try:
            path = find_instrument(ref)
            key = (ref, lang, str(path), path.stat().st_mtime_ns)
            if key not in _LABELS:
                instrument = read_instrument(path)
                labels = {f"item:{i.id}": localize(i.label, lang) for i in instrument.items}
                labels.update({f"domain:{d.id}": localize(d.label, lang) for d, _ in instrument.walk_domains()})
                labels.update({f"band:{b.id}": localize(b.label, lang) for b in instrument.bands})
                _LABELS[key] = labels
            cache[ref] = _LABELS[key]
        except (RiskmanualError, OSError):
            cache[ref] = {}
    return cache[ref]


def history(store: Store, alias: str, *, lang: str = "sv") -> list[HistoryEntry]:
    """Every assessment of the subject, oldest first, each compared with the previous one of the
    same instrument id (items and domains by id; a version change is flagged), with labels in
    ``lang``. Reading is audited."""
    with store.transaction() as session:
        subject = _subject(session, alias)
        rows = session.execute(select(Assessment).where(Assessment.subject_id == subject.id)
                               .order_by(Assessment.assessment_date, Assessment.id)).scalars().all()
        append(session, actor=store.actor, action="history.show", subject=alias,
               records={"assessments": [row.id for row in rows]}, at=store.now())
    entries: list[HistoryEntry] = []
    previous: dict[str, Assessment] = {}
    cache: dict[str, dict[str, str]] = {}
    for row in rows:
        result = row.result
        ref = row.instrument_ref
        labels = _labels(ref, lang, cache)

        def band(key: str) -> str | None:
            value = result.get(key)
            return labels.get(f"band:{value['id']}", value.get("label")) if value else None

        entry = HistoryEntry(row.id, row.assessment_date, ref, row.total, band("band"), band("final_band"),
                             row.status, row.corrects_id)
        before = previous.get(row.instrument_id)
        if before is not None:
            entry.version_changed = before.instrument_version != row.instrument_version
            entry.worse, entry.better, entry.domains = compare_results(before.result, result, labels)
        previous[row.instrument_id] = row
        entries.append(entry)
    return entries


def decide(store: Store, alias: str, *, selected: bool, reason: str, agencies: Sequence[str],
           on: dt.date | None = None, assessment: int | None = None, consent_override: str | None = None) -> int:
    """Record a person's selection decision; selecting requires valid consent for every agency
    involved (or an override with its reason, which the audit log records)."""
    on = on or dt.date.today()
    if not reason.strip():
        raise StoreError(tr("a decision needs a written reason"))
    check_text(reason, "reason")
    check_text(consent_override, "consent_override")
    with store.transaction() as session:
        subject = _subject(session, alias)
        rows = [a for a in subject.assessments if a.status == "complete"]
        chosen = next((a for a in rows if a.id == assessment), None) if assessment is not None else \
            (max(rows, key=lambda a: (a.assessment_date, a.id)) if rows else None)
        if chosen is None:
            raise StoreError(tr("no complete assessment to base the decision on: save one with 'riskmanual assess'")
                             if assessment is None else tr("assessment {id} is not a complete assessment of this "
                                                           "subject", id=assessment))
        if selected:
            facts = [ConsentFact(e.kind, e.signatory, tuple(e.agencies), e.date, e.expires, e.id)
                     for e in subject.consents]
            missing = lacking(consent_state(facts, subject.birth_date, subject.guardians, on), list(agencies))
            if missing and not consent_override:
                raise ConsentError(tr("the young person cannot be selected: consent is missing for the agencies "
                                      "involved (or give --consent-override with a reason)"), missing)
        row = Decision(subject=subject, assessment_id=chosen.id, selected=selected, reason=reason,
                       agencies=list(agencies), decided_on=on, created_at=store.now(), created_by=store.actor)
        session.add(row)
        session.flush()
        append(session, actor=store.actor, action="decision.record", subject=alias,
               records={"decision": row.id, "assessment": chosen.id, "selected": selected,
                        "consent_override": consent_override}, at=store.now())
        return row.id



def starting_answers(store: Store, alias: str, instrument: Instrument) -> tuple[str, dt.date, dict[str, Any]] | None:
    """The answers the subject's latest complete assessment with another instrument gives this one
    (``carry_over`` mappings, then items with the same id): its ref, its date and the answers."""
    from .carry import carried_answers

    with store.transaction() as session:
        subject = _subject(session, alias)
        rows = [a for a in subject.assessments if a.instrument_id != instrument.id and a.status == "complete"]
        if not rows:
            return None
        latest = max(rows, key=lambda a: (a.assessment_date, a.id))
        answers = carried_answers(instrument, latest.instrument_id, dict(latest.answers.get("answers", {})))
        append(session, actor=store.actor, action="assessment.carry", subject=alias,
               records={"from_assessment": latest.id, "items": sorted(answers)}, at=store.now())
    if not answers:
        return None
    return latest.instrument_ref, latest.assessment_date, answers


def compare_results(before: dict[str, Any], after: dict[str, Any],
                    labels: dict[str, str] | None = None) -> tuple[list[Change], list[Change], list[Change]]:
    """What moved between two stored results, as :func:`history` compares them: the answered items
    that got more points (worse) or fewer (better), and the domains whose subtotal moved. A change
    in an estimate is neither. ``labels`` (``item:ID``, ``domain:ID``) name them; pure."""
    labels = labels or {}
    worse: list[Change] = []
    better: list[Change] = []
    old = {c["item"]: c for c in before.get("contributions", []) if not c.get("imputed")}
    for c in after.get("contributions", []):
        if c["item"] in old and not c.get("imputed") and old[c["item"]]["points"] != c["points"]:
            change = Change(c["item"], labels.get(f"item:{c['item']}", c["label"]), old[c["item"]]["points"],
                            c["points"])
            (worse if change.delta > 0 else better).append(change)
    old_domains = {d["id"]: d for d in before.get("domains", [])}
    domains = [Change(d["id"], labels.get(f"domain:{d['id']}", d["label"]), old_domains[d["id"]]["subtotal"],
                      d["subtotal"])
               for d in after.get("domains", [])
               if d["id"] in old_domains and old_domains[d["id"]]["subtotal"] != d["subtotal"]]
    return worse, better, domains
