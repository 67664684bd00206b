"""The result of scoring one assessment: a pydantic model serialised as documented JSON.

Labels inside a result are in the language it was scored in (``lang``), so that the
explanation and any report can be rendered from the result alone.
"""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BandRef",
    "Contribution",
    "CriticalAnswer",
    "DomainScore",
    "InstrumentRef",
    "ItemRef",
    "Judgement",
    "MissingReport",
    "Need",
    "ProbabilityEstimate",
    "Result",
    "Robustness",
    "TargetGroupResult",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class _Shared(_Out):
    """A part validated once and shared by every result that holds the same: frozen, and not to be
    changed inside either."""

    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)


class InstrumentRef(_Shared):
    id: str
    version: str
    sha256: str = Field(description="SHA-256 of the instrument's canonical JSON content")
    title: str


class BandRef(_Shared):
    id: str
    label: str


class Contribution(_Shared):
    """What one item added to the total: ``points`` is signed (protective items subtract)."""

    item: str
    label: str
    domain: str
    kind: Literal["risk", "protective", "information"]
    stability: Literal["static", "dynamic"]
    response: Union[str, float, None] = Field(description="the answer code or number; null when imputed")
    response_label: str
    points: float
    imputed: bool = Field(False, description="true when a missing answer was prorated")
    critical: bool = False
    note: Optional[str] = None


class ItemRef(_Shared):
    item: str
    label: str
    domain: str


class DomainScore(_Shared):
    """A domain's points; ``subtotal`` is what it adds to the total (a parent's sums its children)."""

    id: str
    label: str
    parent: Optional[str] = Field(None, description="the enclosing domain's id")
    subtotal: float
    risk: float = Field(0.0, description="points of its risk items")
    protective: float = Field(0.0, description="points of its protective items, with the sign they have on their scale")
    minimum: float
    maximum: float
    answered: int
    missing: int


class MissingReport(_Shared):
    """Which missing-item rule was applied, and to what."""

    applied: Literal["none", "prorate", "zero", "prorate+zero", "incomplete"]
    max_missing: Optional[int]
    counted: int = Field(description="scored items missing or unknown")
    exceeded: tuple[str, ...] = Field(description="the scopes (instrument or domain ids) whose limit was exceeded")
    description: str


class Judgement(_Out):
    """The assessor's band when it replaces the computed one (override or SPJ final rating)."""

    kind: Literal["override", "final_rating"]
    band: BandRef
    direction: Literal["up", "down", "same", "none"] = Field(description="from the computed band; none when there is none")
    reason: Optional[str]


class CriticalAnswer(_Shared):
    """An answer the instrument declares critical, and what follows from it."""

    item: str
    label: str
    response_label: str
    review: bool = Field(description="an assessor's review is required")
    min_band: Optional[BandRef] = Field(description="the band is at least this")
    raised: bool = Field(description="true when this rule lifted the band above the total's")
    rule: str = Field(description="the rule, in words")
    reason: Optional[str] = None


class Robustness(_Shared):
    """How far the missing and unknown items could move the result (all lowest vs all highest)."""

    unresolved: int = Field(description="scored items that are missing or unknown")
    imputed_points: float = Field(description="points in the total that are estimates (prorated)")
    lowest_total: float
    highest_total: float
    lowest_band: Optional[str] = Field(description="band id with every unresolved item at its lowest points")
    highest_band: Optional[str] = Field(description="band id with every unresolved item at its highest points")
    lowest_band_label: Optional[str] = None
    highest_band_label: Optional[str] = None
    decision_stable: Optional[bool] = Field(
        description="whether the target-group decision is the same at both ends; null without a target group")


class TargetGroupResult(_Shared):
    rule: str
    decision: Optional[str] = Field(None, description="how the decision reads, e.g. 'Fördjupad bedömning'")
    met: Optional[bool] = Field(description="null when it cannot be decided (incomplete, no birth date)")
    reasons: tuple[str, ...]


class ProbabilityEstimate(_Out):
    value: float
    form: Literal["logistic", "table"]
    ci: Optional[list[float]] = None
    n: Optional[int] = None
    sample: str
    date: str
    follow_up_months: int


class Need(_Shared):
    item: str
    label: str
    points: float
    interventions: tuple[dict[str, str], ...] = Field(description="label, agency and agency_label of each")


class Result(_Out):
    """Everything one scoring produced; ``model_dump_json()`` is the JSON that the CLI prints."""

    instrument: InstrumentRef
    engine_version: str
    lang: str
    assessment_date: str
    age: Optional[int]
    status: Literal["complete", "incomplete"]
    total: float
    minimum: float = Field(description="lowest total possible for the items that apply")
    maximum: float = Field(description="highest total possible for the items that apply")
    protective_total: Optional[float] = Field(None, description="the protective scale, when scored separately")
    band: Optional[BandRef] = Field(description="the computed band (the total's, lifted by critical answers); null when incomplete")
    score_band: Optional[BandRef] = Field(None, description="the band of the total alone")
    recommendation: Optional[str] = Field(None, description="what the band recommends")
    needs_policy: Optional[Literal["offer", "consider", "none"]] = Field(
        None, description="the risk principle for the band that stands: offer, consider or do not list needs")
    review_required: bool = Field(False, description="a critical answer asks for an assessor's review")
    critical: list[CriticalAnswer] = Field(default_factory=list, description="critical answers given, first in any report")
    robustness: Optional[Robustness] = None
    final_band: Optional[BandRef] = Field(description="the band that stands: the computed one or the assessor's")
    judgement: Optional[Judgement] = None
    target_group: Optional[TargetGroupResult] = None
    probability: Optional[ProbabilityEstimate] = None
    domains: list[DomainScore]
    contributions: list[Contribution] = Field(description="scored items, largest absolute points first")
    protective_factors: list[Contribution] = Field(description="protective items that are present")
    information: list[Contribution] = Field(default_factory=list, description="answered information-only items")
    missing: list[ItemRef]
    unknown: list[ItemRef]
    not_applicable: list[ItemRef]
    missing_rule: MissingReport
    needs: list[Need] = Field(description="dynamic risk items that add points, with the interventions that apply; empty when the band lists none")
