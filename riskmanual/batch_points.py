"""Points over whole columns for :mod:`riskmanual.batch_rules`: one gather per pool, not per item.

The items of one pool (a domain and kind: what prorating averages over) are combined into one
code per row (``code_a * slots_b + code_b ...``, at most :data:`_JOINT` combinations), and a table
of that code gives the members' summed contributions, so a pool's points take one gather however
many items it holds. The same tables give prorating its means: per combined code the mean of the
answered members, and so the points a complete row gets with its unanswered members prorated
(:meth:`Pool.prorated`: one more gather); only the rows whose mean must come from the whole kind
(no member answered) are read row by row (:meth:`Pool.raw`). Everything else per row stays in
small integers (a few bytes a row), where numpy is many times faster than in float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Member", "Pool", "bump", "compact_dtype", "exact", "flags", "gather", "raw_mean_parts", "weighted"]

#: The most combinations of cells one pool table holds (its code fits in 16 bits; the table in cache).
_JOINT = 1 << 16
#: Sums of multiples of 1/512 (every point with up to 9 binary places) are exact in float64, and
#: rounding to 9 decimals leaves them as they are: their totals need no rounding pass.
_DYADIC = 512.0


def compact_dtype(size: int) -> Any:
    """The smallest unsigned integer type that holds the codes ``0 .. size - 1``."""
    return np.uint8 if size <= 1 << 8 else np.uint16 if size <= 1 << 16 else np.uint32 if size <= 1 << 32 \
        else np.int64


def flags(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``table[index]`` for a small boolean table: one comparison per code that is (or is not) set,
    which on compact codes is far cheaper than a gather (a gather when many codes are set)."""
    trues = np.flatnonzero(table)
    if len(trues) == 0:
        return np.zeros(len(index), dtype=bool)
    if len(trues) == len(table):
        return np.ones(len(index), dtype=bool)
    falses = np.flatnonzero(~table)
    few, negate = (trues, False) if len(trues) <= len(falses) else (falses, True)
    if len(few) > 4:
        return gather(table.view(np.uint8), index).view(bool)
    found = index == int(few[0])
    for code in few[1:].tolist():
        found |= index == code
    return np.logical_not(found, out=found) if negate else found


def gather(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``table[index]`` (read-only): pyarrow's take reads compact codes as they are, where numpy's
    first widens them to 64 bits."""
    import pyarrow as pa  # noqa: PLC0415

    if index.dtype == np.intp or len(index) == 0:
        return np.take(table, index)
    return pa.array(table).take(pa.array(index)).to_numpy(zero_copy_only=True)


def exact(table: np.ndarray) -> bool:
    """Whether every value is a finite multiple of 1/512 small enough that sums of a few thousand stay exact."""
    scaled = table * _DYADIC
    return bool(np.all(np.isfinite(scaled)) and np.all(np.abs(table) < 2.0 ** 30) and np.all(scaled == np.round(scaled)))


def weighted(counts: dict[float, np.ndarray], n: int) -> np.ndarray:
    """``sum(weight * count)`` per row, for per-row counts of small integers: in integers (then one
    exact division) when every weight is a multiple of 1/512, else in float64."""
    out = np.zeros(n)
    weights = [w for w in counts if w != 0.0]
    if not weights or n == 0:
        return out
    scale = next((2.0 ** k for k in range(10) if all(w * 2.0 ** k == round(w * 2.0 ** k) for w in weights)), None)
    if scale is not None and all(abs(w) < 2.0 ** 20 for w in weights):
        most = sum(abs(w) * scale for w in weights) * max(1, *(int(c.max()) for c in counts.values()))
        units = np.zeros(n, dtype=np.int16 if most < 2 ** 15 else np.int32 if most < 2 ** 31 else np.int64)
        for w in weights:
            units += counts[w].astype(units.dtype) * units.dtype.type(int(w * scale))
        np.multiply(units, 1.0 / scale, out=out)
        return out
    for w in weights:
        out += w * counts[w]
    return out


@dataclass
class Member:
    """One scored item of a pool: per row its slot, and per slot its contribution (``scale`` times
    its points, rounded), what rounding took off, and whether it is answered."""

    code: np.ndarray
    contribution: np.ndarray
    unrounded: np.ndarray | None
    answered: np.ndarray
    missing: np.ndarray  # per slot: the item applies and is not answered
    prorate: tuple[float, float] | None  # the range a prorated item's mean is kept within (None: not prorated)


@dataclass
class _Group:
    """Consecutive members of a pool combined into one code per row, with their tables summed."""

    code: np.ndarray
    points: np.ndarray
    unrounded: np.ndarray | None
    answered: np.ndarray


@dataclass
class Pool:
    """The scored items of one domain and kind: its points per row, and on given rows what prorating needs."""

    domain: str
    kind: str
    scale: float
    members: list[Member] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)

    def combine(self) -> None:
        """Group the members (in item order) into as few combined codes as :data:`_JOINT` allows."""
        self.groups = []
        run: list[Member] = []
        size = 1
        for member in self.members:
            slots = len(member.contribution)
            if run and size * slots > _JOINT:
                self.groups.append(_joined(run))
                run, size = [], 1
            run.append(member)
            size *= slots
        if run:
            self.groups.append(_joined(run))

    def exact(self) -> bool:
        """Whether the pool's sums need no rounding (see :func:`exact`)."""
        return all(exact(g.points) and (g.unrounded is None or exact(g.unrounded)) for g in self.groups)

    def points(self) -> np.ndarray:
        """Per row the sum of the members' contributions (read-only when it is one gather)."""
        total: np.ndarray | None = None
        for group in self.groups:
            found = gather(group.points, group.code)
            if total is None:
                total = found
            elif total.flags.writeable:
                np.add(total, found, out=total)
            else:
                total = total + found
        assert total is not None
        return total

    def prorated(self) -> tuple[np.ndarray, np.ndarray] | None:
        """For a pool of one combined code with prorated members: per code, its points plus the
        means prorating gives its unanswered members (what a complete row gets), and whether the
        mean must come from the whole kind instead (no member answered). None for other pools."""
        if len(self.groups) != 1 or all(m.prorate is None for m in self.members):
            return None
        group = self.groups[0]
        size = len(group.points)
        raw = group.points if group.unrounded is None else group.points + group.unrounded
        count = group.answered
        mean = np.where(count > 0, self.scale * raw / np.maximum(count, 1), 0.0)
        codes, stride = np.arange(size), size
        added = np.zeros(size)
        fallback = np.zeros(size, dtype=bool)
        for member in self.members:  # the combined code is c0 * (s1 * s2 ...) + c1 * (s2 ...) + ...
            slots = len(member.contribution)
            stride //= slots
            if member.prorate is None:
                continue
            missing = member.missing[(codes // stride) % slots]
            bottom, top = member.prorate
            added += np.where(missing & (count > 0), np.round(self.scale * np.clip(mean, bottom, top), 9) + 0.0, 0.0)
            fallback |= missing & (count == 0)
        return group.points + added, fallback

    def raw(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        """On ``rows``: the summed contributions, what rounding took off them (None: nothing), and
        how many members are answered."""
        points = unrounded = count = None
        for group in self.groups:
            code = group.code[rows]
            found = group.points[code]
            points = found if points is None else points + found
            if group.unrounded is not None:
                off = group.unrounded[code]
                unrounded = off if unrounded is None else unrounded + off
            answered = group.answered[code]
            count = answered if count is None else count + answered
        assert points is not None and count is not None
        return points, unrounded, count


def _joined(members: list[Member]) -> _Group:
    """One combined code for ``members``: ``((c0 * s1 + c1) * s2 + c2) ...``, and its tables (sums in member order)."""
    first = members[0]
    if len(members) == 1:
        return _Group(first.code, first.contribution, first.unrounded, first.answered.astype(np.int16))
    size = int(np.prod([len(m.contribution) for m in members]))
    code = first.code.astype(compact_dtype(size))
    points, answered = first.contribution, first.answered.astype(np.int16)
    rounding = any(m.unrounded is not None for m in members)
    unrounded = (first.unrounded if first.unrounded is not None else np.zeros(len(points))) if rounding else None
    for member in members[1:]:
        slots = len(member.contribution)
        code *= code.dtype.type(slots)
        np.add(code, member.code, out=code, casting="unsafe")  # below ``size``: it fits
        points = np.add.outer(points, member.contribution).ravel()
        answered = np.add.outer(answered, member.answered.astype(np.int16)).ravel()
        if unrounded is not None:
            off = member.unrounded if member.unrounded is not None else np.zeros(slots)
            unrounded = np.add.outer(unrounded, off).ravel()
    return _Group(code, points, unrounded, answered)


def bump(counts: dict[float, np.ndarray], weight: float, rows: np.ndarray, dtype: Any) -> None:
    """Count ``rows`` (a per-row mask) under ``weight``."""
    found = counts.get(weight)
    if found is None:
        found = counts[weight] = np.zeros(len(rows), dtype=dtype)
    found += rows.view(np.uint8)


def raw_mean_parts(pools: list[Pool], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """On ``rows``: the raw points (before rounding, times the pools' scale) of the answered items of
    ``pools`` and how many they are."""
    points = unrounded = count = None
    for pool in pools:
        found, off, answered = pool.raw(rows)
        points = found if points is None else points + found
        if off is not None:
            unrounded = off if unrounded is None else unrounded + off
        count = answered if count is None else count + answered
    assert points is not None and count is not None
    if unrounded is not None:
        points = points + unrounded
    return pools[0].scale * points, count
