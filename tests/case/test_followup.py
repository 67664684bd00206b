"""Follow-up records, closure and the tasks that fall due."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from riskmanual import load_instrument
from riskmanual.case.assessments import save_assessment
from riskmanual.case.followup import add_months, record_follow_up, tasks
from riskmanual.case.store import Store
from riskmanual.case.subjects import add_subject, record_consent
from riskmanual.errors import StoreError

from ..conftest import ROOT
from ..identities import synthetic

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def alias(store: Store) -> str:
    return add_subject(store, synthetic(dt.date(2009, 6, 14), 982), guardians=1, today=TODAY).pseudonym


def example(date: str) -> dict:
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    document["assessment_date"] = date
    return document


def test_add_months_keeps_the_day_where_it_can() -> None:
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 15), 12) == dt.date(2027, 1, 15)


def test_a_reassessment_falls_due_by_the_band_and_a_closure_ends_the_tasks(store: Store, alias: str) -> None:
    save_assessment(store, alias, load_instrument("sig-assessment@2.0.0"), example("2026-08-20"), today=TODAY)
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["school"],
                   date=dt.date(2026, 11, 1), expires=dt.date(2026, 12, 20), today=TODAY)
    due = tasks(store, today=TODAY)
    assert [(t.due, t.kind, t.overdue(TODAY)) for t in due] == [
        (dt.date(2026, 11, 20), "reassess", True),  # band Hög: reassess within 3 months
        (dt.date(2026, 12, 20), "consent_expires", False),
    ]
    assert tasks(store, today=TODAY, within_days=0)[0].kind == "reassess"
    with pytest.raises(StoreError) as caught:
        record_follow_up(store, alias, kind="closure", date=TODAY, today=TODAY)
    assert "a closure needs a reason" in caught.value.render("en")
    record_follow_up(store, alias, kind="new_offence", date=dt.date(2026, 11, 25), note="Syntetiskt exempel", today=TODAY)
    assert len(tasks(store, today=TODAY)) == 2
    record_follow_up(store, alias, kind="closure", reason="goals_met", date=TODAY, today=TODAY)
    assert tasks(store, today=TODAY) == []


def test_bad_follow_ups_are_refused_all_at_once(store: Store, alias: str) -> None:
    with pytest.raises(StoreError) as caught:
        record_follow_up(store, alias, kind="party", date=dt.date(2027, 1, 1), note="19900101-1234", today=TODAY)
    assert [issue.path for issue in caught.value.issues] == [("kind",), ("date",), ("note",)]
    assert "19900101" not in caught.value.render("en")
