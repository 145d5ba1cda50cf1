"""Request bodies of the target-list API."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ListCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    rule: str = Field(max_length=30)
    area_code: str = Field(max_length=13)
    institution_npsn: str | None = Field(default=None, max_length=12)
    params: dict[str, str] = Field(default_factory=dict, max_length=5)


class Assignment(BaseModel):
    member_ids: list[int] | None = Field(default=None, max_length=10_000)
    desa: str | None = Field(default=None, max_length=13)
    dusun: str | None = Field(default=None, max_length=80)
    rt: str | None = Field(default=None, max_length=3)
    username: str | None = Field(default=None, max_length=60)
    team: str | None = Field(default=None, max_length=60)


class Move(BaseModel):
    state: str = Field(max_length=10)
    outcome: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, max_length=500)
