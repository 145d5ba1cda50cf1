"""Rosters as the office sees them: which lists are loaded, and whose they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import region_filter
from jemput.auth.models import User
from jemput.regions.models import Region
from jemput.rosters.models import Roster
from jemput.schools.models import School


@dataclass(frozen=True)
class RosterSummary:
    id: int
    kind: str
    owner: str  # NPSN of the school, or the desa code of a voter list
    owner_name: str
    file_name: str
    data_date: date
    imported_at: datetime
    imported_by: str | None
    rows_read: int
    rows_rejected: int
    current: bool  # not replaced by a newer import of the same list


def list_rosters(
    *, session: Session, user: User | None = None, include_replaced: bool = False
) -> list[RosterSummary]:
    """Return the imported rosters (newest first) within the user's scope (None: the office)."""
    query = (
        select(Roster, School.npsn, School.name, Region.name)
        .outerjoin(School, School.id == Roster.school_id)
        .outerjoin(Region, Region.code == Roster.desa_code)
        .order_by(Roster.imported_at.desc(), Roster.id.desc())
    )
    if not include_replaced:
        query = query.where(Roster.replaced_by_id.is_(None))
    if user is not None:
        # A school's roster is the school's desa's business; a voter list, its desa's.
        query = query.where(
            region_filter(user.scope_region or "", Roster.desa_code)
            | region_filter(user.scope_region or "", School.desa_code)
        )
    return [
        RosterSummary(
            id=roster.id, kind=roster.kind, owner=npsn or roster.desa_code or "",
            owner_name=school_name or desa_name or "", file_name=roster.file_name,
            data_date=roster.data_date, imported_at=roster.imported_at,
            imported_by=roster.imported_by, rows_read=roster.rows_read,
            rows_rejected=roster.rows_rejected, current=roster.replaced_by_id is None,
        )
        for roster, npsn, school_name, desa_name in session.execute(query)
    ]
