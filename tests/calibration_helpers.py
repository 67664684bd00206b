"""A small synthetic cohort for tests/data/full.yaml with a known generating model."""

from __future__ import annotations

import numpy as np
import pandas as pd

TRUE_POINTS = {"violence": {"low": 0, "moderate": 1, "high": 2}, "peers": {"no": 0, "yes": 2}, "adult": {"no": 0, "yes": -1}}


def synthetic_frame(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Answers drawn at random; outcome ~ Bernoulli(sigmoid(-1.5 + 0.6 * true total))."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "id": [f"sim-{i:06d}" for i in range(n)],
        "age": rng.integers(15, 26, n).astype(str),
        "prior_offences": rng.poisson(1.5, n).astype(str),
        "violence": rng.choice(["low", "moderate", "high"], n),
        "peers": rng.choice(["yes", "no"], n),
        "school": rng.choice(["attending", "truant", "dropped_out"], n),
        "adult": rng.choice(["yes", "no"], n),
        "sex": rng.choice(["F", "M"], n),
    })
    frame["gang"] = np.where(frame.peers == "yes", rng.choice(["yes", "no"], n), "")
    total = sum(frame[item].map(points) for item, points in TRUE_POINTS.items())
    p = 1 / (1 + np.exp(-(-1.5 + 0.6 * total)))
    frame["y"] = (rng.random(n) < p).astype(int).astype(str)
    return frame
