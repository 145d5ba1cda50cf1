"""Request bodies of the campaign API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from jemput.targets.schemas import PRINTABLE, RowNumber


def text(max_length: int, *, min_length: int = 0) -> object:
    return Field(min_length=min_length, max_length=max_length, pattern=PRINTABLE)


class CampaignCreate(BaseModel):
    name: Annotated[str, text(120, min_length=1)]
    area_code: Annotated[str, text(13)]
    starts: date
    ends: date
    programme_ids: list[RowNumber] = Field(max_length=20)
    team_ids: list[RowNumber] = Field(max_length=50)
    list_ids: list[RowNumber] = Field(max_length=20)
    weights: dict[Annotated[str, text(30)], Annotated[int, Field(ge=0, le=100)]] | None = Field(
        default=None, max_length=10)


class PlanRequest(BaseModel):
    replan: bool = False
    seed: Annotated[int, Field(ge=0, le=2_147_483_647)] = 1
    # Tests and benchmarks: a fixed number of iterations (same seed, same plan).
    iterations: Annotated[int, Field(ge=1, le=1_000_000)] | None = None


class OutcomeIn(BaseModel):
    entry_id: RowNumber
    outcome: Annotated[str, text(20)]
    note: Annotated[str, text(200)] | None = None
