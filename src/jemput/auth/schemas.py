"""Pydantic shapes of the auth JSON API; the pages render the same objects."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    role: str
    scope_region: str | None
    scope_institution: str | None
    scope_team: str | None
    is_active: bool
    locked_until: datetime | None
    locale: str
    created_at: datetime
    password_changed_at: datetime


class NavItem(BaseModel):
    path: str
    label: str


class MeOut(BaseModel):
    user: UserOut
    may_reveal_nik: bool
    nav: list[NavItem]


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=60)
    full_name: str = Field(default="", max_length=120)
    role: str
    password: str = Field(min_length=1, max_length=200)
    scope_region: str | None = None
    scope_institution: str | None = None
    scope_team: str | None = None


class UserUpdate(BaseModel):
    """Fields left out stay as they are; an empty string clears a scope field."""

    full_name: str | None = Field(default=None, max_length=120)
    role: str | None = Field(default=None, max_length=10)
    scope_region: str | None = Field(default=None, max_length=13)
    scope_institution: str | None = Field(default=None, max_length=40)
    scope_team: str | None = Field(default=None, max_length=60)


class UsersOut(BaseModel):
    users: list[UserOut]


class TokenOut(BaseModel):
    id: int
    name: str
    username: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    # Who minted it: the holder, or "cli:<login>" for a token made on the server.
    created_by: str | None = None


class TokensOut(BaseModel):
    tokens: list[TokenOut]


class TokenCreate(BaseModel):
    # Optional, and if given it must be the caller: a token is minted by its holder.
    username: str | None = Field(default=None, max_length=60)
    name: str = Field(min_length=1, max_length=80)


class SessionOut(BaseModel):
    id: int
    created_at: datetime
    last_seen: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None
    current: bool


class AccountSessionsOut(BaseModel):
    sessions: list[SessionOut]
    tokens: list[TokenOut]


class LoginAttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    username: str
    ip: str
    success: bool
    outcome: str


class LoginAttemptFilters(BaseModel):
    username: str | None = None
    ip: str | None = None
    limit: int = 100


class LoginAttemptsOut(BaseModel):
    filters: LoginAttemptFilters
    attempts: list[LoginAttemptOut]


class TokenCreated(BaseModel):
    id: int
    name: str
    token: str = Field(description="Ditampilkan sekali saja; simpan sekarang.")


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_user_id: int | None
    actor_name: str
    action: str
    object_type: str | None
    object_id: str | None
    detail: str
    ip: str | None
    region_code: str | None
    actor_region: str | None
    hash: str


class AuditFilters(BaseModel):
    actor: str | None = None
    action: str | None = None
    # Whole days on the office's clock (JEMPUT_TIME_ZONE), both ends included.
    since: date | None = None
    until: date | None = None
    object_id: str | None = None
    limit: int = 100


class AuditOut(BaseModel):
    filters: AuditFilters
    # The reader's region when it reads only its part of the log; None: the whole log.
    scope: str | None = None
    entries: list[AuditEntryOut]
