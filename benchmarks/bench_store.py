"""Benchmarks for the case store, each against a baseline measured in the same run on the same database.

1. Saving one answer of a guided assessment (``save_draft``: a version-checked update plus its
   audit entry, one transaction), against one plain ``UPDATE`` of a single row in its own
   transaction.
2. Opening ``history`` for a subject with 50 assessments in a store of 100,000 assessments,
   against a plain ``SELECT`` of the same 50 rows' JSON.

Aims: saving an answer under 10 ms, history under 100 ms. SQLite by default; set
``RISKMANUAL_BENCH_DB`` to a PostgreSQL URL to measure there. Run on demand, not in the tests:
``python benchmarks/bench_store.py [--assessments 100000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, text  # noqa: E402

from riskmanual import load_instrument, score  # noqa: E402
from riskmanual.case.assessments import history  # noqa: E402
from riskmanual.case.drafts import create_draft, save_draft  # noqa: E402
from riskmanual.case.models import Assessment, Subject  # noqa: E402
from riskmanual.case.store import open_store  # noqa: E402
from riskmanual.case.subjects import add_subject  # noqa: E402
from tests.identities import synthetic  # noqa: E402


def timed(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median seconds per call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fill(store, instrument, document, result, assessments: int, per_subject: int) -> str:  # type: ignore[no-untyped-def]
    """``assessments`` assessments over subjects of ``per_subject`` each; returns one subject's pseudonym."""
    compact = {key: result[key] for key in ("band", "final_band", "total", "status", "domains", "contributions")}
    target = add_subject(store, synthetic(dt.date(2009, 5, 14), 982), guardians=1, today=dt.date(2026, 12, 2)).pseudonym
    now = dt.datetime.now(dt.timezone.utc)
    with store.transaction() as session:
        subject_ids = [session.execute(select(Subject.id).where(Subject.pseudonym == target)).scalar_one()]
        for n in range(assessments // per_subject - 1):
            session.execute(insert(Subject).values(pseudonym=f"p-{n:032x}", birth_date=dt.date(2008, 1, 1),
                                                   coordination=False, guardians=1, created_at=now, created_by="bench",
                                                   version=1))
        subject_ids += list(session.execute(select(Subject.id).where(Subject.pseudonym != target)).scalars())
    rows = []
    for index, subject_id in enumerate(subject_ids):
        for k in range(per_subject):
            rows.append(dict(subject_id=subject_id, instrument_id=instrument.id, instrument_version=instrument.version,
                             instrument_sha256=instrument.sha256, assessment_date=dt.date(2022, 1, 1) + dt.timedelta(days=20 * k),
                             status="complete", total=result["total"], band="high", final_band="high",
                             answers=document, result=result if index == 0 else compact, corrects_id=None,
                             age_override=None, created_at=now, created_by="bench"))
        if len(rows) >= 5000:
            with store.transaction() as session:
                session.execute(insert(Assessment), rows)
            rows = []
    if rows:
        with store.transaction() as session:
            session.execute(insert(Assessment), rows)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--per-subject", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="riskmanual-bench-"))
    target_db = os.environ.get("RISKMANUAL_BENCH_DB") or str(folder / "cases.sqlite")
    store = open_store(target_db, key_path=folder / "pseudonym.key", actor="bench")
    instrument = load_instrument("sig-assessment@2.0.0")
    document = json.loads((ROOT / "instruments" / "sig-assessment" / "example-answers-2.0.0.json").read_text("utf-8"))
    result = score(instrument, document).model_dump(mode="json")

    start = time.perf_counter()
    alias = fill(store, instrument, document, result, args.assessments, args.per_subject)
    print(f"store    {store.where}: {args.assessments:,} assessments in {time.perf_counter() - start:.1f} s")

    draft, flow = create_draft(store, alias, instrument, dt.date(2026, 12, 1))
    version = [1]

    def save_one() -> None:
        flow.answers["police_reports_12m"] = version[0] % 5
        version[0] = save_draft(store, draft, version[0], flow)

    def plain_update() -> None:
        with store.transaction() as session:
            session.execute(text("UPDATE subjects SET guardians = guardians WHERE pseudonym = :p"), {"p": alias})

    save_one()
    answer, update = timed(save_one, args.repeat), timed(plain_update, args.repeat)
    print(f"answer   save_draft: {answer * 1000:7.2f} ms   plain one-row UPDATE: {update * 1000:6.2f} ms   "
          f"ratio {answer / update:5.2f}x  (aim < 10 ms)")

    def plain_select() -> None:
        with store.transaction() as session:
            subject_id = session.execute(select(Subject.id).where(Subject.pseudonym == alias)).scalar_one()
            session.execute(select(Assessment.result).where(Assessment.subject_id == subject_id)).all()

    entries = history(store, alias)
    assert len(entries) == args.per_subject
    shown, raw = timed(lambda: history(store, alias), max(5, args.repeat // 5)), timed(plain_select, max(5, args.repeat // 5))
    print(f"history  {args.per_subject} assessments: {shown * 1000:7.2f} ms   plain SELECT of their results: "
          f"{raw * 1000:6.2f} ms   ratio {shown / raw:5.2f}x  (aim < 100 ms)")
    store.close()


if __name__ == "__main__":
    main()
