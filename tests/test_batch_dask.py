"""Beyond one machine: ``score_frame`` as a Dask ``map_partitions`` function on a two-worker
``distributed.LocalCluster`` (worker processes), and as a Spark ``mapInPandas`` function (when pyspark and Java are
installed), over a partitioned Parquet dataset; the result equals single-machine scoring."""

from __future__ import annotations

import functools
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from riskmanual.batch import score_frame, spark_schema  # noqa: E402
from riskmanual.registry import load_instrument  # noqa: E402

from .batch_data import TODAY, register  # noqa: E402


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, Any]:
    instrument = load_instrument("sig-assessment")
    frame = register(instrument, 6_000, seed=7, gaps=0.1)  # many rows incomplete
    item = next(i.id for i in instrument.items if i.response.type == "ordinal")
    frame.loc[frame.index[::50], item] = "hgh"  # and some refused (a bad code)
    path = tmp_path_factory.mktemp("register") / "assessments"
    pq.write_to_dataset(pa.Table.from_pandas(frame, preserve_index=False), path, partition_cols=["region"])
    expected = score_frame(instrument, frame, today=TODAY, domains=True)
    return instrument, path, pd.concat([frame[["case_ref"]], expected], axis=1)


def compare(got: Any, want: Any) -> None:
    got = got.sort_values("case_ref").reset_index(drop=True)
    want = want.sort_values("case_ref").reset_index(drop=True)
    assert len(got) == len(want)
    assert (want["status"].value_counts() > 50).sum() == 3  # complete, incomplete and refused rows
    for column in want.columns:
        left = [None if pd.isna(v) else v for v in got[column].tolist()]
        right = [None if pd.isna(v) else v for v in want[column].tolist()]
        assert left == right, column


def scored(instrument: Any, part: Any) -> Any:
    """The function each worker runs on its partition: the scores, with the case reference kept."""
    out = score_frame(instrument, part, today=TODAY, domains=True)
    out.insert(0, "case_ref", part["case_ref"].astype(str).to_numpy())
    return out


def test_dask_map_partitions_on_a_local_cluster(dataset: tuple[Any, Path, Any]) -> None:
    dd = pytest.importorskip("dask.dataframe", reason="dask is not installed: pip install 'riskmanual[dask]'")
    distributed = pytest.importorskip("distributed", reason="distributed is not installed: pip install 'riskmanual[dask]'")
    instrument, path, want = dataset
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        frame = dd.read_parquet(str(path))
        assert frame.npartitions >= 2
        meta = scored(instrument, frame._meta)
        result = frame.map_partitions(functools.partial(scored, instrument), meta=meta)
        got = client.compute(result).result()
        assert len(client.scheduler_info()["workers"]) == 2
    compare(got, want)


def _java() -> str | None:
    return shutil.which("java")


def test_spark_map_in_pandas(dataset: tuple[Any, Path, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark); the README shows the "
                                          "same scoring with mapInPandas")
    if _java() is None:
        pytest.skip("Spark needs Java, and no java is on the PATH")
    from pyspark.sql import SparkSession

    instrument, path, want = dataset
    # Spark's Python workers run this interpreter (with riskmanual and pandas), not the first python on the PATH
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    monkeypatch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
    spark = SparkSession.builder.master("local[2]").appName("riskmanual-test").getOrCreate()
    try:
        frame = spark.read.parquet(str(path))

        def score_partitions(parts: Any) -> Any:
            for part in parts:
                yield scored(instrument, part)

        result = frame.mapInPandas(score_partitions, schema="case_ref string, " + spark_schema(instrument, domains=True))
        got = result.toPandas()
    finally:
        spark.stop()
    compare(got, want)
