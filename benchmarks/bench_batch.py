"""Batch scoring (riskmanual.batch, ``riskmanual score --batch``): speed and memory, on demand.

    .venv/bin/python benchmarks/bench_batch.py [--rows 1000000] [--big-rows 10000000] [--skip-big] [--cache FILE]

Data: a synthetic register for sig-assessment@2.0.0 (35 answer columns: ordinal, boolean,
categorical, numeric with bins, conditions, required and critical items, the derived age from a
birth date, about 3% blank and some unknown cells), 100,000 distinct rows repeated to the size
asked, written as Parquet in a temporary folder (``--cache FILE`` keeps the 100,000 rows in a
Parquet file between runs: read when it exists, else built and written; without it nothing is
kept). Every figure is the best of three runs in this process; the ratios compare numbers
measured in the same run:

1. read + encode + score: ``pq.read_table(read_dictionary=...)`` + :func:`score_frame` (aim < 1 s for 1M rows).
2. the scoring step against a bare per-item ``np.take`` + add of the same points over the same
   integer codes (aim: within 3x). The aim is judged on :meth:`BatchScorer.score_codes` alone: the
   codes :meth:`BatchScorer.encode` made of the in-memory table, scored by a fresh scorer each run
   (nothing remembered between runs). Shown beside it, each as a ratio to the same bare lookup:
   ``encode`` alone, encode + score_codes, and :func:`score_frame` on the table in memory.
3. :func:`riskmanual.score` row by row on a sample of 2,000 rows, extrapolated to all rows (said so).
4. peak RSS of the streaming CLI (``riskmanual score --batch big.parquet --out out.parquet``) on a
   1M-row and a 10M-row file (aim: flat, under 1 GB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskmanual import score  # noqa: E402
from riskmanual.batch import BatchScorer, output_columns, row_answers, score_frame  # noqa: E402
from riskmanual.errors import AnswersError  # noqa: E402
from riskmanual.instrument import DerivedResponse  # noqa: E402
from riskmanual.registry import load_instrument  # noqa: E402
from tests.batch_data import TODAY, register  # noqa: E402

INSTRUMENT = "sig-assessment@2.0.0"


def best(func: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - start)
    return min(times), value


def write_parquet(frame: Any, path: Path, rows: int) -> None:
    """``frame`` repeated until ``rows`` rows, written row group by row group (never all in memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pq.ParquetWriter(path, table.schema) as writer:
        left = rows
        while left > 0:
            part = table.slice(0, min(left, table.num_rows))
            writer.write_table(part, row_group_size=100_000)
            left -= part.num_rows


def bare_lookup(instrument: Any, table: Any) -> Callable[[], np.ndarray]:
    """The baseline: per item, the points of its dictionary codes, ``np.take`` and add."""
    plans = []
    for item in instrument.items:
        if isinstance(item.response, DerivedResponse):
            continue
        column = table.column(item.id).combine_chunks()
        codes = column.indices.fill_null(len(column.dictionary)).to_numpy()
        table_points = {str(k): v for k, v in item.points_table().items()}
        points = np.array([table_points.get(str(v), 0.0) if v is not None else 0.0
                           for v in column.dictionary.to_pylist()] + [0.0])
        plans.append((codes, points))

    def run() -> np.ndarray:
        total = np.zeros(table.num_rows)
        for codes, points in plans:
            total += np.take(points, codes)
        return total

    return run


def base_register(instrument: Any, cache: Path | None) -> Any:
    """The 100,000 distinct synthetic rows: read from ``cache`` when it exists, else built (and
    written to ``cache`` when one is given)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    if cache is not None and cache.exists():
        frame = pq.read_table(cache).to_pandas()
        return frame.astype(object).where(pd.notna(frame), None)
    frame = register(instrument, 100_000, seed=1)
    if cache is not None:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), cache)
    return frame


def peak_rss(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process running the command line."""
    code = ("import resource, subprocess, sys, time; s = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(time.perf_counter() - s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024); "
            "sys.stderr.write(r.stdout + r.stderr); sys.exit(r.returncode)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    seconds, mb = done.stdout.split()
    print("   ", done.stderr.strip().splitlines()[-1])
    return float(seconds), float(mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=10_000_000)
    parser.add_argument("--skip-big", action="store_true", help="skip the streaming CLI's memory on the big file")
    parser.add_argument("--cache", type=Path, help="keep the 100,000-row synthetic register in this Parquet file")
    options = parser.parse_args()

    import pyarrow.parquet as pq

    instrument = load_instrument(INSTRUMENT)
    columns = [i.id for i in instrument.items if not isinstance(i.response, DerivedResponse)]
    print(f"{INSTRUMENT}: {len(columns)} answer columns + birth_date, assessment_date; {options.rows:,} rows")
    start = time.perf_counter()
    base = base_register(instrument, options.cache)
    print(f"  synthetic register (100,000 distinct rows): {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.parquet"
        write_parquet(base, path, options.rows)
        wanted = [*columns, "birth_date", "assessment_date"]

        def read() -> Any:
            return pq.read_table(path, columns=wanted, read_dictionary=wanted)

        def read_and_score() -> Any:
            return score_frame(instrument, read(), today=TODAY)

        t_all, out = best(read_and_score)
        t_read, table = best(read)
        t_score, _ = best(lambda: score_frame(instrument, table, today=TODAY))
        t_encode, codes = best(lambda: BatchScorer(instrument, today=TODAY).encode(table))
        t_codes, _ = best(lambda: BatchScorer(instrument, today=TODAY).score_codes(codes, table))
        t_bare, _ = best(bare_lookup(instrument, table), repeat=5)
        statuses = out.column("status").to_pandas().value_counts().to_dict()
        print(f"  statuses: {statuses}")
        print(f"1. read + encode + score {options.rows:,} rows: {t_all:.3f} s (read {t_read:.3f} s)  [aim < 1 s]")
        print(f"2. scoring step (score_codes over the integer codes) {t_codes:.3f} s vs bare np.take + add "
              f"{t_bare:.3f} s: {t_codes / t_bare:.1f}x  [aim <= 3x: judged on this figure]")
        print(f"   encode alone {t_encode:.3f} s: {t_encode / t_bare:.1f}x bare; encode + score_codes "
              f"{t_encode + t_codes:.3f} s: {(t_encode + t_codes) / t_bare:.1f}x bare; score_frame on the table in "
              f"memory {t_score:.3f} s: {t_score / t_bare:.1f}x bare  [no aim]")

        sample = base.sample(2_000, random_state=0).to_dict("records")

        def one_by_one() -> None:
            for row in sample:
                try:
                    score(instrument, row_answers(instrument, row, today=TODAY), today=TODAY)
                except AnswersError:
                    pass

        t_sample, _ = best(one_by_one, repeat=1)
        per_row = t_sample / len(sample)
        print(f"3. score() row by row: {per_row * 1e6:.0f} us a row (2,000-row sample); extrapolated to "
              f"{options.rows:,} rows {per_row * options.rows:.0f} s = {per_row * options.rows / t_score:.0f}x "
              f"score_frame in memory, {per_row * options.rows / t_all:.0f}x read + score")

        if not options.skip_big:
            cli = [str(Path(sys.executable).parent / "riskmanual"), "score", INSTRUMENT]
            rss = {}
            for rows in (options.rows, options.big_rows):
                big = Path(folder) / f"big-{rows}.parquet"
                write_parquet(base, big, rows)
                out_path = Path(folder) / f"out-{rows}.parquet"
                seconds, mb = peak_rss([*cli, "--batch", str(big), "--out", str(out_path)])
                rss[rows] = mb
                print(f"4. streaming CLI, {rows:,} rows ({big.stat().st_size / 2**20:.0f} MB Parquet): {seconds:.1f} s, "
                      f"peak RSS {mb:.0f} MB")
                big.unlink()
                out_path.unlink()
            small, large = rss[options.rows], rss[options.big_rows]
            print(f"   peak RSS {options.big_rows:,} / {options.rows:,} rows: {large / small:.2f}x  [aim: flat, < 1 GB]")
    print(f"(output columns: {', '.join(output_columns(instrument))}; {dt.date.today()}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
