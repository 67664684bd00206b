"""Benchmark of ``riskmanual evaluate``: the evaluation of a SQLite store of 10,000 young people,
against a baseline measured in the same run: reading the same tables with plain ``SELECT``s into
pandas (the assessments' result JSON parsed in Python, as a naive evaluation would).

The store is filled once with ``riskmanual.case.demo_data.fill_store`` and kept in a temporary
folder between runs (``--fresh`` fills it again). Aim: the evaluation (JSON, no comparison)
under 10 s. Run on demand, not in the tests:
``python benchmarks/bench_evaluate.py [--young-people 10000] [--repeat 3] [--fresh]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskmanual.case.demo_data import fill_store  # noqa: E402
from riskmanual.case.store import open_store  # noqa: E402
from riskmanual.evaluation.report import evaluate  # noqa: E402

TODAY = dt.date(2026, 12, 1)
AIM = 10.0


def timed(function, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Median seconds per call, and the last call's value."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def baseline(store) -> int:  # type: ignore[no-untyped-def]
    """Every table the evaluation reads, by plain SELECT into pandas, the result JSON parsed."""
    import pandas as pd

    with store.engine.connect() as connection:
        frames = {name: pd.read_sql_query(f"SELECT * FROM {name}", connection)  # noqa: S608 - fixed names
                  for name in ("subjects", "consent_events", "assessments", "decisions", "plans", "commitments",
                               "commitment_events", "follow_ups")}
    frames["assessments"]["result"] = frames["assessments"]["result"].map(json.loads)
    return sum(len(f) for f in frames.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--young-people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="Fill the cached store again.")
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir()) / f"riskmanual-bench-evaluate-{args.young_people}"
    folder.mkdir(exist_ok=True)
    db, key = folder / "cases.sqlite", folder / "pseudonym.key"
    if args.fresh:
        for path in folder.iterdir():
            path.unlink()
    if not db.exists():
        print(f"filling {db} with {args.young_people} young people (once; cached for the next run) ...", flush=True)
        start = time.perf_counter()
        store = open_store(str(db), key_path=key, actor="bench")
        counts = fill_store(store, young_people=args.young_people, seed=1, today=TODAY)
        store.close()
        print(f"  filled in {time.perf_counter() - start:.1f} s: {counts}")
    store = open_store(str(db), key_path=key, actor="bench")
    base, rows = timed(lambda: baseline(store), args.repeat)
    seconds, evaluation = timed(lambda: evaluate(store, today=TODAY), args.repeat)
    render_s, _ = timed(lambda: __import__("riskmanual.evaluation.render", fromlist=["render_html"])
                        .render_html(evaluation, "sv"), args.repeat)
    print(f"store: {args.young_people} young people, {rows} rows in the evaluated tables; "
          f"{evaluation.evaluated} evaluated, {evaluation.assessments} assessments")  # type: ignore[union-attr]
    print(f"baseline (plain SELECT of every table into pandas, JSON parsed): {base:.2f} s (median of {args.repeat})")
    print(f"evaluate (read, audit, compute, suppress):                     {seconds:.2f} s (median of {args.repeat})"
          f"  = {seconds / base:.2f} x baseline")
    print(f"render_html:                                                   {render_s:.2f} s")
    print(f"aim: evaluate under {AIM:.0f} s: {'met' if seconds < AIM else 'NOT met'}")
    store.close()


if __name__ == "__main__":
    main()
