"""Assessments in the store: saved once, corrected by a new one, compared over time; the decision."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from riskmanual import load_instrument
from riskmanual.case.assessments import decide, history, save_assessment
from riskmanual.case.audit import verify
from riskmanual.case.models import Assessment, AuditEntry, Decision
from riskmanual.case.store import Store
from riskmanual.case.subjects import add_subject, erase_subject, record_consent
from riskmanual.errors import AnswersError, ConsentError, StoreError

from ..conftest import ROOT
from ..identities import synthetic

BORN = dt.date(2009, 6, 14)  # the birth date of the synthetic example answers
V2 = load_instrument("sig-assessment@2.0.0")
V1 = load_instrument("sig-assessment@1.0.0")


def example(version: str = "2.0.0", **answers: Any) -> dict[str, Any]:
    name = "example-answers-2.0.0.json" if version == "2.0.0" else "example-answers.json"
    document = json.loads((ROOT / "instruments" / "sig-assessment" / name).read_text("utf-8"))
    document["answers"].update(answers)
    return document


@pytest.fixture
def alias(store: Store) -> str:
    return add_subject(store, synthetic(BORN, 982), guardians=1, today=dt.date(2026, 12, 2)).pseudonym


def test_an_assessment_is_saved_with_its_answers_result_and_instrument_hash(store: Store, alias: str) -> None:
    saved, result = save_assessment(store, alias, V2, example(), today=dt.date(2026, 12, 2))
    with store.transaction() as session:
        row = session.get(Assessment, saved)
        assert row.total == result.total == 24.12 and row.band == "high" and row.status == "complete"
        assert row.instrument_sha256 == result.instrument.sha256 and row.result["total"] == 24.12
        assert row.answers["answers"]["weapons"] == "yes"
        assert session.execute(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).scalars().first() == \
            "assessment.save"


def test_the_birth_date_is_the_subjects(store: Store, alias: str) -> None:
    document = example()
    del document["birth_date"]
    _, result = save_assessment(store, alias, V2, document, today=dt.date(2026, 12, 2))
    assert result.age == 17
    document["birth_date"] = "2008-01-01"
    with pytest.raises(StoreError, match="another birth date"):
        save_assessment(store, alias, V2, document, today=dt.date(2026, 12, 2))


def test_bad_answers_are_refused_and_nothing_is_saved(store: Store, alias: str) -> None:
    with pytest.raises(AnswersError):
        save_assessment(store, alias, V2, example(weapons="maybe"), today=dt.date(2026, 12, 2))
    with store.transaction() as session:
        assert session.execute(select(func.count()).select_from(Assessment)).scalar_one() == 0


def test_an_age_outside_the_population_needs_a_reason(store: Store) -> None:
    older = add_subject(store, synthetic(dt.date(2000, 1, 3), 983), guardians=0, today=dt.date(2026, 12, 2)).pseudonym
    document = example()
    del document["birth_date"]
    document["answers"].pop("parental_supervision")
    document["answers"]["housing_economy"] = "moderate"
    with pytest.raises(StoreError, match="26 years old on the assessment date, outside 15–25"):
        save_assessment(store, older, V2, document, today=dt.date(2026, 12, 2))
    saved, _ = save_assessment(store, older, V2, document, force_reason="Fortsatt insats efter 25 år",
                               today=dt.date(2026, 12, 2))
    with store.transaction() as session:
        assert session.get(Assessment, saved).age_override == "Fortsatt insats efter 25 år"


def test_a_correction_is_a_new_assessment_and_the_old_one_stays(store: Store, alias: str) -> None:
    first, _ = save_assessment(store, alias, V2, example(), today=dt.date(2026, 12, 2))
    second, _ = save_assessment(store, alias, V2, example(weapons="no"), corrects=first, today=dt.date(2026, 12, 2))
    with store.transaction() as session:
        assert session.get(Assessment, first).answers["answers"]["weapons"] == "yes"
        assert session.get(Assessment, second).corrects_id == first
    with pytest.raises(StoreError, match="not one of this subject's"):
        save_assessment(store, alias, V2, example(), corrects=999, today=dt.date(2026, 12, 2))


def test_history_says_what_improved_or_worsened_and_flags_a_version_change(store: Store, alias: str) -> None:
    save_assessment(store, alias, V1, example("1.0.0"), today=dt.date(2026, 12, 2))
    later = example(criminal_peers="moderate", attendance="moderate", neutralisation="high")
    save_assessment(store, alias, V2, later, today=dt.date(2026, 12, 2))
    first, second = history(store, alias, lang="sv")
    assert (first.instrument, second.instrument) == ("sig-assessment@1.0.0", "sig-assessment@2.0.0")
    assert second.version_changed and first.band == "Hög"
    better = {c.id: c.delta for c in second.better}
    worse = {c.id: c.delta for c in second.worse}
    assert better["criminal_peers"] == -1 and better["attendance"] == -1 and worse["neutralisation"] == 1
    assert "substance_use" not in better and "substance_use" not in worse  # an estimate before: no change claimed
    labels = {c.id: c.label for c in second.better}
    assert labels["attendance"] == "Frånvaro från skola, arbete eller sysselsättning"  # the reader's language, 2.0.0
    with store.transaction() as session:
        assert session.execute(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).scalars().first() == \
            "history.show"


def test_selecting_needs_consent_for_every_agency_involved(store: Store, alias: str) -> None:
    with pytest.raises(StoreError, match="no complete assessment"):
        decide(store, alias, selected=True, reason="Hög nivå", agencies=["police"])
    save_assessment(store, alias, V2, example(), today=dt.date(2026, 12, 2))
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["police", "school"],
                   date=dt.date(2026, 11, 30), today=dt.date(2026, 12, 2))
    with pytest.raises(ConsentError) as caught:
        decide(store, alias, selected=True, reason="Hög nivå", agencies=["police", "school"], on=dt.date(2026, 12, 2))
    assert [i.render("en").split(": ", 2)[-1] for i in caught.value.issues] == [
        "no consent from guardian 1 to share with police", "no consent from guardian 1 to share with school"]
    assert decide(store, alias, selected=False, reason="Föräldrarna säger nej", agencies=["police"]) > 0
    overridden = decide(store, alias, selected=True, reason="Hög nivå", agencies=["police"],
                        consent_override="Akut skyddsbehov", on=dt.date(2026, 12, 2))
    with store.transaction() as session:
        assert session.get(Decision, overridden).selected
        last = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
        assert last.records["consent_override"] == "Akut skyddsbehov"
    with pytest.raises(StoreError, match="written reason"):
        decide(store, alias, selected=True, reason="  ", agencies=["police"])


def test_erasure_removes_assessments_and_decisions_too(store: Store, alias: str) -> None:
    save_assessment(store, alias, V2, example(), today=dt.date(2026, 12, 2))
    decide(store, alias, selected=False, reason="Ingen SIG nu", agencies=["police"])
    assert erase_subject(store, alias, reason="Begäran") == {"consent_events": 0, "assessments": 1, "decisions": 1}
    with store.transaction() as session:
        for model in (Assessment, Decision):
            assert session.execute(select(func.count()).select_from(model)).scalar_one() == 0
        assert verify(session).ok


@pytest.mark.parametrize("reason, words", [("x" * 5001, "at most 5"), ("Ok\x1b[2J", "control characters"),
                                           ("Ringde 900101-1234", "personnummer")])
def test_hostile_reasons_are_refused(store: Store, alias: str, reason: str, words: str) -> None:
    save_assessment(store, alias, V2, example(), today=dt.date(2026, 12, 2))
    with pytest.raises(StoreError) as caught:
        decide(store, alias, selected=False, reason=reason, agencies=["police"])
    assert words in caught.value.render("en") and "900101" not in caught.value.render("en")
    with pytest.raises(StoreError):
        erase_subject(store, alias, reason=reason)
    with pytest.raises(StoreError):
        record_consent(store, alias, kind="record", signatory="young_person", agencies=["police"],
                       date=dt.date(2026, 11, 1), note=reason, today=dt.date(2026, 12, 2))
