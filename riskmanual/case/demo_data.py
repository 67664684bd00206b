"""A synthetic cohort in the case store, so that ``riskmanual evaluate`` and ``export`` have
something real to show: made-up young people followed over months, with consent, assessments,
decisions, action plans, commitments and outcomes.

Everyone is made up: an identity number is generated only to be turned into a pseudonym (the
same way ``subject add`` does) and is never kept. Answers are drawn from a latent risk and
scored by the engine, so the stored results are the engine's own. Rows are inserted through
the ORM in a few large transactions with one audit entry for the whole fill; their shapes are
those the case store's functions write (see :func:`fill_store`). Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError
from ..identity import parse_personal_number, pseudonym, synthetic_number
from ..instrument import AGENCIES, BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, NumericResponse
from ..messages import tr
from .consent import REPORTING, ConsentFact, age_on, consent_state
from .followup import add_months
from .store import Store

__all__ = ["ASSESSMENT", "SCREENING", "fill_store", "identities"]

ASSESSMENT = "sig-assessment@2.0.0"
SCREENING = "sig-screening@2.0.0"
ASSESSORS = tuple(f"demo-handläggare-{n}" for n in range(1, 7))
#: Agencies besides social services that a consent most often covers.
_OFTEN = ("police", "school", "leisure_services", "employment_service", "youth_clinic", "child_psychiatry",
          "healthcare", "probation")
_MAX_AGE = 25

_DROPPED = "Syntetiskt exempel: insatsen behövs inte nu enligt den unge och socialtjänsten."
_NOT_DONE = ("Syntetiskt exempel: den unge kom inte till de bokade tiderna.",
             "Syntetiskt exempel: insatsen kunde inte erbjudas inom rimlig tid.",
             "Syntetiskt exempel: den unge ville inte fortsätta.")
_WITHDRAWN = ("Syntetiskt exempel: planen ändrades vid uppföljningen.",
              "Syntetiskt exempel: en annan insats passar bättre.")
_CLOSED = "Syntetiskt exempel: ärendet avslutades."
_CONSENT_GONE = "Syntetiskt exempel: samtycket för myndigheten är återkallat."
_OUTCOMES = ("Syntetiskt exempel: den unge deltar och tycker att det hjälper.",
             "Syntetiskt exempel: delvis på väg mot målet, fortsätter som planerat.",
             "Syntetiskt exempel: svårt att komma i gång; ny tid är bokad.")
_SELECT_REASONS = ("Syntetiskt exempel: tillhör målgruppen och vill delta i SIG.",
                   "Syntetiskt exempel: måttlig eller högre nivå; den unge och vårdnadshavarna är positiva.")
_SELECT_OVERRIDE = ("Syntetiskt exempel: låg nivå men nyligen rekryterad av äldre; socialtjänsten bedömer att SIG "
                    "behövs.",)
_NOT_SELECTED = ("Syntetiskt exempel: tillhör inte målgruppen; stöd ges inom ordinarie insatser.",)
_NOT_SELECTED_OVERRIDE = ("Syntetiskt exempel: den unge tackar nej till SIG.",
                          "Syntetiskt exempel: har redan en samordnad individuell plan (SIP) som täcker behoven.")
_GOALS = ("Syntetiskt exempel: vill gå klart gymnasieskolan.",
          "Syntetiskt exempel: vill ha ett sommarjobb och slippa polisen.",
          "Syntetiskt exempel: vill flytta hemifrån och ha en egen ekonomi.",
          "Syntetiskt exempel: vill inte att familjen ska oroa sig.")
_OWN_ACTION = "Syntetiskt exempel: samtal med socialsekreteraren varannan vecka"


@dataclass(frozen=True)
class Identity:
    """A made-up birth date and serial whose number has a correct check digit (never stored)."""

    birth: dt.date
    serial: int

    @property
    def number(self) -> str:
        return synthetic_number(self.birth, self.serial)


def identities(seed: int, young_people: int, start: dt.date, months: int, today: dt.date) -> Iterator[tuple[Identity, dt.date]]:
    """Each young person's identity and intake date, in order; the tests use it to look for the
    numbers in the database file."""
    end = min(add_months(start, max(1, months * 3 // 4)), today)
    span = max(0, (end - start).days)
    taken: set[tuple[dt.date, int]] = set()
    for index in range(young_people):
        rng = random.Random(f"riskmanual-demo:{seed}:{index}:who")
        intake = start + dt.timedelta(days=rng.randint(0, span))
        age = min(24, 15 + int(rng.expovariate(1 / 2.6)))
        birth = intake - dt.timedelta(days=365 * age + rng.randint(30, 330) + age // 4)
        serial = rng.randint(1, 999)
        while (birth, serial) in taken:
            serial = serial % 999 + 1
        taken.add((birth, serial))
        yield Identity(birth, serial), intake


def _birthday(birth: dt.date, years: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # born on 29 February
        return dt.date(birth.year + years, 3, 1)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class _Answers:
    """Answers to one instrument drawn from a latent risk ``z`` (higher is more risk)."""

    def __init__(self, instrument: Instrument) -> None:
        from ..scoring import applicable

        self.instrument = instrument
        self._applicable = applicable
        self.order: dict[str, list[str]] = {}
        for item in instrument.items:
            response = item.response
            sign = instrument.sign(item)
            if isinstance(response, ChoiceResponse):
                codes = [o.code for o in response.options]
                if sign:
                    codes = [o.code for o in sorted(response.options, key=lambda o: sign * o.points)]
                self.order[item.id] = codes
            elif isinstance(response, BooleanResponse):
                self.order[item.id] = ["no", "yes"] if sign * (response.points.yes - response.points.no) >= 0 \
                    else ["yes", "no"]

    def draw(self, z: float, rng: random.Random, age: int, unknown_rate: float) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for item in self.instrument.items:
            if not isinstance(item.response, DerivedResponse):
                answers[item.id] = self._one(item, z, rng)
        return self.fit(answers, rng, age, unknown_rate, z)

    def _one(self, item: Any, z: float, rng: random.Random) -> Any:
        response = item.response
        if isinstance(response, NumericResponse):
            mean = math.exp(-0.2 + 0.9 * z + rng.gauss(0, 0.4))
            return int(min(response.max, max(response.min, _poisson(rng, mean))))
        codes = self.order[item.id]
        if self.instrument.sign(item) == 0:  # information: mostly the first option
            return codes[0] if rng.random() < 0.6 else rng.choice(codes)
        level = 0.9 * z + rng.gauss(0, 1.0) - (0.7 if item.critical else 0.0)
        cuts = [-0.2 + 1.2 * k for k in range(len(codes) - 1)] if len(codes) > 2 else [0.3]
        return codes[sum(level > c for c in cuts)]

    def fit(self, answers: dict[str, Any], rng: random.Random, age: int, unknown_rate: float,
            z: float | None = None) -> dict[str, Any]:
        """Leave out or mark not_applicable what does not apply, answer (with ``z``) what has come
        to apply (an age passed, another answer changed); some answers unknown."""
        items = self.instrument.items_by_id
        for _ in range(4):  # a condition may depend on an item that itself depends on one
            values = {k: (float(v) if isinstance(v, int) else v) for k, v in answers.items()
                      if v not in ("unknown", "not_applicable")}
            applies = self._applicable(self.instrument, values, age)
            changed = False
            for item_id, ok in applies.items():
                item = items[item_id]
                if isinstance(item.response, DerivedResponse):
                    continue
                value = answers.get(item_id)
                if not ok and value is not None and value != "not_applicable":
                    if item.allow_not_applicable:
                        answers[item_id] = "not_applicable"
                    else:
                        del answers[item_id]
                    changed = True
                elif ok and z is not None and (value is None or value == "not_applicable") \
                        and item.applies_when is not None:
                    answers[item_id] = self._one(item, z, rng)
                    changed = True
            if not changed:
                break
        for item_id, value in list(answers.items()):
            item = items[item_id]
            if value != "not_applicable" and not item.required and item.allow_unknown and rng.random() < unknown_rate:
                answers[item_id] = "unknown"
        return answers

    def change(self, answers: dict[str, Any], rng: random.Random, age: int, better: float,
               z: float) -> dict[str, Any]:
        """A reassessment: dynamic items move a step, toward less risk with probability ``better``."""
        changed = dict(answers)
        for item in self.instrument.items:
            if item.stability != "dynamic" or item.id not in self.order or self.instrument.sign(item) == 0:
                continue
            value = changed.get(item.id)
            codes = self.order[item.id]
            if value not in codes:
                continue
            position = codes.index(value)
            draw = rng.random()
            if draw < better and position > 0:
                changed[item.id] = codes[position - 1]
            elif draw > 0.93 and position < len(codes) - 1:
                changed[item.id] = codes[position + 1]
        return self.fit(changed, rng, age, 0.0, z)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-min(mean, 30.0)), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


@dataclass
class _Rows:
    """Rows to insert, table by table, with the next id of each."""

    next_id: dict[str, int]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> int:
        if "id" not in row:
            row["id"] = self.next_id[table]
            self.next_id[table] += 1
        self.tables.setdefault(table, []).append(row)
        return int(row["id"])

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def _at(day: dt.date, rng: random.Random, now: dt.datetime) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(8, 0), dt.timezone.utc) + dt.timedelta(minutes=rng.randint(0, 540))
    return min(moment, now)


class _Person:
    """One made-up young person's course, written as rows."""

    def __init__(self, filler: "_Filler", index: int, who: Identity, intake: dt.date) -> None:
        self.f, self.who, self.intake = filler, who, intake
        self.rng = random.Random(f"riskmanual-demo:{filler.seed}:{index}:course")
        self.z = self.rng.gauss(0.0, 1.0)
        self.engagement = self.rng.betavariate(2.5, 1.8)
        self.assessor = self.rng.choice(ASSESSORS)
        self.facts: list[ConsentFact] = []
        self.closed: dt.date | None = None
        self.done_events: list[dict[str, Any]] = []
        self.commitment_count = 0

    # --- the pieces ---------------------------------------------------------------------

    def at(self, day: dt.date) -> dt.datetime:
        return _at(day, self.rng, self.f.now)

    def consent(self, kind: str, signatory: str, agencies: list[str], day: dt.date) -> None:
        event = self.f.rows.add("consent_events", subject_id=self.subject_id, kind=kind, signatory=signatory,
                                agencies=agencies, legal_basis="consent" if kind == "record" else None, date=day,
                                expires=None, note=None, recorded_at=self.at(day), recorded_by=self.assessor)
        self.facts.append(ConsentFact(kind, signatory, tuple(agencies), day, None, event))

    def allows(self, agency: str, day: dt.date) -> bool:
        return consent_state(self.facts, self.who.birth, self.guardians, day).allows(agency)

    def assess(self, instrument: Instrument, answers: dict[str, Any], day: dt.date,
               notes: dict[str, str] | None = None) -> tuple[int, Any]:
        from ..scoring import score

        document: dict[str, Any] = {"instrument": instrument.id, "version": instrument.version,
                                    "assessment_date": day.isoformat(), "answers": answers}
        if notes:
            document["notes"] = notes
        document["birth_date"] = self.who.birth.isoformat()
        result = score(instrument, document, lang="sv", today=self.f.today)
        row = self.f.rows.add(
            "assessments", subject_id=self.subject_id, instrument_id=instrument.id,
            instrument_version=instrument.version, instrument_sha256=result.instrument.sha256,
            assessment_date=day, status=result.status, total=result.total,
            band=result.band.id if result.band else None,
            final_band=result.final_band.id if result.final_band else None, answers=document,
            result=result.model_dump(mode="json"), corrects_id=None, age_override=None, created_at=self.at(day),
            created_by=self.assessor)
        return row, result

    def follow_up(self, kind: str, day: dt.date, reason: str | None = None) -> None:
        self.f.rows.add("follow_ups", subject_id=self.subject_id, kind=kind, date=day, reason=reason, note=None,
                        created_at=self.at(day), created_by=self.assessor)

    # --- the course -----------------------------------------------------------------------

    def run(self) -> None:
        f, rng = self.f, self.rng
        today = f.today
        number = parse_personal_number(self.who.number, today=today)
        alias = pseudonym(f.key, number)
        age = age_on(self.who.birth, self.intake)
        self.guardians = 0 if age >= 18 else (2 if rng.random() < 0.7 else 1)
        self.subject_id = f.rows.add("subjects", pseudonym=alias, birth_date=number.birth_date,
                                     coordination=number.coordination, guardians=self.guardians,
                                     created_at=self.at(self.intake), created_by=self.assessor, version=1)
        del number
        consent_day = self.intake + dt.timedelta(days=rng.randint(0, 10))
        agencies = ["social_services"] + [a for a in _OFTEN if rng.random() < 0.55]
        if age >= 18:
            agencies = [a for a in agencies if a != "child_psychiatry"]
        reporting = rng.random() >= 0.08
        scopes = agencies + ([REPORTING] if reporting else [])
        signatories = ["young_person"] + [f"guardian_{n}" for n in range(1, self.guardians + 1)]
        for signatory in signatories:
            self.consent("record", signatory, scopes, consent_day)
        if rng.random() < 0.3:  # a screen first
            screen_day = consent_day + dt.timedelta(days=rng.randint(0, 5))
            self.assess(f.screening, f.screening_answers.draw(self.z, rng, age_on(self.who.birth, screen_day), 0.03),
                        screen_day)
        else:
            screen_day = consent_day
        day = screen_day + dt.timedelta(days=rng.randint(3, 21))
        if day > today:
            return
        answers = f.assessment_answers.draw(self.z, rng, age_on(self.who.birth, day), 0.03)
        first: tuple[int, Any] | None = None
        notes = {"own_view": rng.choice(_GOALS)} if rng.random() < 0.5 else None
        if rng.random() < 0.03:  # much unknown: often incomplete, then redone a little later
            rough = f.assessment_answers.fit(dict(answers), rng, age_on(self.who.birth, day), 0.35)
            first = self.assess(f.assessment, rough, day)
            if first[1].status == "complete":
                answers = rough
            elif day + dt.timedelta(days=21) > today:
                return
            else:
                first = None
                day += dt.timedelta(days=rng.randint(7, 21))
                answers = f.assessment_answers.fit(answers, rng, age_on(self.who.birth, day), 0.0, self.z)
        baseline, result = first or self.assess(f.assessment, answers, day, notes)
        if result.status != "complete":
            return
        met = bool(result.target_group and result.target_group.met)
        decided = day + dt.timedelta(days=rng.randint(2, 20))
        if decided > today:
            return
        if met:
            selected = rng.random() < 0.85
            reason = rng.choice(_SELECT_REASONS if selected else _NOT_SELECTED_OVERRIDE)
        else:
            selected = rng.random() < 0.06
            reason = rng.choice(_SELECT_OVERRIDE if selected else _NOT_SELECTED)
        involved = [a for a in agencies if self.allows(a, decided)]
        f.rows.add("decisions", subject_id=self.subject_id, assessment_id=baseline, selected=selected, reason=reason,
                   agencies=involved, decided_on=decided, created_at=self.at(decided), created_by=self.assessor)
        withdraw_on = self._plan_withdrawal(decided, signatories, scopes)
        self.f.selected += selected
        if not selected:
            self._not_selected(decided, withdraw_on)
        else:
            self._selected(baseline, result, answers, decided, notes, withdraw_on)
        self._outcomes(day, selected)

    def _plan_withdrawal(self, decided: dt.date, signatories: list[str],
                         scopes: list[str]) -> tuple[dt.date, list[str]] | None:
        """A few young people withdraw some consent after the decision (reporting, or an agency)."""
        rng = self.rng
        if rng.random() >= 0.06:
            return None
        day = decided + dt.timedelta(days=rng.randint(30, 400))
        if day > self.f.today:
            return None
        choices = [s for s in scopes if s != "social_services"] or ["social_services"]
        withdrawn = [rng.choice(choices)] if rng.random() < 0.85 else ["social_services"]
        signatory = "young_person"
        if signatory in signatories:
            self.consent("withdraw", signatory, withdrawn, day)
        return day, withdrawn

    def _not_selected(self, decided: dt.date, withdrawal: tuple[dt.date, list[str]] | None) -> None:
        rng = self.rng
        if rng.random() < 0.8:
            day = decided + dt.timedelta(days=rng.randint(7, 40))
            if day <= self.f.today:
                self.closed = day
                self.follow_up("closure", day, "declined" if rng.random() < 0.2 else "other")

    def _selected(self, baseline: int, result: Any, answers: dict[str, Any], decided: dt.date,
                  notes: dict[str, str] | None, withdrawal: tuple[dt.date, list[str]] | None) -> None:
        f, rng, today = self.f, self.rng, self.f.today
        drafted = decided + dt.timedelta(days=rng.randint(0, 7))
        if drafted > today:
            return
        plan = f.rows.add("plans", subject_id=self.subject_id, assessment_id=baseline, state="draft",
                          goals=(notes or {}).get("own_view"), drafted_on=drafted, committed_on=None,
                          created_at=self.at(drafted), created_by=self.assessor, version=1)
        follow_months = 3
        proposed: list[dict[str, Any]] = []
        for need in result.model_dump(mode="json").get("needs", []):
            for intervention in need.get("interventions", []):
                agency = intervention.get("agency", "")
                if agency in AGENCIES and self.allows(agency, drafted):
                    proposed.append({"need": need.get("item"), "agency": agency,
                                     "action": str(intervention.get("label", ""))})
        if not proposed:
            proposed.append({"need": None, "agency": "social_services", "action": _OWN_ACTION})
        committed = drafted + dt.timedelta(days=rng.randint(3, 14))
        if committed > today:
            committed = None
        commitments = [_Commitment(self, plan, entry, drafted, add_months(drafted, follow_months))
                       for entry in proposed]
        if committed is not None:  # the draft proposes much; a few commitments are kept, the rest dropped
            needs = list(dict.fromkeys(c.entry["need"] for c in commitments))[:rng.randint(2, 4)]
            kept = {rng.choice([i for i, c in enumerate(commitments) if c.entry["need"] == need]) for need in needs}
            for i, c in enumerate(commitments):
                if i not in kept:
                    c.move("withdrawn", drafted + dt.timedelta(days=rng.randint(0, (committed - drafted).days)),
                           _DROPPED)
        if committed is None:
            for c in commitments:
                c.write()
            return
        for c in commitments:
            if c.state == "proposed":
                c.move("agreed", committed)
        f.rows.tables["plans"][-1].update(state="committed", committed_on=committed)
        end, closure = today, None
        if withdrawal is not None:
            day, scopes = withdrawal
            for c in commitments:
                if c.agency in scopes or "social_services" in scopes:
                    c.stop_at = min(c.stop_at or day, day)
            if "social_services" in scopes:
                closure = (day, "consent_withdrawn")
        if rng.random() < 0.12:  # moves away or declines part-way
            early = (committed + dt.timedelta(days=rng.randint(60, 500)), rng.choice(("moved", "declined")))
            closure = min(closure or early, early)
        too_old = _birthday(self.who.birth, _MAX_AGE + 1)
        if too_old <= today and (closure is None or too_old < closure[0]):
            closure = (too_old, "age")
        if closure is not None and closure[0] <= today:
            end = closure[0]
        else:
            closure = None
        for c in commitments:
            c.live(min(end, c.stop_at or end))
        live = [c for c in commitments if not c.dropped]
        if closure is None and all(c.final_on for c in live):
            finished = max(c.final_on for c in live if c.final_on)
            done = sum(c.state == "done" for c in live) / len(live)
            reason = "goals_met" if rng.random() < 0.3 + 0.6 * done else rng.choice(("declined", "other"))
            day = finished + dt.timedelta(days=rng.randint(10, 60))
            if day <= today:
                closure, end = (day, reason), day
        self._reassess(answers, committed, commitments, end)
        if closure is not None:
            self.closed = closure[0]
            self.follow_up("closure", closure[0], closure[1])
            for c in commitments:
                c.close(closure[0])
        for c in commitments:
            c.write()

    def _reassess(self, answers: dict[str, Any], committed: dt.date, commitments: list["_Commitment"],
                  end: dt.date) -> None:
        """Reassessments every three to six months until ``end``; dynamic items improve more
        often as commitments are done."""
        f, rng = self.f, self.rng
        day, current = committed, answers
        while True:
            day = day + dt.timedelta(days=rng.randint(90, 180))
            if day >= end:
                break
            age = age_on(self.who.birth, day)
            done = sum(1 for c in commitments if c.state == "done" and c.final_on and c.final_on <= day)
            share = done / max(1, sum(not c.dropped for c in commitments))
            current = f.assessment_answers.change(current, rng, age, 0.08 + 0.35 * share * (0.5 + self.engagement),
                                                  self.z - share)
            self.assess(f.assessment, current, day)

    def _outcomes(self, assessed: dt.date, selected: bool) -> None:
        """New offences (more with a higher latent risk, fewer with done commitments), school or
        work started, completed interventions and meetings: follow-up rows."""
        rng, today = self.rng, self.f.today
        done_days = sorted(row["date"] for row in self.done_events)
        months = 0
        offences = 0
        started_school = False
        while offences < 4:
            month_start = add_months(assessed, months) + dt.timedelta(days=1)
            if month_start > today:
                break
            done_share = sum(1 for d in done_days if d <= month_start) / max(1, self.commitment_count)
            p = _sigmoid(-3.4 + 1.1 * self.z - 1.4 * done_share)
            day = month_start + dt.timedelta(days=rng.randint(0, 27))
            if rng.random() < p and day <= today:
                offences += 1
                self.follow_up("new_offence", day)
            if not started_school and rng.random() < _sigmoid(-3.4 - 0.5 * self.z + (0.9 if selected else 0.0)
                                                              + 1.2 * done_share) and day <= today:
                started_school = True
                self.follow_up("school_or_work_started", day)
            months += 1
        for day in done_days:
            if rng.random() < 0.5:
                self.follow_up("intervention_completed", day)


class _Commitment:
    """One commitment's course: its state events, oldest first."""

    def __init__(self, person: _Person, plan: int, entry: dict[str, Any], drafted: dt.date, follow_up: dt.date) -> None:
        self.p, self.plan, self.entry = person, plan, entry
        self.agency = entry["agency"]
        self.start, self.follow_up_date = drafted, follow_up
        self.state, self.reason = "proposed", None
        self.events: list[tuple[str, str, dt.date, str | None, str | None]] = [("state", "proposed", drafted, None, None)]
        self.final_on: dt.date | None = None
        self.stop_at: dt.date | None = None

    @property
    def dropped(self) -> bool:
        """Withdrawn from the draft before the plan was committed."""
        return self.state == "withdrawn" and self.reason == _DROPPED

    def move(self, state: str, day: dt.date, reason: str | None = None) -> None:
        self.state = state
        if state in ("not_done", "withdrawn"):
            self.reason = reason
        if state in ("done", "not_done", "withdrawn"):
            self.final_on = day
        self.events.append(("state", state, day, reason, None))

    def live(self, end: dt.date) -> None:
        """From agreed on: started, followed up every three months, then done, not done or withdrawn."""
        rng, p = self.p.rng, self.p
        if self.state != "agreed":
            return
        day = self.events[-1][2]
        begin = day + dt.timedelta(days=rng.randint(0, 45))
        if begin > end:
            return
        if rng.random() < 0.1:
            self.move("not_done", begin, rng.choice(_NOT_DONE))
            return
        self.move("started", begin)
        length = rng.randint(60, 260)
        finish = begin + dt.timedelta(days=length)
        follow = self.follow_up_date
        while follow <= min(end, finish):
            if follow >= self.events[-1][2]:
                self.events.append(("follow_up", self.state, follow, None, rng.choice(_OUTCOMES)))
                self.follow_up_date = add_months(follow, 3)
            follow = add_months(follow, 3)
        if finish > end:
            return
        draw = rng.random()
        if draw < 0.35 + 0.55 * p.engagement:
            self.move("done", finish)
        elif draw < 0.93:
            self.move("not_done", finish, rng.choice(_NOT_DONE))
        else:
            self.move("withdrawn", finish, rng.choice(_WITHDRAWN))

    def close(self, day: dt.date) -> None:
        if self.state not in ("done", "not_done", "withdrawn") and day >= self.events[-1][2]:
            self.move("withdrawn", day, _CLOSED if self.stop_at is None or self.stop_at > day else _CONSENT_GONE)

    def write(self) -> None:
        if self.stop_at is not None and self.state not in ("done", "not_done", "withdrawn") \
                and self.stop_at >= self.events[-1][2]:
            self.move("withdrawn", self.stop_at, _CONSENT_GONE)
        p, rows = self.p, self.p.f.rows
        commitment = rows.add("commitments", plan_id=self.plan, subject_id=p.subject_id, need=self.entry["need"],
                              agency=self.agency, contact_role=None, action=self.entry["action"], goal=None,
                              start_date=self.start, follow_up_date=self.follow_up_date, state=self.state,
                              reason=self.reason, created_at=p.at(self.start), created_by=p.assessor, version=1)
        for kind, state, day, reason, outcome in self.events:
            row = {"commitment_id": commitment, "kind": kind, "state": state, "date": day, "reason": reason,
                   "outcome": outcome, "created_at": p.at(day), "created_by": p.assessor}
            rows.add("commitment_events", **row)
            if kind == "state" and state == "done":
                p.done_events.append(row)
        p.commitment_count += not self.dropped


class _Filler:
    def __init__(self, store: Store, seed: int, today: dt.date, next_id: dict[str, int]) -> None:
        from ..registry import load_instrument

        self.seed, self.today, self.key, self.now = seed, today, store.key, store.now()
        self.assessment = load_instrument(ASSESSMENT)
        self.screening = load_instrument(SCREENING)
        self.assessment_answers = _Answers(self.assessment)
        self.screening_answers = _Answers(self.screening)
        self.rows = _Rows(next_id)
        self.selected = 0


#: Tables in the order they are inserted (foreign keys first).
_TABLES = ("subjects", "consent_events", "assessments", "decisions", "plans", "commitments", "commitment_events",
           "follow_ups")
_BATCH = 2000


def fill_store(store: Store, *, young_people: int = 300, seed: int = 1, start: dt.date = dt.date(2024, 12, 1),
               months: int = 24, today: dt.date | None = None, force: bool = False) -> dict[str, Any]:
    """Fill ``store`` with a synthetic cohort of ``young_people`` taken in from ``start`` over
    ``months`` months (every date on or before ``today``); return the counts of what was written.

    A store that already has subjects is refused unless ``force``, so that synthetic and real
    cases are not mixed by mistake. One audit entry (``demo_data.fill``) records the fill.
    """
    from sqlalchemy import func, insert, select, text

    from . import models
    from .audit import append

    today = today or dt.date.today()
    if young_people < 1 or young_people > 1_000_000:
        raise StoreError(tr("the number of young people must be 1 to 1000000, not {n}", n=young_people))
    if months < 1 or months > 120:
        raise StoreError(tr("the number of months must be 1 to 120, not {n}", n=months))
    if start > today:
        raise StoreError(tr("the start {date} is in the future", date=start.isoformat()))
    classes = {"subjects": models.Subject, "consent_events": models.ConsentEvent, "assessments": models.Assessment,
               "decisions": models.Decision, "plans": models.Plan, "commitments": models.Commitment,
               "commitment_events": models.CommitmentEvent, "follow_ups": models.FollowUp}
    written = {name: 0 for name in _TABLES}
    with store.transaction() as session:  # one transaction: the whole cohort and its audit entry, or nothing
        existing = int(session.execute(select(func.count()).select_from(models.Subject)).scalar_one())
        if existing and not force:
            raise StoreError(tr("the case store already has {n} young people: synthetic cases are not mixed with "
                                "real ones; use a new store (--db) or give --force", n=existing))
        next_id = {name: int(session.execute(select(func.coalesce(func.max(cls.id), 0))).scalar_one()) + 1
                   for name, cls in classes.items()}
        taken = set(session.execute(select(models.Subject.pseudonym)).scalars()) if existing else set()
        filler = _Filler(store, seed, today, next_id)
        end = min(add_months(start, months), today)
        people = 0
        for index, (who, intake) in enumerate(identities(seed, young_people, start, months, today)):
            if intake > end:
                continue
            alias = pseudonym(store.key, parse_personal_number(who.number, today=today))
            if alias in taken:  # the same made-up person from an earlier fill (--force): not twice
                continue
            _Person(filler, index, who, intake).run()
            people += 1
            if filler.rows.count("assessments") >= _BATCH * 2:
                _flush(session, filler.rows, classes, written, insert)
        _flush(session, filler.rows, classes, written, insert)
        summary = {"young_people": people, **written, "selected": filler.selected, "seed": seed,
                   "start": start.isoformat(), "months": months, "today": today.isoformat()}
        if session.get_bind().dialect.name == "postgresql":  # ids were given: move the sequences past them
            for name in _TABLES:
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))
        append(session, actor=store.actor, action="demo_data.fill", subject=None, records=dict(summary),
               at=store.now())
    return summary


def _flush(session: Any, rows: _Rows, classes: dict[str, Any], written: dict[str, int], insert: Any) -> None:
    """Insert what has been gathered (foreign keys first) and let it go from memory."""
    for name in _TABLES:
        batch = rows.tables.get(name, [])
        for offset in range(0, len(batch), _BATCH):
            session.execute(insert(classes[name]), batch[offset:offset + _BATCH])
        written[name] += len(batch)
    rows.tables.clear()
