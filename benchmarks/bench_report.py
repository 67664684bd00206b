"""Benchmark: the time to render one PDF case report of a full synthetic case (two assessments,
consent with a withdrawal, a committed action plan), against a baseline measured in the same run:
WeasyPrint rendering a one-paragraph HTML page.

Three figures, each the median of several runs after a warm-up: gathering the report from the
store (one audited read, the labels in the report's language), rendering the PDF from the
gathered report (HTML, chart and WeasyPrint), and both together as ``riskmanual report`` does.
Aim: the whole under 2 s. Run on demand, not in the tests:
``python benchmarks/bench_report.py [--runs 7]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskmanual.case.store import open_store  # noqa: E402
from riskmanual.reports import gather  # noqa: E402
from riskmanual.reports.render import pdf, pdf_from_html  # noqa: E402
from tests.reports import TODAY, build_case  # noqa: E402

AIM = 2.0


def timed(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    function()  # warm-up: imports, fonts, instrument loading
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "cases.sqlite"), key_path=Path(folder) / "pseudonym.key",
                           actor="Bench Handläggare")
        case = build_case(store)
        baseline = timed(lambda: pdf_from_html("<!DOCTYPE html><html><body><p>Ett stycke text.</p></body></html>"),
                         args.runs)
        report = gather(store, case.second, lang="sv", fmt="pdf", today=TODAY)
        pages = pdf(report)
        gathering = timed(lambda: gather(store, case.second, lang="sv", fmt="pdf", today=TODAY), args.runs)
        rendering = timed(lambda: pdf(report), args.runs)
        whole = timed(lambda: pdf(gather(store, case.second, lang="sv", fmt="pdf", today=TODAY)), args.runs)
        english = timed(lambda: pdf(gather(store, case.second, lang="en", fmt="pdf", today=TODAY)), args.runs)
        store.close()
    import io

    from pypdf import PdfReader

    count = len(PdfReader(io.BytesIO(pages)).pages)
    print(f"one PDF case report ({count} pages, {len(pages) // 1024} KiB), median of {args.runs} runs:")
    print(f"  baseline: WeasyPrint, one paragraph        {baseline * 1000:7.0f} ms")
    print(f"  gather the report from the store (sv)      {gathering * 1000:7.0f} ms")
    for name, seconds in (("render the PDF from it", rendering), ("gather + render, Swedish", whole),
                          ("gather + render, English (labels re-read)", english)):
        print(f"  {name:<42} {seconds * 1000:7.0f} ms  ({seconds / baseline:.1f} x baseline)")
    worst = max(whole, english)
    print(f"aim: under {AIM:.0f} s for one report: {'met' if worst < AIM else 'NOT met'} ({worst:.2f} s)")


if __name__ == "__main__":
    main()
