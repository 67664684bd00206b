"""Encoding: the current points round-trip through feature weights, and bounds follow declarations."""

from __future__ import annotations

import math

import numpy as np

from riskmanual.calibration.encoding import encode_instrument


def test_current_points_round_trip(full) -> None:
    enc = encode_instrument(full)
    points = enc.points(enc.current)
    for item_enc in enc.items:
        table = item_enc.item.points_table()
        if table:
            assert points[item_enc.item.id] == {k: float(v) for k, v in table.items()}
        else:
            assert [points[item_enc.item.id][c] for c in item_enc.codes] == [b.points for b in item_enc.bins]


def test_declared_constraints_become_bounds(full) -> None:
    enc = encode_instrument(full)
    lower, upper = enc.bounds
    by_name = {f.name: (lo, hi) for f, lo, hi in zip(enc.features, lower, upper)}
    assert by_name["violence>=high"] == (0.0, math.inf)  # ordinal risk: never lower with a higher rating
    assert by_name["adult=yes"] == (-math.inf, 0.0)  # protective: never raises the total
    assert by_name["age>=[22,)"] == (-math.inf, 0.0)  # numeric: keeps its current (falling) direction
    assert enc.violations(enc.current) == []
    bad = enc.current.copy()
    bad[enc.names.index("adult=yes")] = 1.0
    assert enc.violations(bad) and "adult=yes" in enc.violations(bad)[0]


def test_transform_is_cumulative_for_ordered_items(full) -> None:
    enc = encode_instrument(full)
    X = enc.transform({"violence": ["low", "moderate", "high", None]}, 4)
    columns = [enc.names.index("violence>=moderate"), enc.names.index("violence>=high")]
    assert X[:, columns].tolist() == [[0, 0], [1, 0], [1, 1], [0, 0]]
    assert np.all(X.sum(axis=1)[:3] == [0, 1, 2])
