"""Suppression of small numbers: counts, rates, summaries, and secondary suppression in lines and tables."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from riskmanual.evaluation.suppression import Suppressor, wilson


def test_a_count_from_1_to_4_is_suppressed_and_0_and_5_are_shown() -> None:
    s = Suppressor(5)
    assert [s.count(n, "x") for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]
    assert [e.reason for e in s.log] == ["small", "small"]


def test_a_rate_of_few_is_suppressed_with_its_numerator_and_the_report_says_why() -> None:
    s = Suppressor(5)
    shown = s.rate(31, 59, "a")
    assert (shown.events, shown.n, round(shown.value, 4)) == (31, 59, 0.5254)
    low, high = wilson(31, 59)
    assert (shown.low, shown.high) == (low, high) and 0.40 < low < 0.41 and 0.64 < high < 0.65
    few = s.rate(3, 40, "b")  # numerator under 5
    assert few.value is None and few.events is None and few.n == 40 and few.suppressed
    almost_all = s.rate(38, 40, "c")  # the complement, 2, could be worked out
    assert almost_all.value is None
    tiny = s.rate(2, 3, "d")
    assert tiny.n is None
    assert s.rate(0, 40, "e").value == 0.0  # nobody: shown, as a count of 0 is
    assert [(e.where, e.reason) for e in s.log] == [("b", "small_rate"), ("c", "small_rate"), ("d", "small_rate")]
    assert s.rate(10, 20, "f").few and not s.rate(20, 40, "g").few


def test_a_lone_suppressed_count_in_a_line_takes_the_next_smallest_with_it() -> None:
    s = Suppressor(5)
    line = s.line({"low": 8, "moderate": 39, "high": 2, "very_high": 17}, "bands")
    assert line.cells == {"low": None, "moderate": 39, "high": None, "very_high": 17} and line.total == 66
    assert [(e.where, e.reason) for e in s.log] == [("bands[high]", "small"), ("bands[low]", "secondary")]
    two = Suppressor(5).line({"a": 2, "b": 3, "c": 10}, "x")
    assert two.cells == {"a": None, "b": None, "c": 10}  # two hidden: neither can be worked out
    small_total = Suppressor(5).line({"a": 3, "b": 0}, "x")
    assert small_total.total is None and small_total.cells == {"a": None, "b": 0}


def test_a_table_is_suppressed_until_no_hidden_cell_can_be_worked_out() -> None:
    s = Suppressor(5)
    counts = {("met", "selected"): 82, ("met", "not_selected"): 9, ("not_met", "selected"): 8,
              ("not_met", "not_selected"): 80, ("not_met", "no_decision"): 3}
    table = s.table(counts, ["met", "not_met"], ["selected", "not_selected", "no_decision"], "t")
    hidden = {(r, c) for r in table.rows for c in table.columns if table.cells[r][c] is None}
    assert ("not_met", "no_decision") in hidden and table.column_totals["no_decision"] is None
    _assert_safe(table)


def _assert_safe(table) -> None:
    """No row or column (margins included) has exactly one hidden entry."""
    total = "__total__"
    grid = {(r, c): table.cells[r][c] for r in table.rows for c in table.columns}
    grid.update({(r, total): table.row_totals[r] for r in table.rows})
    grid.update({(total, c): table.column_totals[c] for c in table.columns})
    grid[(total, total)] = table.total
    rows, cols = [*table.rows, total], [*table.columns, total]
    for r in rows:
        assert sum(grid[(r, c)] is None for c in cols) != 1, (r, grid)
    for c in cols:
        assert sum(grid[(r, c)] is None for r in rows) != 1, (c, grid)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=6, max_size=6), st.integers(2, 6))
def test_any_table_ends_with_no_recoverable_hidden_cell(values: list[int], threshold: int) -> None:
    rows, cols = ["a", "b"], ["x", "y", "z"]
    counts = dict(zip(itertools.product(rows, cols), values))
    table = Suppressor(threshold).table(counts, rows, cols, "t")
    _assert_safe(table)
    for (r, c), v in counts.items():  # every small count is hidden; every shown value is the true one
        shown = table.cells[r][c]
        assert shown is None or shown == v
        if 0 < v < threshold:
            assert shown is None


def test_a_median_or_mean_of_fewer_than_the_threshold_is_suppressed() -> None:
    s = Suppressor(5)
    assert s.median([27, 27, 30, 40], "m").value is None
    median = s.median([10, 20, 30, 40, 50], "m")
    assert (median.value, median.low, median.high, median.n) == (30, 20, 40, 5)
    mean = s.mean([1, 2, 3, 4, 5], "m")
    assert mean.value == 3 and round(mean.high - mean.value, 4) == round(1.96 * (2.5 ** 0.5) / 5 ** 0.5, 4)
