"""Request bodies of the target-list API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

# No control characters (a NUL cannot be stored in PostgreSQL text): refused with 422,
# never a server error.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


# A member id as the database holds it (a 32-bit integer): larger is refused, not sent.
RowNumber = Annotated[int, Field(ge=1, le=2_147_483_647)]


def text(max_length: int, *, min_length: int = 0) -> object:
    return Field(min_length=min_length, max_length=max_length, pattern=PRINTABLE)


class ListCreate(BaseModel):
    name: Annotated[str, text(120, min_length=1)]
    rule: Annotated[str, text(30)]
    area_code: Annotated[str, text(13)]
    institution_npsn: Annotated[str, text(12)] | None = None
    params: dict[Annotated[str, text(20)], Annotated[str, text(40)]] = Field(
        default_factory=dict, max_length=5)


class OneClick(BaseModel):
    """A roster page's button: the rule and its place; the name is written for it."""

    rule: Annotated[str, text(30)]
    area_code: Annotated[str, text(13)]
    institution_npsn: Annotated[str, text(12)] | None = None
    params: dict[Annotated[str, text(20)], Annotated[str, text(40)]] = Field(
        default_factory=dict, max_length=5)


class Assignment(BaseModel):
    member_ids: list[RowNumber] | None = Field(default=None, max_length=10_000)
    desa: Annotated[str, text(13)] | None = None
    dusun: Annotated[str, text(80)] | None = None
    rt: Annotated[str, text(3)] | None = None
    username: Annotated[str, text(60)] | None = None
    team: Annotated[str, text(60)] | None = None


class Move(BaseModel):
    state: Annotated[str, text(10)]
    outcome: Annotated[str, text(20)] | None = None
    note: Annotated[str, text(500)] | None = None
