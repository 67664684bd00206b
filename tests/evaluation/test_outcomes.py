"""Outcome windows: counted only once the whole window is observed (pure)."""

from __future__ import annotations

import math

import pandas as pd

from riskmanual.evaluation.outcomes import within


def test_an_outcome_counts_only_once_its_whole_window_is_observed() -> None:
    starts = pd.Series(pd.to_datetime(["2026-01-01", "2026-01-01", "2024-01-01", "2024-01-01"]))
    subjects = pd.Series([1, 2, 3, 4])
    events = pd.DataFrame({"subject": [1, 3, 4], "date": pd.to_datetime(["2026-02-01", "2024-06-01", "2025-06-01"])})
    got = within(starts, subjects, events, 12, pd.Timestamp("2026-06-01"))
    # 1: offence inside a window not yet over -> censored, like 2 (no offence yet); 3: inside; 4: after the window
    assert math.isnan(got[0]) and math.isnan(got[1]) and list(got[2:]) == [1.0, 0.0]
    later = within(starts, subjects, events, 12, pd.Timestamp("2027-01-01"))
    assert list(later) == [1.0, 0.0, 1.0, 0.0]
    on_the_start_day = within(starts[:1], subjects[:1], pd.DataFrame({"subject": [1], "date": starts[:1]}), 12,
                              pd.Timestamp("2027-01-01"))
    assert list(on_the_start_day) == [0.0]  # an event on the start day is not after it
