"""FROZEN COPY of riskmanual/scoring.py before the compiled scorer (issue #12): the oracle of
tests/test_compiled_differential.py only. Never edit, never import from the package.

Score answers against an instrument: points, applicability, missing-item rules, bands.

:func:`score` is pure: the same instrument and answers (and ``today``) give the same
:class:`~riskmanual.result.Result`. It raises :class:`~riskmanual.errors.AnswersError` with
every problem when the answers do not fit the instrument.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from riskmanual._version import __version__
from riskmanual.answers import NO_VALUE as _NO_VALUE
from riskmanual.answers import (
    NOT_APPLICABLE,
    UNKNOWN,
    Answers,
    Normalised,
    age_in_years,
    check_answers,
    issues_from,
    wrong_document,
)
from riskmanual.conditions import answer_label, either
from riskmanual.errors import AnswersError, Issue
from riskmanual.instrument import (
    AllOf,
    AnyOf,
    BooleanResponse,
    ChoiceResponse,
    Comparison,
    Condition,
    DerivedResponse,
    Instrument,
    Item,
    NumericResponse,
)
from riskmanual.messages import count_items, message, tr
from riskmanual.result import Result
from riskmanual.text import localize

__all__ = ["parse_answers", "score"]

_ROUND = 9

#: Parts of a result are built as plain dicts and validated once, as a whole, into a Result
#: (pydantic's validation in Rust is faster than constructing each nested model in Python).
Out = dict[str, Any]


@dataclass(frozen=True)
class _ItemPlan:
    """What the engine needs to know of one item, computed once per instrument."""

    item: Item
    index: int
    sign: float  # how its points enter the total
    scale_sign: float  # how its points enter its own scale
    low: float  # lowest and highest contribution to its own scale
    high: float
    chain: tuple[str, ...]  # its domain and the domain's ancestors
    handling: str  # the missing rule that applies to it


@dataclass(frozen=True)
class _Plan:
    items: tuple[_ItemPlan, ...]
    by_id: dict[str, _ItemPlan]
    limits: tuple[tuple[str, int], ...]  # domains with their own max_missing
    band_ids: tuple[str, ...]


def _plan(instrument: Instrument) -> _Plan:
    """Lookup tables for scoring, cached on the instrument (it is not changed after loading)."""
    return instrument.memo("oracle_v1.plan", lambda: _make_plan(instrument))


def _make_plan(instrument: Instrument) -> _Plan:
    parents = instrument.domain_parents
    items = []
    for index, item in enumerate(instrument.items):
        scale = instrument.scale_sign(item)
        low, high = sorted(scale * p for p in item.points_range())
        items.append(_ItemPlan(
            item=item, index=index, sign=instrument.sign(item), scale_sign=scale, low=low + 0.0, high=high + 0.0,
            chain=(item.domain, *parents.get(item.domain, ())),
            handling=instrument.missing_rule(item.domain).handling,
        ))
    limits = tuple(
        (domain.id, domain.missing.max_missing)
        for domain, _parents in instrument.walk_domains()
        if domain.missing is not None and domain.missing.max_missing is not None
    )
    return _Plan(items=tuple(items), by_id={p.item.id: p for p in items}, limits=limits,
                 band_ids=tuple(b.id for b in instrument.bands))


def parse_answers(data: Answers | Mapping[str, Any], *, file: str | None = None, locate: Any = None) -> Answers:
    """Validate the shape of an answers document; raise :class:`AnswersError` listing every problem."""
    if isinstance(data, Answers):
        return data
    if not isinstance(data, Mapping):
        raise AnswersError(tr("answers must be a mapping"), [Issue(tr("answers must be a mapping of keys"), file=file)])
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        problems = [(tuple(e["loc"]), _pydantic_message(e), _input(e)) for e in exc.errors()]
        raise AnswersError(tr("{file}: invalid answers", file=file or "answers"), issues_from(problems, file, locate)) from None


def _input(error: Mapping[str, Any]) -> Any:
    """The offending value, when it is one value (not the whole document a key is missing from)."""
    value = error.get("input")
    return _NO_VALUE if error["type"] == "missing" or isinstance(value, (dict, list)) else value


def _pydantic_message(error: Mapping[str, Any]) -> Any:
    if error["type"] == "extra_forbidden":
        return tr("unknown key (allowed: {keys})", keys=list(Answers.model_fields))
    if error["type"] == "missing":
        return tr("missing required key")
    if error["type"] == "date_format":
        return tr("expected a date written YYYY-MM-DD")
    from riskmanual.loading import pydantic_message

    return pydantic_message(error)


def score(
    instrument: Instrument,
    answers: Answers | Mapping[str, Any],
    *,
    lang: str | None = None,
    today: dt.date | None = None,
    file: str | None = None,
    locate: Any = None,
) -> Result:
    """Score ``answers`` against ``instrument`` and explain how the total came about.

    ``lang`` picks the language of labels in the result (default: the instrument's first);
    ``today`` is the date against which future assessment dates are refused (default: today).
    ``file`` and ``locate`` (a function from path to line and column) only place errors.
    """
    wrong = wrong_document(instrument, answers) if isinstance(answers, (Mapping, Answers)) else []
    if wrong:  # answers for another instrument or version: that is the one error, not every item
        raise AnswersError(_do_not_fit(instrument, file, 1), issues_from(wrong, file, locate))
    parsed = parse_answers(answers, file=file, locate=locate)
    lang = lang or instrument.languages[0]
    values, problems = check_answers(instrument, parsed, today=today or dt.date.today())
    age = age_in_years(parsed.birth_date, parsed.assessment_date) if parsed.birth_date else None
    state = _State(instrument, values, age)
    problems += state.check_applicability()
    if problems:
        raise AnswersError(_do_not_fit(instrument, file, len(problems)), issues_from(problems, file, locate))
    return state.result(parsed, lang, file, locate)


def applicable(instrument: Instrument, values: dict[str, Normalised], age: int | None) -> dict[str, bool]:
    """Which items apply given the answers so far (``False`` only where a condition is known to be
    false), the same rule scoring uses; for a form that asks only what applies."""
    state = _State(instrument, values, age)
    return {item.id: state.applies(item) for item in instrument.items}


class _State:
    """Working state of one scoring: which items apply, their status and points."""

    def __init__(self, instrument: Instrument, values: dict[str, Normalised], age: int | None) -> None:
        self.instrument = instrument
        self.plan = _plan(instrument)
        self.items = instrument.items_by_id
        self.values = values
        self.age = age
        self._applies: dict[str, bool] = {}

    # --- applicability -------------------------------------------------------------

    def value_of(self, item_id: str) -> Normalised | None:
        """The usable answer of an item: None when it does not apply, is missing or unknown."""
        item = self.items[item_id]
        if not self.applies(item):
            return None
        if isinstance(item.response, DerivedResponse):
            return float(self.age) if self.age is not None else None
        value = self.values.get(item_id)
        return None if value in (None, UNKNOWN, NOT_APPLICABLE) else value

    def applies(self, item: Item) -> bool:
        """False only when the item's condition is known to be false; unknown means it applies."""
        if item.id not in self._applies:
            if self.values.get(item.id) == NOT_APPLICABLE and item.allow_not_applicable:
                self._applies[item.id] = False
            elif item.applies_when is None:
                self._applies[item.id] = True
            else:
                self._applies[item.id] = self.evaluate(item.applies_when) is not False
        return self._applies[item.id]

    def evaluate(self, condition: Condition) -> bool | None:
        """Three-valued: True, False, or None when an answer it needs is not available."""
        if isinstance(condition, AllOf):
            results = [self.evaluate(child) for child in condition.all]
            return False if False in results else (None if None in results else True)
        if isinstance(condition, AnyOf):
            results = [self.evaluate(child) for child in condition.any]
            return True if True in results else (None if None in results else False)
        assert isinstance(condition, Comparison)
        return _compare(self.items[condition.item], self.value_of(condition.item), condition)

    def check_applicability(self) -> list[tuple[tuple[str | int, ...], str, Any]]:
        problems = []
        for item_id, value in self.values.items():
            item = self.items[item_id]
            if item.applies_when is None or value == NOT_APPLICABLE:
                continue
            if not self.applies(item):
                problems.append((("answers", item_id), tr("item '{item}' does not apply here (its condition is "
                                                          "false): leave it out or answer not_applicable", item=item_id),
                                 value))
        for item_id, value in self.values.items():
            item = self.items[item_id]
            if value != NOT_APPLICABLE or item.applies_when is None or item.allow_not_applicable:
                continue  # answers.check_answers judged it
            if self.applies(item):
                problems.append((("answers", item_id), tr("item '{item}' applies here (its condition holds or "
                                                          "cannot be decided): it cannot be not_applicable", item=item_id),
                                 value))
        for entry in self.plan.items:
            item = entry.item
            if item.required and item.id not in self.values and self.applies(item):
                problems.append((("answers", item.id), tr("item '{item}' is required and applies here: answer it "
                                                          "(it is never estimated)", item=item.id), _NO_VALUE))
        return problems

    # --- the result ----------------------------------------------------------------

    def result(self, answers: Answers, lang: str, file: str | None, locate: Any) -> Result:
        instrument = self.instrument
        plan = self.plan
        contributions: list[Out] = []
        information: list[Out] = []
        missing: list[Out] = []
        unknown: list[Out] = []
        not_applicable: list[Out] = []
        unscored: list[_ItemPlan] = []
        raw_points: dict[str, float] = {}
        low = high = 0.0

        for entry in plan.items:
            item = entry.item
            if not self.applies(item):
                not_applicable.append(_ref(item, lang))
                continue
            if entry.sign:  # counts in the total, where its contribution is its scale contribution
                low, high = low + entry.low, high + entry.high
            value = self.value_of(item.id)
            if value is None:
                if item.scored:
                    (unknown if self.values.get(item.id) == UNKNOWN else missing).append(_ref(item, lang))
                    unscored.append(entry)
                continue
            points, label = _points(item, value, lang)
            raw_points[item.id] = points
            contribution = dict(
                item=item.id, label=localize(item.label, lang), domain=item.domain, kind=item.kind,
                stability=item.stability, response=value, response_label=label,
                points=_round(entry.scale_sign * points), imputed=False,
                critical=_is_critical(item, value), note=answers.notes.get(item.id),
            )
            (contributions if item.scored else information).append(contribution)

        report, complete = self._missing_report(unscored, lang)
        if complete:
            for entry in unscored:
                if entry.handling == "prorate":
                    item = entry.item
                    imputed = self._impute(item, raw_points)
                    contributions.append(dict(
                        item=item.id, label=localize(item.label, lang), domain=item.domain, kind=item.kind,
                        stability=item.stability, response=None,
                        response_label=message("imputed_unknown" if self.values.get(item.id) == UNKNOWN else "imputed", lang),
                        points=_round(entry.scale_sign * imputed), imputed=True, critical=False,
                        note=answers.notes.get(item.id),
                    ))

        contributions.sort(key=lambda c: (-abs(c["points"]), plan.by_id[c["item"]].index))
        total = _round(math.fsum(c["points"] for c in contributions if plan.by_id[c["item"]].sign))
        protective_total = None
        if instrument.scoring.protective == "separate":
            protective_total = _round(math.fsum(c["points"] for c in contributions if c["kind"] == "protective"))

        score_band = instrument.band_for(total) if complete else None
        critical = self._critical(contributions + information, score_band, lang)
        band = self._lift(score_band, [c["min_band"]["id"] for c in critical if c["min_band"]]) if complete else None
        band_ref = _band_ref(band, lang)
        judgement = self._judgement(answers, band, lang, file, locate)
        final = (judgement["band"] if judgement else band_ref) if complete else None
        final_band = instrument.band(final["id"]) if final else None
        policy = final_band.needs if final_band is not None else "consider"
        target_group = self._target_group(final_band, lang)
        return Result.model_validate(dict(
            instrument=dict(
                id=instrument.id, version=instrument.version, sha256=instrument.sha256,
                title=localize(instrument.title, lang),
            ),
            engine_version=__version__,
            lang=lang,
            assessment_date=answers.assessment_date.isoformat(),
            age=self.age,
            status="complete" if complete else "incomplete",
            total=total,
            minimum=_round(low),
            maximum=_round(high),
            protective_total=protective_total,
            band=band_ref,
            score_band=_band_ref(score_band, lang),
            recommendation=localize(final_band.recommendation, lang) or None if final_band is not None else None,
            needs_policy=policy,
            review_required=any(c["review"] for c in critical),
            critical=critical,
            robustness=self._robustness(total, contributions, unscored, critical, lang),
            final_band=final,
            judgement=judgement,
            target_group=target_group,
            probability=self._probability(total, lang) if complete else None,
            domains=self._domains(contributions, lang),
            contributions=contributions,
            protective_factors=[c for c in contributions if c["kind"] == "protective" and c["points"] != 0 and not c["imputed"]],
            information=information,
            missing=missing,
            unknown=unknown,
            not_applicable=not_applicable,
            missing_rule=report,
            needs=self._needs(contributions, lang) if policy != "none" else [],
        ))

    def _missing_report(self, unscored: list[_ItemPlan], lang: str) -> tuple[Out, bool]:
        instrument = self.instrument
        exceeded = []
        limit = instrument.scoring.missing.max_missing
        if limit is not None and len(unscored) > limit:
            exceeded.append(instrument.id)
        for domain_id, domain_limit in self.plan.limits:
            if sum(1 for entry in unscored if domain_id in entry.chain) > domain_limit:
                exceeded.append(domain_id)
        n = len(unscored)
        if exceeded:
            applied = "incomplete"
            text = message("missing.incomplete", lang, items=count_items(n, lang), scopes=", ".join(exceeded))
        elif not unscored:
            applied, text = "none", message("missing.none", lang)
        else:
            handlings = {entry.handling for entry in unscored}
            applied = handlings.pop() if len(handlings) == 1 else "prorate+zero"
            key = {"prorate": "missing.prorate", "zero": "missing.zero"}.get(applied, "missing.mixed")
            text = message(key, lang, items=count_items(n, lang))
        report = dict(
            applied=applied, max_missing=limit, counted=n, exceeded=exceeded, description=text,
        )
        return report, not exceeded

    def _impute(self, item: Item, raw_points: dict[str, float]) -> float:
        """Mean points of answered items of the same domain and kind, kept within the item's range."""
        items = self.items
        same_domain = [p for i, p in raw_points.items() if items[i].domain == item.domain and items[i].kind == item.kind]
        pool = same_domain or [p for i, p in raw_points.items() if items[i].kind == item.kind]
        mean = math.fsum(pool) / len(pool) if pool else 0.0
        low, high = item.points_range()
        return min(max(mean, low), high)

    def _judgement(self, answers: Answers, band: Any, lang: str, file: str | None, locate: Any) -> Out | None:
        instrument = self.instrument
        given = answers.judgement
        rules = instrument.judgement
        problems: list[tuple[tuple[str | int, ...], str, Any]] = []
        if given is None:
            if rules.final_rating == "assessor":
                problems.append((("judgement",), tr("this instrument's result is the assessor's final rating: "
                                                    "give judgement: {{band: ..., reason: ...}}"), None))
            _raise(problems, instrument, file, locate)
            return None
        chosen = instrument.band(given.band)
        assert chosen is not None  # checked in check_answers
        ids = self.plan.band_ids
        if band is None:
            direction = "none"
        else:
            step = ids.index(chosen.id) - ids.index(band.id)
            direction = "up" if step > 0 else "down" if step < 0 else "same"
        kind = "final_rating" if rules.final_rating == "assessor" else "override"
        if kind == "override":
            if not rules.override.allowed:
                problems.append((("judgement",), tr("{ref} does not allow the assessor to override the computed band",
                                                    ref=instrument.ref), given.band))
            elif band is None:
                problems.append((("judgement",), tr("an incomplete assessment has no computed band to override"),
                                 given.band))
            elif rules.override.direction != "both" and direction not in (rules.override.direction, "same"):
                problems.append((("judgement", "band"), _wrong_direction(rules.override.direction, given.band,
                                                                         direction, band.id), given.band))
        needs_reason = rules.override.reason_required or kind == "final_rating"
        if needs_reason and not given.reason:
            problems.append((("judgement", "reason"), tr("a written reason is required for the assessor's band"), None))
        _raise(problems, instrument, file, locate)
        return dict(kind=kind, band=_band_ref(chosen, lang), direction=direction, reason=given.reason)

    def _target_group(self, band: Any, lang: str) -> Out | None:
        instrument = self.instrument
        rule = instrument.target_group
        if rule is None:
            return None
        ids = self.plan.band_ids
        min_band = instrument.band(rule.min_band)
        assert min_band is not None
        reasons: list[str] = []
        verdicts: list[bool | None] = []
        if band is None:
            verdicts.append(None)
            reasons.append(message("tg.no_band", lang))
        else:
            ok = ids.index(band.id) >= ids.index(min_band.id)
            verdicts.append(ok)
            key = "tg.band_at" if band.id == min_band.id else "tg.band_ok" if ok else "tg.band_low"
            reasons.append(message(key, lang,
                                   band=localize(band.label, lang), min_band=localize(min_band.label, lang)))
        if rule.age is not None:
            if self.age is None:
                verdicts.append(None)
                reasons.append(message("tg.no_age", lang))
            else:
                ok = rule.age.min <= self.age <= rule.age.max
                verdicts.append(ok)
                reasons.append(message("tg.age_ok" if ok else "tg.age_out", lang,
                                       age=self.age, min=rule.age.min, max=rule.age.max))
        if rule.when is not None:
            holds = self.evaluate(rule.when)
            verdicts.append(holds)
            reasons.append(message({True: "tg.when_ok", False: "tg.when_no", None: "tg.when_unknown"}[holds], lang))
        met = False if False in verdicts else (None if None in verdicts else True)
        return dict(rule=localize(rule.label, lang), decision=localize(rule.decision, lang) or None,
                    met=met, reasons=reasons)

    def _target_met(self, band: Any) -> bool | None:
        """The target-group verdict if the band were ``band`` (age and condition as answered)."""
        rule = self.instrument.target_group
        assert rule is not None
        ids = self.plan.band_ids
        verdicts: list[bool | None] = [None if band is None else ids.index(band.id) >= ids.index(rule.min_band)]
        if rule.age is not None:
            verdicts.append(None if self.age is None else rule.age.min <= self.age <= rule.age.max)
        if rule.when is not None:
            verdicts.append(self.evaluate(rule.when))
        return False if False in verdicts else (None if None in verdicts else True)

    def _lift(self, band: Any, floors: list[str]) -> Any:
        """``band`` raised to the highest of ``floors`` (band ids), if any is higher."""
        ids = self.plan.band_ids
        if band is None or not floors:
            return band
        top = max(floors, key=ids.index)
        return self.instrument.band(top) if ids.index(top) > ids.index(band.id) else band

    def _critical(self, contributions: list[Out], score_band: Any, lang: str) -> list[Out]:
        """The critical answers given, in the instrument's order, with what follows from each."""
        ids = self.plan.band_ids
        out = []
        for c in sorted((c for c in contributions if c["critical"]), key=lambda c: self.plan.by_id[c["item"]].index):
            item = self.items[c["item"]]
            rule = item.critical_rule
            assert rule is not None
            floor = self.instrument.band(rule.min_band) if rule.min_band else None
            raised = bool(floor is not None and score_band is not None and ids.index(floor.id) > ids.index(score_band.id))
            out.append(dict(
                item=item.id, label=c["label"], response_label=c["response_label"], review=rule.review,
                min_band=_band_ref(floor, lang), raised=raised, rule=_rule_words(item, rule, floor, lang),
                reason=localize(rule.reason, lang) or None,
            ))
        return out

    def _robustness(self, total: float, contributions: list[Out], unscored: list[_ItemPlan],
                    critical: list[Out], lang: str) -> Out:
        """The totals and bands the unresolved items could still give: all lowest vs all highest."""
        plan = self.plan
        imputed = math.fsum(c["points"] for c in contributions if c["imputed"] and plan.by_id[c["item"]].sign)
        base = total - imputed
        low = high = base
        for entry in unscored:
            if not entry.sign:
                continue
            may_not_apply = entry.item.applies_when is not None
            low += min(entry.low, 0.0) if may_not_apply else entry.low
            high += max(entry.high, 0.0) if may_not_apply else entry.high
        for c in contributions:  # answered items that apply only because their condition is undecided
            item = self.items[c["item"]]
            if not c["imputed"] and item.applies_when is not None and self.evaluate(item.applies_when) is None \
                    and plan.by_id[item.id].sign:
                low, high = low + min(-c["points"], 0.0), high + max(-c["points"], 0.0)
        floors = [c["min_band"]["id"] for c in critical if c["min_band"]]
        possible = floors + [entry.item.critical_rule.min_band for entry in unscored  # type: ignore[union-attr]
                             if entry.item.critical_rule is not None and entry.item.critical_rule.min_band]
        instrument = self.instrument
        low_band = self._lift(instrument.band_for(_round(low)), floors)
        high_band = self._lift(instrument.band_for(_round(high)), possible)
        stable = None
        if instrument.target_group is not None:
            at_low, at_high = self._target_met(low_band), self._target_met(high_band)
            stable = at_low == at_high if at_low is not None and at_high is not None else None
        return dict(
            unresolved=len(unscored), imputed_points=_round(imputed), lowest_total=_round(low), highest_total=_round(high),
            lowest_band=low_band.id if low_band else None, highest_band=high_band.id if high_band else None,
            lowest_band_label=localize(low_band.label, lang) if low_band else None,
            highest_band_label=localize(high_band.label, lang) if high_band else None,
            decision_stable=stable,
        )

    def _probability(self, total: float, lang: str) -> Out | None:
        model = self.instrument.probability
        if model is None:
            return None
        common = {"sample": localize(model.sample, lang), "date": model.date, "follow_up_months": model.follow_up_months}
        if model.form == "logistic":
            return dict(value=model.probability(total), form="logistic", ci=None,
                                                       n=model.n, **common)
        row = next((r for r in model.rows if r.contains(total)), None)
        if row is None:
            return None
        return dict(value=row.rate, form="table", ci=row.ci, n=row.n, **common)

    def _domains(self, contributions: list[Out], lang: str) -> list[Out]:
        instrument = self.instrument
        sums: dict[str, list[float]] = {}
        risk: dict[str, list[float]] = {}
        protective: dict[str, list[float]] = {}
        lows: dict[str, float] = {}
        highs: dict[str, float] = {}
        answered: dict[str, int] = {}
        missing: dict[str, int] = {}
        by_item = {c["item"]: c for c in contributions}
        for entry in self.plan.items:
            item = entry.item
            if not item.scored or not self.applies(item):
                continue
            contribution = by_item.get(item.id)
            for domain_id in entry.chain:
                if entry.sign:  # the range of what the domain adds to the total
                    lows[domain_id] = lows.get(domain_id, 0.0) + entry.low
                    highs[domain_id] = highs.get(domain_id, 0.0) + entry.high
                if contribution is not None:
                    if entry.sign:
                        sums.setdefault(domain_id, []).append(contribution["points"])
                    (risk if item.kind == "risk" else protective).setdefault(domain_id, []).append(contribution["points"])
                if contribution is not None and not contribution["imputed"]:
                    answered[domain_id] = answered.get(domain_id, 0) + 1
                else:
                    missing[domain_id] = missing.get(domain_id, 0) + 1
        return [
            dict(
                id=domain.id, label=localize(domain.label, lang), parent=parents[-1] if parents else None,
                subtotal=_round(math.fsum(sums.get(domain.id, []))),
                risk=_round(math.fsum(risk.get(domain.id, []))), protective=_round(math.fsum(protective.get(domain.id, []))),
                minimum=_round(lows.get(domain.id, 0.0)), maximum=_round(highs.get(domain.id, 0.0)),
                answered=answered.get(domain.id, 0), missing=missing.get(domain.id, 0),
            )
            for domain, parents in instrument.walk_domains()
        ]

    def _needs(self, contributions: list[Out], lang: str) -> list[Out]:
        needs = []
        for entry in contributions:
            item = self.items[entry["item"]]
            if item.kind != "risk" or item.stability != "dynamic" or entry["points"] <= 0 or entry["imputed"]:
                continue
            interventions = [
                {"label": localize(i.label, lang), "agency": i.agency, "agency_label": message(f"agency.{i.agency}", lang)}
                for i in item.interventions or []
                if i.applies_when is None or self.evaluate(i.applies_when) is not False
            ]
            needs.append(dict(item=item.id, label=entry["label"], points=entry["points"], interventions=interventions))
        return needs


def _is_critical(item: Item, value: Normalised) -> bool:
    """Whether this answer is one the item's critical rule names."""
    rule = item.critical_rule
    if rule is None:
        return False
    if rule.answers is not None and str(value) in rule.answers:
        return True
    return rule.at_least is not None and isinstance(value, float) and value >= rule.at_least


def _rule_words(item: Item, rule: Any, floor: Any, lang: str) -> str:
    """The critical rule in words, in ``lang``."""
    if rule.answers is not None:
        which = either([f"'{answer_label(item, code, lang)}'" for code in rule.answers], lang)
        text = tr("the answer {answers} is critical", answers=which) if len(rule.answers) == 1 else \
            tr("the answers {answers} are critical", answers=which)
    else:
        text = tr("{value} or more is critical", value=rule.at_least)
    effects = []
    if rule.review:
        effects.append(tr("an assessor's review is required"))
    if floor is not None:
        effects.append(tr("the band is at least {band}", band=localize(floor.label, lang)))
    rendered = [e.render(lang) for e in effects]
    return text.render(lang) + (": " + "; ".join(rendered) if rendered else "")


def _raise(problems: list[Any], instrument: Instrument, file: str | None, locate: Any) -> None:
    if problems:
        raise AnswersError(_do_not_fit(instrument, file, len(problems)), issues_from(problems, file, locate))


def _do_not_fit(instrument: Instrument, file: str | None, n: int) -> Any:
    if n == 1:
        return tr("{file}: answers do not fit {ref} (1 problem)", file=file or "answers", ref=instrument.ref)
    return tr("{file}: answers do not fit {ref} ({n} problems)", file=file or "answers", ref=instrument.ref, n=n)


def _wrong_direction(allowed: str, given: str, direction: str, computed: str) -> Any:
    """``overrides may only go up; low is down from high`` in either language."""
    if allowed == "up":
        return tr("overrides may only go up; {given} is lower than the computed band {computed}", given=given,
                  computed=computed)
    return tr("overrides may only go down; {given} is higher than the computed band {computed}", given=given,
              computed=computed)


def _compare(item: Item, value: Normalised | None, condition: Comparison) -> bool | None:
    if value is None:
        return None
    targets = condition.value if isinstance(condition.value, list) else [condition.value]
    response = item.response
    if isinstance(response, BooleanResponse):
        targets = ["yes" if t is True else "no" if t is False else t for t in targets]
    op = condition.op
    if op == "in":
        return value in targets
    target = targets[0]
    if op == "=":
        return value == target
    if op == "!=":
        return value != target
    if isinstance(response, ChoiceResponse):
        codes = response.codes
        left, right = codes.index(str(value)), codes.index(str(target))
    else:
        left, right = float(value), float(target)  # type: ignore[arg-type]
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _points(item: Item, value: Normalised, lang: str) -> tuple[float, str]:
    """Points an answer gives (before the protective sign) and a readable label for it."""
    response = item.response
    if isinstance(response, BooleanResponse):
        return (response.points.yes if value == "yes" else response.points.no), message(str(value), lang)
    if isinstance(response, ChoiceResponse):
        option = next(o for o in response.options if o.code == value)
        return option.points, localize(option.label, lang)
    number = float(value)
    bins = response.bins or []
    found = next((b for b in bins if b.contains(number)), None)
    from riskmanual.numbers import quantity  # noqa: PLC0415

    unit = response.unit if isinstance(response, NumericResponse) else None
    if isinstance(response, DerivedResponse) and response.source == "age":
        unit = {"singular": {"sv": "år", "en": "year"}, "plural": {"sv": "år", "en": "years"}}
    label = quantity(number, unit, lang)  # 2,5 timmar; 1 anmälan; 17 år
    if found is not None and found.label:
        label += f" ({localize(found.label, lang)})"
    return (found.points if found else 0.0), label


def _ref(item: Item, lang: str) -> Out:
    return {"item": item.id, "label": localize(item.label, lang), "domain": item.domain}


def _band_ref(band: Any, lang: str) -> Out | None:
    return {"id": band.id, "label": localize(band.label, lang)} if band is not None else None


def _round(value: float) -> float:
    return round(value, _ROUND) + 0.0
