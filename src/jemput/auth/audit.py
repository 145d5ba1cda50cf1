"""The append-only audit log: record entries, verify and anchor the keyed hash chain.

Each entry's hash is an HMAC-SHA256 over a canonical JSON of its fields and the
previous entry's hash, keyed with a secret kept outside the database (JEMPUT_AUDIT_KEY,
or one derived from JEMPUT_SECRET_KEY). Editing, deleting or reordering any row breaks
every later link, and whoever can write the database but lacks the key cannot compute
new links that verify. What a chain cannot show by itself is the loss of its newest
entries; a checkpoint kept outside the database does (audit_checkpoint.py).

Entries written before the chain was keyed carry a plain SHA-256. Verify accepts them
only as a whole prefix it can name, and fails until `jemput audit seal` re-chains them
under the key: a log rewritten in the old form would otherwise verify.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, text
from sqlalchemy.orm import Session

from jemput.auth import acting
from jemput.auth.access import region_in_scope, scope_filter
from jemput.auth.audit_checkpoint import Checkpoint
from jemput.auth.models import AuditEntry, User
from jemput.config import Settings, get_settings
from jemput.db import is_read_only, side_unit_of_work

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer of this database.
_PG_LOCK_KEY = 0x6A656D707574  # "jemput"
# Distinct labels, so the audit key derived from the secret key is no other key in use.
_KEY_LABEL = b"jemput audit chain v1"
_KEY_ID_LABEL = b"jemput audit key id"
# The first field of the keyed canonical form: a later scheme can tell its rows apart.
_SCHEME = "v2"

_NIK_LIKE = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
_SECRET_KEYS = ("password", "sandi", "token", "secret", "csrf")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_bad_id: int | None = None
    reason: str | None = None
    last_hash: str = GENESIS_HASH
    # Leading entries still under the old unkeyed hash; `seal_chain` re-chains them.
    unkeyed: int = 0


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


def chain_key(settings: Settings | None = None) -> bytes:
    """Return the key of the hash chain: JEMPUT_AUDIT_KEY, else derived from the secret key."""
    settings = settings or get_settings()
    if settings.audit_key is not None and settings.audit_key.get_secret_value():
        return settings.audit_key.get_secret_value().encode("utf-8")
    secret = settings.secret_key.get_secret_value().encode("utf-8")
    return hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    """Return a short public fingerprint of `key`: tells which key wrote a checkpoint."""
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


def _canonical(fields: list[Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def unkeyed_hash(entry: AuditEntry) -> str:
    """Return the plain SHA-256 that entries carried before the chain was keyed."""
    fields = [
        entry.id, _canonical_time(entry.at), entry.actor_user_id, entry.actor_name,
        entry.action, entry.object_type, entry.object_id, entry.detail, entry.ip,
        entry.prev_hash,
    ]
    return hashlib.sha256(_canonical(fields)).hexdigest()


def compute_hash(entry: AuditEntry, *, key: bytes | None = None) -> str:
    """Return the HMAC-SHA256 of the entry's canonical serialization and its prev_hash."""
    fields = [
        _SCHEME, entry.id, _canonical_time(entry.at), entry.actor_user_id, entry.actor_name,
        entry.actor_region, entry.action, entry.object_type, entry.object_id,
        entry.region_code, entry.detail, entry.ip, entry.prev_hash,
    ]
    return hmac.new(key or chain_key(), _canonical(fields), hashlib.sha256).hexdigest()


def _lock_chain(session: Session) -> None:
    # Two writers reading the same "last hash" would fork the chain. PostgreSQL:
    # a transaction-scoped advisory lock, released at commit or rollback. SQLite:
    # jemput.db begins every transaction with BEGIN IMMEDIATE, one writer already.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def _entry_region(
    session: Session, object_type: str | None, object_id: str | None, region: str | None
) -> str | None:
    # What the entry concerns, when the caller did not say and the object does.
    if region or not object_id:
        return region
    if object_type == "wilayah":
        return object_id[:13]
    if object_type == "user" and object_id.isdigit():
        user = session.get(User, int(object_id))
        return user.scope_region if user else None
    return None


def record(
    *,
    session: Session,
    actor: User | str | None,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    region: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain; the caller's unit of work commits it.

    `region` is the region code the entry concerns (a resident's desa); a wilayah or
    user entry finds its own. From a read-only session (a page view) the entry is
    committed at once in a short transaction of its own: logging a view needs no
    atomicity with the view.
    """
    if is_read_only(session):
        with side_unit_of_work(session) as writer:
            entry = record(session=writer, actor=actor, action=action, object_type=object_type,
                           object_id=object_id, detail=detail, ip=ip, region=region)
            writer.expunge(entry)
        return entry
    _lock_chain(session)
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    if isinstance(actor, User):
        actor_user_id, actor_name, actor_region = actor.id, actor.username, actor.scope_region
        # A request made with an API token: the entry names the token (and its minter).
        detail = {**acting.audit_detail(actor.id), **(detail or {})}
    else:
        actor_user_id, actor_name, actor_region = None, actor or "sistem", None
    object_key = None if object_id is None else str(object_id)
    entry = AuditEntry(
        id=(last.id + 1) if last else 1,
        # Whole microseconds survive every backend's timestamp type unchanged.
        at=datetime.now(UTC),
        actor_user_id=actor_user_id,
        actor_name=actor_name[:80],
        actor_region=actor_region,
        action=action,
        object_type=object_type,
        object_id=object_key,
        region_code=_entry_region(session, object_type, object_key, region),
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


def verify_chain(*, session: Session, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Walk the whole log in id order and report the first entry that breaks the chain.

    With a checkpoint, also fail if the log no longer reaches it or differs at its head.
    """
    key = chain_key()
    if checkpoint is not None and checkpoint.key_id != key_id(key):
        return VerifyResult(False, 0, reason=(
            f"kunci audit saat ini (id {key_id(key)}) bukan kunci yang dipakai saat checkpoint "
            f"dibuat (id {checkpoint.key_id}); periksa JEMPUT_AUDIT_KEY"))
    result = session.execute(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)
    )
    # yield_per streams through a server-side cursor on PostgreSQL; an early return
    # must close it, not leave it to the garbage collector.
    try:
        return _walk(result.scalars(), key, checkpoint)
    finally:
        result.close()


def _walk(
    entries: Iterable[AuditEntry], key: bytes, checkpoint: Checkpoint | None
) -> VerifyResult:
    expected_prev = GENESIS_HASH
    count = unkeyed = 0
    for entry in entries:
        if entry.id != count + 1:
            return VerifyResult(False, count, entry.id, f"ada entri hilang sebelum #{entry.id}")
        if entry.prev_hash != expected_prev:
            reason = "prev_hash tidak cocok dengan entri sebelumnya"
            return VerifyResult(False, count, entry.id, reason)
        if not hmac.compare_digest(compute_hash(entry, key=key), entry.hash):
            # Old unkeyed hashes are accepted only as an unbroken run from entry #1:
            # one among keyed entries is a link someone forged without the key.
            if unkeyed == count and hmac.compare_digest(unkeyed_hash(entry), entry.hash):
                unkeyed += 1
            else:
                reason = "isi entri telah diubah atau hash-nya tidak dibuat dengan kunci audit"
                if count == 0:
                    reason += " (atau JEMPUT_AUDIT_KEY bukan kunci yang menulis log ini)"
                return VerifyResult(False, count, entry.id, reason)
        expected_prev = entry.hash
        count += 1
        if checkpoint is not None and entry.id == checkpoint.last_id and not (
            hmac.compare_digest(entry.hash, checkpoint.last_hash)
        ):
            return VerifyResult(False, count - 1, entry.id, (
                f"entri #{entry.id} tidak sama dengan checkpoint {_shown(checkpoint)}: log "
                "sampai titik itu telah diubah atau ditulis ulang"), unkeyed=unkeyed)
    if checkpoint is not None and count < checkpoint.entries:
        return VerifyResult(False, count, count + 1, (
            f"log hanya berisi {count} entri, padahal checkpoint {_shown(checkpoint)} mencatat "
            f"{checkpoint.entries}: entri #{count + 1}–#{checkpoint.entries} telah dihapus"),
            last_hash=expected_prev, unkeyed=unkeyed)
    if unkeyed:
        return VerifyResult(False, count, 1, (
            f"entri #1–#{unkeyed} masih memakai hash lama tanpa kunci; bila log ini berasal "
            "dari sebelum pemutakhiran, jalankan `jemput audit seal` sekali. Pada log yang "
            "dibuat sesudahnya, ini berarti log ditulis ulang"),
            last_hash=expected_prev, unkeyed=unkeyed)
    return VerifyResult(True, count, last_hash=expected_prev)


class BrokenChain(Exception):
    """The chain does not verify, so it may be neither anchored nor sealed."""

    def __init__(self, result: VerifyResult) -> None:
        super().__init__(result.reason)
        self.result = result


def _shown(checkpoint: Checkpoint) -> str:
    return checkpoint.taken_at.strftime("%Y-%m-%d %H:%M UTC")


def take_checkpoint(*, session: Session, actor: User | str | None) -> Checkpoint:
    """Verify the chain, log the checkpoint, and return the head; BrokenChain if it fails."""
    # Hold the chain while verifying, so the head written down is the head verified.
    _lock_chain(session)
    result = verify_chain(session=session)
    if not result.ok:
        raise BrokenChain(result)
    entry = record(session=session, actor=actor, action="audit.checkpoint",
                   detail={"entri": result.count + 1})
    return Checkpoint(entries=entry.id, last_id=entry.id, last_hash=entry.hash,
                      key_id=key_id(chain_key()), taken_at=entry.at)


def seal_chain(*, session: Session, actor: User | str | None) -> VerifyResult:
    """Re-chain a log that starts with unkeyed entries under the audit key, and log it.

    Returns the walk before sealing (`unkeyed` says how many were sealed, 0: nothing to
    do); BrokenChain if any link is broken, since sealing would launder the break.
    """
    _lock_chain(session)
    before = verify_chain(session=session)
    if before.ok:
        return before
    if not before.unkeyed or before.first_bad_id != 1:
        raise BrokenChain(before)
    key, previous, last_id = chain_key(), GENESIS_HASH, 0
    while batch := list(session.scalars(
        select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(1000)
    )):
        for entry in batch:
            entry.prev_hash = previous
            entry.hash = previous = compute_hash(entry, key=key)
            last_id = entry.id
        session.flush()
        for entry in batch:
            session.expunge(entry)
    record(session=session, actor=actor, action="audit.seal",
           detail={"tanpa_kunci": before.unkeyed, "dirantai_ulang": before.count,
                   "hash_terakhir_lama": before.last_hash})
    return before


def reader_scope(reader: User) -> str | None:
    """Return the region a reader's view of the log is limited to; None for the whole log."""
    # A reader of the whole regency reads everything, the office's own accounts and the
    # shell included; a narrower one reads what concerns its scope or was done from it.
    if region_in_scope(reader, get_settings().regency_code):
        return None
    return reader.scope_region or ""


def _readable_by(reader: User) -> ColumnElement[bool] | None:
    if reader_scope(reader) is None:
        return None
    return or_(
        scope_filter(reader, AuditEntry.region_code),
        scope_filter(reader, AuditEntry.actor_region),
    )


def list_entries(
    *,
    session: Session,
    reader: User | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    object_id: str | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Return the newest entries matching the filters that `reader` may read (None: all)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 1000)))
    if reader is not None and (readable := _readable_by(reader)) is not None:
        query = query.where(readable)
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
