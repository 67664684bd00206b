"""Turn an instrument's items into binary features, and fitted feature weights back into points.

Every scored item becomes a few 0/1 columns measured against a reference answer:

* boolean: ``item=yes`` (reference ``no``);
* ordinal choices, numeric and derived items with bins: one threshold column per step,
  ``item>=code`` (reference: the lowest option or bin), so a weight is the step in points
  between neighbouring answers and monotone order is a sign constraint on each weight;
* categorical choices: ``item=code`` for every option but the reference (the one with the
  fewest points).

A weight is a contribution to the total (protective items contribute negatively when
subtracted; protective items on a separate scale are encoded with weight 0 today, so their values
are checked and a refit can give them weights). The instrument's current points are one weight vector in this encoding, so
refits and the current points are compared on the same features. Pure numpy; no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..instrument import BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, Item, NumericResponse

__all__ = ["NOT_RECORDED", "Encoding", "Feature", "ItemEncoding", "encode_instrument", "totals"]

INF = math.inf

#: The answer a categorical item gains when missing is its own category (``missing: category``).
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = {"sv": "Uppgift saknas", "en": "Not recorded"}


@dataclass(frozen=True)
class Feature:
    """One 0/1 column: ``item`` answered ``code`` (or at or above it, for ordered items)."""

    name: str
    item: str
    code: str
    lower: float  # bounds on the weight that the declared constraints allow
    upper: float


@dataclass
class ItemEncoding:
    """How one item's answers map to its columns."""

    item: Item
    sign: float  # +1: contribution = points; -1: protective, subtracted
    codes: list[str]  # answer codes in order; for binned items, one per bin
    ordered: bool
    reference: int  # index of the reference code
    columns: list[int] = field(default_factory=list)  # feature indices, one per non-reference code
    bins: list[Any] | None = None  # for numeric / derived items
    reference_points: float = 0.0  # the reference answer's current points, kept when points change
    separate: bool = False  # a protective item on a separate scale: today outside the total

    @property
    def levels(self) -> list[int]:
        """The code index each column stands for: its step (ordered) or its code (categorical)."""
        if self.ordered:
            return list(range(1, len(self.codes)))
        return [i for i in range(len(self.codes)) if i != self.reference]


@dataclass
class Encoding:
    """The feature layout of an instrument, and the current points as weights."""

    instrument: Instrument
    items: list[ItemEncoding]
    features: list[Feature]
    current: np.ndarray  # current points as feature weights
    offset: float  # current total when every item is at its reference answer

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.features]

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([f.lower for f in self.features]), np.array([f.upper for f in self.features]))

    @property
    def groups(self) -> list[list[int]]:
        """Column indices per item, for limits on the number of items used."""
        return [enc.columns for enc in self.items]

    def transform(self, codes: dict[str, list[str | None]], n: int) -> np.ndarray:
        """The 0/1 matrix for answer codes per item (None = missing: every column 0)."""
        indices = {}
        for enc in self.items:
            column = codes.get(enc.item.id)
            if column is not None:
                position = {code: i for i, code in enumerate(enc.codes)}
                indices[enc.item.id] = np.array([-1 if code is None else position[code] for code in column])
        return self.transform_indices(indices, n)

    def transform_indices(self, indices: dict[str, np.ndarray], n: int) -> np.ndarray:
        """The 0/1 matrix for answers given as indices into each item's codes (-1 = missing).

        Stored as ``uint8`` (one byte a cell, an eighth of float64: a 10-million-row cohort
        stays small); totals are computed with :func:`totals`, the fits convert their rows."""
        X = np.zeros((n, len(self.features)), dtype=np.uint8)
        for enc in self.items:
            index = indices.get(enc.item.id)
            if index is None:
                continue
            for feature, level in zip(enc.columns, enc.levels):
                X[:, feature] = (index >= level) if enc.ordered else (index == level)
        return X

    def points(self, weights: np.ndarray, *, rebase: bool = False) -> dict[str, dict[str, float]]:
        """Points per item and answer code (before the protective sign) for feature weights.

        With ``rebase``, each item's points are moved so that its lowest-scoring answer scores 0
        (a refit's numeric item would otherwise keep its reference bin's old points as an offset);
        the total then moves by :meth:`offset_for`, so probabilities and ranks do not change."""
        out: dict[str, dict[str, float]] = {}
        for enc in self.items:
            contribution = [0.0] * len(enc.codes)
            for feature, level in zip(enc.columns, enc.levels):
                if enc.ordered:
                    for i in range(level, len(enc.codes)):
                        contribution[i] += float(weights[feature])
                else:
                    contribution[level] = float(weights[feature])
            raw = [c * enc.sign + enc.reference_points for c in contribution]
            floor = min(raw) if rebase else 0.0
            out[enc.item.id] = {code: _clean(value - floor) for code, value in zip(enc.codes, raw)}
        return out

    def offset_for(self, weights: np.ndarray, *, rebase: bool = False) -> float:
        """The total when every item is at its reference answer (``total = offset + X @ weights``):
        the current reference points, or, with ``rebase``, what :meth:`points` with ``rebase`` gives."""
        if not rebase:
            return self.offset
        points = self.points(weights, rebase=True)
        return _clean(sum(enc.sign * points[enc.item.id][enc.codes[enc.reference]] for enc in self.items))

    def violations(self, weights: np.ndarray, tol: float = 1e-9) -> list[str]:
        """The declared constraints a weight vector breaks (empty when it respects them all)."""
        return [
            f"{f.name}: weight {weights[i]:g} outside [{f.lower:g}, {f.upper:g}]"
            for i, f in enumerate(self.features)
            if weights[i] < f.lower - tol or weights[i] > f.upper + tol
        ]


#: Rows per block in :func:`totals`: a block's float64 copy stays a few megabytes.
TOTAL_BLOCK = 1 << 16


def totals(X: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``X @ weights`` in float64, a block of rows at a time, so a compact (uint8) ``X`` is never
    copied whole into float64 (numpy's ``@`` would cast the entire matrix first)."""
    weights = np.asarray(weights, dtype=np.float64)
    if X.dtype == np.float64 or len(X) <= TOTAL_BLOCK:
        return np.asarray(X, dtype=np.float64) @ weights
    out = np.empty(len(X), dtype=np.float64)
    for start in range(0, len(X), TOTAL_BLOCK):
        out[start:start + TOTAL_BLOCK] = X[start:start + TOTAL_BLOCK].astype(np.float64) @ weights
    return out


def _clean(value: float) -> float:
    return round(value, 10) + 0.0


def encode_instrument(instrument: Instrument, *, missing_category: frozenset[str] | set[str] = frozenset()) -> Encoding:
    """The binary feature layout of ``instrument`` and its current points as weights.

    Each categorical item in ``missing_category`` gains the answer :data:`NOT_RECORDED` (a missing
    answer as its own category): today it scores as the reference answer, so its weight is 0."""
    items: list[ItemEncoding] = []
    features: list[Feature] = []
    current: list[float] = []
    offset = 0.0
    for item in instrument.items:
        sign = instrument.sign(item)
        # Protective items on a separate scale are encoded too (their values are checked): they
        # give nothing to today's total (weight 0), and a refit may give them their own weights.
        separate = sign == 0 and item.kind == "protective"
        if separate:
            sign = -1.0
        if sign == 0:
            continue
        response = item.response
        if isinstance(response, BooleanResponse):
            codes, points, ordered = ["no", "yes"], [response.points.no, response.points.yes], True
            bins = None
        elif isinstance(response, ChoiceResponse):
            codes = list(response.codes)
            points = [o.points for o in response.options]
            ordered = response.type == "ordinal"
            bins = None
            if item.id in missing_category and not ordered:
                codes.append(NOT_RECORDED)  # last: ties go to a real answer as the reference
                points.append(min(points))  # the reference's points: today missing scores as the reference
        elif isinstance(response, (NumericResponse, DerivedResponse)) and response.bins:
            bins = list(response.bins)
            codes = [_bin_code(b) for b in bins]
            points = [b.points for b in bins]
            ordered = True
        else:
            continue
        contributions = [sign * p for p in points]
        today = [0.0] * len(points) if separate else contributions
        if ordered:
            reference = 0
        else:  # the option that adds least (risk) or takes away least (protective)
            reference = int(np.argmin(contributions) if sign > 0 else np.argmax(contributions))
        enc = ItemEncoding(item=item, sign=sign, codes=codes, ordered=ordered, reference=reference, bins=bins,
                           reference_points=0.0 if separate else points[reference], separate=separate)
        lower, upper = _bounds(item, contributions, ordered)
        offset += today[reference]
        for level in enc.levels:
            code = codes[level]
            name = f"{item.id}>={code}" if ordered and len(codes) > 2 else f"{item.id}={code}"
            enc.columns.append(len(features))
            features.append(Feature(name=name, item=item.id, code=code, lower=lower, upper=upper))
            previous = today[level - 1] if ordered else today[reference]
            current.append(today[level] - previous)
        items.append(enc)
    return Encoding(instrument=instrument, items=items, features=features, current=np.array(current), offset=offset)


def _bin_code(b: Any) -> str:
    low = "" if b.min is None else f"{b.min:g}"
    high = "" if b.below is None else f"{b.below:g}"
    return f"[{low},{high})"


def _bounds(item: Item, contributions: list[float], ordered: bool) -> tuple[float, float]:
    """Weight bounds from what the instrument declares.

    A protective item never adds to the total (weights <= 0); an ordinal or boolean risk
    item never lowers it as the rating rises (weights >= 0). Numeric and derived items keep
    the direction their current points have (age often lowers risk as it rises), and are
    free when those points are not monotone. Categorical risk options stay at or above their
    reference.
    """
    if item.kind == "protective":
        return -INF, 0.0
    response = item.response
    if isinstance(response, (NumericResponse, DerivedResponse)):
        steps = np.diff(contributions)
        if np.all(steps >= 0):
            return 0.0, INF
        if np.all(steps <= 0):
            return -INF, 0.0
        return -INF, INF
    return 0.0, INF
