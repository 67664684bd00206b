"""The audit log: append-only, written in the same transaction as the action it records, each
entry chained to the one before by SHA-256, so that a removed or edited entry shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, AuditHead

__all__ = ["Verification", "append", "verify"]

GENESIS = "0" * 64


def _digest(seq: int, at: dt.datetime, actor: str, action: str, subject: str | None, records: dict[str, Any],
            prev: str) -> str:
    body = {"seq": seq, "at": at.isoformat(), "actor": actor, "action": action, "subject": subject,
            "records": records, "prev": prev}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(session: Session, *, actor: str, action: str, subject: str | None, records: dict[str, Any],
           at: dt.datetime) -> AuditEntry:
    """Add one entry after the current head; the head row's lock makes concurrent appends queue."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    at = at.astimezone(dt.timezone.utc).replace(microsecond=(at.microsecond // 1000) * 1000)
    seq = head.seq + 1
    digest = _digest(seq, at, actor, action, subject, records, head.hash)
    entry = AuditEntry(seq=seq, at=at, actor=actor, action=action, subject=subject, records=records,
                       prev_hash=head.hash, hash=digest)
    session.add(entry)
    head.seq, head.hash = seq, digest
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    broken_at: int | None = None


def verify(session: Session) -> Verification:
    """Recompute the chain from the first entry; the first entry that does not fit breaks it."""
    prev, count = GENESIS, 0
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        count += 1
        at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.timezone.utc)
        expected = _digest(entry.seq, at.astimezone(dt.timezone.utc), entry.actor, entry.action, entry.subject,
                           entry.records, prev)
        if entry.seq != count or entry.prev_hash != prev or entry.hash != expected:
            return Verification(False, count, entry.seq)
        prev = entry.hash
    head = session.get(AuditHead, 1)
    if head is None or head.seq != count or head.hash != prev:
        return Verification(False, count, count + 1)
    return Verification(True, count)
