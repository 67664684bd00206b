"""Time and peak memory of the CLI on the worst input of each hostile family (run on demand).

Each input is at most 2 MiB and is given to a fresh ``riskmanual`` process; the baseline is the
same command on the bundled, valid example in the same run. Aims: every input is refused or
read in under 5 s and 300 MB.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json"
LIMIT = 2 * 1024 * 1024
AIM_SECONDS, AIM_MB = 5.0, 300.0


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one ``riskmanual`` process."""
    command = [sys.executable, "-m", "riskmanual.cli", *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                               env={**os.environ, **(env or {}), "RISKMANUAL_LANG": "en"})
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _fit(text: str) -> str:
    assert len(text.encode()) <= LIMIT, len(text.encode())
    return text


def families(folder: Path) -> dict[str, list[str]]:
    """Each family's worst input, as the command line that reads it."""
    example = EXAMPLE.read_text("utf-8")
    files: dict[str, str] = {
        "deep nesting (2 MiB of '[')": _fit("[" * (LIMIT - 1)),
        "billion laughs": "a: &a [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)),
        "one 1 MB text aliased 1,000 times": _fit("a: &x " + "y" * 1_000_000 + "\nb: [" + ",".join(["*x"] * 1000) + "]\n"),
        "aliases nested 120 deep": "l0: &l0 [1]\n" + "".join(f"l{i}: &l{i} [*l{i - 1}]\n" for i in range(1, 120)),
        "a list of 500,000 numbers": _fit("[" + ",".join(["1"] * 500_000) + "]"),
        "a list of 99,000 numbers (under the value limit)": "[" + ",".join(["1"] * 99_000) + "]",
        "99,000 duplicate keys": "".join(f"k: {i}\n" for i in range(49_000)),
        "500,000 tagged wrong scalars": _fit("[" + ",".join(["!!int x"] * 200_000) + "]"),
        "a 4,000-digit integer": "a: 0x" + "f" * 4000,
        "answers with 49,000 unknown items": _fit(example.replace('"answers": {', '"answers": {' + "".join(
            f'"ghost_{i:05d}": "x", ' for i in range(49_000)), 1)),
    }
    runs: dict[str, list[str]] = {}
    for name, text in files.items():
        path = folder / f"{len(runs):02d}.json" if name.startswith("answers") else folder / f"{len(runs):02d}.yaml"
        path.write_text(text, "utf-8")
        runs[name] = ["score", "sig-assessment", str(path)] if name.startswith("answers") else ["validate", str(path)]
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.yaml")
        runs["a FIFO named *.yaml"] = ["validate", str(folder / "fifo.yaml")]
    if Path("/dev/zero").exists():
        runs["/dev/zero"] = ["score", "sig-assessment", "/dev/zero"]
    return runs


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="riskmanual-hostile-"))
    try:
        base = [_run(["score", "sig-assessment", str(EXAMPLE)]) for _ in range(3)]
        base_s = sorted(b[0] for b in base)[1]
        base_mb = sorted(b[1] for b in base)[1]
        print(f"baseline: score of the valid example   {base_s:6.2f} s  {base_mb:6.0f} MB")
        worst_s = worst_mb = 0.0
        for name, args in families(folder).items():
            seconds, mb, code = _run(args)
            worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
            print(f"{name:50s} {seconds:6.2f} s ({seconds / base_s:4.1f}x)  {mb:6.0f} MB ({mb / base_mb:4.1f}x)  exit {code}")
        # A RISKMANUAL_PATH full of these files: the scan skips them, a bundled id still scores.
        seconds, mb, code = _run(["score", "sig-assessment", str(EXAMPLE)], {"RISKMANUAL_PATH": str(folder)})
        worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
        print(f"{'score with all of them in RISKMANUAL_PATH':50s} {seconds:6.2f} s ({seconds / base_s:4.1f}x)  "
              f"{mb:6.0f} MB ({mb / base_mb:4.1f}x)  exit {code}")
        met = worst_s < AIM_SECONDS and worst_mb < AIM_MB
        print(f"worst: {worst_s:.2f} s, {worst_mb:.0f} MB; aim < {AIM_SECONDS:.0f} s and < {AIM_MB:.0f} MB: "
              f"{'met' if met else 'NOT met'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
