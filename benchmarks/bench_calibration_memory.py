"""Peak memory of a large calibration (issue #8: a 10M-row table calibrates in under 2 GB). Run on demand.

    .venv/bin/python benchmarks/bench_calibration_memory.py [--rows 10000000] [--csv FILE] [--method recalibrate]

Writes (or reuses) a synthetic table for example-actuarial (``riskmanual simulate`` of 1M rows,
repeated), then, each in a fresh process so every peak is its own: the baseline (pyarrow
reading the columns the instrument uses, nothing else), ``read_table``, ``build_cohort``, and
the whole ``calibrate`` run (``--folds 5``). Prints peak RSS (this process and its fold
workers) and time, and each as a ratio of the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

INSTRUMENT = "example-actuarial"

STAGE = r"""
import json, resource, sys, time
stage, path, method = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
from riskmanual.calibration import CalibrationSettings, calibrate, read_table, build_cohort
from riskmanual.calibration import needed_columns
from riskmanual.registry import load_instrument
settings = CalibrationSettings(instrument="example-actuarial", data=path, outcome="outcome", method=method, folds=5)
instrument = load_instrument(settings.instrument)
wanted = sorted(needed_columns(instrument, settings))
if stage == "baseline":
    import pyarrow.csv as pc
    table = pc.read_csv(path, convert_options=pc.ConvertOptions(include_columns=wanted))
elif stage == "read":
    frame = read_table(path, columns=wanted)
elif stage == "cohort":
    frame = read_table(path, columns=wanted)
    cohort = build_cohort(instrument, frame, "outcome")
else:
    run = calibrate(settings)
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"stage": stage, "seconds": time.perf_counter() - start, "peak_mb": peak / 1024}))
"""


def _table(rows: int, folder: Path) -> Path:
    path = folder / f"actuarial-{rows}.csv"
    if path.exists():
        return path
    block = min(rows, 1_000_000)
    part = folder / f"actuarial-part-{block}.csv"
    if not part.exists():
        subprocess.run([str(Path(sys.executable).parent / "riskmanual"), "simulate", INSTRUMENT, "--n", str(block), "--seed", "1",
                        "--out", str(part)], check=True)
    lines = part.read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    with open(path, "x", encoding="utf-8") as out:
        out.write(header)
        left = rows
        while left > 0:
            take = body[: min(left, len(body))]
            out.writelines(take)
            left -= len(take)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--csv", type=Path, default=None, help="an existing table with the simulate columns")
    parser.add_argument("--method", default="recalibrate")
    parser.add_argument("--folder", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "riskmanual-bench")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    path = args.csv or _table(args.rows, args.folder)
    print(f"table {path} ({path.stat().st_size / 1e6:,.0f} MB), method {args.method}, --folds 5")
    results = {}
    for stage in ("baseline", "read", "cohort", "calibrate"):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", STAGE, stage, str(path), args.method], check=True,
                             capture_output=True, text=True).stdout
        results[stage] = json.loads(out.strip().splitlines()[-1])
        results[stage]["wall"] = time.perf_counter() - start
    base = results["baseline"]
    print(f"{'stage':<12}{'peak RSS MB':>14}{'x baseline':>12}{'seconds':>10}{'x baseline':>12}")
    for stage, r in results.items():
        print(f"{stage:<12}{r['peak_mb']:>14,.0f}{r['peak_mb'] / base['peak_mb']:>12.2f}"
              f"{r['wall']:>10.1f}{r['wall'] / base['wall']:>12.2f}")
    peak = results["calibrate"]["peak_mb"]
    print(f"aim: calibrate under 2,048 MB peak -> {'met' if peak < 2048 else 'NOT met'} ({peak:,.0f} MB)")


if __name__ == "__main__":
    main()
