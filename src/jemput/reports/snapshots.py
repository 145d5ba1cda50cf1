"""Record the coverage an import left behind, and read it back as a trend."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.config import get_settings
from jemput.reports.coverage import AreaCoverage, compute_coverage
from jemput.reports.models import CoverageSnapshot
from jemput.residents.events import ImportApplied, on_import_applied


def _snapshot(
    area: AreaCoverage, *, run_id: int, data_date: date, now: datetime
) -> CoverageSnapshot:
    c = area.counts
    return CoverageSnapshot(
        import_id=run_id, data_date=data_date, region_code=area.code,
        wajib_ktp=c["wajib_ktp"], recorded=c["recorded"], print_ready=c["print_ready"],
        printed=c["printed"], issued=c["issued"], not_recorded=c["not_recorded"],
        due_for_deactivation=c["due_for_deactivation"], created_at=now,
    )


def record_snapshot(
    *, session: Session, run_id: int, data_date: date, regency_code: str
) -> list[CoverageSnapshot]:
    """Write one snapshot for the regency and one per kecamatan for an applied import."""
    try:
        # Ages are taken on the import's own data date: this run is not yet marked
        # applied, so compute_coverage's default would be the previous import's date.
        regency = compute_coverage(session=session, region_code=regency_code, on=data_date)
    except LookupError:
        # Regions not loaded: the import itself could place no resident, nothing to chart.
        return []
    now = datetime.now(UTC)
    rows = [_snapshot(area, run_id=run_id, data_date=data_date, now=now)
            for area in [regency, *regency.children]]
    session.add_all(rows)
    session.flush()
    return rows


@on_import_applied
def snapshot_import(event: ImportApplied) -> None:
    """Record the coverage an applied import left behind, in the import's transaction."""
    record_snapshot(session=event.session, run_id=event.run_id, data_date=event.data_date,
                    regency_code=get_settings().regency_code)


def list_snapshots(
    *, session: Session, region_code: str, limit: int = 60
) -> list[CoverageSnapshot]:
    """Return the latest snapshots of one area, oldest first."""
    newest = session.scalars(
        select(CoverageSnapshot)
        .where(CoverageSnapshot.region_code == region_code)
        .order_by(CoverageSnapshot.import_id.desc())
        .limit(limit)
    )
    return list(reversed(list(newest)))
