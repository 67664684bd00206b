"""The pseudonymised export for follow-up and evaluation (``riskmanual export``).

Only subjects whose consent covers reporting on the export date are exported. The main table
has one row per assessment and one column per item, in the shape ``riskmanual calibrate``
reads, with the decision, the plan and the outcomes joined by pseudonym and follow-up window;
side tables list commitments and decisions, and a data dictionary describes every column.
Free text (notes, reasons, goals, actions) is never exported: it can identify a person.

:func:`build_export` turns the store's rows into tables (no files);
:mod:`riskmanual.case.export_files` turns them into files.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConsentError, Issue, StoreError
from ..messages import tr
from .consent import REPORTING, ConsentFact, age_on, consent_state
from .followup import add_months

__all__ = ["DANGEROUS", "FIXED_COLUMNS", "FORMATS", "RULES", "Column", "Export", "Table", "build_export", "suppressed"]

FORMATS = ("csv", "parquet")
WINDOWS = (("new_offence_12m", "new_offence", 12), ("new_offence_24m", "new_offence", 24),
           ("school_or_work_12m", "school_or_work_started", 12))
#: A CSV cell starting with one of these is read as a formula by spreadsheets (OWASP: CSV injection).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its name, its type and what it holds in Swedish and English."""

    name: str
    type: str  # string | integer | number | boolean | date
    sv: str
    en: str

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "description": {"sv": self.sv, "en": self.en}}


@dataclass
class Table:
    """Rows (dicts of plain values; None is empty) under declared columns."""

    kind: str  # cases | commitments | decisions
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    instrument: str | None = None


@dataclass
class Export:
    """What an export holds, before it is written."""

    today: dt.date
    since: dt.date | None
    instrument: str | None
    cases: list[Table]
    commitments: Table
    decisions: Table
    subjects: list[str]
    left_out: int


_C = Column
_CASE_COLUMNS = [
    _C("pseudonym", "string", "den unges pseudonym (nyckelad, inte personnumret)",
       "the young person's pseudonym (keyed, not the personnummer)"),
    _C("assessment_id", "integer", "bedömningens nummer i ärenderegistret", "the assessment's number in the case store"),
    _C("instrument", "string", "instrumentets id", "the instrument's id"),
    _C("instrument_version", "string", "instrumentets version", "the instrument's version"),
    _C("instrument_sha256", "string", "SHA-256 av instrumentets innehåll vid bedömningen",
       "SHA-256 of the instrument's content at the assessment"),
    _C("assessment_date", "date", "bedömningsdagen (ÅÅÅÅ-MM-DD)", "the assessment date (YYYY-MM-DD)"),
    _C("assessment_number", "integer", "bedömningens ordning bland den unges bedömningar med instrumentet (1: den "
       "första)", "the assessment's place among the young person's assessments with the instrument (1: the first)"),
    _C("age", "integer", "ålder i hela år på bedömningsdagen (också instrumentets härledda fråga age)",
       "age in whole years on the assessment date (also the instrument's derived item age)"),
    _C("status", "string", "complete (fullständig) eller incomplete (ofullständig, ingen nivå)",
       "complete, or incomplete (no band)"),
    _C("total", "number", "summan", "the total"),
    _C("band", "string", "den beräknade nivåns id (tomt när bedömningen är ofullständig)",
       "the computed band's id (empty when incomplete)"),
    _C("final_band", "string", "nivån som gäller (bedömarens justering om en finns)",
       "the band that stands (the assessor's adjustment when there is one)"),
    _C("target_group", "boolean", "tillhör målgruppen enligt instrumentets regel (tomt när det inte kan avgöras)",
       "in the instrument's target group (empty when it cannot be decided)"),
    _C("probability", "number", "sannolikhet enligt instrumentets kalibrering (tomt när ingen finns)",
       "probability from the instrument's calibration (empty when there is none)"),
    _C("selected", "boolean", "det senaste beslutet om SIG som vilar på bedömningen: valts ut (tomt: inget beslut)",
       "the latest SIG decision resting on this assessment: selected (empty: no decision)"),
    _C("selected_on", "date", "dagen för det beslutet", "the date of that decision"),
    _C("plan_committed_on", "date", "dagen då åtgärdsplanen från bedömningen fastställdes (tomt: ingen eller utkast)",
       "the date the action plan drawn from this assessment was committed (empty: none or a draft)"),
    _C("commitments", "integer", "antal åtaganden i planen, återtagna medräknade (tomt: ingen plan)",
       "commitments in the plan, withdrawn ones included (empty: no plan)"),
    _C("commitments_done", "integer", "åtaganden som är genomförda", "commitments done"),
    _C("commitments_not_done", "integer", "åtaganden som inte genomfördes", "commitments not done"),
    _C("commitments_withdrawn", "integer", "åtaganden som återtogs (också ur utkastet)",
       "commitments withdrawn (from the draft too)"),
]
_OUTCOME_COLUMNS = [
    _C("new_offence_12m", "integer", "1: ny misstanke om brott registrerad inom 12 månader efter bedömningen; 0: "
       "ingen och perioden är slut; tomt: ingen ännu men perioden pågår (censurerad)",
       "1: a new suspected offence recorded within 12 months after the assessment; 0: none and the window has "
       "ended; empty: none yet but the window is still open (censored)"),
    _C("new_offence_24m", "integer", "som new_offence_12m, inom 24 månader", "as new_offence_12m, within 24 months"),
    _C("school_or_work_12m", "integer", "som new_offence_12m, för skola eller arbete påbörjat",
       "as new_offence_12m, for school or work started"),
    _C("closed", "integer", "1: ärendet avslutat på eller efter bedömningsdagen och senast exportdagen, annars 0",
       "1: the case was closed on or after the assessment date and by the export date, else 0"),
    _C("closure_reason", "string", "skälet till avslutet (kod: goals_met, declined, consent_withdrawn, moved, age, "
       "other)", "the reason for closing (a code: goals_met, declined, consent_withdrawn, moved, age, other)"),
    _C("days_to_first_new_offence", "integer", "dagar från bedömningen till den första nya misstanken om brott efter "
       "den (tomt: ingen)", "days from the assessment to the first new suspected offence after it (empty: none)"),
]
_COMMITMENT_COLUMNS = [
    _C("pseudonym", "string", "den unges pseudonym", "the young person's pseudonym"),
    _C("commitment_id", "integer", "åtagandets nummer", "the commitment's number"),
    _C("plan_id", "integer", "åtgärdsplanens nummer", "the action plan's number"),
    _C("assessment_id", "integer", "bedömningen planen utgår från", "the assessment the plan is drawn from"),
    _C("agency", "string", "myndighetens kod", "the agency's code"),
    _C("need", "string", "behovet (frågans id) som åtagandet svarar mot", "the need (item id) it answers"),
    _C("state", "string", "läget: proposed, agreed, started, done, not_done, withdrawn",
       "the state: proposed, agreed, started, done, not_done, withdrawn"),
    _C("start_date", "date", "startdag", "start date"),
    _C("follow_up_date", "date", "nästa (eller sista) uppföljningsdag", "the next (or last) follow-up date"),
    _C("committed_on", "date", "dagen planen fastställdes", "the date the plan was committed"),
    _C("reason_given", "boolean", "ett skäl är skrivet (för inte genomförd eller återtagen; texten exporteras inte)",
       "a reason is written (for not done or withdrawn; the text is not exported)"),
    _C("started_on", "date", "dagen åtagandet påbörjades", "the date it was started"),
    _C("first_follow_up_date", "date", "dagen för den första uppföljningen", "the date of the first follow-up"),
    _C("done_on", "date", "dagen det blev genomfört", "the date it was done"),
    _C("ended_on", "date", "dagen det blev genomfört, inte genomfört eller återtaget",
       "the date it was done, not done or withdrawn"),
]
_DECISION_COLUMNS = [
    _C("pseudonym", "string", "den unges pseudonym", "the young person's pseudonym"),
    _C("decision_id", "integer", "beslutets nummer", "the decision's number"),
    _C("assessment_id", "integer", "bedömningen beslutet vilar på", "the assessment the decision rests on"),
    _C("selected", "boolean", "valts ut till SIG", "selected for a SIG"),
    _C("decided_on", "date", "beslutsdagen", "the date of the decision"),
    _C("agencies", "string", "myndigheterna som berörs (koder, kommaseparerade)",
       "the agencies involved (codes, comma-separated)"),
]
#: The main table's columns that are not item answers or domain subtotals (``domain.<id>``).
FIXED_COLUMNS = tuple(c.name for c in _CASE_COLUMNS + _OUTCOME_COLUMNS)
RULES = {
    "windows": {
        "sv": "Ett utfall inom N månader räknas från dagen efter bedömningen till och med samma datum N månader "
              "senare. 1 när en händelse av slaget är registrerad inom perioden; 0 när ingen är registrerad och "
              "perioden slutade före exportdagen; tomt när ingen är registrerad och perioden inte är slut (censurerad). "
              "Ett avslut censurerar inte: händelser registreras också efter avslutet. Rader med tomt utfall tas bort "
              "innan kalibrering (where: {column: new_offence_24m, op: in, value: [0, 1]}).",
        "en": "An outcome within N months counts from the day after the assessment up to the same date N months "
              "later. 1 when an event of the kind is recorded in the window; 0 when none is recorded and the window "
              "ended before the export date; empty when none is recorded and the window has not ended (censored). A "
              "closure does not censor: events are recorded after it too. Drop rows with an empty outcome before "
              "calibrating (where: {column: new_offence_24m, op: in, value: [0, 1]})."},
    "items": {
        "sv": "En kolumn per fråga med svaret som det sparades: svarskoden, talet, unknown (okänt) eller "
              "not_applicable (gäller inte); tomt när frågan inte besvarades. Instrumentets härledda fråga age är "
              "kolumnen age.",
        "en": "One column per item with the answer as stored: the code, the number, unknown or not_applicable; "
              "empty when the item was not answered. The instrument's derived item age is the column age."},
    "files": {
        "sv": "Med ett instrument i exporten skrivs huvudtabellen till --out. Med flera skrivs en huvudtabell per "
              "instrument, <namn>.<instrument>.<ändelse>, eftersom frågorna skiljer sig; välj ett med --instrument. "
              "Åtaganden och beslut skrivs till <namn>.commitments.<ändelse> och <namn>.decisions.<ändelse>.",
        "en": "With one instrument in the export the main table is written to --out. With several, one main table "
              "per instrument, <stem>.<instrument>.<ext>, since their items differ; choose one with --instrument. "
              "Commitments and decisions go to <stem>.commitments.<ext> and <stem>.decisions.<ext>."},
    "csv": {
        "sv": "CSV: UTF-8, kommaseparerad, tomt fält för saknat värde, true/false för sanningsvärden. En textcell som "
              "börjar med =, +, -, @, tabb eller vagnretur får ett ' först så att ett kalkylprogram inte läser den som "
              "en formel; tal skrivs som tal.",
        "en": "CSV: UTF-8, comma-separated, an empty field for a missing value, true/false for booleans. A text cell "
              "starting with =, +, -, @, tab or carriage return gets a leading ' so that a spreadsheet does not read "
              "it as a formula; numbers are written as numbers."},
    "privacy": {
        "sv": "Bara unga vars samtycke täcker rapportering (reporting) på exportdagen är med. Fritext (anteckningar, "
              "skäl, mål, insatsernas text) exporteras aldrig. Antalet som lämnats utanför visas som <5 när det är 1–4.",
        "en": "Only young people whose consent covers reporting on the export date are included. Free text (notes, "
              "reasons, goals, the commitments' text) is never exported. The number left out shows as <5 when it is "
              "1-4."},
}


def suppressed(count: int) -> int | str:
    """A count of people, ``<5`` when it is 1 to 4 (small numbers can identify)."""
    return "<5" if 0 < count < 5 else count


def build_export(session: Any, *, today: dt.date, since: dt.date | None = None,
                 instrument: str | None = None) -> Export:
    """The export's tables from the store (read through ``session``; nothing is written)."""
    from sqlalchemy import select

    from .models import Assessment, Commitment, CommitmentEvent, ConsentEvent, Decision, FollowUp, Plan, Subject

    facts: dict[int, list[ConsentFact]] = defaultdict(list)
    for e in session.execute(select(ConsentEvent.subject_id, ConsentEvent.kind, ConsentEvent.signatory,
                                    ConsentEvent.agencies, ConsentEvent.date, ConsentEvent.expires, ConsentEvent.id)):
        facts[e.subject_id].append(ConsentFact(e.kind, e.signatory, tuple(e.agencies), e.date, e.expires, e.id))
    subjects: dict[int, tuple[str, dt.date]] = {}
    left_out = 0
    for s in session.execute(select(Subject.id, Subject.pseudonym, Subject.birth_date, Subject.guardians)):
        if consent_state(facts.get(s.id, []), s.birth_date, s.guardians, today).allows(REPORTING):
            subjects[s.id] = (s.pseudonym, s.birth_date)
        else:
            left_out += 1
    if not subjects:
        message = tr("no subject's consent covers reporting: nothing is exported")
        raise ConsentError(message, [Issue(message, path=("consent", REPORTING)), Issue(tr(
            "record it with 'riskmanual consent record SUBJECT --signatory young_person --agencies reporting' (and "
            "each guardian's while the young person is under 18)"), path=("consent", REPORTING))])

    query = select(Assessment.id, Assessment.subject_id, Assessment.instrument_id, Assessment.instrument_version,
                   Assessment.instrument_sha256, Assessment.assessment_date, Assessment.status, Assessment.total,
                   Assessment.band, Assessment.final_band, Assessment.answers, Assessment.result)
    if since is not None:
        query = query.where(Assessment.assessment_date >= since)
    if instrument is not None:
        query = query.where(Assessment.instrument_id == instrument)
    assessments = [_light(a) for a in session.execute(query.order_by(Assessment.subject_id, Assessment.assessment_date,
                                                                     Assessment.id).execution_options(yield_per=500))
                   if a.subject_id in subjects]
    if not assessments:
        message = tr("no assessment to export: none of a subject whose consent covers reporting{on_or_after}",
                     on_or_after=tr(" on or after {date}", date=since.isoformat()) if since else "")
        raise StoreError(message, [Issue(message, path=("since",) if since else ("assessments",))])
    chosen = {a.id for a in assessments}
    number: dict[int, int] = {}
    seen: dict[tuple[int, str], int] = defaultdict(int)
    for a in session.execute(select(Assessment.id, Assessment.subject_id, Assessment.instrument_id)
                             .order_by(Assessment.assessment_date, Assessment.id)):
        seen[(a.subject_id, a.instrument_id)] += 1
        number[a.id] = seen[(a.subject_id, a.instrument_id)]

    decisions = [d for d in session.execute(select(Decision.id, Decision.subject_id, Decision.assessment_id,
                                                   Decision.selected, Decision.decided_on, Decision.agencies)
                                            .order_by(Decision.decided_on, Decision.id)) if d.assessment_id in chosen]
    plans = {p.id: p for p in session.execute(select(Plan.id, Plan.subject_id, Plan.assessment_id, Plan.state,
                                                     Plan.committed_on).order_by(Plan.id)) if p.assessment_id in chosen}
    commitments = [c for c in session.execute(select(Commitment.id, Commitment.plan_id, Commitment.subject_id,
                                                     Commitment.agency, Commitment.need, Commitment.state,
                                                     Commitment.start_date, Commitment.follow_up_date,
                                                     Commitment.reason).order_by(Commitment.id)) if c.plan_id in plans]
    wanted = {c.id for c in commitments}
    events: dict[int, list[Any]] = defaultdict(list)
    for e in session.execute(select(CommitmentEvent.commitment_id, CommitmentEvent.kind, CommitmentEvent.state,
                                    CommitmentEvent.date).order_by(CommitmentEvent.id)):
        if e.commitment_id in wanted:
            events[e.commitment_id].append(e)
    follow_ups: dict[int, list[Any]] = defaultdict(list)
    for f in session.execute(select(FollowUp.subject_id, FollowUp.kind, FollowUp.date, FollowUp.reason)
                             .where(FollowUp.date <= today).order_by(FollowUp.date, FollowUp.id)):
        if f.subject_id in subjects:
            follow_ups[f.subject_id].append(f)

    commitment_table = Table("commitments", list(_COMMITMENT_COLUMNS))
    by_plan: dict[int, list[Any]] = defaultdict(list)
    for c in commitments:
        by_plan[c.plan_id].append(c)
        plan = plans[c.plan_id]
        happened = events.get(c.id, [])
        commitment_table.rows.append({
            "pseudonym": subjects[c.subject_id][0], "commitment_id": c.id, "plan_id": c.plan_id,
            "assessment_id": plan.assessment_id, "agency": c.agency, "need": c.need, "state": c.state,
            "start_date": c.start_date, "follow_up_date": c.follow_up_date, "committed_on": plan.committed_on,
            "reason_given": bool(c.reason and c.reason.strip()),
            "started_on": _first(happened, "state", ("started",)),
            "first_follow_up_date": _first(happened, "follow_up", None),
            "done_on": _first(happened, "state", ("done",)),
            "ended_on": _first(happened, "state", ("done", "not_done", "withdrawn"))})
    decision_table = Table("decisions", list(_DECISION_COLUMNS), [
        {"pseudonym": subjects[d.subject_id][0], "decision_id": d.id, "assessment_id": d.assessment_id,
         "selected": bool(d.selected), "decided_on": d.decided_on, "agencies": ",".join(d.agencies or [])}
        for d in decisions])

    latest_decision: dict[int, Any] = {}
    for d in decisions:  # ordered by date: the last one wins
        latest_decision[d.assessment_id] = d
    plan_of: dict[int, Any] = {}
    for p in plans.values():
        before = plan_of.get(p.assessment_id)
        if before is None or (p.committed_on is not None, p.committed_on or dt.date.min, p.id) >= \
                (before.committed_on is not None, before.committed_on or dt.date.min, before.id):
            plan_of[p.assessment_id] = p

    grouped: dict[str, list[Any]] = defaultdict(list)
    for a in assessments:
        grouped[a.instrument_id].append(a)
    cases = []
    for instrument_id in sorted(grouped):
        rows = grouped[instrument_id]
        items, domains = _layout(instrument_id, sorted({a.instrument_version for a in rows}, key=_version_key), rows)
        table = Table("cases", _CASE_COLUMNS + [c for c, _ in items] + domains + _OUTCOME_COLUMNS,
                      instrument=instrument_id)
        for a in rows:
            alias, birth = subjects[a.subject_id]
            result = a.result
            target = result.get("target_group") or {}
            probability = result.get("probability") or {}
            decision = latest_decision.get(a.id)
            if decision is not None and decision.decided_on < a.assessment_date:
                decision = None
            plan = plan_of.get(a.id)
            states = [c.state for c in by_plan.get(plan.id, [])] if plan is not None else []
            answers = (a.answers or {}).get("answers") or {}
            row = {"pseudonym": alias, "assessment_id": a.id, "instrument": a.instrument_id,
                   "instrument_version": a.instrument_version, "instrument_sha256": a.instrument_sha256,
                   "assessment_date": a.assessment_date, "assessment_number": number[a.id],
                   "age": result.get("age") if isinstance(result.get("age"), int) else age_on(birth, a.assessment_date),
                   "status": a.status, "total": a.total, "band": a.band, "final_band": a.final_band,
                   "target_group": target.get("met"), "probability": probability.get("value"),
                   "selected": None if decision is None else bool(decision.selected),
                   "selected_on": None if decision is None else decision.decided_on,
                   "plan_committed_on": plan.committed_on if plan is not None else None,
                   "commitments": len(states) if plan is not None else None,
                   "commitments_done": states.count("done") if plan is not None else None,
                   "commitments_not_done": states.count("not_done") if plan is not None else None,
                   "commitments_withdrawn": states.count("withdrawn") if plan is not None else None}
            for column, item_id in items:
                value = answers.get(item_id)
                row[column.name] = value if isinstance(value, (str, int, float)) and not isinstance(value, bool) \
                    else ({True: "yes", False: "no"}.get(value) if isinstance(value, bool) else None)
            subtotals = {d.get("id"): d.get("subtotal") for d in result.get("domains", []) if isinstance(d, dict)}
            for column in domains:
                row[column.name] = subtotals.get(column.name[len("domain."):])
            row.update(_outcomes(a.assessment_date, follow_ups.get(a.subject_id, []), today))
            table.rows.append(row)
        cases.append(table)
    exported = sorted({subjects[a.subject_id][0] for a in assessments})
    return Export(today, since, instrument, cases, commitment_table, decision_table, exported, left_out)


@dataclass(frozen=True)
class _Row:
    """An assessment with only the part of its result the export uses (a stored result is large)."""

    id: int
    subject_id: int
    instrument_id: str
    instrument_version: str
    instrument_sha256: str
    assessment_date: dt.date
    status: str
    total: float
    band: str | None
    final_band: str | None
    answers: dict[str, Any]
    result: dict[str, Any]


def _light(a: Any) -> _Row:
    result = a.result if isinstance(a.result, dict) else {}
    kept = {"age": result.get("age"), "target_group": result.get("target_group"),
            "probability": result.get("probability"),
            "domains": [{"id": d["id"], "subtotal": d.get("subtotal"), "label": d.get("label")}
                        for d in result.get("domains", []) if isinstance(d, dict) and d.get("id")]}
    answers = a.answers if isinstance(a.answers, dict) else {}
    return _Row(a.id, a.subject_id, a.instrument_id, a.instrument_version, a.instrument_sha256, a.assessment_date,
                a.status, a.total, a.band, a.final_band, {"answers": answers.get("answers") or {}}, kept)


def _first(events: list[Any], kind: str, states: tuple[str, ...] | None) -> dt.date | None:
    for e in events:
        if e.kind == kind and (states is None or e.state in states):
            return e.date
    return None


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("-")[0].split("."):
        parts.append(int(part) if part.isdigit() else 0)
    return tuple(parts)


def _layout(instrument_id: str, versions: list[str], rows: list[Any]) -> tuple[list[tuple[Column, str]], list[Column]]:
    """The item columns (newest version's order first, items only in older versions after) and
    the domain columns; from the answers themselves when no version of the instrument is found."""
    from ..errors import RiskmanualError as _Error
    from ..instrument import DerivedResponse
    from ..registry import load_instrument
    from ..text import localize

    fixed = set(FIXED_COLUMNS)
    items: dict[str, tuple[str, str]] = {}
    domains: dict[str, tuple[str, str]] = {}
    found = False
    for version in reversed(versions):
        try:
            model = load_instrument(f"{instrument_id}@{version}")
        except _Error:
            continue
        found = True
        for item in model.items:
            if not isinstance(item.response, DerivedResponse) and item.id not in items:
                items[item.id] = (localize(item.label, "sv"), localize(item.label, "en"))
        for domain, _ in model.walk_domains():
            domains.setdefault(domain.id, (localize(domain.label, "sv"), localize(domain.label, "en")))
    for a in rows:  # answers or domains no loadable version names (an instrument file since removed)
        for item_id in ((a.answers or {}).get("answers") or {}):
            items.setdefault(item_id, (item_id, item_id))
        for d in a.result.get("domains", []):
            domains.setdefault(d["id"], (d.get("label") or d["id"], d.get("label") or d["id"]))
    del found
    item_columns = []
    for item_id, (sv, en) in items.items():
        name = f"item.{item_id}" if item_id in fixed else item_id
        item_columns.append((Column(name, "string", f"svaret på frågan: {sv}", f"the answer to the item: {en}"),
                             item_id))
    domain_columns = [Column(f"domain.{d}", "number", f"delsumma för området: {sv}", f"subtotal of the domain: {en}")
                      for d, (sv, en) in domains.items()]
    return item_columns, domain_columns


def _outcomes(assessed: dt.date, events: list[Any], today: dt.date) -> dict[str, Any]:
    """The outcome columns of one assessment from the subject's follow-ups (see ``RULES['windows']``)."""
    after = [e for e in events if e.date > assessed]
    out: dict[str, Any] = {}
    for name, kind, months in WINDOWS:
        end = add_months(assessed, months)
        if any(e.kind == kind and e.date <= end for e in after):
            out[name] = 1
        else:
            out[name] = 0 if end < today else None
    closures = [e for e in events if e.kind == "closure" and e.date >= assessed]
    out["closed"] = 1 if closures else 0
    out["closure_reason"] = closures[-1].reason if closures else None
    offences = [e.date for e in after if e.kind == "new_offence"]
    out["days_to_first_new_offence"] = (offences[0] - assessed).days if offences else None
    return out
