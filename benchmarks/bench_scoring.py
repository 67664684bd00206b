"""Benchmarks for the scoring path, each against a baseline measured in the same run.

1. Library: time per ``score()`` call (the compiled scorer, full validated Result) and per
   ``score_total()`` call, against a hand-written dict-sum of the same points; the scorer it
   replaced (tests/oracle_scoring_v1.py) alongside. Aims (#12): 60x and 12x. The example is
   scored again and again, so every answer's contribution is remembered after the first call; a
   second figure scores 2,000 different synthetic documents (tests/batch_data.register) once
   each, against the dict-sum of the same documents.
2. CLI: wall time of ``riskmanual score`` on one answers file with a warm cache (the
   compiled instrument shipped or cached: no pydantic, yaml or jsonschema), against
   ``python -c "import pydantic, yaml, click"`` (aim 1.0x); with a cold cache (an instrument
   file not compiled before, cache unwritable) against the full command path of before (aim: no
   slower).

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


def varied(instrument, baseline) -> None:
    """score() and the dict-sum over 2,000 different documents, each once per round."""
    from riskmanual import AnswersError
    from riskmanual.batch import row_answers
    from tests.batch_data import TODAY, register

    frame = register(instrument, 3_000, seed=7)
    documents = []
    for row in frame.to_dict("records"):
        document = row_answers(instrument, row, today=TODAY)
        document["answers"] = {k: (float(v) if isinstance(v, str) and v.replace(".", "", 1).isdigit() else v)
                               for k, v in document["answers"].items()}
        try:
            score(instrument, document, today=TODAY)
        except AnswersError:
            continue
        documents.append(document)
        if len(documents) == 2_000:
            break
    plain = [{k: v for k, v in d["answers"].items() if v not in ("unknown", "not_applicable")} for d in documents]

    def scored() -> None:
        for document in documents:
            score(instrument, document, today=TODAY)

    def summed() -> None:
        for answers in plain:
            baseline(answers)

    lib = min(timeit.repeat(scored, number=1, repeat=5)) / len(documents)
    base = min(timeit.repeat(summed, number=1, repeat=5)) / len(documents)
    print(f"library  score(), {len(documents):,} different documents: {lib * 1e6:6.1f} us/call   dict-sum "
          f"{base * 1e6:5.2f} us   ratio {lib / base:6.1f}x")


def main() -> None:
    import os
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    import oracle_scoring_v1 as oracle  # the scorer the compiled one replaced (frozen copy)

    from riskmanual import score_total

    instrument = load_instrument(INSTRUMENT)
    document = json.loads(ANSWERS.read_text("utf-8"))
    answers = {k: v for k, v in document["answers"].items() if v not in ("unknown", "not_applicable")}
    baseline = hand_written_scorer(instrument)
    assert score(instrument, document).model_dump_json() == oracle.score(instrument, document).model_dump_json()

    base = per_call(lambda: baseline(answers))
    lib = per_call(lambda: score(instrument, document))
    old = per_call(lambda: oracle.score(instrument, document))
    total = per_call(lambda: score_total(instrument, document))
    print(f"hand-written dict-sum: {base * 1e6:6.2f} us/call")
    print(f"library  score():       {lib * 1e6:8.1f} us/call   ratio {lib / base:6.1f}x  (aim <= 60x)   "
          f"before (old scorer) {old * 1e6:7.1f} us = {old / base:5.1f}x; new/old {lib / old:4.2f}")
    print(f"library  score_total(): {total * 1e6:8.1f} us/call   ratio {total / base:6.1f}x  (aim <= 12x)")
    varied(instrument, baseline)

    # An installed package ships compiled bytecode; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would recompile riskmanual on every run, so compile it once.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "riskmanual")], check=True)
    exe = shutil.which("riskmanual", path=str(Path(sys.executable).parent)) or "riskmanual"
    folder = Path(tempfile.mkdtemp(prefix="bench-scoring-"))
    source = load_instrument(INSTRUMENT).source
    assert source is not None
    # a copy that differs by a comment: compiled neither shipped nor cached, so every run is cold
    copy = folder / Path(source).parent.name / Path(source).name
    copy.parent.mkdir()
    copy.write_bytes(Path(source).read_bytes() + b"\n# benchmark copy\n")
    os.environ["RISKMANUAL_CACHE_DIR"] = str(folder / "not-a-folder" / "cache")
    (folder / "not-a-folder").write_text("")  # the cache cannot be written: it stays cold
    full_path = [sys.executable, "-c", "import sys; from riskmanual.cli import cli; cli(sys.argv[1:], prog_name='x')"]
    timed = wall({
        "warm": [exe, "score", INSTRUMENT, str(ANSWERS), "--format", "json"],
        "warm_text": [exe, "score", INSTRUMENT, str(ANSWERS), "--format", "text"],
        "cold": [exe, "score", str(copy), str(ANSWERS), "--format", "json"],
        "old_path": [*full_path, "score", INSTRUMENT, str(ANSWERS), "--format", "json"],
        "imports": [sys.executable, "-c", "import pydantic, yaml, click"],
        "empty": [sys.executable, "-c", "pass"],
    })
    imports = timed["imports"]
    print(f"cli      python -c 'import pydantic, yaml, click': {imports * 1e3:4.0f} ms   python -c pass: "
          f"{timed['empty'] * 1e3:3.0f} ms")
    print(f"cli      warm cache, --format json: {timed['warm'] * 1e3:5.0f} ms   ratio {timed['warm'] / imports:4.2f}x"
          f"  (aim <= 1.0x);  --format text: {timed['warm_text'] * 1e3:5.0f} ms ({timed['warm_text'] / imports:4.2f}x)")
    print(f"cli      cold cache: {timed['cold'] * 1e3:5.0f} ms   the full command path (as before): "
          f"{timed['old_path'] * 1e3:5.0f} ms   ratio {timed['cold'] / timed['old_path']:4.2f}x  (aim <= 1.0x)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
