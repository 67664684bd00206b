"""Drafts: saved after every answer, stale writes refused, resumed only against the same instrument."""

from __future__ import annotations

import datetime as dt

import pytest

from riskmanual import load_instrument
from riskmanual.case.drafts import create_draft, delete_draft, list_drafts, load_draft, save_draft
from riskmanual.case.store import Store
from riskmanual.case.subjects import add_subject, erase_subject
from riskmanual.errors import NotFoundError, StoreError

from ..identities import synthetic

SCREENING = load_instrument("sig-screening@2.0.0")


@pytest.fixture
def alias(store: Store) -> str:
    return add_subject(store, synthetic(dt.date(2009, 5, 14), 982), guardians=1, today=dt.date(2026, 12, 2)).pseudonym


def test_a_draft_keeps_every_answer_and_resumes_where_it_stopped(store: Store, alias: str) -> None:
    draft, flow = create_draft(store, alias, SCREENING, dt.date(2026, 12, 1))
    flow.answer("2", "sv")
    version = save_draft(store, draft, 1, flow)
    flow.answer("nej", "sv")
    version = save_draft(store, draft, version, flow)
    resumed, at, who = load_draft(store, draft, load_instrument)
    assert who == alias and at == version == 3
    assert resumed.answers == {"police_reports_12m": "one", "early_onset": "no"} and resumed.current.id == "violence_or_weapons"
    assert resumed.birth_date == dt.date(2009, 5, 14)
    (info,) = list_drafts(store)
    assert (info.id, info.answered, info.instrument) == (draft, 2, "sig-screening@2.0.0")


def test_a_stale_write_is_refused_not_merged(store: Store, alias: str) -> None:
    draft, flow = create_draft(store, alias, SCREENING, dt.date(2026, 12, 1))
    other, version, _ = load_draft(store, draft, load_instrument)
    other.answer("1", "sv")
    save_draft(store, draft, version, other)
    flow.answer("3", "sv")
    with pytest.raises(StoreError, match="changed elsewhere"):
        save_draft(store, draft, 1, flow)
    assert load_draft(store, draft, load_instrument)[0].answers == {"police_reports_12m": "none"}


def test_a_changed_or_missing_instrument_refuses_to_resume(store: Store, alias: str) -> None:
    draft, _ = create_draft(store, alias, SCREENING, dt.date(2026, 12, 1))
    changed = SCREENING.model_copy(update={"licence": "CC0-1.0"})
    with pytest.raises(StoreError, match="another content"):
        load_draft(store, draft, lambda ref: changed)

    def missing(ref: str):  # type: ignore[no-untyped-def]
        raise NotFoundError("gone")

    with pytest.raises(StoreError, match="no longer installed"):
        load_draft(store, draft, missing)
    with pytest.raises(StoreError, match="no draft 999"):
        load_draft(store, 999, load_instrument)


def test_drafts_go_with_the_subject(store: Store, alias: str) -> None:
    draft, _ = create_draft(store, alias, SCREENING, dt.date(2026, 12, 1))
    delete_draft(store, draft)
    assert list_drafts(store) == []
    create_draft(store, alias, SCREENING, dt.date(2026, 12, 1))
    erase_subject(store, alias, reason="Begäran")
    assert list_drafts(store) == []


def test_an_age_outside_the_population_is_refused_before_anything_is_asked(store: Store) -> None:
    older = add_subject(store, synthetic(dt.date(2000, 1, 3), 983), guardians=0, today=dt.date(2026, 12, 2)).pseudonym
    with pytest.raises(StoreError, match="26 years old"):
        create_draft(store, older, SCREENING, dt.date(2026, 12, 1))
    assert list_drafts(store) == []
    draft, _ = create_draft(store, older, SCREENING, dt.date(2026, 12, 1), force_reason="Insats fortsätter")
    assert [d.id for d in list_drafts(store)] == [draft]
