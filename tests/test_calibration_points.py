"""IntegerPointsClassifier: recovery of known points, constraints, scikit-learn contract, bad input."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("scipy")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.utils.validation import check_is_fitted  # noqa: E402

from riskmanual.calibration.points import IntegerPointsClassifier  # noqa: E402

COMPAS = Path(__file__).resolve().parents[2] / "shared" / "data" / "compas" / "compas-scores-two-years.csv"


def simulate(n, truth, slope=0.6, p_one=0.3, seed=0):
    """Binary X with independent columns; y from a logistic of the integer total."""
    rng = np.random.default_rng(seed)
    truth = np.asarray(truth)
    X = (rng.random((n, truth.size)) < p_one).astype(np.float64)
    total = X @ truth
    eta = slope * (total - total.mean())
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.int64)
    return X, y


@pytest.fixture(scope="module")
def sample():
    return simulate(4000, [3, -2, 0, 1, 0, 0, -4, 2, 0, 0], seed=1)


@pytest.fixture(scope="module")
def fitted(sample):
    X, y = sample
    return IntegerPointsClassifier(max_items=5).fit(X, y)


# ---------------------------------------------------------------- recovery


def test_recovers_known_points_on_a_large_sample():
    truth = np.array([3, -2, 0, 1, 0, 0, -4, 2, 0, 0, 1, 0])
    X, y = simulate(30_000, truth, seed=2)
    model = IntegerPointsClassifier(max_items=6).fit(X, y)
    assert np.corrcoef(model.points_, truth)[0, 1] > 0.9
    assert set(np.flatnonzero(model.points_)) == set(np.flatnonzero(truth))
    assert model.slope_ > 0


def test_exact_points_on_a_small_clean_problem():
    # every pattern of 3 columns, with outcome rates exactly logistic in the true total
    truth = np.array([2, -1, 3])
    patterns = np.array([[i >> 2 & 1, i >> 1 & 1, i & 1] for i in range(8)], dtype=np.float64)
    prob = 1.0 / (1.0 + np.exp(-(-1.0 + 0.7 * patterns @ truth)))
    rows, labels = [], []
    for pattern, p in zip(patterns, prob):
        positives = int(round(2000 * p))
        rows += [pattern] * 2000
        labels += [1] * positives + [0] * (2000 - positives)
    model = IntegerPointsClassifier(max_items=3).fit(np.array(rows), np.array(labels))
    assert model.points_.tolist() == truth.tolist()
    assert model.slope_ == pytest.approx(0.7, abs=0.01)
    assert model.intercept_ == pytest.approx(-1.0, abs=0.02)


def test_sample_weight_equals_repeated_rows(sample):
    X, y = sample[0][:600], sample[1][:600]
    weights = np.random.default_rng(3).integers(1, 4, size=len(y))
    weighted = IntegerPointsClassifier(max_items=4).fit(X, y, sample_weight=weights)
    repeated = IntegerPointsClassifier(max_items=4).fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
    assert weighted.points_.tolist() == repeated.points_.tolist()
    assert weighted.intercept_ == pytest.approx(repeated.intercept_, rel=1e-6)


# ---------------------------------------------------------------- constraints


def test_respects_max_items_with_groups():
    rng = np.random.default_rng(4)
    n = 3000
    # 5 ordinal ratings 0..3, each encoded as thresholds >=1, >=2, >=3 (one group per rating)
    ratings = rng.integers(0, 4, size=(n, 5))
    X = np.column_stack([(ratings[:, r] >= t) for r in range(5) for t in (1, 2, 3)]).astype(float)
    groups = [[3 * r, 3 * r + 1, 3 * r + 2] for r in range(5)]
    eta = 0.5 * ratings @ np.array([1.0, -1.0, 0.8, 0.6, -0.7])
    y = (rng.random(n) < 1 / (1 + np.exp(-(eta - eta.mean())))).astype(int)
    for k in (1, 2, 3):
        model = IntegerPointsClassifier(max_items=k, groups=groups).fit(X, y)
        used = [g for g, cols in enumerate(groups) if np.any(model.points_[cols] != 0)]
        assert len(used) <= k
        assert model.items_.tolist() == used
    assert len(used) == 3  # three items are worth using here


def test_respects_max_items_without_groups(fitted):
    assert np.count_nonzero(fitted.points_) <= 5
    assert len(fitted.items_) == np.count_nonzero(fitted.points_)
    assert fitted.items_.tolist() == np.flatnonzero(fitted.points_).tolist()


def test_respects_lower_and_upper():
    X, y = simulate(4000, [5, -5, 4, 0, -4], slope=0.8, seed=5)
    model = IntegerPointsClassifier(max_items=5, lower=-2, upper=1).fit(X, y)
    assert model.points_.min() >= -2 and model.points_.max() <= 1
    assert model.points_.dtype.kind == "i"


def test_respects_sign_bounds():
    truth = np.array([3, -2, 2, -3, 1])
    X, y = simulate(4000, truth, seed=6)
    lo = np.array([-np.inf, 0.0, -np.inf, 0.0, -np.inf])  # columns 1 and 3: never negative
    hi = np.array([0.0, np.inf, np.inf, np.inf, 0.0])  # columns 0 and 4: never positive (protective)
    model = IntegerPointsClassifier(max_items=5, bounds=(lo, hi)).fit(X, y)
    pts = model.points_
    assert pts[0] <= 0 and pts[4] <= 0
    assert pts[1] >= 0 and pts[3] >= 0
    assert pts[2] > 0  # the free column still gets its weight
    free = IntegerPointsClassifier(max_items=5).fit(X, y)
    assert free.points_[0] > 0 and free.points_[1] < 0  # so the bounds did bind


def test_fractional_bounds_are_rounded_inwards():
    X, y = simulate(3000, [4, -4, 2], seed=7)
    model = IntegerPointsClassifier(bounds=([-1.5, -2.5, 0.5], [1.5, 2.5, 2.5])).fit(X, y)
    pts = model.points_
    assert -1 <= pts[0] <= 1 and -2 <= pts[1] <= 2 and 1 <= pts[2] <= 2


def test_column_fixed_at_zero_is_never_used():
    X, y = simulate(3000, [4, -3, 2], seed=8)
    model = IntegerPointsClassifier(bounds=([0, -np.inf, -np.inf], [0, np.inf, np.inf])).fit(X, y)
    assert model.points_[0] == 0 and 0 not in model.items_


# ---------------------------------------------------------------- predictions


def test_probability_is_a_function_of_the_integer_total(fitted, sample):
    X, _ = sample
    total = fitted.decision_function(X)
    assert np.array_equal(total, X @ fitted.points_)
    assert np.array_equal(total, np.round(total))
    proba = fitted.predict_proba(X)
    assert proba.shape == (len(X), 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    for t in np.unique(total):
        assert np.ptp(proba[total == t, 1]) == 0.0
    assert fitted.slope_ > 0
    order = np.argsort(total, kind="stable")
    assert np.all(np.diff(proba[order, 1]) >= 0)
    assert np.array_equal(fitted.predict(X), (proba[:, 1] >= 0.5).astype(int))
    expected = 1 / (1 + np.exp(-(fitted.intercept_ + fitted.slope_ * total)))
    assert np.allclose(proba[:, 1], expected)


def test_deterministic(sample):
    X, y = sample
    a = IntegerPointsClassifier(max_items=4, random_state=0).fit(X, y)
    b = IntegerPointsClassifier(max_items=4, random_state=123).fit(X, y)
    assert a.points_.tolist() == b.points_.tolist()
    assert a.intercept_ == b.intercept_ and a.slope_ == b.slope_


# ---------------------------------------------------------------- scikit-learn contract


def test_sklearn_contract(sample):
    X, y = sample
    model = IntegerPointsClassifier(max_items=3, lower=-3, upper=4)
    with pytest.raises(NotFittedError):
        check_is_fitted(model)
    with pytest.raises(NotFittedError):
        model.predict_proba(X)
    params = model.get_params()
    assert params["max_items"] == 3 and params["lower"] == -3 and params["upper"] == 4
    copy = clone(model)
    assert copy is not model and copy.get_params() == params
    assert model.set_params(max_items=2) is model and model.max_items == 2
    assert model.fit(X, y) is model
    check_is_fitted(model)
    assert model.classes_.tolist() == [0, 1]
    assert model.n_features_in_ == X.shape[1]
    assert len(model.items_) <= 2
    assert 0.5 < model.score(X, y) <= 1.0
    assert not hasattr(clone(model), "points_")


def test_accepts_bool_input_and_pandas(sample):
    pd = pytest.importorskip("pandas")
    X, y = sample
    frame = pd.DataFrame(X.astype(bool), columns=[f"c{j}" for j in range(X.shape[1])])
    model = IntegerPointsClassifier(max_items=3).fit(frame, y.astype(bool))
    assert model.feature_names_in_.tolist() == list(frame.columns)
    assert model.predict_proba(frame).shape == (len(y), 2)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad_y", [[0, 1, 2, 1], [-1, 1, 1, -1], ["a", "b", "a", "b"], [0.5, 1, 0, 1]])
def test_y_must_be_binary_0_1(bad_y):
    X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    with pytest.raises(ValueError, match="y must be binary with labels 0 and 1"):
        IntegerPointsClassifier().fit(X, bad_y)


def test_y_must_have_both_classes():
    with pytest.raises(ValueError, match="both classes"):
        IntegerPointsClassifier().fit(np.array([[0, 1], [1, 0], [1, 1]]), [1, 1, 1])


def test_x_must_be_binary(fitted):
    X = np.array([[0, 1], [1, 0], [2, 1], [0, 0]])
    with pytest.raises(ValueError, match=r"X must be binary .*column 0 has value 2"):
        IntegerPointsClassifier().fit(X, [0, 1, 1, 0])
    with pytest.raises(ValueError, match="X must be binary"):
        fitted.predict_proba(np.full((2, fitted.n_features_in_), 0.5))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"max_items": 0}, "max_items must be >= 1"),
        ({"max_items": 2.5}, "max_items must be an integer"),
        ({"lower": 3, "upper": 1}, "lower must be <= upper"),
        ({"lower": -1.5}, "lower must be an integer"),
        ({"groups": [[0, 1], [1]]}, "groups may not overlap"),
        ({"groups": [[0, 5]]}, "not a column index"),
        ({"bounds": ([0, 0, 0], [1, 1, 1])}, "bounds must be a pair"),
        ({"bounds": [0, 0, 0]}, "bounds must be a pair"),
        ({"bounds": ([np.nan, 0], [1, 1])}, "NaN"),
        ({"bounds": ([2, 0], [np.inf, np.inf]), "upper": 1}, "column 0 has no allowed integer weight"),
        ({"l2": -1.0}, "l2 must be"),
    ],
)
def test_bad_parameters(params, message):
    X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    with pytest.raises(ValueError, match=message):
        IntegerPointsClassifier(**params).fit(X, [0, 1, 1, 0])


def test_wrong_number_of_features_at_predict(fitted):
    with pytest.raises(ValueError):
        fitted.predict(np.zeros((2, fitted.n_features_in_ + 1)))


# ---------------------------------------------------------------- real data


def compas_features(path):
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(path)
    df = df[df.days_b_screening_arrest.between(-30, 30) & (df.is_recid != -1)
            & (df.c_charge_degree != "O") & (df.score_text != "N/A")]
    columns, groups = [], []
    for variable in (
        [df.age <= t for t in (20, 22, 25, 29, 34, 44)],
        [df.priors_count >= t for t in (1, 2, 3, 4, 6, 9, 14)],
        [df.juv_fel_count >= 1], [df.juv_misd_count >= 1], [df.juv_other_count >= 1],
        [df.c_charge_degree == "F"],
    ):  # never race; sex not used
        groups.append(list(range(len(columns), len(columns) + len(variable))))
        columns += [v.to_numpy(dtype=float) for v in variable]
    return np.column_stack(columns), df.two_year_recid.to_numpy(), groups


@pytest.mark.skipif(not COMPAS.is_file(), reason=f"COMPAS data not found at {COMPAS}")
def test_compas_cross_validated_auc_and_speed():
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    X, y, groups = compas_features(COMPAS)
    assert X.shape == (6172, 17)
    aucs, seconds = [], []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        model = IntegerPointsClassifier(max_items=6, groups=groups)
        start = time.perf_counter()
        model.fit(X[train], y[train])
        seconds.append(time.perf_counter() - start)
        assert len(model.items_) <= 6
        aucs.append(roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]))
    assert np.mean(aucs) >= 0.725, aucs
    assert max(seconds) < 2.0, seconds


def test_points_are_kept_in_their_smallest_form():
    # one useful column: any weight fits equally well once the slope is refitted; 1 point is kept
    X, y = simulate(3000, [3, 0, 0], seed=9)
    model = IntegerPointsClassifier(max_items=1).fit(X, y)
    assert model.points_.tolist() == [1, 0, 0]
    assert model.slope_ == pytest.approx(1.8, rel=0.1)


def test_score_table_covers_every_reachable_total(fitted):
    table = fitted.score_table()
    totals = [t for t, _ in table]
    points = fitted.points_
    assert totals[0] == int(points[points < 0].sum()) and totals[-1] == int(points[points > 0].sum())
    assert totals == list(range(totals[0], totals[-1] + 1))
    probabilities = [p for _, p in table]
    if fitted.slope_ > 0:
        assert probabilities == sorted(probabilities)
    X = np.eye(len(points))[:3]
    for total, p in zip(fitted.decision_function(X), fitted.predict_proba(X)[:, 1]):
        assert dict(table)[int(total)] == pytest.approx(p)
