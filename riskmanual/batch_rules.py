"""The single scorer's rules over whole columns, for :mod:`riskmanual.batch`.

Every rule here mirrors :func:`riskmanual.score` on one row (tests/test_batch_equivalence.py
holds the two to each other): which items apply (three-valued conditions, in dependency
order), which rows are refused (:mod:`riskmanual.batch_refusals`), missing limits per domain,
prorating, critical answers and the bands they lift to, the target group, the
probability and the robustness range. Arrays are one value per row; nothing loops over rows
except to write the error texts of refused rows.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from .batch_refusals import Refusals
from .compiled import compiled_for
from .instrument import Instrument

__all__ = ["Rows"]

_NONE, _VALUE, _UNKNOWN, _NA = 0, 1, 2, 3
_F, _U, _T = 0, 1, 2
_STATUS = ["complete", "incomplete", "refused"]


def _round(value: Any) -> Any:
    return np.round(value, 9) + 0.0


def _compare(item: dict[str, Any], value: Any, condition: dict[str, Any]) -> bool:
    """A compiled comparison for one available answer (compiled-layout: ``op``, ``values``, ``rank``)."""
    op, values = condition["op"], condition["values"]
    if op == "in":
        return value in values
    if op == "=":
        return bool(value == values[0])
    if op == "!=":
        return bool(value != values[0])
    left = item["codes"].index(str(value)) if condition["rank"] else float(value)
    right = values[0]
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


class _Pool:
    """The answered items of one domain and kind, per row: their points (times the kind's scale) and count."""

    def __init__(self, n: int, scale: float) -> None:
        self.scale = scale
        self.points = np.zeros(n)  # the sum of the contributions (scale * raw points, rounded)
        self.unrounded: Any = 0.0  # what rounding took off the raw points, where it took anything
        self.always = 0  # items that apply on every row; minus their missing answers per row
        self.gaps: list[np.ndarray] = []  # the rows where each of them is missing
        self.missing: Any = np.zeros(n, dtype=np.int32)
        self.answered: Any = 0  # the answers of the items that do not always apply

    def plus(self, other: _Pool) -> _Pool:
        """The two pools as one (of the same kind: the same scale)."""
        both = _Pool(0, self.scale)
        both.points = self.points + other.points
        both.unrounded = self.unrounded + other.unrounded
        both.always = self.always + other.always
        both.missing = self.missing + other.missing
        both.answered = self.answered + other.answered
        return both

    def at(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The raw points and the number of answered items on ``rows``."""
        points = self.points[rows]
        if isinstance(self.unrounded, np.ndarray):
            points = points + self.unrounded[rows]
        count = self.always - self.missing[rows]
        if isinstance(self.answered, np.ndarray):
            count = count + self.answered[rows]
        return self.scale * points, count


class Rows(Refusals):
    """The rows of one table being scored: per item its cells, then every rule over all rows."""

    def __init__(self, instrument: Instrument, cells: list[Any], age: np.ndarray, known: np.ndarray, today: dt.date,
                 lang: str, *, domains: bool) -> None:
        self.instrument = instrument  # for the answers checks of dates; every rule reads the compiled form
        self.compiled = compiled_for(instrument)
        self.items: list[dict[str, Any]] = self.compiled["items"]
        self.chains = {item["domain"]: item["chain"] for item in self.items}
        self.separate = self.compiled["protective"] == "separate"
        self.cells = cells
        self.age = age
        self.known_age = known
        self.n = len(age)
        self.today = today
        self.lang = lang
        self.domains = domains
        # Items that apply on every row (no condition, never not_applicable) keep None here.
        self.applies: list[np.ndarray | None] = [None] * len(self.items)
        self.condition: list[np.ndarray | None] = [None] * len(self.items)
        self._available: dict[int, np.ndarray] = {}
        self._tables: dict[int, np.ndarray] = {}
        self.judgement: tuple[np.ndarray, str] | None = None

    # --- applicability --------------------------------------------------------------

    def evaluate(self, condition: dict[str, Any]) -> np.ndarray:
        """Three-valued per row: _F, _U (an answer it needs is not available) or _T."""
        if "all" in condition:
            return np.minimum.reduce([self.evaluate(child) for child in condition["all"]])
        if "any" in condition:
            return np.maximum.reduce([self.evaluate(child) for child in condition["any"]])
        j = condition["index"]
        cells = self.cells[j]
        table = self._tables.get(id(condition))
        if table is None:
            item = self.items[j]
            table = np.array([_T if v is not None and _compare(item, v, condition) else _F for v in cells.values],
                             dtype=np.int8)
            self._tables[id(condition)] = table
        return np.where(self.available(j), cells.take(table), np.int8(_U)).astype(np.int8)

    def kinds(self, i: int) -> np.ndarray:
        """What each row's cell puts into the answers (a derived item is never answered)."""
        if self.items[i]["type"] == "derived":
            return np.zeros(self.n, dtype=np.int8)
        cells = self.cells[i]
        return cells.take(cells.kind)

    def available(self, i: int) -> np.ndarray:
        """Rows where the item applies and has a usable answer (its value_of is not None)."""
        found = self._available.get(i)
        if found is None:
            cells = self.cells[i]
            found = cells.take(cells.kind == _VALUE)
            if self.applies[i] is not None:
                found &= self.applies[i]
            self._available[i] = found
        return found

    def applies_on(self, i: int) -> np.ndarray:
        applies = self.applies[i]
        return np.ones(self.n, dtype=bool) if applies is None else applies

    def _applicability(self) -> None:
        for i in self.compiled["order"]:
            item, cells = self.items[i], self.cells[i]
            if item["applies_when"] is None and not item["allow_not_applicable"]:
                continue
            applies = np.ones(self.n, dtype=bool)
            if item["allow_not_applicable"]:
                applies &= cells.take(cells.kind != _NA)
            if item["applies_when"] is not None:
                state = self.evaluate(item["applies_when"])
                self.condition[i] = state
                applies &= state != _F
            self.applies[i] = applies

    # --- the result -----------------------------------------------------------------

    def score(self, assessed: Any, born: Any) -> dict[str, Any]:
        import pyarrow as pa  # noqa: PLC0415

        compiled, n = self.compiled, self.n
        self._applicability()
        errors = self._refusals(assessed, born)
        band_ids = [b["id"] for b in compiled["bands"]]
        band_index = {b: k for k, b in enumerate(band_ids)}
        limits = [(d, limit) for d, limit in compiled["limits"]]

        total = np.zeros(n)
        protective = np.zeros(n)
        imputed_sum = np.zeros(n)
        low_adjust = np.zeros(n)
        high_adjust = np.zeros(n)
        subtotal = {d["id"]: np.zeros(n) for d in compiled["domains"]} if self.domains else {}
        unscored_n = np.zeros(n, dtype=np.int32)
        counted: dict[str, list[np.ndarray]] = {d: [] for d, _limit in limits}
        floor = np.full(n, -1, dtype=np.int16)
        possible = np.full(n, -1, dtype=np.int16)
        review = np.zeros(n, dtype=bool)
        unscored: dict[int, np.ndarray] = {}  # scored item -> the rows where it applies and has no answer
        plan: dict[int, tuple[float, float, str]] = {}
        pools: dict[tuple[str, str], _Pool] = {}  # (domain, kind) -> what prorating needs

        gaps: list[np.ndarray] = []  # per scored item, its unscored rows (counted in one go after the loop)
        gap_low: list[float] = []
        gap_high: list[float] = []
        for i, (item, cells) in enumerate(zip(self.items, self.cells)):
            always = self.applies[i] is None and item["type"] != "derived"
            value = cells.kind == _VALUE
            rule = item["critical"]
            if rule is not None and (rule["min_band"] or rule["review"]):
                critical = cells.take(cells.critical & value)
                if not always:
                    critical &= self.available(i)
                rows = np.flatnonzero(critical)
                if rule["min_band"]:
                    floor[rows] = np.maximum(floor[rows], band_index[rule["min_band"]])
                if rule["review"]:
                    review[rows] = True
            if not item["scored"]:
                continue
            sign, scale, low, high = item["sign"], item["scale_sign"], item["low"], item["high"]
            plan[i] = (scale, low, item["handling"])
            table = np.array([_round_one(scale * p) if v else 0.0 for p, v in zip(cells.points, value)])
            contribution = cells.take(table)
            if always:
                missing = np.flatnonzero(self._not_value(cells, value))
            else:
                answered = self.available(i)
                contribution *= answered
                missing = np.flatnonzero(self.applies_on(i) & ~answered)
            unrounded = None
            if not all(t == scale * p for t, p, v in zip(table, cells.points, value) if v):
                # a contribution rounded away from scale * raw points: prorating keeps the raw points
                raw = scale * cells.take(np.where(value, cells.points, 0.0))
                unrounded = (raw if always else raw * self.available(i)) - contribution
            pool = pools.get((item["domain"], item["kind"]))
            if pool is None:
                pool = pools[(item["domain"], item["kind"])] = _Pool(n, scale)
            pool.points += contribution
            if unrounded is not None:
                pool.unrounded = pool.unrounded + unrounded
            if always:
                pool.always += 1
                pool.gaps.append(missing)
            else:
                pool.answered = pool.answered + self.available(i)
            unscored[i] = missing
            for d in item["chain"]:
                if d in counted:
                    counted[d].append(missing)
            gaps.append(missing)
            may_not_apply = item["applies_when"] is not None
            gap_low.append((min(low, 0.0) if may_not_apply else low) if sign else 0.0)
            gap_high.append((max(high, 0.0) if may_not_apply else high) if sign else 0.0)
            if sign:
                if may_not_apply:
                    undecided = np.flatnonzero(self.available(i) & (self.condition[i] == _U))
                    low_adjust[undecided] += np.minimum(-contribution[undecided], 0.0)
                    high_adjust[undecided] += np.maximum(-contribution[undecided], 0.0)
            if rule is not None and rule["min_band"]:
                possible[missing] = np.maximum(possible[missing], band_index[rule["min_band"]])

        for (domain, kind), pool in pools.items():
            self._add(domain, kind, pool.points, total, protective, subtotal)
            pool.missing = _count(pool.gaps, n)
        if gaps:  # every unscored row at once: its count and the robustness range's ends
            rows = np.concatenate(gaps)
            unscored_n = np.bincount(rows, minlength=n).astype(np.int32)
            sizes = [len(g) for g in gaps]
            low_adjust += np.bincount(rows, weights=np.repeat(gap_low, sizes), minlength=n)
            high_adjust += np.bincount(rows, weights=np.repeat(gap_high, sizes), minlength=n)
        limit = compiled["missing"]["max_missing"]
        complete = np.ones(n, dtype=bool)
        if limit is not None:
            complete &= unscored_n <= limit
        for d, domain_limit in limits:
            complete &= _count(counted[d], n) <= domain_limit
        self._prorate(plan, pools, unscored, complete, total, protective, subtotal, imputed_sum)

        total = _round(total)
        score_band = self._band_for(total)
        band = np.where(complete & (score_band >= 0), np.maximum(score_band, floor), -1)
        base = total - imputed_sum
        low_band = self._lift(self._band_for(_round(base + low_adjust)), floor)
        high_band = self._lift(self._band_for(_round(base + high_adjust)), np.maximum(floor, possible))

        refused = np.zeros(n, dtype=bool)
        refused[list(errors)] = True
        if self.judgement is not None:
            refused |= self.judgement[0]
        status = np.where(refused, 2, np.where(complete, 0, 1)).astype(np.int8)
        out: dict[str, Any] = {
            "status": pa.DictionaryArray.from_arrays(pa.array(status), pa.array(_STATUS)),
            "total": pa.array(total, mask=refused),
            "band": self._bands(band, refused, band_ids),
            "target_group": self._target_group(band, refused),
            "probability": self._probability(total, complete & ~refused),
            "missing": pa.array(unscored_n, mask=refused),
            "band_low": self._bands(low_band, refused, band_ids),
            "band_high": self._bands(high_band, refused, band_ids),
            "review_required": pa.array(review, mask=refused),
        }
        if self.separate:
            out["protective_total"] = pa.array(_round(protective), mask=refused)
        for d, values in subtotal.items():
            out[f"domain_{d}"] = pa.array(_round(values), mask=refused)
        out["error"] = self._errors(errors)
        return out

    @staticmethod
    def _not_value(cells: Any, value: np.ndarray) -> np.ndarray:
        """Rows whose cell gives no usable answer: a comparison or two when few distinct cells do not."""
        others = np.flatnonzero(~value)
        if len(others) == 0:
            return np.zeros(len(cells.index), dtype=bool)
        if len(others) <= 2:
            found = cells.index == others[0]
            if len(others) == 2:
                found |= cells.index == others[1]
            return found
        return cells.take(~value)

    def _add(self, domain: str, kind: str, contribution: np.ndarray, total: np.ndarray, protective: np.ndarray,
             subtotal: dict[str, np.ndarray], rows: Any = slice(None)) -> None:
        """Add contributions of items of ``domain`` and ``kind`` (on ``rows``) to the total, the
        domain and its ancestors, and the protective scale."""
        if kind == "risk" or (kind == "protective" and not self.separate):  # the items whose sign is not 0
            total[rows] += contribution
            for d in self.chains[domain]:
                if d in subtotal:
                    subtotal[d][rows] += contribution
        if kind == "protective" and self.separate:
            protective[rows] += contribution

    def _prorate(self, plan: dict[int, tuple[float, float, str]], pools: dict[tuple[str, str], _Pool],
                 unscored: dict[int, np.ndarray], complete: np.ndarray, total: np.ndarray, protective: np.ndarray,
                 subtotal: dict[str, np.ndarray], imputed_sum: np.ndarray) -> None:
        """Give each unscored prorated item of a complete row the mean raw points of the answered items
        of its domain and kind (else of its kind), kept within its range; only the rows that need it."""
        wanted = {i: unscored[i][complete[unscored[i]]] for i, (_s, _l, handling) in plan.items() if handling == "prorate"}
        wanted = {i: found for i, found in wanted.items() if len(found)}
        if not wanted:
            return
        kinds: dict[str, _Pool] = {}  # the pools of each kind, summed (only now that they are needed)
        for (_domain, kind), pool in pools.items():
            kinds[kind] = pool if kind not in kinds else kinds[kind].plus(pool)
        for i, where in wanted.items():
            item = self.items[i]
            same_sum, same_n = pools[(item["domain"], item["kind"])].at(where)
            kind_sum, kind_n = kinds[item["kind"]].at(where)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.where(same_n > 0, same_sum / np.maximum(same_n, 1),
                                np.where(kind_n > 0, kind_sum / np.maximum(kind_n, 1), 0.0))
            bottom, top = item["range"]
            contribution = _round(plan[i][0] * np.clip(mean, bottom, top))
            self._add(item["domain"], item["kind"], contribution, total, protective, subtotal, where)
            if item["sign"]:
                imputed_sum[where] += contribution

    def _band_for(self, total: np.ndarray) -> np.ndarray:
        """The first band containing each total (-1: none)."""
        bands = self.compiled["bands"]
        edges = [b["below"] for b in bands[:-1]]
        if all(e is not None for e in edges) and all(b["min"] == e for b, e in zip(bands[1:], edges)) \
                and all(x < y for x, y in zip(edges, edges[1:])):  # contiguous bands in order: one search
            found = np.searchsorted(np.array(edges, dtype=float), total, side="right").astype(np.int16)
            outside = np.zeros(self.n, dtype=bool)
            if bands[0]["min"] is not None:
                outside |= total < bands[0]["min"]
            if bands[-1]["below"] is not None:
                outside |= total >= bands[-1]["below"]
            found[outside | np.isnan(total)] = -1
            return found
        found = np.full(self.n, -1, dtype=np.int16)
        for k, band in enumerate(bands):
            inside = found == -1
            if band["min"] is not None:
                inside &= total >= band["min"]
            if band["below"] is not None:
                inside &= total < band["below"]
            found[inside] = k
        return found

    @staticmethod
    def _lift(band: np.ndarray, floor: np.ndarray) -> np.ndarray:
        return np.where(band >= 0, np.maximum(band, floor), -1).astype(np.int16)

    @staticmethod
    def _bands(index: np.ndarray, refused: np.ndarray, ids: list[str]) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        return pa.DictionaryArray.from_arrays(pa.array(np.where(index < 0, 0, index).astype(np.int16),
                                                       mask=refused | (index < 0)),
                                              pa.array(ids, type=pa.string()))

    def _target_group(self, band: np.ndarray, refused: np.ndarray) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        rule = self.compiled["target_group"]
        if rule is None:
            return pa.nulls(self.n, type=pa.bool_())
        minimum = [b["id"] for b in self.compiled["bands"]].index(rule["min_band"])
        verdicts = [np.where(band < 0, _U, np.where(band >= minimum, _T, _F)).astype(np.int8)]
        if rule["age"] is not None:
            low, high = rule["age"]
            verdicts.append(np.where(~self.known_age, _U, np.where((self.age >= low) & (self.age <= high),
                                                                 _T, _F)).astype(np.int8))
        if rule["when"] is not None:
            verdicts.append(self.evaluate(rule["when"]))
        met = np.minimum.reduce(verdicts)
        return pa.array(met == _T, mask=refused | (met == _U))

    def _probability(self, total: np.ndarray, usable: np.ndarray) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        model = self.compiled["probability"]
        value = np.full(self.n, np.nan)
        if model is not None and model["form"] == "logistic":
            distinct, inverse = np.unique(total[usable], return_inverse=True)
            a, b, reference = model["intercept"], model["slope"], model["reference_score"]
            value[usable] = np.array([1.0 / (1.0 + math.exp(-(a + b * (float(t) - reference)))) for t in distinct],
                                     dtype=float)[inverse.ravel()]
        elif model is not None:
            found = np.zeros(self.n, dtype=bool)
            for row in model["rows"]:
                inside = ~found & usable
                if row["min"] is not None:
                    inside &= total >= row["min"]
                if row["below"] is not None:
                    inside &= total < row["below"]
                value[inside] = row["rate"]
                found |= inside
        return pa.array(value, mask=np.isnan(value))

    def _errors(self, errors: dict[int, list[str]]) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        texts: dict[str, int] = {}
        index = np.full(self.n, -1, dtype=np.int32)
        for row, problems in errors.items():
            index[row] = texts.setdefault("; ".join(problems), len(texts))
        if self.judgement is not None:
            rows, text = self.judgement
            index[rows] = texts.setdefault(text, len(texts))
        return pa.DictionaryArray.from_arrays(pa.array(np.where(index < 0, 0, index), mask=index < 0),
                                              pa.array(list(texts) or [""], type=pa.string()))


def _count(rows: list[np.ndarray], n: int) -> np.ndarray:
    """How often each of ``n`` rows occurs in ``rows``."""
    if not rows:
        return np.zeros(n, dtype=np.int32)
    return np.bincount(np.concatenate(rows), minlength=n).astype(np.int32)


def _round_one(value: float) -> float:
    """The single scorer's rounding of one contribution (Python's correctly rounded ``round``)."""
    return round(value, 9) + 0.0 if math.isfinite(value) else value
