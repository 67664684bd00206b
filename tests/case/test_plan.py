"""The action plan: drafted from an assessment's needs, gated by consent, committed, followed up."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from riskmanual import load_instrument
from riskmanual.case import plan as plans
from riskmanual.case.assessments import save_assessment
from riskmanual.case.audit import verify
from riskmanual.case.followup import tasks
from riskmanual.case.models import AuditEntry, Commitment, CommitmentEvent, Plan
from riskmanual.case.store import Store
from riskmanual.case.subjects import add_subject, erase_subject, record_consent
from riskmanual.errors import ConsentError, StoreError

from ..conftest import ROOT
from ..identities import synthetic

TODAY = dt.date(2026, 12, 2)
CONSENTED = ["social_services", "school", "reporting"]


def example(date: str = "2026-11-30", **answers: object) -> dict:
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    document["assessment_date"] = date
    del document["birth_date"]  # the subject's birth date is used
    document["answers"].update(answers)
    return document


@pytest.fixture
def case(store: Store) -> tuple[str, int]:
    """A 17-year-old with one guardian; both consent to social services and school (not police)."""
    alias = add_subject(store, synthetic(dt.date(2009, 6, 14), 982), guardians=1, today=TODAY).pseudonym
    for signatory in ("young_person", "guardian_1"):
        record_consent(store, alias, kind="record", signatory=signatory, agencies=CONSENTED,
                       date=dt.date(2026, 11, 20), today=TODAY)
    assessment, _ = save_assessment(store, alias, load_instrument("sig-assessment@2.0.0"), example(), today=TODAY)
    return alias, assessment


def test_a_draft_offers_the_needs_interventions_where_consent_allows(store: Store, case: tuple[str, int]) -> None:
    alias, assessment = case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    stored = save_result(store, assessment)
    expected = [(need["item"], i["agency"], i["label"]) for need in stored["needs"] for i in need["interventions"]
                if i["agency"] in CONSENTED]
    assert [(c.need, c.agency, c.action) for c in draft.commitments] == expected
    assert expected and all(c.state == "proposed" for c in draft.commitments)
    # the police's interventions are left out: the guardian has not consented to sharing with the police
    police = [i for need in stored["needs"] for i in need["interventions"] if i["agency"] == "police"]
    assert police and not any(c.agency == "police" for c in draft.commitments)
    assert draft.goals and draft.goals.startswith("Syntetiskt exempel: vill gå klart gymnasieskolan")
    assert all(c.follow_up_date == dt.date(2027, 3, 2) for c in draft.commitments)
    assert draft.need_labels["attendance"] == "Frånvaro från skola, arbete eller sysselsättning"


def save_result(store: Store, assessment: int) -> dict:
    from riskmanual.case.models import Assessment

    with store.transaction() as session:
        row = session.get(Assessment, assessment)
        assert row is not None
        return dict(row.result)


def test_commit_agrees_the_proposed_commitments_and_follow_ups_fall_due(store: Store, case: tuple[str, int]) -> None:
    alias, assessment = case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    first, second, *rest = [c.id for c in draft.commitments]
    plans.drop_commitment(store, rest[0])
    plans.edit_commitment(store, first, contact_role="Socialsekreterare", goal="Träffa mentorn varannan vecka",
                          follow_up_date=dt.date(2026, 12, 20))
    committed = plans.commit_plan(store, draft.id, on=TODAY, today=TODAY)
    assert committed.state == "committed" and committed.committed_on == TODAY
    assert {c.state for c in committed.commitments} == {"agreed"}
    assert rest[0] not in {c.id for c in committed.commitments}
    due = [t for t in tasks(store, today=TODAY, within_days=30) if t.kind == "commitment_follow_up"]
    assert [(t.due, t.detail) for t in due] == [(dt.date(2026, 12, 20), f"#{first} social_services")]
    later = dt.date(2026, 12, 28)
    assert [t for t in tasks(store, today=later, within_days=0) if t.kind == "commitment_follow_up"][0].overdue(later)

    plans.set_state(store, first, "started", on=TODAY, today=TODAY)
    followed = plans.follow_up_commitment(store, first, outcome="Har träffat mentorn tre gånger", on=later, today=later)
    assert followed.state == "started" and followed.follow_up_date > later
    assert [e.kind for e in followed.events] == ["state", "state", "state", "follow_up"]
    assert not [t for t in tasks(store, today=later, within_days=0) if t.kind == "commitment_follow_up"]
    done = plans.follow_up_commitment(store, first, outcome="Målet nått", state="done", on=later, today=later)
    assert done.state == "done" and not done.open
    withdrawn = plans.set_state(store, second, "withdrawn", reason="Den unge vill hellre ha stöd från skolan",
                                on=later, today=later)
    assert withdrawn.reason == "Den unge vill hellre ha stöd från skolan"
    with store.transaction() as session:
        actions = list(session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())
        assert verify(session).ok
    assert {"plan.draft", "plan.commitment.drop", "plan.commitment.edit", "plan.commit", "plan.commitment.state",
            "plan.commitment.follow_up"} <= set(actions)


def test_an_agency_without_consent_gets_no_commitment(store: Store, case: tuple[str, int]) -> None:
    alias, assessment = case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    with pytest.raises(ConsentError) as caught:
        plans.add_commitment(store, draft.id, agency="police", action="Orossamtal med den unge")
    assert {i.render("sv").rsplit(": ", 1)[1] for i in caught.value.issues} == {
        "inget samtycke från den unge till informationsutbyte med polisen",
        "inget samtycke från vårdnadshavare 1 till informationsutbyte med polisen"}
    with pytest.raises(ConsentError):
        plans.edit_commitment(store, draft.commitments[0].id, agency="police")
    # a withdrawal after the draft stops the commit, and later the start of the commitment
    record_consent(store, alias, kind="withdraw", signatory="guardian_1", agencies=["school"],
                   date=TODAY, today=TODAY)
    with pytest.raises(ConsentError) as caught:
        plans.commit_plan(store, draft.id, on=TODAY, today=TODAY)
    assert "återkallat" in caught.value.issues[0].render("sv")
    with store.transaction() as session:  # nothing of the refused commit was written
        assert session.get(Plan, draft.id).state == "draft"  # type: ignore[union-attr]


def test_a_new_agency_is_checked_against_consent_on_the_given_day(store: Store, case: tuple[str, int]) -> None:
    """The consent check of an edit uses the caller's ``today``, not the machine's clock."""
    alias, assessment = case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    later = dt.date(2027, 3, 1)  # after the machine's clock, before the young person turns 18
    for signatory in ("young_person", "guardian_1"):
        record_consent(store, alias, kind="record", signatory=signatory, agencies=["police"], date=later, today=later)
    first = draft.commitments[0].id
    with pytest.raises(ConsentError):  # on the draft's day the police had no consent
        plans.edit_commitment(store, first, agency="police", today=TODAY)
    assert plans.edit_commitment(store, first, agency="police", today=later).agency == "police"


def test_a_withdrawal_after_the_commit_stops_the_start(store: Store, case: tuple[str, int]) -> None:
    alias, assessment = case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    plans.commit_plan(store, draft.id, on=TODAY, today=TODAY)
    school = next(c for c in draft.commitments if c.agency == "school")
    record_consent(store, alias, kind="withdraw", signatory="young_person", agencies=["school"], date=TODAY,
                   today=TODAY)
    with pytest.raises(ConsentError):
        plans.set_state(store, school.id, "started", on=TODAY, today=TODAY)
    # it can still be withdrawn, with the reason
    assert plans.set_state(store, school.id, "withdrawn", reason="Samtycket återkallat", on=TODAY,
                           today=TODAY).state == "withdrawn"


def test_bad_changes_are_refused_and_nothing_is_written(store: Store, case: tuple[str, int]) -> None:
    alias, assessment = case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    first = draft.commitments[0].id
    with pytest.raises(StoreError, match="is a draft"):
        plans.set_state(store, first, "agreed", on=TODAY, today=TODAY)
    plans.commit_plan(store, draft.id, on=TODAY, today=TODAY)
    with pytest.raises(StoreError, match="was committed"):
        plans.commit_plan(store, draft.id, on=TODAY, today=TODAY)
    with pytest.raises(StoreError, match="cannot go from"):
        plans.set_state(store, first, "done", on=TODAY, today=TODAY)
    with pytest.raises(StoreError, match="needs a reason"):
        plans.set_state(store, first, "not_done", on=TODAY, today=TODAY)
    with pytest.raises(StoreError, match="in the future"):
        plans.set_state(store, first, "started", on=TODAY + dt.timedelta(days=1), today=TODAY)
    with pytest.raises(StoreError, match="only a proposed commitment of a draft"):
        plans.drop_commitment(store, first)
    with pytest.raises(StoreError, match="unknown agency"):
        plans.add_commitment(store, draft.id, agency="mafia", action="x")
    with pytest.raises(StoreError, match="before the start"):
        plans.add_commitment(store, draft.id, agency="school", action="Läxhjälp", start=TODAY,
                             follow_up=TODAY - dt.timedelta(days=1))
    with pytest.raises(StoreError):  # a personnummer is never written into a plan
        plans.edit_commitment(store, first, goal=f"Gäller {synthetic(dt.date(2009, 6, 14), 982)}")
    with pytest.raises(StoreError):
        plans.edit_plan(store, draft.id, goals="Mål\x1b[31m med styrtecken")
    plans.set_state(store, first, "withdrawn", reason="Behövs inte", on=TODAY, today=TODAY)
    with pytest.raises(StoreError, match="final commitment is not followed up"):
        plans.follow_up_commitment(store, first, outcome="Något hände", on=TODAY, today=TODAY)
    with pytest.raises(StoreError, match="final commitment is not changed"):
        plans.edit_commitment(store, first, goal="Nytt mål")
    with pytest.raises(StoreError, match="no plan 999"):
        plans.plan_of(store, 999)
    with pytest.raises(StoreError, match="no commitment 999"):
        plans.set_state(store, 999, "agreed", today=TODAY)
    view = plans.plan_of(store, draft.id)
    assert next(c for c in view.commitments if c.id == first).goal is None


def test_an_incomplete_assessment_gives_no_plan(store: Store) -> None:
    alias = add_subject(store, synthetic(dt.date(2009, 2, 3), 211), guardians=1, today=TODAY).pseudonym
    document = example()
    for item in ("criminal_peers", "network_pressure", "exploited_by_older", "victimisation"):
        document["answers"][item] = "unknown"
    assessment, result = save_assessment(store, alias, load_instrument("sig-assessment@2.0.0"), document, today=TODAY)
    assert result.status == "incomplete"
    with pytest.raises(StoreError, match="incomplete"):
        plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    with pytest.raises(StoreError, match="no assessment 999"):
        plans.draft_plan(store, 999, today=TODAY)


def test_erasing_the_subject_removes_the_plan(store: Store, case: tuple[str, int]) -> None:
    alias, assessment = case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    plans.commit_plan(store, draft.id, on=TODAY, today=TODAY)
    erase_subject(store, alias, reason="Begäran om radering")
    with store.transaction() as session:
        for table in (Plan, Commitment, CommitmentEvent):
            assert session.execute(select(func.count()).select_from(table)).scalar_one() == 0


_MOVES = st.lists(st.sampled_from(sorted(plans.STATES)), max_size=6)


@pytest.fixture
def sqlite_case(tmp_path) -> tuple[Store, int]:
    """One SQLite store with a consented 17-year-old and a complete assessment, for many examples."""
    from riskmanual.case.store import open_store

    store = open_store(str(tmp_path / "cases.sqlite"), key_path=tmp_path / "pseudonym.key", actor="test-assessor")
    alias = add_subject(store, synthetic(dt.date(2009, 6, 14), 982), guardians=1, today=TODAY).pseudonym
    for signatory in ("young_person", "guardian_1"):
        record_consent(store, alias, kind="record", signatory=signatory, agencies=CONSENTED,
                       date=dt.date(2026, 11, 20), today=TODAY)
    assessment, _ = save_assessment(store, alias, load_instrument("sig-assessment@2.0.0"), example(), today=TODAY)
    yield store, assessment
    store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=_MOVES)
def test_only_the_declared_transitions_are_taken(sqlite_case: tuple[Store, int], moves: list[str]) -> None:
    """Whatever is asked, a commitment's events follow TRANSITIONS and its state is the last event's."""
    store, assessment = sqlite_case
    draft = plans.draft_plan(store, assessment, on=TODAY, today=TODAY)
    plans.commit_plan(store, draft.id, on=TODAY, today=TODAY)
    target = draft.commitments[0].id
    for move in moves:
        try:
            plans.set_state(store, target, move, reason="Skäl", on=TODAY, today=TODAY)
        except StoreError:
            pass
    view = next(c for c in plans.plan_of(store, draft.id, audit=False).commitments if c.id == target)
    states = [e.state for e in view.events]
    assert states[:2] == ["proposed", "agreed"] and view.state == states[-1]
    for before, after in zip(states, states[1:]):
        assert after == before or after in plans.TRANSITIONS[before]
