"""Each young person's course: totals, bands and dynamic domains over reassessments after the
selection, the share whose dynamic risk fell, the outcomes recorded by band at selection, and
whether the instrument's probability fits the observed rate (pure: tables in, dataclasses out).

An outcome within N months counts only for those observed that long; the others are censored
and counted as such (also when the outcome has already happened, which would bias the rate).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .data import Tables
from .suppression import Line, Rate, Summary, Suppressor

__all__ = ["BandOutcomes", "Calibration", "Change", "Outcomes", "Visit", "outcomes", "within"]

MAX_VISITS = 6
WINDOW_MONTHS = 12


@dataclass
class Visit:
    """The selected young people's assessments at one step: 1 is the assessment the selection
    rests on, 2 the first complete reassessment after it, and so on."""

    number: int
    n: int | None
    total: Summary
    dynamic: Summary
    bands: Line
    domains: dict[str, Summary] = field(default_factory=dict)


@dataclass
class Change:
    """Among those reassessed: whether the latest reassessment is lower than at selection."""

    what: str  # "dynamic" or "dom.<id>"
    n: int | None
    fell: Rate
    same: int | None
    rose: int | None


@dataclass
class BandOutcomes:
    band: str  # a band id, or "all"
    n: int | None
    new_offence: Rate
    new_offence_censored: int | None
    school_or_work: Rate
    school_or_work_censored: int | None
    closed: Rate


@dataclass
class Calibration:
    band: str
    observed: Rate
    expected: float | None  # the mean of the instrument's probability
    censored: int | None


@dataclass
class Outcomes:
    selected: int | None
    visits: list[Visit]
    changes: list[Change]
    by_band: list[BandOutcomes]
    closure_reasons: Line | None
    window_months: int
    calibration: list[Calibration] | None  # None: the instrument gives no probability
    calibration_window: int | None


def _months_later(day: pd.Timestamp, months: int) -> pd.Timestamp:
    return day + pd.DateOffset(months=months)


def within(starts: pd.Series, subjects: pd.Series, events: pd.DataFrame, months: int,
           observed_until: pd.Timestamp) -> pd.Series:
    """Per row, once the whole window of ``months`` after the start is observed: 1.0 when an event
    of the subject falls in it, else 0.0; NaN while the window is not over, even when an event
    has already happened (counting those would leave only the events among the early ones)."""
    ends = starts.map(lambda d: _months_later(d, months))
    first: dict[int, list[pd.Timestamp]] = {}
    for subject, day in zip(events["subject"], events["date"]):
        first.setdefault(subject, []).append(day)
    out = []
    for subject, start, end in zip(subjects, starts, ends):
        hit = any(start < day <= end for day in first.get(subject, ()))
        out.append(float(hit) if end <= observed_until else float("nan"))
    return pd.Series(out, index=starts.index, dtype=float)


def _rate(values: pd.Series, suppressor: Suppressor, where: str) -> tuple[Rate, int | None]:
    known = values.dropna()
    return (suppressor.rate(int(known.sum()), len(known), where),
            suppressor.count(int(values.isna().sum()), f"{where}.censored"))


def outcomes(tables: Tables, reference: pd.DataFrame, suppressor: Suppressor) -> Outcomes:
    observed = pd.Timestamp(tables.period.observed_until)
    selected = reference[reference["selected"] == True].copy() if not reference.empty else reference  # noqa: E712
    a = tables.assessments
    complete = a[a["status"] == "complete"]
    domains = [f"dom.{d}" for d, _ in tables.dynamic_domains]
    band_ids = [b for b, _ in tables.bands]

    # the course after selection: the selection's assessment, then each complete reassessment
    course = complete.merge(selected[["subject", "date", "id"]].rename(columns={"date": "start", "id": "start_id"}),
                            on="subject") if not selected.empty else complete.iloc[0:0].assign(start=None, start_id=None)
    course = course[(course["id"] == course["start_id"]) | (course["date"] > course["start"])]
    course = course.sort_values(["subject", "date", "id"])
    course["visit"] = course.groupby("subject").cumcount() + 1 if not course.empty else []
    visits = []
    for number in range(1, MAX_VISITS + 1):
        rows = course[course["visit"] == number]
        if rows.empty:
            break
        where = f"outcomes.visit[{number}]"
        bands = {b: int((rows["band"] == b).sum()) for b in band_ids}
        visits.append(Visit(number, suppressor.count(len(rows), f"{where}.n"),
                            suppressor.mean(rows["total"].tolist(), f"{where}.total"),
                            suppressor.mean(rows["dynamic"].tolist(), f"{where}.dynamic"),
                            suppressor.line(bands, f"{where}.bands"),
                            {d: suppressor.mean(rows[d].dropna().tolist(), f"{where}.{d}") for d in domains}))

    changes = []
    if not course.empty:
        firsts = course[course["visit"] == 1].set_index("subject")
        lasts = course[course["visit"] > 1].groupby("subject").tail(1).set_index("subject")
        for what in ["dynamic", *domains]:
            before = firsts.loc[lasts.index, what]
            after = lasts[what]
            pair = pd.DataFrame({"before": before, "after": after}).dropna()
            fell = int((pair["after"] < pair["before"]).sum())
            rose = int((pair["after"] > pair["before"]).sum())
            same = len(pair) - fell - rose
            where = f"outcomes.change[{what}]"
            changes.append(Change(what, suppressor.count(len(pair), f"{where}.n"),
                                  suppressor.rate(fell, len(pair), f"{where}.fell"),
                                  suppressor.count(same, f"{where}.same"), suppressor.count(rose, f"{where}.rose")))

    follow = tables.follow_ups
    by_band, closure = [], None
    if not selected.empty:
        start = selected["decided_on"]
        offence = within(start, selected["subject"], follow[follow["kind"] == "new_offence"], WINDOW_MONTHS, observed)
        school = within(start, selected["subject"], follow[follow["kind"] == "school_or_work_started"], WINDOW_MONTHS,
                        observed)
        closures = follow[follow["kind"] == "closure"].sort_values(["date", "id"]).groupby("subject").head(1)
        closed_subjects = set(closures["subject"])
        is_closed = selected["subject"].isin(closed_subjects).astype(float)
        for band in ["all", *band_ids]:
            mask = pd.Series(True, index=selected.index) if band == "all" else selected["band"] == band
            if band != "all" and not mask.any():
                continue
            where = f"outcomes.band[{band}]"
            new_rate, new_censored = _rate(offence[mask], suppressor, f"{where}.new_offence")
            school_rate, school_censored = _rate(school[mask], suppressor, f"{where}.school_or_work")
            by_band.append(BandOutcomes(band, suppressor.count(int(mask.sum()), f"{where}.n"), new_rate, new_censored,
                                        school_rate, school_censored,
                                        suppressor.rate(int(is_closed[mask].sum()), int(mask.sum()),
                                                        f"{where}.closed")))
        ours = closures[closures["subject"].isin(set(selected["subject"]))]
        reasons = {r: int((ours["reason"] == r).sum()) for r in sorted(set(ours["reason"].dropna()))}
        closure = suppressor.line(reasons, "outcomes.closure_reasons") if reasons else None

    calibration = None
    window = tables.window_months
    has_probability = not reference.empty and reference["probability"].notna().any()
    if has_probability and window:
        calibration = []
        rows = reference[reference["probability"].notna()]
        hit = within(rows["date"], rows["subject"], follow[follow["kind"] == "new_offence"], window, observed)
        for band in ["all", *band_ids]:
            mask = pd.Series(True, index=rows.index) if band == "all" else rows["band"] == band
            if not mask.any():
                continue
            where = f"outcomes.calibration[{band}]"
            rate, censored = _rate(hit[mask], suppressor, where)
            expected = float(rows.loc[mask & hit.notna(), "probability"].mean()) if rate.value is not None else None
            calibration.append(Calibration(band, rate, expected, censored))
    return Outcomes(selected=suppressor.count(len(selected), "outcomes.selected"), visits=visits, changes=changes,
                    by_band=by_band, closure_reasons=closure, window_months=WINDOW_MONTHS, calibration=calibration,
                    calibration_window=window if has_probability else None)
