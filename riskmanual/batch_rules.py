"""The single scorer's rules over whole columns, for :mod:`riskmanual.batch`.

Every rule here mirrors :func:`riskmanual.score` on one row (tests/test_batch_equivalence.py
holds the two to each other): which items apply (three-valued conditions, in dependency
order), which rows are refused (:mod:`riskmanual.batch_refusals`), missing limits per domain,
prorating, critical answers and the bands they lift to, the target group, the
probability and the robustness range. Arrays are one value per row; nothing loops over rows
except to write the error texts of refused rows. Per-row flags and counts are kept in small
integers and read from each column's compact codes by comparisons; points are summed one gather
per pool (:mod:`riskmanual.batch_points`).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from .batch_points import Member, Pool, bump, compact_dtype, exact, flags, gather, raw_mean_parts, weighted
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


class Rows(Refusals):
    """The rows of one table being scored: per item its cells, then every rule over all rows."""

    def __init__(self, instrument: Instrument, cells: list[Any], age: np.ndarray, known: np.ndarray, today: dt.date,
                 lang: str, *, domains: bool, odd_birth: np.ndarray | None = None) -> None:
        self.instrument = instrument  # for the answers checks of dates; every rule reads the compiled form
        self.compiled = compiled_for(instrument)
        self.items: list[dict[str, Any]] = self.compiled["items"]
        self.chains = {item["domain"]: item["chain"] for item in self.items}
        self.separate = self.compiled["protective"] == "separate"
        self.cells = cells
        self.age = age
        self.known_age = known
        self.odd_birth = odd_birth if odd_birth is not None else np.zeros(len(age), dtype=bool)
        self.n = len(age)
        self.today = today
        self.lang = lang
        self.domains = domains
        # Items that apply on every row (no condition, never not_applicable) keep None here.
        self.applies: list[np.ndarray | None] = [None] * len(self.items)
        self.condition: list[np.ndarray | None] = [None] * len(self.items)
        self._available: dict[int, np.ndarray] = {}
        self._codes: dict[int, np.ndarray] = {}
        self._tables: dict[int, np.ndarray] = {}
        self.judgement: tuple[np.ndarray, str] | None = None

    # --- applicability --------------------------------------------------------------

    def evaluate(self, condition: dict[str, Any]) -> np.ndarray:
        """Three-valued per row (int8): _F, _U (an answer it needs is not available) or _T."""
        if "all" in condition:
            return np.minimum.reduce([self.evaluate(child) for child in condition["all"]])
        if "any" in condition:
            return np.maximum.reduce([self.evaluate(child) for child in condition["any"]])
        j = condition["index"]
        cells = self.cells[j]
        table = self._tables.get(id(condition))
        if table is None:
            item = self.items[j]
            table = np.array([v is not None and _compare(item, v, condition) for v in cells.values], dtype=bool)
            self._tables[id(condition)] = table
        available = self.available(j)
        met = cells.flags(table) & available
        state = met.view(np.int8) * np.int8(_T)  # _F = 0 where available and not met
        state += (~available).view(np.int8) * np.int8(_U)
        return state

    def kind_in(self, i: int, *kinds: int) -> np.ndarray:
        """Rows whose cell puts one of ``kinds`` into the answers (a derived item is never answered)."""
        if self.items[i]["type"] == "derived":
            return np.full(self.n, _NONE in kinds)
        cells = self.cells[i]
        return cells.flags(np.isin(cells.kind, kinds))

    def available(self, i: int) -> np.ndarray:
        """Rows where the item applies and has a usable answer (its value_of is not None)."""
        found = self._available.get(i)
        if found is None:
            cells = self.cells[i]
            found = cells.flags(cells.kind == _VALUE)
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
                applies &= cells.flags(cells.kind != _NA)
            if item["applies_when"] is not None:
                state = self.evaluate(item["applies_when"])
                self.condition[i] = state
                applies &= state != _F
            self.applies[i] = applies

    def code(self, i: int) -> np.ndarray:
        """Per row the item's slot: its distinct cell, or one more slot (``len(cells.kind)``) where
        the item does not apply; the per-slot tables of :meth:`slots` are indexed by it."""
        found = self._codes.get(i)
        if found is None:
            cells = self.cells[i]
            found = cells.index
            if self.applies[i] is not None:
                dtype = compact_dtype(len(cells.kind) + 1)  # every cell's code is below the extra slot:
                found = np.maximum(cells.index, (~self.applies[i]).astype(dtype) * dtype(len(cells.kind)))
            self._codes[i] = found
        return found

    def slots(self, i: int, per_distinct: np.ndarray) -> np.ndarray:
        """A per-distinct-cell table extended to :meth:`code`'s slots (zero or False where the item does not apply)."""
        if self.applies[i] is None:
            return per_distinct
        return np.append(per_distinct, np.zeros(1, dtype=per_distinct.dtype))

    # --- the result -----------------------------------------------------------------

    def score(self, assessed: Any, born: Any) -> dict[str, Any]:
        import pyarrow as pa  # noqa: PLC0415

        compiled, n = self.compiled, self.n
        self._applicability()
        errors = self._refusals(assessed, born)
        band_ids = [b["id"] for b in compiled["bands"]]
        band_index = {b: k for k, b in enumerate(band_ids)}
        limits = [(d, limit) for d, limit in compiled["limits"]]

        counts = np.uint8 if len(self.items) < 255 else np.int32  # per-row counts of items
        unscored_n = np.zeros(n, dtype=counts)
        counted = {d: np.zeros(n, dtype=counts) for d, _limit in limits}
        gap_low: dict[float, np.ndarray] = {}  # an unscored item's low (high) end -> per row how many
        gap_high: dict[float, np.ndarray] = {}
        undecided: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # rows, low and high adjustments
        floor = np.full(n, -1, dtype=np.int16)
        possible = np.full(n, -1, dtype=np.int16)
        review = np.zeros(n, dtype=bool)
        unscored: dict[int, np.ndarray] = {}  # scored item -> the rows where it applies and has no answer
        plan: dict[int, tuple[float, float, str]] = {}
        pools: dict[tuple[str, str], Pool] = {}  # (domain, kind) -> its items' points
        always: dict[tuple[str, str], int] = {}  # (domain, kind) -> an item of it that applies on every row
        exact_points = True
        for i, (item, cells) in enumerate(zip(self.items, self.cells)):
            rule = item["critical"]
            marks = rule is not None and bool(rule["min_band"] or rule["review"])
            if not marks and not item["scored"]:
                continue
            code, value = self.code(i), self.slots(i, cells.kind == _VALUE)
            if marks:
                critical = flags(self.slots(i, cells.critical) & value, code)
                if rule["min_band"]:
                    np.maximum(floor, _marked(critical, band_index[rule["min_band"]]), out=floor)
                if rule["review"]:
                    review |= critical
            if not item["scored"]:
                continue
            sign, scale, low, high = item["sign"], item["scale_sign"], item["low"], item["high"]
            plan[i] = (scale, low, item["handling"])
            points = self.slots(i, cells.points)
            raw, answered = points.tolist(), value.tolist()  # Python floats: numpy scalars round slowly
            contribution = np.array([_round_one(scale * p) if v else 0.0 for p, v in zip(raw, answered)])
            unrounded = None
            if not all(t == scale * p for t, p, v in zip(contribution.tolist(), raw, answered) if v):
                # a contribution rounded away from scale * raw points: prorating keeps the raw points
                unrounded = scale * np.where(value, points, 0.0) - contribution
            exact_points = exact_points and exact(contribution)
            pool = pools.get((item["domain"], item["kind"]))
            if pool is None:
                pool = pools[(item["domain"], item["kind"])] = Pool(item["domain"], item["kind"], scale)
            if self.applies[i] is None and item["type"] != "derived":
                always.setdefault((item["domain"], item["kind"]), i)  # its unscored rows: its unanswered rows
            missing_slots = self.slots(i, ~value[:len(cells.kind)])
            pool.members.append(Member(code, contribution, unrounded, value, missing_slots,
                                       item["range"] if item["handling"] == "prorate" else None))
            missing = flags(missing_slots, code)
            unscored[i] = missing
            unscored_n += missing.view(np.uint8)
            for d in item["chain"]:
                if d in counted:
                    counted[d] += missing.view(np.uint8)
            may_not_apply = item["applies_when"] is not None
            if sign:
                bump(gap_low, min(low, 0.0) if may_not_apply else low, missing, counts)
                bump(gap_high, max(high, 0.0) if may_not_apply else high, missing, counts)
                if may_not_apply:
                    rows = np.flatnonzero(self.available(i) & (self.condition[i] == _U))
                    if len(rows):
                        found = contribution[code[rows]]
                        undecided.append((rows, np.minimum(-found, 0.0), np.maximum(-found, 0.0)))
            if rule is not None and rule["min_band"]:
                np.maximum(possible, _marked(missing, band_index[rule["min_band"]]), out=possible)

        limit = compiled["missing"]["max_missing"]
        complete = np.ones(n, dtype=bool)
        if limit is not None:
            complete &= unscored_n <= limit
        for d, domain_limit in limits:
            complete &= counted[d] <= domain_limit

        total = np.zeros(n)
        protective = np.zeros(n) if self.separate else total
        subtotal = {d["id"]: np.zeros(n) for d in compiled["domains"]} if self.domains else {}
        prorated: dict[tuple[str, str], list[int]] = {}  # pool -> its prorated items
        for i, (_scale, _low, handling) in plan.items():
            if handling == "prorate":
                prorated.setdefault((self.items[i]["domain"], self.items[i]["kind"]), []).append(i)
        means = bool(prorated) and bool(complete.any())
        base = np.zeros(n) if means else total  # the total without prorated means (for the robustness range)
        incomplete = np.flatnonzero(~complete) if means else None
        sparse: list[tuple[tuple[str, str], np.ndarray | None]] = []  # pools prorated row by row, and which rows
        for key, pool in pools.items():
            pool.combine()
            points = pool.points()
            table = pool.prorated() if means and key in prorated else None
            if table is None:
                self._add(pool.domain, pool.kind, points, total, protective, subtotal)
                if means and key in prorated:
                    sparse.append((key, None))
            else:  # the means per combined code, on every row; undone on the incomplete rows
                with_means, fallback = table
                full = gather(with_means, pool.groups[0].code)
                self._add(pool.domain, pool.kind, full, total, protective, subtotal)
                if len(incomplete):
                    self._add(pool.domain, pool.kind, points[incomplete] - full[incomplete], total, protective, subtotal,
                              incomplete)
                if fallback.any():  # codes where no member is answered: looked for where one of them is not
                    code = pool.groups[0].code
                    if key in always:
                        rows = np.flatnonzero(unscored[always[key]] & complete)
                        sparse.append((key, rows[fallback[code[rows]]]))
                    else:
                        sparse.append((key, np.flatnonzero(flags(fallback, code) & complete)))
            if means and self._counted(pool.kind):
                base += points
        exact_points = exact_points and all(pool.exact() for pool in pools.values())
        low_adjust, high_adjust = weighted(gap_low, n), weighted(gap_high, n)
        for rows, low_part, high_part in undecided:
            low_adjust[rows] += low_part
            high_adjust[rows] += high_part
        exact_points = exact_points and all(exact(np.array(list(g), dtype=float)) for g in (gap_low, gap_high))
        kinds: dict[str, list[Pool]] = {}  # the pools of each kind (the fallback mean, only where needed)
        for (_domain, kind), pool in pools.items():
            kinds.setdefault(kind, []).append(pool)
        for key, where in sparse:
            self._prorate(key, prorated[key], pools[key], kinds, unscored, complete, where, total, protective, subtotal)
        # Exact sums (every point a multiple of 1/512) are already rounded, unless prorating added a mean.
        exact_base = None if not exact_points else np.zeros(0, dtype=np.intp)
        rounding = None if means else exact_base

        total = _round_on(total, rounding)
        score_band = self._band_for(total, exact_points)
        band = _marked(complete & (score_band >= 0), np.maximum(score_band, floor))
        low_band = self._lift(self._band_for(_round_on(base + low_adjust, exact_base), exact_points), floor)
        high_band = self._lift(self._band_for(_round_on(base + high_adjust, exact_base), exact_points),
                               np.maximum(floor, possible))

        refused = np.zeros(n, dtype=bool)
        refused[list(errors)] = True
        if self.judgement is not None:
            refused |= self.judgement[0]
        status = np.maximum((~complete).view(np.int8), refused.view(np.int8) * np.int8(2))  # as _STATUS
        out: dict[str, Any] = {
            "status": pa.DictionaryArray.from_arrays(pa.array(status), pa.array(_STATUS), safe=False),
            "total": _arrow(total, refused),
            "band": self._bands(band, refused, band_ids),
            "target_group": self._target_group(band, refused),
            "probability": self._probability(total, complete & ~refused),
            "missing": _arrow(unscored_n.astype(np.int32), refused),
            "band_low": self._bands(low_band, refused, band_ids),
            "band_high": self._bands(high_band, refused, band_ids),
            "review_required": _arrow(review, refused),
        }
        if self.separate:
            out["protective_total"] = _arrow(_round_on(protective, rounding), refused)
        for d, values in subtotal.items():
            out[f"domain_{d}"] = _arrow(_round_on(values, rounding), refused)
        out["error"] = self._errors(errors)
        return out

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

    def _counted(self, kind: str) -> bool:
        """Whether items of ``kind`` count in the total (their sign is not 0)."""
        return kind == "risk" or (kind == "protective" and not self.separate)

    def _prorate(self, key: tuple[str, str], members: list[int], pool: Pool, kinds: dict[str, list[Pool]],
                 unscored: dict[int, np.ndarray], complete: np.ndarray, where: np.ndarray | None, total: np.ndarray,
                 protective: np.ndarray, subtotal: dict[str, np.ndarray]) -> None:
        """Row by row (on the rows ``where``, by default the complete rows where a prorated item of
        the pool is unscored; ``where`` holds only such rows): give
        each unscored prorated item the mean raw points of the answered items of its domain and kind
        (else of its kind), kept within its range. (Most pools get their means per combined code:
        see :meth:`Pool.prorated`.)"""
        domain, kind = key
        rows = where
        if rows is None:  # every complete row where one of them is unscored
            gaps = unscored[members[0]] if len(members) == 1 else np.logical_or.reduce([unscored[i] for i in members])
            rows = np.flatnonzero(gaps & complete)
        if not len(rows):
            return
        same_sum, same_n = raw_mean_parts([pool], rows)
        mean = np.zeros(len(rows))
        has = same_n > 0
        mean[has] = same_sum[has] / same_n[has]
        rest = np.flatnonzero(~has)
        if len(rest):
            kind_sum, kind_n = raw_mean_parts(kinds[kind], rows[rest])
            some = kind_n > 0
            mean[rest[some]] = kind_sum[some] / kind_n[some]
        added = np.zeros(len(rows))
        for i in members:
            unanswered = unscored[i][rows]
            bottom, top = self.items[i]["range"]
            added[unanswered] += _round(pool.scale * np.clip(mean[unanswered], bottom, top))
        self._add(domain, kind, added, total, protective, subtotal, rows)

    def _band_for(self, total: np.ndarray, finite: bool = False) -> np.ndarray:
        """The first band containing each total (-1: none); ``finite``: no total is NaN."""
        bands = self.compiled["bands"]
        edges = [b["below"] for b in bands[:-1]]
        if all(e is not None for e in edges) and all(b["min"] == e for b, e in zip(bands[1:], edges)) \
                and all(x < y for x, y in zip(edges, edges[1:])):  # contiguous bands in order: count the edges passed
            found = np.zeros(self.n, dtype=np.int16)
            for edge in edges:
                found += total >= edge
            outside = np.isnan(total) if not finite else np.zeros(self.n, dtype=bool)
            if bands[0]["min"] is not None:
                outside |= total < bands[0]["min"]
            if bands[-1]["below"] is not None:
                outside |= total >= bands[-1]["below"]
            np.putmask(found, outside, np.int16(-1))
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
        return _marked(band >= 0, np.maximum(band, floor))

    @staticmethod
    def _bands(index: np.ndarray, refused: np.ndarray, ids: list[str]) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        return pa.DictionaryArray.from_arrays(_arrow(np.maximum(index, 0).astype(np.int16), refused | (index < 0)),
                                              pa.array(ids, type=pa.string()), safe=False)  # indexes made here

    def _target_group(self, band: np.ndarray, refused: np.ndarray) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        rule = self.compiled["target_group"]
        if rule is None:
            return pa.nulls(self.n, type=pa.bool_())
        minimum = [b["id"] for b in self.compiled["bands"]].index(rule["min_band"])
        verdicts = [_verdict(band >= minimum, band < 0)]
        if rule["age"] is not None:
            low, high = rule["age"]
            verdicts.append(_verdict((self.age >= low) & (self.age <= high) & self.known_age, ~self.known_age))
        if rule["when"] is not None:
            verdicts.append(self.evaluate(rule["when"]))
        met = np.minimum.reduce(verdicts)
        return _arrow(met == _T, refused | (met == _U))

    def _probability(self, total: np.ndarray, usable: np.ndarray) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        model = self.compiled["probability"]
        if model is None:
            return pa.nulls(self.n, type=pa.float64())
        value = np.full(self.n, np.nan)
        if model["form"] == "logistic":
            distinct, inverse = np.unique(total[usable], return_inverse=True)
            a, b, reference = model["intercept"], model["slope"], model["reference_score"]
            value[usable] = np.array([1.0 / (1.0 + math.exp(-(a + b * (float(t) - reference)))) for t in distinct],
                                     dtype=float)[inverse.ravel()]
        else:
            found = np.zeros(self.n, dtype=bool)
            for row in model["rows"]:
                inside = ~found & usable
                if row["min"] is not None:
                    inside &= total >= row["min"]
                if row["below"] is not None:
                    inside &= total < row["below"]
                value[inside] = row["rate"]
                found |= inside
        return _arrow(value, np.isnan(value))

    def _errors(self, errors: dict[int, list[str]]) -> Any:
        import pyarrow as pa  # noqa: PLC0415

        texts: dict[str, int] = {}
        if not errors and self.judgement is None:  # no row refused
            return pa.DictionaryArray.from_arrays(pa.nulls(self.n, type=pa.int32()), pa.array([""], type=pa.string()))
        index = np.full(self.n, -1, dtype=np.int32)
        for row, problems in errors.items():
            index[row] = texts.setdefault("; ".join(problems), len(texts))
        if self.judgement is not None:
            rows, text = self.judgement
            index[rows] = texts.setdefault(text, len(texts))
        return pa.DictionaryArray.from_arrays(_arrow(np.maximum(index, 0), index < 0),
                                              pa.array(list(texts) or [""], type=pa.string()), safe=False)


def _marked(rows: np.ndarray, value: Any) -> np.ndarray:
    """``value`` (a number or per-row band indexes) on ``rows``, -1 elsewhere, as int16: in arithmetic,
    which numpy runs branch-free (``np.where`` on scattered rows is several times slower)."""
    return rows * (np.asarray(value, dtype=np.int16) + np.int16(1)) - np.int16(1)


def _verdict(met: np.ndarray, undecided: np.ndarray) -> np.ndarray:
    """Three-valued per row (int8): _U where ``undecided``, else _T where ``met``, else _F."""
    assert (_F, _U, _T) == (0, 1, 2)
    return met.view(np.int8) * np.int8(_T) + undecided.view(np.int8)


def _round_on(values: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """``values`` rounded to 9 decimals: all of them (``rows`` None), or only ``rows`` (the others are exact)."""
    if rows is None:
        return _round(values)
    if len(rows):
        values[rows] = _round(values[rows])
    return values


def _arrow(values: np.ndarray, null: np.ndarray | None = None) -> Any:
    """``values`` as a pyarrow array, null where ``null`` is set; the validity bits (and a boolean
    array's values) are packed by numpy, many times faster than pyarrow's ``mask=``."""
    import pyarrow as pa  # noqa: PLC0415

    nulls = 0 if null is None else int(np.count_nonzero(null))
    validity = None if null is None or nulls == 0 else pa.py_buffer(np.packbits(~null, bitorder="little"))
    if values.dtype == bool:
        kind, data = pa.bool_(), pa.py_buffer(np.packbits(values, bitorder="little"))
    else:
        values = np.ascontiguousarray(values)
        kind, data = pa.from_numpy_dtype(values.dtype), pa.py_buffer(values)
    return pa.Array.from_buffers(kind, len(values), [validity, data], null_count=nulls)


def _round_one(value: float) -> float:
    """The single scorer's rounding of one contribution (Python's correctly rounded ``round``)."""
    return round(value, 9) + 0.0 if math.isfinite(value) else value
