"""Comparison with non-participants: the store's selected young people against young people in
another unit's export (or a comparison group) who were not selected, matched on the baseline
assessment: the same band and the nearest total (with replacement, within a caliper), or a
propensity score on the baseline items both sides have (statsmodels Logit).

An observational comparison: the report prints its caveats and never reads it as an effect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..case.export import FIXED_COLUMNS
from ..errors import EvaluationError, Issue
from ..messages import tr
from .data import Tables
from .outcomes import within
from .suppression import Rate, Summary, Suppressor

__all__ = ["CAVEATS", "KNOWN", "OUTCOMES", "REQUIRED", "Compared", "Comparison", "compare", "read_compare"]

REQUIRED = ("pseudonym", "instrument", "assessment_date", "total", "band", "final_band", "selected",
            "new_offence_12m", "new_offence_24m", "school_or_work_12m")
#: The export's columns that are not item answers.
KNOWN = frozenset({*REQUIRED, *FIXED_COLUMNS})
#: outcome column -> (follow-up kind in the store, months)
OUTCOMES = {"new_offence_12m": ("new_offence", 12), "new_offence_24m": ("new_offence", 24),
            "school_or_work_12m": ("school_or_work_started", 12)}
CAVEATS = ("observational", "confounding", "units", "windows", "replacement")
MAX_ROWS = 2_000_000
MAX_ISSUES = 20
DEFAULT_CALIPER = 2.0  # points of the total
PROPENSITY_CALIPER = 0.2  # standard deviations of the logit of the score


@dataclass
class Compared:
    outcome: str
    pairs: int | None
    participants: Rate
    controls: Rate
    difference: float | None
    low: float | None
    high: float | None
    suppressed: bool = False


@dataclass
class Comparison:
    file: str
    method: str  # band_total | propensity
    caliper: float
    participants: int | None
    matched: int | None
    unmatched: int | None
    candidates: int | None  # non-participants in the file with a baseline of the same instrument
    controls_used: int | None
    other_instrument_rows: int | None
    total_participants: Summary
    total_controls: Summary
    items: int = 0  # baseline item columns in the propensity score
    outcomes: list[Compared] = field(default_factory=list)
    caveats: tuple[str, ...] = CAVEATS


def _truth(value: Any) -> bool | None:
    text = str(value).strip().lower() if value is not None and not (isinstance(value, float) and math.isnan(value)) \
        else ""
    if text in ("true", "1", "1.0", "yes", "ja"):
        return True
    if text in ("false", "0", "0.0", "no", "nej"):
        return False
    if text in ("", "nan", "none", "null"):
        return None
    raise ValueError(text)


def read_compare(path: str | Path) -> pd.DataFrame:
    """The export at ``path`` (CSV or Parquet), checked: every missing column named at once, and
    every value that does not fit located by line and column."""
    file = str(path)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise EvaluationError(tr("cannot tell the format of '{file}': use a .csv or .parquet file", file=file),
                              [Issue(tr("cannot tell the format of '{file}': use a .csv or .parquet file", file=file),
                                     file=file)])
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=MAX_ROWS + 1, encoding="utf-8")
        else:
            frame = pd.read_parquet(path)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0][:200]
        raise EvaluationError(tr("cannot read the comparison file {file}", file=file),
                              [Issue(tr("cannot read the comparison file: {reason}", reason=reason), file=file)]) \
            from None
    except Exception as exc:  # pyarrow's own errors for a damaged Parquet file
        raise EvaluationError(tr("cannot read the comparison file {file}", file=file),
                              [Issue(tr("cannot read the comparison file: {reason}",
                                        reason=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__),
                                     file=file)]) from None
    if len(frame) > MAX_ROWS:
        raise EvaluationError(tr("the comparison file {file} has more than {n} rows", file=file, n=MAX_ROWS),
                              [Issue(tr("the comparison file has more than {n} rows", n=MAX_ROWS), file=file)])
    frame.columns = [str(c) for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise EvaluationError(tr("the comparison file {file} lacks required columns", file=file),
                              [Issue(tr("missing column '{column}'", column=c), file=file, line=1) for c in missing])
    issues: list[Issue] = []
    out = pd.DataFrame({"pseudonym": frame["pseudonym"].astype(str), "instrument": frame["instrument"].astype(str)})
    out["assessment_id"] = frame["assessment_id"].astype(str) if "assessment_id" in frame else ""

    def bad(row: int, column: str, message: Any) -> None:
        if len(issues) < MAX_ISSUES:
            issues.append(Issue(message, path=(column,), file=file, line=row + 2 if suffix == ".csv" else row + 1))

    dates = pd.to_datetime(frame["assessment_date"].astype(str).str.strip(), format="%Y-%m-%d", errors="coerce")
    for row in dates.index[dates.isna()]:
        bad(row, "assessment_date", tr("{value} is not a date written YYYY-MM-DD",
                                       value=repr(str(frame["assessment_date"][row])[:40])))
    out["date"] = dates
    totals = pd.to_numeric(frame["total"].astype(str).str.strip().str.replace(",", ".", regex=False), errors="coerce")
    for row in totals.index[totals.isna() | ~totals.map(lambda v: math.isfinite(v) if v == v else False)]:
        bad(row, "total", tr("{value} is not a finite number", value=repr(str(frame["total"][row])[:40])))
    out["total"] = totals
    out["band"] = [str(f).strip() or str(b).strip() for f, b in zip(frame["final_band"].fillna(""),
                                                                     frame["band"].fillna(""))]
    for column in ("selected", *OUTCOMES):
        values = []
        for row, value in frame[column].items():
            try:
                values.append(_truth(value))
            except ValueError:
                bad(row, column, tr("{value} is not true/false, 1/0 or empty", value=repr(str(value)[:40])))
                values.append(None)
        out[column] = pd.Series(values, index=frame.index, dtype=object)
    if issues:
        bad_rows = len(issues)
        raise EvaluationError(tr("the comparison file {file} has values that do not fit ({n} shown)", file=file,
                                 n=bad_rows), issues)
    for column in frame.columns:
        if column not in KNOWN and not column.startswith("domain."):
            out[f"item.{column}"] = frame[column].astype(object)
    return out


def _pair_stats(pairs: pd.DataFrame) -> tuple[float, float, float]:
    """The mean paired difference with a normal 95 % interval."""
    d = pairs["p"] - pairs["c"]
    mean = float(d.mean())
    sd = float(d.std(ddof=1)) if len(d) > 1 else 0.0
    half = 1.96 * sd / math.sqrt(len(d))
    return mean, mean - half, mean + half


def _nearest(score_p: pd.Series, score_c: pd.Series, caliper: float, strata_p: pd.Series | None = None,
             strata_c: pd.Series | None = None) -> dict[Any, Any]:
    """Each participant's nearest control (with replacement) within ``caliper``, in its stratum."""
    out: dict[Any, Any] = {}
    groups = strata_p.unique() if strata_p is not None else [None]
    for group in groups:
        ps = score_p[strata_p == group] if strata_p is not None else score_p
        cs = score_c[strata_c == group] if strata_c is not None else score_c
        if cs.empty:
            continue
        ordered = cs.sort_values(kind="stable")
        values = ordered.to_numpy()
        import numpy as np

        at = np.searchsorted(values, ps.to_numpy())
        for key, value, i in zip(ps.index, ps.to_numpy(), at):
            best = None
            for j in (i - 1, i):
                if 0 <= j < len(values) and (best is None or abs(values[j] - value) < abs(values[best] - value)):
                    best = j
            if best is not None and abs(values[best] - value) <= caliper:
                out[key] = ordered.index[best]
    return out


def _features(participants: pd.DataFrame, controls: pd.DataFrame,
              answers: dict[int, dict[str, Any]]) -> tuple[pd.DataFrame, int]:
    """The baseline item columns both sides have, encoded for a logistic model: numbers as they
    are (the median where missing, with a missing indicator), codes as indicator columns."""
    items = sorted({k for a in (answers.get(i, {}) for i in participants["id"]) for k in a}
                   & {c[5:] for c in controls.columns if c.startswith("item.")})
    left = pd.DataFrame([{k: answers.get(i, {}).get(k) for k in items} for i in participants["id"]],
                        index=participants.index)
    right = pd.DataFrame({k: controls[f"item.{k}"] for k in items}, index=controls.index)
    both = pd.concat([left, right]).replace({"": None})
    encoded = []
    for item in items:
        column = both[item]
        numbers = pd.to_numeric(column, errors="coerce")
        if column.notna().sum() and numbers.notna().sum() >= 0.9 * column.notna().sum():
            encoded.append(numbers.fillna(numbers.median()).rename(item))
            if numbers.isna().any():
                encoded.append(numbers.isna().astype(float).rename(f"{item}.missing"))
        else:
            encoded.append(pd.get_dummies(column.astype(str), prefix=item, drop_first=True, dtype=float))
    frame = pd.concat(encoded, axis=1) if encoded else pd.DataFrame(index=both.index)
    return frame.loc[:, frame.nunique() > 1], len(items)


def compare(tables: Tables, reference: pd.DataFrame, other: pd.DataFrame, suppressor: Suppressor, *,
            match: str = "band_total", caliper: float | None = None, file: str = "") -> Comparison:
    observed = pd.Timestamp(tables.period.observed_until)
    participants = reference[(reference["selected"] == True) & (reference["status"] == "complete")].copy() \
        if not reference.empty else reference  # noqa: E712
    for column, (kind, months) in OUTCOMES.items():
        participants[column] = within(participants["date"], participants["subject"],
                                      tables.follow_ups[tables.follow_ups["kind"] == kind], months, observed) \
            if len(participants) else []
    ours = set(tables.subjects[tables.subjects["subject"].isin(set(participants["subject"]))]["pseudonym"])
    same = other[other["instrument"] == (tables.instrument or "")]
    ever = set(same[same["selected"] == True]["pseudonym"])  # noqa: E712
    candidates = same[~same["pseudonym"].isin(ever | ours)].sort_values(["pseudonym", "date", "assessment_id"])
    controls = candidates.groupby("pseudonym").head(1).reset_index(drop=True)
    horizon = other["date"].max()  # the export is from this day or later
    for column, (_, months) in OUTCOMES.items():
        # a 0 is written only once the window is over; a 1 counts only from a window over by the
        # file's last date, as the store's own outcomes count only whole windows
        over = controls["date"].map(lambda d: d + pd.DateOffset(months=months)) <= horizon
        controls[column] = [float("nan") if v is None or (v and not done) else float(v)
                            for v, done in zip(controls[column], over)]
        controls[column] = controls[column].astype(float)
    items = 0
    if match == "propensity" and len(participants) and len(controls):
        import numpy as np
        import statsmodels.api as sm

        features, items = _features(participants, controls, tables.answers)
        y = np.r_[np.ones(len(participants)), np.zeros(len(controls))]
        try:
            design = sm.add_constant(features.to_numpy(dtype=float), has_constant="add")
            fitted = sm.Logit(y, design).fit_regularized(method="l1", alpha=1.0, disp=0)
            logit = pd.Series(design @ np.asarray(fitted.params), index=range(len(y)))
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise EvaluationError(tr("the propensity score cannot be estimated: {reason}", reason=str(exc)[:200])) \
                from None
        score_p = pd.Series(logit[:len(participants)].to_numpy(), index=participants.index)
        score_c = pd.Series(logit[len(participants):].to_numpy(), index=controls.index)
        width = caliper if caliper is not None else PROPENSITY_CALIPER * float(logit.std() or 1.0)
        pairs = _nearest(score_p, score_c, width, participants["band"], controls["band"])  # within the band
    else:
        width = caliper if caliper is not None else DEFAULT_CALIPER
        pairs = _nearest(participants["total"], controls["total"], width, participants["band"], controls["band"]) \
            if len(controls) else {}
    matched = participants.loc[list(pairs)]
    used = controls.loc[list(pairs.values())]
    results = []
    for column in OUTCOMES:
        frame = pd.DataFrame({"p": matched[column].to_numpy(dtype=float), "c": used[column].to_numpy(dtype=float)}) \
            .dropna()
        where = f"comparison.{column}"
        p_rate = suppressor.rate(int(frame["p"].sum()), len(frame), f"{where}.participants")
        c_rate = suppressor.rate(int(frame["c"].sum()), len(frame), f"{where}.controls")
        hidden = p_rate.value is None or c_rate.value is None
        diff = (None, None, None) if hidden else _pair_stats(frame)
        results.append(Compared(column, suppressor.count(len(frame), f"{where}.pairs"), p_rate, c_rate, *diff,
                                suppressed=hidden and len(frame) > 0))
    return Comparison(
        file=Path(file).name if file else "", method=match, caliper=width,
        participants=suppressor.count(len(participants), "comparison.participants"),
        matched=suppressor.count(len(pairs), "comparison.matched"),
        unmatched=suppressor.count(len(participants) - len(pairs), "comparison.unmatched"),
        candidates=suppressor.count(len(controls), "comparison.candidates"),
        controls_used=suppressor.count(len(set(pairs.values())), "comparison.controls_used"),
        other_instrument_rows=suppressor.count(len(other) - len(same), "comparison.other_instrument_rows"),
        total_participants=suppressor.mean(matched["total"].tolist(), "comparison.total_participants"),
        total_controls=suppressor.mean(used["total"].tolist(), "comparison.total_controls"),
        items=items, outcomes=results)
