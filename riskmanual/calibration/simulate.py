"""Synthetic historical cohorts with a known truth, to test and demonstrate calibration.

:func:`simulate` draws ``n`` invented cases for an instrument: one answer per item, an
outcome, group columns and an id. Nothing in it describes a real person. The table has the
format :func:`riskmanual.calibration.data.build_cohort` reads, with the outcome in the column
``outcome``::

    cohort = build_cohort(instrument, frame, "outcome", groups=["sex", "district"], id_column="id")

The generating model
--------------------
All randomness comes from one ``numpy.random.Generator(PCG64(seed))``, drawn in a fixed
order, so a seed gives the same table on every run. ``Phi`` is the standard normal CDF.

1. **Latent risk.** Each row ``i`` has ``z_i ~ N(0, 1)``.

2. **Item propensity.** Each item ``j`` has ``u_ij = d_j * L_j * z_i + sqrt(1 - L_j**2) * e_ij``
   with ``e_ij ~ N(0, 1)`` independent, so ``u_ij ~ N(0, 1)`` and two scored items correlate
   with ``L**2 = 0.36`` on the latent scale. The loading ``L_j`` is :data:`LOADING` (0.6)
   for risk and protective items and 0 for information items. The direction ``d_j`` is
   +1 when the item's contribution (its points, negated for protective items) rises from
   its first answer (code or bin) to its last, and -1 otherwise (categorical items: +1,
   their options are ranked instead, below). So higher risk means higher ratings on risk
   items, less protection, and younger ages where younger ages score more.

3. **Answers from the propensity.**

   * ordinal and boolean items (codes ordered low to high; boolean ``no`` < ``yes``):
     code ``k`` of ``K`` when ``u_ij`` falls in the k-th slice of the normal quantiles
     of the marginal ``P(k) = 2**-k / sum_m 2**-m`` (three codes: 4/7, 2/7, 1/7;
     boolean: ``no`` 2/3, ``yes`` 1/3);
   * categorical items: the options are ranked by contribution (a stable sort, so ties
     keep their order), and ``u_ij`` cut into ``K`` equally likely slices picks the
     option of that rank: each option has probability ``1/K``, and higher propensity
     goes with options that add more;
   * numeric items: a rate ``r_ij = m_j * exp(s * u_ij - s**2 / 2)`` with ``s`` =
     :data:`SPREAD` (0.8; lognormal with mean ``m_j``) and ``m_j = max(0.5, (b_j -
     min_j) / 2)``, where ``b_j`` is the lower edge of the item's last bin (without bins:
     ``m_j = (max_j - min_j) / 4``). The value is ``ceil(min_j) + Poisson(r_ij)`` for
     ``integer: true`` items, else ``min_j + r_ij`` rounded to 2 decimals; then clipped
     to ``[min_j, max_j]``;
   * derived age items (``source: age``): whole years ``a + floor((b - a + 1) *
     Phi(u_ij))``, uniform over the instrument's population age range ``[a, b]``
     (18-65 when the instrument gives none). The column holds the age in years.

4. **Applicability.** An item whose ``applies_when`` condition is false is left empty.
   Conditions are evaluated on the drawn answers with the scoring engine's three-valued
   semantics (:func:`riskmanual.engine.evaluate`): a referenced item that does not
   apply itself is unknown, and an unknown condition means the item applies.

5. **Missing cells.** Every remaining item cell (all items, derived ones included) is
   emptied independently with probability ``missing_rate`` (missing completely at random).

6. **Outcome.** ``t_i`` is the row's total under the instrument's current points, computed
   from the final table exactly as :meth:`Cohort.current_totals` does
   (``encode_instrument(instrument)``: ``offset + X_i @ current``; an empty cell counts
   as the item's reference answer). ``c = mean_i(t_i)``. The intercept ``a`` is found by
   bisection so that ``mean_i sigmoid(a + slope * (t_i - c)) = base_rate`` (defaults:
   ``base_rate`` 0.3, ``slope`` 0.35 per point). Then ``p_i = sigmoid(a + slope * (t_i -
   c))`` and ``y_i ~ Bernoulli(p_i)``. Given its total, the outcome is independent of
   everything else: the current points are the true model, up to the logistic link.

7. **Groups and ids.** With ``groups=True``: ``sex`` is ``F`` or ``M`` with probability 1/2
   and ``district`` is ``north``, ``south``, ``east`` or ``west`` with probability 1/4,
   independent of everything else (so the true model is the same in every group). ``id``
   is ``sim-000001``, ``sim-000002``, ... (never shaped like a personal identity number).

The column ``true_probability`` holds ``p_i``: it is the truth that calibration is
meant to recover, kept for checking results. A calibration must never read it (nor use
it as a feature). Non-item columns are named ``id``, ``sex``, ``district``, ``outcome``
and ``true_probability``; if an item has one of those ids, the extra column gets a
leading underscore (``_district``), which no item id can have. ``frame.attrs["simulation"]``
records the column names and every parameter, including the solved intercept and centre.
"""

from __future__ import annotations

import math
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np

from ..errors import Issue
from ..messages import Localized, tr
from ..instrument import (
    AllOf,
    AnyOf,
    BooleanResponse,
    ChoiceResponse,
    Comparison,
    Condition,
    Instrument,
    Item,
    NumericResponse,
)
from .data import CalibrationError, file_reason
from .encoding import encode_instrument

__all__ = [
    "BASE_RATE",
    "GROUPS",
    "LOADING",
    "OUTCOME",
    "SLOPE",
    "SPREAD",
    "TRUE_PROBABILITY",
    "simulate",
    "write_table",
]

#: Name of the 0/1 outcome column.
OUTCOME = "outcome"
#: Name of the column holding each row's true outcome probability (never to be used by calibration).
TRUE_PROBABILITY = "true_probability"
#: Name of the synthetic id column.
ID = "id"
#: Group columns and their values (drawn uniformly, independent of everything else).
GROUPS: dict[str, tuple[str, ...]] = {"sex": ("F", "M"), "district": ("north", "south", "east", "west")}
#: Default outcome base rate and logistic slope per point of the current total.
BASE_RATE = 0.3
SLOPE = 0.35
#: Loading of scored items on the latent risk factor.
LOADING = 0.6
#: Log-scale spread of numeric items' rates.
SPREAD = 0.8
#: Age range for derived age items when the instrument's population gives none.
DEFAULT_AGES = (18, 65)

_NORMAL = NormalDist()


def simulate(
    instrument: Instrument,
    n: int,
    seed: int,
    *,
    missing_rate: float = 0.0,
    groups: bool = True,
    base_rate: float = BASE_RATE,
    slope: float = SLOPE,
) -> Any:
    """A synthetic historical cohort of ``n`` rows for ``instrument`` (a pandas DataFrame).

    The generating model is in this module's docstring. The same arguments give the same
    table. Raises :class:`~riskmanual.calibration.data.CalibrationError` for impossible
    parameters.
    """
    import pandas as pd

    _check_parameters(n, missing_rate, base_rate, slope)
    rng = np.random.Generator(np.random.PCG64(seed))
    n = int(n)
    items = instrument.items
    z = rng.standard_normal(n)

    # 1-3: one answer per item. Choice and boolean items as code indices, numbers as floats.
    index: dict[str, np.ndarray] = {}
    number: dict[str, np.ndarray] = {}
    for item in items:
        u = _propensity(instrument, item, z, rng)
        response = item.response
        if isinstance(response, (BooleanResponse, ChoiceResponse)):
            index[item.id] = _draw_choice(instrument, item, u)
        elif isinstance(response, NumericResponse):
            number[item.id] = _draw_numeric(response, u, rng)
        else:
            number[item.id] = _draw_age(instrument, u)

    # 4: items whose condition is false are empty.
    applies = _Applicability(instrument, index, number, n).applies
    present = {item.id: applies(item) for item in items}

    # 5: missing completely at random.
    if missing_rate > 0:
        for item in items:
            present[item.id] &= rng.random(n) >= missing_rate

    # 6: the outcome from the current total.
    encoding = encode_instrument(instrument)
    X = np.zeros((n, len(encoding.features)))
    for enc in encoding.items:
        item_id = enc.item.id
        if enc.bins is None:
            codes = index[item_id]
        else:
            codes = _bin_index(enc.bins, number[item_id])
        codes = np.where(present[item_id], codes, -1)
        for feature, level in zip(enc.columns, enc.levels):
            X[:, feature] = (codes >= level) if enc.ordered else (codes == level)
    totals = encoding.offset + X @ encoding.current
    centre = float(totals.mean())
    intercept = _solve_intercept(totals - centre, slope, base_rate)
    probability = _sigmoid(intercept + slope * (totals - centre))
    outcome = (rng.random(n) < probability).astype(np.int64)

    # 7: groups and ids.
    item_ids = {item.id for item in items}
    name = {key: _free(key, item_ids) for key in (ID, OUTCOME, TRUE_PROBABILITY, *GROUPS)}
    group_values = {}
    if groups:
        for group, values in GROUPS.items():
            group_values[name[group]] = np.array(values, dtype=object)[rng.integers(0, len(values), n)]
    width = max(6, len(str(n)))
    ids = np.array([f"sim-{i:0{width}d}" for i in range(1, n + 1)], dtype=object)

    columns: dict[str, Any] = {name[ID]: ids}
    for item in items:
        keep = present[item.id]
        if item.id in index:
            codes = np.array([*_codes(item), None], dtype=object)
            columns[item.id] = codes[np.where(keep, index[item.id], -1)]
        else:
            columns[item.id] = np.where(keep, number[item.id], np.nan)
    columns.update(group_values)
    columns[name[OUTCOME]] = outcome
    columns[name[TRUE_PROBABILITY]] = probability
    frame = pd.DataFrame(columns)
    frame.attrs["simulation"] = {
        "instrument": instrument.ref,
        "instrument_sha256": instrument.sha256,
        "n": n,
        "seed": seed,
        "missing_rate": float(missing_rate),
        "base_rate": float(base_rate),
        "slope": float(slope),
        "intercept": intercept,
        "centre": centre,
        "loading": LOADING,
        "spread": SPREAD,
        "outcome": name[OUTCOME],
        "true_probability": name[TRUE_PROBABILITY],
        "id": name[ID],
        "groups": list(group_values),
    }
    return frame


def write_table(frame: Any, path: str | Path, *, force: bool = False) -> Path:
    """Write ``frame`` as CSV (``.csv``) or Parquet (``.parquet``, ``.pq``), chosen by the suffix.

    In CSV, empty cells are empty and whole-number columns are written without ``.0``. The
    file is created exclusively (an existing name, even a dangling symbolic link, is refused);
    with ``force`` an existing name is replaced by a rename, never written through.
    """
    import io

    from ..files import FileWriteError, replace_file, write_new

    path = Path(path)
    suffix = path.suffix.lower()
    buffer = io.BytesIO()
    if suffix in (".parquet", ".pq"):
        frame.to_parquet(buffer, index=False)
    elif suffix == ".csv":
        out = frame.copy()
        for column in out.columns:
            values = out[column]
            if values.dtype.kind == "f":
                finite = values.dropna().to_numpy()
                if np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 2**53):
                    out[column] = values.astype("Int64")
        buffer.write(out.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    else:
        raise CalibrationError(tr("{file}: unknown table format", file=str(path)), [
            Issue(tr("cannot tell the format from the suffix '{suffix}': use .csv or .parquet", suffix=path.suffix),
                  file=str(path))
        ])
    try:
        (replace_file if force else write_new)(path, buffer.getvalue())
    except FileWriteError as exc:
        reason = file_reason(exc.reason)
        if "exists" in exc.reason:
            reason = tr("{reason}; use --force to replace it", reason=reason)
        raise CalibrationError(tr("{file}: not written", file=str(path)), [Issue(reason, file=str(path))]) from None
    return path


# --- drawing answers -------------------------------------------------------------------


def _check_parameters(n: Any, missing_rate: float, base_rate: float, slope: float) -> None:
    problems = []
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        problems.append(tr("n must be a whole number of at least 1 (got {value})", value=_exact(n)))
    if not 0 <= missing_rate < 1:
        problems.append(tr("missing_rate must be at least 0 and below 1 (got {value})", value=_exact(missing_rate)))
    if not 0 < base_rate < 1:
        problems.append(tr("base_rate must lie strictly between 0 and 1 (got {value})", value=_exact(base_rate)))
    if not math.isfinite(slope):
        problems.append(tr("slope must be a finite number (got {value})", value=_exact(slope)))
    if problems:
        raise CalibrationError(tr("invalid simulation parameters"), [Issue(p) for p in problems])


def _exact(value: Any) -> Localized:
    """A parameter as given (``repr``, never rounded), with a decimal comma and minus sign in Swedish."""
    text = repr(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return Localized({"en": text, "sv": text.replace(".", ",").replace("-", "\u2212")})
    return Localized(text)


def _contribution_sign(item: Item) -> float:
    return {"risk": 1.0, "protective": -1.0}.get(item.kind, 0.0)


def _contributions(item: Item) -> list[float]:
    """Contributions of the item's answers (codes, or bins) in their declared order."""
    sign = _contribution_sign(item)
    response = item.response
    if isinstance(response, (BooleanResponse, ChoiceResponse)):
        table = item.points_table()
        return [sign * table[code] for code in _codes(item)]
    return [sign * b.points for b in response.bins or []]


def _codes(item: Item) -> tuple[str, ...]:
    response = item.response
    if isinstance(response, BooleanResponse):
        return ("no", "yes")
    assert isinstance(response, ChoiceResponse)
    return response.codes


def _propensity(instrument: Instrument, item: Item, z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal(z.shape[0])
    loading = LOADING if item.kind in ("risk", "protective") else 0.0
    if loading == 0.0:
        return noise
    contributions = _contributions(item)
    direction = -1.0 if contributions and contributions[-1] < contributions[0] else 1.0
    if isinstance(item.response, ChoiceResponse) and item.response.type == "categorical":
        direction = 1.0  # options are ranked by contribution instead
    return direction * loading * z + math.sqrt(1 - loading**2) * noise


def _cuts(probabilities: list[float]) -> np.ndarray:
    """Normal quantiles splitting N(0, 1) into slices with these probabilities."""
    cumulative = np.cumsum(probabilities)[:-1] / sum(probabilities)
    return np.array([_NORMAL.inv_cdf(min(max(p, 1e-12), 1 - 1e-12)) for p in cumulative])


def _draw_choice(instrument: Instrument, item: Item, u: np.ndarray) -> np.ndarray:
    codes = _codes(item)
    k = len(codes)
    response = item.response
    if isinstance(response, ChoiceResponse) and response.type == "categorical":
        rank = np.searchsorted(_cuts([1.0] * k), u)
        order = sorted(range(k), key=lambda i: _contributions(item)[i])  # stable: ties keep their order
        return np.array(order)[rank]
    return np.searchsorted(_cuts([0.5**i for i in range(k)]), u)


def _draw_numeric(response: NumericResponse, u: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    low, high = response.min, response.max
    if response.bins and response.bins[-1].min is not None:
        scale = max(0.5, (response.bins[-1].min - low) / 2)
    else:
        scale = max(0.5, (high - low) / 4)
    rate = np.minimum(scale * np.exp(SPREAD * u - SPREAD**2 / 2), 2 * (high - low) + 1)
    if response.integer:
        values = math.ceil(low) + rng.poisson(rate).astype(float)
    else:
        values = np.round(low + rate, 2)
    return np.clip(values, low, high)


def _draw_age(instrument: Instrument, u: np.ndarray) -> np.ndarray:
    ages = instrument.population.age
    low, high = (ages.min, ages.max) if ages is not None else DEFAULT_AGES
    span = high - low + 1
    rank = np.searchsorted(_cuts([1.0] * span), u)
    return (low + rank).astype(float)


def _bin_index(bins: list[Any], values: np.ndarray) -> np.ndarray:
    out = np.full(values.shape[0], -1)
    for i, b in enumerate(bins):
        inside = ~np.isnan(values)
        if b.min is not None:
            inside &= values >= b.min
        if b.below is not None:
            inside &= values < b.below
        out[inside & (out < 0)] = i
    return out


# --- applicability ---------------------------------------------------------------------


class _Applicability:
    """Vectorised ``applies_when``, with the three-valued logic of :func:`riskmanual.engine.evaluate`."""

    def __init__(self, instrument: Instrument, index: dict[str, np.ndarray], number: dict[str, np.ndarray], n: int):
        self.items = instrument.items_by_id
        self.index = index
        self.number = number
        self.n = n
        self._applies: dict[str, np.ndarray] = {}

    def applies(self, item: Item) -> np.ndarray:
        """True where the item applies: its condition is true or cannot be decided."""
        if item.id not in self._applies:
            if item.applies_when is None:
                self._applies[item.id] = np.ones(self.n, dtype=bool)
            else:
                _true, false = self.evaluate(item.applies_when)
                self._applies[item.id] = ~false
        return self._applies[item.id].copy()

    def evaluate(self, condition: Condition) -> tuple[np.ndarray, np.ndarray]:
        """(is true, is false) per row; neither means unknown."""
        if isinstance(condition, AllOf):
            parts = [self.evaluate(child) for child in condition.all]
            return np.logical_and.reduce([t for t, _ in parts]), np.logical_or.reduce([f for _, f in parts])
        if isinstance(condition, AnyOf):
            parts = [self.evaluate(child) for child in condition.any]
            return np.logical_or.reduce([t for t, _ in parts]), np.logical_and.reduce([f for _, f in parts])
        assert isinstance(condition, Comparison)
        item = self.items[condition.item]
        known = self.applies(item)
        result = self._compare(item, condition)
        return known & result, known & ~result

    def _compare(self, item: Item, condition: Comparison) -> np.ndarray:
        targets = condition.value if isinstance(condition.value, list) else [condition.value]
        op = condition.op
        response = item.response
        if isinstance(response, (BooleanResponse, ChoiceResponse)):
            if isinstance(response, BooleanResponse):
                targets = ["yes" if t is True else "no" if t is False else t for t in targets]
            codes = list(_codes(item))
            positions = [codes.index(t) for t in targets if isinstance(t, str) and t in codes]
            values = self.index[item.id]
            if op == "in":
                return np.isin(values, positions)
            if op in ("=", "!="):
                equal = values == positions[0] if positions else np.zeros(self.n, dtype=bool)
                return equal if op == "=" else ~equal
            left, right = values, codes.index(str(targets[0]))
        else:
            numbers = self.number[item.id]
            if op == "in":
                return np.isin(numbers, [float(t) for t in targets])
            left, right = numbers, float(targets[0])
            if op == "=":
                return left == right
            if op == "!=":
                return left != right
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


# --- the outcome -------------------------------------------------------------------------


def _sigmoid(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500.0, 500.0)))


def _solve_intercept(centred: np.ndarray, slope: float, base_rate: float) -> float:
    """The intercept that makes the mean probability equal ``base_rate`` (bisection)."""
    values, counts = np.unique(centred * slope, return_counts=True)
    weights = counts / counts.sum()

    def mean(a: float) -> float:
        return float(weights @ _sigmoid(a + values))

    low, high = -1.0, 1.0
    for _ in range(1100):  # doubling: stops long before a float overflows
        if mean(low) <= base_rate:
            break
        low *= 2
    for _ in range(1100):
        if mean(high) >= base_rate:
            break
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if mean(middle) < base_rate:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def _free(name: str, taken: set[str]) -> str:
    return f"_{name}" if name in taken else name
