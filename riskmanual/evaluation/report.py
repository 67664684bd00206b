"""The evaluation as data: :class:`Evaluation` holds every section, already suppressed, and
turns into JSON; :func:`evaluate` reads the store and computes it (render.py makes the HTML)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..messages import tr
from .collaboration import Collaboration
from .comparison import Comparison
from .outcomes import Outcomes
from .suppression import DEFAULT_THRESHOLD, Suppressed
from .target_group import TargetGroup

__all__ = ["Evaluation", "evaluate", "plain"]

FORMAT = "riskmanual-evaluation/1"


@dataclass
class Evaluation:
    start: dt.date | None
    end: dt.date | None
    observed_until: dt.date
    instrument: str | None
    versions: list[str]
    calibrated: bool | None
    threshold: int
    evaluated: int | None  # young people whose consent covers reporting
    excluded: int | None  # young people assessed without consent to reporting (not read further)
    other_instruments: int | None  # assessments in the period made with another instrument
    assessments: int | None
    bands: list[tuple[str, Any]]
    dynamic_domains: list[tuple[str, Any]]
    target_group: TargetGroup
    outcomes: Outcomes
    collaboration: Collaboration
    comparison: Comparison | None = None
    suppressed: list[Suppressed] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **plain(self)}


def _nothing(start: dt.date | None, end: dt.date | None, consent: bool) -> Any:
    """Why there is nothing to evaluate, in words."""
    if consent:
        return tr("nothing to evaluate: the young people assessed in the period have not consented to reporting")
    if start and end:
        return tr("nothing to evaluate: no assessments from {start} to {end}", start=start.isoformat(),
                  end=end.isoformat())
    if start:
        return tr("nothing to evaluate: no assessments from {start} on", start=start.isoformat())
    if end:
        return tr("nothing to evaluate: no assessments until {end}", end=end.isoformat())
    return tr("nothing to evaluate: the case store has no assessments")


def plain(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON values; a NaN as null."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a numpy scalar
        return plain(value.item())
    return value


def evaluate(store: Any, *, start: dt.date | None = None, end: dt.date | None = None, today: dt.date | None = None,
             instrument: str | None = None, threshold: int = DEFAULT_THRESHOLD, compare: str | Path | None = None,
             match: str = "band_total", caliper: float | None = None) -> Evaluation:
    """The evaluation of the period ``start``–``end`` (either open) from ``store``; with
    ``compare`` (an export in CSV or Parquet), outcomes against matched non-participants."""
    from .collaboration import collaboration
    from .comparison import compare as compare_file
    from .comparison import read_compare
    from .data import read_period
    from .outcomes import outcomes
    from .suppression import Suppressor
    from .target_group import reference_assessments, target_group

    if start and end and start > end:
        raise EvaluationError(tr("the period starts on {start}, after it ends on {end}", start=start.isoformat(),
                                 end=end.isoformat()))
    other = read_compare(compare) if compare is not None else None  # a bad file fails before the store is read
    tables = read_period(store, start=start, end=end, instrument=instrument, today=today,
                         with_answers=other is not None and match == "propensity")
    if tables.assessments.empty:
        raise EvaluationError(_nothing(start, end, tables.excluded > 0))
    suppressor = Suppressor(threshold)
    reference = reference_assessments(tables)
    evaluation = Evaluation(
        start=start, end=end, observed_until=tables.period.observed_until, instrument=tables.instrument,
        versions=tables.versions, calibrated=tables.calibrated, threshold=threshold,
        evaluated=suppressor.count(len(tables.subjects), "evaluated"),
        excluded=suppressor.count(tables.excluded, "excluded"),
        other_instruments=suppressor.count(tables.other_instruments, "other_instruments"),
        assessments=suppressor.count(len(tables.assessments), "assessments"),
        bands=tables.bands, dynamic_domains=tables.dynamic_domains,
        target_group=target_group(tables, suppressor, reference),
        outcomes=outcomes(tables, reference, suppressor),
        collaboration=collaboration(tables, reference, suppressor))
    if other is not None:
        evaluation.comparison = compare_file(tables, reference, other, suppressor, match=match, caliper=caliper,
                                             file=str(compare))
    evaluation.suppressed = list(suppressor.log)
    return evaluation
