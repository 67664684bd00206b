"""The case store on SQLite and PostgreSQL: subjects, consent, the audit chain, erasure, bad databases."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from riskmanual.case.audit import verify
from riskmanual.case.models import AuditEntry, ConsentEvent, Subject
from riskmanual.case.store import Store, open_store
from riskmanual.case.subjects import add_subject, consent_of, erase_subject, record_consent, subject_pseudonym
from riskmanual.errors import ConsentError, IdentityError, StoreError

from ..identities import synthetic

TODAY = dt.date(2026, 12, 2)
MINOR = synthetic(dt.date(2009, 5, 14))
ADULT = synthetic(dt.date(2005, 3, 9), 412)


def everything(store: Store) -> str:
    """Every value in every table, as text: what a leak would show."""
    with store.transaction() as session:
        rows = []
        for model in (Subject, ConsentEvent, AuditEntry):
            for row in session.execute(select(model)).scalars():
                rows.append(repr({c.name: getattr(row, c.key) for c in model.__mapper__.columns}))
        return "\n".join(rows)


def test_a_subject_is_kept_under_a_pseudonym_only(store: Store) -> None:
    view = add_subject(store, MINOR, guardians=2, today=TODAY)
    assert view.age == 17 and view.pseudonym.startswith("p-")
    assert subject_pseudonym(store, MINOR.replace("-", "")) == view.pseudonym
    assert subject_pseudonym(store, view.pseudonym) == view.pseudonym
    stored = everything(store)
    digits = MINOR.replace("-", "")
    assert digits not in stored and digits[2:] not in stored and MINOR not in stored and digits[-4:] not in stored


def test_adding_twice_or_badly_is_refused(store: Store) -> None:
    add_subject(store, MINOR, guardians=1, today=TODAY)
    with pytest.raises(StoreError, match="already registered"):
        add_subject(store, MINOR, guardians=1, today=TODAY)
    with pytest.raises(StoreError, match="guardian"):
        add_subject(store, synthetic(dt.date(2010, 1, 2)), guardians=0, today=TODAY)
    with pytest.raises(IdentityError):
        add_subject(store, "20090514-2387", guardians=1, today=TODAY)


def test_consent_round_trip_and_the_audit_chain(store: Store) -> None:
    alias = add_subject(store, MINOR, guardians=1, today=TODAY).pseudonym
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["police", "school"],
                   date=dt.date(2026, 11, 20), today=TODAY)
    state = record_consent(store, alias, kind="record", signatory="guardian_1", agencies=["police"],
                           date=dt.date(2026, 11, 21), expires=dt.date(2027, 11, 21), today=TODAY)
    assert state.allows("police") and not state.allows("school")
    state = record_consent(store, alias, kind="withdraw", signatory="guardian_1", agencies=["police"],
                           date=dt.date(2026, 12, 1), today=TODAY)
    assert not state.allows("police")
    view, shown, events = consent_of(store, alias, on=dt.date(2026, 11, 25))
    assert shown.allows("police") and len(events) == 3 and view.guardians == 1
    with pytest.raises(ConsentError, match="nothing to withdraw"):
        record_consent(store, alias, kind="withdraw", signatory="young_person", agencies=["leisure_services"],
                       date=TODAY, today=TODAY)
    with store.transaction() as session:
        result = verify(session)
        actions = session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars().all()
    assert result.ok and result.entries == 5
    assert actions == ["subject.add", "consent.record", "consent.record", "consent.withdraw", "consent.show"]


def test_a_changed_or_removed_audit_entry_breaks_the_chain(store: Store) -> None:
    alias = add_subject(store, MINOR, guardians=1, today=TODAY).pseudonym
    for day in (1, 2, 3):
        record_consent(store, alias, kind="record", signatory="young_person", agencies=["police"],
                       date=dt.date(2026, 11, day), today=TODAY)
    with store.transaction() as session:
        session.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2"))
    with store.transaction() as session:
        assert verify(session).broken_at == 2
    with store.transaction() as session:
        session.execute(text("UPDATE audit_log SET actor = 'test-assessor' WHERE seq = 2"))
        assert verify(session).ok
        session.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    with store.transaction() as session:
        assert not verify(session).ok


def test_erasing_a_subject_leaves_no_rows_and_only_the_pseudonym_in_the_log(store: Store) -> None:
    alias = add_subject(store, MINOR, guardians=1, today=TODAY).pseudonym
    other = add_subject(store, ADULT, guardians=0, today=TODAY).pseudonym
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["police"],
                   date=dt.date(2026, 11, 1), today=TODAY)
    record_consent(store, other, kind="record", signatory="young_person", agencies=["school"],
                   date=dt.date(2026, 11, 1), today=TODAY)
    assert erase_subject(store, alias, reason="Begäran om radering") == {"consent_events": 1, "assessments": 0,
                                                                         "decisions": 0}
    with store.transaction() as session:
        assert session.execute(select(func.count()).select_from(Subject)).scalar_one() == 1
        orphans = session.execute(select(func.count()).select_from(ConsentEvent)
                                  .where(~ConsentEvent.subject_id.in_(select(Subject.id)))).scalar_one()
        assert orphans == 0
        assert session.execute(select(func.count()).select_from(ConsentEvent)).scalar_one() == 1
        assert verify(session).ok
        last = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
    assert last.action == "subject.erase" and last.subject == alias
    with pytest.raises(StoreError, match="no subject"):
        consent_of(store, alias)


def test_the_sqlite_file_and_the_key_are_private(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "deep" / "cases.sqlite"), key_path=tmp_path / "keys" / "k", actor="t")
    add_subject(store, ADULT, guardians=0, today=TODAY)
    store.close()
    for path in (tmp_path / "deep" / "cases.sqlite", tmp_path / "keys" / "k"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_damaged_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database, it is a letter" * 100)
    with pytest.raises(StoreError, match="damaged or not a database"):
        open_store(str(junk), key_path=tmp_path / "k")
    with pytest.raises(StoreError, match="is not a file"):
        open_store(str(tmp_path), key_path=tmp_path / "k")
    with pytest.raises(StoreError, match="no case store"):
        open_store(str(tmp_path / "missing.sqlite"), key_path=tmp_path / "k", create=False)


def test_a_store_from_a_newer_riskmanual_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    open_store(str(path), key_path=tmp_path / "k").close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(StoreError, match="newer riskmanual"):
        open_store(str(path), key_path=tmp_path / "k")


def test_a_locked_store_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import riskmanual.case.store as store_module

    path = tmp_path / "cases.sqlite"
    open_store(str(path), key_path=tmp_path / "k").close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            store = open_store(str(path), key_path=tmp_path / "k", actor="t")
            add_subject(store, ADULT, guardians=0, today=TODAY)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_bad_key_file_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "k"
    key.write_text("not a key\n")
    os.chmod(key, 0o600)
    with pytest.raises(StoreError, match="does not hold a key"):
        open_store(str(tmp_path / "c.sqlite"), key_path=key)
    key.write_text("ab" * 32)
    os.chmod(key, 0o644)
    with pytest.raises(StoreError, match="chmod 600"):
        open_store(str(tmp_path / "c.sqlite"), key_path=key)


WRITER = """
import datetime as dt, sys
sys.path.insert(0, sys.argv[3])
from riskmanual.case.store import open_store
from riskmanual.case.subjects import add_subject, record_consent
from tests.identities import synthetic
store = open_store(sys.argv[1], key_path=__import__("pathlib").Path(sys.argv[2]), actor="writer")
start = int(sys.argv[4])
for n in range(start, start + 15):
    alias = add_subject(store, synthetic(dt.date(2005, 1, 1) + dt.timedelta(days=n), 100 + n), guardians=0,
                        today=dt.date(2026, 12, 2)).pseudonym
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["police"],
                   date=dt.date(2026, 12, 1), today=dt.date(2026, 12, 2))
"""


def test_two_processes_writing_at_once_both_succeed(tmp_path: Path) -> None:
    path, key = tmp_path / "cases.sqlite", tmp_path / "k"
    open_store(str(path), key_path=key).close()
    root = str(Path(__file__).resolve().parents[2])
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(key), root, str(start)],
                                stderr=subprocess.PIPE, text=True) for start in (0, 100)]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    store = open_store(str(path), key_path=key)
    with store.transaction() as session:
        assert session.execute(select(func.count()).select_from(Subject)).scalar_one() == 30
        result = verify(session)
    assert result.ok and result.entries == 60


def test_a_killed_writer_leaves_the_store_consistent(tmp_path: Path) -> None:
    path, key = tmp_path / "cases.sqlite", tmp_path / "k"
    open_store(str(path), key_path=key).close()
    root = str(Path(__file__).resolve().parents[2])
    writer = subprocess.Popen([sys.executable, "-c", WRITER.replace("range(start, start + 15)", "range(start, start + 10**6)"),
                               str(path), str(key), root, "0"], stderr=subprocess.PIPE)
    import time

    time.sleep(2.0)
    writer.kill()
    writer.wait(timeout=30)
    store = open_store(str(path), key_path=key)
    with store.transaction() as session:
        subjects = session.execute(select(func.count()).select_from(Subject)).scalar_one()
        events = session.execute(select(func.count()).select_from(ConsentEvent)).scalar_one()
        result = verify(session)
    assert subjects > 0 and result.ok
    assert result.entries == subjects + events  # every write is there with its audit entry, or neither is
