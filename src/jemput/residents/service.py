"""Registry operations other domains use: look residents up, change a status."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.residents.codes import KtpStatus
from jemput.residents.models import ImportRun, Resident, StatusChange


class ResidentNotFound(LookupError):
    """No resident with that NIK or id (or none the caller may see)."""


def get_resident_by_nik(*, session: Session, nik: str) -> Resident:
    """Return the resident with this NIK or raise ResidentNotFound."""
    resident = session.scalar(select(Resident).where(Resident.nik == nik))
    if resident is None:
        raise ResidentNotFound(nik)
    return resident


def set_ktp_status(
    *, session: Session, resident: Resident, status: KtpStatus, note: str | None = None
) -> StatusChange | None:
    """Change a resident's KTP-el status and write its history row in the same transaction.

    The one place besides the bulk import (merge.apply) that changes a status; both
    write history with the change, so the history cannot miss one.
    """
    if resident.ktp_status == status.value:
        return None
    now = datetime.now(UTC)
    change = StatusChange(
        resident_id=resident.id, old_status=resident.ktp_status, new_status=status.value,
        changed_at=now, source="manual", note=note,
    )
    resident.ktp_status = status.value
    resident.updated_at = now
    session.add(change)
    session.flush()
    return change


def status_history(*, session: Session, resident: Resident) -> list[StatusChange]:
    """Return the resident's status changes, oldest first."""
    return list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.resident_id == resident.id)
            .order_by(StatusChange.changed_at, StatusChange.id)
        )
    )


def latest_applied_import(*, session: Session) -> ImportRun | None:
    """Return the most recent import that changed the registry."""
    return session.scalar(
        select(ImportRun).where(ImportRun.outcome == "applied").order_by(ImportRun.id.desc())
    )


def list_imports(*, session: Session, limit: int = 50) -> list[ImportRun]:
    """Return recent import runs, newest first."""
    return list(session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))
