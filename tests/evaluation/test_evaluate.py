"""The evaluation of a hand-built cohort (tests/evaluation/cohort.py): each section's figures
checked against what the cohort was made to be, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from riskmanual.case.models import AuditEntry
from riskmanual.case.store import Store
from riskmanual.errors import EvaluationError
from riskmanual.evaluation.render import render_html
from riskmanual.evaluation.report import evaluate

from .cohort import TODAY, build


@pytest.fixture
def cohort(store: Store) -> dict[str, str]:
    return build(store)


def test_every_section_matches_the_cohort(store: Store, cohort: dict[str, str]) -> None:
    e = evaluate(store, today=TODAY, threshold=1)
    assert (e.evaluated, e.excluded, e.instrument) == (12, 1, "sig-assessment")  # E1 has no consent to reporting
    tg = e.target_group
    assert tg.table.cells["met"] == {"selected": 7, "not_selected": 2, "no_decision": 0}
    assert tg.table.cells["not_met"] == {"selected": 1, "not_selected": 1, "no_decision": 1}
    assert (tg.selected_below_rule, tg.met_not_selected, tg.table.total) == (1, 2, 12)
    assert [(r.text, r.n) for r in tg.reasons_selected_below] == [("rekryterad av äldre", 1)]
    assert [(r.text, r.n) for r in tg.reasons_not_selected] == [("har redan en SIP", 2)]
    assert tg.bands_selected.cells == {"low": 1, "moderate": 1, "high": 6, "very_high": 0}

    o = e.outcomes
    assert o.selected == 8 and [v.n for v in o.visits] == [8, 6]
    dynamic = next(c for c in o.changes if c.what == "dynamic")
    assert (dynamic.n, dynamic.fell.events, dynamic.same, dynamic.rose) == (6, 4, 2, 0)  # A1-A4 lower, A5-A6 same
    assert 0.29 < dynamic.fell.low < 0.31 and 0.90 < dynamic.fell.high < 0.91  # Wilson for 4 of 6
    peers = next(c for c in o.changes if c.what == "dom.associates")
    assert peers.fell.events == 4
    everyone = next(b for b in o.by_band if b.band == "all")
    # A1's offence is within 12 months of selection, A5's is not; A2 started school; A3 closed
    assert (everyone.n, everyone.new_offence.events, everyone.new_offence.n) == (8, 1, 8)
    assert (everyone.school_or_work.events, everyone.closed.events, everyone.new_offence_censored) == (1, 1, 0)
    high = next(b for b in o.by_band if b.band == "high")
    assert (high.n, high.new_offence.events) == (6, 1)
    assert o.closure_reasons.cells == {"goals_met": 1}
    assert o.calibration is None  # the instrument gives no probability

    c = e.collaboration
    assert (c.plans, c.committed) == (2, 2)
    assert c.commitments.column_totals["done"] == 2 and c.commitments.column_totals["not_done"] == 2
    assert sum(v for v in c.started.values() if v) == 2
    assert [(r.text, r.n) for rs in c.not_done_reasons.values() for r in rs] == [("kom inte till mötena", 2)]
    assert c.days_consent_to_plan.value == 27 and c.days_plan_to_follow_up.value == 28
    assert (c.consent.events, c.consent.n) == (8, 8)
    assert (c.withdrawal.events, c.withdrawal.n) == (1, 12)  # B3 withdrew the police
    assert c.overdue.total == c.commitments.column_totals["open"]  # every open one was due in 2025


def test_the_read_is_audited_once_with_the_pseudonyms_read(store: Store, cohort: dict[str, str]) -> None:
    evaluate(store, today=TODAY)
    with store.transaction() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "evaluate.read")).scalars().all()
    assert len(entries) == 1
    assert sorted(entries[0].records["subjects"]) == sorted(v for k, v in cohort.items() if k != "E1")
    assert entries[0].records["excluded_without_reporting_consent"] == 1


def test_small_numbers_are_suppressed_and_listed(store: Store, cohort: dict[str, str]) -> None:
    e = evaluate(store, today=TODAY)  # the default threshold, 5
    assert e.evaluated == 12 and e.excluded is None
    assert any(s.where == "excluded" and s.reason == "small" for s in e.suppressed)
    assert e.target_group.table.cells["not_met"]["selected"] is None
    assert e.collaboration.days_consent_to_plan.value is None  # two plans only
    data = json.dumps(e.to_json(), ensure_ascii=False)
    for alias in cohort.values():
        assert alias not in data  # no pseudonym in the report
    html = render_html(e, "sv")
    assert "Små tal visas inte" in html and "Antal från 1 till 4 visas som –" in html
    assert all(alias not in html for alias in cohort.values())


def test_a_period_selects_the_assessments_and_an_empty_one_is_refused(store: Store, cohort: dict[str, str]) -> None:
    only_reassessments = evaluate(store, start=dt.date(2025, 5, 1), end=dt.date(2025, 12, 31), today=TODAY,
                                  threshold=1)
    assert only_reassessments.evaluated == 6  # A1-A6, reassessed 2025-05-10
    assert only_reassessments.observed_until == dt.date(2025, 12, 31)
    with pytest.raises(EvaluationError) as caught:
        evaluate(store, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), today=TODAY)
    assert "2024-01-01" in caught.value.render("en") and "inga bedömningar" in caught.value.render("sv")
    with pytest.raises(EvaluationError):
        evaluate(store, start=dt.date(2025, 2, 1), end=dt.date(2025, 1, 1), today=TODAY)


def test_an_empty_store_is_nothing_to_evaluate(store: Store) -> None:
    with pytest.raises(EvaluationError) as caught:
        evaluate(store, today=TODAY)
    assert "ärenderegistret har inga bedömningar" in caught.value.render("sv")


def test_the_html_reads_in_swedish_and_english(store: Store, cohort: dict[str, str]) -> None:
    e = evaluate(store, today=TODAY, threshold=1)
    sv, en = render_html(e, "sv"), render_html(e, "en")
    assert "Målgrupp och urval" in sv and "Samverkan" in sv and "<svg" in sv
    assert "67\u00a0% (30–90\u00a0%), 4 av 6" in sv  # the dynamic risk fell for 4 of 6
    assert "67% (30–90%), 4 of 6" in en and "Target group and selection" in en
    assert "ledde till" not in sv and "caused" not in en.replace("not what the interventions caused", "")


def test_free_text_is_escaped_in_the_html(store: Store, cohort: dict[str, str]) -> None:
    from riskmanual.evaluation.target_group import Reason

    e = evaluate(store, today=TODAY, threshold=1)
    e.target_group.reasons_selected_below = [Reason("<script>alert(1)</script> & ”citat”", 1)]
    html = render_html(e, "sv")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html and "<script>" not in html


def test_a_later_withdrawal_of_reporting_leaves_the_young_person_out(store: Store, cohort: dict[str, str]) -> None:
    from riskmanual.case.subjects import record_consent

    record_consent(store, cohort["A6"], kind="withdraw", signatory="young_person", agencies=["reporting"],
                   date=dt.date(2026, 5, 1), today=TODAY)
    before_it = evaluate(store, end=dt.date(2025, 12, 31), today=TODAY, threshold=1)
    assert (before_it.evaluated, before_it.excluded) == (11, 2)  # consent then, withdrawn since: left out
    assert before_it.target_group.table.cells["met"]["selected"] == 6


def test_a_corrected_assessment_is_replaced_by_its_correction(store: Store, cohort: dict[str, str]) -> None:
    from riskmanual import load_instrument
    from riskmanual.case.assessments import history, save_assessment

    from .cohort import ASSESSED, answers

    first = history(store, cohort["D1"])[0].id
    save_assessment(store, cohort["D1"], load_instrument("sig-assessment@2.0.0"), answers("moderate", ASSESSED),
                    corrects=first, today=TODAY)
    e = evaluate(store, today=TODAY, threshold=1)
    assert e.assessments == 18  # 12 first assessments and 6 reassessments: the corrected one does not count
    assert e.target_group.table.cells["met"]["no_decision"] == 1  # D1 is moderate now
