"""Benchmarks for the scoring path, each against a baseline measured in the same run.

1. Library: time per ``score()`` call, against a hand-written dict-sum of the same points.
2. CLI: wall time of ``riskmanual score`` on one answers file, against
   ``python -c "import pydantic, yaml, click"``.

Run with ``make bench`` (or ``python benchmarks/bench_scoring.py``); not part of the test suite.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskmanual import load_instrument, score  # noqa: E402
from riskmanual.instrument import BooleanResponse, ChoiceResponse  # noqa: E402

INSTRUMENT = sys.argv[1] if len(sys.argv) > 1 else "sig-assessment"
_FOLDER = ROOT / "instruments" / INSTRUMENT.partition("@")[0]
_VERSIONED = _FOLDER / f"example-answers-{load_instrument(INSTRUMENT).version}.json"
ANSWERS = _VERSIONED if _VERSIONED.exists() else _FOLDER / "example-answers.json"


def hand_written_scorer(instrument):
    """The same points as plain dicts and lists: what someone would write without the engine."""
    tables, bins = {}, {}
    for item in instrument.items:
        sign = instrument.sign(item)
        if isinstance(item.response, (BooleanResponse, ChoiceResponse)):
            tables[item.id] = {code: sign * p for code, p in item.points_table().items()}
        elif item.response.bins:
            bins[item.id] = [(b.min, b.below, sign * b.points) for b in item.response.bins]

    def total(answers: dict) -> float:
        result = 0.0
        for item_id, value in answers.items():
            table = tables.get(item_id)
            if table is not None:
                result += table.get(value, 0.0)
                continue
            for low, below, points in bins.get(item_id, ()):
                if (low is None or value >= low) and (below is None or value < below):
                    result += points
                    break
        return result

    return total


def per_call(fn, repeat: int = 7) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


def wall(commands: dict[str, list[str]], rounds: int = 21) -> dict[str, float]:
    """Median wall time of each command, measured round-robin so that machine noise and
    drift fall on all of them alike."""
    for cmd in commands.values():  # warm the file cache
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    instrument = load_instrument(INSTRUMENT)
    document = json.loads(ANSWERS.read_text("utf-8"))
    answers = {k: v for k, v in document["answers"].items() if v not in ("unknown", "not_applicable")}
    baseline = hand_written_scorer(instrument)

    lib = per_call(lambda: score(instrument, document))
    base = per_call(lambda: baseline(answers))
    print(f"library  score(): {lib * 1e6:8.1f} us/call   hand-written dict-sum: {base * 1e6:6.2f} us/call"
          f"   ratio {lib / base:5.1f}x  (aim <= 10x)")

    # An installed package ships compiled bytecode; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would recompile riskmanual on every run, so compile it once.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "riskmanual")], check=True)
    exe = shutil.which("riskmanual", path=str(Path(sys.executable).parent)) or "riskmanual"
    # `import pydantic` is lazy: the first model class pulls in pydantic's schema machinery.
    timed = wall({
        "cli": [exe, "score", INSTRUMENT, str(ANSWERS), "--format", "json"],
        "imports": [sys.executable, "-c", "import pydantic, yaml, click"],
        "first_model": [sys.executable, "-c", "import pydantic, yaml, click\nclass A(pydantic.BaseModel):\n    x: int"],
        "empty": [sys.executable, "-c", "pass"],
    })
    cli, imports, first_model, empty = timed["cli"], timed["imports"], timed["first_model"], timed["empty"]
    print(f"cli      riskmanual score: {cli * 1e3:6.0f} ms   python -c 'import pydantic, yaml, click': "
          f"{imports * 1e3:4.0f} ms   ratio {cli / imports:4.2f}x  (aim <= 1.5x)")
    print(f"         same imports plus one pydantic model class: {first_model * 1e3:4.0f} ms "
          f"(ratio to it {cli / first_model:4.2f}x)   python -c pass: {empty * 1e3:3.0f} ms")


if __name__ == "__main__":
    main()
