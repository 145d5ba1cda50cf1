"""Residents for the care-profile tests: one in the desa persona's desa, one next door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from jemput.auth.models import AuditEntry
from jemput.db import unit_of_work
from jemput.residents import search
from jemput.residents.models import Resident
from tests.personas import DESA_CODE, OTHER_DESA_CODE


@dataclass(frozen=True)
class Cast:
    ours: int  # a blind young man in the desa persona's desa (seed 000)
    ours_nik: str
    neighbour: int  # a bedridden woman in the next desa
    neighbour_nik: str
    elsewhere: int  # a resident of another kecamatan (33.06.02)


def _add(session, nik: str, name: str, desa: str, **extra) -> int:
    resident = Resident(nik=nik, name=name, sex=1, birth_date=date(2004, 3, 2),
                        marital_status=1, desa_code=desa, life_status="hidup",
                        ktp_status="UNREGISTERED", updated_at=datetime.now(UTC), **extra)
    session.add(resident)
    session.flush()
    search.index_resident(session=session, resident=resident)
    return resident.id


@pytest.fixture
def cast(personas, migrated_database: str) -> Cast:
    with unit_of_work(migrated_database) as session:
        ours = _add(session, "3306010203040001", "BAGUS SETIAWAN", DESA_CODE, disability=2)
        neighbour = _add(session, "3306014203040002", "SITI MUNAROH", OTHER_DESA_CODE,
                         bedridden=True)
        elsewhere = _add(session, "3306020203040003", "JOKO PRAYITNO", "33.06.02.2001")
    return Cast(ours, "3306010203040001", neighbour, "3306014203040002", elsewhere)


def audit_count(action: str, object_id: int | None = None) -> int:
    """How many audit entries of `action` (about `object_id`) the log holds."""
    with unit_of_work() as session:
        statement = select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == action)
        if object_id is not None:
            statement = statement.where(AuditEntry.object_id == str(object_id))
        return session.scalar(statement) or 0
