"""Synthetic registers for the batch tests and benchmarks: one row per assessment, one column per item.

Cells are drawn at random among each item's answers (``gaps`` blank, half as many unknown), then, using
the batch scorer's own verdicts, answers to items that do not apply are blanked and required items
answered, so that most rows are scored; a few stay refused or incomplete, as in a real register.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np

from riskmanual.batch import score_frame
from riskmanual.instrument import DerivedResponse

TODAY = dt.date(2026, 11, 23)
_ITEM = re.compile(r"answers\.([a-z0-9_-]+): item '[^']+' (does not apply|applies here|is required)")


def register(instrument: Any, n: int, seed: int, *, gaps: float = 0.02) -> Any:
    """A pandas DataFrame of ``n`` synthetic assessments of ``instrument`` (with ``case_ref``,
    ``birth_date``, ``assessment_date`` and ``region`` columns)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {"case_ref": [f"c{i}" for i in range(n)]}
    first: dict[str, str] = {}
    for item in instrument.items:
        response = item.response
        if isinstance(response, DerivedResponse):
            continue
        codes = list(getattr(response, "codes", ())) or [str(v) for v in range(int(response.min), int(response.max) + 1)]
        first[item.id] = codes[0]
        cells = np.array(codes, dtype=object)[rng.integers(0, len(codes), n)]
        if not item.required:
            roll = rng.random(n)
            cells[roll < gaps] = None
            if item.allow_unknown:
                cells[(roll >= gaps) & (roll < gaps * 1.5)] = "unknown"
        data[item.id] = cells
    births = rng.integers(dt.date(2006, 1, 1).toordinal(), dt.date(2012, 1, 1).toordinal(), n)
    data["birth_date"] = [dt.date.fromordinal(int(b)).isoformat() for b in births]
    data["assessment_date"] = "2026-11-01"
    data["region"] = rng.choice(["north", "south", "east"], n)
    frame = pd.DataFrame(data)
    for _attempt in range(6):
        out = score_frame(instrument, frame, today=TODAY)
        refused = np.flatnonzero((out["status"] == "refused").to_numpy())
        changed = False
        for row, error in zip(refused.tolist(), out["error"].to_numpy()[refused].tolist()):
            for item_id, what in _ITEM.findall(error):
                frame.iat[row, frame.columns.get_loc(item_id)] = None if what != "is required" else first[item_id]
                changed = True
        if not changed:
            break
    return frame
