"""Small numbers are never shown in a way that can identify a young person (pure, no I/O).

A count of 1 to ``threshold - 1`` (default 5) is suppressed; so is a rate whose numerator,
denominator or complement (the denominator less the numerator) is such a count, and a mean or
median of fewer people. Zero is shown (nobody is identified by it), as a count and as a rate. In a table whose totals are shown, a lone suppressed cell in a
row or column could be recovered by subtraction, so the next smallest cell there is suppressed
too (secondary suppression). Every suppression is logged with where and why, for the report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["DEFAULT_THRESHOLD", "FEW", "Line", "Rate", "Summary", "Suppressed", "Suppressor", "Table", "wilson"]

DEFAULT_THRESHOLD = 5
#: Under this many, a rate's interval is wide: the report says so.
FEW = 30


def wilson(events: int, n: int) -> tuple[float, float]:
    """The Wilson 95 % interval of ``events / n`` (statsmodels ``proportion_confint``)."""
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(events, n, alpha=0.05, method="wilson")
    return float(low), float(high)


@dataclass(frozen=True)
class Suppressed:
    where: str
    reason: str  # small | secondary | small_rate | small_summary


@dataclass(frozen=True)
class Rate:
    """``events`` of ``n`` with its Wilson 95 % interval; ``None`` where suppressed."""

    events: int | None
    n: int | None
    value: float | None
    low: float | None
    high: float | None
    suppressed: bool = False
    few: bool = False  # n under FEW: the interval is wide


@dataclass(frozen=True)
class Summary:
    """A median (with quartiles) or mean of ``n`` values; ``None`` where fewer than the threshold."""

    n: int | None
    value: float | None
    low: float | None = None  # first quartile, or the interval's low end for a mean
    high: float | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class Line:
    """Counts by category with their total, suppressed together."""

    cells: dict[str, int | None]
    total: int | None


@dataclass(frozen=True)
class Table:
    """Counts by row and column with row, column and grand totals, suppressed together."""

    rows: list[str]
    columns: list[str]
    cells: dict[str, dict[str, int | None]]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None


@dataclass
class Suppressor:
    """Applies the rules with one threshold and keeps the log of what it suppressed."""

    threshold: int = DEFAULT_THRESHOLD
    log: list[Suppressed] = field(default_factory=list)

    def small(self, n: int) -> bool:
        return 0 < n < self.threshold

    def count(self, n: int, where: str) -> int | None:
        if self.small(n):
            self.log.append(Suppressed(where, "small"))
            return None
        return n

    def rate(self, events: int, n: int, where: str) -> Rate:
        if n == 0:
            return Rate(None, 0, None, None, None)
        if self.small(events) or self.small(n) or self.small(n - events):
            self.log.append(Suppressed(where, "small_rate"))
            return Rate(None, None if self.small(n) else n, None, None, None, suppressed=True, few=n < FEW)
        low, high = wilson(events, n)
        return Rate(events, n, events / n, low, high, few=n < FEW)

    def median(self, values: Sequence[float], where: str) -> Summary:
        clean = sorted(float(v) for v in values if v is not None and not math.isnan(float(v)))
        if not clean:
            return Summary(0, None)
        if len(clean) < self.threshold:
            self.log.append(Suppressed(where, "small_summary"))
            return Summary(None, None, suppressed=True)
        return Summary(len(clean), _quantile(clean, 0.5), _quantile(clean, 0.25), _quantile(clean, 0.75))

    def mean(self, values: Sequence[float], where: str) -> Summary:
        clean = [float(v) for v in values if v is not None and not math.isnan(float(v))]
        if not clean:
            return Summary(0, None)
        if len(clean) < self.threshold:
            self.log.append(Suppressed(where, "small_summary"))
            return Summary(None, None, suppressed=True)
        mean = sum(clean) / len(clean)
        if len(clean) > 1:
            sd = math.sqrt(sum((v - mean) ** 2 for v in clean) / (len(clean) - 1))
            half = 1.96 * sd / math.sqrt(len(clean))
        else:
            half = 0.0
        return Summary(len(clean), mean, mean - half, mean + half)

    def line(self, counts: dict[str, int], where: str) -> Line:
        """Counts by category and their total: the small ones, and one more where a single
        suppressed count could be recovered from the total."""
        total = sum(counts.values())
        hidden = {k for k, v in counts.items() if self.small(v)}
        for key in sorted(hidden):
            self.log.append(Suppressed(f"{where}[{key}]", "small"))
        total_hidden = self.small(total)
        if total_hidden:
            self.log.append(Suppressed(f"{where}[total]", "small"))
        elif len(hidden) == 1:
            extra = self._next_smallest(counts, hidden)
            if extra is not None:
                hidden.add(extra)
                self.log.append(Suppressed(f"{where}[{extra}]", "secondary"))
        return Line({k: None if k in hidden else v for k, v in counts.items()}, None if total_hidden else total)

    def table(self, counts: dict[tuple[str, str], int], rows: Sequence[str], columns: Sequence[str],
              where: str) -> Table:
        """A two-way table with its margins, suppressed until no suppressed entry can be recovered
        by subtraction: each row and column, the margins included, has none or at least two."""
        total = _TOTAL
        value = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
        for r in rows:
            value[(r, total)] = sum(value[(r, c)] for c in columns)
        for c in columns:
            value[(total, c)] = sum(value[(r, c)] for r in rows)
        value[(total, total)] = sum(value[(r, total)] for r in rows)
        hidden = {k for k, v in value.items() if self.small(v)}
        for key in sorted(hidden):
            self.log.append(Suppressed(f"{where}[{_name(key)}]", "small"))
        everything = [*rows, total]
        lines = [[(r, c) for c in [*columns, total]] for r in everything]
        lines += [[(r, c) for r in everything] for c in [*columns, total]]
        changed = True
        while changed:
            changed = False
            for keys in lines:
                lone = [k for k in keys if k in hidden]
                if len(lone) != 1:
                    continue
                candidates = sorted((value[k], k[0] == total or k[1] == total, k) for k in keys
                                    if k not in hidden and value[k] > 0)
                if candidates:
                    key = candidates[0][2]
                    hidden.add(key)
                    self.log.append(Suppressed(f"{where}[{_name(key)}]", "secondary"))
                    changed = True

        def shown(key: tuple[str, str]) -> int | None:
            return None if key in hidden else value[key]

        return Table(list(rows), list(columns), {r: {c: shown((r, c)) for c in columns} for r in rows},
                     {r: shown((r, total)) for r in rows}, {c: shown((total, c)) for c in columns},
                     shown((total, total)))

    @staticmethod
    def _next_smallest(counts: dict[str, int], hidden: set[str]) -> str | None:
        candidates = sorted((v, k) for k, v in counts.items() if k not in hidden and v > 0)
        return candidates[0][1] if candidates else None


_TOTAL = "total"


def _name(key: tuple[str, str]) -> str:
    return ", ".join(key)


def _quantile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile by linear interpolation (numpy's default)."""
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)
