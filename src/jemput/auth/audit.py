"""The append-only, hash-chained audit log: record entries and verify the chain.

Each entry's hash is SHA-256 over a canonical JSON of its fields and the previous
entry's hash, so editing, deleting or reordering any row breaks every later link.
Deleting the newest rows is the one change a chain cannot show by itself; an
off-site copy of the latest hash (`jemput audit verify` prints it) closes that gap.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from jemput.auth import acting
from jemput.auth.models import AuditEntry, User
from jemput.db import is_read_only, side_unit_of_work

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer of this database.
_PG_LOCK_KEY = 0x6A656D707574  # "jemput"

_NIK_LIKE = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
_SECRET_KEYS = ("password", "sandi", "token", "secret", "csrf")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_bad_id: int | None = None
    reason: str | None = None
    last_hash: str = GENESIS_HASH


def _scrub(value: Any) -> Any:
    """Mask NIK-like numbers and drop secrets: the log must never hold either."""
    if isinstance(value, dict):
        return {
            str(key): "[disembunyikan]"
            if any(word in str(key).lower() for word in _SECRET_KEYS)
            else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    if isinstance(value, str):
        return _NIK_LIKE.sub(r"\1••••••••\2", value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) == 16:
        return _NIK_LIKE.sub(r"\1••••••••\2", str(value))
    return value


def _canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(entry: AuditEntry) -> str:
    """Return the SHA-256 of the entry's canonical serialization and its prev_hash."""
    fields = [
        entry.id,
        _canonical_time(entry.at),
        entry.actor_user_id,
        entry.actor_name,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.detail,
        entry.ip,
        entry.prev_hash,
    ]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    # Two writers reading the same "last hash" would fork the chain. PostgreSQL:
    # a transaction-scoped advisory lock, released at commit or rollback. SQLite:
    # jemput.db begins every transaction with BEGIN IMMEDIATE, one writer already.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def record(
    *,
    session: Session,
    actor: User | str | None,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain; the caller's unit of work commits it.

    From a read-only session (a page view) the entry is committed at once in a short
    transaction of its own: logging a view needs no atomicity with the view.
    """
    if is_read_only(session):
        with side_unit_of_work(session) as writer:
            entry = record(session=writer, actor=actor, action=action,
                           object_type=object_type, object_id=object_id, detail=detail, ip=ip)
            writer.expunge(entry)
        return entry
    _lock_chain(session)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    if isinstance(actor, User):
        actor_user_id, actor_name = actor.id, actor.username
        # A request made with an API token: the entry names the token (and its minter).
        detail = {**acting.audit_detail(actor.id), **(detail or {})}
    else:
        actor_user_id, actor_name = None, actor or "sistem"
    entry = AuditEntry(
        id=(last.id + 1) if last else 1,
        # Whole microseconds survive every backend's timestamp type unchanged.
        at=datetime.now(UTC),
        actor_user_id=actor_user_id,
        actor_name=actor_name[:80],
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=json.dumps(
            _scrub(detail or {}), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ),
        ip=ip,
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    entry.hash = compute_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def verify_chain(*, session: Session) -> VerifyResult:
    """Walk the whole log in id order and report the first entry that breaks the chain."""
    result = session.execute(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)
    )
    # yield_per streams through a server-side cursor on PostgreSQL; an early return
    # must close it, not leave it to the garbage collector.
    try:
        return _walk(result.scalars())
    finally:
        result.close()


def _walk(entries: Iterable[AuditEntry]) -> VerifyResult:
    expected_prev = GENESIS_HASH
    count = 0
    for entry in entries:
        if entry.id != count + 1:
            return VerifyResult(False, count, entry.id, f"ada entri hilang sebelum #{entry.id}")
        if entry.prev_hash != expected_prev:
            reason = "prev_hash tidak cocok dengan entri sebelumnya"
            return VerifyResult(False, count, entry.id, reason)
        if compute_hash(entry) != entry.hash:
            return VerifyResult(False, count, entry.id, "isi entri telah diubah")
        expected_prev = entry.hash
        count += 1
    return VerifyResult(True, count, last_hash=expected_prev)


def list_entries(
    *,
    session: Session,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    object_id: str | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Return the newest entries matching the filters."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 1000)))
    if actor:
        query = query.where(AuditEntry.actor_name == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    return list(session.execute(query).scalars())
