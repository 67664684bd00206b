"""The synthetic cohort: the rows have the shapes the real API writes, the results are the
engine's own, the commitments move only as the plan allows, and no personnummer is stored."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa

from riskmanual import load_instrument, score
from riskmanual.case.audit import verify
from riskmanual.case.consent import REPORTING, ConsentFact, consent_state
from riskmanual.case.demo_data import fill_store, identities
from riskmanual.case.models import (Assessment, AuditEntry, Commitment, CommitmentEvent, ConsentEvent, Decision,
                                    FollowUp, Plan, Subject)
from riskmanual.case.plan import FINAL_STATES, TRANSITIONS
from riskmanual.case.store import Store, open_store
from riskmanual.case.subjects import add_subject
from riskmanual.errors import StoreError
from riskmanual.privacy import looks_like_personnummer

from ..identities import synthetic

TODAY = dt.date(2026, 12, 3)
START = dt.date(2024, 12, 1)
N = 60


def _open(folder: Path) -> Store:
    return open_store(str(folder / "cases.sqlite"), key_path=folder / "pseudonym.key", actor="test-analyst")


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo")
    store = _open(folder)
    summary = fill_store(store, young_people=N, seed=7, start=START, months=24, today=TODAY)
    yield store, summary, folder
    store.close()


def _all(store: Store, model: type) -> list:
    with store.transaction() as session:
        return list(session.execute(sa.select(model).order_by(model.id)).scalars())


def test_summary_counts_what_is_in_the_store(filled) -> None:
    store, summary, _ = filled
    assert summary["young_people"] == N == len(_all(store, Subject))
    for key, model in (("assessments", Assessment), ("decisions", Decision), ("plans", Plan),
                       ("commitments", Commitment), ("commitment_events", CommitmentEvent),
                       ("follow_ups", FollowUp), ("consent_events", ConsentEvent)):
        assert summary[key] == len(_all(store, model)) > 0, key
    assert 0 < summary["selected"] < N


def test_every_stored_result_is_the_engines_own(filled) -> None:
    store, _, _ = filled
    births = {s.id: s.birth_date for s in _all(store, Subject)}
    instruments: dict[str, object] = {}
    bands = set()
    for row in _all(store, Assessment):
        instrument = instruments.setdefault(row.instrument_ref, load_instrument(row.instrument_ref))
        again = score(instrument, row.answers, lang="sv", today=TODAY)
        assert row.answers["birth_date"] == births[row.subject_id].isoformat()
        assert (again.total, again.status) == (row.total, row.status)
        assert row.result == again.model_dump(mode="json")
        assert row.band == (again.band.id if again.band else None)
        assert row.instrument_sha256 == again.instrument.sha256
        assert START <= row.assessment_date <= TODAY
        assert 15 <= again.age <= 25
        bands.add(row.final_band)
    assert {"low", "moderate", "high", "very_high"} <= bands  # bands vary


def test_decisions_rest_on_complete_assessments_and_the_selected_have_a_plan(filled) -> None:
    store, _, _ = filled
    assessments = {a.id: a for a in _all(store, Assessment)}
    plans = defaultdict(list)
    for plan in _all(store, Plan):
        plans[plan.assessment_id].append(plan)
        assert plan.state in ("draft", "committed")
        assert (plan.committed_on is not None) == (plan.state == "committed")
        assert plan.committed_on is None or plan.drafted_on <= plan.committed_on <= TODAY
    selected = [d for d in _all(store, Decision) if d.selected]
    overrides = 0
    for decision in _all(store, Decision):
        basis = assessments[decision.assessment_id]
        assert basis.status == "complete" and basis.subject_id == decision.subject_id
        assert basis.assessment_date <= decision.decided_on <= TODAY and decision.reason.strip()
        overrides += decision.selected != bool(basis.result["target_group"]["met"])
    assert selected and all(plans[d.assessment_id] for d in selected if d.decided_on + dt.timedelta(days=7) < TODAY)
    assert overrides >= 1  # some decisions go against the rule, with a reason


def test_commitments_move_only_as_the_plan_allows(filled) -> None:
    store, _, _ = filled
    events = defaultdict(list)
    for event in _all(store, CommitmentEvent):
        events[event.commitment_id].append(event)
    plans = {p.id: p for p in _all(store, Plan)}
    seen = set()
    for commitment in _all(store, Commitment):
        history = events[commitment.id]
        states = [e for e in history if e.kind == "state"]
        assert states[0].state == "proposed" and states[0].date == commitment.start_date
        for before, after in zip(states, states[1:]):
            assert after.state in TRANSITIONS[before.state], (before.state, after.state)
        assert [e.date for e in history] == sorted(e.date for e in history)
        assert history[-1].state == commitment.state and all(e.date <= TODAY for e in history)
        if commitment.state in ("not_done", "withdrawn"):
            assert commitment.reason and commitment.reason.startswith("Syntetiskt exempel")
        if commitment.state in ("agreed", "started", "done", "not_done"):
            assert plans[commitment.plan_id].state == "committed"
        for e in history:
            if e.kind == "follow_up":
                assert e.state not in FINAL_STATES or e is history[-1]
                assert e.outcome.startswith("Syntetiskt exempel")
        seen.add(commitment.state)
    assert {"done", "not_done", "withdrawn", "agreed"} & seen >= {"done", "not_done", "withdrawn"}


def test_outcomes_follow_the_first_assessment_and_consent_varies(filled) -> None:
    store, _, _ = filled
    first = {}
    for a in _all(store, Assessment):
        first.setdefault(a.subject_id, a.assessment_date)
    kinds = set()
    for f in _all(store, FollowUp):
        assert first[f.subject_id] < f.date <= TODAY or f.kind == "closure"
        assert f.date <= TODAY and (f.reason is not None) == (f.kind == "closure")
        kinds.add(f.kind)
    assert {"new_offence", "school_or_work_started", "closure"} <= kinds
    facts = defaultdict(list)
    for e in _all(store, ConsentEvent):
        facts[e.subject_id].append(ConsentFact(e.kind, e.signatory, tuple(e.agencies), e.date, e.expires, e.id))
    subjects = _all(store, Subject)
    reporting = [consent_state(facts[s.id], s.birth_date, s.guardians, TODAY).allows(REPORTING) for s in subjects]
    assert 0 < sum(reporting) < len(subjects)
    minors = [s for s in subjects if s.guardians]
    assert minors and all(any(f.signatory == "guardian_1" for f in facts[s.id]) for s in minors)
    assert any(f.kind == "withdraw" for subject in facts.values() for f in subject)


def test_no_personnummer_in_the_database_file(filled) -> None:
    store, _, folder = filled
    store.engine.dispose()
    data = b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith("cases.sqlite"))
    text = data.decode("latin-1")
    numbers = [who.number for who, _ in identities(7, N, START, 24, TODAY)]
    assert len(set(numbers)) == N
    for number in numbers:
        digits = number.replace("-", "")
        for spelling in (number, digits, digits[2:], number[2:]):
            assert spelling not in text
    assert not re.search(r"(?<!\d)(?:19|20)?\d{6}[-+]\d{4}(?!\d)", text)
    assert all(looks_like_personnummer(n) for n in numbers)  # the check would have seen them


def test_one_audit_entry_for_the_fill(filled) -> None:
    store, summary, _ = filled
    entries = [e for e in _all_audit(store) if e.action == "demo_data.fill"]
    assert len(entries) == 1 and entries[0].records["assessments"] == summary["assessments"]
    with store.transaction() as session:
        assert verify(session).ok


def _all_audit(store: Store) -> list:
    with store.transaction() as session:
        return list(session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars())


def test_the_same_seed_gives_the_same_cohort(tmp_path: Path, filled) -> None:
    _, summary, folder = filled
    again = _open(tmp_path)
    try:
        assert fill_store(again, young_people=N, seed=7, start=START, months=24, today=TODAY) == summary
        totals = sorted((a.assessment_date, a.total) for a in _all(again, Assessment))
    finally:
        again.close()
    first = _open(folder)
    try:
        assert totals == sorted((a.assessment_date, a.total) for a in _all(first, Assessment))
    finally:
        first.close()
    (tmp_path / "x").mkdir()
    other = _open(tmp_path / "x")
    try:
        assert fill_store(other, young_people=N, seed=8, start=START, months=24, today=TODAY) != summary
    finally:
        other.close()


def test_a_store_with_subjects_is_refused_unless_forced(tmp_path: Path) -> None:
    store = _open(tmp_path)
    try:
        add_subject(store, synthetic(dt.date(2008, 3, 9), 412), guardians=1, today=TODAY)
        with pytest.raises(StoreError, match="already has 1 young people"):
            fill_store(store, young_people=5, seed=1, today=TODAY)
        assert len(_all(store, Subject)) == 1 and not _all(store, Assessment)
        summary = fill_store(store, young_people=5, seed=1, today=TODAY, force=True)
        assert len(_all(store, Subject)) == 6 == 1 + summary["young_people"]
        # the same made-up people are not added twice
        assert fill_store(store, young_people=5, seed=1, today=TODAY, force=True)["young_people"] == 0
    finally:
        store.close()


@pytest.mark.parametrize("kwargs, message", [
    ({"young_people": 0}, "1 to 1000000"),
    ({"months": 0}, "1 to 120"),
    ({"start": dt.date(2027, 1, 1)}, "in the future"),
])
def test_bad_arguments_are_refused(tmp_path: Path, kwargs: dict, message: str) -> None:
    store = _open(tmp_path)
    try:
        with pytest.raises(StoreError, match=message):
            fill_store(store, today=TODAY, **kwargs)
        assert not _all(store, Subject)
    finally:
        store.close()


def test_the_store_works_as_usual_after_a_fill(store: Store) -> None:
    """On each database: the ids given in bulk do not collide with those the store gives next."""
    summary = fill_store(store, young_people=12, seed=3, today=TODAY)
    view = add_subject(store, synthetic(dt.date(2008, 3, 9), 412), guardians=1, today=TODAY)
    subjects = _all(store, Subject)
    assert len(subjects) == summary["young_people"] + 1 and subjects[-1].pseudonym == view.pseudonym
