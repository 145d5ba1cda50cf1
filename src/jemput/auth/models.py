"""Users, their browser sessions and API tokens, and the append-only audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import Mapped, mapped_column

from jemput.db import Base


class Role(StrEnum):
    ADMIN = "admin"
    KEPALA = "kepala"
    OPERATOR = "operator"
    PETUGAS = "petugas"
    DESA = "desa"
    SEKOLAH = "sekolah"
    MITRA = "mitra"
    AUDITOR = "auditor"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware."""

    # SQLite keeps no offset and hands back naive values; comparing those with
    # datetime.now(UTC) would raise, so every value is normalised at the boundary.
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


class User(Base):
    """A person who signs in, with one role and one scope."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(10))  # Role value
    # A dotted region code prefix: "33.06", "33.06.01" or "33.06.01.2001".
    scope_region: Mapped[str | None] = mapped_column(String(13))
    # sekolah: the institution id (NPSN or pesantren id).
    scope_institution: Mapped[str | None] = mapped_column(String(40))
    # petugas: the field team's name.
    scope_team: Mapped[str | None] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    # Set when someone else chose the password (a new account, a reset, the demo): the
    # user must replace it before doing anything else, so the one who handed it out
    # never knows the password in use.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(2), default="id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)


class WebSession(Base):
    """A signed-in browser; only the SHA-256 of its cookie token is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    csrf_token: Mapped[str] = mapped_column(String(64))


class ApiToken(Base):
    """A bearer token for a device or script; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who minted it: the holder from their account page, or "cli:<login>" on the server.
    # No foreign key: the record must outlive the account that made it.
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    created_by_name: Mapped[str | None] = mapped_column(String(80))


class LoginAttempt(Base):
    """One try at the sign-in form: what throttling counts and what an admin reviews."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_ip", "username", "ip"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # What was typed, lower-cased: it may name no account at all.
    username: Mapped[str] = mapped_column(String(100))
    ip: Mapped[str] = mapped_column(String(45), index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    # ok | bad_password | unknown_user | inactive | throttled
    outcome: Mapped[str] = mapped_column(String(20))


class AuditEntry(Base):
    """One link of the hash-chained audit log; never updated or deleted by the app."""

    __tablename__ = "audit_log"

    # Assigned by audit.record under its lock, so ids are gap-free and part of the hash.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # No foreign key: the log must outlive anything it mentions.
    actor_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80), index=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    ip: Mapped[str | None] = mapped_column(String(45))
    # What a scoped auditor may read: the region the entry concerns (a resident's desa,
    # a listed wilayah, a managed user's scope) and the actor's own scope when they acted.
    region_code: Mapped[str | None] = mapped_column(String(13), index=True)
    actor_region: Mapped[str | None] = mapped_column(String(13), index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
