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


class UsersOut(BaseModel):
    users: list[UserOut]


class TokenOut(BaseModel):
    id: int
    name: str
    username: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokensOut(BaseModel):
    tokens: list[TokenOut]


class TokenCreate(BaseModel):
    username: str
    name: str = Field(min_length=1, max_length=80)


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
