"""The instrument model: what a risk-assessment manual declares, as pydantic models.

These models define the *structure* of an instrument file (the shipped JSON Schema is
generated from them); :mod:`riskmanual.checks` adds the checks of *meaning* (ids resolve,
bins are gap-free, bands cover the score range, every language is present). The models
do no I/O: :mod:`riskmanual.loading` reads files and reports errors with their positions.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Annotated, Any, Callable, Literal, Optional, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .text import Text

__all__ = [
    "AGENCIES",
    "canonical_sha256",
    "NEED_CATEGORIES",
    "AgeRange",
    "Band",
    "Bin",
    "BooleanPoints",
    "BooleanResponse",
    "Calibration",
    "ChoiceResponse",
    "CriticalRule",
    "Comparison",
    "AllOf",
    "AnyOf",
    "Condition",
    "DerivedResponse",
    "Domain",
    "Guidance",
    "Instrument",
    "Intervention",
    "Item",
    "Judgement",
    "LogisticProbability",
    "MissingRule",
    "NumericResponse",
    "Option",
    "Override",
    "Probability",
    "Response",
    "Scoring",
    "TableProbability",
    "TableRow",
    "TargetGroup",
    "Unit",
]

T = TypeVar("T")

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$", max_length=64)]
SemVer = Annotated[str, Field(pattern=r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Points = Annotated[float, Field(allow_inf_nan=False)]

#: The central eight (Andrews & Bonta) plus ``other``: what a need item is about.
NEED_CATEGORIES = (
    "history",
    "personality",
    "cognition",
    "associates",
    "family",
    "school_work",
    "leisure",
    "substance_use",
    "safety",
    "mental_health",
    "housing_economy",
    "other",
)

#: Agencies that can be responsible for an intervention in a SIG action plan.
AGENCIES = (
    "social_services",
    "police",
    "school",
    "employment_service",
    "youth_clinic",
    "child_psychiatry",
    "healthcare",
    "probation",
    "leisure_services",
    "other",
)


def canonical_sha256(data: Any) -> str:
    """SHA-256 of ``data`` as canonical JSON: sorted keys, no whitespace, UTF-8."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Model(BaseModel):
    """Base for all instrument models: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True, allow_inf_nan=False)


# --- metadata -------------------------------------------------------------------


class AgeRange(Model):
    """An inclusive age range in whole years."""

    min: Annotated[int, Field(ge=0, le=120)]
    max: Annotated[int, Field(ge=0, le=120)]


class Population(Model):
    age: Optional[AgeRange] = None
    description: Optional[Text] = None


class Outcome(Model):
    """What the instrument is meant to predict, and over which time window."""

    description: Text
    window_months: Annotated[int, Field(gt=0)]


class ChangelogEntry(Model):
    """What changed in a version; ``added``, ``removed`` and ``renamed`` (old id -> new id) say it
    about item ids, so assessments made with the previous version can be carried over."""

    version: SemVer
    date: IsoDate
    changes: Text
    added: Optional[list[Slug]] = None
    removed: Optional[list[Slug]] = None
    renamed: Optional[dict[Slug, Slug]] = None


class Calibration(Model):
    """Where the points and probabilities came from: expert weights or a fitted calibration."""

    status: Literal["uncalibrated", "calibrated"]
    note: Optional[Text] = None
    date: Optional[IsoDate] = None
    data_sha256: Optional[str] = None
    n: Optional[int] = None
    events: Optional[int] = None
    method: Optional[str] = None
    parameters: Optional[dict[str, Any]] = None
    engine_version: Optional[str] = None
    metrics: Optional[dict[str, Any]] = None


# --- conditions -----------------------------------------------------------------

Scalar = Union[bool, float, str]


class Comparison(Model):
    """``item op value``: true when the answer to ``item`` compares as stated."""

    item: Slug
    op: Literal["=", "!=", "<", "<=", ">", ">=", "in"]
    value: Union[Scalar, list[Scalar]]


class AllOf(Model):
    all: Annotated[list["Condition"], Field(min_length=1)]


class AnyOf(Model):
    any: Annotated[list["Condition"], Field(min_length=1)]


Condition = Union[Comparison, AllOf, AnyOf]


# --- responses ------------------------------------------------------------------


class Option(Model):
    """One answer of a choice item: its code (what answers store), label and points."""

    code: Code
    label: Text
    points: Points = 0.0


class BooleanPoints(Model):
    yes: Points = 1.0
    no: Points = 0.0


class BooleanResponse(Model):
    type: Literal["boolean"]
    points: BooleanPoints = BooleanPoints()

    @property
    def codes(self) -> tuple[str, ...]:
        return ("yes", "no")


class ChoiceResponse(Model):
    """Ordinal (ordered, low to high) or categorical (unordered) choice among options."""

    type: Literal["ordinal", "categorical"]
    options: Annotated[list[Option], Field(min_length=2)]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


class HalfOpen(Model):
    """A half-open range ``min <= x < below``; either end may be left open (None)."""

    min: Optional[float] = None
    below: Optional[float] = None

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.below is None or value < self.below)


class Bin(HalfOpen):
    """A range of a number, and the points it gives."""

    points: Points = 0.0
    label: Optional[Text] = None


class Unit(Model):
    """A unit with its singular and plural (``1 anmälan``, ``3 anmälningar``)."""

    singular: Text
    plural: Text


class NumericResponse(Model):
    type: Literal["numeric"]
    min: float
    max: float
    integer: bool = True
    unit: Optional[Union[Unit, Text]] = None
    bins: Optional[list[Bin]] = None

    def unit_text(self, count: float) -> Text | None:
        """The unit for ``count`` (singular for exactly 1), or None."""
        if isinstance(self.unit, Unit):
            return self.unit.singular if count == 1 else self.unit.plural
        return self.unit


class DerivedResponse(Model):
    """A value the engine computes; ``age`` is whole years at the assessment date."""

    type: Literal["derived"]
    source: Literal["age"]
    bins: Optional[list[Bin]] = None


Response = Annotated[
    Union[BooleanResponse, ChoiceResponse, NumericResponse, DerivedResponse],
    Field(discriminator="type"),
]


# --- items and domains ----------------------------------------------------------


class Guidance(Model):
    """How to code an item: definition, what each rating level means, sources, time window."""

    definition: Text
    levels: Optional[dict[Code, Text]] = None
    sources: Optional[list[Text]] = None
    time_window: Optional[Text] = None
    notes: Optional[Text] = None


class Intervention(Model):
    """A suggested intervention and the agency responsible; offered only where ``applies_when`` holds."""

    label: Text
    agency: Literal[AGENCIES]  # type: ignore[valid-type]
    description: Optional[Text] = None
    applies_when: Optional[Condition] = None


class CriticalRule(Model):
    """Which answers of an item are critical, and what follows when one is given.

    ``answers`` lists the critical codes (``yes`` for a yes/no item); ``at_least`` makes a
    number critical from that value up. A critical answer always asks for an assessor's
    review (``review``) and may lift the band to at least ``min_band``.
    """

    answers: Optional[Annotated[list[Code], Field(min_length=1)]] = None
    at_least: Optional[float] = None
    review: bool = True
    min_band: Optional[Slug] = None
    reason: Optional[Text] = None


class Item(Model):
    id: Slug
    domain: Slug
    kind: Literal["risk", "protective", "information"]
    stability: Literal["static", "dynamic"]
    need: Optional[Literal[NEED_CATEGORIES]] = None  # type: ignore[valid-type]
    label: Text
    question: Optional[Text] = None
    guidance: Optional[Guidance] = None
    response: Response
    applies_when: Optional[Condition] = None
    allow_unknown: bool = True
    allow_not_applicable: bool = False
    required: bool = False
    critical: Union[bool, CriticalRule] = False
    interventions: Optional[list[Intervention]] = None
    references: Optional[list[str]] = None

    @property
    def scored(self) -> bool:
        return self.kind != "information"

    @property
    def critical_rule(self) -> CriticalRule | None:
        """The item's critical rule; ``critical: true`` (format 1.0) means every answer above
        the item's lowest points, with a review and no band floor."""
        if isinstance(self.critical, CriticalRule):
            return self.critical
        if not self.critical:
            return None
        low = self.points_range()[0]
        table = self.points_table()
        if table:
            return CriticalRule(answers=[code for code, points in table.items() if points > low] or None)
        bins = getattr(self.response, "bins", None) or []
        above = [b.min for b in bins if b.points > low and b.min is not None]
        return CriticalRule(at_least=min(above)) if above else None

    def points_table(self) -> dict[str, float]:
        """Points per answer code, for boolean and choice items."""
        response = self.response
        if isinstance(response, BooleanResponse):
            return {"yes": response.points.yes, "no": response.points.no}
        if isinstance(response, ChoiceResponse):
            return {option.code: option.points for option in response.options}
        return {}

    def points_range(self) -> tuple[float, float]:
        """The lowest and highest points any valid answer can give (before the protective sign)."""
        response = self.response
        if isinstance(response, (BooleanResponse, ChoiceResponse)):
            values = list(self.points_table().values())
        elif getattr(response, "bins", None):
            values = [b.points for b in response.bins]  # type: ignore[union-attr]
        else:
            values = [0.0]
        return min(values), max(values)


class MissingRule(Model):
    """How many items may be missing or unknown, and what to do with those that are.

    ``prorate`` gives each missing item the mean points of the answered items of the same
    domain and kind (kept within the item's own range); ``zero`` gives it no points. More
    missing items than ``max_missing`` make the assessment incomplete: no band is given.
    """

    max_missing: Optional[Annotated[int, Field(ge=0)]] = 0
    handling: Literal["prorate", "zero"] = "prorate"


class Domain(Model):
    id: Slug
    label: Text
    description: Optional[Text] = None
    domains: Optional[list["Domain"]] = None
    missing: Optional[MissingRule] = None


class Scoring(Model):
    method: Literal["sum"] = "sum"
    protective: Literal["subtract", "separate"] = "subtract"
    missing: MissingRule = MissingRule()


# --- bands, target group, probability, judgement ----------------------------------


class Band(HalfOpen):
    """A score range ``min <= total < below`` (either end may be open) and what it means."""

    id: Slug
    label: Text
    description: Optional[Text] = None
    recommendation: Optional[Text] = None
    needs: Literal["offer", "consider", "none"] = Field(
        "offer", description="the risk principle: offer interventions for needs, list them to consider, or not list them",
    )
    reassess_months: Optional[Annotated[int, Field(gt=0, le=120)]] = None


class TargetGroup(Model):
    """Who the instrument selects: a band or higher, optionally an age range and a condition."""

    label: Text
    decision: Optional[Text] = Field(None, description="how the decision reads, e.g. 'Fördjupad bedömning'")
    min_band: Slug
    age: Optional[AgeRange] = None
    when: Optional[Condition] = None
    description: Optional[Text] = None


class LogisticProbability(Model):
    """``p = 1 / (1 + exp(-(intercept + slope * (total - reference_score))))``."""

    form: Literal["logistic"]
    intercept: float
    slope: float
    reference_score: float = 0.0
    sample: Text
    date: IsoDate
    follow_up_months: Annotated[int, Field(gt=0)]
    n: Optional[Annotated[int, Field(gt=0)]] = None

    def probability(self, total: float) -> float:
        z = self.intercept + self.slope * (total - self.reference_score)
        return 1.0 / (1.0 + math.exp(-z))


class TableRow(HalfOpen):
    """Observed outcome rate for totals ``min <= total < below``, with its sample size and CI."""

    rate: Annotated[float, Field(ge=0, le=1)]
    n: Annotated[int, Field(gt=0)]
    events: Optional[Annotated[int, Field(ge=0)]] = None
    ci: Optional[Annotated[list[Annotated[float, Field(ge=0, le=1)]], Field(min_length=2, max_length=2)]] = None


class TableProbability(Model):
    form: Literal["table"]
    rows: Annotated[list[TableRow], Field(min_length=1)]
    sample: Text
    date: IsoDate
    follow_up_months: Annotated[int, Field(gt=0)]


Probability = Annotated[Union[LogisticProbability, TableProbability], Field(discriminator="form")]


class Override(Model):
    """May the assessor change the computed band, in which direction, and must they say why."""

    allowed: bool = False
    direction: Literal["up", "down", "both"] = "both"
    reason_required: bool = True


class CarriedItem(Model):
    """Where an item's starting answer comes from in another instrument, and how its codes map."""

    item: Slug
    answers: Optional[dict[Code, Union[Code, float]]] = None


class CarryOver(Model):
    """Starting answers from an earlier assessment with another instrument (a screening): each key
    is an item of this instrument, its value the item it comes from (same codes) or a mapping."""

    from_instrument: Slug = Field(alias="from")
    items: dict[Slug, Union[Slug, CarriedItem]]


class Judgement(Model):
    """Structured professional judgement: ``final_rating: assessor`` makes the assessor's
    own band (with a reason) the result, the computed band being a guide."""

    final_rating: Literal["computed", "assessor"] = "computed"
    override: Override = Override()


# --- the instrument -----------------------------------------------------------------


class Instrument(Model):
    """One version of one risk-assessment instrument."""

    id: Slug
    version: SemVer
    status: Literal["draft", "active", "retired"]
    languages: Annotated[list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]], Field(min_length=1)]
    title: Text
    description: Optional[Text] = None
    authors: Annotated[list[str], Field(min_length=1)]
    licence: str
    references: Optional[list[str]] = None
    changelog: Annotated[list[ChangelogEntry], Field(min_length=1)]
    population: Population
    outcome: Outcome
    calibration: Optional[Calibration] = None
    domains: Annotated[list[Domain], Field(min_length=1)]
    items: Annotated[list[Item], Field(min_length=1)]
    scoring: Scoring = Scoring()
    bands: Annotated[list[Band], Field(min_length=1)]
    target_group: Optional[TargetGroup] = None
    probability: Optional[Probability] = None
    judgement: Judgement = Judgement()
    carry_over: Optional[list[CarryOver]] = None
    goals_item: Optional[Slug] = Field(
        None, description="the information item whose note records the young person's own goals, "
                          "written into the action plan")

    # Set by the loader; not part of the file.
    _source: Optional[str] = PrivateAttr(default=None)
    # Values derived from the fields, computed on first use. Keyed by the owner's id so that
    # a copy (``model_copy(update=...)``) never sees its original's stale values.
    _memo: dict[str, tuple[int, Any]] = PrivateAttr(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per instrument object, for values derived from its fields."""
        private = self.__pydantic_private__  # read directly: pydantic's attribute lookup costs 1 µs
        found = private["_memo"].get(key) if private is not None else None
        if found is not None and found[0] == id(self):
            return found[1]  # type: ignore[no-any-return]
        if found is not None:
            self._memo = {}
        value = compute()
        self._memo[key] = (id(self), value)
        return value

    @property
    def source(self) -> str | None:
        """The file this instrument was read from, if any."""
        return self._source

    @property
    def sha256(self) -> str:
        """SHA-256 of the instrument's canonical JSON content (key order and layout do not matter)."""
        return self.memo("sha256", lambda: canonical_sha256(self.model_dump(mode="json", exclude_none=True)))

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def items_by_id(self) -> dict[str, Item]:
        return self.memo("items_by_id", lambda: {item.id: item for item in self.items})

    @property
    def domains_by_id(self) -> dict[str, Domain]:
        def build() -> dict[str, Domain]:
            found: dict[str, Domain] = {}
            for domain, _parents in self.walk_domains():
                found.setdefault(domain.id, domain)
            return found

        return self.memo("domains_by_id", build)

    @property
    def domain_parents(self) -> dict[str, tuple[str, ...]]:
        """Each domain id mapped to its ancestors' ids, outermost first."""
        return self.memo("domain_parents", lambda: {domain.id: parents for domain, parents in self.walk_domains()})

    def walk_domains(self) -> list[tuple[Domain, tuple[str, ...]]]:
        out: list[tuple[Domain, tuple[str, ...]]] = []

        def visit(domains: list[Domain], parents: tuple[str, ...]) -> None:
            for domain in domains:
                out.append((domain, parents))
                visit(domain.domains or [], parents + (domain.id,))

        visit(self.domains, ())
        return out

    def band(self, band_id: str) -> Band | None:
        return next((band for band in self.bands if band.id == band_id), None)

    def band_for(self, total: float) -> Band | None:
        return next((band for band in self.bands if band.contains(total)), None)

    def sign(self, item: Item) -> float:
        """How an item's points enter the total: +1 risk, -1 subtracted protective, 0 otherwise."""
        if item.kind == "protective" and self.scoring.protective == "separate":
            return 0.0
        return self.scale_sign(item)

    def scale_sign(self, item: Item) -> float:
        """How an item's points enter its own scale (the total, or the separate protective scale)."""
        if item.kind == "risk":
            return 1.0
        if item.kind == "protective":
            return -1.0 if self.scoring.protective == "subtract" else 1.0
        return 0.0

    def contribution_range(self, item: Item) -> tuple[float, float]:
        """Lowest and highest contribution of ``item`` to the total (0 if it may go unscored)."""
        sign = self.sign(item)
        low, high = item.points_range()
        low, high = sorted((sign * low, sign * high))
        if item.applies_when is not None or item.allow_not_applicable or self._may_score_zero(item):
            low, high = min(low, 0.0), max(high, 0.0)
        return low + 0.0, high + 0.0

    def score_range(self) -> tuple[float, float]:
        """The lowest and highest total any complete or prorated assessment can reach."""
        low = high = 0.0
        for item in self.items:
            item_low, item_high = self.contribution_range(item)
            low += item_low
            high += item_high
        return low, high

    def missing_rule(self, domain_id: str) -> MissingRule:
        """The missing rule for a domain: its own, its nearest ancestor's, else the instrument's."""
        for candidate in (domain_id, *reversed(self.domain_parents.get(domain_id, ()))):
            domain = self.domains_by_id.get(candidate)
            if domain is not None and domain.missing is not None:
                return domain.missing
        return self.scoring.missing

    def _may_score_zero(self, item: Item) -> bool:
        return self.missing_rule(item.domain).handling == "zero"
