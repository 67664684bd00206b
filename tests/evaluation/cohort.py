"""A small cohort built with the real case-store API, so that every figure can be checked by hand.

Twelve adults consent to every agency and to reporting, one (E1) to the agencies only:

======  =========  ==========================  ===============================  =========================
who     band       decision (2025-01-20)       reassessed 2025-05-10            follow-ups
======  =========  ==========================  ===============================  =========================
A1-A4   high       selected                    dynamic items lower              A1 new offence 2025-06-01
                                                                                A2 school/work 2025-03-01
                                                                                A3 closed 2025-12-01
A5-A6   high       selected                    the same answers                 A5 new offence 2026-03-01
B1      moderate   selected                    -
B2-B3   moderate   not selected (SIP)          -                                B3 withdraws police
C1      low        selected (below the rule)   -
C2      low        not selected                -
D1      low        no decision                 -
E1      high       selected                    -                                (no consent to reporting)
======  =========  ==========================  ===============================  =========================

A1 and A2 get a plan (committed 2025-02-01): the first commitment started, followed up on
2025-03-01 and done; the second not done ("kom inte till mötena").
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from riskmanual import load_instrument
from riskmanual.case.assessments import decide, save_assessment
from riskmanual.case.consent import SCOPES
from riskmanual.case.followup import record_follow_up
from riskmanual.case.plan import commit_plan, draft_plan, follow_up_commitment, set_state
from riskmanual.case.store import Store
from riskmanual.case.subjects import add_subject, record_consent

from ..conftest import ROOT
from ..identities import synthetic

TODAY = dt.date(2026, 6, 1)
ASSESSED = dt.date(2025, 1, 10)
DECIDED = dt.date(2025, 1, 20)
REASSESSED = dt.date(2025, 5, 10)
CONSENTED = dt.date(2025, 1, 5)
COMMITTED = dt.date(2025, 2, 1)
AGENCIES = [s for s in SCOPES if s != "reporting"]
INSTRUMENT = "sig-assessment@2.0.0"

_EXAMPLE = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
DYNAMIC_LOWER = ("impulsivity", "criminal_peers", "unstructured_leisure", "attendance", "antisocial_attitudes")


def answers(level: str, date: dt.date, *, lower: bool = False) -> dict:
    """The example answers (band high) as they are, or made moderate or low."""
    document = copy.deepcopy(_EXAMPLE)
    document.pop("birth_date", None)
    document["assessment_date"] = date.isoformat()
    a = document["answers"]
    a.pop("parental_supervision", None)  # rated only under 18; the cohort are adults
    if level in ("moderate", "low"):
        for item in ("impulsivity", "criminal_peers", "unstructured_leisure", "attendance"):
            a[item] = "low"
        a["weapons"] = "no"
    if level == "low":
        for item in ("antisocial_attitudes", "neutralisation", "anger_control", "family_conflict", "school_achievement",
                     "substance_use", "onset_age", "violence_history", "intervention_failure"):
            a[item] = "low"
        a["risk_environments"] = "no"
        a["police_reports_12m"] = 0
        a["network_involvement"] = "none"
        for item in ("network_pressure", "exit_motivation", "family_exit_support"):
            a.pop(item, None)
        a["exploited_by_older"] = "none"
        a["victimisation"] = "none"
        for item in ("prosocial_involvement", "school_work_commitment", "prosocial_adult_bond"):
            a[item] = "present"
    if lower:
        for item in DYNAMIC_LOWER:
            a[item] = "low"
    return document


PEOPLE = {  # name: (serial, band, selected, reason)
    "A1": (101, "high", True, "hög risk, flera riskområden"),
    "A2": (102, "high", True, "hög risk, flera riskområden"),
    "A3": (103, "high", True, "hög risk, flera riskområden"),
    "A4": (104, "high", True, "hög risk, flera riskområden"),
    "A5": (105, "high", True, "hög risk, flera riskområden"),
    "A6": (106, "high", True, "hög risk, flera riskområden"),
    "B1": (201, "moderate", True, "måttlig risk, vill ha stöd"),
    "B2": (202, "moderate", False, "har redan en SIP"),
    "B3": (203, "moderate", False, "har redan en SIP"),
    "C1": (301, "low", True, "rekryterad av äldre"),
    "C2": (302, "low", False, "låg risk"),
    "D1": (401, "low", None, ""),
    "E1": (501, "high", True, "hög risk, flera riskområden"),
}


def build(store: Store) -> dict[str, str]:
    """Write the cohort into ``store``; return each name's pseudonym."""
    model = load_instrument(INSTRUMENT)
    aliases: dict[str, str] = {}
    ids: dict[str, int] = {}
    for name, (serial, level, selected, reason) in PEOPLE.items():
        alias = add_subject(store, synthetic(dt.date(2003, 3, 1), serial), guardians=0, today=TODAY).pseudonym
        aliases[name] = alias
        scopes = AGENCIES if name == "E1" else [*AGENCIES, "reporting"]
        record_consent(store, alias, kind="record", signatory="young_person", agencies=scopes, date=CONSENTED,
                       today=TODAY)
        ids[name], result = save_assessment(store, alias, model, answers(level, ASSESSED), today=TODAY)
        assert result.final_band is not None and result.final_band.id == level, (name, result.final_band, result.total)
        if selected is not None:
            decide(store, alias, selected=selected, reason=reason, agencies=["social_services"], on=DECIDED,
                   assessment=ids[name])
    for name in ("A1", "A2", "A3", "A4", "A5", "A6"):
        save_assessment(store, aliases[name], model, answers("high", REASSESSED, lower=name in ("A1", "A2", "A3", "A4")),
                        today=TODAY)
    record_follow_up(store, aliases["A1"], kind="new_offence", date=dt.date(2025, 6, 1), today=TODAY)
    record_follow_up(store, aliases["A5"], kind="new_offence", date=dt.date(2026, 3, 1), today=TODAY)
    record_follow_up(store, aliases["A2"], kind="school_or_work_started", date=dt.date(2025, 3, 1), today=TODAY)
    record_follow_up(store, aliases["A3"], kind="closure", reason="goals_met", date=dt.date(2025, 12, 1), today=TODAY)
    record_consent(store, aliases["B3"], kind="withdraw", signatory="young_person", agencies=["police"],
                   date=dt.date(2025, 6, 1), today=TODAY)
    for name in ("A1", "A2"):
        plan = draft_plan(store, ids[name], on=dt.date(2025, 1, 25), today=TODAY)
        plan = commit_plan(store, plan.id, on=COMMITTED, today=TODAY)
        first, second = plan.commitments[0], plan.commitments[1]
        set_state(store, first.id, "started", on=dt.date(2025, 2, 10), today=TODAY)
        follow_up_commitment(store, first.id, outcome="går bra", on=dt.date(2025, 3, 1), today=TODAY)
        set_state(store, first.id, "done", on=dt.date(2025, 4, 1), today=TODAY)
        set_state(store, second.id, "not_done", reason="kom inte till mötena", on=dt.date(2025, 3, 15), today=TODAY)
    return aliases
