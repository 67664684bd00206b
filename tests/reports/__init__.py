"""A full synthetic case for the report's tests: two assessments, consent with a withdrawal, and a
committed action plan whose commitments are in different states. Made-up person and text."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from riskmanual import load_instrument
from riskmanual.case.assessments import save_assessment
from riskmanual.case.plan import (add_commitment, commit_plan, draft_plan, drop_commitment, follow_up_commitment,
                                  set_state)
from riskmanual.case.subjects import add_subject, record_consent

from ..conftest import ROOT
from ..identities import synthetic

TODAY = dt.date(2026, 12, 3)
BIRTH = dt.date(2009, 5, 14)
NUMBER = synthetic(BIRTH, 717)
#: Markup in a note and in a commitment (the store refuses control characters in both).
HOSTILE = "<script>alert(1)</script>\n# rubrik"
HOSTILE_ACTION = "<script>alert(1)</script>\n# rubrik | [länk](http://example.invalid)"


@dataclass(frozen=True)
class Case:
    pseudonym: str
    first: int
    second: int
    plan: int
    commitments: dict[str, int]


def example(date: str, **changes: Any) -> dict[str, Any]:
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    document["assessment_date"] = date
    document["birth_date"] = BIRTH.isoformat()
    document["answers"].update(changes)
    return document


def build_case(store: Any, *, hostile: bool = False, withdraw: bool = True) -> Case:
    """The case as a social worker would have recorded it by 3 December 2026."""
    instrument = load_instrument("sig-assessment@2.0.0")
    alias = add_subject(store, NUMBER, guardians=1, today=dt.date(2026, 8, 1)).pseudonym
    for signatory in ("young_person", "guardian_1"):
        record_consent(store, alias, kind="record", signatory=signatory,
                       agencies=["social_services", "police", "school", "leisure_services", "reporting"],
                       date=dt.date(2026, 8, 10), expires=dt.date(2027, 8, 10), today=TODAY)
    first, _ = save_assessment(store, alias, instrument,
                               example("2026-08-20", criminal_peers="high", antisocial_attitudes="high",
                                       prosocial_adult_bond="absent", unstructured_leisure="moderate"),
                               today=TODAY)
    document = example("2026-11-30")
    if hostile:
        document["notes"]["weapons"] = HOSTILE
    second, _ = save_assessment(store, alias, instrument, document, today=TODAY)
    plan = draft_plan(store, second, on=dt.date(2026, 12, 1), today=TODAY)
    keep = {"criminal_peers": "social_services", "attendance": "school", "unstructured_leisure": "leisure_services"}
    kept: dict[str, int] = {}
    for c in plan.commitments:
        if keep.get(c.need or "") == c.agency and c.need not in kept:
            kept[c.need or ""] = c.id
        else:
            drop_commitment(store, c.id)
    extra = add_commitment(store, plan.id, agency="police",
                           action=HOSTILE_ACTION if hostile else "Orossamtal med den unge och vårdnadshavaren",
                           goal="Den unge vet vart hen kan vända sig om någon pressar hen att begå brott",
                           contact_role="Områdespolis", start=dt.date(2026, 12, 1))
    commit_plan(store, plan.id, on=dt.date(2026, 12, 1), today=TODAY)
    set_state(store, kept["criminal_peers"], "started", on=dt.date(2026, 12, 2), today=TODAY)
    follow_up_commitment(store, kept["criminal_peers"], outcome="Första träffen med kontaktpersonen är gjord.",
                         on=dt.date(2026, 12, 3), today=TODAY)
    set_state(store, kept["unstructured_leisure"], "not_done", on=dt.date(2026, 12, 2),
              reason="Fritidsgården har stängt för renovering till mars.", today=TODAY)
    set_state(store, extra, "started", on=dt.date(2026, 12, 2), today=TODAY)
    set_state(store, extra, "done", on=dt.date(2026, 12, 3), today=TODAY)
    if withdraw:
        record_consent(store, alias, kind="withdraw", signatory="guardian_1", agencies=["school"],
                       date=dt.date(2026, 12, 2), today=TODAY)
    return Case(alias, first, second, plan.id, {**kept, "police": extra})
