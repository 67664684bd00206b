"""Synthetic cohorts (riskmanual.calibration.simulate) and the ``riskmanual simulate`` command.

The simulated table's outcome column is ``outcome`` (``simulate.OUTCOME``); the column
``true_probability`` is the generating truth, which calibration must never read.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from riskmanual import Instrument, read_instrument
from riskmanual.calibration.data import CalibrationError, Cohort, build_cohort, read_table
from riskmanual.calibration.simulate import GROUPS, OUTCOME, TRUE_PROBABILITY, simulate, write_table
from riskmanual.cli import cli
from riskmanual.instrument import BooleanResponse, ChoiceResponse, DerivedResponse, NumericResponse
from riskmanual.privacy import looks_like_personnummer
from riskmanual.scoring import applicable

from .conftest import DATA, ROOT

FULL = DATA / "full.yaml"
SIG = ROOT / "instruments" / "sig-assessment" / "1.0.0.yaml"
COMPAS = ROOT / "instruments" / "example-compas" / "1.0.0.yaml"
ACTUARIAL = ROOT / "instruments" / "example-actuarial" / "1.0.0.yaml"
PATHS = {"full": FULL, "sig-assessment": SIG, "example-compas": COMPAS, "example-actuarial": ACTUARIAL}


@pytest.fixture(scope="module")
def instruments() -> dict[str, Instrument]:
    return {name: read_instrument(path) for name, path in PATHS.items()}


@pytest.fixture(scope="module")
def frames(instruments: dict[str, Instrument]) -> dict[str, Any]:
    """2,000 rows per instrument, no missing cells beyond the conditions."""
    return {name: simulate(instrument, 2000, 11) for name, instrument in instruments.items()}


def cohort_of(instrument: Instrument, frame: Any) -> Cohort:
    info = frame.attrs["simulation"]
    return build_cohort(instrument, frame, info["outcome"], groups=info["groups"], id_column=info["id"])


def empty(series: Any) -> np.ndarray:
    return series.isna().to_numpy()


def sigmoid(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def logistic_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood intercept and slope of ``y ~ x`` (Newton's method)."""
    A = np.column_stack([np.ones_like(x), x])
    beta = np.zeros(2)
    for _ in range(50):
        p = sigmoid(A @ beta)
        step = np.linalg.solve(A.T @ (A * (p * (1 - p))[:, None]), A.T @ (y - p))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return float(beta[0]), float(beta[1])


# --- determinism, shape, columns ------------------------------------------------------------


@pytest.mark.parametrize("name", ["full", "sig-assessment", "example-compas"])
def test_same_seed_same_table(instruments: dict[str, Instrument], name: str) -> None:
    first = simulate(instruments[name], 500, 42, missing_rate=0.1)
    second = simulate(instruments[name], 500, 42, missing_rate=0.1)
    pd.testing.assert_frame_equal(first, second)
    assert first.attrs == second.attrs


def test_different_seeds_differ(instruments: dict[str, Instrument]) -> None:
    first = simulate(instruments["sig-assessment"], 500, 1)
    second = simulate(instruments["sig-assessment"], 500, 2)
    assert not first.equals(second)


@pytest.mark.parametrize("name", ["full", "sig-assessment", "example-compas"])
def test_shape_and_columns(instruments: dict[str, Instrument], frames: dict[str, Any], name: str) -> None:
    instrument, frame = instruments[name], frames[name]
    info = frame.attrs["simulation"]
    item_ids = [item.id for item in instrument.items]
    assert frame.shape[0] == 2000
    assert list(frame.columns) == [info["id"], *item_ids, *info["groups"], info["outcome"], info["true_probability"]]
    assert info["outcome"] == OUTCOME and info["true_probability"] == TRUE_PROBABILITY
    assert len(info["groups"]) == 2
    for column, group in zip(info["groups"], GROUPS):
        assert column.lstrip("_") == group
        assert set(frame[column]) == set(GROUPS[group])
    assert set(frame[OUTCOME].unique()) == {0, 1}
    assert frame[TRUE_PROBABILITY].between(0, 1, inclusive="neither").all()


def test_ids_are_synthetic_and_unique(frames: dict[str, Any]) -> None:
    ids = frames["full"]["id"]
    assert ids.is_unique
    assert ids.iloc[0] == "sim-000001" and ids.iloc[-1] == "sim-002000"
    assert all(re.fullmatch(r"sim-\d{6}", i) for i in ids)
    assert not any(looks_like_personnummer(i) for i in ids)


def test_group_column_renamed_when_an_item_has_its_name(frames: dict[str, Any]) -> None:
    # full.yaml has an information item called district: the group column becomes _district.
    frame = frames["full"]
    assert frame.attrs["simulation"]["groups"] == ["sex", "_district"]
    assert set(frame["district"].dropna()) <= {"north", "south"}
    assert set(frame["_district"]) == {"north", "south", "east", "west"}


def test_without_groups(instruments: dict[str, Instrument]) -> None:
    frame = simulate(instruments["example-compas"], 300, 3, groups=False)
    assert "sex" not in frame.columns and "district" not in frame.columns
    assert frame.attrs["simulation"]["groups"] == []
    build_cohort(instruments["example-compas"], frame, "outcome", id_column="id")


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["full", "sig-assessment", "example-compas", "example-actuarial"])
def test_every_value_is_a_valid_answer(instruments: dict[str, Instrument], frames: dict[str, Any], name: str) -> None:
    instrument, frame = instruments[name], frames[name]
    for item in instrument.items:
        values = frame[item.id].dropna()
        response = item.response
        if isinstance(response, BooleanResponse):
            assert set(values) <= {"yes", "no"}, item.id
        elif isinstance(response, ChoiceResponse):
            assert set(values) <= set(response.codes), item.id
        elif isinstance(response, NumericResponse):
            numbers = values.to_numpy(dtype=float)
            assert ((numbers >= response.min) & (numbers <= response.max)).all(), item.id
            if response.integer:
                assert (numbers == np.round(numbers)).all(), item.id
        else:
            assert isinstance(response, DerivedResponse)
            ages = values.to_numpy(dtype=float)
            low, high = instrument.population.age.min, instrument.population.age.max  # type: ignore[union-attr]
            assert ((ages >= low) & (ages <= high) & (ages == np.round(ages))).all(), item.id
        if item.applies_when is None:
            assert len(values) == len(frame), f"{item.id}: empty cells with missing_rate 0"


def test_answers_vary(instruments: dict[str, Instrument], frames: dict[str, Any]) -> None:
    # Every code of every choice item occurs, and every bin of compas' numeric items is reached.
    for name in ("full", "sig-assessment"):
        for item in instruments[name].items:
            if isinstance(item.response, (BooleanResponse, ChoiceResponse)):
                codes = ("yes", "no") if isinstance(item.response, BooleanResponse) else item.response.codes
                assert set(frames[name][item.id].dropna()) == set(codes), item.id
    cohort = cohort_of(instruments["example-compas"], frames["example-compas"])
    assert (cohort.X.mean(axis=0) > 0.005).all(), dict(zip(cohort.encoding.names, cohort.X.mean(axis=0)))


def test_scored_items_correlate_with_each_other_and_with_the_outcome(instruments: dict[str, Instrument], frames: dict[str, Any]) -> None:
    frame = frames["sig-assessment"]
    rank = {code: i for i, code in enumerate(("low", "moderate", "high"))}
    a = frame["violence_history"].map(rank).to_numpy(dtype=float)
    b = frame["criminal_peers"].map(rank).to_numpy(dtype=float)
    c = frame["prosocial_involvement"].map({"absent": 0, "partly": 1, "present": 2}).to_numpy(dtype=float)
    assert np.corrcoef(a, b)[0, 1] > 0.15
    assert np.corrcoef(a, c)[0, 1] < -0.15  # more risk, less protection
    compas = frames["example-compas"]
    assert np.corrcoef(compas["age"], compas[OUTCOME])[0, 1] < 0  # younger, more outcomes
    assert np.corrcoef(compas["priors_count"], compas[OUTCOME])[0, 1] > 0


@pytest.mark.parametrize("name", ["full", "sig-assessment", "example-compas", "example-actuarial"])
def test_build_cohort_accepts_the_table(instruments: dict[str, Instrument], frames: dict[str, Any], name: str) -> None:
    cohort = cohort_of(instruments[name], frames[name])
    assert cohort.n == 2000
    assert cohort.warnings == []
    assert sorted(set(cohort.groups)) == sorted(frames[name].attrs["simulation"]["groups"])


@pytest.mark.parametrize("name", ["full", "sig-assessment", "example-compas"])
def test_true_probability_is_the_logistic_of_the_current_total(instruments: dict[str, Instrument], name: str) -> None:
    frame = simulate(instruments[name], 3000, 5, missing_rate=0.1)
    info = frame.attrs["simulation"]
    totals = cohort_of(instruments[name], frame).current_totals()
    expected = sigmoid(info["intercept"] + info["slope"] * (totals - info["centre"]))
    np.testing.assert_allclose(frame[TRUE_PROBABILITY].to_numpy(), expected, rtol=1e-12, atol=1e-15)
    assert info["centre"] == pytest.approx(totals.mean())


# --- conditions and missing cells -----------------------------------------------------------


def test_condition_false_items_are_empty(frames: dict[str, Any]) -> None:
    frame = frames["full"]
    assert (empty(frame["gang"]) == (frame["peers"] == "no").to_numpy()).all()
    sig = frames["sig-assessment"]
    outside = (sig["network_involvement"] == "none").to_numpy()
    assert outside.any() and not outside.all()
    for item_id in ("network_pressure", "exit_motivation"):
        assert (empty(sig[item_id]) == outside).all()


@pytest.mark.parametrize("name", ["full", "sig-assessment", "example-actuarial"])
def test_emptiness_matches_the_scoring_engine(instruments: dict[str, Instrument], frames: dict[str, Any], name: str) -> None:
    """Per row, an item is empty exactly when riskmanual's own engine says it does not apply."""
    instrument, frame = instruments[name], frames[name]
    conditional = [item for item in instrument.items if item.applies_when is not None]
    assert conditional
    derived = [item.id for item in instrument.items if isinstance(item.response, DerivedResponse)]
    for _, row in frame.head(400).iterrows():
        values: dict[str, Any] = {}
        for item in instrument.items:
            value = row[item.id]
            if item.id in derived or pd.isna(value):
                continue
            values[item.id] = value if isinstance(value, str) else float(value)
        age = int(row[derived[0]]) if derived and not pd.isna(row[derived[0]]) else None
        applies = applicable(instrument, values, age)
        for item in conditional:
            assert pd.isna(row[item.id]) == (not applies[item.id]), (row["id"], item.id)


def test_missing_rate_is_honoured(instruments: dict[str, Instrument]) -> None:
    instrument = instruments["sig-assessment"]
    frame = simulate(instrument, 4000, 9, missing_rate=0.2)
    unconditional = [item.id for item in instrument.items if item.applies_when is None]
    shares = frame[unconditional].isna().mean()
    assert shares.between(0.17, 0.23).all(), shares.to_dict()
    assert frame[unconditional].isna().to_numpy().mean() == pytest.approx(0.2, abs=0.01)
    assert not frame[["id", "sex", "district", OUTCOME, TRUE_PROBABILITY]].isna().any().any()
    cohort = cohort_of(instrument, frame)
    assert sum(cohort.missing.values()) > 0


# --- the outcome -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["full", "sig-assessment", "example-compas"])
def test_base_rate_near_the_target(instruments: dict[str, Instrument], name: str) -> None:
    frame = simulate(instruments[name], 20000, 13)
    assert frame[TRUE_PROBABILITY].mean() == pytest.approx(0.3, abs=1e-6)
    assert frame[OUTCOME].mean() == pytest.approx(0.3, abs=0.015)


def test_base_rate_parameter(instruments: dict[str, Instrument]) -> None:
    frame = simulate(instruments["example-compas"], 20000, 13, base_rate=0.45, slope=0.5)
    assert frame.attrs["simulation"]["slope"] == 0.5
    assert frame[TRUE_PROBABILITY].mean() == pytest.approx(0.45, abs=1e-6)
    assert frame[OUTCOME].mean() == pytest.approx(0.45, abs=0.015)


@pytest.mark.parametrize("name,slope", [("sig-assessment", 0.35), ("example-compas", 0.35), ("full", 0.35),
                                        ("sig-assessment", 0.15)])
def test_outcome_rises_with_the_current_total_and_the_slope_is_recovered(
    instruments: dict[str, Instrument], name: str, slope: float
) -> None:
    instrument = instruments[name]
    frame = simulate(instrument, 20000, 17, slope=slope)
    cohort = cohort_of(instrument, frame)
    totals = cohort.current_totals()
    _intercept, fitted = logistic_fit(totals - totals.mean(), cohort.y.astype(float))
    assert fitted == pytest.approx(slope, rel=0.2)
    low, high = np.quantile(totals, [1 / 3, 2 / 3])
    rates = [cohort.y[totals <= low].mean(), cohort.y[(totals > low) & (totals <= high)].mean(), cohort.y[totals > high].mean()]
    assert rates[0] < rates[1] < rates[2]


def test_bad_parameters_are_refused(instruments: dict[str, Instrument]) -> None:
    instrument = instruments["full"]
    for kwargs in ({"n": 0}, {"n": -5}, {"n": 10, "missing_rate": 1.0}, {"n": 10, "missing_rate": -0.1},
                   {"n": 10, "base_rate": 0.0}, {"n": 10, "base_rate": 1.0}, {"n": 10, "slope": math.nan}):
        n = kwargs.pop("n")
        with pytest.raises(CalibrationError):
            simulate(instrument, n, 1, **kwargs)


def test_write_table_refuses_an_unknown_suffix(frames: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="unknown table format"):
        write_table(frames["full"], tmp_path / "table.xlsx")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_written_table_reads_back_into_the_same_cohort(instruments: dict[str, Instrument], tmp_path: Path, suffix: str) -> None:
    instrument = instruments["full"]
    frame = simulate(instrument, 1500, 23, missing_rate=0.1)
    path = write_table(frame, tmp_path / f"cohort{suffix}")
    table = read_table(path)
    direct, read = cohort_of(instrument, frame), build_cohort(instrument, table, "outcome", groups=["sex", "_district"], id_column="id")
    np.testing.assert_array_equal(direct.X, read.X)
    np.testing.assert_array_equal(direct.y, read.y)
    np.testing.assert_array_equal(direct.ids, read.ids)
    assert direct.missing == read.missing
    if suffix == ".csv":
        header, first = path.read_text("utf-8").splitlines()[:2]
        assert header.startswith("id,age,prior_offences,")
        assert ".0," not in first  # whole numbers are written as whole numbers


# --- timing (cheap; keep it) -----------------------------------------------------------------


def test_timing_100k_rows_of_sig_assessment_under_10_seconds(instruments: dict[str, Instrument]) -> None:
    """TIMING CHECK: 100,000 rows x the 29 items of sig-assessment must take well under 10 s."""
    start = time.perf_counter()
    frame = simulate(instruments["sig-assessment"], 100_000, 1, missing_rate=0.05)
    elapsed = time.perf_counter() - start
    assert frame.shape[0] == 100_000
    assert elapsed < 10, f"simulate took {elapsed:.1f} s"


# --- the command line ------------------------------------------------------------------------


def run(*args: Any) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"RISKMANUAL_LANG": "en"})


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_writes_a_table(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"cohort{suffix}"
    result = run("simulate", "sig-assessment@1.0.0", "--n", 800, "--seed", 4, "--out", out)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(rf"800 rows, \d+ events, base rate 0\.\d{{3}}: wrote {re.escape(str(out))}", lines[0])
    table = read_table(out)
    instrument = read_instrument(SIG)
    cohort = build_cohort(instrument, table, "outcome", groups=["sex", "district"], id_column="id")
    assert cohort.n == 800
    assert f"{cohort.events} events" in lines[0]
    expected = simulate(instrument, 800, 4)
    np.testing.assert_array_equal(cohort.y, expected[OUTCOME].to_numpy())


def test_simulate_summary_in_swedish_number_style(tmp_path: Path) -> None:
    """Swedish: 12 000 rader (a space between thousands), basfrekvens 0,300 (a decimal comma)."""
    from click.testing import CliRunner

    from riskmanual.cli import cli

    out = tmp_path / "cohort.csv"
    result = CliRunner().invoke(cli, ["simulate", "sig-assessment@1.0.0", "--n", "12000", "--seed", "1",
                                      "--out", str(out), "--lang", "sv"])
    assert result.exit_code == 0, result.output
    words = rf"12\u00a0000 rader, \d+(\u00a0\d{{3}})? utfall, basfrekvens 0,\d{{3}}: skrev {re.escape(str(out))}"
    assert re.fullmatch(words, result.output.strip()), result.output


def test_cli_options_reach_the_simulation(tmp_path: Path) -> None:
    out = tmp_path / "cohort.parquet"
    result = run("simulate", COMPAS, "--n", 5000, "--seed", 8, "--out", out,
                 "--missing-rate", 0.25, "--base-rate", 0.5, "--slope", 0.2)
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out)
    assert table[TRUE_PROBABILITY].mean() == pytest.approx(0.5, abs=1e-6)
    assert table[["age", "priors_count", "c_charge_degree"]].isna().to_numpy().mean() == pytest.approx(0.25, abs=0.02)
    expected = simulate(read_instrument(COMPAS), 5000, 8, missing_rate=0.25, base_rate=0.5, slope=0.2)
    pd.testing.assert_series_equal(table[TRUE_PROBABILITY], expected[TRUE_PROBABILITY])


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "cohort.csv"
    out.write_text("keep me\n", "utf-8")
    result = run("simulate", FULL, "--n", 50, "--seed", 1, "--out", out)
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text("utf-8") == "keep me\n"
    result = run("simulate", FULL, "--n", 50, "--seed", 1, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("id,")


def test_cli_n_zero_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "cohort.csv"
    result = run("simulate", FULL, "--n", 0, "--seed", 1, "--out", out)
    assert result.exit_code == 2
    assert not out.exists()


@pytest.mark.parametrize("args", [["--missing-rate", "1"], ["--base-rate", "0"], ["--base-rate", "1.5"]])
def test_cli_out_of_range_options_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = run("simulate", FULL, "--n", 10, "--seed", 1, "--out", tmp_path / "c.csv", *args)
    assert result.exit_code == 2


def test_cli_unknown_suffix_is_a_usage_error(tmp_path: Path) -> None:
    result = run("simulate", FULL, "--n", 10, "--seed", 1, "--out", tmp_path / "cohort.xlsx")
    assert result.exit_code == 2
    assert ".csv or .parquet" in result.output


def test_cli_unknown_instrument(tmp_path: Path) -> None:
    out = tmp_path / "cohort.csv"
    result = run("simulate", "no-such-instrument", "--n", 10, "--seed", 1, "--out", out)
    assert result.exit_code == 1
    assert "no-such-instrument" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


# --- the COMPAS example instrument -----------------------------------------------------------


def test_compas_example_items_are_the_data_columns(instruments: dict[str, Instrument]) -> None:
    instrument = read_instrument(COMPAS, strict_schema=True)
    ids = [item.id for item in instrument.items]
    assert ids == ["age", "priors_count", "juv_fel_count", "juv_misd_count", "juv_other_count", "c_charge_degree"]
    assert not {"race", "sex"} & set(ids)
    assert instrument.score_range() == (-1.0, 11.0)
    assert instrument.calibration is not None and instrument.calibration.status == "uncalibrated"
    age = instrument.items_by_id["age"].response
    assert isinstance(age, NumericResponse)
    points = [b.points for b in age.bins or []]
    assert points == sorted(points, reverse=True)
    priors = instrument.items_by_id["priors_count"].response
    assert isinstance(priors, NumericResponse)
    points = [b.points for b in priors.bins or []]
    assert points == sorted(points)
