"""The target group: of the young people assessed, who met the instrument's target-group rule
and who was selected, the overlap both ways with the recorded reasons, and the bands of the
selected (pure: plain tables in, a dataclass out)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from .data import Tables
from .suppression import Line, Suppressor, Table

__all__ = ["MET", "DECIDED", "Reason", "TargetGroup", "reasons", "reference_assessments", "target_group"]

#: Rows: the target-group rule at the reference assessment; columns: the decision.
MET = ("met", "not_met", "undecided")
DECIDED = ("selected", "not_selected", "no_decision")


@dataclass(frozen=True)
class Reason:
    text: str
    n: int | None  # None where the table's cell it belongs to is suppressed


@dataclass
class TargetGroup:
    assessed: int | None
    table: Table
    selected_below_rule: int | None
    met_not_selected: int | None
    #: the written reasons for selecting below the rule, and for not selecting someone who met it;
    #: a reason written for fewer than the threshold is counted in ``other`` (free text can identify)
    reasons_selected_below: list[Reason] = field(default_factory=list)
    other_reasons_selected_below: int | None = 0
    reasons_not_selected: list[Reason] = field(default_factory=list)
    other_reasons_not_selected: int | None = 0
    bands_selected: Line | None = None
    #: a small 'cannot be decided' row or 'no decision' column is counted with 'not met' or
    #: 'not selected' rather than shown (its size could be worked out from the other totals)
    merged_undecided: bool = False
    merged_no_decision: bool = False


def reference_assessments(tables: Tables) -> pd.DataFrame:
    """One row per young person: the assessment the latest decision rests on, else the first
    complete assessment in the period (else the first one), with the decision if any."""
    a = tables.assessments
    columns = [*a.columns, "selected", "decided_on", "reason", "agencies"]
    if a.empty:
        return pd.DataFrame(columns=columns)
    latest = tables.decisions.sort_values(["decided_on", "id"]).groupby("subject").tail(1)
    latest = latest[["subject", "assessment", "selected", "decided_on", "reason", "agencies"]] \
        .rename(columns={"assessment": "id"})
    decided = latest.merge(a, on=["id", "subject"], how="inner")
    decided["selected"] = decided["selected"].astype(bool).astype(object)
    first = a.assign(order=(a["status"] != "complete").astype(int)).sort_values(["subject", "order", "date", "id"]) \
        .groupby("subject").head(1).drop(columns="order")
    rest = first[~first["subject"].isin(decided["subject"])].copy()
    rest["selected"] = pd.Series([None] * len(rest), index=rest.index, dtype=object)
    rest["decided_on"] = pd.NaT
    rest["reason"] = None
    rest["agencies"] = [[] for _ in range(len(rest))]
    out = pd.concat([decided[columns], rest[columns]], ignore_index=True) if len(rest) else decided[columns]
    out["decided_on"] = pd.to_datetime(out["decided_on"])
    return out.sort_values("subject").reset_index(drop=True)


def reasons(texts: Iterable[str], suppressor: Suppressor) -> tuple[list[Reason], int]:
    """Written reasons grouped by their words (case and spacing aside), most common first; those
    written for fewer than the threshold are only counted."""
    groups: dict[str, list[str]] = {}
    for text in texts:
        words = " ".join(str(text or "").split())
        if words:
            groups.setdefault(words.casefold(), []).append(words)
    shown, other = [], 0
    for _, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(items) >= suppressor.threshold:
            shown.append(Reason(items[0], len(items)))
        else:
            other += len(items)
    return shown, other


def _met(value: object) -> str:
    if value is True or value == 1:
        return "met"
    if value is False or value == 0:
        return "not_met"
    return "undecided"


def _decided(value: object) -> str:
    if value is True:
        return "selected"
    if value is False:
        return "not_selected"
    return "no_decision"


def target_group(tables: Tables, suppressor: Suppressor, reference: pd.DataFrame | None = None) -> TargetGroup:
    ref = reference_assessments(tables) if reference is None else reference
    rows = [(_met(m), _decided(s)) for m, s in zip(ref["met"], ref["selected"])] if not ref.empty else []
    merge_rows = suppressor.small(sum(1 for m, _ in rows if m == "undecided"))
    merge_columns = suppressor.small(sum(1 for _, s in rows if s == "no_decision"))
    counts: dict[tuple[str, str], int] = {}
    for m, s in rows:
        key = ("not_met" if merge_rows and m == "undecided" else m,
               "not_selected" if merge_columns and s == "no_decision" else s)
        counts[key] = counts.get(key, 0) + 1
    table = suppressor.table(counts, [m for m in MET if not (merge_rows and m == "undecided")],
                             [s for s in DECIDED if not (merge_columns and s == "no_decision")], "target_group.table")
    below = [r for r, (m, s) in zip(ref.itertuples(index=False), rows) if m == "not_met" and s == "selected"]
    passed = [r for r, (m, s) in zip(ref.itertuples(index=False), rows) if m == "met" and s == "not_selected"]
    shown_below, other_below = reasons((r.reason for r in below), suppressor)
    shown_passed, other_passed = reasons((r.reason for r in passed), suppressor)
    selected = ref[ref["selected"] == True] if not ref.empty else ref  # noqa: E712 (None is not False)
    band_ids = [b for b, _ in tables.bands]
    band_counts = {b: 0 for b in band_ids}
    for band in selected["band"] if not selected.empty else []:
        key = band if isinstance(band, str) else "none"
        band_counts[key] = band_counts.get(key, 0) + 1
    bands_line = suppressor.line(band_counts, "target_group.bands_selected")
    if table.column_totals["selected"] is None:  # the total of selected is hidden in the table: here too
        bands_line = Line(dict(bands_line.cells), None)
    if table.cells["not_met"]["selected"] is None:
        shown_below, other_below = [Reason(r.text, None) for r in shown_below], 0
    if table.cells["met"]["not_selected"] is None:
        shown_passed, other_passed = [Reason(r.text, None) for r in shown_passed], 0
    return TargetGroup(
        assessed=suppressor.count(tables.assessments["subject"].nunique(), "target_group.assessed"),
        table=table, selected_below_rule=table.cells["not_met"]["selected"],
        met_not_selected=table.cells["met"]["not_selected"],
        reasons_selected_below=shown_below,
        other_reasons_selected_below=suppressor.count(other_below, "target_group.other_reasons_selected_below"),
        reasons_not_selected=shown_passed,
        other_reasons_not_selected=suppressor.count(other_passed, "target_group.other_reasons_not_selected"),
        bands_selected=bands_line, merged_undecided=merge_rows, merged_no_decision=merge_columns)
