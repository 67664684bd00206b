"""The collaboration: per agency the commitments and where they stand, the reasons for those
not done, the days from consent to plan and from plan to first follow-up, consent and
withdrawal rates, and overdue follow-ups (pure: tables in, a dataclass out)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..case.consent import ConsentFact, consent_state
from .data import Tables
from .suppression import Line, Rate, Summary, Suppressor, Table
from .target_group import Reason, reasons

__all__ = ["Collaboration", "collaboration"]

OPEN = ("proposed", "agreed", "started")
#: Where an agreed commitment stands now: the columns of the table (their sum is the agreed).
STANDING = ("open", "done", "not_done", "withdrawn")


@dataclass
class Collaboration:
    plans: int | None
    committed: int | None
    #: agreed commitments by agency (rows) and where they stand now (STANDING; row total: agreed)
    commitments: Table
    #: of the agreed, those that were ever started, per agency
    started: dict[str, int | None] = field(default_factory=dict)
    #: proposals in a draft that were never agreed (withdrawn or still proposed)
    never_agreed: int | None = 0
    #: the written reasons for commitments not done, per agency (those written fewer times only counted)
    not_done_reasons: dict[str, list[Reason]] = field(default_factory=dict)
    not_done_other: dict[str, int | None] = field(default_factory=dict)
    days_consent_to_plan: Summary = field(default_factory=lambda: Summary(0, None))
    days_plan_to_follow_up: Summary = field(default_factory=lambda: Summary(0, None))
    #: of the selected: consent covered every agency of the decision on the day it was made
    consent: Rate = field(default_factory=lambda: Rate(None, 0, None, None, None))
    #: of the young people evaluated: some consent withdrawn during the period
    withdrawal: Rate = field(default_factory=lambda: Rate(None, 0, None, None, None))
    overdue: Line | None = None


def collaboration(tables: Tables, reference: pd.DataFrame, suppressor: Suppressor) -> Collaboration:
    observed = pd.Timestamp(tables.period.observed_until)
    start = pd.Timestamp(tables.period.start) if tables.period.start else None
    plans, commitments, events = tables.plans, tables.commitments, tables.events
    reached = events[events["agreed"].astype(bool)]["commitment"]
    began = set(events[events["started"].astype(bool)]["commitment"])
    agreed = commitments[commitments["id"].isin(set(reached))]
    agencies = sorted(set(agreed["agency"]))
    standing = agreed["state"].map(lambda s: "open" if s in OPEN else s)
    counts = {(a, s): int(n) for (a, s), n in agreed.assign(standing=standing).groupby(["agency", "standing"])
              .size().items()} if not agreed.empty else {}
    table = suppressor.table(counts, agencies, list(STANDING), "collaboration.commitments")
    started = {a: suppressor.count(int(((agreed["agency"] == a) & agreed["id"].isin(began)).sum()),
                                   f"collaboration.started[{a}]") for a in agencies}
    shown_reasons: dict[str, list[Reason]] = {}
    other: dict[str, int | None] = {}
    for agency in agencies:
        texts = commitments[(commitments["agency"] == agency) & (commitments["state"] == "not_done")]["reason"]
        if len(texts):
            shown_reasons[agency], n = reasons(texts, suppressor)
            other[agency] = suppressor.count(n, f"collaboration.not_done_other[{agency}]")

    committed = plans[plans["committed_on"].notna()]
    consents = tables.consents
    first_consent = consents[consents["kind"] == "record"].groupby("subject")["date"].min()
    gaps = []
    for subject, day in zip(committed["subject"], committed["committed_on"]):
        given = first_consent.get(subject)
        if given is not None and given <= day:
            gaps.append((day - given).days)
    follow_ups = events[events["first_follow_up"].notna()].merge(commitments[["id", "plan"]], left_on="commitment",
                                                                 right_on="id")
    first_follow = follow_ups.groupby("plan")["first_follow_up"].min()
    to_follow = [(first_follow[pid] - day).days for pid, day in zip(committed["id"], committed["committed_on"])
                 if pid in first_follow.index and first_follow[pid] >= day]

    selected = reference[reference["selected"] == True] if not reference.empty else reference  # noqa: E712
    subjects = tables.subjects.set_index("subject")
    facts: dict[int, list[ConsentFact]] = {}
    for c in consents.itertuples(index=False):
        facts.setdefault(c.subject, []).append(ConsentFact(c.kind, c.signatory, tuple(c.agencies), c.date.date(),
                                                           None if pd.isna(c.expires) else c.expires.date(), c.id))
    covered = 0
    for row in selected.itertuples(index=False):
        person = subjects.loc[row.subject]
        state = consent_state(facts.get(row.subject, []), person["birth_date"].date(), int(person["guardians"]),
                              row.decided_on.date())
        covered += all(state.agencies[a].valid for a in row.agencies if a in state.agencies)
    withdrawn = consents[(consents["kind"] == "withdraw") & (consents["date"] <= observed)]
    if start is not None:
        withdrawn = withdrawn[withdrawn["date"] >= start]
    evaluated = len(tables.subjects)

    overdue_rows = commitments[commitments["state"].isin(OPEN) & (commitments["follow_up_date"] < observed)] \
        if not commitments.empty else commitments
    overdue = {a: int((overdue_rows["agency"] == a).sum()) for a in agencies}
    return Collaboration(
        plans=suppressor.count(len(plans), "collaboration.plans"),
        committed=suppressor.count(len(committed), "collaboration.committed"),
        commitments=table, started=started,
        never_agreed=suppressor.count(len(commitments) - len(agreed), "collaboration.never_agreed"),
        not_done_reasons=shown_reasons, not_done_other=other,
        days_consent_to_plan=suppressor.median(gaps, "collaboration.days_consent_to_plan"),
        days_plan_to_follow_up=suppressor.median(to_follow, "collaboration.days_plan_to_follow_up"),
        consent=suppressor.rate(covered, len(selected), "collaboration.consent"),
        withdrawal=suppressor.rate(int(withdrawn["subject"].nunique()), evaluated, "collaboration.withdrawal"),
        overdue=suppressor.line(overdue, "collaboration.overdue") if agencies else None)
