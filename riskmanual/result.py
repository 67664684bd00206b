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
    "DomainScore",
    "InstrumentRef",
    "ItemRef",
    "Judgement",
    "MissingReport",
    "Need",
    "ProbabilityEstimate",
    "Result",
    "TargetGroupResult",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class InstrumentRef(_Out):
    id: str
    version: str
    sha256: str = Field(description="SHA-256 of the instrument's canonical JSON content")
    title: str


class BandRef(_Out):
    id: str
    label: str


class Contribution(_Out):
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


class ItemRef(_Out):
    item: str
    label: str
    domain: str


class DomainScore(_Out):
    id: str
    label: str
    subtotal: float
    minimum: float
    maximum: float
    answered: int
    missing: int


class MissingReport(_Out):
    """Which missing-item rule was applied, and to what."""

    applied: Literal["none", "prorate", "zero", "prorate+zero", "incomplete"]
    max_missing: Optional[int]
    counted: int = Field(description="scored items missing or unknown")
    exceeded: list[str] = Field(description="the scopes (instrument or domain ids) whose limit was exceeded")
    description: str


class Judgement(_Out):
    """The assessor's band when it replaces the computed one (override or SPJ final rating)."""

    kind: Literal["override", "final_rating"]
    band: BandRef
    direction: Literal["up", "down", "same", "none"] = Field(description="from the computed band; none when there is none")
    reason: Optional[str]


class TargetGroupResult(_Out):
    rule: str
    met: Optional[bool] = Field(description="null when it cannot be decided (incomplete, no birth date)")
    reasons: list[str]


class ProbabilityEstimate(_Out):
    value: float
    form: Literal["logistic", "table"]
    ci: Optional[list[float]] = None
    n: Optional[int] = None
    sample: str
    date: str
    follow_up_months: int


class Need(_Out):
    item: str
    label: str
    points: float
    interventions: list[dict[str, str]]


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
    band: Optional[BandRef] = Field(description="the computed band; null when incomplete")
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
    needs: list[Need] = Field(description="dynamic risk items that add points, with suggested interventions")
